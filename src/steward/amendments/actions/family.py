"""What the family places in the record: a statement on a contested item after the hearing
upheld it (R35, 99.21(b)(2)), and material added at any time (R37, 603 CMR 23.08(1))."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.amendments.actions.common import PURPOSE_ADDITION, PURPOSE_STATEMENT, requester
from steward.amendments.models import Addition, Decision, Item, Outcome, Stage, Statement
from steward.audit import ledger
from steward.audit.models import Action
from steward.catalog.elements import SCOPE_KEYS
from steward.roster.models import Student
from steward.vendors import documents

MAX_TEXT = 10000


@transaction.atomic
def do_place_statement(
    item: Item, user: Any, text: str, request: HttpRequest | None = None
) -> Statement:
    """Place the family's statement on `item` (R35): once the hearing found the information
    was not to be amended, a rights holder of the student may comment on it or say why they
    disagree. The statement is kept and disclosed with the item from then on (99.21(c)); more
    than one may be placed. One ledger entry."""
    student = Student.objects.get(pk=item.request.student_id)
    who = requester(user, student)
    upheld = Decision.objects.filter(item=item, stage=Stage.HEARING, outcome=Outcome.REFUSE)
    if not upheld.exists():
        raise ValidationError(
            _(
                "A statement is placed after a hearing has upheld the information. You may add "
                "your comments to the record at any time instead."
            )
        )
    if not text.strip():
        raise ValidationError(_("Write the statement."))
    if len(text) > MAX_TEXT:
        raise ValidationError(_("The statement is too long."))
    now = timezone.now()
    statement = Statement.objects.create(
        student=student,
        item=item,
        scope=item.scope,
        element_key=item.element_key,
        model=item.model,
        row_id=item.row_id,
        text=text.strip(),
        author_kind=who.kind,
        author_name=who.name,
        made_by=user,
        made_at=now,
    )
    ledger.record(
        action=Action.CREATE,
        **ledger.actor_of(user),
        **ledger.request_context(request),
        students=[student.pk],
        scopes=[item.scope],
        purpose=PURPOSE_STATEMENT,
        detail={
            "statement": statement.pk,
            "amendment_item": item.pk,
            "element": item.element_key,
            "row": item.row_id,
        },
        at=now,
    )
    return statement


@transaction.atomic
def do_add_material(
    student: Student,
    user: Any,
    *,
    scope: str,
    title: str,
    text: str = "",
    pdf: bytes | None = None,
    filename: str = "",
    request: HttpRequest | None = None,
) -> Addition:
    """Add the family's information, comments or written material to one part of the record
    (R37, 603 CMR 23.08(1)): text, a PDF (checked by `steward.vendors.documents`), or both.
    Any rights holder, at any time. One ledger entry; a refused PDF stores nothing."""
    who = requester(user, student)
    errors = []
    if scope not in SCOPE_KEYS:
        errors.append(_("Choose the part of the record the material belongs to."))
    if not title.strip():
        errors.append(_("Give the material a title."))
    if not text.strip() and not pdf:
        errors.append(_("Write something or attach a PDF."))
    if len(text) > MAX_TEXT or len(title) > 255:
        errors.append(_("The text is too long."))
    if errors:
        raise ValidationError(errors)
    document = documents.store(pdf, filename or "document.pdf", by=user) if pdf else None
    now = timezone.now()
    addition = Addition.objects.create(
        student=student,
        scope=scope,
        title=title.strip(),
        text=text.strip(),
        document=document,
        author_kind=who.kind,
        author_name=who.name,
        added_by=user,
        added_at=now,
    )
    ledger.record(
        action=Action.CREATE,
        **ledger.actor_of(user),
        **ledger.request_context(request),
        students=[student.pk],
        scopes=[scope],
        purpose=PURPOSE_ADDITION,
        detail={
            "addition": addition.pk,
            "document_sha256": document.sha256 if document else "",
        },
        at=now,
    )
    return addition
