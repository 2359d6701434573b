"""Disclosure avoidance for aggregate tables: suppression, coding and the audit (R90–R98).

Pure Python with numpy and scipy (design.md §3 rule 4). The report builder makes `Table`s,
calls `protect` for a release, then `audit` on the result (with the series' earlier releases
as `history`) and blocks the release unless the report is ok. The method note is
docs/disclosure-avoidance.md.
"""

from steward.reports.sdc.audit import AuditReport, CellAudit, audit
from steward.reports.sdc.patterns import Finding
from steward.reports.sdc.protect import CannotProtect, Protection, protect
from steward.reports.sdc.published import NOT_APPLICABLE, SUPPRESSED, PublishedTable
from steward.reports.sdc.rules import DEFAULT_TIERS, MIN_THRESHOLD, Rules, Tier
from steward.reports.sdc.table import Dimension, Table, build_table, fill_margins

__all__ = [
    "DEFAULT_TIERS",
    "MIN_THRESHOLD",
    "NOT_APPLICABLE",
    "SUPPRESSED",
    "AuditReport",
    "CannotProtect",
    "CellAudit",
    "Dimension",
    "Finding",
    "Protection",
    "PublishedTable",
    "Rules",
    "Table",
    "Tier",
    "audit",
    "build_table",
    "fill_margins",
    "protect",
]
