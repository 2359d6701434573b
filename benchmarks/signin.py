"""Staff sign-in for the page benchmarks, with the second factor that #10 requires of them.

Production requires two-step verification of every staff role with record access
(`STEWARD_MFA=required`), so a benchmark that only forced a session would measure a redirect.
`signed_in_client` signs a user in the way they would: the password step (a forced session
stands in for it), then the real setup page the first time (a new authenticator app, enrolled
through `do_enrol` with its ledger entry) or the real verification page later, each with the
code the app would show. The measured requests then pass the two-step middleware as they do in
production. One client per user: a code is accepted once per 30-second step, so the same user
is never signed in twice in a run.
"""

from __future__ import annotations

import time
from binascii import unhexlify
from typing import Any

from django.test import Client
from django_otp.oath import TOTP

from steward.security import mfa


def _code(key_hex: str) -> str:
    totp = TOTP(unhexlify(key_hex), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time()
    return f"{totp.token():06d}"


def signed_in_client(user: Any) -> Client:
    """A test client whose session has passed both sign-in steps for `user`."""
    client = Client()
    client.force_login(user)
    device = mfa.app_device(user)
    if device is None:
        client.get("/security/mfa/setup/")
        response = client.post(
            "/security/mfa/setup/", {"code": _code(client.session[mfa.PENDING_KEY])}
        )
    else:
        response = client.post("/security/mfa/verify/", {"code": _code(device.key)})
    if response.status_code != 302 or not mfa.app_device(user):
        raise RuntimeError(f"two-step sign-in failed for {user}: {response.status_code}")
    return client
