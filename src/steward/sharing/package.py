"""Write a plan as a OneRoster CSV package: a zip of manifest.csv, the data files and the
redisclosure notice (issue #7 item 2; R67–R69, R109; oneroster.md §1.2–§1.5).

Every data file keeps the binding's full header in spec order (importers require it; extension
columns follow), and `Minimizer` blanks each column the plan does not allow for the row's kind.
A *required* column the plan withholds cannot be blank, so it carries a value that says
nothing about the person: text repeats the row's own sourcedId (already sent), `enabledUser`
is `true`, and a withheld school link points at the district. A `tobedeleted` row (delta) names
its record by ids and carries nothing else. `password` is never written: the column is always
empty, and userProfiles.csv is never sent.

A file with no rows is marked absent: OneRoster 1.1 forbids empty files, and in a delta an
absent file means "no change". The same code counts instead of writing for the preview.
"""

from __future__ import annotations

import csv
import gc
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

from steward.roster.oneroster import spec
from steward.sharing import columns as cols
from steward.sharing.columns import Pair
from steward.sharing.engine import FILES, LOCAL_ID, PARENT_ID, Plan
from steward.sharing.people import Rows
from steward.sharing.rows import DELETED, Change, Row

MANIFEST = "manifest.csv"
_HEAD = ("sourcedId", "status", "dateLastModified")
_CONSTANT = {"enabledUser": "true"}
_DISTRICT = frozenset({"orgSourcedIds", "orgSourcedId"})


@dataclass
class Result:
    counts: dict[str, int] = field(default_factory=dict)  # "users.csv" -> rows written
    deleted: dict[str, int] = field(default_factory=dict)  # "users.csv" -> tobedeleted rows
    filled: dict[str, dict[str, int]] = field(default_factory=dict)  # column -> non-empty values
    elements: set[Pair] = field(default_factory=set)  # Exhibit B pairs actually carried
    students: set[int] = field(default_factory=set)  # students concerned by active rows
    sent: dict[str, set[int]] = field(default_factory=dict)  # what the vendor holds after
    modes: dict[str, str] = field(default_factory=dict)  # file key -> bulk | delta | absent


class Minimizer:
    """Turns the full rows of one file into the rows written (spec header order)."""

    def __init__(self, plan: Plan, file: str, district: str) -> None:
        version = plan.version
        defined = {c.name: c for c in spec.columns(version, file)}
        full = list(defined)
        header = list(defined)
        if file == "demographics":
            full += [column for column, _carry in cols.INDICATORS.values()]
            extensions = plan.row_columns.get("demographics.csv:student", ())
            header += [name for name in full[len(defined) :] if name in extensions]
        self.header = header
        # Each written row is picked from the full row followed by `self.constants`: for each
        # kind, the index of every header column's value, for active and tobedeleted rows.
        width = len(full)
        self.constants = ["", "true", district]
        fills = {"": width, "true": width + 1, district: width + 2, None: 0}  # None: sourcedId
        self.active: dict[str, Callable[[list[str]], Any]] = {}
        self.gone: dict[str, Callable[[list[str]], Any]] = {}
        # kind -> [(header position, elements)] of the personal columns the kind may carry.
        self.personal: dict[str, list[tuple[int, tuple[Pair, ...]]]] = {}
        for kind in plan.kinds(f"{file}.csv"):
            allowed = set(plan.row_columns[f"{file}.csv:{kind}"])
            active: list[int] = []
            gone: list[int] = []
            personal = []
            for position, name in enumerate(header):
                column = defined.get(name)
                required = column is not None and column.required
                carry = cols.carried(file, kind, name)
                source = full.index(name)
                fill = fills[_fill(name, district) if required else ""]
                if name in allowed:
                    active.append(source)
                    if carry.elements:
                        personal.append((position, carry.elements))
                else:
                    active.append(fill)
                keep = name in _HEAD or (required and name in allowed and not carry.elements)
                gone.append(source if keep else fill)
            self.active[kind] = itemgetter(*active)
            self.gone[kind] = itemgetter(*gone)
            self.personal[kind] = personal

    def __call__(self, kind: str, status: str, values: list[str]) -> Any:
        """The written row (a tuple) for one full row of `kind`."""
        pick = self.gone[kind] if status == DELETED else self.active[kind]
        return pick(values + self.constants)


def _fill(name: str, district: str) -> str | None:
    """What a withheld required column carries: nothing about the person (None: the row's
    own sourcedId)."""
    if name in _CONSTANT:
        return _CONSTANT[name]
    if name in _DISTRICT:
        return district
    return None


