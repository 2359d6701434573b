"""Security controls read from the environment (issue #10 item 2, design.md §4 and §6).

No Django imports: `steward.settings` calls these while it is being loaded. A malformed value
raises `ValueError` naming the variable, so a misconfigured server refuses to start instead of
running with a limit nobody chose.

- `STEWARD_CACHE_URL`: the cache that counts rate limits. Unset or `locmem://` is the
  process's memory, shared by all of waitress's threads (the `steward serve` setup);
  `db://` or `db://<table>` is a table in Steward's database, shared by every process on it
  (created by `steward migrate`). A deployment that runs several server processes must use
  the database cache, or each process counts on its own.
- `STEWARD_ROSTERING_TOKEN_RATE`, `STEWARD_ROSTERING_CLIENT_RATE`: `<count>/<period>`, the
  period in seconds, minutes, hours or days (`30/m`, `1200/60s`, `5000/h`).
- `STEWARD_UPLOAD_MAX_MB`, `STEWARD_REGISTRY_UPLOAD_MAX_MB`: upload size limits.
"""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import urlsplit

from steward import config

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$", re.IGNORECASE)
DEFAULT_CACHE_TABLE = "steward_cache"
_TABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


def parse_rate(text: str, *, variable: str = "rate") -> tuple[int, int]:
    """`"30/m"` → `(30, 60)`: at most `count` requests every `seconds`.

    ValueError (naming `variable`) unless the count and the period are positive.
    """
    match = _RATE.match(text)
    if match is None:
        raise ValueError(
            f"{variable} must look like 30/m or 1200/60s (count/period; s, m, h or d), not {text!r}"
        )
    count, multiple, unit = int(match[1]), int(match[2] or 1), match[3].lower()
    if count < 1 or multiple < 1:
        raise ValueError(f"{variable}: the count and the period must be positive, not {text!r}")
    return count, multiple * _UNITS[unit]


def env_rate(variable: str, default: str) -> tuple[int, int]:
    """The rate in `variable`, else `default` (both `parse_rate` syntax)."""
    return parse_rate(os.environ.get(variable) or default, variable=variable)


def env_megabytes(variable: str, default: int) -> int:
    """A size limit in whole megabytes from `variable` (else `default`), as bytes."""
    return config.env_int(variable, default) * 1024 * 1024


def cache_from_url(url: str) -> dict[str, Any]:
    """The Django CACHES entry for a `STEWARD_CACHE_URL` (see the module docstring)."""
    parts = urlsplit(url.strip() or "locmem://")
    scheme = parts.scheme.lower()
    if scheme == "locmem":
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": parts.netloc or "steward",
        }
    if scheme == "db":
        table = parts.netloc or parts.path.strip("/") or DEFAULT_CACHE_TABLE
        if not _TABLE.match(table):
            raise ValueError(f"STEWARD_CACHE_URL: {table!r} is not a plain table name")
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": table}
    raise ValueError(f"STEWARD_CACHE_URL must start with locmem:// or db://, not {url.strip()!r}")
