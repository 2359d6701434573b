"""Rows about people: users.csv, roles.csv (1.2), demographics.csv and enrollments.csv.

Students, then the teachers of the shared classes, then the students' parents and guardians
(only those whose link is active and not barred by a documented court order or restriction,
R17). A user's school link is their current school memberships when the plan allows
"Student school enrollment", and the district otherwise (`Plan.district_org_id`).

In a delta, a person is re-sent when an import after the baseline changed them or one of
their links (school memberships, staff roles, guardian links), or a link ended by date since;
and sent `tobedeleted` when they left the plan. roles.csv rows go with their user.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from operator import itemgetter
from typing import Any

from steward.roster.models import (
    Enrollment,
    Guardian,
    GuardianRelationship,
    Org,
    Person,
    Section,
    SpecialIndicators,
    Staff,
    StaffRole,
    Student,
    StudentDemographics,
    StudentSchool,
)
from steward.roster.oneroster import spec
from steward.sharing import columns as cols
from steward.sharing import scope
from steward.sharing.columns import GUARDIAN, STAFF, STUDENT
from steward.sharing.rows import (
    CHUNK,
    BaseRows,
    Row,
    boolean,
    date,
    raw,
    role_sourced_id,
    text_dates,
)

# users.csv columns in the order `Rows._people` and its callers fill them; the last is the
# blank every column Steward does not send takes (password among them).
FLAT = (
    "sourcedId", "status", "dateLastModified", "enabledUser", "username", "givenName",
    "familyName", "middleName", "identifier", "email", "sms", "phone", "preferredGivenName",
    "orgSourcedIds", "role", "userIds", "agentSourcedIds", "grades", "primaryOrgSourcedId", "",
)  # fmt: skip
# The fields every person row reads, in `Rows._people`'s order.
PEOPLE = (
    "pk", "sourced_id", "username", "given_name", "family_name", "middle_name",
    "preferred_given_name", "identifier", "email", "sms", "phone", "enabled",
    "date_last_modified", "last_import",
)  # fmt: skip
_SEX = {"1.1": frozenset(spec.SEX_11), "1.2": frozenset(spec.SEX_12)}
_ADMIN = {"principal", "siteAdministrator", "districtAdministrator", "systemAdministrator"}
Link = tuple[int, bool, Any, Any, int]  # (org, primary, begin, end, last import)


def role_11(role: str) -> str:
    """A staff member's OneRoster 1.1 users.role."""
    if role in spec.ROLES_11:
        return role
    return "administrator" if role in _ADMIN else "teacher"


def role_12(role: str) -> str:
    """A staff member's OneRoster 1.2 roles.role."""
    if role in spec.ROLES_12:
        return role
    return "siteAdministrator" if role == "administrator" else "teacher"


