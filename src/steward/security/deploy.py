"""What a deployment needs beyond the settings (issue #10 item 2; design.md §6, R116).

- System checks. `steward.controls.E001` (always): the Content Security Policy is missing from
  the middleware or weakened (inline or eval'd script or style, plugins, framing).
  `steward.controls.W001` (`check --deploy`): production (`STEWARD_HTTPS`) serves behind a
  reverse proxy, since waitress speaks plain HTTP, but `STEWARD_TRUSTED_PROXY` does not name
  it, so every request seems to come from the proxy: per-address limits count all clients as
  one, and the ledger records the proxy's address for everyone.
- `server_options()`: the waitress options `steward serve` adds, a request-size cap just above
  the largest upload and the trusted proxy.
- `create_cache_tables()`: after `migrate`, the table of the database cache, when
  `STEWARD_CACHE_URL` chooses it (Django keeps cache tables out of migrations).
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.management import call_command

from steward import config
from steward.security import uploads

CSP_MIDDLEWARE = "csp.middleware.CSPMiddleware"
# Directives whose presence the policy must keep, with the only value each may have.
_LOCKED = {"object-src": ["'none'"], "frame-ancestors": ["'none'"], "base-uri": ["'self'"]}
_UNSAFE = ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "data:", "*")
# Room for a form's other fields beside its largest file.
_FORM_OVERHEAD = 1024 * 1024


@checks.register(checks.Tags.security)
def check_content_security_policy(**_kwargs: Any) -> list[checks.CheckMessage]:
    """steward.controls.E001 when CSPMiddleware is not installed or the policy allows what
    `steward.security.csp` forbids."""
    problems: list[str] = []
    if CSP_MIDDLEWARE not in settings.MIDDLEWARE:
        problems.append(f"{CSP_MIDDLEWARE} is not in MIDDLEWARE")
    directives = (getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}).get("DIRECTIVES", {})
    for name in ("default-src", "script-src", "style-src"):
        allowed = [str(value) for value in directives.get(name, [])]
        weak = [value for value in allowed if value in _UNSAFE]
        if weak:
            problems.append(f"{name} allows {', '.join(weak)}")
    if not directives.get("default-src"):
        problems.append("default-src is not set")
    for name, value in _LOCKED.items():
        if [str(v) for v in directives.get(name, [])] != value:
            problems.append(f"{name} must be {' '.join(value)}")
    return [
        checks.Error(
            f"The Content Security Policy is weakened: {problem}.",
            hint="Keep the policy of steward.security.csp (docs/security.md).",
            id="steward.controls.E001",
        )
        for problem in problems
    ]


@checks.register(checks.Tags.security, deploy=True)
def check_trusted_proxy(**_kwargs: Any) -> list[checks.CheckMessage]:
    """steward.controls.W001 in production without `STEWARD_TRUSTED_PROXY`."""
    if not config.production() or os.environ.get("STEWARD_TRUSTED_PROXY", "").strip():
        return []
    return [
        checks.Warning(
            "STEWARD_HTTPS is set but STEWARD_TRUSTED_PROXY is not: behind the HTTPS proxy "
            "every request appears to come from the proxy's address.",
            hint="Set STEWARD_TRUSTED_PROXY to the reverse proxy's address, so per-address "
            "rate limits and lockouts count each client and the ledger records who asked.",
            id="steward.controls.W001",
        )
    ]


def server_options() -> dict[str, Any]:
    """Options for `waitress.serve` beyond address, port and threads.

    `max_request_body_size`: a request bigger than the largest upload Steward accepts (plus
    room for the form) is refused with 413 while it arrives, before it can fill the disk.
    With `STEWARD_TRUSTED_PROXY`: waitress takes the client's address from that proxy's
    X-Forwarded-For and the scheme from its X-Forwarded-Proto (one proxy hop), and drops
    those headers when anyone else sends them.
    """
    largest = max(uploads.document_limit(), uploads.registry_limit())
    options: dict[str, Any] = {"max_request_body_size": largest + _FORM_OVERHEAD}
    proxy = os.environ.get("STEWARD_TRUSTED_PROXY", "").strip()
    if proxy:
        options.update(
            trusted_proxy=proxy,
            trusted_proxy_count=1,
            trusted_proxy_headers={"x-forwarded-for", "x-forwarded-proto"},
            clear_untrusted_proxy_headers=True,
        )
    return options


def create_cache_tables(using: str = "default", **_kwargs: Any) -> None:
    """post_migrate: create the database cache's table when a database cache is configured.
    Sent once per migrated app; an existing table is left alone (one introspection query)."""
    backends = {cache["BACKEND"] for cache in settings.CACHES.values()}
    if "django.core.cache.backends.db.DatabaseCache" in backends:
        call_command("createcachetable", database=using, verbosity=0)
