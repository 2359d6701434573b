"""The one small district every row of the role × URL matrix runs against (#10 item 4, R33,
R116(2)).

Built on the sharing tests' district (`tests.sharing.factories.build_district`: Adams
Elementary with Ana, Ben and Cal; Lincoln Middle with Dee; teachers Tess, Omar and Lena; Ana's
parents Gail and Rex (restricted); Cal's guardian Gus; vendors Acme and Beta), plus:

- one login per matrix role, and every Adams staff role relates to **Ana**: Tess teaches her
  homeroom, Paula is Adams' principal, Carl has her on his counseling caseload, Nina is the
  Adams nurse, Sam has her on his special-education caseload;
- **Eli** (grade 10 at Lincoln, 15 years old: his own record rights in Massachusetts, R10)
  with his own login; Gail is his parent too;
- **Dee** is "the wrong student" for everyone: Lena teaches her and Gus and Dora are her
  guardians; every Adams role's relationship with her has ended (she left Adams last year,
  Tess taught her last spring, she left both caseloads last month) and a court order bars
  Gail (R17), so each role's right-role-wrong-object request names her;
- Nick, Ana's parent without custody (his request makes an R18 notice to Gail).

`right_student(role)` and `wrong_student(role)` say whom a role's requests name. The family,
office and vendor objects are added by `url_matrix_world_family` and `url_matrix_world_office`.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from steward.accounts.models import Account
from steward.records.models import DailyAttendance, DisciplineIncident, EducationPlan, HealthNote
from steward.roster.models import Caseload, Student, StudentDemographics
from tests.sharing.factories import build_district
from tests.web import factories as f

Role = Account.Role
# A primary key no row of any table has: "the wrong object" for the privacy office, which may
# see every row, so only an unknown one is wrong.
MISSING = 987654

STAFF_ROLES = ("teacher", "principal", "counselor", "nurse", "special_education")


class World(SimpleNamespace):
    """The district, its logins by matrix role (`users`), and the objects rows point at."""

    users: dict[str, User]

    def right_student(self, role: str) -> Student:
        """The student `role`'s own requests are about: Eli for his own login, else Ana."""
        return self.eli if role == "student" else self.ana

    def wrong_student(self, role: str) -> Student:
        """A student `role` has no relationship with: Dee, for every role."""
        return self.dee

    def student_for(self, role: str, right: bool) -> Student:
        return self.right_student(role) if right else self.wrong_student(role)


def _login(username: str, role: str, **links: Any) -> User:
    user = User.objects.create_user(username=username, email=f"{username}@district.example")
    Account.objects.create(user=user, role=role, **links)
    return user


def _roster(w: World) -> None:
    run = w.run
    w.paula = f.staff(run, "Paula", "Park")
    f.staff_role(run, w.paula, w.adams, "principal")
    w.carl = f.staff(run, "Carl", "Cruz")
    f.staff_role(run, w.carl, w.adams, "counselor")
    f.caseload(run, w.carl, w.ana, Caseload.Kind.COUNSELOR)
    w.nina = f.staff(run, "Nina", "Nolan")
    f.staff_role(run, w.nina, w.adams, "nurse")
    w.sam = f.staff(run, "Sam", "Shah")
    f.staff_role(run, w.sam, w.adams, "specialEducation")
    f.caseload(run, w.sam, w.ana, Caseload.Kind.SPECIAL_EDUCATION)
    w.eli = f.student(run, "Eli", "Evans", grade="10")
    Student.objects.filter(pk=w.eli.pk).update(identifier="SASID-ELI")
    w.eli.refresh_from_db()
    StudentDemographics.objects.create(
        student=w.eli,
        birth_date=timezone.localdate() - dt.timedelta(days=15 * 366),
        last_import=run,
    )
    f.attend(run, w.eli, w.lincoln)
    w.biology = f.section(run, w.lincoln, "Biology 10", [w.term], course_title="Biology")
    f.enroll(run, w.lena, w.biology)
    f.enroll(run, w.eli, w.biology)
    f.guardian_of(run, w.gail, w.eli)
    f.guardian_of(run, w.gus, w.dee)
    w.dora = f.guardian(run, "Dora", "Diaz")  # Dee's only: no child at Adams
    f.guardian_of(run, w.dora, w.dee)
    _ended_with_dee(w)
    w.nick = f.guardian(run, "Nick", "Avery")
    link = f.guardian_of(run, w.nick, w.ana)
    link.custodial = False
    link.save(update_fields=["custodial"])


