"""R30 on a generated district of 80 students with full synthetic records: a copy whose free
text names classmates, and a ledger entry naming the whole class, holds nothing about any other
student: no other student's full name, number, system id, username or e-mail anywhere."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from steward.accounts.models import Account
from steward.audit import ledger
from steward.audit.models import Action
from steward.records.actions import do_generate_records
from steward.records.models import DisciplineIncident, HealthNote, StudentWork
from steward.requests import actions, formats
from steward.requests.models import Channel, Kind
from steward.roster.importer import import_package
from steward.roster.models import GuardianRelationship, Student
from steward.roster.oneroster.generate import generate_package


@pytest.fixture
def generated(db: None, tmp_path: Path) -> None:
    package = tmp_path / "package"
    generate_package(package, students=80, seed=11, school_year=2027)
    import_package(package, error_log=tmp_path / "import-log.csv")
    do_generate_records(seed=1, through=dt.date(2027, 6, 18))


def _found(value: str, text: str) -> bool:
    return (
        bool(value) and re.search(rf"(?<![\w@]){re.escape(value)}(?![\w@])", text, re.I) is not None
    )


def test_nothing_about_any_other_student_is_in_the_json(generated: None) -> None:
    subject = (
        Student.objects.filter(guardian_links__active=True, guardian_links__access_restricted=False)
        .order_by("pk")
        .first()
    )
    assert subject is not None
    others = list(Student.objects.exclude(pk=subject.pk))
    named = others[:6]
    school = subject.school_links.first()
    assert school is not None
    DisciplineIncident.objects.create(
        student=subject, school=school.school, date=dt.date(2027, 1, 12), kind="fighting",
        description="; ".join(f"{o.given_name} {o.family_name} ({o.identifier})"
                              for o in named[:3]),
        action="conference",
    )  # fmt: skip
    HealthNote.objects.create(
        student=subject, date=dt.date(2027, 1, 13), text=f"Sat with {named[3].given_name} at lunch."
    )
    StudentWork.objects.create(
        student=subject, title=f"Interview with {named[4].family_name}, {named[4].given_name}",
        body=f"Written with {named[5].username}", content_type="text/plain",
        created=dt.date(2027, 1, 14),
    )  # fmt: skip
    ledger.record(
        action=Action.RELEASE,
        students=[s.pk for s in Student.objects.all()],
        purpose=f"Class list for the yearbook, {named[0].given_name} {named[0].family_name} first",
        release=ledger.Release("Office", "clerk", "user:0", "Yearbook Printing Co."),
    )
    guardian = GuardianRelationship.objects.filter(student=subject, active=True).first()
    assert guardian is not None
    officer = User.objects.create_user(username="officer")
    Account.objects.create(user=officer, role=Account.Role.PRIVACY_OFFICER)
    req = actions.do_enter_request(
        officer, subject, Kind.COPY, guardian=guardian.guardian, channel=Channel.PAPER,
        identity_check="Signed letter", affirmation="On file",
    )  # fmt: skip
    data = formats.read_json(bytes(actions.do_make_copy(req, officer).archive))
    text = json.dumps(data, ensure_ascii=False)
    assert data["redactions"]["other_students"] >= 9
    for other in others:
        assert not _found(f"{other.given_name} {other.family_name}", text), other.sourced_id
        assert not _found(f"{other.family_name}, {other.given_name}", text), other.sourced_id
        for value in (other.sourced_id, other.identifier, other.username, other.email):
            assert not _found(value, text), value
    for other in named[3:5]:  # the lone names written in free text are gone too
        assert not _found(other.given_name, text) or other.given_name in _family(subject)
    yearbook = [
        r
        for t in data["access_log"]
        for r in t["rows"]
        if r["recipient_name"] == "Yearbook Printing Co."
    ]
    assert yearbook and yearbook[0]["other_students"] == len(others)
    assert _found(subject.family_name, text)  # the student's own record is all there


def _family(subject: Student) -> set[str]:
    names = {subject.given_name, subject.family_name, subject.preferred_given_name}
    for link in GuardianRelationship.objects.filter(student=subject).select_related("guardian"):
        names.update({link.guardian.given_name, link.guardian.family_name})
    return names
