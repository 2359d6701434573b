"""The access decisions for signed-in users: the only place pages ask "may this user see it?".

Decisions come from the process's `AccessIndex` (pure, in memory), kept in step with the
database by the roster stamp (`steward.roster.version`): every public function reads the stamp
first (one primary-key query) and rebuilds the index when another transaction, in this process
or any other, changed a granting relationship or the policy. A withdrawal is therefore seen by
the very next check everywhere (issue #4, access-control.md §5).

On top of the index come two paths that are not relationship-derived:

* break-glass grants (R82, R83), read from the database only when the index says no;
* parents and guardians: holding the right to inspect (`steward.rights`: a current,
  unrestricted link of a parent or guardian, or of a relative acting as one, R11, R14, R17)
  opens every part of their child's record, as in the family portal; an eligible student's
  own login opens their own (R9, R10).

Denial is the default: a user with no account, no staff row and no guardian row sees nothing.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from steward.access.index import AccessIndex, Reason
from steward.access.loader import load_index
from steward.access.models import BreakGlassGrant
from steward.access.policy import ALL_SCOPES
from steward.roster import version
from steward.roster.models import GuardianRelationship

BREAK_GLASS = "break_glass"
GUARDIAN = "guardian"
SELF = "student"


@dataclass(frozen=True)
class Actor:
    """Who is asking: the user and the roster person their account acts as."""

    user_id: int
    role: str
    staff_id: int | None = None
    guardian_id: int | None = None
    student_id: int | None = None  # a student's own login (steward.rights decides what it may)


@dataclass(frozen=True)
class Grant:
    """One reason access is allowed: a relationship (`reason`), a break-glass grant, or
    guardianship. `kind` is the relation (section, caseload, school), ``break_glass`` or
    ``guardian``."""

    kind: str
    reason: Reason | None = None
    break_glass: BreakGlassGrant | None = None


def actor_for(user: Any) -> Actor | None:
    """The `Actor` of a Django user, or None for anonymous users and logins without a role."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    account = getattr(user, "account", None)
    if account is None:
        return None
    return Actor(user.pk, account.role, account.staff_id, account.guardian_id, account.student_id)


# --- the index, kept in step with the database ---------------------------------------------


class _Cache:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.stamp: int | None = None
        self.index: AccessIndex | None = None


_cache = _Cache()


def current_index() -> AccessIndex:
    """The index for the roster as the current transaction sees it (rebuilt if stale)."""
    stamp = version.current()
    index = _cache.index
    if index is not None and _cache.stamp == stamp:
        return index
    with _cache.lock:
        if _cache.index is None or _cache.stamp != stamp:
            _cache.index = load_index()
            _cache.stamp = stamp
        return _cache.index


def reset() -> None:
    """Forget the index (tests; a process that must not hold the roster in memory)."""
    with _cache.lock:
        _cache.index = None
        _cache.stamp = None


# --- decisions -------------------------------------------------------------------------------


def _today(at: dt.date | None) -> dt.date:
    return at if at is not None else timezone.localdate()


def _open_grants(actor: Actor, student_id: int | None, now: dt.datetime) -> list[BreakGlassGrant]:
    if actor.staff_id is None:
        return []
    grants = BreakGlassGrant.objects.open_at(now).filter(staff_id=actor.staff_id)
    if student_id is not None:
        grants = grants.filter(student_id=student_id)
    return list(grants.order_by("opened_at"))


def _is_eligible_self(actor: Actor, student_id: int) -> bool:
    """A student's own login sees their record once they hold the right to inspect it
    (Massachusetts: from 14 or grade 9; FERPA: from 18; R9, R10)."""
    if actor.student_id is None or actor.student_id != student_id:
        return False
    from steward.rights.selectors import can_act

    return can_act(actor, student_id, "inspect")


def _guarded_children(guardian_id: int, day: dt.date) -> set[int]:
    """The students whose record this guardian holds the right to inspect on `day`."""
    from steward.rights.selectors import holders_for_many

    linked = GuardianRelationship.objects.filter(
        guardian_id=guardian_id, active=True, access_restricted=False
    ).values_list("student_id", flat=True)
    held = holders_for_many(linked, day)
    return {pk for pk, h in held.items() if h.guardian_holds(guardian_id, "inspect")}


def _guardian_of(actor: Actor, student_id: int, at: dt.date | None = None) -> bool:
    """Whether the actor is a parent or guardian holding the right to inspect the record on
    `at` (steward.rights, R11, R14, R17): an active, unrestricted link is not enough, since a
    relative's link makes no parent while a parent is on record (the family portal's rule)."""
    if actor.guardian_id is None:
        return False
    linked = GuardianRelationship.objects.filter(
        guardian_id=actor.guardian_id,
        student_id=student_id,
        active=True,
        access_restricted=False,
    ).exists()
    if not linked:  # the common refusal costs one query, as before
        return False
    from steward.rights.selectors import can_act

    return can_act(actor, student_id, "inspect", at)


