"""`steward demo`: a synthetic district with one login per role, ready to click through.

The steps are separate functions so that tests can run each against a hand-built roster:
`demo_password` → `roster_imported` / `load_demo_roster` → `load_demo_records` →
`load_demo_vendors` → `choose_demo_people` → `ensure_demo_accounts` → `format_logins`.
Running the demo again reuses the database, the roster, the records, the vendors and the
logins; the password is generated once and kept in the data directory.
"""

from __future__ import annotations

import datetime
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from steward import config
from steward.accounts.actions import do_provision_account
from steward.accounts.models import Account
from steward.accounts.selectors import current, guardian_children, staff_schools
from steward.roster.models import (
    Caseload,
    Enrollment,
    Guardian,
    GuardianRelationship,
    ImportRun,
    Org,
    Staff,
    StaffRole,
)
from steward.vendors.models import ContactRole, VendorContact

DEMO_SEED = 2026
TIER_M_STUDENTS = 7_000
TIER_S_STUDENTS = 1_000
PACKAGE_DIR_NAME = "demo-package"
PASSWORD_FILE_NAME = "demo_password"  # noqa: S105 - a file name, not a password

Role = Account.Role
Position = StaffRole.Position

# Demo usernames, in the order the table lists them.
USERNAMES: dict[str, str] = {
    Role.PRIVACY_OFFICER: "officer",
    Role.PRINCIPAL: "principal",
    Role.TEACHER: "teacher",
    Role.SPECIAL_EDUCATION: "sped",
    Role.COUNSELOR: "counselor",
    Role.NURSE: "nurse",
    Role.GUARDIAN: "guardian",
    Role.VENDOR: "vendor",
}


class DemoError(Exception):
    """The demo could not set itself up; the message says why."""


@dataclass(frozen=True)
class DemoLogin:
    """One demo login as the table prints it."""

    username: str
    role: str
    who: str


def demo_password(data_dir: Path) -> str:
    """The demo password: generated on first use, then read back from `<data dir>/demo_password`.

    Two first runs agree on one password (`config.kept_secret`).
    """
    return config.kept_secret(data_dir / PASSWORD_FILE_NAME, nbytes=12)


def roster_imported() -> bool:
    """Whether any roster import has finished successfully (changed or not)."""
    done = [ImportRun.Outcome.SUCCEEDED, ImportRun.Outcome.UNCHANGED]
    return ImportRun.objects.filter(outcome__in=done).exists()


def load_demo_roster(data_dir: Path, *, students: int, seed: int = DEMO_SEED) -> Path:
    """Generate a synthetic OneRoster 1.2 package into `<data dir>/demo-package` and import it.

    A leftover package from an interrupted run is replaced. Raises `DemoError`, carrying the
    importer's message (file, line, field), when the package does not import. Returns the
    package path.
    """
    # Imported here: the demo's account logic does not need the generator or the importer.
    from steward.roster.importer import ImportRejected, import_package
    from steward.roster.oneroster.generate import generate_package

    out = data_dir / PACKAGE_DIR_NAME
    if out.is_dir():
        shutil.rmtree(out)
    elif out.exists():
        out.unlink()
    generate_package(out, students=students, seed=seed)
    try:
        import_package(out, progress=True)
    except ImportRejected as exc:
        raise DemoError(_("The demo package was rejected: %s") % exc) from exc
    return out


def load_demo_records(seed: int = DEMO_SEED) -> dict[str, int] | None:
    """Fill the demo students' attendance, grades, assessments, discipline, health, IEP/504
    plans and work with synthetic rows (issue #4 item 2); None when records exist already."""
    from steward.records.actions import do_generate_records

    return do_generate_records(seed=seed)


# --- Choosing whom each demo login acts as -------------------------------------------------


def _holds(position: str, at: datetime.date, org: Org | None = None) -> Exists:
    roles = StaffRole.objects.filter(current(at), staff=OuterRef("pk"), position=position)
    if org is not None:
        roles = roles.filter(org=org)
    return Exists(roles)


def _first_staff(candidates: list[Q | Exists], exclude: set[int]) -> Staff | None:
    """The active staff member with the lowest sourced_id matching every condition."""
    found = Staff.objects.filter(*candidates, active=True).exclude(pk__in=exclude)
    return found.order_by("sourced_id").first()


def _anchor_school(at: datetime.date) -> Org | None:
    """The first active school (by sourced_id) with a current principal, else the first school."""
    schools = Org.objects.filter(type=Org.Type.SCHOOL, active=True).order_by("sourced_id")
    principals = StaffRole.objects.filter(
        current(at), org=OuterRef("pk"), position=Position.PRINCIPAL, staff__active=True
    )
    return schools.filter(Exists(principals)).first() or schools.first()


def _teaches(at: datetime.date, school: Org | None) -> Exists:
    enrollments = Enrollment.objects.filter(
        current(at), staff=OuterRef("pk"), active=True, section__active=True
    )
    if school is not None:
        enrollments = enrollments.filter(section__school=school)
    return Exists(enrollments)


def _has_caseload(at: datetime.date, kind: str) -> Exists:
    return Exists(
        Caseload.objects.filter(current(at), staff=OuterRef("pk"), kind=kind, student__active=True)
    )


