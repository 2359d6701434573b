"""The OAuth 2 scopes of the OneRoster 1.2 rostering service (1EdTech OpenAPI document,
`components.securitySchemes.OAuth2CC`): which scope each kind of endpoint requires.

Pure data: no Django imports.
"""

from __future__ import annotations

PREFIX = "https://purl.imsglobal.org/spec/or/v1p2/scope/"
CORE = PREFIX + "roster-core.readonly"
ROSTER = PREFIX + "roster.readonly"
DEMOGRAPHICS = PREFIX + "roster-demographics.readonly"
ALL = (CORE, ROSTER, DEMOGRAPHICS)

# Collections and single objects (getAll*, get*): either roster scope (the document lists both).
READ = frozenset({ROSTER, CORE})
# Nested paths (/classes/{id}/students, /schools/{id}/...): roster.readonly only.
NESTED = frozenset({ROSTER})
# /demographics and /demographics/{id}.
DEMOGRAPHIC = frozenset({DEMOGRAPHICS})


def parse(text: str) -> list[str]:
    """The scopes of an OAuth `scope` parameter (space-separated, RFC 6749 §3.3), in order,
    without duplicates."""
    seen: list[str] = []
    for scope in text.split():
        if scope not in seen:
            seen.append(scope)
    return seen
