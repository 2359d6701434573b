"""Read-only queries behind the stewardship pages (R44, R138).

Each function runs a fixed number of queries whatever the size of the district and returns
plain values, so templates never touch the database (the tests pin the counts).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import OuterRef, Q, Subquery

from steward.accounts.models import Account
from steward.accounts.selectors import current
from steward.roster.models import Org, Staff, StaffRole
from steward.stewardship import rules
from steward.stewardship.models import RecordsCustodian, TrainingAttestation

# How many past namings the custodian page lists.
HISTORY_LENGTH = 100


def works_at(staff: Staff, school: Org, at: dt.date) -> bool:
    """Whether `staff` is active and holds a position at `school` current on `at`. One query."""
    if not staff.active:
        return False
    return StaffRole.objects.filter(current(at), staff=staff, org=school).exists()


def current_custodian(school: Org) -> RecordsCustodian | None:
    """The school's records custodian now: its latest `RecordsCustodian` row. One query."""
    rows = RecordsCustodian.objects.select_related("staff").filter(school=school)
    return rows.order_by("-named_at", "-pk").first()


@dataclass(frozen=True)
class SchoolCustodian:
    """One school, its current custodian (if any) and the staff who could be named."""

    school_id: int
    school_name: str
    custodian: RecordsCustodian | None
    candidates: tuple[Staff, ...]


def school_custodians(at: dt.date) -> list[SchoolCustodian]:
    """Every active school by name, with its current custodian and its staff on `at`.

    Three queries: the schools (each with the id of its latest custodian row), those rows,
    and the schools' current staff positions.
    """
    latest = RecordsCustodian.objects.filter(school=OuterRef("pk")).order_by("-named_at", "-pk")
    schools = list(
        Org.objects.filter(type=Org.Type.SCHOOL, active=True)
        .annotate(custodian_id=Subquery(latest.values("pk")[:1]))
        .order_by("name", "sourced_id")
        .only("pk", "name")
    )
    ids = [s.custodian_id for s in schools if s.custodian_id is not None]
    custodians = RecordsCustodian.objects.select_related("staff", "named_by").in_bulk(ids)
    staff_of: dict[int, dict[int, Staff]] = {s.pk: {} for s in schools}
    roles = (
        StaffRole.objects.filter(current(at), org_id__in=list(staff_of), staff__active=True)
        .select_related("staff")
        .order_by("staff__family_name", "staff__given_name", "staff__sourced_id")
    )
    for role in roles:
        staff_of[role.org_id].setdefault(role.staff_id, role.staff)
    return [
        SchoolCustodian(
            school_id=s.pk,
            school_name=s.name,
            custodian=custodians.get(s.custodian_id),
            candidates=tuple(staff_of[s.pk].values()),
        )
        for s in schools
    ]


def custodian_history(limit: int = HISTORY_LENGTH) -> list[RecordsCustodian]:
    """The latest `limit` namings, newest first, with school, staff and namer. One query."""
    rows = RecordsCustodian.objects.select_related("school", "staff", "named_by")
    return list(rows.order_by("-named_at", "-pk")[:limit])


def attestations_of(user: AbstractBaseUser) -> list[TrainingAttestation]:
    """The user's own confirmations, newest first. One query."""
    rows = TrainingAttestation.objects.filter(user_id=user.pk).defer("text")
    return list(rows.order_by("-confirmed_at", "-pk"))


@dataclass(frozen=True)
class Overdue:
    """A staff account without a current confirmation, and its latest one if any."""

    username: str
    name: str
    role: str
    last_confirmed_at: dt.datetime | None
    last_period: str


@dataclass(frozen=True)
class TrainingReport:
    """Who must confirm the training in `period` and who has not, as of `at`."""

    at: dt.datetime | dt.date
    period: rules.TrainingPeriod
    required: int
    overdue: tuple[Overdue, ...]

    @property
    def current(self) -> int:
        return self.required - len(self.overdue)


def training_report(at: dt.datetime | dt.date) -> TrainingReport:
    """Active accounts that must confirm (`rules.REQUIRED_ROLES`) and are overdue at `at`.

    Sorted by family name; agrees with `rules.training_status` for each account. Two queries:
    the count of accounts that must confirm, and the overdue ones with their latest
    confirmation on or before `at`.
    """
    period = rules.training_period(at)
    accounts = Account.objects.filter(role__in=rules.REQUIRED_ROLES, user__is_active=True)
    required = accounts.count()
    latest = TrainingAttestation.objects.filter(
        rules.confirmed_by(at), user_id=OuterRef("user_id")
    ).order_by("-confirmed_at", "-pk")
    overdue = (
        accounts.annotate(
            last_at=Subquery(latest.values("confirmed_at")[:1]),
            last_period=Subquery(latest.values("period")[:1]),
        )
        .filter(Q(last_at__isnull=True) | Q(last_at__lt=period.begins_at))
        .select_related("user", "staff")
    )
    rows = sorted(
        (
            _sort_key(account),
            Overdue(
                username=account.user.get_username(),
                name=(
                    account.staff.display_name
                    if account.staff is not None
                    else account.user.get_full_name() or account.user.get_username()
                ),
                role=account.get_role_display(),
                last_confirmed_at=account.last_at,
                last_period=account.last_period or "",
            ),
        )
        for account in overdue
    )
    return TrainingReport(
        at=at, period=period, required=required, overdue=tuple(row for _key, row in rows)
    )


def _sort_key(account: Account) -> tuple[str, str, str]:
    """By family name, given name, login: the roster's names for staff, else the login's."""
    if account.staff is not None:
        family, given = account.staff.family_name, account.staff.given_name
    else:
        family, given = account.user.last_name, account.user.first_name
    return (family.casefold(), given.casefold(), account.user.get_username())