class Rows(BaseRows):
    """Every file's rows for one plan (and, for a delta, one baseline)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.school_link = cols.SCHOOL_ENROLLMENT in self.plan.elements
        self.day_text = self.day.isoformat()
        self._guardian_orgs: dict[int, list[str]] = {}
        self._links: dict[str, dict[int, list[Link]]] = {}
        self._agents: dict[int, list[tuple[int, str]]] | None = None
        self._sections_of: dict[int, set[int]] | None = None

    # -- links ------------------------------------------------------------------------------

    def student_links(self) -> dict[int, list[Link]]:
        """Every school membership of a student: {student: [(school, primary, begin, end,
        run)]}, primary first."""
        if "student" not in self._links:
            out: dict[int, list[Link]] = defaultdict(list)
            query = text_dates(StudentSchool.objects.all()).values_list(
                "student_id", "school_id", "primary", "begin", "end", "last_import"
            )
            for student, *link in raw(query):
                out[student].append(tuple(link))
            for links in out.values():
                links.sort(key=lambda link: (not link[1], link[0]))
            self._links["student"] = out
        return self._links["student"]

    def staff_links(self) -> dict[int, list[tuple[int, bool, Any, Any, int, str]]]:
        """Every staff role: {staff: [(org, primary, begin, end, run, OneRoster role)]}."""
        if "staff" not in self._links:
            out: dict[int, list[Any]] = defaultdict(list)
            query = text_dates(StaffRole.objects.all()).values_list(
                "staff_id", "org_id", "primary", "begin", "end", "last_import", "oneroster_role"
            )
            for staff, *link in raw(query):
                out[staff].append(tuple(link))
            for links in out.values():
                links.sort(key=lambda link: (not link[1], link[0]))
            self._links["staff"] = out
        return self._links["staff"]  # type: ignore[return-value]

    def agents(self) -> dict[int, list[tuple[int, str]]]:
        """{guardian: [(student, relationship kind)]} for the plan's guardians and students."""
        if self._agents is None:
            out: dict[int, list[tuple[int, str]]] = defaultdict(list)
            students, guardians = self.plan.student_ids, self.plan.guardian_ids
            for guardian, student, kind in raw(
                GuardianRelationship.objects.filter(
                    active=True, access_restricted=False
                ).values_list("guardian_id", "student_id", "kind")
            ):
                if guardian in guardians and student in students:
                    out[guardian].append((student, kind))
            self._agents = out
        return self._agents

    def teaching(self) -> dict[int, set[int]]:
        """{staff: schools of the shared sections they teach}."""
        if self._sections_of is None:
            schools = dict(Section.objects.values_list("pk", "school_id"))
            out: dict[int, set[int]] = defaultdict(set)
            for staff, section in (
                Enrollment.objects.filter(scope.current(self.day), active=True, staff__isnull=False)
                .values_list("staff_id", "section_id")
                .iterator(chunk_size=CHUNK)
            ):
                if section in self.plan.section_ids and staff in self.plan.staff_ids:
                    out[staff].add(schools[section])
            self._sections_of = out
        return self._sections_of

    def current(self, begin: str | None, end: str | None) -> bool:
        """Whether a link's dates (ISO text, `text_dates`) contain the plan's day."""
        day = self.day_text
        return (begin is None or begin <= day) and (end is None or end >= day)

    def ended_since(self, begin: str | None, end: str | None, run: int) -> bool:
        """A link no longer current that the vendor may still hold (delta only)."""
        assert self.change is not None
        since = self.change.since_day.isoformat()
        return not self.current(begin, end) and (
            run > self.change.mark or (end is not None and end >= since)
        )

    def link_changes(self, links: dict[int, list[Any]]) -> set[int]:
        if self.change is None:
            return set()
        return {
            owner
            for owner, rows in links.items()
            if any(
                link[4] > self.change.mark or self.ended_since(link[2], link[3], link[4])
                for link in rows
            )
        }

    def org_ids(self) -> dict[int, str]:
        """{pk: written sourcedId} of every org (few), for links the plan sends."""
        if "all-orgs" not in self.ids:
            self.ids["all-orgs"] = {
                pk: self.sid("orgs", sourced)
                for pk, sourced in Org.objects.values_list("pk", "sourced_id")
            }
        return self.ids["all-orgs"]

    def district(self) -> str:
        district = self.plan.district_org_id
        return self.org_ids().get(district, "") if district is not None else ""

    # -- users.csv --------------------------------------------------------------------------

    def users(self) -> Iterator[Row]:
        kinds = self.plan.kinds("users.csv")
        if GUARDIAN in kinds:  # students' rows name their parents
            self.map("users:guardian", Guardian, set(self.plan.guardian_ids))
        yield from self._students()
        if STAFF in kinds:
            yield from self._staff()
        if GUARDIAN in kinds:
            yield from self._guardians()

    def _people(
        self, model: type[Person], key: str, active: set[int], deleted: set[int], *extra: str
    ) -> Iterator[tuple[list[Any], list[Any], str]]:
        """For each person of `active` or `deleted`: the first `COMMON` values of their
        users.csv row, their `extra` fields, and their status. The caller appends the rest
        of `FLAT` and puts the row in the version's order with `arrange`."""
        ids = self.ids.setdefault(key, {})
        sid = None if not self.plan.pseudonymous else self.sid
        bulk = self.change is None
        status, modified = self.status, self.modified
        query = model._default_manager.values_list(*PEOPLE, *extra)
        for pk, sourced, username, given, family, middle, preferred, identifier, email, sms, \
                phone, enabled, mod, run, *more in raw(query):  # fmt: skip
            gone = pk in deleted
            if not gone and pk not in active:
                continue
            written = ids.get(pk) or (sid("users", sourced) if sid else sourced)
            ids[pk] = written
            state = "" if bulk else status(gone)
            yield [
                written, state, "" if bulk else modified(mod, run),
                "true" if enabled else "false", username, given, family, middle, identifier,
                email, sms, phone, preferred,
            ], more, state  # fmt: skip

    def arrange(self) -> Any:
        """Puts a `FLAT` row in the users.csv column order of the plan's version."""
        names = self.names("users")
        blank = len(FLAT) - 1
        return itemgetter(*[FLAT.index(name) if name in FLAT else blank for name in names])

    def _students(self) -> Iterator[Row]:
        plan = self.plan
        wanted = plan.student_ids
        changed = self.changed(Student, wanted) | self.link_changes(self.student_links())
        if self.change is not None:
            changed |= {s for s in self._agent_changes() if s in wanted}
        active, deleted = self.pick("users:student", wanted, changed)
        self.concerned |= active
        guardians = self.ids.get("users:guardian", {})
        grouped: dict[int, list[str]] = defaultdict(list)
        for guardian, links in self.agents().items():
            for student, _kind in links:
                grouped[student].append(guardians[guardian])
        parents = {student: ",".join(sorted(ids)) for student, ids in grouped.items()}
        arrange = self.arrange()
        orgs_of = self.student_orgs_all()
        district = [self.district()]
        for common, (pk, grade, user_ids), state in self._people(
            Student, "users:student", active, deleted, "pk", "grade", "user_ids"
        ):
            orgs = orgs_of.get(pk) or district
            common += [",".join(orgs), "student", user_ids, parents.get(pk, ""), grade, orgs[0], ""]
            yield STUDENT, state, list(arrange(common))

    def _agent_changes(self) -> set[int]:
        """Students whose guardian links an import changed after the baseline."""
        assert self.change is not None
        mark = self.change.mark
        return set(
            GuardianRelationship.objects.filter(last_import_id__gt=mark).values_list(
                "student_id", flat=True
            )
        )

    def _staff(self) -> Iterator[Row]:
        plan = self.plan
        wanted = plan.staff_ids
        changed = self.changed(Staff, wanted) | self.link_changes(self.staff_links())
        active, deleted = self.pick("users:staff", wanted, changed)
        arrange = self.arrange()
        for common, (pk,), status in self._people(Staff, "users:staff", active, deleted, "pk"):
            orgs, role = self.staff_orgs(pk, gone=pk in deleted)
            primary = orgs[0] if orgs else ""
            common += [",".join(orgs), role_11(role), "", "", "", primary, ""]
            yield STAFF, status, list(arrange(common))

    def staff_orgs(self, staff: int, *, gone: bool = False) -> tuple[list[str], str]:
        """The sent orgs (any orgs, for a member who left the plan) a staff member holds a
        current role at, and their main role; or the schools of the classes they teach."""
        orgs = self.org_ids()
        held = [
            (orgs[link[0]], link[5])
            for link in self.staff_links().get(staff, ())
            if self.current(link[2], link[3]) and (gone or link[0] in self.plan.org_ids)
        ]
        if held:
            return list(dict.fromkeys(org for org, _r in held)), held[0][1]
        schools = sorted(orgs[s] for s in self.teaching().get(staff, ()) if s in self.plan.org_ids)
        return schools or [self.district()], "teacher"

    def _guardians(self) -> Iterator[Row]:
        plan = self.plan
        wanted = plan.guardian_ids
        changed = self.changed(Guardian, wanted)
        if self.change is not None:
            mark = self.change.mark
            changed |= set(
                GuardianRelationship.objects.filter(last_import_id__gt=mark).values_list(
                    "guardian_id", flat=True
                )
            )
        active, deleted = self.pick("users:guardian", wanted, changed)
        students = self.ids.get("users:student") or self.map(
            "users:student", Student, set(plan.student_ids)
        )
        agents = self.agents()
        self.concerned.update(s for g in active for s, _k in agents.get(g, ()))
        arrange = self.arrange()
        orgs_of = self.student_orgs_all()
        district = [self.district()]
        cache = self._guardian_orgs
        for common, (pk,), status in self._people(
            Guardian, "users:guardian", active, deleted, "pk"
        ):
            links = agents.get(pk, [])
            orgs = list(dict.fromkeys(o for s, _k in links for o in orgs_of.get(s, ()))) or district
            cache[pk] = orgs
            role = links[0][1] if links else "guardian"
            children = ",".join(sorted(students[s] for s, _k in links))
            common += [",".join(orgs), role, "", children, "", orgs[0], ""]
            yield GUARDIAN, status, list(arrange(common))

    def student_orgs_all(self) -> dict[int, list[str]]:
        """{student: the written ids of the sent schools they attend now}; empty when the plan
        withholds school enrollment (rows then link to the district)."""
        if "student-orgs" not in self._links:
            out: dict[int, list[str]] = {}
            if self.school_link:
                orgs, sent = self.org_ids(), self.plan.org_ids
                for student, links in self.student_links().items():
                    current = [
                        orgs[link[0]]
                        for link in links
                        if link[0] in sent and self.current(link[2], link[3])
                    ]
                    if current:
                        out[student] = current
            self._links["student-orgs"] = out  # type: ignore[assignment]
        return self._links["student-orgs"]  # type: ignore[return-value]

    def guardian_orgs(self, guardian: int) -> list[str]:
        if guardian in self._guardian_orgs:
            return self._guardian_orgs[guardian]
        orgs_of = self.student_orgs_all()
        schools = [o for s, _k in self.agents().get(guardian, ()) for o in orgs_of.get(s, ())]
        return list(dict.fromkeys(schools)) or [self.district()]

    def names(self, file: str) -> list[str]:
        return [c.name for c in spec.columns(self.plan.version, file)]

    # -- roles.csv (1.2) --------------------------------------------------------------------

    def roles(self) -> Iterator[Row]:
        """One row per user and org, for the users written in users.csv (written first): a
        user's current roles, and in a delta the roles ended since (and all the roles of a
        user who left the plan) as tobedeleted."""
        plan = self.plan
        status_of = self.status
        stamp = self.modified(None, 0)  # a generated row has no date of its own
        for kind in (STUDENT, STAFF, GUARDIAN):
            if kind not in plan.kinds("roles.csv"):
                continue
            key = f"users:{kind}"
            ids = self.ids.get(key, {})
            active, deleted = self.picked.get(key, (set(), set()))
            for pk in sorted(active | deleted):
                gone = pk in deleted
                user = ids[pk]
                for org, role_type, role, begin, end, ended in self._roles_of(kind, pk, gone=gone):
                    status = status_of(gone or ended)
                    yield (
                        kind,
                        status,
                        [
                            role_sourced_id(plan, user, org, role),
                            status,
                            stamp,
                            user,
                            role_type,
                            role,
                            begin or "",
                            end or "",
                            org,
                            "",
                        ],
                    )

    def _roles_of(
        self, kind: str, pk: int, *, gone: bool = False
    ) -> Iterator[tuple[str, str, str, Any, Any, bool]]:
        """(org, roleType, role, begin, end, ended) for one user's role rows. For a user who
        left the plan (`gone`), their orgs need not be in the plan any more."""
        orgs = self.org_ids()
        if kind == STUDENT:
            if not self.school_link:
                yield self.district(), "primary", "student", None, None, False
                return
            first = True
            for org, _primary, begin, end, run in self.student_links().get(pk, ()):
                if org not in self.plan.org_ids and not gone:
                    continue
                if self.current(begin, end):
                    yield (
                        orgs[org],
                        "primary" if first else "secondary",
                        "student",
                        begin,
                        end,
                        False,
                    )
                    first = False
                elif self.change is not None and self.ended_since(begin, end, run):
                    yield orgs[org], "secondary", "student", begin, end, True
            if first:
                yield self.district(), "primary", "student", None, None, False
        elif kind == STAFF:
            names, role = self.staff_orgs(pk, gone=gone)
            for number, name in enumerate(names):
                yield (
                    name,
                    "primary" if number == 0 else "secondary",
                    role_12(role),
                    None,
                    None,
                    False,
                )
        else:
            links = self.agents().get(pk, [])
            role = links[0][1] if links else "guardian"
            for number, name in enumerate(self.guardian_orgs(pk)):
                yield name, "primary" if number == 0 else "secondary", role, None, None, False

    # -- demographics.csv -------------------------------------------------------------------

    def demographics(self) -> Iterator[Row]:
        plan = self.plan
        students = plan.student_ids
        indicators = {
            student: flags
            for student, *flags in SpecialIndicators.objects.values_list(
                "student_id", *cols.INDICATORS, "last_import"
            ).iterator(chunk_size=CHUNK)
            if student in students
        }
        rows: dict[int, tuple[Any, ...]] = {}
        for student, *values in StudentDemographics.objects.filter(active=True).values_list(
            "student_id", "birth_date", "sex", "american_indian_or_alaska_native", "asian",
            "black_or_african_american", "native_hawaiian_or_other_pacific_islander", "white",
            "two_or_more_races", "hispanic_or_latino", "country_of_birth", "state_of_birth",
            "city_of_birth", "public_school_residence_status", "date_last_modified", "last_import",
        ).iterator(chunk_size=CHUNK):  # fmt: skip
            if student in students:
                rows[student] = tuple(values)
        wanted = frozenset(rows.keys() | indicators.keys())
        changed: set[int] = set()
        if self.change is not None:
            mark = self.change.mark
            changed = {s for s, v in rows.items() if v[-1] > mark}
            changed |= {s for s, flags in indicators.items() if flags[-1] > mark}
        active, deleted = self.pick("demographics", wanted, changed)
        self.concerned |= active
        ids = self.map("users:student", Student, active | deleted)
        sexes = _SEX[plan.version]
        blank = (None, "", *([None] * 7), "", "", "", "", None, 0)
        for pk in sorted(active | deleted):
            birth, sex, *race_and_place = rows.get(pk, blank)[:13]
            modified, run = rows.get(pk, blank)[13:]
            flags = indicators.get(pk, [None] * (len(cols.INDICATORS) + 1))[:-1]
            row: list[str] = [
                ids[pk],
                self.status(pk in deleted),
                self.modified(modified, run),
                date(birth),
                sex if sex in sexes else "",
                *(boolean(flag) for flag in race_and_place[:7]),
                *(str(text or "") for text in race_and_place[7:]),
                *(boolean(flag) for flag in flags),
            ]
            yield STUDENT, row[1], row

    # -- enrollments.csv --------------------------------------------------------------------

    def enrollments(self) -> Iterator[Row]:
        """Current enrollments of the plan's students and teachers in the plan's classes.

        A bulk export reads the current enrollments once; a delta first finds which are
        wanted (to compare with what the vendor holds), then reads those and the ones to
        delete, which may have ended since."""
        plan = self.plan
        current = Enrollment.objects.filter(scope.current(self.day), active=True)
        wanted: set[int] = set()
        if self.change is None:
            self.sent["enrollments"] = wanted  # filled as the rows are chosen
            self.picked["enrollments"] = (wanted, set())
            yield from self._enrollment_rows(current, wanted, set())
            return
        for pk, section, student, staff in current.values_list(
            "pk", "section_id", "student_id", "staff_id"
        ).iterator(chunk_size=CHUNK):
            if section in plan.section_ids and (
                student in plan.student_ids if student is not None else staff in plan.staff_ids
            ):
                wanted.add(pk)
        active, deleted = self.pick(
            "enrollments", frozenset(wanted), self.changed(Enrollment, wanted)
        )
        source = Enrollment.objects.all() if deleted else current
        yield from self._enrollment_rows(source, active, deleted)

    def _enrollment_rows(self, source: Any, active: set[int], deleted: set[int]) -> Iterator[Row]:
        """Rows of `source` for the plan (bulk: `active` is filled as rows are chosen) or,
        in a delta, for `active` and `deleted`."""
        plan = self.plan
        bulk = self.change is None
        sections = self.map("classes", Section, set(plan.section_ids))
        orgs = self.org_ids()
        section_school = dict(Section.objects.values_list("pk", "school_id"))
        students = self.ids.get("users:student", {})
        staff_ids = self.ids.get("users:staff", {})
        pseudonym = self.sid if plan.pseudonymous else None
        status_of, modified = self.status, self.modified
        concerned_add = self.concerned.add
        schedule = False
        plan_sections, plan_students, plan_staff, plan_orgs = (
            plan.section_ids, plan.student_ids, plan.staff_ids, plan.org_ids
        )  # fmt: skip
        query = text_dates(source).values_list(
            "pk", "sourced_id", "section_id", "school_id", "student_id", "staff_id", "role",
            "primary", "begin", "end", "date_last_modified", "last_import",
        )  # fmt: skip
        for (
            pk,
            sourced,
            section,
            school,
            student,
            staff,
            role,
            primary,
            begin,
            end,
            mod,
            run,
        ) in raw(query):
            if bulk:
                if section not in plan_sections or not (
                    student in plan_students if student is not None else staff in plan_staff
                ):
                    continue
                active.add(pk)
                gone = False
            else:
                gone = pk in deleted
                if not gone and pk not in active:
                    continue
                if section not in sections or _missing(student, students, staff, staff_ids):
                    self._fill(section, student, staff)
                    sections = self.ids["classes"]
                    students = self.ids.get("users:student", {})
                    staff_ids = self.ids.get("users:staff", {})
            if school not in plan_orgs:  # the class's school is always sent
                school = section_school.get(section, 0)
            if bulk:
                status = mod_text = ""
            else:
                status, mod_text = status_of(gone), modified(mod, run)
            if student is not None:
                kind, user = STUDENT, students[student]
                if not gone:
                    concerned_add(student)
                    schedule = True
            else:
                kind, user = STAFF, staff_ids[staff]
            yield (
                kind,
                status,
                [
                    pseudonym("enrollments", sourced) if pseudonym is not None else sourced,
                    status,
                    mod_text,
                    sections[section],
                    orgs.get(school, ""),
                    user,
                    role,
                    "" if primary is None else ("true" if primary else "false"),
                    begin or "",
                    end or "",
                ],
            )
        if schedule:
            self.sent_schedule = True

    def _fill(self, section: int, student: int | None, staff: int | None) -> None:
        """Map the ids a tobedeleted enrollment refers to that this package does not send."""
        self.map("classes", Section, {section})
        if student is not None:
            self.map("users:student", Student, {student})
        if staff is not None:
            self.map("users:staff", Staff, {staff})


def _missing(
    student: int | None, students: dict[int, str], staff: int | None, staff_ids: dict[int, str]
) -> bool:
    return (student is not None and student not in students) or (
        staff is not None and staff not in staff_ids
    )
