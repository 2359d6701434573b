"""Reads for the privacy office's restriction pages (R17): plain querysets with a fixed number
of queries each, whatever the number of rows. They decide nothing and log nothing: the views are
privacy-office only and write the READ entries (`actions_restrictions.do_record_restriction_*`).

The encrypted columns a page does not show are deferred, so that listing documents never
decrypts (or even fetches) a PDF.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from steward.roster.forms_restrictions import ALL, EXPIRED, WITHDRAWN
from steward.roster.models import GuardianRelationship
from steward.roster.models_restrictions import RestrictionDocument

SEARCH_LIMIT = 50
_LINK_PARTS = ("student", "guardian")


def documents(show: str, today: dt.date) -> QuerySet[RestrictionDocument]:
    """Documents for the list, newest upload first: on file (the default: not withdrawn, and
    not past an expiry date), `EXPIRED`, `WITHDRAWN` or `ALL`."""
    rows = RestrictionDocument.objects.select_related(
        "link__student", "link__guardian", "uploaded_by", "withdrawn_by"
    ).defer("content", "note", "filename", "withdrawn_reason")
    if show == WITHDRAWN:
        rows = rows.filter(withdrawn_at__isnull=False)
    elif show == EXPIRED:
        rows = rows.filter(withdrawn_at__isnull=True, expires_on__lt=today)
    elif show != ALL:
        rows = rows.filter(withdrawn_at__isnull=True).filter(
            Q(expires_on__isnull=True) | Q(expires_on__gte=today)
        )
    return rows.order_by("-uploaded_at", "-pk")


def _on_file() -> Exists:
    return Exists(
        RestrictionDocument.objects.filter(link=OuterRef("pk"), withdrawn_at__isnull=True)
    )


def undocumented() -> QuerySet[GuardianRelationship]:
    """Links restricted (by the student information system, or a document since withdrawn)
    with no document on file: R17 wants the district to hold the documentation."""
    return (
        GuardianRelationship.objects.filter(access_restricted=True)
        .exclude(_on_file())
        .select_related(*_LINK_PARTS)
        .order_by("student__family_name", "student__given_name", "student_id", "pk")
    )


def search(text: str) -> list[GuardianRelationship]:
    """Guardian links whose student or guardian matches every word of `text` (name, student
    number or source-system id), with `on_file` = the documents not withdrawn; at most
    `SEARCH_LIMIT`."""
    links = GuardianRelationship.objects.all()
    for word in text.split()[:4]:
        links = links.filter(
            Q(student__identifier__iexact=word)
            | Q(student__sourced_id__iexact=word)
            | Q(student__given_name__icontains=word)
            | Q(student__family_name__icontains=word)
            | Q(guardian__sourced_id__iexact=word)
            | Q(guardian__given_name__icontains=word)
            | Q(guardian__family_name__icontains=word)
        )
    found = (
        links.select_related(*_LINK_PARTS)
        .annotate(
            on_file=Count(
                "restriction_documents",
                filter=Q(restriction_documents__withdrawn_at__isnull=True),
            )
        )
        .order_by("student__family_name", "student__given_name", "student_id", "pk")
    )
    return list(found[:SEARCH_LIMIT])


def link(pk: int) -> GuardianRelationship | None:
    """One link with its student and guardian, or None."""
    return GuardianRelationship.objects.select_related(*_LINK_PARTS).filter(pk=pk).first()


def history(link: GuardianRelationship) -> list[RestrictionDocument]:
    """Every document of `link`: those on file first, then the withdrawn ones, newest first
    within each (the PDF itself is not read)."""
    return list(
        link.restriction_documents.select_related("uploaded_by", "withdrawn_by")
        .defer("content")
        .order_by(F("withdrawn_at").desc(nulls_first=True), "-uploaded_at", "-pk")
    )


def other_links(link: GuardianRelationship) -> list[GuardianRelationship]:
    """The same guardian's links to other students (an order often names several children)."""
    return list(
        GuardianRelationship.objects.filter(guardian_id=link.guardian_id)
        .exclude(pk=link.pk)
        .select_related("student")
        .order_by("student__family_name", "student__given_name", "pk")
    )


def document(pk: int) -> RestrictionDocument | None:
    """One document with its link, PDF included, or None."""
    return RestrictionDocument.objects.select_related("link").filter(pk=pk).first()
