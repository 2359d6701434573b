"""Import problems, reported as (file, line, column, value, reason), and the conformance log.

An `Issue` is an error (the import is rejected) or a warning (reported, import goes on).
`IssueLog` keeps every error but caps repeated warnings of one kind, so that a package with a
million `inactive` statuses still produces a readable report.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Issue:
    severity: str
    file: str
    line: int | None
    column: str
    value: str
    reason: str
    code: str

    def format(self) -> str:
        where = self.file or "package"
        if self.line is not None:
            where += f", line {self.line}"
        if self.column:
            where += f", column {self.column}"
        shown = self.value if len(self.value) <= 80 else self.value[:77] + "..."
        value = f" (value {shown!r})" if self.value else ""
        return f"{self.severity}: {where}{value}: {self.reason}"


class IssueLog:
    """Collects issues; keeps at most `warning_cap` warnings of each code and counts the rest."""

    def __init__(self, warning_cap: int = 20, error_cap: int = 1000) -> None:
        self.errors: list[Issue] = []
        self.warnings: list[Issue] = []
        self.suppressed: Counter[str] = Counter()
        self.error_count = 0
        self.warning_count = 0
        self._warning_codes: Counter[str] = Counter()
        self._warning_cap = warning_cap
        self._error_cap = error_cap

    def error(
        self, file: str, line: int | None, column: str, value: str, reason: str, code: str
    ) -> None:
        self.error_count += 1
        if len(self.errors) < self._error_cap:
            self.errors.append(Issue(ERROR, file, line, column, value, reason, code))
        else:
            self.suppressed[code] += 1

    def warning(
        self, file: str, line: int | None, column: str, value: str, reason: str, code: str
    ) -> None:
        self.warning_count += 1
        self._warning_codes[code] += 1
        if self._warning_codes[code] <= self._warning_cap:
            self.warnings.append(Issue(WARNING, file, line, column, value, reason, code))
        else:
            self.suppressed[code] += 1

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def lines(self) -> list[str]:
        """Human-readable report: errors first, then warnings, then what was left out."""
        out = [issue.format() for issue in self.errors + self.warnings]
        out += [f"... and {n} more of kind {code}" for code, n in sorted(self.suppressed.items())]
        return out


def write_conformance_log(
    path: Path,
    log: IssueLog,
    *,
    source: str,
    imported: list[str],
    rejected: list[str],
    when: dt.datetime,
) -> None:
    """Write the log in the shape of the 1EdTech conformance log: one row per test.

    Columns: test id, date, result (success / fail / warning), files imported, files rejected,
    explanation (file, line, column, value, reason).
    """
    with path.open("w", newline="", encoding="utf-8") as handle:
        _write_log(handle, log, source, imported, rejected, when)


def _write_log(
    handle: TextIO,
    log: IssueLog,
    source: str,
    imported: list[str],
    rejected: list[str],
    when: dt.datetime,
) -> None:
    writer = csv.writer(handle)
    writer.writerow(
        [
            "testId",
            "date",
            "result",
            "filesImported",
            "filesRejected",
            "file",
            "line",
            "column",
            "value",
            "explanation",
        ]
    )
    stamp = when.isoformat(timespec="seconds")
    files_in = ";".join(imported)
    files_out = ";".join(rejected)
    writer.writerow(
        [
            "package",
            stamp,
            "success" if log.ok else "fail",
            files_in,
            files_out,
            "",
            "",
            "",
            "",
            f"{source}: {log.error_count} errors, {log.warning_count} warnings",
        ]
    )
    for issue in log.errors + log.warnings:
        result = "fail" if issue.severity == ERROR else "warning"
        writer.writerow(
            [
                issue.code,
                stamp,
                result,
                files_in,
                files_out,
                issue.file,
                "" if issue.line is None else issue.line,
                issue.column,
                issue.value,
                issue.reason,
            ]
        )
    for code, count in sorted(log.suppressed.items()):
        writer.writerow(
            [
                code,
                stamp,
                "warning",
                files_in,
                files_out,
                "",
                "",
                "",
                "",
                f"{count} more issues of this kind not listed",
            ]
        )
