"""What every amendment action shares: who is acting, and the ledger's purposes.

Purposes are written in the district's language (they are the ledger's, R56); the family reads
them in their access log (R66).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied

from steward.accounts.selectors import account_of, is_privacy_office
from steward.amendments.models import RequesterKind
from steward.rights.selectors import can_act
from steward.roster.models import Guardian, Student

PURPOSE_REQUEST = "amendment request (R34, R37)"
PURPOSE_WITHDRAW = "amendment request withdrawn (R34)"
PURPOSE_DECISION = "amendment decision (R34)"
PURPOSE_AMEND = "record amended at the family's request (R34, R35)"
PURPOSE_HEARING = "amendment hearing (R35, R36)"
PURPOSE_STATEMENT = "family statement placed with a contested item (R35)"
PURPOSE_ADDITION = "material added to the record by the family (R37, 603 CMR 23.08(1))"
PURPOSE_REMINDER = "amendment deadline reminder to the privacy office (R34, R36)"


def name_of(user: Any) -> str:
    """A user's name as letters and decisions show it."""
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


def require_privacy_office(user: Any) -> None:
    """Only the records custodian decides requests and runs hearings (R61(2))."""
    if not is_privacy_office(user):
        raise PermissionDenied("only the privacy office decides amendment requests")


@dataclass(frozen=True)
class Requester:
    """The rights holder acting: a guardian, or the student with their own login."""

    kind: str
    guardian: Guardian | None
    name: str


def requester(user: Any, student: Student) -> Requester:
    """The rights holder `user` acts as for `student`, if they hold the right to ask for an
    amendment today (R9–R15, R17: `steward.rights`); PermissionDenied otherwise."""
    account = account_of(user)
    if account is None or not can_act(account, student.pk, "amend"):
        raise PermissionDenied("only a parent or eligible student may ask for an amendment")
    if account.student_id == student.pk:
        return Requester(RequesterKind.STUDENT, None, student.display_name)
    assert account.guardian_id is not None  # can_act: a guardian or the student themself
    guardian = Guardian.objects.get(pk=account.guardian_id)
    return Requester(RequesterKind.GUARDIAN, guardian, guardian.display_name)
