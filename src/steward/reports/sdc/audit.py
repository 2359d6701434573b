"""audit(): the independent check every release passes before it goes out (R90, R94, R97).

Given the published tables of a release and of the earlier releases of its series, for every
primary cell (the history's included: a new release must not expose an old cell) it reports
an interval [low, high] the attacker cannot narrow, whether that meets the protection rule,
and how it was found (assess.py: exact pre-check, verified hypercube moves, HiGHS LPs). It
also refuses the publishing patterns that leak whatever the suppression (patterns.py).

The release is blocked unless `AuditReport.ok`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from steward.reports.sdc.assess import Assessor, Verdict
from steward.reports.sdc.patterns import Finding, leak_patterns
from steward.reports.sdc.published import PublishedTable
from steward.reports.sdc.rules import Rules
from steward.reports.sdc.system import System

__all__ = ["AuditReport", "CellAudit", "Finding", "audit"]


@dataclass(frozen=True)
class CellAudit:
    """One primary cell. The attacker's min is at most `low` and max at least `high`; with
    `low_exact`/`high_exact` (found by LP) they are exactly the attacker's min and max.
    `lone`: given away by an equation in which it is the only suppressed cell."""

    table: str
    cell: str
    index: int
    value: int
    low: float
    high: float
    required_low: float
    required_high: float
    low_exact: bool
    high_exact: bool
    disclosed: bool
    lone: bool
    history: bool
    ok: bool

    def to_dict(self) -> dict[str, object]:
        return {
            "table": self.table,
            "cell": self.cell,
            "index": self.index,
            "value": self.value,
            "low": _num(self.low),
            "high": _num(self.high),
            "required_low": self.required_low,
            "required_high": self.required_high,
            "low_exact": self.low_exact,
            "high_exact": self.high_exact,
            "disclosed": self.disclosed,
            "lone": self.lone,
            "history": self.history,
            "ok": self.ok,
        }


def _num(value: float) -> float | str:
    return "inf" if np.isinf(value) else round(float(value), 6)


@dataclass(frozen=True)
class AuditReport:
    ok: bool
    cells: tuple[CellAudit, ...]
    findings: tuple[Finding, ...]
    disclosed_secondaries: tuple[tuple[str, str], ...]
    lp_solved: int
    seconds: float
    rules: Rules

    @property
    def failures(self) -> tuple[CellAudit, ...]:
        """Primary cells whose interval is narrower than the rule (or given away exactly)."""
        return tuple(c for c in self.cells if not c.ok)

    @property
    def exact_disclosures(self) -> tuple[CellAudit, ...]:
        return tuple(c for c in self.cells if c.disclosed)

    def to_dict(self) -> dict[str, object]:
        """The JSON form a release stores with its determination (R90)."""
        return {
            "ok": self.ok,
            "cells": [c.to_dict() for c in self.cells],
            "failures": len(self.failures),
            "exact_disclosures": len(self.exact_disclosures),
            "findings": [f.to_dict() for f in self.findings],
            "disclosed_secondaries": [list(x) for x in self.disclosed_secondaries],
            "lp_solved": self.lp_solved,
            "seconds": round(self.seconds, 3),
            "rules": self.rules.to_dict(),
        }


def audit(
    published: Sequence[PublishedTable],
    rules: Rules,
    *,
    history: Sequence[PublishedTable] = (),
    exact: bool = False,
) -> AuditReport:
    """Audit a release against itself and its history.

    With `exact=True` every interval is the LP's exact [min, max] (two LPs per primary cell);
    otherwise intervals proved by a verified move are reported as reached, and LPs run only
    where no move proves the rule, which decides the same pass or fail much faster.
    """
    started = time.perf_counter()
    tables = [*published, *history]
    system = System(tables, rules)
    assessor = Assessor(system, exact=exact)
    verdicts = assessor.verdicts(system.requirements())
    cells = tuple(_cell(system, assessor, v, len(published)) for v in verdicts)
    findings = tuple(leak_patterns(tables, release_count=len(published)))
    disclosed = _disclosed_secondaries(system, assessor)
    ok = all(c.ok for c in cells) and not findings
    return AuditReport(
        ok=ok,
        cells=cells,
        findings=findings,
        disclosed_secondaries=disclosed,
        lp_solved=assessor.lp_solved,
        seconds=time.perf_counter() - started,
        rules=rules,
    )


def _cell(system: System, assessor: Assessor, v: Verdict, n_release: int) -> CellAudit:
    req = v.requirement
    table = system.published[req.table].table
    pos = assessor.reduced.position[req.var]
    lone = bool(pos >= 0 and assessor.pre.lone[pos])
    return CellAudit(
        table=table.name,
        cell=table.label(req.cell),
        index=req.cell,
        value=int(v.value),
        low=v.low,
        high=v.high,
        required_low=req.low,
        required_high=req.high,
        low_exact=v.low_exact,
        high_exact=v.high_exact,
        disclosed=v.disclosed,
        lone=lone,
        history=req.table >= n_release,
        ok=v.ok,
    )


def _disclosed_secondaries(system: System, assessor: Assessor) -> tuple[tuple[str, str], ...]:
    """Suppressed non-primary cells the equations give away: their "*" hides nothing."""
    out = []
    determined = assessor.pre.determined  # the algebra stage's, if any cell needed it
    for t, pub in enumerate(system.published):
        secondary = pub.secondary.ravel()
        for flat in np.flatnonzero(secondary):
            pos = assessor.reduced.position[system.var_of[t][flat]]
            if pos >= 0 and determined[pos]:
                out.append((pub.name, pub.table.label(int(flat))))
    return tuple(out)
