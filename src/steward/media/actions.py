"""Writes for media release (design.md §3 rule 2; R128–R135, R47): each action validates, adds
its history rows and writes one ledger entry (action "consent") in the same transaction, so a
failure anywhere writes nothing.

Who may sign (R135, R17): a rights holder with the "consent" right (`steward.rights`): a parent
or guardian with an active relationship to the student that is not `access_restricted` (a
documented court order), while the student is under 18. Electronically, the signer is the
authenticated user whose account is that guardian (99.30(d)); on paper, office staff enter the
form with an attestation. Eligible students (18, R15) sign once issue #5's rights holders land.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.access import service
from steward.access.policy import DIRECTORY
from steward.accounts.models import Account
from steward.audit import ledger
from steward.audit.models import Action
from steward.media import selectors
from steward.media.models import (
    EventRelease,
    EventReleaseRequest,
    MediaChoice,
    MediaRelease,
    MediaRevocation,
    MediaUse,
    Method,
    SignerKind,
)
from steward.rights import selectors as rights
from steward.roster.models import Enrollment, Guardian, Org, Section, Student

PURPOSE = "media release (R128-R135)"
EVENT_PURPOSE = "event-specific media release request (R130)"
_YEAR = re.compile(r"^(\d{4})-(\d{4})$")


def sha256(text: str) -> str:
    """SHA-256 of `text` over UTF-8, hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _check_year(school_year: str) -> None:
    match = _YEAR.match(school_year)
    if match is None or int(match.group(2)) != int(match.group(1)) + 1:
        raise ValidationError(
            _("%(year)s is not a school year such as 2026-2027."), params={"year": school_year}
        )


def _account(user: Any) -> Account | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Account.objects.filter(user_id=user.pk).first()


def _is_rights_holder(guardian: Guardian, student: Student) -> bool:
    """Whether `guardian` holds the right to sign media releases for `student` (R135):
    `steward.rights.selectors.can_act(..., "consent")`, which asks for an active relationship
    that is not `access_restricted` (R17) and a student under 18 (from 18 the student alone
    consents, R9)."""
    return rights.can_act(SimpleNamespace(guardian_id=guardian.pk), student.pk, "consent")


def _checked_choices(choices: Mapping[str, bool]) -> list[tuple[MediaUse, bool]]:
    """Every active use with its explicit answer; ValidationError names missing or unknown."""
    uses = selectors.active_uses()
    keys = {use.key for use in uses}
    missing = [use for use in uses if use.key not in choices]
    errors = []
    if missing:
        errors.append(
            ValidationError(
                _("Every use needs an explicit answer; missing: %(uses)s."),
                code="missing_choices",
                params={"uses": ", ".join(use.display_label for use in missing)},
            )
        )
    unknown = sorted(set(choices) - keys)
    if unknown:
        errors.append(
            ValidationError(
                _("Unknown or inactive uses: %(keys)s."),
                code="unknown_uses",
                params={"keys": ", ".join(unknown)},
            )
        )
    not_bool = sorted(key for key, value in choices.items() if not isinstance(value, bool))
    if not_bool:
        errors.append(
            ValidationError(
                _("Each answer is yes or no; not for: %(keys)s."),
                code="not_boolean",
                params={"keys": ", ".join(not_bool)},
            )
        )
    if errors:
        raise ValidationError(errors)
    return [(use, choices[use.key]) for use in uses]


def _write_release(
    *,
    student: Student,
    school_year: str,
    choices: Mapping[str, bool],
    text: str,
    signer_kind: str,
    signer_guardian: Guardian | None,
    signer_user: Any,
    method: str,
    entered_by: Any,
    attestation: str,
    actor: Any,
    request: HttpRequest | None,
) -> MediaRelease:
    _check_year(school_year)
    if not text.strip():
        raise ValidationError(_("The release text shown to the signer is empty."))
    answers = _checked_choices(choices)
    now = timezone.now()
    previous = selectors.current_release(student.pk, school_year, now)
    release = MediaRelease.objects.create(
        student=student,
        school_year=school_year,
        signed_at=now,
        signer_kind=signer_kind,
        signer_guardian=signer_guardian,
        signer_user=signer_user,
        text=text,
        text_sha256=sha256(text),
        method=method,
        entered_by=entered_by,
        attestation=attestation,
        supersedes=previous,
    )
    MediaChoice.objects.bulk_create(
        [MediaChoice(release=release, use=use, allowed=allowed) for use, allowed in answers]
    )
    ledger.record(
        action=Action.CONSENT,
        **ledger.actor_of(actor),
        **ledger.request_context(request),
        students=[student.pk],
        purpose=PURPOSE,
        consent_id=f"media-release-{release.pk}",
        detail={
            "media_release": release.pk,
            "school_year": school_year,
            "method": method,
            "signer_kind": signer_kind,
            "signer_guardian": signer_guardian.sourced_id if signer_guardian else "",
            "text_sha256": release.text_sha256,
            "choices": {use.key: allowed for use, allowed in answers},
            "supersedes": previous.pk if previous is not None else None,
        },
        at=now,
    )
    return release