def _guardian_with_children(at: datetime.date, school: Org | None) -> Guardian | None:
    """The first guardian (by sourced_id) with at least two visible children (not R17-restricted),
    preferring one with a child at `school`."""
    visible = Q(
        relationships__active=True,
        relationships__access_restricted=False,
        relationships__student__active=True,
    )
    guardians = (
        Guardian.objects.filter(active=True)
        .annotate(n_children=Count("relationships", filter=visible))
        .filter(n_children__gte=2)
        .order_by("sourced_id")
    )
    if school is not None:
        links = GuardianRelationship.objects.filter(
            guardian=OuterRef("pk"),
            active=True,
            access_restricted=False,
            student__school_links__school=school,
        )
        preferred = guardians.filter(Exists(links)).first()
        if preferred is not None:
            return preferred
    return guardians.first()


def load_demo_vendors(at: datetime.date) -> None:
    """The demo's outside providers, apps and agreements (steward.vendors.demo); idempotent."""
    from steward.vendors.demo import build_demo_vendors

    build_demo_vendors(at)


def _demo_vendor_contact() -> VendorContact | None:
    """The first demo provider's primary contact: the vendor login acts as them."""
    from steward.vendors.demo import FIRST_VENDOR

    contacts = VendorContact.objects.filter(vendor__name=FIRST_VENDOR).order_by("role", "pk")
    return contacts.filter(role=ContactRole.PRIMARY).first() or contacts.first()


Person = Staff | Guardian | VendorContact | None


def choose_demo_people(at: datetime.date) -> dict[str, Person]:
    """Pick, deterministically, the roster row each demo login acts as.

    The anchor is the first school (by sourced_id) with a principal; the teacher, counselor,
    nurse and special-education staff are taken from that school when it has one, else from
    anywhere. Each pick is the lowest sourced_id that qualifies, and no staff member is picked
    twice. A role with nobody to act as is left out, except the privacy officer, who needs no
    roster row (a records custodian or district administrator is linked when there is one).
    """
    school = _anchor_school(at)
    picked: set[int] = set()
    people: dict[str, Person] = {}

    def pick(role: str, *alternatives: list[Q | Exists]) -> None:
        for conditions in alternatives:
            staff = _first_staff(conditions, picked)
            if staff is not None:
                people[role] = staff
                picked.add(staff.pk)
                return

    officer = _first_staff([_holds(Position.RECORDS_CUSTODIAN, at)], picked) or _first_staff(
        [_holds(Position.DISTRICT_ADMINISTRATOR, at)], picked
    )
    people[Role.PRIVACY_OFFICER] = officer
    if officer is not None:
        picked.add(officer.pk)
    if school is not None:
        pick(Role.PRINCIPAL, [_holds(Position.PRINCIPAL, at, school)])
    pick(
        Role.TEACHER,
        [_holds(Position.TEACHER, at, school), _teaches(at, school)],
        [_holds(Position.TEACHER, at), _teaches(at, None)],
    )
    pick(
        Role.SPECIAL_EDUCATION,
        [_holds(Position.SPECIAL_EDUCATION, at, school)],
        [_holds(Position.SPECIAL_EDUCATION, at)],
    )
    counselor_caseload = _has_caseload(at, Caseload.Kind.COUNSELOR)
    pick(
        Role.COUNSELOR,
        [_holds(Position.COUNSELOR, at, school), counselor_caseload],
        [_holds(Position.COUNSELOR, at), counselor_caseload],
    )
    pick(Role.NURSE, [_holds(Position.NURSE, at, school)], [_holds(Position.NURSE, at)])
    guardian = _guardian_with_children(at, school)
    if guardian is not None:
        people[Role.GUARDIAN] = guardian
    contact = _demo_vendor_contact()
    if contact is not None:
        people[Role.VENDOR] = contact
    return people


def _describe(person: Person, at: datetime.date) -> str:
    """Who a login acts as: the person's name and their schools or number of children."""
    if person is None:
        return _("the district privacy office")
    if isinstance(person, VendorContact):
        return f"{person.name}, {person.vendor.name}"
    if isinstance(person, Guardian):
        n = len(guardian_children(person, at))
        return ngettext(
            "%(name)s, guardian of %(count)d child", "%(name)s, guardian of %(count)d children", n
        ) % {"name": person.display_name, "count": n}
    schools = ", ".join(s.name for s in staff_schools(person, at))
    return f"{person.display_name}, {schools}" if schools else person.display_name


def ensure_demo_accounts(password: str, at: datetime.date) -> list[DemoLogin]:
    """Create or update one login per role that has someone to act as; idempotent.

    Every login gets `password`. Returns the logins in table order.
    """
    people = choose_demo_people(at)
    logins = []
    for role, username in USERNAMES.items():
        if role not in people:
            continue
        person = people[role]
        do_provision_account(
            username=username,
            role=role,
            staff=person if isinstance(person, Staff) else None,
            guardian=person if isinstance(person, Guardian) else None,
            vendor_contact=person if isinstance(person, VendorContact) else None,
            password=password,
        )
        logins.append(
            DemoLogin(username=username, role=str(Role(role).label), who=_describe(person, at))
        )
    return logins


def format_logins(logins: list[DemoLogin], password: str) -> str:
    """The logins as an aligned plain-text table, with a header row."""
    header = (_("username"), _("role"), _("who"), _("password"))
    rows = [header] + [(x.username, x.role, x.who, password) for x in logins]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(line.rstrip() for line in lines)
