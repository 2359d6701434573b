"""What a vendor's feed asks for, and every export made (issue #7; R67–R71, R109).

`Feed` is the per-agreement delivery setting the privacy office keeps: the OneRoster version,
whether sourcedIds are pseudonymous, whether the recipient is a military recruiter or a college
(20 U.S.C. 7908), and the columns the vendor asked for, so the preview can show which of them
the agreement does not allow. An agreement without a Feed row uses `Feed.DEFAULTS`.

`Export` is a history row (never changed): one per package produced, written by
`steward.sharing.actions.do_export` in the same transaction as its disclosure entry.
"""

from __future__ import annotations

import base64
import json
import zlib
from array import array
from itertools import accumulate
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.history import HistoryRow
from steward.vendors.models import Agreement


class Version(models.TextChoices):
    V11 = "1.1", _("OneRoster 1.1")
    V12 = "1.2", _("OneRoster 1.2")


class Feed(models.Model):
    """How an agreement's data is delivered, and what the vendor asked for."""

    DEFAULTS: dict[str, Any] = {"version": "1.2", "pseudonymous": False, "recruiter": False}

    agreement = models.OneToOneField(Agreement, on_delete=models.PROTECT, related_name="feed")
    version = models.CharField(
        _("OneRoster version"), max_length=4, choices=Version.choices, default=Version.V12
    )
    pseudonymous = models.BooleanField(_("pseudonymous sourcedIds"), default=False)
    recruiter = models.BooleanField(
        _("the recipient is a military recruiter or an institution of higher education"),
        default=False,
    )
    # {"users.csv": ["givenName", "email", ...], ...}: what the vendor asked to receive.
    requested_columns = models.JSONField(_("columns the vendor asked for"), default=dict)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"feed of {self.agreement_id}"


class Mode(models.TextChoices):
    BULK = "bulk", _("bulk: a complete snapshot")
    DELTA = "delta", _("delta: changes since an earlier export")


class Export(HistoryRow):
    """One OneRoster package sent (or ready to send) to the vendor of `agreement`."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="exports")
    at = models.DateTimeField(db_index=True)
    mode = models.CharField(max_length=8, choices=Mode.choices)
    since = models.DateTimeField(null=True, blank=True)
    # The export a delta was computed against (what the vendor already had).
    baseline = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.CharField(max_length=4, choices=Version.choices)
    pseudonymous = models.BooleanField()
    # {"users.csv": [...], ...} and {"users.csv:student": [...], ...}: what could be sent.
    columns = models.JSONField(default=dict)
    counts = models.JSONField(default=dict)  # {"users.csv": rows, ...}
    student_count = models.PositiveIntegerField(default=0)
    # zlib-compressed JSON {kind: sorted primary keys}: what the vendor holds after this
    # export, so the next delta can send `tobedeleted` for whatever has left the plan.
    sent_ids = models.BinaryField()
    # The newest roster import visible when the data was read: a delta sends what later
    # imports changed.
    import_mark = models.BigIntegerField(default=0)
    filename = models.CharField(max_length=255)
    path = models.CharField(max_length=1000)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    entry_seq = models.BigIntegerField(null=True, blank=True)  # the disclosure's ledger entry
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.at:%Y-%m-%d %H:%M})"

    def sent(self) -> dict[str, frozenset[int]]:
        """The primary keys held by the vendor after this export, by kind."""
        return unpack_ids(bytes(self.sent_ids))


# `Export.sent_ids`: JSON {kind: base64 of the zlib-compressed gaps between the sorted ids, as
# 64-bit integers}. Gaps are mostly 1, so four million enrollment ids take a few kilobytes.
def pack_ids(ids: dict[str, frozenset[int]]) -> bytes:
    """The `Export.sent_ids` form of `{kind: ids}`."""
    data = {}
    for kind, values in ids.items():
        ordered = sorted(values)
        gaps = array("q", [b - a for a, b in zip([0, *ordered], ordered, strict=False)])
        data[kind] = base64.b64encode(zlib.compress(gaps.tobytes(), 6)).decode()
    return json.dumps(data, separators=(",", ":")).encode()


def unpack_ids(packed: bytes) -> dict[str, frozenset[int]]:
    out = {}
    for kind, text in json.loads(packed).items():
        gaps = array("q")
        gaps.frombytes(zlib.decompress(base64.b64decode(text)))
        out[kind] = frozenset(accumulate(gaps))
    return out
