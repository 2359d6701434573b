"""Configuration read from the environment (design.md §4).

Pure helpers with no Django imports, so the CLI can resolve the data directory and
secret key before Django is set up.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def data_dir() -> Path:
    """Return `STEWARD_DATA_DIR` (default `./var`), creating it if needed."""
    path = Path(os.environ.get("STEWARD_DATA_DIR", "var")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


class MissingSecret(RuntimeError):
    """A secret that production must take from the environment is not set."""


def production() -> bool:
    """Whether this is a production configuration: `STEWARD_HTTPS` is set (docs/security.md).

    Anything reachable by more than its operator is served over HTTPS, and the demo on
    loopback is not, so the one switch that turns on secure cookies and HSTS also means
    "secrets come only from the environment".
    """
    return env_flag("STEWARD_HTTPS")


def secret(variable: str, file_name: str, *, nbytes: int) -> str:
    """Return the secret in `variable`, or outside production one kept in the data directory.

    In production a missing variable raises MissingSecret: a key generated on the server
    would sit beside the data it protects and be lost with the machine (design.md §6).
    """
    from_env = os.environ.get(variable)
    if from_env:  # as given: trimming would silently change an HMAC key
        return from_env
    if production():
        raise MissingSecret(
            f"{variable} is not set. In production (STEWARD_HTTPS) Steward takes its secrets "
            f"only from the environment: set {variable} to a long random value kept where the "
            "district keeps its other secrets."
        )
    return kept_secret(data_dir() / file_name, nbytes=nbytes)


def secret_key() -> str:
    """Return `STEWARD_SECRET_KEY`, or outside production a key generated once and kept in
    the data directory (`secret()`: production refuses to start without the variable)."""
    return secret("STEWARD_SECRET_KEY", "secret_key", nbytes=50)


def kept_secret(path: Path, *, nbytes: int) -> str:
    """Return the secret stored at `path`, generating it on first use."""
    if not path.exists():
        write_once(path, secrets.token_urlsafe(nbytes).encode())
    return path.read_text().strip()


def write_once(path: Path, data: bytes) -> bool:
    """Create `path` owner-only (0600) holding `data`; False if it already exists.

    O_EXCL makes concurrent first runs agree on one file; a failed write leaves no file.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return True


def env_flag(name: str, default: bool = False) -> bool:
    """Read a boolean environment variable ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int, *, minimum: int = 1) -> int:
    """The whole number in environment variable `name`, or `default` when unset or empty.

    Raises ValueError, naming the variable, when it is not a whole number or is below `minimum`.
    """
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, not {value}")
    return value


def database_url() -> str:
    """Return `DATABASE_URL`, defaulting to an SQLite file in the data directory."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{data_dir() / 'steward.sqlite3'}"


TRAINING_ENFORCEMENT_MODES = ("warn", "block")


def training_enforcement() -> str:
    """`STEWARD_TRAINING_ENFORCEMENT`: "warn" (default) or "block" (R44, R138).

    What happens to a staff member whose annual privacy-training confirmation is overdue:
    "warn" reminds them at login; "block" also blocks record access until they confirm
    (`steward.stewardship.rules.record_access_blocked`). Read at each call, so a change
    needs no restart; any other value is a configuration error (ValueError).
    """
    value = os.environ.get("STEWARD_TRAINING_ENFORCEMENT", "").strip().lower() or "warn"
    if value not in TRAINING_ENFORCEMENT_MODES:
        raise ValueError(f"STEWARD_TRAINING_ENFORCEMENT must be 'warn' or 'block', not {value!r}")
    return value
