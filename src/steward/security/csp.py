"""The Content Security Policy of every page (issue #10 item 2; design.md §6, R116).

Served by django-csp's middleware on every response that has no policy of its own (documents
carry a stricter sandbox, `steward.security.uploads.SANDBOX_CSP`). Steward's pages load their one
stylesheet from their own origin and run no script, so the policy allows nothing inline and
nothing from elsewhere: an injected `<script>` or `style=` does not run, and no other site may
frame a page (clickjacking) or receive a form.

No Django imports: `steward.settings` builds the policy while it loads.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from csp.constants import NONE, SELF


def origin(url: str) -> str:
    """`https://idp.example.org/authorize?x` → `https://idp.example.org` ("" if not absolute)."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


def policy(*, form_targets: Iterable[str] = (), report_uri: str = "") -> dict[str, Any]:
    """django-csp's CONTENT_SECURITY_POLICY setting.

    `form_targets`: URLs outside Steward that a form may lead to — the identity provider when
    single sign-on is on, because browsers apply `form-action` to the redirects that follow a
    form's submission too. `report_uri`: where browsers report violations (the district's
    collector), if anywhere.
    """
    targets = sorted({o for o in (origin(url) for url in form_targets) if o})
    directives: dict[str, list[str]] = {
        "default-src": [SELF],
        # Named although default-src covers them, so the header says what a reviewer looks for.
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF, *targets],
        "frame-ancestors": [NONE],
    }
    if report_uri:
        directives["report-uri"] = [report_uri]
    return {"DIRECTIVES": directives}
