"""The sharing engine: exactly what may leave the district under one agreement (issue #7).

`plan_for(agreement, at=...)` answers, for the moment `at`:

- whether anything may be shared at all (R71): the agreement allows sharing (ACTIVE or
  EXPIRING, not another district's), `at` falls within its dates (from `start_date`, until it
  expires on `end_date`), and, if it names products, one of them passed vetting; otherwise
  `SharingRefused`, with a message that says why;
- which students: those its scope covers among the currently enrolled (`steward.sharing.scope`),
  minus those left out by their families' decisions (`steward.sharing.exclusions`);
- which OneRoster files and columns: those whose Exhibit B elements the agreement lists
  (`steward.sharing.columns`, R109). Never passwords. Demographics and special indicators only
  when allowed; guardians only when a Parent/Guardian element is allowed; classes, courses,
  sessions, enrollments and teachers only with "Schedule: student scheduled courses";
- which classes, teachers, guardians, schools, courses and sessions go with those students.

The plan is data; the CSV export (`steward.sharing.package`) and the OneRoster REST API both
send what it allows and nothing else. Reading the roster here is the district's disclosure
path, not a staff read: the disclosure itself is what the ledger records (`disclosure.py`).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.bases import FerpaBasis
from steward.catalog.elements import ELEMENTS, EXHIBIT_B
from steward.roster.models import (
    AcademicSession,
    Course,
    Enrollment,
    GuardianRelationship,
    Org,
    Section,
    SectionTerm,
    StaffRole,
)
from steward.sharing import columns as cols
from steward.sharing import exclusions, rules, scope
from steward.sharing.columns import GUARDIAN, STAFF, STUDENT, Pair
from steward.sharing.models import Feed
from steward.sharing.pseudonym import Pseudonymizer
from steward.sharing.sql import raw
from steward.vendors.models import Agreement, AgreementStatus, AppStatus

_CATALOG = {element.key: element for element in ELEMENTS}
_ORDER = {
    (category, name): (i, j)
    for i, (category, names) in enumerate(EXHIBIT_B.items())
    for j, name in enumerate(names)
}
LOCAL_ID: Pair = ("Student Identifiers", "Local (school district) ID number")
PARENT_ID: Pair = ("Parent/Guardian ID", "Parent ID number")
APPROVED = (AppStatus.APPROVED, AppStatus.APPROVED_WITH_GUARDIAN_RELEASE)
# The OneRoster files (keys without ".csv") in the order a package lists them.
FILES = (
    "orgs",
    "academicSessions",
    "courses",
    "classes",
    "users",
    "roles",
    "demographics",
    "enrollments",
)


class SharingRefused(ValidationError):
    """Nothing may be shared; the message (translated) says why."""


@dataclass(frozen=True)
class Plan:
    """What may be sent to one vendor at one moment. Immutable; cheap to pass around."""

    agreement_id: int
    vendor_id: int
    at: dt.datetime
    version: str  # "1.1" or "1.2": the OneRoster version the feed uses
    student_ids: frozenset[int]
    staff_ids: frozenset[int]  # teachers of the shared classes
    guardian_ids: frozenset[int]  # empty unless parent data is allowed
    section_ids: frozenset[int]
    org_ids: frozenset[int]
    # "users.csv" -> the columns allowed on every row of the file, in spec order. A file
    # that is not a key may not be sent at all.
    columns: Mapping[str, tuple[str, ...]]
    elements: tuple[Pair, ...]  # the Exhibit B pairs this plan relies on
    excluded: Mapping[str, int]  # reason key (exclusions.REASONS) -> students left out
    pseudonymous: bool
    # Beyond the shared contract: "users.csv:student" -> the columns a row of that kind may
    # carry (staff and guardian rows differ from students').
    row_columns: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    course_ids: frozenset[int] = frozenset()
    session_ids: frozenset[int] = frozenset()
    # The district organisation students are linked to when school enrollment is withheld.
    district_org_id: int | None = None
    parts: tuple[str, ...] = ()  # catalog record parts sent about students (ledger scopes)
    basis: str = ""
    # Sections left out because the package could not be valid OneRoster (no course or no
    # term in the roster): {"no_course": n, "no_term": n}.
    skipped_sections: Mapping[str, int] = field(default_factory=dict)

    @functools.cached_property
    def _pseudonymizer(self) -> Pseudonymizer:
        return Pseudonymizer(self.vendor_id)

    def sourced_id(self, kind: str, real_id: str) -> str:
        """The sourcedId this vendor sees for the record `real_id` of OneRoster type `kind`
        ("users", "orgs", "classes", "courses", "academicSessions", "enrollments", "roles"):
        the real one, or its pseudonym (`steward.sharing.pseudonym`). Demographics rows use
        kind "users": their sourcedId is the user's."""
        if not self.pseudonymous:
            return real_id
        return self._pseudonymizer(kind, real_id)

    def allows(self, file: str, column: str, kind: str = STUDENT) -> bool:
        """Whether a row of `kind` in `file` ("users.csv") may carry `column`."""
        return column in self.row_columns.get(f"{file}:{kind}", self.columns.get(file, ()))

    def kinds(self, file: str) -> tuple[str, ...]:
        """The kinds of row `file` ("users.csv") carries in this plan."""
        prefix = f"{file}:"
        return tuple(key[len(prefix) :] for key in self.row_columns if key.startswith(prefix))


