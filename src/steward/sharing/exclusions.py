"""Students left out of a plan because of what their families decided (R45–R50, R85–R88, R23).

Each function takes the candidate students and answers {reason key: students to leave out};
the engine removes them all and counts them per reason (a student left out for two reasons
counts under each).

* Guardian release (R73 "approved with guardian release", R127): when one of the agreement's
  products is APPROVED_WITH_GUARDIAN_RELEASE, only students with a release in force are
  shared. A release is a `steward.consents` `DisclosureConsent` (signed by a guardian or the
  eligible student, with its purpose, expiry and revocation) whose recipient names the vendor
  or one of those products (compared without regard to case or spacing) and whose record parts
  include every part the plan sends about students.
* Directory information (R85–R88): under FERPA basis A11 every student detail sent must be
  directory information the student may have disclosed: a designated category (and, in
  Massachusetts, one allowed there), after the annual notice's opt-out window, without an
  opt-out in force. Each catalog element the plan sends is checked against the categories
  holding it; an element in no category is not directory information, and nobody's may go.
* Recruiters (R23, 20 U.S.C. 7908): a recipient marked as a military recruiter or an
  institution of higher education never receives a student with the recruiter opt-out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from steward.consents import rules as consent_rules
from steward.consents.models import DirectoryCategory, DirectoryOptOut, DisclosureConsent

GUARDIAN_RELEASE = "guardian_release"
DIRECTORY_OPT_OUT = "directory_opt_out"
DIRECTORY_NOTICE = "directory_notice"
NOT_DIRECTORY = "not_directory_information"
RECRUITER_OPT_OUT = "recruiter_opt_out"
CHUNK = 5000
REASONS = (GUARDIAN_RELEASE, DIRECTORY_OPT_OUT, DIRECTORY_NOTICE, NOT_DIRECTORY, RECRUITER_OPT_OUT)

_DIRECTORY_REASONS = {
    consent_rules.Reason.OPTED_OUT: DIRECTORY_OPT_OUT,
    consent_rules.Reason.OPTED_OUT_ALL: DIRECTORY_OPT_OUT,
    consent_rules.Reason.RECRUITER_OPT_OUT: RECRUITER_OPT_OUT,
    consent_rules.Reason.NO_NOTICE: DIRECTORY_NOTICE,
    consent_rules.Reason.WINDOW_OPEN: DIRECTORY_NOTICE,
}


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def without_release(
    students: set[int], recipients: Iterable[str], parts: Iterable[str], at: dt.datetime
) -> set[int]:
    """The students among `students` with no guardian release in force at `at` naming one of
    `recipients` and covering every record part in `parts`.

    One query over the consents in force (not over the students: a district's consents are
    far fewer than its students)."""
    names = {_norm(r) for r in recipients if r.strip()}
    needed = set(parts)
    released: set[int] = set()
    rows = (
        DisclosureConsent.objects.filter(signed_at__lte=at, expires_on__gte=timezone.localdate(at))
        .exclude(revocation__revoked_at__lte=at)
        .values_list("student_id", "recipient", "scopes")
    )
    for student_id, recipient, scopes in rows.iterator(chunk_size=5000):
        if student_id in students and _norm(recipient) in names and needed <= set(scopes or ()):
            released.add(student_id)
    return students - released


def directory_refusals(
    students: set[int], catalog_keys: Iterable[str], at: dt.datetime, *, to_recruiter: bool
) -> dict[str, set[int]]:
    """Under basis A11: {reason: students} whose sent details are not disclosable as directory
    information at `at` (R85–R88)."""
    keys = set(catalog_keys)
    out: dict[str, set[int]] = {}
    covered: set[str] = set()
    ids = sorted(students)
    for category in DirectoryCategory.objects.all():
        touched = keys & set(category.elements)
        if not touched:
            continue
        covered |= touched
        for start in range(0, len(ids), CHUNK):  # the answer names each id in an IN list
            answers = consent_rules.directory_disclosable(
                ids[start : start + CHUNK], category.key, at, to_recruiter=to_recruiter
            )
            for student_id, (ok, reason) in answers.items():
                if not ok:
                    reason_key = _DIRECTORY_REASONS.get(reason, NOT_DIRECTORY)
                    out.setdefault(reason_key, set()).add(student_id)
    if keys - covered:
        out.setdefault(NOT_DIRECTORY, set()).update(students)
    # Even a bare (pseudonymous) row says "this student attends": an opt-out of all directory
    # information keeps the student out whatever is sent.
    opted_all = opted_out(students, DirectoryOptOut.Kind.ALL, at)
    if opted_all:
        out.setdefault(DIRECTORY_OPT_OUT, set()).update(opted_all)
    return out


def opted_out(students: set[int], kind: str, at: dt.datetime) -> set[int]:
    """Students with an opt-out of `kind` in force at `at`. One query."""
    opted = (
        DirectoryOptOut.objects.filter(kind=kind, made_at__lte=at)
        .exclude(withdrawal__withdrawn_at__lte=at)
        .values_list("student_id", flat=True)
    )
    return students & set(opted)


def recruiter_opted_out(students: set[int], at: dt.datetime) -> set[int]:
    """Students with the recruiter opt-out (R23) in force at `at`. One query."""
    return opted_out(students, DirectoryOptOut.Kind.RECRUITERS, at)
