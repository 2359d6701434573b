"""Every URL pattern of the project, read from the URLconf at test time: a URL added anywhere
(an app's urls.py, the admin, the OneRoster API's django-ninja router, i18n, static files if
ever routed) appears here without anyone listing it, and the matrix fails until it has a row.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Pattern:
    """One routable pattern: `key` is its (namespaced) name, or its full route if unnamed."""

    key: str
    route: str
    view: str


def _view_name(pattern: URLPattern) -> str:
    callback = pattern.callback
    view_class = getattr(callback, "view_class", None)
    target = view_class or callback
    module = getattr(target, "__module__", "?")
    return f"{module}.{getattr(target, '__qualname__', getattr(target, '__name__', '?'))}"


def _walk(
    patterns: Sequence[URLPattern | URLResolver], prefix: str, namespace: str
) -> Iterator[Pattern]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            continue
        route = prefix + str(entry.pattern)
        name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
        key = name or route
        yield Pattern(key=key, route=route, view=_view_name(entry))


def url_patterns() -> list[Pattern]:
    """Every pattern of the root URLconf, in resolution order."""
    return list(_walk(get_resolver().url_patterns, "", ""))


AREAS = (
    ("admin/", "url_matrix_admin.py"),
    ("security/", "url_matrix_security.py"),
    ("oidc/", "url_matrix_security.py"),
    ("ims/oneroster/", "url_matrix_api.py"),
    ("officer/rostering/", "url_matrix_api.py"),
    ("officer/vendors/", "url_matrix_vendors.py"),
    ("officer/agreements/", "url_matrix_vendors.py"),
    ("vendor/welcome/", "url_matrix_staff.py"),
    ("vendor/", "url_matrix_vendors.py"),
    ("officer/reports/", "url_matrix_office_data.py"),
    ("officer/sharing/", "url_matrix_office_data.py"),
    ("officer/", "url_matrix_office.py"),
    ("retention/family/", "url_matrix_family.py"),
    ("retention/", "url_matrix_office_data.py"),
    ("portal/", "url_matrix_family.py"),
)


def table_for(route: str) -> str:
    """The table module where a pattern with this route belongs (by its first segments)."""
    for prefix, module in AREAS:
        if route.removeprefix("^").startswith(prefix):
            return module
    return "url_matrix_staff.py"