class _Member:
    """One CSV file inside the zip, opened at its first row (an empty file is never added)."""

    def __init__(self, archive: zipfile.ZipFile | None, name: str, header: list[str]) -> None:
        self.archive, self.name, self.header = archive, name, header
        self.raw: IO[bytes] | None = None
        self.text: io.TextIOWrapper | None = None
        self.write: Callable[[list[str]], Any] = self._first

    def _first(self, row: list[str]) -> None:
        if self.archive is None:
            self.write = _discard
            return
        self.raw = self.archive.open(self.name, "w", force_zip64=True)
        # A large buffer: the compressor is called per write, and rows are short.
        buffered = io.BufferedWriter(self.raw, buffer_size=1 << 20)
        self.text = io.TextIOWrapper(buffered, encoding="utf-8", newline="")
        writer = csv.writer(self.text)
        writer.writerow(self.header)
        self.write = writer.writerow
        writer.writerow(row)

    def close(self) -> None:
        if self.text is not None:
            self.text.close()


def _discard(row: list[str]) -> None:
    return None


def manifest_rows(version: str, modes: dict[str, str]) -> list[list[str]]:
    rows = [
        ["propertyName", "value"],
        ["manifest.version", "1.0"],
        ["oneroster.version", version],
    ]
    rows += [[f"file.{key}", modes.get(key, "absent")] for key in spec.MANIFEST_FILES[version]]
    rows += [["source.systemName", "Steward"], ["source.systemCode", "steward"]]
    return rows


def write(
    plan: Plan,
    path: Path | None,
    *,
    change: Change | None = None,
    notice: tuple[str, str] | None = None,
    count_columns: bool = False,
) -> Result:
    """Write the package for `plan` to `path` (a new zip), or only count when `path` is None.

    `change` makes it a delta against an earlier export; `notice` is (file name, text) of
    the redisclosure notice to include. `count_columns` fills `Result.filled` (the preview).
    """
    # Millions of short-lived rows and no cycles: the cyclic collector would only rescan them.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _write(plan, path, change, notice, count_columns)
    finally:
        if gc_was_enabled:
            gc.enable()


def _write(
    plan: Plan,
    path: Path | None,
    change: Change | None,
    notice: tuple[str, str] | None,
    count_columns: bool,
) -> Result:
    rows = Rows(plan, change)
    result = Result()
    mode = "delta" if change is not None else "bulk"
    archive = (
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
        if path is not None
        else None
    )
    try:
        district = rows.org_ids().get(plan.district_org_id or 0, "")
        for key in FILES:
            if f"{key}.csv" not in plan.columns:
                continue
            minimize = Minimizer(plan, key, district)
            member = _Member(archive, f"{key}.csv", minimize.header)
            _copy(_source(rows, key), minimize, member, result, key, count_columns)
            member.close()
            result.modes[key] = mode if result.counts.get(f"{key}.csv") else "absent"
        if archive is not None:
            archive.writestr(MANIFEST, _csv(manifest_rows(plan.version, result.modes)))
            if notice is not None:
                archive.writestr(notice[0], notice[1])
    finally:
        if archive is not None:
            archive.close()
    result.sent = rows.sent
    result.students = set(rows.concerned) & set(plan.student_ids)
    if not plan.pseudonymous:
        if result.counts.get("users.csv") and rows.picked.get("users:student", ((), ()))[0]:
            result.elements.add(LOCAL_ID)
        if rows.picked.get("users:guardian", ((), ()))[0]:
            result.elements.add(PARENT_ID)
    if rows.sent_schedule:
        result.elements.add(cols.SCHEDULE)
    return result


def _source(rows: Rows, key: str) -> Iterator[Row]:
    return {
        "orgs": rows.orgs,
        "academicSessions": rows.academic_sessions,
        "courses": rows.courses,
        "classes": rows.classes,
        "users": rows.users,
        "roles": rows.roles,
        "demographics": rows.demographics,
        "enrollments": rows.enrollments,
    }[key]()


def _copy(
    source: Iterator[Row],
    minimize: Minimizer,
    member: _Member,
    result: Result,
    key: str,
    count_columns: bool,
) -> None:
    name = f"{key}.csv"
    written = deleted = 0
    pending = {kind: list(personal) for kind, personal in minimize.personal.items()}
    filled = [0] * len(minimize.header)
    active, gone, constants = minimize.active, minimize.gone, minimize.constants
    for kind, status, values in source:  # the hot loop of an export: kept lean
        if status == DELETED:
            member.write(gone[kind](values + constants))
            written += 1
            deleted += 1
            continue
        row = active[kind](values + constants)
        member.write(row)
        written += 1
        waiting = pending.get(kind)
        if waiting:
            for item in [item for item in waiting if row[item[0]]]:
                result.elements.update(item[1])
                waiting.remove(item)
        if count_columns:
            for position, value in enumerate(row):
                if value:
                    filled[position] += 1
    if written:
        result.counts[name] = written
    if deleted:
        result.deleted[name] = deleted
    if count_columns:
        result.filled[name] = dict(zip(minimize.header, filled, strict=True))


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()
