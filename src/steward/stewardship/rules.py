"""Who must confirm the annual privacy training, and whether they have (R44, R138).

Public, stable API (the student-record page calls the last two):

* `training_period(at) -> TrainingPeriod`: the training period containing `at`;
* `training_status(user, at) -> Status`: `current`, `overdue` or `not_required`;
* `record_access_blocked(user, at) -> bool`: overdue *and* the district enforces "block".

**The training period** is the school year: it starts on `TRAINING_YEAR_STARTS` (July 1) and
ends the day before the next start (June 30), in district time (`settings.TIME_ZONE`). It is
labelled by its two calendar years, e.g. "2026-2027". An attestation is current when it was
made in the period containing `at`, on or before `at`; so every staff member becomes overdue
on July 1 until they confirm again.

**Who must confirm**: every account with record access, that is the privacy officer and every
staff role (principal, teacher, counselor, nurse, special-education staff). Guardians,
accounts without a role (a bare superuser, say) and anonymous visitors are `not_required`.

**Enforcement** is the district setting `STEWARD_TRAINING_ENFORCEMENT` (`steward.config`):
"warn" (the default) reminds at login only; "block" also blocks record access while overdue.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q

from steward import config, schoolyear
from steward.accounts.models import RECORD_ACCESS_ROLES
from steward.accounts.selectors import account_of
from steward.schoolyear import SchoolYear
from steward.stewardship.models import TrainingAttestation

# (month, day) on which each training period begins: the school year's start, July 1.
TRAINING_YEAR_STARTS: tuple[int, int] = schoolyear.STARTS

User = AbstractBaseUser | AnonymousUser

WARN = "warn"
BLOCK = "block"

REQUIRED_ROLES = RECORD_ACCESS_ROLES


class Status(StrEnum):
    """A user's training status; compares equal to its plain string value."""

    CURRENT = "current"
    OVERDUE = "overdue"
    NOT_REQUIRED = "not_required"


# The training period is the school year (steward.schoolyear); these names are the module's API.
TrainingPeriod = SchoolYear
local_date = schoolyear.local_date


def training_period(at: dt.date | dt.datetime) -> TrainingPeriod:
    """The training period (school year) containing `at`."""
    return schoolyear.containing(at)


def is_required(user: User | None) -> bool:
    """Whether `user` must confirm the annual training (an account with record access)."""
    account = account_of(user)
    return account is not None and account.role in REQUIRED_ROLES


def training_status(user: User, at: dt.date | dt.datetime) -> Status:
    """`user`'s training status at `at` (an aware datetime, or a district date: end of day).

    `user` is a Django user (or AnonymousUser). At most two queries: the account, unless
    already loaded on the user, and one EXISTS over the user's attestations.
    """
    account = account_of(user)
    if account is None or account.role not in REQUIRED_ROLES:
        return Status.NOT_REQUIRED
    made = TrainingAttestation.objects.filter(
        confirmed_by(at), user_id=account.user_id, confirmed_at__gte=training_period(at).begins_at
    )
    return Status.CURRENT if made.exists() else Status.OVERDUE


def confirmed_by(at: dt.date | dt.datetime, prefix: str = "") -> Q:
    """Q for attestations made on or before `at` (a date counts to its end, district time).

    `prefix` reaches the attestation through a relation. Shared with the officer's overdue
    list so that both always agree.
    """
    if isinstance(at, dt.datetime):
        local_date(at)  # refuses a naive datetime
        return Q(**{f"{prefix}confirmed_at__lte": at})
    return Q(**{f"{prefix}confirmed_at__lt": schoolyear.start_of(at + dt.timedelta(days=1))})


def enforcement() -> str:
    """The district setting: `WARN` (default) or `BLOCK` (`STEWARD_TRAINING_ENFORCEMENT`)."""
    return config.training_enforcement()


def record_access_blocked(user: User, at: dt.date | dt.datetime) -> bool:
    """Whether `user` may not open student records at `at` for want of training (R44, R138).

    True only when the district enforces "block" and `training_status(user, at)` is overdue;
    under "warn" it is always False and costs no query.
    """
    return enforcement() == BLOCK and training_status(user, at) is Status.OVERDUE
