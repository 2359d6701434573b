"""Prints the τ-ARGUS cross-check's suppressed-cell counts at the end of the run, also when
the tests ran in xdist workers (whose own output pytest does not show)."""

from __future__ import annotations

import pytest

PROPERTY = "tauargus cross-check"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    lines = [
        str(value)
        for report in terminalreporter.stats.get("passed", [])
        for name, value in getattr(report, "user_properties", [])
        if name == PROPERTY
    ]
    if lines:
        terminalreporter.section("τ-ARGUS cross-check: suppressed cells")
        for line in sorted(lines):
            terminalreporter.write_line(line)