@transaction.atomic
def do_sign_media_release(
    student: Student,
    school_year: str,
    choices: Mapping[str, bool],
    text: str,
    signer_user: Any,
    signer_guardian: Guardian | None = None,
    request: HttpRequest | None = None,
) -> MediaRelease:
    """Record the electronic release `signer_user` signed over `text` (99.30(d), R47).

    `signer_user` must be signed in as a guardian account; `signer_guardian` defaults to that
    account's guardian and must be it. The guardian must be a rights holder of `student`
    (active, unrestricted relationship), else PermissionDenied. `choices` must answer every
    active use (ValidationError naming the missing ones). A release already on file for the
    year stays in the history; the new one supersedes it.
    """
    account = _account(signer_user)
    if account is None or account.guardian_id is None:
        raise PermissionDenied("only a signed-in parent or guardian signs a media release")
    if signer_guardian is None:
        signer_guardian = Guardian.objects.get(pk=account.guardian_id)
    if signer_guardian.pk != account.guardian_id:
        raise PermissionDenied("a guardian signs only for themselves")
    if not _is_rights_holder(signer_guardian, student):
        raise PermissionDenied("this guardian may not sign for this student")
    return _write_release(
        student=student,
        school_year=school_year,
        choices=choices,
        text=text,
        signer_kind=SignerKind.GUARDIAN,
        signer_guardian=signer_guardian,
        signer_user=signer_user,
        method=Method.ELECTRONIC,
        entered_by=None,
        attestation="",
        actor=signer_user,
        request=request,
    )


def _staff_may_see(user: Any, student: Student) -> bool:
    actor = service.actor_for(user)
    if actor is None:
        return False
    if actor.role == Account.Role.PRIVACY_OFFICER:
        return True
    return actor.staff_id is not None and service.can_access(actor, student.pk, DIRECTORY)


@transaction.atomic
def do_enter_paper_release(
    student: Student,
    school_year: str,
    choices: Mapping[str, bool],
    text: str,
    signer_guardian: Guardian,
    entered_by: Any,
    attestation: str,
    request: HttpRequest | None = None,
) -> MediaRelease:
    """Record a paper release signed by `signer_guardian`, entered by office staff.

    `entered_by` must be staff who may see the student (or the privacy officer), and
    `attestation` their statement that the entry matches the signed form (ValidationError
    when empty). `text` is the form's text. The guardian must be a rights holder.
    """
    if not _staff_may_see(entered_by, student):
        raise PermissionDenied("only staff who may see the student enter a paper release")
    if not attestation.strip():
        raise ValidationError(
            _("A paper release needs the attestation of the staff member entering it."),
            code="attestation_required",
        )
    if not _is_rights_holder(signer_guardian, student):
        raise PermissionDenied("this guardian may not sign for this student")
    return _write_release(
        student=student,
        school_year=school_year,
        choices=choices,
        text=text,
        signer_kind=SignerKind.STAFF_PAPER,
        signer_guardian=signer_guardian,
        signer_user=None,
        method=Method.PAPER,
        entered_by=entered_by,
        attestation=attestation,
        actor=entered_by,
        request=request,
    )


@transaction.atomic
def do_revoke_media_use(
    student: Student, use_key: str, by_user: Any, request: HttpRequest | None = None
) -> MediaRevocation:
    """Withdraw `use_key` from the student's current release from now on (R134).

    `by_user` is a guardian who is a rights holder, or staff who may see the student (a
    withdrawal the family asked for). The use must be allowed on the current school year's
    release and not yet withdrawn (ValidationError otherwise). Earlier rows never change.
    """
    account = _account(by_user)
    if account is not None and account.guardian_id is not None:
        guardian = Guardian.objects.get(pk=account.guardian_id)
        if not _is_rights_holder(guardian, student):
            raise PermissionDenied("this guardian may not act for this student")
    elif not _staff_may_see(by_user, student):
        raise PermissionDenied("only a rights holder or the student's staff withdraw a release")
    now = timezone.now()
    year = selectors.school_year(now)
    release = selectors.current_release(student.pk, year, now)
    choice = (
        MediaChoice.objects.filter(release=release, use__key=use_key).select_related("use").first()
        if release is not None
        else None
    )
    if release is None or choice is None or not choice.allowed:
        raise ValidationError(
            _("Nothing to withdraw: %(use)s is not allowed on a release for %(year)s."),
            code="nothing_to_revoke",
            params={"use": use_key, "year": year},
        )
    if MediaRevocation.objects.filter(release=release, use=choice.use).exists():
        raise ValidationError(
            _("%(use)s is already withdrawn."),
            code="already_revoked",
            params={"use": choice.use.display_label},
        )
    revocation = MediaRevocation.objects.create(
        release=release, use=choice.use, revoked_at=now, by=by_user
    )
    ledger.record(
        action=Action.CONSENT,
        **ledger.actor_of(by_user),
        **ledger.request_context(request),
        students=[student.pk],
        purpose=PURPOSE,
        consent_id=f"media-release-{release.pk}",
        detail={
            "media_revocation": revocation.pk,
            "media_release": release.pk,
            "school_year": year,
            "use": use_key,
            "revoked_at": now.isoformat(),
        },
        at=now,
    )
    return revocation


