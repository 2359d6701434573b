"""Access decisions for signed-in users over the database (issue #4): relationship rules,
withdrawals and policy changes seen by the very next check, guardians and their restrictions,
staff with two roles, and break-glass grants with their limits."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from steward.access import actions, service
from steward.access.models import BreakGlassGrant
from steward.access.policy import (
    ATTENDANCE,
    DEFAULT_POLICY,
    DIRECTORY,
    GRADES_TRANSCRIPT,
    HEALTH,
    SPECIAL_EDUCATION,
    Policy,
    Rule,
)
from steward.audit.models import Action, Entry
from steward.roster.models import Enrollment, StaffRole
from tests.web import factories as f

THREAT = "Student reported a severe allergic reaction on the field trip bus."


def actor(user: object) -> service.Actor:
    found = service.actor_for(user)
    assert found is not None
    return found


def test_a_teacher_sees_students_of_their_current_sections_only(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    d, tess = district, actor(users.teacher)
    assert service.can_access(tess, d.ann.pk, DIRECTORY)
    assert service.can_access(tess, d.cara.pk, ATTENDANCE)
    assert not service.can_access(tess, d.ben.pk, DIRECTORY)
    assert not service.can_access(tess, d.ann.pk, HEALTH)
    assert service.visible_students(tess, DIRECTORY) == {d.ann.pk, d.cara.pk}


def test_a_withdrawal_is_seen_by_the_very_next_check(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    d, tess = district, actor(users.teacher)
    assert service.can_access(tess, d.cara.pk, DIRECTORY)
    enrollment = Enrollment.objects.get(student=d.cara, section=d.math)
    enrollment.end_date = f.days(-31)  # ended, and the 30-day grace period is over
    enrollment.save()
    assert not service.can_access(tess, d.cara.pk, DIRECTORY)
    assert d.cara.pk not in service.visible_students(tess, DIRECTORY)


def test_the_grace_period_keeps_access_for_thirty_days_after_the_section_ends(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    d, tess = district, actor(users.teacher)
    enrollment = Enrollment.objects.get(student=d.cara, section=d.math)
    enrollment.end_date = f.days(-30)
    enrollment.save()
    assert service.can_access(tess, d.cara.pk, DIRECTORY)
    assert not service.can_access(tess, d.cara.pk, DIRECTORY, at=f.days(1))


def test_a_mid_year_section_change_moves_access_to_the_new_teacher(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    d, tess, olga = district, actor(users.teacher), actor(users.other_teacher)
    old = Enrollment.objects.get(student=d.cara, section=d.math)
    old.end_date = f.days(-40)
    old.save()
    f.enroll(d.run, d.cara, d.reading, f.days(-39))
    assert not service.can_access(tess, d.cara.pk, DIRECTORY)
    assert service.can_access(olga, d.cara.pk, DIRECTORY)
    # Before the change, the old teacher had access and the new one did not.
    assert service.can_access(tess, d.cara.pk, DIRECTORY, at=f.days(-41))
    assert not service.can_access(olga, d.cara.pk, DIRECTORY, at=f.days(-41))


def test_a_staff_member_with_two_roles_gets_the_union_of_both(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    d, tess = district, actor(users.teacher)
    assert not service.can_access(tess, d.ben.pk, HEALTH)
    f.staff_role(d.run, d.tess, d.south, StaffRole.Position.NURSE, f.days(-5))
    assert service.can_access(tess, d.ben.pk, HEALTH)  # as nurse at Baker
    assert not service.can_access(tess, d.ben.pk, GRADES_TRANSCRIPT)  # nurses see health only
    assert service.can_access(tess, d.ann.pk, GRADES_TRANSCRIPT)  # still Ann's teacher


def test_counselor_special_education_nurse_and_principal_rules(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    d = district
    carl, sam, nina = actor(users.counselor), actor(users.sped), actor(users.nurse)
    paula, pete = actor(users.principal), actor(users.former_principal)
    assert service.can_access(carl, d.ann.pk, GRADES_TRANSCRIPT)
    assert not service.can_access(carl, d.dan.pk, DIRECTORY)  # caseload ended a week ago
    assert service.can_access(carl, d.dan.pk, DIRECTORY, at=f.days(-7))  # its last day
    assert service.can_access(sam, d.ann.pk, SPECIAL_EDUCATION)
    assert not service.can_access(sam, d.cara.pk, SPECIAL_EDUCATION)
    assert service.can_access(nina, d.ben.pk, HEALTH)
    assert not service.can_access(nina, d.ann.pk, HEALTH)  # another school
    assert service.can_access(paula, d.eve.pk, SPECIAL_EDUCATION)
    assert not service.can_access(paula, d.eve.pk, HEALTH)
    assert not service.can_access(pete, d.ben.pk, DIRECTORY)  # left the school last month


def test_district_roles_and_the_privacy_office_see_nothing_by_default(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    d = district
    superintendent = f.staff(d.run, "Sue", "Stone")
    f.staff_role(d.run, superintendent, d.district, StaffRole.Position.DISTRICT_ADMINISTRATOR)
    sue = service.Actor(users.no_role.pk, "principal", superintendent.pk)
    officer = actor(users.officer)
    for who in (sue, officer):
        assert service.visible_students(who, DIRECTORY) == set()
        assert service.grants(who, d.ann.pk) == {}


def test_a_guardian_sees_their_children_but_not_through_a_restriction(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    d, gail = district, actor(users.guardian)
    assert service.can_access(gail, d.ann.pk, HEALTH)
    assert not service.can_access(gail, d.dan.pk, DIRECTORY)  # court-ordered restriction (R17)
    assert not service.can_access(gail, d.eve.pk, DIRECTORY)  # relationship ended
    assert not service.can_access(gail, d.cara.pk, DIRECTORY)
    assert service.visible_students(gail, DIRECTORY) == {d.ann.pk, d.ben.pk}


def test_anonymous_users_and_logins_without_a_role_get_nothing(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    assert service.actor_for(None) is None
    assert service.actor_for(users.no_role) is None
    assert not service.can_access(None, district.ann.pk, DIRECTORY)
    assert service.visible_students(None, DIRECTORY) == set()


def test_who_can_access_lists_every_staff_member_with_a_relationship(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    d = district
    assert service.who_can_access(d.ann.pk, DIRECTORY) == {
        d.tess.pk,
        d.olga.pk,
        d.paula.pk,
        d.carl.pk,
        d.sam.pk,
    }
    assert service.who_can_access(d.ann.pk, HEALTH) == set()


def test_a_policy_change_applies_from_the_next_check_and_is_recorded(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    d, tess = district, actor(users.teacher)
    assert service.can_access(tess, d.ann.pk, ATTENDANCE)
    rules = [
        Rule(r.relation, r.scopes - {ATTENDANCE}, r.qualifier, r.grace_days, r.label)
        if r.relation == "section"
        else r
        for r in DEFAULT_POLICY.rules
    ]
    before = Entry.objects.count()
    revision = actions.do_set_policy(
        policy=Policy(rules), user=users.officer, note="attendance by office only"
    )
    assert revision is not None
    assert not service.can_access(tess, d.ann.pk, ATTENDANCE)
    assert service.can_access(tess, d.ann.pk, DIRECTORY)
    change = Entry.objects.order_by("-seq").first()
    assert change is not None and Entry.objects.count() == before + 1
    assert change.action == Action.CHANGE
    detail = json.loads(change.detail)
    assert ATTENDANCE in detail["before"]["rules"][0]["scopes"]
    assert ATTENDANCE not in detail["after"]["rules"][0]["scopes"]
    # Saving the same policy again changes nothing and records nothing.
    assert actions.do_set_policy(policy=Policy(rules), user=users.officer) is None
    assert Entry.objects.count() == before + 1


def _open(
    users: SimpleNamespace, district: SimpleNamespace, **overrides: object
) -> BreakGlassGrant:
    fields: dict[str, object] = {
        "user": users.teacher,
        "actor": actor(users.teacher),
        "student": district.ben,
        "scopes": [HEALTH, DIRECTORY],
        "threat": THREAT,
        "parties": "EMTs on site",
    }
    fields.update(overrides)
    return actions.do_open_break_glass(**fields)  # type: ignore[arg-type]


def test_break_glass_opens_access_at_once_and_only_to_the_parts_named(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    d, tess = district, actor(users.teacher)
    assert not service.can_access(tess, d.ben.pk, HEALTH)
    before = Entry.objects.count()
    grant = _open(users, d)
    assert service.can_access(tess, d.ben.pk, HEALTH)
    assert not service.can_access(tess, d.ben.pk, GRADES_TRANSCRIPT)
    assert d.ben.pk in service.visible_students(tess, HEALTH)
    assert d.tess.pk in service.who_can_access(d.ben.pk, HEALTH)
    entry = Entry.objects.get(seq=before + 1)
    assert (entry.action, entry.basis, json.loads(entry.detail)["break_glass"]) == (
        "security",
        "A10",
        grant.pk,
    )
    assert grant.expires_at - grant.opened_at == dt.timedelta(hours=4)


def test_break_glass_ends_at_its_expiry_and_when_closed(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    d, tess = district, actor(users.teacher)
    grant = _open(users, d, hours=2)
    just_before = grant.expires_at - dt.timedelta(seconds=1)
    assert service.can_access(tess, d.ben.pk, HEALTH, now=just_before)
    assert not service.can_access(tess, d.ben.pk, HEALTH, now=grant.expires_at)
    actions.do_review_break_glass(
        grant=grant, user=users.officer, justified=False, note="No threat."
    )
    assert not service.can_access(tess, d.ben.pk, HEALTH)
    grant.refresh_from_db()
    assert grant.outcome == BreakGlassGrant.Outcome.NOT_JUSTIFIED and grant.closed_at is not None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"threat": "too short"}, "threat"),
        ({"parties": "  "}, "parties"),
        ({"scopes": []}, "scopes"),
        ({"scopes": ["everything"]}, "scopes"),
        ({"hours": 25}, "hours"),
        ({"hours": 0}, "hours"),
    ],
)
def test_break_glass_refuses_incomplete_requests_and_writes_nothing(
    district: SimpleNamespace, users: SimpleNamespace, overrides: dict[str, object], field: str
) -> None:
    before = (Entry.objects.count(), BreakGlassGrant.objects.count())
    with pytest.raises(ValidationError) as caught:
        _open(users, district, **overrides)
    assert field in caught.value.message_dict
    assert (Entry.objects.count(), BreakGlassGrant.objects.count()) == before


def test_break_glass_needs_a_staff_member(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    with pytest.raises(ValidationError):
        _open(users, district, user=users.officer, actor=actor(users.officer))


def test_a_grant_is_reviewed_once_with_a_note(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    grant = _open(users, district)
    with pytest.raises(ValidationError):
        actions.do_review_break_glass(grant=grant, user=users.officer, justified=True, note=" ")
    reviewed = actions.do_review_break_glass(
        grant=grant, user=users.officer, justified=True, note="Confirmed with the nurse."
    )
    assert reviewed.outcome == BreakGlassGrant.Outcome.JUSTIFIED
    assert reviewed.closed_at is None  # justified access runs to its expiry
    before = Entry.objects.count()
    with pytest.raises(ValidationError):
        actions.do_review_break_glass(grant=grant, user=users.officer, justified=False, note="x")
    assert Entry.objects.count() == before


def test_an_import_that_changes_the_roster_changes_the_stamp(db: None, tmp_path: object) -> None:
    from pathlib import Path

    from steward.roster import version
    from steward.roster.importer import import_package
    from steward.roster.oneroster.generate import generate_package

    out = Path(str(tmp_path)) / "pkg"
    generate_package(out, students=50, seed=3)
    first = version.current()
    import_package(out)
    second = version.current()
    assert second != first
    import_package(out)  # unchanged: no new stamp
    assert version.current() == second
    assert timezone.now()  # the stamp is not a time: nothing else to check


def test_visible_filter_selects_exactly_the_visible_students(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    from steward.roster.models import Student

    tess = actor(users.teacher)
    chosen = Student.objects.filter(service.visible_filter(tess, DIRECTORY))
    assert set(chosen.values_list("pk", flat=True)) == {district.ann.pk, district.cara.pk}
    assert not Student.objects.filter(service.visible_filter(None, DIRECTORY)).exists()


def _student_login(district: SimpleNamespace, pupil: object, birth: object) -> service.Actor:
    from steward.roster.models import StudentDemographics

    StudentDemographics.objects.update_or_create(
        student=pupil, defaults={"birth_date": birth, "last_import": district.run}
    )
    from django.contrib.auth.models import User

    from steward.accounts.models import Account

    user = User.objects.create_user(username=f"student-{pupil.pk}")  # type: ignore[attr-defined]
    Account.objects.create(user=user, role=Account.Role.STUDENT, student=pupil)
    return actor(user)


def test_a_student_sees_their_own_record_from_fourteen_and_nobody_elses(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    d = district
    today = f.today()
    thirteen = today.replace(year=today.year - 14) + dt.timedelta(days=1)
    ann = _student_login(d, d.ann, thirteen)
    assert not service.can_access(ann, d.ann.pk, HEALTH)  # 13, grade 3: parents only (R10)
    fourteen = today.replace(year=today.year - 14)
    from steward.roster.models import StudentDemographics

    StudentDemographics.objects.filter(student=d.ann).update(birth_date=fourteen)
    assert service.can_access(ann, d.ann.pk, HEALTH)  # 14 today: record rights in MA
    assert service.visible_students(ann, DIRECTORY) == {d.ann.pk}
    assert not service.can_access(ann, d.cara.pk, DIRECTORY)
    assert [g.kind for g in service.grants(ann, d.ann.pk)[HEALTH]] == [service.SELF]
