"""The fault tests' district, run in the child's own database (#10 item 7).

`python -m tests.security.faults_district setup` (after `steward demo --small --no-serve`)
adds what the HTTP load needs and prints it as JSON: sessions for staff with record access,
guardians holding the consent right, and the privacy officer, each signed in and marked
MFA-verified (django-otp's `otp_device_id` for a confirmed TOTP device, as a real second
factor leaves it, and the session-expiry clocks a sign-in starts), and pending break-glass
grants for the officer to review.

`python -m tests.security.faults_district facts` reads the request ids the client saw
answered on stdin (one a line) and prints what the database holds: the integrity checks,
each write path's rows and ledger entries, and which answered requests left no entry.
"""

from __future__ import annotations

import json
import os
import sys
from types import SimpleNamespace
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steward.settings")

# How much of the district the load uses: enough for several workers per kind.
STAFF_USERNAMES = ("teacher", "principal", "counselor", "nurse", "sped")
GUARDIANS = 6
STUDENTS_PER_STAFF = 40
GRANTS = 400
THREAT = "A student reported a threat of self-harm during the field trip (fault test)."


def _verified_session(user: Any) -> str:
    """A session key for `user`, signed in and verified by a confirmed TOTP device."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from steward.security.sessions import stamp_sign_in

    device = TOTPDevice.objects.create(user=user, name="fault tests", confirmed=True)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    stamp_sign_in(store)  # the session-expiry clocks a real sign-in starts
    store.create()
    assert store.session_key is not None
    return store.session_key


def _staff() -> list[dict[str, Any]]:
    from django.contrib.auth.models import User

    from steward.access.service import actor_for, visible_students

    out = []
    for username in STAFF_USERNAMES:
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        students = sorted(visible_students(actor_for(user), "directory"))[:STUDENTS_PER_STAFF]
        if students:
            out.append({"user": username, "session": _verified_session(user), "students": students})
    return out


def _guardians() -> list[dict[str, Any]]:
    """Guardians who may sign for a child, each with one such child (their own login)."""
    from steward.accounts.actions import do_provision_account
    from steward.accounts.models import Account
    from steward.rights.selectors import can_act
    from steward.roster.models import GuardianRelationship

    out: list[dict[str, Any]] = []
    links = GuardianRelationship.objects.filter(
        active=True, access_restricted=False, student__active=True, guardian__active=True
    ).order_by("guardian__sourced_id", "student_id")
    # Distinct guardians and distinct children: each child's opt-out has one writer, whose
    # requests follow one another, so every answered request is a change with its entry.
    guardians: set[int] = set()
    children: set[int] = set()
    for link in links.select_related("guardian").iterator():
        if len(out) == GUARDIANS:
            break
        if link.guardian_id in guardians or link.student_id in children:
            continue
        if not can_act(SimpleNamespace(guardian_id=link.guardian_id), link.student_id, "consent"):
            continue
        guardians.add(link.guardian_id)
        children.add(link.student_id)
        user, _created = do_provision_account(
            username=f"faults-guardian-{len(out) + 1}",
            role=Account.Role.GUARDIAN,
            guardian=link.guardian,
        )
        out.append({"session": _verified_session(user), "child": link.student_id})
    return out


def _grants(staff: list[dict[str, Any]]) -> list[int]:
    """Break-glass grants opened by the first staff login, for the officer to review."""
    from django.contrib.auth.models import User

    from steward.access.actions import do_open_break_glass
    from steward.access.service import actor_for

    user = User.objects.get(username=staff[0]["user"])
    actor = actor_for(user)
    assert actor is not None
    grants = []
    students = [s for member in staff for s in member["students"]]
    for number in range(GRANTS):
        grant = do_open_break_glass(
            user=user,
            actor=actor,
            student=_student(students[number % len(students)]),
            scopes=["directory"],
            threat=THREAT,
            parties="the school nurse",
            hours=24,
        )
        grants.append(grant.pk)
    return grants


def _student(pk: int) -> Any:
    from steward.roster.models import Student

    return Student.objects.get(pk=pk)


def setup() -> dict[str, Any]:
    from django.contrib.auth.models import User

    staff = _staff()
    guardians = _guardians()
    officer = User.objects.get(username="officer")
    assert staff and guardians, "the demo district has no staff or guardians to act as"
    return {
        "staff": staff,
        "guardians": guardians,
        "officer": _verified_session(officer),
        "grants": _grants(staff),
    }


def facts(answered: list[str]) -> dict[str, Any]:
    """What the database holds; `answered` are request ids whose writes the client saw done."""
    from django.db import connection

    from steward.access.models import BreakGlassGrant
    from steward.audit.models import Action, Entry
    from steward.consents import actions as consents
    from steward.consents.models import DirectoryOptOut, DirectoryOptOutWithdrawal
    from tests.security.faults_snapshot import integrity

    def detail_ids(purpose: str, key: str) -> list[int]:
        rows = Entry.objects.filter(action=Action.CONSENT, purpose=purpose).values_list(
            "detail", flat=True
        )
        return sorted(json.loads(text)[key] for text in rows)

    reviews = Entry.objects.filter(
        action=Action.SECURITY, purpose="break-glass emergency access reviewed"
    ).values_list("detail", flat=True)
    reviewed = BreakGlassGrant.objects.exclude(outcome=BreakGlassGrant.Outcome.PENDING)
    half_reviewed = BreakGlassGrant.objects.filter(
        outcome=BreakGlassGrant.Outcome.PENDING, reviewed_at__isnull=False
    )
    in_ledger: set[str] = set()
    for start in range(0, len(answered), 500):  # SQLite bounds a query's parameters
        chunk = answered[start : start + 500]
        in_ledger.update(
            Entry.objects.filter(request_id__in=chunk).values_list("request_id", flat=True)
        )
    open_opt_outs = DirectoryOptOut.objects.filter(
        kind=DirectoryOptOut.Kind.RECRUITERS, withdrawal__isnull=True
    ).values_list("student_id", flat=True)
    head = Entry.objects.order_by("-seq").values_list("seq", "hash").first()
    out: dict[str, Any] = {
        "vendor": connection.vendor,
        "opt_outs": sorted(DirectoryOptOut.objects.values_list("pk", flat=True)),
        "opt_out_entries": detail_ids(consents.OPT_OUT_PURPOSE, "directory_opt_out"),
        "withdrawals": sorted(DirectoryOptOutWithdrawal.objects.values_list("pk", flat=True)),
        "withdrawal_entries": detail_ids(consents.WITHDRAW_PURPOSE, "withdrawal"),
        "reviewed": sorted(reviewed.values_list("pk", flat=True)),
        "review_entries": sorted(json.loads(text)["break_glass"] for text in reviews),
        "half_reviewed": list(half_reviewed.values_list("pk", flat=True)),
        "pending": sorted(
            BreakGlassGrant.objects.filter(outcome=BreakGlassGrant.Outcome.PENDING).values_list(
                "pk", flat=True
            )
        ),
        "opted_out_children": sorted(set(open_opt_outs)),
        "answered_without_entry": sorted(set(answered) - in_ledger),
        "reads": Entry.objects.filter(action=Action.READ).count(),
        "head": list(head) if head else None,
    }
    out.update(integrity())
    return out


def main() -> None:
    import django

    django.setup()
    if sys.argv[1] == "setup":
        print(json.dumps(setup()))
    elif sys.argv[1] == "facts":
        answered = [line.strip() for line in sys.stdin if line.strip()]
        print(json.dumps(facts(answered)))
    else:
        raise SystemExit(f"unknown command {sys.argv[1]!r}")


if __name__ == "__main__":
    main()
