"""Series and releases of de-identified tables (R90, R97): the only writers of those rows.

Each action validates, raises `ValidationError` with a clear message, and writes its ledger
entry in the same transaction as its rows. A release is aggregate data, not a disclosure of
any student's record: its entries name no student, only the record parts it counts.

- `prepare_release`: count, protect and audit a series' next release against every approved
  earlier release of the series (R97) and keep it as a DRAFT;
- `prepare_from_builder`: the same from the report builder, into an existing series (whose
  shape and rules must match) or a new one created in the same transaction;
- `approve_release`: publish a draft whose audit passed, with the officer's written
  determination (R90); refused when the audit failed, or when another release of the series
  was approved since this one was audited (its audit did not take it into account);
- `discard_release`: set a draft aside.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.accounts.selectors import signed_in as _user
from steward.audit import ledger
from steward.audit.models import Action
from steward.reports import build, publish
from steward.reports.models import Release, ReleaseStatus, Series
from steward.reports.sdc.rules import Rules
from steward.reports.spec import Family, Measure, ReportSpec

SERIES_PURPOSE = "de-identified reporting: series created (R97)"
PREPARE_PURPOSE = "de-identified reporting: release prepared and audited (R90, R97)"
APPROVE_PURPOSE = "de-identified reporting: release approved for publication (R90)"
DISCARD_PURPOSE = "de-identified reporting: draft release discarded"
MIN_DETERMINATION = 40  # a determination a later reader can follow, not "ok"
SHAPE_KEYS = ("measure", "geography", "grades", "family", "subject")

_PARTS = {
    Measure.ENROLLMENT: "enrollment_schedule",
    Measure.ATTENDANCE: "attendance",
    Measure.DISCIPLINE: "discipline",
    Measure.PROFICIENCY: "assessments",
}


def shape_of(spec: ReportSpec) -> dict[str, Any]:
    data = spec.as_dict()
    return {key: data[key] for key in SHAPE_KEYS}


def scopes_of(spec: ReportSpec) -> list[str]:
    """The record parts a report counts from (ledger scopes)."""
    parts = {_PARTS[Measure(spec.measure)], "enrollment_schedule"}
    if spec.family in (Family.RACE, Family.SEX):
        parts.add("demographics")
    elif spec.family != Family.NONE:
        parts.add("special_indicators")
    return sorted(parts)


def create_series(
    title: str,
    spec: ReportSpec,
    rules: Rules,
    *,
    description: str = "",
    user: Any,
    request: HttpRequest | None = None,
) -> Series:
    """A new series publishing `spec`'s table (its shape) under `rules`."""
    title = title.strip()
    if not title:
        raise ValidationError(_("Name the series."), code="title")
    with transaction.atomic():
        if Series.objects.filter(title__iexact=title).exists():
            raise ValidationError(
                _("A series named “%(title)s” exists already.") % {"title": title},
                code="duplicate",
            )
        series = Series.objects.create(
            title=title,
            description=description.strip(),
            shape=shape_of(spec),
            rules=rules.to_dict(),
            created_at=timezone.now(),
            created_by=_user(user),
        )
        ledger.record(
            action=Action.CREATE,
            **ledger.actor_of(user),
            **ledger.request_context(request),
            scopes=scopes_of(spec),
            purpose=SERIES_PURPOSE,
            detail={"series": series.pk, "title": title, "shape": series.shape},
        )
    return series


def spec_for(series: Series, as_of: dt.date, school_days: int | None = None) -> ReportSpec:
    return ReportSpec.from_dict(
        {**series.shape, "as_of": as_of.isoformat(), "school_days": school_days}
    )


def prepare_release(
    series: Series,
    as_of: dt.date,
    *,
    school_days: int | None = None,
    user: Any,
    request: HttpRequest | None = None,
) -> Release:
    """Build, protect and audit the series' next release as of `as_of` (a DRAFT)."""
    spec = spec_for(series, as_of, school_days)
    rules = Rules.from_dict(series.rules)
    with transaction.atomic():
        # Serialize preparations of one series: the number and the history both depend on
        # what is there when this one commits.
        Series.objects.select_for_update().filter(pk=series.pk).first()
        earlier = list(
            Release.objects.filter(series=series, status=ReleaseStatus.APPROVED).order_by("number")
        )
        built = build.build(spec, rules, history=build.history_of([r.tables for r in earlier]))
        number = (
            Release.objects.filter(series=series).aggregate(top=Max("number"))["top"] or 0
        ) + 1
        pub = built.published
        release = Release.objects.create(
            series=series,
            number=number,
            title=built.spec.title(),
            spec=built.spec.as_dict(),
            rules=rules.to_dict(),
            tables=build.tables_as_json(built),
            audit=built.audit.to_dict(),
            audit_ok=built.audit.ok,
            considered=[r.pk for r in earlier],
            suppressed_primary=int(pub.primary.sum()),
            suppressed_secondary=int(pub.secondary.sum()),
            coded=int(pub.coded.sum()),
            prepared_at=timezone.now(),
            prepared_by=_user(user),
        )
        ledger.record(
            action=Action.CREATE,
            **ledger.actor_of(user),
            **ledger.request_context(request),
            scopes=scopes_of(built.spec),
            purpose=PREPARE_PURPOSE,
            detail={
                "release": release.pk,
                "series": series.pk,
                "number": number,
                "as_of": as_of.isoformat(),
                "audit_ok": release.audit_ok,
                "primary": release.suppressed_primary,
                "secondary": release.suppressed_secondary,
                "coded": release.coded,
                "considered": release.considered,
            },
        )
    return release


