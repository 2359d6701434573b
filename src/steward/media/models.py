"""Media release (design.md P8; R128–R135): which uses of a student's image, voice and work
the family allows, per school year.

* `MediaUse`: the district's categories (configuration, seeded with R132's default set).
* `MediaRelease`: one signed release of one student for one school year, with the exact text
  shown and its SHA-256 (99.30(d), R47). A later release for the same year `supersedes` the
  previous one; both stay.
* `MediaChoice`: one explicit allowed/denied answer per use (R132: never a blanket checkbox).
* `MediaRevocation`: a use withdrawn from a release from `revoked_at` on (R134).
* `EventReleaseRequest` / `EventRelease`: a release for a single event (R130).

Every table but `MediaUse` is a history: rows are written once, by `steward.media.actions`
with their ledger entry, and never changed (`HistoryRow.save` refuses).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.history import HistoryRow
from steward.media import defaults
from steward.roster.models import Guardian, Org, Section, Student


class MediaUse(models.Model):
    """One district media-release category (R132)."""

    key = models.SlugField(max_length=64, unique=True)
    label = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "key"]

    def __str__(self) -> str:
        return str(self.display_label)

    @property
    def display_label(self) -> str:
        """The label in the user's language while it is the default English one."""
        default = defaults.LABELS.get(self.key)
        if default is not None and self.label == str(_untranslated(default)):
            return str(default)
        return self.label


def _untranslated(text: Any) -> str:
    from django.utils import translation

    with translation.override(None):
        return str(text)


class SignerKind(models.TextChoices):
    GUARDIAN = "guardian", _("parent or guardian")
    STUDENT = "student", _("eligible student")
    STAFF_PAPER = "staff_paper", _("paper form entered by staff")


class Method(models.TextChoices):
    ELECTRONIC = "electronic", _("electronic signature")
    PAPER = "paper", _("paper form")


class MediaRelease(HistoryRow):
    """A student's media release for one school year (R128, R129), signed as 99.30(d) asks."""

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="media_releases")
    school_year = models.CharField(max_length=9, help_text=_("e.g. 2026-2027"))
    signed_at = models.DateTimeField()
    signer_kind = models.CharField(max_length=16, choices=SignerKind.choices)
    signer_guardian = models.ForeignKey(
        Guardian, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField()
    text_sha256 = models.CharField(max_length=64)
    method = models.CharField(max_length=16, choices=Method.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    attestation = models.TextField(blank=True)
    supersedes = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )

    class Meta:
        indexes = [
            models.Index(fields=["student", "school_year", "signed_at"], name="media_release_year")
        ]

    def __str__(self) -> str:
        return f"{self.student} ({self.school_year})"


class MediaChoice(HistoryRow):
    """One explicit answer of a release: `use` allowed or not."""

    release = models.ForeignKey(MediaRelease, on_delete=models.PROTECT, related_name="choices")
    use = models.ForeignKey(MediaUse, on_delete=models.PROTECT, related_name="+")
    allowed = models.BooleanField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["release", "use"], name="media_choice_once")]


class MediaRevocation(HistoryRow):
    """`use` withdrawn from `release` from `revoked_at` on (R134); earlier posts stay lawful."""

    release = models.ForeignKey(MediaRelease, on_delete=models.PROTECT, related_name="revocations")
    use = models.ForeignKey(MediaUse, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["release", "use"], name="media_revocation_once")
        ]


class EventReleaseRequest(HistoryRow):
    """A request to families for a release for one event (R130), for a section or a school."""

    title = models.CharField(max_length=255)
    date = models.DateField()
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    school = models.ForeignKey(
        Org, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uses = models.ManyToManyField(MediaUse, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.title} ({self.date})"


class EventRelease(HistoryRow):
    """A family's answer to an event release request, signed like a `MediaRelease`."""

    request = models.ForeignKey(
        EventReleaseRequest, on_delete=models.PROTECT, related_name="releases"
    )
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="+")
    allowed = models.BooleanField()
    signed_at = models.DateTimeField()
    signer_guardian = models.ForeignKey(
        Guardian, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField()
    text_sha256 = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["request", "student"], name="media_event_release")]


class PublishedItem(HistoryRow):
    """Media published with students in it (R134): what, where, when, by whom, and for which
    use (the channel), so that a withdrawal shows what to take down. Recorded by staff when
    they publish, through `actions.do_record_publication`, which checks every student's
    clearance first (R133). Taking an item down adds a `TakeDown`; this row never changes."""

    title = models.CharField(max_length=255)
    use = models.ForeignKey(MediaUse, on_delete=models.PROTECT, related_name="+")
    location = models.CharField(
        max_length=1000, help_text=_("Web address, or where the item is shown or printed.")
    )
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    event = models.ForeignKey(
        EventReleaseRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    students: models.ManyToManyField[Student, PublishedStudent] = models.ManyToManyField(
        Student, through="PublishedStudent", related_name="published_media"
    )

    class Meta:
        indexes = [models.Index(fields=["published_at"], name="media_published_at")]

    def __str__(self) -> str:
        return self.title


class PublishedStudent(HistoryRow):
    """One student shown in a published item, with what cleared them at publication: the
    school-year release (`release`) or a release for the item's event (`event_release`)."""

    item = models.ForeignKey(PublishedItem, on_delete=models.PROTECT, related_name="appearances")
    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="+")
    release = models.ForeignKey(
        MediaRelease, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    event_release = models.ForeignKey(
        EventRelease, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "student"], name="media_published_once")
        ]
        indexes = [models.Index(fields=["student", "item"], name="media_published_student")]


class TakeDown(HistoryRow):
    """`item` taken down (or asked to be taken down) at `taken_down_at` by `by` (R134)."""

    item = models.OneToOneField(PublishedItem, on_delete=models.PROTECT, related_name="take_down")
    taken_down_at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True)
