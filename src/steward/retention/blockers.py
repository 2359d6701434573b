"""What stops a destruction (R29, R102, R104), for many students at once.

A student's due items are destroyed only when none of these holds:

- ``no_notice`` / ``notice_undelivered``: the exit notice of R102 was never generated, or not
  yet delivered (acknowledged by the family or delivery recorded by the office);
- ``legal_hold``: a legal hold is in force (R104);
- ``open_request``: an access or inspection request is outstanding (99.10(e), R29, R104);
- ``open_hearing``: a hearing on the record is open (R104);
- ``open_amendment``: a request to amend the record awaits its decision: the items it
  contests must survive until it is decided (R34, stricter than R104 asks);
- ``enrolled_again``: the student is active on the roster again, with a current school.

The requests and amendments apps answer through their selectors, imported when needed so that
this module loads without them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from steward.retention.models import ExitNotice, LegalHold
from steward.roster.models import Student, StudentSchool

NO_NOTICE = "no_notice"
NOTICE_UNDELIVERED = "notice_undelivered"
LEGAL_HOLD = "legal_hold"
OPEN_REQUEST = "open_request"
OPEN_HEARING = "open_hearing"
OPEN_AMENDMENT = "open_amendment"
ENROLLED_AGAIN = "enrolled_again"

LABELS: dict[str, Promise] = {
    NO_NOTICE: _("no exit notice (R102)"),
    NOTICE_UNDELIVERED: _("exit notice not delivered yet (R102)"),
    LEGAL_HOLD: _("legal hold (R104)"),
    OPEN_REQUEST: _("open access request (R29)"),
    OPEN_HEARING: _("open hearing (R104)"),
    OPEN_AMENDMENT: _("amendment request awaiting decision"),
    ENROLLED_AGAIN: _("enrolled again"),
}


def open_requests(at: dt.date) -> set[int]:
    from steward.requests.selectors import students_with_open_requests

    return set(students_with_open_requests(at))


def open_hearings(at: dt.date) -> set[int]:
    from steward.amendments.selectors import students_with_open_hearings

    return set(students_with_open_hearings(at))


def open_amendments(at: dt.date) -> set[int]:
    from steward.amendments.selectors import students_with_open_amendments

    return set(students_with_open_amendments(at))


def held(student_ids: Iterable[int]) -> set[int]:
    """Students with a legal hold in force. One query."""
    return set(
        LegalHold.objects.filter(student_id__in=list(student_ids), released_at__isnull=True)
        .values_list("student_id", flat=True)
        .distinct()
    )


def enrolled_again(student_ids: Iterable[int], at: dt.date) -> set[int]:
    """Students active on the roster with a school membership that has not ended. One query."""
    current = StudentSchool.objects.filter(student=OuterRef("pk")).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=at)
    )
    return set(
        Student.objects.filter(pk__in=list(student_ids), active=True)
        .filter(Exists(current))
        .values_list("pk", flat=True)
    )


def blockers(exits: dict[int, int], at: dt.date) -> dict[int, list[str]]:
    """Each student's blockers on day `at`, from `exits` (student id → open exit id).

    Students with no blocker are absent from the result. Six queries plus those of the
    requests and amendments selectors, whatever the number of students.
    """
    found: dict[int, list[str]] = defaultdict(list)
    notices = dict(
        ExitNotice.objects.filter(exit_id__in=list(exits.values())).values_list(
            "exit_id", "delivered_at"
        )
    )
    ids = set(exits)
    for student_id, exit_id in exits.items():
        if exit_id not in notices:
            found[student_id].append(NO_NOTICE)
        elif notices[exit_id] is None:
            found[student_id].append(NOTICE_UNDELIVERED)
    for code, students in (
        (LEGAL_HOLD, held(ids)),
        (OPEN_REQUEST, open_requests(at) & ids),
        (OPEN_HEARING, open_hearings(at) & ids),
        (OPEN_AMENDMENT, open_amendments(at) & ids),
        (ENROLLED_AGAIN, enrolled_again(ids, at)),
    ):
        for student_id in students:
            found[student_id].append(code)
    return dict(found)