def _section_students(section: Section, at: dt.date) -> list[int]:
    from steward.accounts.selectors import current

    return sorted(
        set(
            Enrollment.objects.filter(
                current(at), section=section, role=Enrollment.Role.STUDENT, active=True
            ).values_list("student_id", flat=True)
        )
    )


@transaction.atomic
def do_request_event_release(
    title: str,
    date: dt.date,
    use_keys: Iterable[str],
    requested_by: Any,
    section: Section | None = None,
    school: Org | None = None,
    request: HttpRequest | None = None,
) -> EventReleaseRequest:
    """Ask the families of a section (or a school) for a release for one event (R130).

    Staff only; for a section, the requester must see at least one of its students. The
    ledger entry names the students whose families are asked (the section's, today).
    """
    actor = service.actor_for(requested_by)
    if actor is None or actor.staff_id is None:
        raise PermissionDenied("only staff request an event release")
    if (section is None) == (school is None):
        raise ValidationError(_("Choose either a section or a school."), code="section_or_school")
    if not title.strip():
        raise ValidationError(_("The event needs a title."), code="title_required")
    keys = sorted(set(use_keys))
    uses = list(MediaUse.objects.filter(key__in=keys, active=True))
    if not keys or len(uses) != len(keys):
        raise ValidationError(_("Choose one or more of the district's uses."), code="uses")
    today = timezone.localdate()
    students: list[int] = []
    if section is not None:
        visible = service.visible_students(actor, DIRECTORY, at=today)
        students = [s for s in _section_students(section, today) if s in visible]
        if not students:
            raise PermissionDenied("the requester sees no student of this section")
    now = timezone.now()
    made = EventReleaseRequest.objects.create(
        title=title.strip(),
        date=date,
        section=section,
        school=school,
        requested_by=requested_by,
        requested_at=now,
    )
    made.uses.set(uses)
    ledger.record(
        action=Action.CONSENT,
        **ledger.actor_of(requested_by),
        **ledger.request_context(request),
        students=students,
        purpose=EVENT_PURPOSE,
        detail={
            "event_release_request": made.pk,
            "title": made.title,
            "date": date.isoformat(),
            "section": section.sourced_id if section else "",
            "school": school.sourced_id if school else "",
            "uses": keys,
        },
        at=now,
    )
    return made


@transaction.atomic
def do_sign_event_release(
    event: EventReleaseRequest,
    student: Student,
    allowed: bool,
    text: str,
    signer_user: Any,
    request: HttpRequest | None = None,
) -> EventRelease:
    """Record a family's electronic answer to an event release request (R130, 99.30(d)).

    `signer_user` must be signed in as a guardian who is a rights holder of `student`
    (PermissionDenied), `student` must be one the request was for (its section's students or
    its school's; ValidationError), and `allowed` an explicit yes or no. Answering again adds
    a row; the latest answer counts.
    """
    account = _account(signer_user)
    if account is None or account.guardian_id is None:
        raise PermissionDenied("only a signed-in parent or guardian signs an event release")
    guardian = Guardian.objects.get(pk=account.guardian_id)
    if not _is_rights_holder(guardian, student):
        raise PermissionDenied("this guardian may not sign for this student")
    if not isinstance(allowed, bool):
        raise ValidationError(_("The answer is yes or no."), code="not_boolean")
    if not text.strip():
        raise ValidationError(_("The release text shown to the signer is empty."))
    today = timezone.localdate()
    if event.section_id is not None:
        concerned = student.pk in _section_students(event.section, today)  # type: ignore[arg-type]
    else:
        from steward.accounts.selectors import current
        from steward.roster.models import StudentSchool

        concerned = StudentSchool.objects.filter(
            current(today), student=student, school_id=event.school_id
        ).exists()
    if not concerned:
        raise ValidationError(_("This event release was not requested for this student."))
    now = timezone.now()
    made = EventRelease.objects.create(
        request=event,
        student=student,
        allowed=allowed,
        signed_at=now,
        signer_guardian=guardian,
        signer_user=signer_user,
        text=text,
        text_sha256=sha256(text),
    )
    ledger.record(
        action=Action.CONSENT,
        **ledger.actor_of(signer_user),
        **ledger.request_context(request),
        students=[student.pk],
        purpose=EVENT_PURPOSE,
        consent_id=f"event-release-{made.pk}",
        detail={
            "event_release": made.pk,
            "event_release_request": event.pk,
            "allowed": allowed,
            "text_sha256": made.text_sha256,
        },
        at=now,
    )
    return made
