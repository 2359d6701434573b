"""Models of amendment requests, hearings and what families place in the record."""

from steward.amendments.models.family import Addition, Statement
from steward.amendments.models.hearings import AttestationMethod, Hearing, Schedule
from steward.amendments.models.requests import (
    HEARING_STATUSES,
    OPEN_STATUSES,
    AmendmentRequest,
    Decision,
    Ground,
    Item,
    ItemKind,
    Letter,
    LetterKind,
    Outcome,
    Reminder,
    ReminderKind,
    RequesterKind,
    Stage,
    Status,
)

__all__ = [
    "HEARING_STATUSES",
    "OPEN_STATUSES",
    "Addition",
    "AmendmentRequest",
    "AttestationMethod",
    "Decision",
    "Ground",
    "Hearing",
    "Item",
    "ItemKind",
    "Letter",
    "LetterKind",
    "Outcome",
    "Reminder",
    "ReminderKind",
    "RequesterKind",
    "Schedule",
    "Stage",
    "Statement",
    "Status",
]