def feed_settings(agreement: Agreement) -> dict[str, object]:
    """The agreement's Feed settings, or the defaults when it has none."""
    feed = Feed.objects.filter(agreement_id=agreement.pk).first()
    if feed is None:
        return dict(Feed.DEFAULTS) | {"requested_columns": {}}
    return {
        "version": feed.version,
        "pseudonymous": feed.pseudonymous,
        "recruiter": feed.recruiter,
        "requested_columns": feed.requested_columns,
    }


def refusal(agreement: Agreement, at: dt.datetime) -> str | None:
    """Why nothing may be shared under `agreement` at `at` (translated), or None (R71)."""
    if agreement.external:
        return _(
            "“%(title)s” is another district's agreement, imported from a registry: it never "
            "allows sharing this district's data (R71)."
        ) % {"title": agreement.title}
    if not agreement.allows_sharing:
        return _(
            "“%(title)s” is %(status)s: only an active agreement allows student data to be "
            "shared (R71)."
        ) % {"title": agreement.title, "status": AgreementStatus(agreement.status).label}
    day = timezone.localdate(at)
    if agreement.start_date is not None and day < agreement.start_date:
        return _("“%(title)s” does not start until %(day)s: nothing may be shared before.") % {
            "title": agreement.title,
            "day": agreement.start_date.isoformat(),
        }
    if agreement.end_date is not None and day >= agreement.end_date:
        return _("“%(title)s” ended on %(day)s: nothing may be shared after its end (R71).") % {
            "title": agreement.title,
            "day": agreement.end_date.isoformat(),
        }
    products = list(agreement.products.values_list("name", "status"))
    if products and not any(status in APPROVED for _name, status in products):
        return _(
            "None of the products under “%(title)s” has passed vetting (%(products)s): "
            "nothing may be shared until one is approved (R71)."
        ) % {"title": agreement.title, "products": ", ".join(name for name, _s in products)}
    return None


def elements_of(agreement: Agreement) -> frozenset[Pair]:
    """The agreement's Exhibit B pairs; anything malformed is ignored (never widens)."""
    pairs: set[Pair] = set()
    for item in agreement.data_elements or ():
        if isinstance(item, list | tuple) and len(item) == 2:
            pair = (str(item[0]), str(item[1]))
            if pair in _ORDER:
                pairs.add(pair)
    return frozenset(pairs)


