"""The load test's district, in the child's own database (#10 item 6).

`python -m tests.security.load_district setup`, after `steward demo --small --no-serve`,
adds the people the load needs and prints them as JSON:

* teachers with a login, each signed in and MFA-verified (a confirmed TOTP device's
  `otp_device_id` in the session, as a real second factor leaves it, and the session-expiry
  clocks a sign-in starts), with the students whose records they may open;
* guardians with a login and a session, with the children they may inspect;
* API clients under an active district-wide agreement for a provider (client credentials
  only: the load asks the token endpoint for its tokens, as a vendor would);
* `head`: the ledger's last seq once all of that is written.

`python -m tests.security.load_district ledger HEAD` reads request ids on stdin (one a line)
and prints, for the entries after HEAD, how many each request id wrote and which students and
actors they name, and how many entries carry an id that is not on the list.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steward.settings")

TEACHERS = 30
STUDENTS_PER_TEACHER = 8
GUARDIANS = 10
API_CLIENTS = 10


def _verified_session(user: Any) -> str:
    """A session key for `user`, signed in and verified by a confirmed TOTP device."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from steward.security.sessions import stamp_sign_in

    device = TOTPDevice.objects.create(user=user, name="load test", confirmed=True)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[DEVICE_ID_SESSION_KEY] = device.persistent_id
    stamp_sign_in(store)
    store.create()
    assert store.session_key is not None
    return store.session_key


def _teachers() -> list[dict[str, Any]]:
    from django.utils import timezone

    from steward.access.service import actor_for, visible_students
    from steward.accounts.actions import do_provision_account
    from steward.accounts.models import Account
    from steward.accounts.selectors import current
    from steward.roster.models import Staff, StaffRole

    teaching = StaffRole.objects.filter(
        current(timezone.localdate()), position=StaffRole.Position.TEACHER
    ).values_list("staff_id", flat=True)
    out: list[dict[str, Any]] = []
    for staff in Staff.objects.filter(pk__in=teaching, active=True).order_by("sourced_id"):
        if len(out) == TEACHERS:
            break
        user, _created = do_provision_account(
            username=f"load-teacher-{len(out) + 1}", role=Account.Role.TEACHER, staff=staff
        )
        students = sorted(visible_students(actor_for(user), "directory"))[:STUDENTS_PER_TEACHER]
        if students:
            out.append({"user": user.pk, "session": _verified_session(user), "students": students})
    return out


def _guardians() -> list[dict[str, Any]]:
    from types import SimpleNamespace

    from steward.accounts.actions import do_provision_account
    from steward.accounts.models import Account
    from steward.rights.selectors import can_act
    from steward.roster.models import GuardianRelationship

    links = GuardianRelationship.objects.filter(
        active=True, access_restricted=False, student__active=True, guardian__active=True
    ).order_by("guardian__sourced_id", "student_id")
    found: dict[int, tuple[Any, list[int]]] = {}
    for link in links.select_related("guardian").iterator():
        if len(found) == GUARDIANS and link.guardian_id not in found:
            break
        if can_act(SimpleNamespace(guardian_id=link.guardian_id), link.student_id, "inspect"):
            found.setdefault(link.guardian_id, (link.guardian, []))[1].append(link.student_id)
    out = []
    for number, (guardian, children) in enumerate(found.values(), start=1):
        user, _created = do_provision_account(
            username=f"load-guardian-{number}", role=Account.Role.GUARDIAN, guardian=guardian
        )
        out.append({"user": user.pk, "session": _verified_session(user), "children": children})
    return out


def _api_clients() -> list[dict[str, str]]:
    from django.utils import timezone

    from steward.rostering import actions
    from steward.rostering import scopes as sc
    from steward.vendors.models import Vendor
    from tests.rostering.factories import FULL
    from tests.sharing.factories import agreement

    vendor = Vendor.objects.create(name="Load Test Learning", created_at=timezone.now())
    deal = agreement(vendor, elements=FULL, title="Load test DPA")
    out = []
    for number in range(1, API_CLIENTS + 1):
        client, secret = actions.do_create_api_client(
            agreement=deal, name=f"Load {number}", scopes=sc.ALL, by=None
        )
        out.append({"client_id": client.client_id, "secret": secret})
    return out


def setup() -> dict[str, Any]:
    from django.conf import settings

    from steward.audit.models import Entry

    teachers, guardians, clients = _teachers(), _guardians(), _api_clients()
    assert teachers and guardians, "the demo district has no teachers or guardians to act as"
    head = Entry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    return {
        "cookie": settings.SESSION_COOKIE_NAME,
        "teachers": teachers,
        "guardians": guardians,
        "api_clients": clients,
        "head": head,
    }


def ledger(head: int, ours: set[str]) -> dict[str, Any]:
    """Entries after `head`: per request id of ours, how many and about whom; the rest."""
    from steward.audit.models import Entry

    per_request: dict[str, dict[str, Any]] = {}
    foreign: list[list[Any]] = []
    rows = (
        Entry.objects.filter(seq__gt=head)
        .order_by("seq")
        .values_list(
            "request_id", "action", "actor_user_id", "subject_student", "subject_count", "scopes"
        )
    )
    for request_id, action, actor, student, count, scopes in rows.iterator():
        if request_id not in ours:
            foreign.append([request_id, action])
            continue
        seen = per_request.setdefault(
            request_id,
            {
                "entries": 0,
                "actions": [],
                "actors": [],
                "students": [],
                "scopes": [],
                "subjects": 0,
            },
        )
        seen["entries"] += 1
        seen["subjects"] += count
        seen["scopes"].append(scopes)  # one per entry: a read entry names one record part
        for key, value in (("actions", action), ("actors", actor), ("students", student)):
            if value not in seen[key]:
                seen[key].append(value)
    return {"requests": per_request, "foreign": foreign}


def main() -> None:
    import django

    django.setup()
    if sys.argv[1] == "setup":
        print(json.dumps(setup()))
    elif sys.argv[1] == "ledger":
        ours = {line.strip() for line in sys.stdin if line.strip()}
        print(json.dumps(ledger(int(sys.argv[2]), ours)))
    else:
        raise SystemExit(f"unknown command {sys.argv[1]!r}")


if __name__ == "__main__":
    main()
