"""Figures the fuzz and load tests measure, printed at the end of the run (#10 items 5, 6).

A test records them with `record_property("figures: <name>", text)`; this hook prints them
after the results, also when the tests ran in xdist workers, whose own output pytest does not
show. It is imported by this folder's conftest.
"""

from __future__ import annotations

import pytest

PREFIX = "figures: "


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    figures = [
        (name.removeprefix(PREFIX), str(value))
        for outcome in ("passed", "failed")
        for report in terminalreporter.stats.get(outcome, [])
        for name, value in getattr(report, "user_properties", [])
        if name.startswith(PREFIX)
    ]
    if figures:
        terminalreporter.section("security: fuzzing and load figures")
        for name, text in sorted(figures):
            terminalreporter.write_line(f"{name}: {text}")