def plan_for(agreement: Agreement, *, at: dt.datetime | None = None) -> Plan:
    """What may be shared with the agreement's vendor at `at` (default: now).

    Raises SharingRefused unless the agreement allows sharing (ACTIVE or EXPIRING, not
    external), `at` is within its dates, and its products (if any) passed vetting; also when
    its scope is not set or its rule does not read.
    """
    at = at or timezone.now()
    reason = refusal(agreement, at)
    if reason is not None:
        raise SharingRefused(reason, code="not_allowed")
    feed = feed_settings(agreement)
    version = str(feed["version"])
    pseudonymous = bool(feed["pseudonymous"])
    elements = elements_of(agreement)
    row_columns = _row_columns(version, elements)
    student_keys = _student_catalog_keys(row_columns, pseudonymous)
    parts = tuple(sorted({_CATALOG[key].scope for key in student_keys}))
    day = timezone.localdate(at)

    candidates = _in_scope(agreement, day)
    left_out = _left_out(agreement, candidates, parts, student_keys, at, bool(feed["recruiter"]))
    students = frozenset(candidates.difference(*left_out.values()))
    built = _Related(students, day, agreement, row_columns).build()
    district = _district_org()
    school_link = cols.TABLE[("roles", STUDENT)]["orgSourcedId"]
    if students and district is None and not cols.allowed(school_link, elements):
        raise SharingRefused(
            _(
                "The agreement withholds students' school enrollment, and the roster has "
                "no district organisation to link students to instead."
            ),
            code="no_district",
        )
    orgs = _with_ancestors(built.orgs | ({district} if district else set()))
    return Plan(
        agreement_id=agreement.pk,
        vendor_id=agreement.vendor_id,
        at=at,
        version=version,
        student_ids=students,
        staff_ids=frozenset(built.staff),
        guardian_ids=frozenset(built.guardians),
        section_ids=frozenset(built.sections),
        org_ids=frozenset(orgs),
        columns=_file_columns(version, row_columns, elements),
        elements=_plan_elements(row_columns, pseudonymous, bool(students), bool(built.guardians)),
        excluded={key: len(ids) for key, ids in left_out.items() if ids},
        pseudonymous=pseudonymous,
        row_columns={f"{f}.csv:{k}": tuple(v) for (f, k), v in row_columns.items()},
        course_ids=frozenset(built.courses),
        session_ids=frozenset(built.sessions),
        district_org_id=district,
        parts=parts,
        basis=agreement.ferpa_basis,
        skipped_sections=built.skipped,
    )


# -- columns ----------------------------------------------------------------------------------


def _row_columns(version: str, elements: frozenset[Pair]) -> dict[tuple[str, str], list[str]]:
    """(file, kind) -> allowed columns, for every file and kind of row the plan sends."""
    schedule = cols.SCHEDULE in elements
    guardians = any(category in cols.GUARDIAN_CATEGORIES for category, _n in elements)
    out: dict[tuple[str, str], list[str]] = {}

    def add(file: str, kind: str) -> None:
        out[(file, kind)] = cols.allowed_columns(file, kind, version, elements)

    add("orgs", "")
    kinds = [STUDENT] + ([STAFF] if schedule else []) + ([GUARDIAN] if guardians else [])
    for kind in kinds:
        add("users", kind)
        if version == "1.2":
            add("roles", kind)
    head = {"sourcedId", "status", "dateLastModified"}
    demographics = cols.allowed_columns("demographics", STUDENT, version, elements)
    if set(demographics) - head:
        out[("demographics", STUDENT)] = demographics
    if schedule:
        for file in ("academicSessions", "courses", "classes"):
            add(file, "")
        add("enrollments", STUDENT)
        add("enrollments", STAFF)
    return out


def _file_columns(
    version: str, row_columns: dict[tuple[str, str], list[str]], elements: frozenset[Pair]
) -> dict[str, tuple[str, ...]]:
    """file.csv -> the columns every kind of row in it may carry, in header order."""
    kinds: dict[str, list[set[str]]] = defaultdict(list)
    for (file, _kind), names in row_columns.items():
        kinds[file].append(set(names))
    out: dict[str, tuple[str, ...]] = {}
    for file in FILES:
        if file in kinds:
            common = set.intersection(*kinds[file])
            header = cols.header(file, version, elements)
            out[f"{file}.csv"] = tuple(name for name in header if name in common)
    return out


def _student_catalog_keys(
    row_columns: dict[tuple[str, str], list[str]], pseudonymous: bool
) -> set[str]:
    """The catalog elements the plan sends about students (guardian rows included: they are
    the student's parents)."""
    keys: set[str] = set()
    for (file, kind), names in row_columns.items():
        if kind in (STUDENT, GUARDIAN):
            for name in names:
                keys.update(cols.carried(file, kind, name).catalog)
    if ("enrollments", STUDENT) in row_columns:
        keys.add("roster.Enrollment.section")
    if not pseudonymous:
        keys.add("roster.Student.sourced_id")
        if ("users", GUARDIAN) in row_columns:
            keys.add("roster.Guardian.sourced_id")
    return {key for key in keys if key in _CATALOG}


