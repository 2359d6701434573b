"""OneRoster import: validate the whole package, then apply it in one transaction.

`import_package(path)` is all or nothing. Pass 1 (pure, `steward.roster.oneroster.validate`)
reads every file and reports every problem as (file, line, column, value, reason) without
touching the database; if anything is wrong it raises `ImportRejected` and the database is
exactly as it was. Pass 2 (`apply`) re-reads the files and writes inside one transaction, so a
crash or SIGKILL part-way leaves the previous state intact.
"""

from __future__ import annotations

from steward.roster.importer.run import ImportRejected, ImportResult, import_package

__all__ = ["ImportRejected", "ImportResult", "import_package"]
