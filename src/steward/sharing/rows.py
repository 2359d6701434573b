"""The rows of each OneRoster file a plan allows, as full spec-order rows (issue #7 item 2).

`Rows(plan, change)` (`steward.sharing.people`) yields, per file, `(kind, status, values)`:
every defined column of the file in spec order (extension columns last), with every sourcedId,
reference included, as the vendor sees it (`Plan.sourced_id`). Minimization is not done here
but in `package.Minimizer`, which blanks each column the plan does not allow for the row's
kind; this module only reads the roster. `change` (a `Change`) restricts the rows to what a
delta sends.

Reads go over whole tables in chunks, filtered against the plan's id sets in Python, rather
than through `IN` lists of hundreds of thousands of ids that neither database takes well.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Model
from django.utils import timezone

from steward.roster.models import AcademicSession, Course, ImportRun, Org, Section, SectionTerm
from steward.sharing.engine import Plan
from steward.sharing.sql import CHUNK, raw, text_dates

__all__ = ["CHUNK", "raw", "text_dates"]  # re-exported for the row builders

ACTIVE, DELETED = "active", "tobedeleted"
Row = tuple[str, str, list[str]]  # (kind, status, values)


def date(value: dt.date | str | None) -> str:
    """A OneRoster date; `raw` rows hold SQLite's text form already (YYYY-MM-DD)."""
    if not value:
        return ""
    return value if isinstance(value, str) else value.isoformat()


def stamp(value: dt.datetime | str | None) -> str:
    """A OneRoster dateTime: UTC with milliseconds (oneroster.md §1.5). Text is SQLite's form
    of an aware datetime, stored in UTC."""
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)
    utc = value.astimezone(dt.UTC)
    return f"{utc:%Y-%m-%dT%H:%M:%S}.{utc.microsecond // 1000:03d}Z"


def boolean(value: bool | None) -> str:
    return "" if value is None else ("true" if value else "false")


@dataclass
class Change:
    """What a delta compares against: the rows the vendor holds (`held`, by file key as in
    `Export.sent`) and the newest import it saw (`mark`); rows of later imports are changed.
    `since_day`: the day of the baseline export, for links that ended by date alone."""

    held: dict[str, frozenset[int]]
    mark: int
    since_day: dt.date


