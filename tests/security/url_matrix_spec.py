"""The vocabulary of the role × URL matrix (#10 item 4; design.md §6: "every role × every URL
is tested: anonymous, wrong role, right role wrong student, right role right student").

A `Spec` is one row of the matrix: one URL pattern of the project, who may use it, how to
build its arguments for a role's right object and wrong object, and exactly what the view
answers in each of the four states. The tables live beside this module, one per area
(`url_matrix_staff`, `url_matrix_family`, `url_matrix_office`, `url_matrix_vendors`,
`url_matrix_api`, `url_matrix_admin`); `url_matrix_urls` enumerates the URLconf.

Roles are the `Account` roles (R33: each kind of user is identified and authenticated in its
own way), plus a login without any role, a superuser, and two OAuth clients of the OneRoster
API that carry a bearer token and no session.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .url_matrix_world import MISSING, STAFF_ROLES, World

ANONYMOUS = "anonymous"
ROLES: tuple[str, ...] = (
    ANONYMOUS,
    "no_role",
    *STAFF_ROLES,
    "privacy_officer",
    "guardian",
    "student",
    "vendor",
    "superuser",
    "api_client",
    "api_core",
)
STAFF = frozenset(STAFF_ROLES)
OFFICE = frozenset({"privacy_officer", "superuser"})
FAMILY = frozenset({"guardian", "student"})
# A bearer token and no session: the API's clients. On a page they are nobody (anonymous).
API_CLIENTS = frozenset({"api_client", "api_core"})
SIGNED_IN = frozenset(ROLES) - {ANONYMOUS} - API_CLIENTS
EVERYONE = frozenset(ROLES)
NOBODY: frozenset[str] = frozenset()

# Expected answers that are not a bare status code.
LOGIN = "login"  # 302 to the sign-in page, with ?next= the requested path
ADMIN_LOGIN = "admin-login"  # 302 to the admin's own sign-in page, with ?next=
Expected = int | str

Args = Callable[[World, str, bool], dict[str, Any]]
Data = Callable[[World, str], dict[str, Any]]
Place = Callable[[World, str, dict[str, Any]], str]
Headers = Callable[[World, str, bool], dict[str, str]]
# A list page's right and wrong objects: (text it must show the role, text it must not).
Lists = Callable[[World, str], tuple[str, str] | None]


def no_args(w: World, role: str, right: bool) -> dict[str, Any]:
    return {}


def no_data(w: World, role: str) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Spec:
    """One URL pattern in the matrix.

    `key` is the pattern's name (or its route when it has none). `allowed` are the right
    roles. `args(world, role, right)` gives the URL's keyword arguments naming the role's
    right object (`right=True`) or wrong object; wrong roles are sent to the right object of
    their own kind. A POST-only URL (`post=True`) is asked with GET once by each right role
    (answer `get`, 405 unless said) and then with POST (`data`) in the four states. `api`
    rows are the OneRoster API's: their clients send `headers` (a bearer token by default).

    `ok` is the right role's answer on the right object (per role in `ok_for`), `goes_to`
    where its 302 must lead; `wrong` the answer on the wrong object (None: the URL names no
    object); `denied` the wrong roles' answer (per role in `denied_for`); `anonymous` the
    answer without a session (also the API clients' on pages).
    """

    key: str
    allowed: frozenset[str]
    args: Args = no_args
    post: bool = False
    get: Expected | None = 405
    data: Data = no_data
    query: str | Callable[[World], str] = ""
    ok: Expected = 200
    ok_for: Mapping[str, Expected] = field(default_factory=dict)
    goes_to: Place | None = None
    wrong: Expected | None = None
    wrong_for: Mapping[str, Expected] = field(default_factory=dict)
    also_wrong: Args | None = None
    denied: Expected = 403
    denied_for: Mapping[str, Expected] = field(default_factory=dict)
    anonymous: Expected = LOGIN
    lists: Lists | None = None
    api: bool = False
    headers: Headers | None = None
    url: Callable[[dict[str, Any]], str] | None = None  # for patterns without a name

    def expect_right(self, role: str) -> Expected:
        return self.ok_for.get(role, self.ok)

    def expect_wrong(self, role: str) -> Expected | None:
        if self.wrong is None and role not in self.wrong_for:
            return None
        return self.wrong_for.get(role, self.wrong)

    def expect_denied(self, role: str) -> Expected:
        return self.denied_for.get(role, self.denied)


# --- argument builders ---------------------------------------------------------------------


def office_pk(attr: str, kw: str = "pk", wrong: str | None = None) -> Args:
    """The privacy office sees every row: its wrong object is an unknown primary key, or the
    row `wrong` names (one in a state the page refuses)."""

    def build(w: World, role: str, right: bool) -> dict[str, Any]:
        if right:
            return {kw: getattr(w, attr).pk}
        return {kw: getattr(w, wrong).pk if wrong else MISSING}

    return build


def student_pk(kw: str = "pk") -> Args:
    """The role's own student (Ana; Eli for his own login), or Dee."""

    def build(w: World, role: str, right: bool) -> dict[str, Any]:
        return {kw: w.student_for(role, right).pk}

    return build


def fixed(**values: Any) -> Args:
    def build(w: World, role: str, right: bool) -> dict[str, Any]:
        return dict(values)

    return build


def to(name: str, *names: str, **fixed_kwargs: Any) -> Place:
    """A 302's destination: URL `name` reversed with the request's own `names` arguments."""
    from django.urls import reverse

    def place(w: World, role: str, kwargs: dict[str, Any]) -> str:
        return reverse(name, kwargs={n: kwargs[n] for n in names} | fixed_kwargs)

    return place
