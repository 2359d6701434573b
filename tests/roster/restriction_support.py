"""Fixtures for the guardian restriction document tests (R17, R116; #10 item 3).

A small district built through the ORM:

- Adams School; the teacher Tess teaches the homeroom of Ana Avery and Ben Avery.
- Gail Avery is Ana's custodial parent; Nick Avery is Ana's and Ben's parent without custody
  (the parent a document will restrict); Rex Avery is restricted from Ana's record by the
  student information system, with no document on file.
- Logins: the privacy officer Olivia, Tess, Gail, Nick and Rex.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from steward.access import service
from steward.accounts.models import Account
from steward.roster import actions_restrictions as actions
from steward.roster.models import GuardianRelationship, StaffRole
from steward.roster.models_restrictions import RestrictionDocument
from tests.web import factories as f

Role = Account.Role

# What must never be readable in the database: words of the document, the note, the reason.
SECRET_TEXT = b"ORDER-OF-PROTECTION-BODY 12 Elm Street"
NOTE = "Order allows no contact; the shelter address must stay hidden."
REASON = "Vacated by the Probate and Family Court on appeal."


def pdf(body: bytes = SECRET_TEXT, size: int = 0) -> bytes:
    """A file that passes the PDF check, holding `body`, padded to `size` bytes if given."""
    data = b"%PDF-1.7\n" + body + b"\n%%EOF\n"
    return data + b"0" * max(0, size - len(data))


def particulars(**changes: Any) -> actions.Particulars:
    values: dict[str, Any] = {
        "kind": RestrictionDocument.Kind.RESTRAINING_ORDER,
        "issued_on": timezone.localdate() - dt.timedelta(days=10),
        "issuer": "Middlesex Probate and Family Court",
        "expires_on": timezone.localdate() + dt.timedelta(days=355),
        "note": NOTE,
    }
    return actions.Particulars(**(values | changes))


def file_document(
    link: GuardianRelationship, by: User, data: bytes | None = None, **changes: Any
) -> RestrictionDocument:
    """`do_upload_restriction_document` with plausible particulars."""
    return actions.do_upload_restriction_document(
        link, particulars(**changes), data if data is not None else pdf(), "order 2026.pdf", by=by
    )


@pytest.fixture
def rd_world(db: None) -> SimpleNamespace:
    service.reset()
    run = f.import_run()
    w = SimpleNamespace(run=run)
    w.adams = f.org(run, "Adams School")
    w.term = f.term(run, "Fall")
    w.tess = f.staff(run, "Tess", "Turner")
    f.staff_role(run, w.tess, w.adams, StaffRole.Position.TEACHER)
    w.homeroom = f.section(run, w.adams, "Homeroom", [w.term], course_title="Homeroom")
    f.enroll(run, w.tess, w.homeroom)
    w.ana = f.student(run, "Ana", "Avery")
    w.ben = f.student(run, "Ben", "Avery")
    for pupil in (w.ana, w.ben):
        f.attend(run, pupil, w.adams)
        f.enroll(run, pupil, w.homeroom)
    w.gail, w.nick, w.rex = (f.guardian(run, n, "Avery") for n in ("Gail", "Nick", "Rex"))
    w.gail_link = f.guardian_of(run, w.gail, w.ana)
    w.nick_link = f.guardian_of(run, w.nick, w.ana)
    w.nick_link.custodial = False
    w.nick_link.save(update_fields=["custodial"])
    w.nick_ben = f.guardian_of(run, w.nick, w.ben)
    w.rex_link = f.guardian_of(run, w.rex, w.ana, restricted=True)
    w.officer = f.login("olivia", Role.PRIVACY_OFFICER)
    w.teacher = f.login("tess", Role.TEACHER, staff=w.tess)
    w.gail_user = f.login("gail", Role.GUARDIAN, guardian=w.gail)
    w.nick_user = f.login("nick", Role.GUARDIAN, guardian=w.nick)
    w.rex_user = f.login("rex", Role.GUARDIAN, guardian=w.rex)
    return w