class BaseRows:
    """Helpers shared by every file, and the files without personal data."""

    def __init__(self, plan: Plan, change: Change | None = None) -> None:
        self.plan = plan
        self.change = change
        self.day = timezone.localdate(plan.at)
        self.v11 = plan.version == "1.1"
        self.sid = plan.sourced_id
        # What the vendor holds after this package, by file key (`Export.sent_ids`).
        self.sent: dict[str, set[int]] = {}
        self.picked: dict[str, tuple[set[int], set[int]]] = {}  # key -> (active, deleted)
        self.concerned: set[int] = set()  # students some active row is about
        self.sent_schedule = False  # whether a student's class enrollment was written
        self.ids: dict[str, dict[int, str]] = {}  # file key -> {pk: written sourcedId}
        self._finished = {
            pk: finished
            for pk, finished in ImportRun.objects.values_list("pk", "finished_at").iterator()
        }

    # -- helpers ----------------------------------------------------------------------------

    def modified(self, modified: dt.datetime | str | None, run: int) -> str:
        if self.change is None:
            return ""
        return stamp(modified or self._finished.get(run) or self.plan.at)

    def status(self, deleted: bool) -> str:
        if self.change is None:
            return ""
        return DELETED if deleted else ACTIVE

    def pick(
        self, key: str, wanted: frozenset[int], changed: set[int]
    ) -> tuple[set[int], set[int]]:
        """(rows to send active, rows to send tobedeleted) for file key `key`.

        Bulk: every wanted row. Delta: rows the vendor lacks or that changed, and rows it
        holds that are no longer wanted."""
        self.sent[key] = set(wanted)
        if self.change is None:
            picked: tuple[set[int], set[int]] = (set(wanted), set())
        else:
            held = self.change.held.get(key, frozenset())
            picked = ({pk for pk in wanted if pk not in held or pk in changed}, set(held - wanted))
        self.picked[key] = picked
        return picked

    def changed(self, model: type[Model], wanted: frozenset[int] | set[int]) -> set[int]:
        """Rows of `model` among `wanted` written by an import after the baseline."""
        if self.change is None:
            return set()
        mark = self.change.mark
        return {
            pk
            for pk, run in model._default_manager.filter(last_import_id__gt=mark)
            .values_list("pk", "last_import_id")
            .iterator(chunk_size=CHUNK)
            if pk in wanted and run > mark
        }

    def map(self, key: str, model: type[Model], pks: set[int] | frozenset[int]) -> dict[int, str]:
        """{pk: written sourcedId} for rows of `model`; kept for the references to them."""
        found = self.ids.setdefault(key, {})
        sid = self.sid
        kind = "users" if key.startswith("users") else key
        missing = set(pks) - found.keys()
        if missing:
            for pk, sourced in model._default_manager.values_list("pk", "sourced_id").iterator(
                chunk_size=CHUNK
            ):
                if pk in missing:
                    found[pk] = sid(kind, sourced)
        return found

    # -- structure files --------------------------------------------------------------------

    def orgs(self) -> Iterator[Row]:
        plan = self.plan
        active, deleted = self.pick("orgs", plan.org_ids, self.changed(Org, plan.org_ids))
        ids = self.map("orgs", Org, active | deleted | set(plan.org_ids))
        for pk, name, type_, identifier, parent, modified, run in Org.objects.values_list(
            "pk", "name", "type", "identifier", "parent_id", "date_last_modified", "last_import"
        ).iterator(chunk_size=CHUNK):
            if pk in active or pk in deleted:
                parent_sid = ids.get(parent, "") if parent in plan.org_ids else ""
                yield (
                    "",
                    self.status(pk in deleted),
                    [
                        ids[pk],
                        self.status(pk in deleted),
                        self.modified(modified, run),
                        name,
                        type_,
                        identifier,
                        parent_sid,
                    ],
                )

    def academic_sessions(self) -> Iterator[Row]:
        plan = self.plan
        wanted = plan.session_ids
        active, deleted = self.pick(
            "academicSessions", wanted, self.changed(AcademicSession, wanted)
        )
        ids = self.map("academicSessions", AcademicSession, active | deleted | set(wanted))
        fields = ("pk", "title", "type", "start_date", "end_date", "parent_id", "school_year")
        for pk, title, type_, start, end, parent, year, modified, run in (
            AcademicSession.objects.values_list(*fields, "date_last_modified", "last_import")
        ).iterator(chunk_size=CHUNK):
            if pk in active or pk in deleted:
                yield (
                    "",
                    self.status(pk in deleted),
                    [
                        ids[pk],
                        self.status(pk in deleted),
                        self.modified(modified, run),
                        title,
                        type_,
                        date(start),
                        date(end),
                        ids.get(parent, "") if parent in wanted else "",
                        str(year),
                    ],
                )

    def courses(self) -> Iterator[Row]:
        plan = self.plan
        wanted = plan.course_ids
        active, deleted = self.pick("courses", wanted, self.changed(Course, wanted))
        ids = self.map("courses", Course, active | deleted | set(wanted))
        orgs = self.map("orgs", Org, set(plan.org_ids))
        sessions_by_sid = {
            sourced: self.ids.get("academicSessions", {}).get(pk, "")
            for pk, sourced in AcademicSession.objects.values_list("pk", "sourced_id")
            if pk in plan.session_ids
        }
        fields = ("pk", "title", "course_code", "grades", "org_id", "school_year_sourced_id")
        for (
            pk,
            title,
            code,
            grades,
            org,
            year,
            subjects,
            modified,
            run,
        ) in Course.objects.values_list(
            *fields, "subjects", "date_last_modified", "last_import"
        ).iterator(chunk_size=CHUNK):
            if pk in active or pk in deleted:
                yield (
                    "",
                    self.status(pk in deleted),
                    [
                        ids[pk],
                        self.status(pk in deleted),
                        self.modified(modified, run),
                        sessions_by_sid.get(year, ""),
                        title,
                        code,
                        grades,
                        orgs.get(org, ""),
                        subjects,
                        "",
                    ],
                )

    def classes(self) -> Iterator[Row]:
        plan = self.plan
        wanted = plan.section_ids
        active, deleted = self.pick("classes", wanted, self.changed(Section, wanted))
        ids = self.map("classes", Section, active | deleted | set(wanted))
        courses = self.map("courses", Course, set(plan.course_ids))
        orgs = self.map("orgs", Org, set(plan.org_ids))
        sessions = self.ids.get("academicSessions", {})
        terms: dict[int, list[str]] = defaultdict(list)
        for section, term in SectionTerm.objects.values_list("section_id", "term_id").iterator(
            chunk_size=CHUNK
        ):
            if (section in active or section in deleted) and term in sessions:
                terms[section].append(sessions[term])
        fields = ("pk", "title", "grades", "course_id", "class_code", "class_type", "location")
        for (
            pk,
            title,
            grades,
            course,
            code,
            type_,
            location,
            school,
            subjects,
            periods,
            mod,
            run,
        ) in Section.objects.values_list(
            *fields, "school_id", "subjects", "periods", "date_last_modified", "last_import"
        ).iterator(chunk_size=CHUNK):
            if pk in active or pk in deleted:
                yield (
                    "",
                    self.status(pk in deleted),
                    [
                        ids[pk],
                        self.status(pk in deleted),
                        self.modified(mod, run),
                        title,
                        grades,
                        courses.get(course, ""),
                        code,
                        type_,
                        location,
                        orgs.get(school, ""),
                        ",".join(sorted(terms.get(pk, ()))),
                        subjects,
                        "",
                        periods,
                    ],
                )


def role_sourced_id(plan: Plan, user: str, org: str, role: str) -> str:
    """A stable sourcedId for a generated roles.csv row (Steward keeps no role ids)."""
    if plan.pseudonymous:
        return plan.sourced_id("roles", f"{user}|{org}|{role}")
    return "role-" + hashlib.sha256(f"{user}|{org}|{role}".encode()).hexdigest()[:32]