def _plan_elements(
    row_columns: dict[tuple[str, str], list[str]],
    pseudonymous: bool,
    any_students: bool,
    any_guardians: bool,
) -> tuple[Pair, ...]:
    pairs: set[Pair] = set()
    for (file, kind), names in row_columns.items():
        for name in names:
            pairs.update(cols.carried(file, kind, name).elements)
    if ("enrollments", STUDENT) in row_columns:
        pairs.add(cols.SCHEDULE)
    if not pseudonymous and any_students:
        pairs.add(LOCAL_ID)  # the SIS id, sent as the sourcedId
    if not pseudonymous and any_guardians:
        pairs.add(PARENT_ID)
    return tuple(sorted(pairs, key=lambda p: _ORDER[p]))


# -- students ---------------------------------------------------------------------------------


def _in_scope(agreement: Agreement, day: dt.date) -> set[int]:
    if not agreement.scope_kind:
        raise SharingRefused(
            _("The agreement does not say which students it covers."), code="no_scope"
        )
    try:
        return set(scope.in_scope(agreement, day).values_list("pk", flat=True))
    except rules.RuleError as exc:
        raise SharingRefused(rule_message(exc), code="bad_rule") from exc


def rule_message(exc: rules.RuleError) -> str:
    """A translated explanation of a rule that does not read."""
    messages = {
        "empty": _("The rule is empty."),
        "too_long": _("The rule is too long."),
        "too_deep": _("The rule nests parentheses or “not” too deeply."),
        "unexpected_character": _("Unexpected character"),
        "unexpected_text": _("Unexpected text after the end of the rule"),
        "expected_field": _("Expected a field name"),
        "unknown_field": _("Unknown field"),
        "expected_operator": _("Expected =, !=, contains, in or not in"),
        "expected_open": _("Expected “(” after in"),
        "expected_close": _("Expected “)”"),
        "expected_value": _("Expected a value"),
        "empty_value": _("A value is empty"),
    }
    what = messages.get(exc.code, exc.code)
    where = _("at character %(n)d") % {"n": exc.position + 1}
    found = f" “{exc.found}”" if exc.found else ""
    fields = ", ".join(rules.FIELDS)
    return _("The scope rule cannot be read: %(what)s%(found)s %(where)s. Fields: %(fields)s.") % {
        "what": what,
        "found": found,
        "where": where,
        "fields": fields,
    }


def _left_out(
    agreement: Agreement,
    candidates: set[int],
    parts: tuple[str, ...],
    student_keys: set[str],
    at: dt.datetime,
    recruiter: bool,
) -> dict[str, set[int]]:
    out: dict[str, set[int]] = {}
    release = list(
        agreement.products.filter(status=AppStatus.APPROVED_WITH_GUARDIAN_RELEASE).values_list(
            "name", flat=True
        )
    )
    if release and candidates:
        names = [agreement.vendor.name, *release]
        out[exclusions.GUARDIAN_RELEASE] = exclusions.without_release(candidates, names, parts, at)
    if agreement.ferpa_basis == FerpaBasis.A11 and candidates:
        for key, ids in exclusions.directory_refusals(
            candidates, student_keys, at, to_recruiter=recruiter
        ).items():
            out.setdefault(key, set()).update(ids)
    if recruiter and candidates:
        out.setdefault(exclusions.RECRUITER_OPT_OUT, set()).update(
            exclusions.recruiter_opted_out(candidates, at)
        )
    return out


# -- what goes with the students ------------------------------------------------------------


