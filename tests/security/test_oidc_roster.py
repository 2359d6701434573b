"""From a verified e-mail address to a staff login: the roster rules of single sign-on (#10
item 1; R33, R116(1) active users only, R117 leavers lose access).

`staff_login` is called directly here (the full HTTP flow is in test_oidc_flow).
"""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import TypeVar

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from steward.accounts.models import Account
from steward.audit.models import Action, Entry
from steward.roster.models import Person, Staff, StaffRole
from steward.security import oidc_refusals as r
from steward.security.oidc_roster import role_for, staff_login
from steward.vendors.models import ContactRole, Vendor, VendorContact
from tests.web import factories as f

pytestmark = pytest.mark.django_db

Role = Account.Role
Position = StaffRole.Position
ISSUER = "https://accounts.google.com"


@pytest.fixture
def run(db: None) -> SimpleNamespace:
    import_run = f.import_run()
    return SimpleNamespace(run=import_run, school=f.org(import_run, "Adams Elementary"))


P = TypeVar("P", bound=Person)


def addressed(person: P, email: str) -> P:
    person.email = email
    person.save(update_fields=["email"])
    return person


def member(d: SimpleNamespace, name: str, *positions: str, active: bool = True) -> Staff:
    given, family = name.split()
    staff = f.staff(d.run, given, family, active=active)
    for position in positions:
        f.staff_role(d.run, staff, d.school, position)
    return addressed(staff, f"{given}.{family}@district.example".lower())


def refusal(email: str) -> r.SsoRefusal:
    with pytest.raises(r.SsoRefusal) as caught:
        staff_login(email, provider=ISSUER, subject="sub-1")
    return caught.value


def test_it_matches_the_roster_address_whatever_its_case(run: SimpleNamespace) -> None:
    tess = member(run, "Tess Turner", Position.TEACHER)
    user = staff_login("TESS.turner@district.example", provider=ISSUER, subject="sub-1")
    assert Account.objects.get(user_id=user.pk).staff == tess


@pytest.mark.parametrize(
    ("positions", "role"),
    [
        ((Position.TEACHER,), Role.TEACHER),
        ((Position.NURSE,), Role.NURSE),
        ((Position.COUNSELOR,), Role.COUNSELOR),
        ((Position.SPECIAL_EDUCATION,), Role.SPECIAL_EDUCATION),
        ((Position.PRINCIPAL,), Role.PRINCIPAL),
        ((Position.TEACHER, Position.PRINCIPAL), Role.PRINCIPAL),
        ((Position.TEACHER, Position.COUNSELOR), Role.COUNSELOR),
        ((Position.AIDE,), None),
        ((Position.RECORDS_CUSTODIAN,), None),
        ((Position.DISTRICT_ADMINISTRATOR,), None),
    ],
)
def test_a_first_sign_in_gets_the_role_of_the_current_position(
    run: SimpleNamespace, positions: tuple[str, ...], role: str | None
) -> None:
    member(run, "Sam Shah", *positions)
    if role is None:
        assert refusal("sam.shah@district.example").code == r.NO_ROLE
        assert not User.objects.exists()
        return
    user = staff_login("sam.shah@district.example", provider=ISSUER, subject="sub-1")
    assert Account.objects.get(user_id=user.pk).role == role


def test_a_position_that_ended_or_is_at_a_closed_school_gives_no_role(
    run: SimpleNamespace,
) -> None:
    staff = member(run, "Pete Price")
    f.staff_role(run.run, staff, run.school, Position.PRINCIPAL, f.days(-900), f.days(-1))
    closed = f.org(run.run, "Old Mill School")
    closed.active = False
    closed.save(update_fields=["active"])
    f.staff_role(run.run, staff, closed, Position.TEACHER)
    assert role_for(staff, f.today()) is None
    assert refusal("pete.price@district.example").code == r.NO_ROLE


def test_it_refuses_staff_the_roster_disabled_or_marked_inactive(run: SimpleNamespace) -> None:
    member(run, "Rita Reyes", Position.TEACHER, active=False)
    disabled = member(run, "Dora Diaz", Position.TEACHER)
    disabled.enabled = False
    disabled.save(update_fields=["enabled"])
    assert refusal("rita.reyes@district.example").code == r.INACTIVE_STAFF
    assert refusal("dora.diaz@district.example").code == r.INACTIVE_STAFF


def test_it_signs_in_a_rehired_member_of_staff_as_the_current_row(run: SimpleNamespace) -> None:
    member(run, "Olga Ortiz", Position.TEACHER, active=False)
    current = member(run, "Olga Ortiz", Position.TEACHER)
    user = staff_login("olga.ortiz@district.example", provider=ISSUER, subject="sub-1")
    assert Account.objects.get(user_id=user.pk).staff == current


def test_it_refuses_an_address_two_active_staff_rows_share(run: SimpleNamespace) -> None:
    member(run, "Carl Cruz", Position.TEACHER)
    member(run, "Carl Cruz", Position.COUNSELOR)
    found = refusal("carl.cruz@district.example")
    assert found.code == r.AMBIGUOUS
    assert not User.objects.exists()


def test_it_refuses_a_staff_member_with_two_staff_logins(run: SimpleNamespace) -> None:
    nina = member(run, "Nina Nolan", Position.NURSE)
    f.login("nina", Role.NURSE, staff=nina)
    f.login("nina2", Role.TEACHER, staff=nina)
    assert refusal("nina.nolan@district.example").code == r.AMBIGUOUS


def test_it_signs_in_a_privacy_officer_whose_login_the_office_created(
    run: SimpleNamespace,
) -> None:
    officer = member(run, "Opal Owens", Position.RECORDS_CUSTODIAN)
    login = f.login("opal", Role.PRIVACY_OFFICER, staff=officer)
    assert staff_login("opal.owens@district.example", provider=ISSUER, subject="s") == login


def test_it_never_takes_over_a_login_that_has_the_address_as_its_name(
    run: SimpleNamespace,
) -> None:
    member(run, "Tess Turner", Position.TEACHER)
    squatter = User.objects.create_user("Tess.Turner@district.example")
    found = refusal("tess.turner@district.example")
    assert found.code == r.USERNAME_TAKEN
    assert not Account.objects.filter(user=squatter).exists()


@pytest.mark.parametrize("who", ["guardian", "student", "vendor contact"])
def test_it_refuses_families_and_providers(run: SimpleNamespace, who: str) -> None:
    email = "someone@district.example"
    if who == "guardian":
        addressed(f.guardian(run.run, "Gail", "Garcia"), email)
    elif who == "student":
        addressed(f.student(run.run, "Ann", "Adams"), email)
    else:
        vendor = Vendor.objects.create(name="Quizzly", created_at=timezone.now())
        VendorContact.objects.create(
            vendor=vendor, name="Vic Vance", email=email, role=ContactRole.PRIMARY
        )
    before = Entry.objects.count()
    assert refusal(email).code == r.NOT_STAFF
    assert not User.objects.exists()
    assert Entry.objects.count() == before  # the caller records the refusal, once


def test_the_creation_entry_names_the_staff_member_and_the_provider(
    run: SimpleNamespace,
) -> None:
    tess = member(run, "Tess Turner", Position.TEACHER)
    staff_login("tess.turner@district.example", provider=ISSUER, subject="g-123")
    entry = Entry.objects.order_by("-seq").first()
    assert entry is not None and entry.action == Action.CREATE
    detail = json.loads(entry.detail)
    assert detail == {
        "username": "tess.turner@district.example",
        "role": Role.TEACHER,
        "staff": tess.sourced_id,
        "provider": ISSUER,
        "subject": "g-123",
    }