def grants(
    actor: Actor | None,
    student_id: int,
    *,
    at: dt.date | None = None,
    now: dt.datetime | None = None,
) -> dict[str, list[Grant]]:
    """Every record part `actor` may access of `student_id`, each with its reasons.

    Parts with no reason are left out: an empty dict means no access at all. `at` is the day of
    the relationship check (default today), `now` the instant for break-glass (default now).
    """
    if actor is None:
        return {}
    day = _today(at)
    instant = now if now is not None else timezone.now()
    out: dict[str, list[Grant]] = {}
    if actor.staff_id is not None:
        index = current_index()
        for scope in sorted(ALL_SCOPES):
            reasons = index.why(actor.staff_id, student_id, scope, day)
            if reasons:
                out[scope] = [Grant(reason.relation, reason=reason) for reason in reasons]
        for grant in _open_grants(actor, student_id, instant):
            for scope in grant.scopes:
                out.setdefault(scope, []).append(Grant(BREAK_GLASS, break_glass=grant))
    if _guardian_of(actor, student_id, day):
        for scope in ALL_SCOPES:
            out.setdefault(scope, []).append(Grant(GUARDIAN))
    if _is_eligible_self(actor, student_id):
        for scope in ALL_SCOPES:
            out.setdefault(scope, []).append(Grant(SELF))
    return out


def can_access(
    actor: Actor | None,
    student_id: int,
    scope: str,
    *,
    at: dt.date | None = None,
    now: dt.datetime | None = None,
) -> bool:
    """Whether `actor` may access `scope` of `student_id`'s record (default: today, now)."""
    if actor is None:
        return False
    if actor.staff_id is not None:
        if current_index().can_access(actor.staff_id, student_id, scope, _today(at)):
            return True
        instant = now if now is not None else timezone.now()
        if any(scope in g.scopes for g in _open_grants(actor, student_id, instant)):
            return True
    return _guardian_of(actor, student_id, _today(at)) or _is_eligible_self(actor, student_id)


def visible_students(
    actor: Actor | None,
    scope: str,
    *,
    at: dt.date | None = None,
    now: dt.datetime | None = None,
) -> set[int]:
    """Every student whose `scope` `actor` may access: complete, never truncated.

    Use as a queryset filter with `Student.objects.filter(pk__in=visible_students(...))`.
    """
    if actor is None:
        return set()
    out: set[int] = set()
    if actor.staff_id is not None:
        out = current_index().visible_students(actor.staff_id, scope, _today(at))
        instant = now if now is not None else timezone.now()
        out |= {g.student_id for g in _open_grants(actor, None, instant) if scope in g.scopes}
    if actor.guardian_id is not None:
        out |= _guarded_children(actor.guardian_id, _today(at))
    if actor.student_id is not None and _is_eligible_self(actor, actor.student_id):
        out.add(actor.student_id)
    return out


def visible_filter(
    actor: Actor | None,
    scope: str,
    *,
    at: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Q:
    """`visible_students` as a queryset filter on students:
    `Student.objects.filter(visible_filter(actor, scope))`. Empty for no access."""
    return Q(pk__in=sorted(visible_students(actor, scope, at=at, now=now)))


def who_can_access(
    student_id: int,
    scope: str,
    *,
    at: dt.date | None = None,
    now: dt.datetime | None = None,
) -> set[int]:
    """The staff ids who may access `scope` of `student_id` (transparency), break-glass included."""
    out = current_index().who_can_access(student_id, scope, _today(at))
    instant = now if now is not None else timezone.now()
    open_grants = (
        BreakGlassGrant.objects.open_at(instant)
        .filter(student_id=student_id)
        .values_list("staff_id", "scopes")
    )
    out |= {staff for staff, scopes in open_grants if scope in scopes}
    return out


def access_overview(
    student_id: int, *, at: dt.date | None = None, now: dt.datetime | None = None
) -> dict[str, dict[int, list[Grant]]]:
    """Every staff member with access to each part of `student_id`'s record, with the reasons
    (relationships and open break-glass grants): record part → staff id → grants.

    For "who can see this student" (transparency); one stamp read and one grant query.
    """
    day = _today(at)
    instant = now if now is not None else timezone.now()
    index = current_index()
    out: dict[str, dict[int, list[Grant]]] = {}
    for scope in sorted(ALL_SCOPES):
        for staff in index.who_can_access(student_id, scope, day):
            reasons = index.why(staff, student_id, scope, day)
            out.setdefault(scope, {})[staff] = [Grant(r.relation, reason=r) for r in reasons]
    open_grants = (
        BreakGlassGrant.objects.open_at(instant).filter(student_id=student_id).order_by("opened_at")
    )
    for grant in open_grants:
        for scope in grant.scopes:
            out.setdefault(scope, {}).setdefault(grant.staff_id, []).append(
                Grant(BREAK_GLASS, break_glass=grant)
            )
    return out