def _ended_with_dee(w: World) -> None:
    """Every Adams role once had Dee, and no longer does (P2: access is time-bounded), and a
    court order bars Gail from her (R17): their wrong object is a relationship that ended or
    is restricted, not merely one that never was."""
    run, ago = w.run, f.days
    f.attend(run, w.dee, w.adams, ago(-700), ago(-370))  # Adams last year: Paula's, Nina's
    w.summer = f.section(run, w.adams, "Summer reading", [w.term])
    f.enroll(run, w.tess, w.summer, ago(-150), ago(-90))  # past the 30-day grace
    f.enroll(run, w.dee, w.summer, ago(-150), ago(-90))
    f.caseload(run, w.carl, w.dee, Caseload.Kind.COUNSELOR, ago(-200), ago(-40))
    f.caseload(run, w.sam, w.dee, Caseload.Kind.SPECIAL_EDUCATION, ago(-200), ago(-40))
    f.guardian_of(run, w.gail, w.dee, restricted=True)


def _records(w: World) -> None:
    """Rows in several parts of Ana's record, so that amendments and copies have items."""
    today = timezone.localdate()
    for pupil in (w.ana, w.dee, w.eli):
        DailyAttendance.objects.create(
            student=pupil,
            school=w.lincoln if pupil is not w.ana else w.adams,
            date=today - dt.timedelta(days=5),
            status=DailyAttendance.Status.ABSENT_UNEXCUSED,
        )
    DisciplineIncident.objects.create(
        student=w.ana,
        school=w.adams,
        date=today - dt.timedelta(days=20),
        kind=DisciplineIncident.Kind.DISRUPTION,
        description="Talked during the test.",
        action=DisciplineIncident.Action.WARNING,
        reported_by=w.tess,
    )
    HealthNote.objects.create(student=w.ana, date=today, text="Headache, rested.")
    EducationPlan.objects.create(
        student=w.ana,
        kind=EducationPlan.Kind.IEP,
        start_date=today - dt.timedelta(days=100),
        end_date=today + dt.timedelta(days=265),
        summary="Reading support.",
    )


def _logins(w: World) -> None:
    w.users = {
        "no_role": User.objects.create_user(username="no_role"),
        "teacher": _login("tess", Role.TEACHER, staff=w.tess),
        "principal": _login("paula", Role.PRINCIPAL, staff=w.paula),
        "counselor": _login("carl", Role.COUNSELOR, staff=w.carl),
        "nurse": _login("nina", Role.NURSE, staff=w.nina),
        "special_education": _login("sam", Role.SPECIAL_EDUCATION, staff=w.sam),
        "privacy_officer": _login("olivia", Role.PRIVACY_OFFICER),
        "guardian": _login("gail", Role.GUARDIAN, guardian=w.gail),
        "student": _login("eli", Role.STUDENT, student=w.eli),
        "vendor": _login("pat", Role.VENDOR, vendor_contact=w.acme_contact),
        "superuser": User.objects.create_user(username="root", is_staff=True, is_superuser=True),
    }
    # People the rows need who are not matrix roles themselves.
    w.gus_user = _login("gus", Role.GUARDIAN, guardian=w.gus)
    w.nick_user = _login("nick", Role.GUARDIAN, guardian=w.nick)
    w.lena_user = _login("lena", Role.TEACHER, staff=w.lena)
    w.dee_user = None


def build_roster() -> World:
    """The district and its logins (no family, office or vendor objects yet)."""
    w = World(**vars(build_district()))
    for pupil in (w.ana, w.ben, w.cal, w.dee):
        pupil.refresh_from_db()  # their numbers and e-mail were written with .update()
    _roster(w)
    _records(w)
    _logins(w)
    w.officer = w.users["privacy_officer"]
    return w
