"""Reasons for access as the ledger keeps them: within the length its column allows.

The ledger's `legitimate_interest` holds at most `LIMIT` characters. SQLite ignores the limit;
PostgreSQL refuses a longer value, and with it the whole read: a teacher holding several
break-glass grants for one student (each reason quoting its threat), or one grant whose threat
was described at length, could not open the record in an emergency on PostgreSQL (found by the
fault tests, #10). So the text is fitted here, the same on both databases; the entry's detail
keeps what is left out (every break-glass grant's id; the threat in full in the grant's own
entry and row).
"""

from __future__ import annotations

from django.utils.translation import ngettext

from steward.audit.models import Entry

LIMIT: int = Entry._meta.get_field("legitimate_interest").max_length or 1000
_ELLIPSIS = "…"
_SEPARATOR = "; "


def clip(text: str, limit: int = LIMIT) -> str:
    """`text`, cut with an ellipsis if it is longer than `limit` characters."""
    return text if len(text) <= limit else text[: limit - len(_ELLIPSIS)] + _ELLIPSIS


def join_within(texts: list[str], limit: int = LIMIT) -> str:
    """`texts` joined by "; " in at most `limit` characters: whole reasons while they fit, then
    how many were left out ("and 3 more", in the active language); a first reason too long to
    fit is clipped."""
    joined = _SEPARATOR.join(texts)
    if len(joined) <= limit:
        return joined
    for kept in range(len(texts) - 1, 0, -1):
        candidate = _SEPARATOR.join([*texts[:kept], _more(len(texts) - kept)])
        if len(candidate) <= limit:
            return candidate
    if len(texts) == 1:
        return clip(texts[0], limit)
    more = _SEPARATOR + _more(len(texts) - 1)
    return clip(texts[0], limit - len(more)) + more


def _more(count: int) -> str:
    return ngettext("and %(count)d more", "and %(count)d more", count) % {"count": count}