def prepare_from_builder(
    spec: ReportSpec,
    rules: Rules,
    *,
    series: Series | None = None,
    new_title: str = "",
    user: Any,
    request: HttpRequest | None = None,
) -> Release:
    """The builder's "prepare a release": into `series`, or a new series named `new_title`
    created in the same transaction (nothing is kept if the release cannot be prepared)."""
    with transaction.atomic():
        if series is None:
            series = create_series(new_title, spec, rules, user=user, request=request)
        else:
            if series.shape != shape_of(spec):
                raise ValidationError(
                    _(
                        "“%(title)s” publishes a different table; its releases must all "
                        "count the same thing the same way (R97)."
                    )
                    % {"title": series.title},
                    code="shape",
                )
            if Rules.from_dict(series.rules) != rules:
                raise ValidationError(
                    _(
                        "“%(title)s” is published under other suppression rules; every "
                        "release of a series uses the series' rules (R97)."
                    )
                    % {"title": series.title},
                    code="rules",
                )
        return prepare_release(
            series, spec.as_of, school_days=spec.school_days, user=user, request=request
        )


def approve_release(
    release: Release, determination: str, *, user: Any, request: HttpRequest | None = None
) -> Release:
    """Publish a DRAFT whose audit passed, recording who approved it and their written
    determination that no student is identifiable, alone or with the series' earlier
    releases (R90). The published CSV is made and stored now."""
    text = determination.strip()
    if len(text) < MIN_DETERMINATION:
        raise ValidationError(
            _(
                "Write the determination: why no student can be identified from this release, "
                "alone or with earlier ones (at least %(n)d characters)."
            )
            % {"n": MIN_DETERMINATION},
            code="determination",
        )
    with transaction.atomic():
        current = Release.objects.select_for_update().select_related("series").get(pk=release.pk)
        if current.status != ReleaseStatus.DRAFT:
            raise ValidationError(_("Only a draft release can be approved."), code="status")
        if not current.audit_ok:
            raise ValidationError(
                _("The audit of this release did not pass: it cannot be published (R90)."),
                code="audit",
            )
        approved_since = list(
            Release.objects.filter(series=current.series, status=ReleaseStatus.APPROVED)
            .exclude(pk__in=current.considered)
            .values_list("number", flat=True)
        )
        if approved_since:
            raise ValidationError(
                _(
                    "Release %(numbers)s of this series was approved after this one was "
                    "audited: prepare it again so that its audit takes it into account (R97)."
                )
                % {"numbers": ", ".join(str(n) for n in approved_since)},
                code="stale",
            )
        current.status = ReleaseStatus.APPROVED
        current.determination = text
        current.approved_at = timezone.now()
        current.approved_by = _user(user)
        current.published_csv = publish.csv_text(current)
        current.published_sha256 = hashlib.sha256(current.published_csv.encode()).hexdigest()
        current.save(
            update_fields=[
                "status",
                "determination",
                "approved_at",
                "approved_by",
                "published_csv",
                "published_sha256",
            ]
        )
        ledger.record(
            action=Action.CHANGE,
            **ledger.actor_of(user),
            **ledger.request_context(request),
            scopes=scopes_of(ReportSpec.from_dict(current.spec)),
            purpose=APPROVE_PURPOSE,
            detail={
                "release": current.pk,
                "series": current.series_id,
                "number": current.number,
                "determination": text,
                "method": "cell suppression with LP audit",
                "rules": current.rules,
                "considered": current.considered,
                "csv_sha256": current.published_sha256,
            },
        )
    return current


def discard_release(release: Release, *, user: Any, request: HttpRequest | None = None) -> Release:
    with transaction.atomic():
        current = Release.objects.select_for_update().get(pk=release.pk)
        if current.status != ReleaseStatus.DRAFT:
            raise ValidationError(_("Only a draft release can be discarded."), code="status")
        current.status = ReleaseStatus.DISCARDED
        current.discarded_at = timezone.now()
        current.save(update_fields=["status", "discarded_at"])
        ledger.record(
            action=Action.CHANGE,
            **ledger.actor_of(user),
            **ledger.request_context(request),
            scopes=scopes_of(ReportSpec.from_dict(current.spec)),
            purpose=DISCARD_PURPOSE,
            detail={"release": current.pk, "series": current.series_id, "number": current.number},
        )
    return current
