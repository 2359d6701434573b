"""Directory information (R8, R21, R23, R85–R89) and consent to disclose (R45–R50).

Every table but `DirectoryCategory` is a history: a row is written once and never changed.
An opt-out or a consent ends by a withdrawal or revocation row that points at it, so what a
family decided, and when, can always be read back. Rows are written only by
`steward.consents.actions`, each with its ledger entry; the rules are in
`steward.consents.rules`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steward.catalog.elements import ELEMENTS, SCOPE_KEYS
from steward.consents import directory
from steward.history import HistoryRow
from steward.roster.models import Guardian, Student

ELEMENT_KEYS: frozenset[str] = frozenset(element.key for element in ELEMENTS)

# Longest a consent to disclose may run (district policy, docs/consents.md): a school year
# and a little. A consent is re-signed rather than left open.
MAX_CONSENT_DAYS = 366


class MadeBy(models.TextChoices):
    """Who made a choice: a guardian in the portal, or a paper form entered by office staff,
    signed by a guardian or by the (eligible) student."""

    GUARDIAN = "guardian", _("guardian")
    STUDENT = "student", _("student")


class Method(models.TextChoices):
    ELECTRONIC = "electronic", _("electronic signature")
    PAPER = "paper", _("paper form entered by staff")


class Signed(HistoryRow):
    """Who signed, how, and who entered it: shared by every family choice.

    Electronic (99.30(d), R47): `entered_by` is the signer's own authenticated account.
    Paper: `entered_by` is the office staff member, `attestation` their statement that the
    signed form is on file.
    """

    made_by = models.CharField(_("made by"), max_length=16, choices=MadeBy.choices)
    guardian = models.ForeignKey(
        Guardian,
        verbose_name=_("guardian"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    attestation = models.TextField(_("staff attestation"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True


class DirectoryCategory(models.Model):
    """A type of directory information and whether the district designates it (R21, R89)."""

    key = models.SlugField(_("key"), max_length=64, unique=True)
    label = models.CharField(_("label"), max_length=255)
    designated = models.BooleanField(_("designated by the district"), default=False)
    ma_allowed = models.BooleanField(_("allowed in Massachusetts"), default=True)
    elements = models.JSONField(
        _("catalog elements"), default=list, blank=True, help_text=_("Data catalog element keys")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "key"]
        verbose_name = _("directory information category")
        verbose_name_plural = _("directory information categories")

    def __str__(self) -> str:
        return self.label

    @property
    def effective(self) -> bool:
        """Directory information today: designated and, under the MA rule, on the MA list."""
        return self.designated and (self.ma_allowed or not directory.ma_rule_on())

    def clean(self) -> None:
        if self.designated and not self.ma_allowed and directory.ma_rule_on():
            raise ValidationError(
                {
                    "designated": _(
                        "%(label)s is never directory information in Massachusetts "
                        "(603 CMR 23.07(4)(a)); it needs consent."
                    )
                    % {"label": self.label}
                }
            )
        unknown = sorted(set(self.elements) - ELEMENT_KEYS)
        if unknown:
            raise ValidationError(
                {"elements": _("Unknown catalog elements: %(keys)s") % {"keys": ", ".join(unknown)}}
            )


class DirectoryNotice(HistoryRow):
    """The annual directory-information notice with its opt-out window (R21, R85).

    Directory information is disclosed only after `opt_out_ends_on` (the last day to opt
    out). `text` is the notice as published, with its SHA-256.
    """

    school_year = models.PositiveSmallIntegerField(
        _("school year"), help_text=_("Calendar year the school year ends")
    )
    published_at = models.DateTimeField(_("published at"))
    opt_out_ends_on = models.DateField(_("last day to opt out"))
    text = models.TextField(_("text"))
    text_sha256 = models.CharField(_("text SHA-256"), max_length=64)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-published_at"]
        verbose_name = _("directory information notice")
        verbose_name_plural = _("directory information notices")
        indexes = [
            models.Index(fields=["school_year", "published_at"], name="consents_notice_year")
        ]

    def __str__(self) -> str:
        return str(
            _("Directory notice %(start)s-%(end)s, opt out by %(day)s")
            % {
                "start": self.school_year - 1,
                "end": self.school_year,
                "day": self.opt_out_ends_on.isoformat(),
            }
        )


class DirectoryOptOut(Signed):
    """A refusal to have directory information disclosed (R21, R23, R86).

    `kind` says what it covers: one `category`, every category, or (R23, 20 U.S.C. 7908)
    release to military recruiters and institutions of higher education. It holds until a
    `DirectoryOptOutWithdrawal` row, also after the student leaves (R86).
    """

    class Kind(models.TextChoices):
        CATEGORY = "category", _("one category")
        ALL = "all", _("all directory information")
        RECRUITERS = "recruiters", _("military recruiters and colleges (20 U.S.C. 7908)")

    student = models.ForeignKey(
        Student,
        verbose_name=_("student"),
        on_delete=models.PROTECT,
        related_name="directory_opt_outs",
    )
    kind = models.CharField(_("covers"), max_length=16, choices=Kind.choices)
    category = models.ForeignKey(
        DirectoryCategory,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    made_at = models.DateTimeField(_("made at"))

    class Meta:
        verbose_name = _("directory information opt-out")
        verbose_name_plural = _("directory information opt-outs")
        indexes = [models.Index(fields=["student", "made_at"], name="consents_optout_student")]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="category") & models.Q(category__isnull=False))
                | (~models.Q(kind="category") & models.Q(category__isnull=True)),
                name="consents_optout_category_iff_kind",
            )
        ]

    def __str__(self) -> str:
        covers = self.category.label if self.category is not None else self.get_kind_display()
        return str(
            _("%(student)s opts out: %(covers)s (%(day)s)")
            % {"student": self.student, "covers": covers, "day": self.made_at.date().isoformat()}
        )


class DirectoryOptOutWithdrawal(Signed):
    """The end of an opt-out, from `withdrawn_at` on; the opt-out row itself stays."""

    opt_out = models.OneToOneField(
        DirectoryOptOut,
        verbose_name=_("opt-out"),
        on_delete=models.PROTECT,
        related_name="withdrawal",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"))

    class Meta:
        verbose_name = _("directory opt-out withdrawal")
        verbose_name_plural = _("directory opt-out withdrawals")

    def __str__(self) -> str:
        return str(
            _("Withdrawal of %(opt_out)s on %(day)s")
            % {"opt_out": self.opt_out, "day": self.withdrawn_at.date().isoformat()}
        )


class DisclosureConsent(Signed):
    """A signed and dated written consent to disclose (99.30, 603 CMR 23.07(4); R45–R50).

    It names the record parts (`scopes`, catalog scope keys), the purpose and the recipient
    (a party or a class of parties), and runs until `expires_on` (inclusive) or a
    `DisclosureConsentRevocation`, whichever comes first. `text` is exactly what was signed.
    """

    student = models.ForeignKey(
        Student,
        verbose_name=_("student"),
        on_delete=models.PROTECT,
        related_name="disclosure_consents",
    )
    scopes = models.JSONField(_("records"), default=list)
    purpose = models.TextField(_("purpose"))
    recipient = models.CharField(_("recipient"), max_length=255)
    expires_on = models.DateField(_("expires on"))
    signed_at = models.DateTimeField(_("signed at"))
    text = models.TextField(_("text signed"))
    text_sha256 = models.CharField(_("text SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("consent to disclose")
        verbose_name_plural = _("consents to disclose")
        indexes = [models.Index(fields=["student", "signed_at"], name="consents_consent_student")]

    def __str__(self) -> str:
        return str(
            _("%(student)s: %(scopes)s to %(recipient)s until %(day)s")
            % {
                "student": self.student,
                "scopes": ", ".join(self.scopes),
                "recipient": self.recipient,
                "day": self.expires_on.isoformat(),
            }
        )

    def clean(self) -> None:
        validate_terms(self.scopes, self.purpose, self.recipient, self.expires_on)


class DisclosureConsentRevocation(Signed):
    """The end of a consent from `revoked_at` on (R50: revocable prospectively)."""

    consent = models.OneToOneField(
        DisclosureConsent,
        verbose_name=_("consent"),
        on_delete=models.PROTECT,
        related_name="revocation",
    )
    revoked_at = models.DateTimeField(_("revoked at"))

    class Meta:
        verbose_name = _("revocation of a consent to disclose")
        verbose_name_plural = _("revocations of consents to disclose")

    def __str__(self) -> str:
        return str(
            _("Revocation of %(consent)s on %(day)s")
            % {"consent": self.consent, "day": self.revoked_at.date().isoformat()}
        )


def validate_terms(
    scopes: object, purpose: str, recipient: str, expires_on: dt.date | None
) -> None:
    """Raise one ValidationError naming every missing or unsound term of a consent (R46, R50).

    Records (known catalog scope keys), purpose, recipient and an expiry after today and at
    most `MAX_CONSENT_DAYS` away are all required.
    """
    errors: dict[str, str] = {}
    if not isinstance(scopes, list | tuple) or not scopes:
        errors["scopes"] = str(_("Say which records may be disclosed."))
    else:
        unknown = sorted({str(s) for s in scopes} - SCOPE_KEYS)
        if unknown:
            errors["scopes"] = str(
                _("Unknown record parts: %(keys)s") % {"keys": ", ".join(unknown)}
            )
    if not (purpose or "").strip():
        errors["purpose"] = str(_("State the purpose of the disclosure."))
    if not (recipient or "").strip():
        errors["recipient"] = str(_("Name the party or class of parties who will receive it."))
    today = timezone.localdate()
    if expires_on is None:
        errors["expires_on"] = str(_("Give the date the consent expires."))
    elif expires_on <= today:
        errors["expires_on"] = str(_("The expiry date must be after today."))
    elif expires_on > today + dt.timedelta(days=MAX_CONSENT_DAYS):
        errors["expires_on"] = str(
            _("A consent may run for at most %(days)d days.") % {"days": MAX_CONSENT_DAYS}
        )
    if errors:
        raise ValidationError(errors)
