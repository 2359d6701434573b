"""SHA-256 of a text as Steward stores it beside notices, consents, terms and attestations."""

from __future__ import annotations

import hashlib


def sha256(text: str) -> str:
    """Hex SHA-256 of `text` encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
