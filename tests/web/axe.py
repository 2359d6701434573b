"""axe-core in the browser tests: inject the npm package into a Playwright page and run it.

axe-core comes from npm (`package.json`, pinned by `package-lock.json`; `make install` runs
`npm ci`). Without `node_modules/axe-core/axe.min.js` the tests that need it skip, unless
STEWARD_REQUIRE_BROWSER is set (CI), where a missing axe-core is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

# The impacts the acceptance criterion forbids (issue #5): "no serious or critical violation".
BLOCKING = frozenset({"serious", "critical"})


def axe_script() -> Path:
    """The path of axe.min.js; skips (or fails under STEWARD_REQUIRE_BROWSER) when missing."""
    if not AXE_JS.exists():
        reason = f"{AXE_JS} is missing: run `npm ci` (or `make install`) to install axe-core"
        if os.environ.get("STEWARD_REQUIRE_BROWSER"):
            pytest.fail(f"{reason}; STEWARD_REQUIRE_BROWSER is set")
        pytest.skip(reason)
    return AXE_JS


def run_axe(page: Any) -> list[dict[str, Any]]:
    """Every axe-core violation on the page as it is now (injecting axe when needed)."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Evaluated through the DevTools protocol, not added as a <script> tag: the site's
        # Content Security Policy refuses inline scripts, and the browser tests keep it on (#10).
        page.evaluate(axe_script().read_text(encoding="utf-8"))
    result = page.evaluate("() => window.axe.run(document, { resultTypes: ['violations'] })")
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def blocking(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The violations whose impact is serious or critical."""
    return [v for v in violations if v.get("impact") in BLOCKING]


def describe(violations: list[dict[str, Any]]) -> str:
    """A readable report: rule, impact, help, and the offending elements (selector and HTML)."""
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v['help']} <{v['helpUrl']}>")
        for node in v.get("nodes", []):
            lines.append(f"    {', '.join(map(str, node.get('target', [])))}: {node.get('html')}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)
