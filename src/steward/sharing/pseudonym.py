"""Pseudonymous sourcedIds: stable for one vendor, unlinkable across vendors (issue #7).

pseudonym = the first 32 hex digits of HMAC-SHA256(district key, "<vendor id>|<kind>|<real id>")

- stable: the same vendor always gets the same pseudonym for the same record, so syncs do not
  create duplicates (oneroster.md §1.5);
- unlinkable: without the district key, two vendors' pseudonyms of one student cannot be
  matched, nor a pseudonym traced back to the SIS id (128 bits: no collision in practice);
- `kind` is the OneRoster file the id belongs to ("users", "classes", …), because sourcedIds
  are unique only within their type.

The key is `STEWARD_PSEUDONYM_KEY` from the environment, or outside production one generated
once and kept in the data directory (`pseudonym_key`, owner-only), like the secret key.
Changing it changes every pseudonym: vendors would see a new district.
"""

from __future__ import annotations

import functools
import hashlib
import hmac

from steward import config

LENGTH = 32  # hex digits kept; [0-9a-f] fits every vendor's sourcedId rules


@functools.cache
def _key_from(value: str) -> bytes:
    return value.encode()


def district_key() -> bytes:
    """The district's pseudonym key (read on each call, so tests and rotations apply at once)."""
    # In production only from the environment (config.secret raises MissingSecret).
    return _key_from(config.secret("STEWARD_PSEUDONYM_KEY", "pseudonym_key", nbytes=32))


class Pseudonymizer:
    """Pseudonyms for one vendor. Not memoised: the export maps each record's id once."""

    def __init__(self, vendor_id: int, key: bytes | None = None) -> None:
        self.key = key if key is not None else district_key()
        self.prefix = f"{vendor_id}|"

    def __call__(self, kind: str, real_id: str) -> str:
        if not real_id:
            return ""
        message = f"{self.prefix}{kind}|{real_id}".encode()
        return hmac.digest(self.key, message, hashlib.sha256).hex()[:LENGTH]
