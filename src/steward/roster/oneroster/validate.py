"""Pass 1 of an import: read every file once, check every rule, keep only ids.

Nothing is written anywhere. The result, a `Catalog`, holds the sourcedIds each file declares
and what kind of person each user is (student, guardian, staff), which pass 2 needs to route
rows to tables. Memory grows with the number of ids, not with the size of the files.

References are checked against the package, and, where the target file is sent as delta or is
absent, against what the database already holds (`Known`, supplied by the caller).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from steward.roster.oneroster import spec
from steward.roster.oneroster.fields import compile_row_parser
from steward.roster.oneroster.issues import IssueLog
from steward.roster.oneroster.reader import Package, iter_rows

STUDENT, GUARDIAN, STAFF = 1, 2, 4
KIND_NAMES = {STUDENT: "student", GUARDIAN: "guardian", STAFF: "staff"}

_FILE_LEVEL = {
    "header.missing", "header.case", "header.order", "header.duplicate", "header.unknown",
    "file.empty", "file.encoding", "file.unreadable", "csv.malformed",
}  # fmt: skip

# Required references whose database column may stay empty until the target arrives: a class's
# course, when the package marks courses.csv absent (the public 1.1 samples do).
DEFERRABLE = {("classes", "courseSourcedId")}


def kind_of_role(role: str) -> int:
    if role == "student":
        return STUDENT
    if role in spec.GUARDIAN_ROLES:
        return GUARDIAN
    return STAFF


class Known(Protocol):
    """What the database already holds, for references the package itself does not resolve."""

    def ids(self, file: str) -> set[str]: ...

    def user_kinds(self) -> dict[str, int]: ...


@dataclass
class Catalog:
    ids: dict[str, set[str]] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)  # user sourcedId -> STUDENT|GUARDIAN|STAFF
    rows: dict[str, int] = field(default_factory=dict)  # data rows read per file
    extensions: dict[str, list[str]] = field(default_factory=dict)


def read_file(
    package: Package,
    file: str,
    log: IssueLog,
    on_read: Callable[[int], None] | None = None,
    extensions: list[str] | None = None,
) -> Iterator[tuple[int, list[Any], dict[str, str]]]:
    """Yield (line, parsed values in spec order, {metadata column: raw value}) for a file.

    The header's extension columns are appended to `extensions`, if given, once the header
    has been read (before the first row is yielded).
    """
    columns = spec.columns(package.version, file)
    extensions = [] if extensions is None else extensions
    parse = compile_row_parser(columns, file, package.modes[file], log)
    width = len(columns)
    for line, row in iter_rows(
        package,
        f"{file}.csv",
        [c.name for c in columns],
        log,
        on_read=on_read,
        extensions=extensions,
    ):
        meta = {name: value for name, value in zip(extensions, row[width:], strict=True) if value}
        yield line, parse(row, line), meta


class Validator:
    """Runs pass 1 over a package; `run()` returns the Catalog, with problems in `log`."""

    def __init__(
        self,
        package: Package,
        log: IssueLog,
        known: Known,
        on_read: Callable[[int], None] | None = None,
        on_phase: Callable[[str], None] | None = None,
    ) -> None:
        self.package = package
        self.on_phase = on_phase
        self.log = log
        self.known = known
        self.on_read = on_read
        self.catalog = Catalog()
        self._db_kinds: dict[str, int] | None = None
        self._pending_agents: list[tuple[int, str, str]] = []
        self._pending_caseloads: list[tuple[int, str, str, str]] = []
        self._users_without_role: dict[str, int] = {}  # 1.2 user sourcedId -> users.csv line
        # Files that could not be read through (bad header, broken CSV, bad bytes): references
        # into them are not reported as dangling, which would bury the one real error.
        self._unreadable: set[str] = set()

    def files(self) -> list[str]:
        return [
            f
            for f in spec.ROSTER_FILES[self.package.version]
            if self.package.modes.get(f) in ("bulk", "delta")
        ]

    def run(self) -> Catalog:
        for file in self.files():
            self.catalog.ids[file] = set()
            if self.on_phase is not None:
                self.on_phase(f"validate {file}.csv")
            self._file(file)
        self._finish_users()
        return self.catalog

    # -- helpers -----------------------------------------------------------------------------

    def db_kinds(self) -> dict[str, int]:
        if self._db_kinds is None:
            self._db_kinds = self.known.user_kinds()
        return self._db_kinds

    def kind(self, user: str) -> int:
        return self.catalog.kinds.get(user) or self.db_kinds().get(user, 0)

    def resolves(self, target: str, value: str) -> bool:
        if value in self.catalog.ids.get(target, ()):
            return True
        if self.package.modes.get(target) == "bulk":
            return False  # a bulk file is the whole truth: rows it lacks are being ended
        if target == "users":
            return value in self.db_kinds()
        return value in self.known.ids(target)

    def check_ref(self, file: str, line: int, col: spec.Column, value: str) -> bool:
        if self.resolves(col.ref, value):
            return True
        if col.ref in self._unreadable:
            return True  # its ids are unknown; the file's own error says why, once
        target_mode = self.package.modes.get(col.ref, "absent")
        where = f"{col.ref}.csv" + (
            " (absent from this package)" if target_mode == "absent" else ""
        )
        reason = f"refers to {value!r}, which is not in {where} nor already imported"
        if col.kind in ("softref", "softrefs") or (
            (file, col.name) in DEFERRABLE and target_mode == "absent"
        ):
            self.log.warning(
                f"{file}.csv", line, col.name, value, reason + "; kept unresolved", "ref.unresolved"
            )
            return False
        self.log.error(f"{file}.csv", line, col.name, value, reason, "ref.dangling")
        return False

    # -- files -------------------------------------------------------------------------------

    def _file(self, file: str) -> None:
        columns = spec.columns(self.package.version, file)
        names = [c.name for c in columns]
        # Self-references (parentSourcedId) may point forward and agentSourcedIds are checked
        # once every user's kind is known; every other target file is read before this one.
        checked = [
            (names.index(c.name), c, self.catalog.ids.setdefault(c.ref, set()))
            for c in columns
            if c.kind in ("ref", "softref", "refs", "softrefs") and c.ref != file
        ]
        parent = [c for c in columns if c.kind == "softref" and c.ref == file]
        parent_at = names.index(parent[0].name) if parent else -1
        pending_parents: list[tuple[int, str]] = []
        ids = self.catalog.ids[file]
        count = 0
        errors_before = self.log.error_count
        extensions_seen: dict[str, None] = {}
        handler = getattr(self, f"_row_{file}", None)
        for line, values, meta in read_file(self.package, file, self.log, self.on_read):
            count += 1
            sid = values[0]
            if sid in ids:
                self.log.error(
                    f"{file}.csv",
                    line,
                    "sourcedId",
                    sid,
                    "duplicate sourcedId: it appears earlier in this file",
                    "id.duplicate",
                )
            elif sid:
                ids.add(sid)
            if meta:
                extensions_seen.update(dict.fromkeys(meta))
            for index, col, known in checked:
                value = values[index]
                if not value:
                    continue
                if isinstance(value, list):
                    for item in value:
                        if item not in known:
                            self.check_ref(file, line, col, item)
                elif value not in known:
                    self.check_ref(file, line, col, value)
            if parent_at >= 0 and values[parent_at]:
                pending_parents.append((line, values[parent_at]))
            if file == "enrollments":
                self._enrollment(line, values[5], values[6])
            elif handler is not None:
                handler(line, dict(zip(names, values, strict=True)), meta)
        for line, value in pending_parents:
            self.check_ref(file, line, parent[0], value)
        self.catalog.rows[file] = count
        if any(
            issue.file == f"{file}.csv" and issue.code in _FILE_LEVEL for issue in self.log.errors
        ):
            self._unreadable.add(file)
        self.catalog.extensions[file] = list(extensions_seen)
        if count == 0 and self.log.error_count == errors_before:
            if self.package.modes[file] == "bulk":
                self.log.error(
                    f"{file}.csv",
                    None,
                    "",
                    "",
                    "a bulk file must have data rows: an empty snapshot would end every record",
                    "file.no_rows",
                )
            else:
                self.log.warning(
                    f"{file}.csv", None, "", "", "the delta file has no rows", "file.no_rows"
                )

    def _row_users(self, line: int, row: dict[str, Any], meta: dict[str, str]) -> None:
        sid = row["sourcedId"]
        if self.package.version == "1.1" and row["role"]:
            self.catalog.kinds[sid] = self.catalog.kinds.get(sid, 0) | kind_of_role(row["role"])
        elif self.package.version == "1.2":
            self._users_without_role[sid] = line
        agents = row["agentSourcedIds"] or []
        for agent in agents:
            self._pending_agents.append((line, sid, agent))
        for name in spec.GUARDIAN_META:
            listed = meta.get(name)
            if listed:
                extra = [
                    s.strip() for s in listed.split(",") if s.strip() and s.strip() not in agents
                ]
                if extra:
                    self.log.error(
                        "users.csv",
                        line,
                        name,
                        listed,
                        "lists students that are not in this user's agentSourcedIds: "
                        + ", ".join(extra),
                        "meta.not_agent",
                    )
        for name in (spec.META_COUNSELOR, spec.META_CASE_MANAGER):
            for staff in (meta.get(name) or "").split(","):
                if staff.strip():
                    self._pending_caseloads.append((line, sid, name, staff.strip()))
        position = meta.get(spec.META_POSITION)
        if position and position not in spec.POSITIONS:
            self.log.error(
                "users.csv",
                line,
                spec.META_POSITION,
                position,
                "must be one of " + ", ".join(spec.POSITIONS),
                "meta.position",
            )

    def _row_roles(self, line: int, row: dict[str, Any], meta: dict[str, str]) -> None:
        user, role = row["userSourcedId"], row["role"]
        if user and role:
            self.catalog.kinds[user] = self.catalog.kinds.get(user, 0) | kind_of_role(role)
            self._users_without_role.pop(user, None)

    def _row_demographics(self, line: int, row: dict[str, Any], meta: dict[str, str]) -> None:
        for name in spec.META_INDICATORS.values():
            value = meta.get(name)
            if value and value.lower() not in ("true", "false"):
                self.log.error(
                    "demographics.csv", line, name, value, "must be true or false", "meta.bool"
                )

    def _enrollment(self, line: int, user: str, role: str) -> None:
        """An enrollment's user must be of its kind (columns 5 and 6: userSourcedId, role)."""
        if not user or not role:
            return
        kind = self.kind(user)
        wanted = STUDENT if role == "student" else STAFF
        if kind and not kind & wanted:
            self.log.warning(
                "enrollments.csv",
                line,
                "role",
                role,
                f"user {user} is not a {KIND_NAMES[wanted]}; the enrollment is skipped",
                "enrollment.role_mismatch",
            )

    def _finish_users(self) -> None:
        for sid, line in sorted(self._users_without_role.items(), key=lambda item: item[1]):
            if not self.db_kinds().get(sid):
                self.log.error(
                    "users.csv",
                    line,
                    "sourcedId",
                    sid,
                    "the user has no role in roles.csv",
                    "user.no_role",
                )
        self._users_without_role.clear()
        for line, user, agent in self._pending_agents:
            if not self.resolves("users", agent):
                self.log.warning(
                    "users.csv",
                    line,
                    "agentSourcedIds",
                    agent,
                    "refers to a user who is not in users.csv nor already imported; "
                    "the link is ignored",
                    "ref.unresolved",
                )
                continue
            pair = {self.kind(user) & (STUDENT | GUARDIAN), self.kind(agent) & (STUDENT | GUARDIAN)}
            if pair != {STUDENT, GUARDIAN}:
                self.log.warning(
                    "users.csv",
                    line,
                    "agentSourcedIds",
                    agent,
                    f"{user} and {agent} are not a student and a parent, guardian or "
                    "relative; the link is ignored",
                    "agent.not_guardian",
                )
        self._pending_agents.clear()
        for line, student, name, staff in self._pending_caseloads:
            if not self.kind(staff) & STAFF:
                self.log.error(
                    "users.csv",
                    line,
                    name,
                    staff,
                    f"refers to {staff!r}, which is not a member of staff",
                    "ref.dangling",
                )
            elif not self.kind(student) & STUDENT:
                self.log.error(
                    "users.csv",
                    line,
                    name,
                    staff,
                    "caseloads can only be given on a student's row",
                    "meta.caseload",
                )
        self._pending_caseloads.clear()
