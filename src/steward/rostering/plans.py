"""What one agreement's sharing plan lets the API show, with the lookups the API needs.

The sharing engine (`steward.sharing.engine.plan_for`) decides what may leave: students,
staff, guardians, classes and orgs by primary key, the CSV columns per file and kind of row,
and whether sourcedIds are pseudonymous. Building a plan reads the whole roster (seconds at
tier L), so a `View` wraps one plan with what serving it over REST needs and is cached per
process until its `fingerprint` changes (one cheap query per request):

- each id set as an `IdSet` (SQL membership at any size, sorted for paging);
- the columns each kind of row may carry;
- the public sourcedId of any row (`public`) and the row behind a public sourcedId
  (`resolve`), so pseudonyms are used everywhere, paths and filters included.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from django.db.models import Model, OuterRef, Q, Subquery
from django.utils import timezone

from steward.consents.models import (
    DirectoryNotice,
    DirectoryOptOut,
    DirectoryOptOutWithdrawal,
    DisclosureConsent,
    DisclosureConsentRevocation,
)
from steward.roster.models import (
    AcademicSession,
    Course,
    Enrollment,
    Guardian,
    ImportRun,
    Org,
    RosterVersion,
    Section,
    Staff,
    Student,
)
from steward.rostering.membership import IdSet
from steward.sharing import columns as sharing_columns
from steward.sharing.disclosure import record_disclosure
from steward.sharing.engine import Plan, SharingRefused, plan_for
from steward.sharing.models import Feed
from steward.vendors.models import Agreement, Product

__all__ = ["Plan", "SharingRefused", "View", "record_disclosure", "view_for"]

STUDENT, STAFF, GUARDIAN = sharing_columns.STUDENT, sharing_columns.STAFF, sharing_columns.GUARDIAN
KIND_MODEL: dict[str, type[Model]] = {STUDENT: Student, STAFF: Staff, GUARDIAN: Guardian}
_CACHE_SIZE = 8


def _pks(model: type[Model]) -> frozenset[int]:
    return frozenset(model._default_manager.values_list("pk", flat=True))


class View:
    """One plan, ready to serve. Thread-safe: built once, lazily extended under a lock."""

    plan: Plan

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.pseudonymous = bool(plan.pseudonymous)
        self.students = IdSet(frozenset(plan.student_ids), lambda: _pks(Student))
        self.staff = IdSet(frozenset(plan.staff_ids), lambda: _pks(Staff))
        self.guardians = IdSet(frozenset(plan.guardian_ids), lambda: _pks(Guardian))
        self.sections = IdSet(frozenset(plan.section_ids), lambda: _pks(Section))
        self.orgs = IdSet(frozenset(plan.org_ids), lambda: _pks(Org))
        self.courses = IdSet(frozenset(plan.course_ids), lambda: _pks(Course))
        self.sessions = IdSet(_with_descendants(plan.session_ids), lambda: _pks(AcademicSession))
        self.district_org_id = plan.district_org_id
        self._lock = threading.Lock()
        self._columns: dict[tuple[str, str], frozenset[str]] = {}
        self._reverse: dict[str, dict[str, str]] = {}

    def people(self, kind: str) -> IdSet:
        return {STUDENT: self.students, STAFF: self.staff, GUARDIAN: self.guardians}[kind]

    # -- columns ---------------------------------------------------------------------------

    def columns(self, file: str, kind: str = "") -> frozenset[str]:
        """The columns of `file` the plan sends for rows of `kind` (empty: file not sent)."""
        key = (file, kind)
        found = self._columns.get(key)
        if found is None:
            found = frozenset(self.plan.row_columns.get(f"{file}.csv:{kind}", ()))
            self._columns[key] = found
        return found

    def allows(self, file: str, column: str, kind: str = "") -> bool:
        return column in self.columns(file, kind)

    def school_links(self, kind: str) -> bool:
        """Whether rows of `kind` may say which schools they belong to (roles.csv in 1.2,
        users.orgSourcedIds in a 1.1 feed)."""
        return self.allows("roles", "orgSourcedId", kind) or self.allows(
            "users", "orgSourcedIds", kind
        )

    def sends(self, file: str, kind: str = "") -> bool:
        return bool(self.columns(file, kind))

    # -- sourcedIds ------------------------------------------------------------------------

    def public(self, file: str, real: str) -> str:
        """The sourcedId the vendor sees for the row with real sourcedId `real`."""
        if not real:
            return ""
        return self.plan.sourced_id(file, real) if self.pseudonymous else real

    def resolve(self, file: str, public: str) -> str | None:
        """The real sourcedId behind a public one, among the rows the plan shows, or None."""
        if not self.pseudonymous:
            return public
        reverse = self._reverse.get(file)
        if reverse is None:
            with self._lock:
                reverse = self._reverse.get(file)
                if reverse is None:
                    reverse = {self.plan.sourced_id(file, real): real for real in self._reals(file)}
                    self._reverse[file] = reverse
        return reverse.get(public)

    def _reals(self, file: str) -> Iterable[str]:
        def ids(model: type[Model], members: IdSet) -> Iterable[str]:
            rows = model._default_manager.filter(members.q()).values_list("sourced_id", flat=True)
            return rows.iterator(chunk_size=20_000)

        if file == "users":
            for kind, model in KIND_MODEL.items():
                yield from ids(model, self.people(kind))
        elif file == "classes":
            yield from ids(Section, self.sections)
        elif file == "orgs":
            yield from ids(Org, self.orgs)
        elif file == "courses":
            yield from ids(Course, self.courses)
        elif file == "academicSessions":
            yield from ids(AcademicSession, self.sessions)
        elif file == "enrollments":
            for kind in (STUDENT, STAFF):
                rows = Enrollment.objects.filter(self.enrollment_q(kind)).values_list(
                    "sourced_id", flat=True
                )
                yield from rows.iterator(chunk_size=20_000)

    def enrollment_q(self, kind: str) -> Q:
        """Enrollments of `kind` (student or staff) the plan shows: on its classes, of its
        students or its staff, and only if it sends that kind of enrollment at all."""
        if not self.sends("enrollments", kind):
            return Q(pk__in=[])
        person = self.students.q("student_id") if kind == STUDENT else self.staff.q("staff_id")
        return self.sections.q("section_id") & person


def _with_descendants(sessions: frozenset[int]) -> frozenset[int]:
    """The plan's sessions and those below them: the grading periods of a shared term are
    structure a vendor needs (`/terms/{id}/gradingPeriods`), and hold no personal data."""
    parent = dict(AcademicSession.objects.values_list("pk", "parent_id"))
    keep = set(sessions)
    while True:
        more = {pk for pk, up in parent.items() if up in keep and pk not in keep}
        if not more:
            return frozenset(keep)
        keep |= more


_cache: OrderedDict[int, tuple[tuple[Any, ...], float, View]] = OrderedDict()
_cache_lock = threading.Lock()


def fingerprint(agreement: Agreement) -> tuple[Any, ...]:
    """Everything a plan depends on that can change without a new plan being asked for, read
    in ONE query: the agreement and its feed and products, the roster stamp (every change to
    the relationships, `steward.roster.version`), the latest import, the latest family
    decision of every kind (consents are history rows: a new decision is a new row), and
    the day (who is currently enrolled depends on it)."""

    def newest(model: type[Model], field: str = "pk") -> Subquery:
        return Subquery(model._default_manager.order_by(f"-{field}").values(field)[:1])

    row = (
        Agreement.objects.filter(pk=agreement.pk)
        .annotate(
            feed_at=Subquery(Feed.objects.filter(agreement=OuterRef("pk")).values("updated_at")),
            products_at=Subquery(
                Product.objects.filter(agreements=OuterRef("pk"))
                .order_by("-status_changed_at")
                .values("status_changed_at")[:1]
            ),
            roster=Subquery(RosterVersion.objects.values("value")[:1]),
            run=newest(ImportRun),
            **{f"c{i}": newest(model) for i, model in enumerate(_DECISIONS)},
        )
        .values_list(
            "updated_at",
            "status",
            "feed_at",
            "products_at",
            "roster",
            "run",
            *(f"c{i}" for i in range(len(_DECISIONS))),
        )
        .first()
    )
    return (*(row or ()), timezone.localdate())


_DECISIONS: tuple[type[Model], ...] = (
    DirectoryNotice,
    DirectoryOptOut,
    DirectoryOptOutWithdrawal,
    DisclosureConsent,
    DisclosureConsentRevocation,
)
# A plan is rebuilt at least this often even when nothing above changed, for what no stamp
# covers (a directory category's designation, an edit outside the actions).
MAX_AGE_SECONDS = 300.0


def view_for(agreement: Agreement) -> View:
    """The View of the agreement's current plan, rebuilt whenever `fingerprint` changes;
    raises `SharingRefused` when the agreement shares nothing."""
    stamp = fingerprint(agreement)
    now = time.monotonic()
    with _cache_lock:
        cached = _cache.get(agreement.pk)
        if cached is not None and cached[0] == stamp and now - cached[1] < MAX_AGE_SECONDS:
            _cache.move_to_end(agreement.pk)
            return cached[2]
    view = View(plan_for(agreement))
    with _cache_lock:
        _cache[agreement.pk] = (stamp, now, view)
        _cache.move_to_end(agreement.pk)
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return view


def reset() -> None:
    """Forget every cached view (tests)."""
    with _cache_lock:
        _cache.clear()