class _Related:
    """The classes, teachers, guardians, schools, courses and sessions of a set of students."""

    def __init__(
        self,
        students: frozenset[int],
        day: dt.date,
        agreement: Agreement,
        row_columns: dict[tuple[str, str], list[str]],
    ) -> None:
        self.students = students
        self.day = day
        self.agreement = agreement
        self.row_columns = row_columns
        self.sections: set[int] = set()
        self.staff: set[int] = set()
        self.guardians: set[int] = set()
        self.orgs: set[int] = set()
        self.courses: set[int] = set()
        self.sessions: set[int] = set()
        self.skipped: dict[str, int] = {}

    def build(self) -> _Related:
        if not self.students:
            return self
        if ("enrollments", STUDENT) in self.row_columns:
            self._classes()
        if ("users", GUARDIAN) in self.row_columns:
            self.guardians = {
                guardian
                for guardian, student in GuardianRelationship.objects.filter(
                    active=True, access_restricted=False, guardian__active=True
                )
                .values_list("guardian_id", "student_id")
                .iterator(chunk_size=20000)
                if student in self.students
            }
        school_link = cols.TABLE[("roles", STUDENT)]["orgSourcedId"]
        agreement_elements = elements_of(self.agreement)
        if cols.allowed(school_link, agreement_elements):
            self.orgs.update(
                school
                for student, school in scope.current_memberships(self.day)
                .values_list("student_id", "school_id")
                .iterator(chunk_size=20000)
                if student in self.students
            )
        return self

    def _classes(self) -> None:
        wanted: set[int] | None = None
        if self.agreement.scope_kind == "sections":
            wanted = set(self.agreement.scope_sections.values_list("pk", flat=True))
        # One pass over the current enrollments: the students' classes, and every teacher's.
        candidates: set[int] = set()
        teaching: list[tuple[int, int]] = []
        current = Enrollment.objects.filter(scope.current(self.day), active=True)
        for student, staff, section in raw(
            current.values_list("student_id", "staff_id", "section_id")
        ):
            if student is None:
                teaching.append((staff, section))
            elif student in self.students and (wanted is None or section in wanted):
                candidates.add(section)
        terms: dict[int, set[int]] = defaultdict(set)
        for section, term in SectionTerm.objects.values_list("section_id", "term_id").iterator(
            chunk_size=20000
        ):
            if section in candidates:
                terms[section].add(term)
        no_course = no_term = 0
        for pk, course, school in (
            Section.objects.filter(active=True)
            .values_list("pk", "course_id", "school_id")
            .iterator(chunk_size=20000)
        ):
            if pk not in candidates:
                continue
            if course is None:
                no_course += 1
            elif not terms.get(pk):
                no_term += 1
            else:
                self.sections.add(pk)
                self.courses.add(course)
                self.orgs.add(school)
                self.sessions.update(terms[pk])
        self.skipped = {k: v for k, v in (("no_course", no_course), ("no_term", no_term)) if v}
        self.staff = {staff for staff, section in teaching if section in self.sections}
        self.orgs.update(
            org
            for pk, org in Course.objects.values_list("pk", "org_id").iterator(chunk_size=20000)
            if pk in self.courses
        )
        self.orgs.update(
            org
            for staff, org in StaffRole.objects.filter(scope.current(self.day))
            .values_list("staff_id", "org_id")
            .iterator(chunk_size=20000)
            if staff in self.staff
        )
        parents = dict(AcademicSession.objects.values_list("pk", "parent_id"))
        for term in list(self.sessions):
            seen = 0
            parent = parents.get(term)
            while parent is not None and parent not in self.sessions and seen < 16:
                self.sessions.add(parent)
                parent = parents.get(parent)
                seen += 1


def _district_org() -> int | None:
    """The district organisation: the first active org of type district, top-level first."""
    districts = Org.objects.filter(type=Org.Type.DISTRICT, active=True).order_by("pk")
    top = districts.filter(parent__isnull=True).values_list("pk", flat=True).first()
    return top if top is not None else districts.values_list("pk", flat=True).first()


def _with_ancestors(orgs: set[int]) -> set[int]:
    """`orgs` and every organisation above them (their parents are referenced)."""
    if not orgs:
        return orgs
    parents = dict(Org.objects.values_list("pk", "parent_id"))
    out = set(orgs)
    for org in orgs:
        parent, seen = parents.get(org), 0
        while parent is not None and parent not in out and seen < 16:
            out.add(parent)
            parent, seen = parents.get(parent), seen + 1
    return out
