"""Pass 2 of an import: write a validated package to the database.

Runs inside the caller's transaction (all or nothing). Files are applied in dependency order;
each sourced table is upserted by sourcedId and, for a bulk file, rows the file leaves out are
ended. Derived links (school memberships, staff roles, guardian links, caseloads, section terms)
follow the same rule keyed by what they join.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from steward import sqlbulk
from steward.roster import models as m
from steward.roster.importer.links import date_ended, end_dated, sync_links
from steward.roster.importer.sourced import SourcedSync, pk_map, row_hash
from steward.roster.oneroster import spec
from steward.roster.oneroster.fields import split_list
from steward.roster.oneroster.issues import IssueLog
from steward.roster.oneroster.reader import Package
from steward.roster.oneroster.validate import GUARDIAN, STAFF, STUDENT, read_file

# OneRoster role -> Steward staff position, when the row carries no metadata.steward.position.
ROLE_POSITIONS = {
    "teacher": "teacher",
    "counselor": "counselor",
    "principal": "principal",
    "siteAdministrator": "principal",
    "districtAdministrator": "districtAdministrator",
    "systemAdministrator": "districtAdministrator",
    "administrator": "principal",
    "aide": "aide",
    "proctor": "other",
}
PERSON_FIELDS = (
    "username",
    "given_name",
    "family_name",
    "middle_name",
    "preferred_given_name",
    "identifier",
    "email",
    "phone",
    "sms",
    "enabled",
)
RACE_FIELDS = (
    "american_indian_or_alaska_native",
    "asian",
    "black_or_african_american",
    "native_hawaiian_or_other_pacific_islander",
    "white",
    "two_or_more_races",
    "hispanic_or_latino",
)


def _public_meta(meta: dict[str, str]) -> dict[str, str]:
    """Extension columns kept on the row. Steward's own columns (special indicators, guardian
    restrictions, caseloads) go to their protected tables and are not copied here."""
    return {k: v for k, v in meta.items() if not k.startswith(spec.META)}


class Applier:
    def __init__(
        self,
        package: Package,
        kind: Callable[[str], int],
        run_id: int,
        today: dt.date,
        on_read: Callable[[int], None] | None = None,
        on_phase: Callable[[str], None] | None = None,
    ) -> None:
        self.package = package
        self.kind = kind
        self.run_id = run_id
        self.today = today
        self.on_read = on_read
        self.on_phase = on_phase
        self.counts: dict[str, dict[str, int]] = {}
        self.log = IssueLog()  # pass 1 reported everything; pass 2 sees the same rows
        self.maps: dict[str, dict[str, int]] = {}
        # Collected from users.csv for links written once every person table is synced.
        self.positions: dict[str, str] = {}
        self.user_roles_11: list[tuple[str, list[str], str]] = []
        self.guardian_role: dict[str, str] = {}
        self.agent_edges: set[tuple[str, str]] = set()
        self.guardian_flags: dict[tuple[str, str], tuple[bool, bool, bool, bool]] = {}
        self.guardian_columns: set[str] = set()  # guardian metadata columns users.csv has
        self.caseloads: dict[tuple[str, str, str], None] = {}
        self.user_owners: set[str] = set()

    def mode(self, file: str) -> str:
        return self.package.modes.get(file, "absent")

    def rows(self, file: str, extensions: list[str] | None = None) -> Any:
        if self.on_phase is not None:
            self.on_phase(f"apply {file}.csv")
        return read_file(self.package, file, self.log, self.on_read, extensions)

    def map(self, model: type[Any]) -> dict[str, int]:
        key = model.__name__
        if key not in self.maps:
            self.maps[key] = pk_map(model)
        return self.maps[key]

    def run(self) -> dict[str, dict[str, int]]:
        for file in ("orgs", "academicSessions", "courses", "classes", "users"):
            if self.mode(file) != "absent":
                getattr(self, f"_apply_{file}")()
        if self.package.version == "1.2" and self.mode("roles") != "absent":
            self._apply_roles()
        elif self.package.version == "1.1" and self.mode("users") != "absent":
            self._apply_roles_11()
        if self.mode("users") != "absent":
            self._apply_guardian_links()
            self._apply_caseloads()
        if self.mode("demographics") != "absent":
            self._apply_demographics()
        if self.mode("enrollments") != "absent":
            self._apply_enrollments()
        self._resolve_deferred()
        return self.counts

    # -- organisations and calendar ---------------------------------------------------------

    def _apply_orgs(self) -> None:
        sync = SourcedSync(m.Org, ["name", "type", "identifier", "parent_sourced_id"], self.run_id)
        for _line, v, meta in self.rows("orgs"):
            sync.offer(
                v[0],
                v[1],
                v[2],
                _public_meta(meta),
                (v[3], v[4], v[5], v[6]),
                row_hash(v[3:], meta),
            )
        self.counts["orgs"] = sync.finish(self.mode("orgs") == "bulk")
        self.maps.pop("Org", None)

    def _apply_academicSessions(self) -> None:
        sync = SourcedSync(
            m.AcademicSession,
            ["title", "type", "start_date", "end_date", "parent_sourced_id", "school_year"],
            self.run_id,
        )
        for _line, v, meta in self.rows("academicSessions"):
            sync.offer(
                v[0],
                v[1],
                v[2],
                _public_meta(meta),
                (v[3], v[4], v[5], v[6], v[7], int(v[8])),
                row_hash(v[3:], meta),
            )
        self.counts["academicSessions"] = sync.finish(self.mode("academicSessions") == "bulk")
        self.maps.pop("AcademicSession", None)

    def _apply_courses(self) -> None:
        orgs = self.map(m.Org)
        sync = SourcedSync(
            m.Course,
            ["title", "course_code", "grades", "org", "school_year_sourced_id", "subjects"],
            self.run_id,
        )
        for _line, v, meta in self.rows("courses"):
            # sourcedId, status, modified, schoolYear, title, code, grades, org, subjects, codes
            values = (v[4], v[5], ",".join(v[6]), orgs[v[7]], v[3], ",".join(v[8]))
            sync.offer(v[0], v[1], v[2], _public_meta(meta), values, row_hash(v[3:], meta))
        self.counts["courses"] = sync.finish(self.mode("courses") == "bulk")
        self.maps.pop("Course", None)

    def _apply_classes(self) -> None:
        orgs, courses, terms = self.map(m.Org), self.map(m.Course), self.map(m.AcademicSession)
        sync = SourcedSync(
            m.Section,
            [
                "title",
                "grades",
                "course_sourced_id",
                "course",
                "class_code",
                "class_type",
                "location",
                "school",
                "subjects",
                "periods",
            ],
            self.run_id,
        )
        wanted_terms: dict[str, list[str]] = {}
        for _line, v, meta in self.rows("classes"):
            # sourcedId status modified title grades course code type location school terms
            # subjects subjectCodes periods
            values = (
                v[3],
                ",".join(v[4]),
                v[5],
                courses.get(v[5]),
                v[6],
                v[7],
                v[8],
                orgs[v[9]],
                ",".join(v[11]),
                ",".join(v[13]),
            )
            sync.offer(v[0], v[1], v[2], _public_meta(meta), values, row_hash(v[3:], meta))
            if v[1] != "tobedeleted":
                wanted_terms[v[0]] = v[10]
        self.counts["classes"] = sync.finish(self.mode("classes") == "bulk")
        self.maps.pop("Section", None)
        sections = self.map(m.Section)
        desired = {
            (sections[sid], terms[term]): ()
            for sid, term_ids in wanted_terms.items()
            for term in term_ids
            if term in terms
        }
        owners = {sections[sid] for sid in wanted_terms}

        def drop(pks: list[int]) -> None:
            # Which terms a section runs in is structure, not history: replaced outright.
            sqlbulk.delete(m.SectionTerm, pks)

        self.counts["sectionTerms"] = _sync_section_terms(desired, owners, drop)

    # -- people -----------------------------------------------------------------------------

    def _apply_users(self) -> None:
        v11 = self.package.version == "1.1"
        students = SourcedSync(m.Student, [*PERSON_FIELDS, "grade", "user_ids"], self.run_id)
        guardians = SourcedSync(m.Guardian, PERSON_FIELDS, self.run_id)
        staff = SourcedSync(m.Staff, PERSON_FIELDS, self.run_id)
        names = spec.header(self.package.version, "users")
        extensions: list[str] = []
        for _line, v, meta in self.rows("users", extensions):
            row = dict(zip(names, v, strict=True))
            sid, status = row["sourcedId"], row["status"]
            kind = self.kind(sid)
            person = (
                row["username"],
                row["givenName"],
                row["familyName"],
                row["middleName"],
                row.get("preferredGivenName", ""),
                row["identifier"],
                row["email"],
                row["phone"],
                row["sms"],
                bool(row["enabledUser"]),
            )
            digest = row_hash([x for k, x in row.items() if k != "password"], meta)
            public = _public_meta(meta)
            if kind & STUDENT:
                grade = row["grades"][0] if row["grades"] else ""
                students.offer(
                    sid,
                    status,
                    row["dateLastModified"],
                    public,
                    (*person, grade, ",".join(row["userIds"])),
                    digest,
                )
            if kind & GUARDIAN:
                guardians.offer(sid, status, row["dateLastModified"], public, person, digest)
            if kind & STAFF:
                staff.offer(sid, status, row["dateLastModified"], public, person, digest)
            if status == "tobedeleted":
                continue
            self.user_owners.add(sid)
            self._collect_user_links(sid, kind, row, meta, v11)
        self.guardian_columns = set(extensions) & set(spec.GUARDIAN_META)
        bulk = self.mode("users") == "bulk"
        self.counts["students"] = students.finish(bulk)
        self.counts["guardians"] = guardians.finish(bulk)
        self.counts["staff"] = staff.finish(bulk)
        for key in ("Student", "Guardian", "Staff"):
            self.maps.pop(key, None)

    def _collect_user_links(
        self, sid: str, kind: int, row: dict[str, Any], meta: dict[str, str], v11: bool
    ) -> None:
        if meta.get(spec.META_POSITION):
            self.positions[sid] = meta[spec.META_POSITION]
        if v11:
            self.user_roles_11.append((sid, row["orgSourcedIds"], row["role"]))
            if kind & GUARDIAN:
                self.guardian_role[sid] = row["role"]
        for agent in row["agentSourcedIds"]:
            if kind & GUARDIAN and self.kind(agent) & STUDENT:
                self.agent_edges.add((sid, agent))
            elif kind & STUDENT and self.kind(agent) & GUARDIAN:
                self.agent_edges.add((agent, sid))
        if kind & GUARDIAN:
            flag_sets = [set(split_list(meta.get(name) or "")) for name in spec.GUARDIAN_META]
            for student in row["agentSourcedIds"]:
                self.guardian_flags[(sid, student)] = tuple(student in s for s in flag_sets)  # type: ignore[assignment]
        if kind & STUDENT:
            for name, caseload_kind in (
                (spec.META_COUNSELOR, "counselor"),
                (spec.META_CASE_MANAGER, "specialEducation"),
            ):
                for staff in (meta.get(name) or "").split(","):
                    if staff.strip():
                        self.caseloads[(staff.strip(), sid, caseload_kind)] = None

    def _position(self, sid: str, role: str) -> str:
        return self.positions.get(sid) or ROLE_POSITIONS.get(role, "other")

    def _apply_roles_11(self) -> None:
        orgs, students, staff = self.map(m.Org), self.map(m.Student), self.map(m.Staff)
        memberships: dict[tuple[int, int], tuple[Any, ...]] = {}
        roles: dict[tuple[int, int, str], tuple[Any, ...]] = {}
        for sid, org_ids, role in self.user_roles_11:
            for position, org in enumerate(org_ids):
                if org not in orgs:
                    continue
                if role == "student" and sid in students:
                    memberships[(students[sid], orgs[org])] = (position == 0, None, None)
                elif role not in spec.GUARDIAN_ROLES and role != "student" and sid in staff:
                    roles[(staff[sid], orgs[org], self._position(sid, role))] = (
                        role,
                        position == 0,
                        None,
                        None,
                    )
        owners_students = {students[s] for s in self.user_owners if s in students}
        owners_staff = {staff[s] for s in self.user_owners if s in staff}
        bulk = self.mode("users") == "bulk"
        self._sync_memberships(memberships, None if bulk else owners_students, ())
        self._sync_staff_roles(roles, None if bulk else owners_staff, ())
        self.user_roles_11.clear()

    def _apply_roles(self) -> None:
        orgs, students, staff = self.map(m.Org), self.map(m.Student), self.map(m.Staff)
        memberships: dict[tuple[int, int], tuple[Any, ...]] = {}
        roles: dict[tuple[int, int, str], tuple[Any, ...]] = {}
        ended_m: set[tuple[int, int]] = set()
        ended_r: set[tuple[int, int, str]] = set()
        for _line, v, _meta in self.rows("roles"):
            # sourcedId status modified user roleType role begin end org profile
            user, role, org = v[3], v[5], orgs.get(v[8])
            if org is None:
                continue
            primary = v[4] == "primary"
            if role == "student" and user in students:
                key = (students[user], org)
                (
                    ended_m.add(key)
                    if v[1] == "tobedeleted"
                    else memberships.__setitem__(key, (primary, v[6], v[7]))
                )
            elif role in spec.GUARDIAN_ROLES:
                self.guardian_role.setdefault(user, role)
            elif user in staff:
                rkey = (staff[user], org, self._position(user, role))
                (
                    ended_r.add(rkey)
                    if v[1] == "tobedeleted"
                    else roles.__setitem__(rkey, (role, primary, v[6], v[7]))
                )
        bulk = self.mode("roles") == "bulk"
        self._sync_memberships(memberships, None if bulk else (), ended_m)
        self._sync_staff_roles(roles, None if bulk else (), ended_r)

    def _sync_memberships(self, desired: dict[Any, Any], owners: Any, ended: Any) -> None:
        self.counts["studentSchools"] = sync_links(
            m.StudentSchool,
            ("student_id", "school_id"),
            ("primary", "begin_date", "end_date"),
            desired,
            run_id=self.run_id,
            owners=owners,
            ended=ended,
            end=end_dated(m.StudentSchool, self.today, self.run_id),
            is_ended=date_ended(self.today, 2),
        )

    def _sync_staff_roles(self, desired: dict[Any, Any], owners: Any, ended: Any) -> None:
        self.counts["staffRoles"] = sync_links(
            m.StaffRole,
            ("staff_id", "org_id", "position"),
            ("oneroster_role", "primary", "begin_date", "end_date"),
            desired,
            run_id=self.run_id,
            owners=owners,
            ended=ended,
            end=end_dated(m.StaffRole, self.today, self.run_id),
            is_ended=date_ended(self.today, 3),
        )

    def _apply_guardian_links(self) -> None:
        guardians, students = self.map(m.Guardian), self.map(m.Student)
        # What earlier imports recorded, for details this package does not state: a delta may
        # carry a student's row without the guardian's, or a file may lack a guardian column.
        prior = {
            (g, s): (kind, *details)
            for g, s, kind, *details in m.GuardianRelationship.objects.values_list(
                "guardian_id",
                "student_id",
                "kind",
                "custodial",
                "lives_with",
                "emergency_contact",
                "access_restricted",
            ).iterator(chunk_size=20000)
        }
        sent = [name in self.guardian_columns for name in spec.GUARDIAN_META]
        # A link with a restriction document on file stays restricted whatever the package
        # says (R17): the district holds the order, and a system that never heard of it (or a
        # stale export) must not hand the parent their access back. Withdrawing the document
        # in Steward is how a restriction ends.
        documented = set(
            m.RestrictionDocument.objects.filter(withdrawn_at__isnull=True).values_list(
                "link__guardian_id", "link__student_id"
            )
        )
        # FERPA presumes a parent's rights (34 CFR 99.4) absent an order: without the guardian
        # columns a new link is custodial, and nothing else is known (docs/oneroster.md).
        presumed = (True, False, False, False)
        desired: dict[tuple[int, int], tuple[Any, ...]] = {}
        for guardian, student in self.agent_edges:
            if guardian not in guardians or student not in students:
                continue
            key = (guardians[guardian], students[student])
            before = prior.get(key)
            known = before[1:] if before is not None else presumed
            # Stated when the guardian's row is in this package and lists the student, and
            # the column is in the header (an empty cell then means "none of them").
            stated = self.guardian_flags.get((guardian, student))
            details = [stated[i] if stated is not None and sent[i] else known[i] for i in range(4)]
            if key in documented:
                details[3] = True  # access_restricted
            kind = self.guardian_role.get(guardian) or (before[0] if before else "parent")
            desired[key] = (kind, *details, True)
        # A restated guardian or student restates their links: others involving them end.
        owner_guardians = {guardians[s] for s in self.user_owners if s in guardians}
        bulk = self.mode("users") == "bulk"

        def deactivate(pks: list[int]) -> None:
            m.GuardianRelationship.objects.filter(pk__in=pks).update(
                active=False, last_import_id=self.run_id
            )

        self.counts["guardianLinks"] = sync_links(
            m.GuardianRelationship,
            ("guardian_id", "student_id"),
            ("kind", "custodial", "lives_with", "emergency_contact", "access_restricted", "active"),
            desired,
            run_id=self.run_id,
            owners=None if bulk else owner_guardians,
            end=deactivate,
            is_ended=lambda current: not current[5],
        )
        self.agent_edges.clear()
        self.guardian_flags.clear()

    def _apply_caseloads(self) -> None:
        staff, students = self.map(m.Staff), self.map(m.Student)
        desired = {
            (staff[s], students[st], kind): (None, None)
            for (s, st, kind) in self.caseloads
            if s in staff and st in students
        }
        owners = {staff[s] for (s, _st, _k) in self.caseloads if s in staff}
        bulk = self.mode("users") == "bulk"
        self.counts["caseloads"] = sync_links(
            m.Caseload,
            ("staff_id", "student_id", "kind"),
            ("begin_date", "end_date"),
            desired,
            run_id=self.run_id,
            owners=None if bulk else owners,
            end=end_dated(m.Caseload, self.today, self.run_id),
            is_ended=date_ended(self.today, 1),
        )
        self.caseloads.clear()

    # -- sensitive tables -------------------------------------------------------------------

    def _apply_demographics(self) -> None:
        students = self.map(m.Student)
        existing = {
            sid: (pk, h, active)
            for sid, pk, h, active in m.StudentDemographics.objects.values_list(
                "student_id", "id", "row_hash", "active"
            ).iterator(chunk_size=20000)
        }
        indicators = {
            sid: pk
            for sid, pk in m.SpecialIndicators.objects.values_list("student_id", "id").iterator(
                chunk_size=20000
            )
        }
        fields = [
            "birth_date",
            "sex",
            *RACE_FIELDS,
            "country_of_birth",
            "state_of_birth",
            "city_of_birth",
            "public_school_residence_status",
            "active",
            "date_last_modified",
            "row_hash",
            "last_import",
        ]
        ind_fields = [*spec.META_INDICATORS, "last_import"]
        inserts, updates, ind_inserts, ind_updates, to_end = [], [], [], [], []
        counts = {"created": 0, "updated": 0, "ended": 0, "unchanged": 0}
        for _line, v, meta in self.rows("demographics"):
            student = students.get(v[0])
            if student is None:
                continue  # demographics of staff or guardians are not kept
            found = existing.pop(student, None)
            if v[1] == "tobedeleted":
                if found is not None and found[2]:
                    to_end.append(found[0])
                continue
            digest = row_hash(v[3:], meta)
            values = (
                *v[3:5],
                *v[5:12],
                *(x or "" for x in v[12:16]),
                True,
                v[2],
                digest,
                self.run_id,
            )
            if found is None:
                inserts.append((student, *values))
            elif found[1] != digest or not found[2]:
                updates.append((*values, found[0]))
            else:
                counts["unchanged"] += 1
                continue
            flags = tuple(
                (meta.get(col) or "").lower() == "true" for col in spec.META_INDICATORS.values()
            )
            if student in indicators:
                ind_updates.append((*flags, self.run_id, indicators[student]))
            else:
                ind_inserts.append((student, *flags, self.run_id))
        if self.mode("demographics") == "bulk":
            to_end.extend(pk for pk, _h, active in existing.values() if active)
        counts["created"] = sqlbulk.insert(m.StudentDemographics, ["student", *fields], inserts)
        counts["updated"] = sqlbulk.update(m.StudentDemographics, fields, updates)
        sqlbulk.insert(m.SpecialIndicators, ["student", *ind_fields], ind_inserts)
        sqlbulk.update(m.SpecialIndicators, ind_fields, ind_updates)
        for start in range(0, len(to_end), 900):
            m.StudentDemographics.objects.filter(pk__in=to_end[start : start + 900]).update(
                active=False, last_import_id=self.run_id
            )
        counts["ended"] = len(to_end)
        self.counts["demographics"] = counts

    # -- enrollments ------------------------------------------------------------------------

    def _apply_enrollments(self) -> None:
        sections, orgs = self.map(m.Section), self.map(m.Org)
        students, staff = self.map(m.Student), self.map(m.Staff)
        today, run_id = self.today, self.run_id

        def end(pks: list[int]) -> None:
            manager = m.Enrollment.objects
            manager.filter(pk__in=pks).update(active=False, last_import_id=run_id)
            manager.filter(pk__in=pks, end_date__isnull=True).update(end_date=today)
            manager.filter(pk__in=pks, end_date__gt=today).update(end_date=today)

        sync = SourcedSync(
            m.Enrollment,
            ["section", "school", "student", "staff", "role", "primary", "begin_date", "end_date"],
            run_id,
            end=end,
        )
        skipped = 0
        for _line, v, meta in self.rows("enrollments"):
            # sourcedId status modified class school user role primary begin end
            role = v[6]
            student = students.get(v[5]) if role == "student" else None
            member = staff.get(v[5]) if role != "student" else None
            if student is None and member is None:
                skipped += 1  # reported in pass 1: the user is not of the enrollment's kind
                continue
            values = (sections[v[3]], orgs[v[4]], student, member, role, bool(v[7]), v[8], v[9])
            sync.offer(v[0], v[1], v[2], _public_meta(meta), values, row_hash(v[3:], meta))
        counts = sync.finish(self.mode("enrollments") == "bulk")
        counts["skipped"] = skipped
        self.counts["enrollments"] = counts

    def _resolve_deferred(self) -> None:
        """Point unresolved links at targets that arrived in this package or an earlier one
        (parents, courses), and re-point links whose raw sourcedId changed."""
        for model in (m.Org, m.AcademicSession):
            _relink(model, "parent_sourced_id", "parent_id", self.map(model))
        _relink(m.Section, "course_sourced_id", "course_id", self.map(m.Course))


def _relink(model: type[Any], raw: str, link: str, ids: dict[str, int]) -> None:
    by_target: dict[int | None, list[int]] = defaultdict(list)
    rows = model.objects.values_list("id", raw, link).iterator(chunk_size=20000)
    for pk, sourced, current in rows:
        wanted = ids.get(sourced) if sourced else None
        if wanted != current:
            by_target[wanted].append(pk)
    for target, pks in by_target.items():
        for start in range(0, len(pks), 900):
            model.objects.filter(pk__in=pks[start : start + 900]).update(**{link: target})


def _sync_section_terms(
    desired: dict[tuple[int, int], tuple[()]],
    owners: set[int],
    drop: Callable[[list[int]], None],
) -> dict[str, int]:
    existing = {
        (section, term): pk
        for pk, section, term in m.SectionTerm.objects.values_list("id", "section_id", "term_id")
    }
    new = [key for key in desired if key not in existing]
    stale = [pk for key, pk in existing.items() if key[0] in owners and key not in desired]
    sqlbulk.insert(m.SectionTerm, ["section", "term"], new)
    for start in range(0, len(stale), 900):
        drop(stale[start : start + 900])
    return {"created": len(new), "ended": len(stale), "unchanged": len(desired) - len(new)}
