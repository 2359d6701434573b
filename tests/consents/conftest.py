"""Fixtures for directory information and consent to disclose (R45–R50, R85–R89).

- Adams Elementary: Sam attends; his parent Gail signs in as `guardian`; Rex, his father, is
  barred by a court order (`restricted`); Fay left the district (`active` false) last year.
  Ada, also Gail's, is 18: the consent right is hers alone (R9, R15).
- `officer` is the privacy office, `principal` enters paper forms, `teacher` may do neither.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from steward.accounts.models import Account
from steward.consents import rules
from steward.consents.models import DirectoryNotice
from steward.roster.models import Org, StaffRole, StudentDemographics
from steward.stewardship.attestation import sha256
from tests.web import factories as f

Role = Account.Role

NOTICE_TEXT = "Directory notice: you may opt out of any or all categories by the date below."
CONSENT_TEXT = "I consent to the disclosure of the records below to the party named."


@pytest.fixture
def family(db: None) -> SimpleNamespace:
    run = f.import_run()
    d = SimpleNamespace(run=run)
    d.district = f.org(run, "Model District", Org.Type.DISTRICT)
    d.school = f.org(run, "Adams Elementary", parent=d.district)
    d.sam = f.student(run, "Sam", "Avery")
    f.attend(run, d.sam, d.school, f.days(-200))
    d.fay = f.student(run, "Fay", "Ford")
    f.attend(run, d.fay, d.school, f.days(-900), f.days(-100))
    d.fay.active = False
    d.fay.save(update_fields=["active"])
    d.gail = f.guardian(run, "Gail", "Avery")
    f.guardian_of(run, d.gail, d.sam)
    d.rex = f.guardian(run, "Rex", "Avery")
    f.guardian_of(run, d.rex, d.sam, restricted=True)
    d.otto = f.guardian(run, "Otto", "Other")
    d.ada = f.student(run, "Ada", "Avery", grade="12")
    f.attend(run, d.ada, d.school, f.days(-200))
    f.guardian_of(run, d.gail, d.ada)
    StudentDemographics.objects.create(student=d.ada, birth_date=f.days(-19 * 366), last_import=run)
    d.paula = f.staff(run, "Paula", "Park")
    f.staff_role(run, d.paula, d.school, StaffRole.Position.PRINCIPAL)
    d.tess = f.staff(run, "Tess", "Turner")
    f.staff_role(run, d.tess, d.school, StaffRole.Position.TEACHER)
    return d


@pytest.fixture
def users(family: SimpleNamespace) -> SimpleNamespace:
    d = family
    return SimpleNamespace(
        officer=f.login("officer", Role.PRIVACY_OFFICER),
        principal=f.login("principal", Role.PRINCIPAL, staff=d.paula),
        teacher=f.login("teacher", Role.TEACHER, staff=d.tess),
        guardian=f.login("guardian", Role.GUARDIAN, guardian=d.gail),
        restricted=f.login("restricted", Role.GUARDIAN, guardian=d.rex),
        stranger=f.login("stranger", Role.GUARDIAN, guardian=d.otto),
    )


def notice(window_ends: dt.date, published: dt.datetime | None = None) -> DirectoryNotice:
    """A notice of the current school year, written straight through the ORM (rules tests)."""
    published = published or timezone.now() - dt.timedelta(days=60)
    return DirectoryNotice.objects.create(
        school_year=rules.school_year_of(timezone.localdate()),
        published_at=published,
        opt_out_ends_on=window_ends,
        text=NOTICE_TEXT,
        text_sha256=sha256(NOTICE_TEXT),
    )
