"""The privacy office's agreement pages (/officer/agreements/...; issue #6 items 3 and 4).

Four states for each: anonymous → login page, a teacher or a vendor contact → 403, the privacy
officer → 200 with the content, an unknown agreement → 404. Every write is a POST to an
action; refusals are shown on the page."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from steward.vendors.models import Agreement, AgreementStatus, Vendor

from .factories_agreements import (
    PDF,
    Kind,
    active,
    ag_client,
    ag_world,
    complete_terms,
    days,
    draft,
    ended,
    offer,
    today,
)

__all__ = ["ag_client", "ag_world"]
Login = Callable[[User], Client]
NumQueries = Callable[[int], AbstractContextManager[object]]
S = AgreementStatus
GET_PAGES = ["list", "create", "detail", "edit", "document"]
POSTS = ["upload", "activate", "terminate", "certificate", "renew", "adopt"]


def url(name: str, agreement: Agreement | None = None) -> str:
    if name in {"list", "create"}:
        return reverse(f"vendors-agreement-{name}")
    assert agreement is not None
    return reverse(f"vendors-agreement-{name}", args=[agreement.pk])


def test_the_pages_live_under_officer_agreements(ag_world: SimpleNamespace) -> None:
    agreement = draft(ag_world)
    assert url("list") == "/officer/agreements/"
    assert url("detail", agreement) == f"/officer/agreements/{agreement.pk}/"
    assert url("document", agreement) == f"/officer/agreements/{agreement.pk}/signed.pdf"


@pytest.mark.parametrize("name", GET_PAGES + POSTS)
def test_anonymous_visitors_go_to_the_login_page(
    client: Client, ag_world: SimpleNamespace, name: str
) -> None:
    agreement = draft(ag_world)
    response = (
        client.post(url(name, agreement)) if name in POSTS else client.get(url(name, agreement))
    )
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('login')}?next=")


@pytest.mark.parametrize("who", ["teacher", "ada"])
@pytest.mark.parametrize("name", GET_PAGES + POSTS)
def test_staff_and_vendor_contacts_are_forbidden(
    ag_client: Login, ag_world: SimpleNamespace, who: str, name: str
) -> None:
    agreement = draft(ag_world)
    client = ag_client(getattr(ag_world, who))
    response = (
        client.post(url(name, agreement)) if name in POSTS else client.get(url(name, agreement))
    )
    assert response.status_code == 403
    agreement.refresh_from_db()
    assert agreement.status == S.DRAFT


@pytest.mark.parametrize("name", ["detail", "edit", "document", "certificate-document"])
def test_an_unknown_agreement_is_not_found(
    ag_client: Login, ag_world: SimpleNamespace, name: str
) -> None:
    response = ag_client(ag_world.officer).get(reverse(f"vendors-agreement-{name}", args=[999999]))
    assert response.status_code == 404


def test_the_list_shows_this_districts_agreements_and_filters_them(
    ag_client: Login, ag_world: SimpleNamespace
) -> None:
    signed = active(ag_world)
    drafted = draft(ag_world, Kind.STUDY)
    foreign = offer(ag_world)
    client = ag_client(ag_world.officer)
    html = client.get(url("list")).content.decode()
    assert f'data-agreement="{signed.pk}"' in html and f'data-agreement="{drafted.pk}"' in html
    assert f'data-agreement="{foreign.pk}"' not in html
    only_drafts = client.get(url("list"), {"status": "draft"})
    assert [a.pk for a in only_drafts.context["page"]] == [drafted.pk]
    beta = client.get(url("list"), {"vendor": ag_world.beta.pk})
    assert list(beta.context["page"]) == []
    assert "No agreement matches." in beta.content.decode()


def test_the_list_takes_as_many_queries_for_thirty_agreements_as_for_one(
    ag_client: Login, ag_world: SimpleNamespace, django_assert_num_queries: NumQueries
) -> None:
    from django.utils import timezone

    client = ag_client(ag_world.officer)
    draft(ag_world)
    now = timezone.now()
    for n in range(29):
        vendor = Vendor.objects.create(name=f"Vendor {n}", created_at=now)
        Agreement.objects.create(
            vendor=vendor, title=f"A{n}", kind=Kind.OTHER, created_at=now, updated_at=now
        )
    # Session, user, the second factor's device (R33), account; the vendor filter's choices;
    # the count; the page.
    with django_assert_num_queries(7):
        response = client.get(url("list"))
    assert response.context["page"].paginator.count == 30


def test_creating_a_draft_leads_to_its_edit_page(
    ag_client: Login, ag_world: SimpleNamespace
) -> None:
    client = ag_client(ag_world.officer)
    response = client.post(
        url("create"), {"vendor": ag_world.acme.pk, "title": "Acme Reader", "kind": Kind.OTHER}
    )
    agreement = Agreement.objects.get()
    assert response.status_code == 302 and response["Location"] == url("edit", agreement)
    assert agreement.status == S.DRAFT and agreement.vendor == ag_world.acme
    missing = client.post(url("create"), {"vendor": ag_world.acme.pk, "kind": Kind.OTHER})
    assert missing.status_code == 200 and missing.context["form"].errors["title"]


def test_the_create_page_offers_renewals_and_exhibit_e_adoptions(
    ag_client: Login, ag_world: SimpleNamespace
) -> None:
    signed = active(ag_world)
    foreign = offer(ag_world)
    offer(ag_world, exhibit_e_expires=days(-1), title="Expired offer")
    response = ag_client(ag_world.officer).get(url("create"))
    assert list(response.context["renewable"]) == [signed]
    assert list(response.context["adoptable"]) == [foreign]
    assert "Springfield Public Schools" in response.content.decode()


def test_the_edit_page_shows_the_exhibit_b_checklist_mapped_to_the_catalog(
    ag_client: Login, ag_world: SimpleNamespace
) -> None:
    agreement = draft(ag_world)
    response = ag_client(ag_world.officer).get(url("edit", agreement))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<legend>Student Name</legend>" in html and "<legend>Transportation</legend>" in html
    assert 'value="Student Name|First and/or last" id="eb-' in html
    checked = [i.value for _c, items in response.context["exhibit_b"] for i in items if i.checked]
    assert checked == ["Enrollment|Student grade level", "Student Name|First and/or last"]
    names = next(
        i
        for _c, items in response.context["exhibit_b"]
        for i in items
        if i.category == "Student Name"
    )
    assert "First name" in [str(label) for label in names.catalog]


def _form_data(w: SimpleNamespace, **over: object) -> dict[str, object]:
    terms = complete_terms(w)
    data: dict[str, object] = {
        k: v.isoformat() if hasattr(v, "isoformat") else v
        for k, v in terms.items()
        if k not in {"products", "data_elements", "direct_control"}
    }
    data |= {
        "products": [w.reader.pk],
        "data_elements": ["Student Name|First and/or last", "Attendance|Class attendance"],
        "direct_control": terms["direct_control"],
        "disposition_window_days": 60,
    }
    return data | over


def test_saving_the_edit_form_updates_the_draft(
    ag_client: Login, ag_world: SimpleNamespace
) -> None:
    agreement = draft(ag_world)
    response = ag_client(ag_world.officer).post(
        url("edit", agreement), _form_data(ag_world, purpose="New purpose.")
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.purpose == "New purpose."
    assert agreement.data_elements == [
        ["Attendance", "Class attendance"],
        ["Student Name", "First and/or last"],
    ]


def test_the_edit_form_shows_the_actions_errors_on_their_fields(
    ag_client: Login, ag_world: SimpleNamespace
) -> None:
    agreement = draft(ag_world)
    response = ag_client(ag_world.officer).post(
        url("edit", agreement), _form_data(ag_world, end_date=days(-40).isoformat())
    )
    assert response.status_code == 200
    assert response.context["form"].errors["end_date"] == [
        "The end date must be after the start date."
    ]
    assert 'id="edit-errors"' in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.end_date == complete_terms(ag_world)["end_date"]


def test_a_signed_agreement_is_not_edited(ag_client: Login, ag_world: SimpleNamespace) -> None:
    agreement = active(ag_world)
    client = ag_client(ag_world.officer)
    response = client.post(url("edit", agreement), _form_data(ag_world, purpose="x"))
    assert response.status_code == 302 and response["Location"] == url("detail", agreement)
    agreement.refresh_from_db()
    assert agreement.purpose != "x"


def test_a_drafts_page_lists_what_is_missing_and_activation_shows_every_refusal(
    ag_client: Login, ag_world: SimpleNamespace
) -> None:
    from steward.vendors.actions import agreements as actions

    agreement = actions.create_agreement(
        ag_world.acme, by=ag_world.officer, title="Bare", kind=Kind.AUDIT_EVALUATION
    )
    client = ag_client(ag_world.officer)
    page = client.get(url("detail", agreement))
    keys = [m.key for m in page.context["missing"]]
    assert {"representative", "signed_document", "template"} <= set(keys)
    assert 'data-key="representative"' in page.content.decode()
    refused = client.post(url("activate", agreement))
    assert refused.status_code == 200
    assert len(refused.context["activation_errors"]) == len(keys)
    assert "Authorized representative: name who is designated." in refused.content.decode()
    agreement.refresh_from_db()
    assert agreement.status == S.DRAFT


def test_the_officer_uploads_the_signed_pdf_and_activates(
    ag_client: Login, ag_world: SimpleNamespace
) -> None:
    from steward.vendors.actions import agreements as actions

    agreement = actions.create_agreement(
        ag_world.acme, by=ag_world.officer, **complete_terms(ag_world)
    )
    client = ag_client(ag_world.officer)
    bad = client.post(
        url("upload", agreement), {"document": SimpleUploadedFile("a.pdf", b"not a pdf")}
    )
    assert bad.status_code == 200 and "only PDF documents" in bad.content.decode()
    good = client.post(url("upload", agreement), {"document": SimpleUploadedFile("s.pdf", PDF)})
    assert good.status_code == 302
    assert 'id="complete"' in client.get(url("detail", agreement)).content.decode()
    assert client.post(url("activate", agreement)).status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == S.ACTIVE
    served = client.get(url("document", agreement))
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert served.content == PDF and served["Digest"].startswith("sha-256=")


def test_a_draft_without_a_signed_document_has_none_to_serve(
    ag_client: Login, ag_world: SimpleNamespace
) -> None:
    from steward.vendors.actions import agreements as actions

    agreement = actions.create_agreement(
        ag_world.acme, by=ag_world.officer, title="T", kind="other"
    )
    assert ag_client(ag_world.officer).get(url("document", agreement)).status_code == 404


def test_termination_through_the_page_issues_the_directive(
    ag_client: Login, ag_world: SimpleNamespace
) -> None:
    agreement = active(ag_world)
    client = ag_client(ag_world.officer)
    page = client.get(url("detail", agreement))
    assert page.context["terminate_form"] is not None and page.context["can_renew"]
    invalid = client.post(
        url("terminate", agreement),
        {
            "reason": "Ended.",
            "extent": "complete",
            "nature": "transfer",
            "schedule": "by_date",
            "authorized_by": "Dana Director",
        },
    )
    assert invalid.status_code == 200
    assert invalid.context["terminate_form"].errors["transfer_to"]
    done = client.post(
        url("terminate", agreement),
        {
            "reason": "Ended.",
            "extent": "partial",
            "categories": ["Enrollment"],
            "nature": "destroy",
            "schedule": "by_date",
            "due_date": days(20).isoformat(),
            "authorized_by": "Dana Director",
        },
    )
    assert done.status_code == 302
    html = client.get(url("detail", agreement)).content.decode()
    assert 'id="directive"' in html and "partial: the categories listed: Enrollment" in html
    assert 'id="certificate-form"' in html


def test_the_officer_records_a_certificate_and_serves_it(
    ag_client: Login, ag_world: SimpleNamespace
) -> None:
    agreement = ended(ag_world)
    client = ag_client(ag_world.officer)
    response = client.post(
        url("certificate", agreement),
        {
            "signer_name": "Ada Acme",
            "signer_title": "CPO",
            "signed_on": today().isoformat(),
            "method": "Deletion",
            "scope": "Everything",
            "document": SimpleUploadedFile("cert.pdf", PDF + b"cert"),
        },
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == S.DISPOSITION_CERTIFIED
    assert 'id="certificate"' in client.get(url("detail", agreement)).content.decode()
    served = client.get(url("certificate-document", agreement))
    assert served.status_code == 200 and served.content == PDF + b"cert"


def test_renewal_and_adoption_open_the_new_drafts_edit_page(
    ag_client: Login, ag_world: SimpleNamespace
) -> None:
    client = ag_client(ag_world.officer)
    agreement = active(ag_world)
    renewed = client.post(url("renew", agreement))
    renewal = Agreement.objects.get(renewal_of=agreement)
    assert renewed["Location"] == url("edit", renewal)
    again = client.post(url("renew", agreement), follow=True)
    assert "already renewed" in again.content.decode()
    origin = offer(ag_world)
    assert client.get(url("detail", origin)).context["can_adopt"]
    adopted = client.post(url("adopt", origin))
    adoption = Agreement.objects.get(originating_agreement=origin)
    assert adopted["Location"] == url("edit", adoption)
    html = client.get(url("detail", adoption)).content.decode()
    assert "Springfield Public Schools" in html and "Exhibit E" in html


def test_classes_in_scope_are_entered_by_sourced_id(
    ag_client: Login, ag_world: SimpleNamespace
) -> None:
    agreement = draft(ag_world)
    client = ag_client(ag_world.officer)
    homeroom = ag_world.homeroom.sourced_id
    unknown = client.post(
        url("edit", agreement),
        _form_data(ag_world, scope_kind="sections", scope_sections=f"{homeroom}\nclass-nope"),
    )
    assert unknown.context["form"].errors["scope_sections"] == [
        "No class has this sourcedId: class-nope."
    ]
    saved = client.post(
        url("edit", agreement),
        _form_data(ag_world, scope_kind="sections", scope_sections=f" {homeroom} \n"),
    )
    assert saved.status_code == 302
    assert list(agreement.scope_sections.all()) == [ag_world.homeroom]
    form = client.get(url("edit", agreement)).context["form"]
    assert form.initial["scope_sections"] == homeroom
