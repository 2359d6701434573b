"""The agreement lifecycle (issue #6 item 4; R71, R80, R110, R111): every transition writes
its ledger entry, every refusal names why and leaves the database as it was."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from steward.audit.models import Entry
from steward.vendors.actions import agreements as actions
from steward.vendors.actions import disposition
from steward.vendors.mandatory import missing_fields
from steward.vendors.models import (
    Agreement,
    AgreementStatus,
    AppStatus,
    DispositionCertificate,
    DispositionDirective,
    Document,
    Extent,
    Nature,
    Product,
    Reminder,
    ReminderKind,
    Schedule,
)

from .factories_agreements import (
    CASES,
    PDF,
    Kind,
    active,
    ag_world,
    blank,
    complete_terms,
    days,
    draft,
    ended,
    offer,
    today,
)

__all__ = ["ag_world"]
S = AgreementStatus


def entries(agreement: Agreement) -> list[dict[str, object]]:
    """The agreement's ledger entries' details, oldest first."""
    rows = Entry.objects.filter(agreement_id=str(agreement.pk)).order_by("seq")
    return [json.loads(row.detail) for row in rows]


def codes(error: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [str(e.code) for e in error.value.error_list]


def certify(w: SimpleNamespace, agreement: Agreement, by: object, **over: object) -> None:
    values: dict[str, object] = {
        "signer_name": "Ada Acme",
        "signer_title": "Chief Privacy Officer",
        "signed_on": today(),
        "method": "Cryptographic erasure of the district's tenant",
        "scope": "All student data of the district, including backups",
        "data": PDF,
        "filename": "certificate.pdf",
        "by": by,
    }
    actions.record_certificate(agreement, **(values | over))  # type: ignore[arg-type]


# --- drafts ---------------------------------------------------------------------------------


def test_creating_an_agreement_makes_a_draft_with_a_ledger_entry(ag_world: SimpleNamespace) -> None:
    agreement = actions.create_agreement(
        ag_world.acme, by=ag_world.officer, title="Acme Reader", kind=Kind.OTHER
    )
    assert agreement.status == S.DRAFT
    [created] = Entry.objects.filter(agreement_id=str(agreement.pk))
    assert created.action == "create" and created.actor_name == "officer"
    assert json.loads(created.detail)["to"] == "draft"


def test_it_refuses_a_draft_without_title_or_type(ag_world: SimpleNamespace) -> None:
    with pytest.raises(ValidationError) as error:
        actions.create_agreement(ag_world.acme, by=ag_world.officer, title=" ")
    assert set(error.value.message_dict) == {"title", "kind"}
    assert not Agreement.objects.exists()


def test_it_refuses_another_vendors_product_and_unknown_terms(ag_world: SimpleNamespace) -> None:
    other = Product.objects.create(vendor=ag_world.beta, name="Beta App", created_at=timezone.now())
    with pytest.raises(ValidationError) as error:
        actions.create_agreement(
            ag_world.acme,
            by=ag_world.officer,
            title="Acme",
            kind=Kind.OTHER,
            products=[other],
            data_elements=[["Student Name", "Nickname"]],
            scope_grades=["03", "14"],
            parent_access_days=0,
        )
    assert set(error.value.message_dict) == {
        "products",
        "data_elements",
        "scope_grades",
        "parent_access_days",
    }
    assert not Agreement.objects.exists() and not Entry.objects.exists()


def test_only_the_privacy_office_writes_agreements(ag_world: SimpleNamespace) -> None:
    for user in (ag_world.teacher, ag_world.ada):
        with pytest.raises(PermissionDenied):
            actions.create_agreement(ag_world.acme, by=user, title="A", kind=Kind.OTHER)


def test_editing_a_draft_records_what_changed_and_a_no_op_records_nothing(
    ag_world: SimpleNamespace,
) -> None:
    agreement = draft(ag_world)
    before = Entry.objects.count()
    actions.update_agreement(
        agreement,
        by=ag_world.officer,
        purpose="Reading practice, grades 3 to 5.",
        scope_schools=[ag_world.adams],
        data_elements=[
            ["Enrollment", "Student grade level"],
            ["Student Name", "First and/or last"],
        ],
    )
    assert agreement.purpose == "Reading practice, grades 3 to 5."
    assert list(agreement.scope_schools.all()) == [ag_world.adams]
    assert entries(agreement)[-1]["changed"] == ["purpose", "scope_schools"]
    actions.update_agreement(agreement, by=ag_world.officer, purpose=agreement.purpose)
    assert Entry.objects.count() == before + 1


def test_a_signed_agreement_cannot_be_edited(ag_world: SimpleNamespace) -> None:
    agreement = active(ag_world)
    with pytest.raises(ValidationError, match="this agreement is active"):
        actions.update_agreement(agreement, by=ag_world.officer, purpose="Other")
    agreement.refresh_from_db()
    assert agreement.purpose == "Reading practice for grades 3-5."


def test_the_signed_document_must_be_a_pdf_and_a_new_one_replaces_it(
    ag_world: SimpleNamespace,
) -> None:
    agreement = draft(ag_world)
    first = agreement.signed_document
    with pytest.raises(ValidationError, match="only PDF"):
        actions.attach_signed_document(agreement, b"<html>", "x.html", by=ag_world.officer)
    assert Document.objects.count() == 1
    second = actions.attach_signed_document(agreement, PDF + b"v2", "v2.pdf", by=ag_world.officer)
    agreement.refresh_from_db()
    assert agreement.signed_document == second != first
    assert entries(agreement)[-1]["replaces"] == first.pk  # type: ignore[union-attr]


# --- activation -----------------------------------------------------------------------------


def test_activation_makes_a_complete_agreement_active(ag_world: SimpleNamespace) -> None:
    agreement = draft(ag_world)
    actions.activate_agreement(agreement, by=ag_world.officer)
    assert agreement.status == S.ACTIVE and agreement.allows_sharing
    assert {"from": "draft", "to": "active"}.items() <= entries(agreement)[-1].items()


def test_an_agreement_ending_within_ninety_days_activates_as_expiring(
    ag_world: SimpleNamespace,
) -> None:
    agreement = draft(ag_world, end_date=days(90))
    actions.activate_agreement(agreement, by=ag_world.officer)
    assert agreement.status == S.EXPIRING


@pytest.mark.parametrize(("kind", "key"), CASES)
def test_it_refuses_to_activate_without_each_mandatory_term(
    ag_world: SimpleNamespace, kind: str, key: str
) -> None:
    agreement = draft(ag_world, kind)
    blank(agreement, key)
    before = Entry.objects.count()
    with pytest.raises(ValidationError) as error:
        actions.activate_agreement(agreement, by=ag_world.officer)
    assert codes(error) == [key]
    agreement.refresh_from_db()
    assert agreement.status == S.DRAFT and agreement.activated_at is None
    assert Entry.objects.count() == before


def test_the_refusal_lists_every_missing_term_at_once(ag_world: SimpleNamespace) -> None:
    agreement = actions.create_agreement(
        ag_world.acme, by=ag_world.officer, title="Bare", kind=Kind.STUDY
    )
    with pytest.raises(ValidationError) as error:
        actions.activate_agreement(agreement, by=ag_world.officer)
    assert {"template", "purpose", "signed_document", "irb_evidence"} <= set(codes(error))
    assert "IRB: give the approval or exemption (or why none applies)." in error.value.messages


def test_it_refuses_an_end_date_that_has_come(ag_world: SimpleNamespace) -> None:
    agreement = draft(ag_world, start_date=days(-400), end_date=days(0))
    with pytest.raises(ValidationError) as error:
        actions.activate_agreement(agreement, by=ag_world.officer)
    assert codes(error) == ["end_date"]


def test_it_refuses_a_signature_dated_in_the_future(ag_world: SimpleNamespace) -> None:
    agreement = draft(ag_world, signed_on=days(2))
    with pytest.raises(ValidationError) as error:
        actions.activate_agreement(agreement, by=ag_world.officer)
    assert codes(error) == ["signed_on"]


def test_an_active_agreement_cannot_be_activated_again(ag_world: SimpleNamespace) -> None:
    agreement = active(ag_world)
    with pytest.raises(ValidationError, match=r"Only a draft can be activated; .* active"):
        actions.activate_agreement(agreement, by=ag_world.officer)


def test_another_districts_agreement_never_activates_here(ag_world: SimpleNamespace) -> None:
    origin = offer(ag_world, status=S.DRAFT)
    with pytest.raises(ValidationError, match="another district"):
        actions.activate_agreement(origin, by=ag_world.officer)


def test_an_active_agreement_becomes_expiring_ninety_days_before_its_end(
    ag_world: SimpleNamespace,
) -> None:
    agreement = active(ag_world)
    assert agreement.end_date is not None
    with pytest.raises(ValidationError, match="more than 90 days"):
        actions.mark_expiring(agreement, today=agreement.end_date - dt.timedelta(days=91))
    actions.mark_expiring(agreement, today=agreement.end_date - dt.timedelta(days=90))
    assert agreement.status == S.EXPIRING and agreement.allows_sharing


# --- termination and disposition ------------------------------------------------------------


def test_termination_issues_the_default_directive_and_awaits_disposition(
    ag_world: SimpleNamespace,
) -> None:
    agreement = ended(ag_world)
    assert agreement.status == S.DISPOSITION_PENDING and not agreement.allows_sharing
    directive = agreement.directive
    assert (directive.extent, directive.nature, directive.schedule) == (
        Extent.COMPLETE,
        Nature.DESTROY,
        Schedule.BY_DATE,
    )
    assert directive.due_date == days(60) == agreement.disposition_due
    assert directive.authorized_by == "Dana Director"
    assert agreement.end_reason == "Service discontinued."
    steps = [(e["from"], e["to"]) for e in entries(agreement)[-2:]]
    assert steps == [("active", "terminated"), ("terminated", "disposition_pending")]


def test_a_partial_transfer_lists_its_categories_and_destination(
    ag_world: SimpleNamespace,
) -> None:
    agreement = active(ag_world)
    directive = actions.terminate_agreement(
        agreement,
        reason="Moving to another reader.",
        by=ag_world.officer,
        extent=Extent.PARTIAL,
        categories=["Enrollment"],
        nature=Nature.TRANSFER,
        transfer_to="Beta Data, district tenant",
        schedule=Schedule.ASAP,
        due_date=days(30),
        authorized_by="Dana Director",
    )
    assert directive.categories == ["Enrollment"] and directive.transfer_to.startswith("Beta")
    assert directive.due_date == days(30)


@pytest.mark.parametrize(
    ("terms", "field"),
    [
        ({"extent": Extent.PARTIAL}, "categories"),
        ({"extent": Extent.PARTIAL, "categories": ["Transportation"]}, "categories"),
        ({"nature": Nature.TRANSFER}, "transfer_to"),
        ({"due_date": dt.date(2000, 1, 1)}, "due_date"),
        ({"authorized_by": " "}, "authorized_by"),
        ({"reason": ""}, "reason"),
    ],
)
def test_termination_refuses_an_incomplete_directive_and_changes_nothing(
    ag_world: SimpleNamespace, terms: dict[str, object], field: str
) -> None:
    agreement = active(ag_world)
    before = Entry.objects.count()
    values: dict[str, object] = {"reason": "Ended.", "authorized_by": "Dana Director"} | terms
    with pytest.raises(ValidationError) as error:
        actions.terminate_agreement(agreement, by=ag_world.officer, **values)  # type: ignore[arg-type]
    assert field in error.value.message_dict
    agreement.refresh_from_db()
    assert agreement.status == S.ACTIVE and agreement.ended_at is None
    assert Entry.objects.count() == before and not DispositionDirective.objects.exists()


def test_a_failure_while_issuing_the_directive_undoes_the_termination(
    ag_world: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    agreement = active(ag_world)
    before = Entry.objects.count()

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(disposition, "_issue", broken)
    with pytest.raises(RuntimeError):
        actions.terminate_agreement(
            agreement, reason="Ended.", by=ag_world.officer, authorized_by="Dana Director"
        )
    agreement.refresh_from_db()
    assert agreement.status == S.ACTIVE and agreement.ended_at is None
    assert Entry.objects.count() == before


def test_a_draft_cannot_be_terminated(ag_world: SimpleNamespace) -> None:
    agreement = draft(ag_world)
    with pytest.raises(ValidationError, match="this one is draft"):
        actions.terminate_agreement(
            agreement, reason="x", by=ag_world.officer, authorized_by="Dana Director"
        )


def test_the_vendors_contact_certifies_disposition_and_closes_the_agreement(
    ag_world: SimpleNamespace,
) -> None:
    agreement = ended(ag_world)
    certify(ag_world, agreement, ag_world.ada)
    assert agreement.status == S.DISPOSITION_CERTIFIED
    certificate = DispositionCertificate.objects.get(agreement=agreement)
    assert certificate.recorded_by == ag_world.ada and certificate.document.sha256
    last = entries(agreement)[-1]
    assert (last["from"], last["to"], last["signer"]) == (
        "disposition_pending",
        "disposition_certified",
        "Ada Acme",
    )


def test_another_vendors_contact_or_a_teacher_cannot_certify(ag_world: SimpleNamespace) -> None:
    agreement = ended(ag_world)
    for user in (ag_world.bo, ag_world.teacher):
        with pytest.raises(PermissionDenied):
            certify(ag_world, agreement, user)
    agreement.refresh_from_db()
    assert agreement.status == S.DISPOSITION_PENDING


@pytest.mark.parametrize(
    ("over", "field"),
    [
        ({"signer_name": ""}, "signer_name"),
        ({"signer_title": " "}, "signer_title"),
        ({"method": ""}, "method"),
        ({"scope": ""}, "scope"),
        ({"signed_on": days(1)}, "signed_on"),
        ({"signed_on": days(-1)}, "signed_on"),
    ],
)
def test_an_incomplete_certificate_is_refused(
    ag_world: SimpleNamespace, over: dict[str, object], field: str
) -> None:
    agreement = ended(ag_world)
    with pytest.raises(ValidationError) as error:
        certify(ag_world, agreement, ag_world.officer, **over)
    assert list(error.value.message_dict) == [field]


def test_a_certificate_that_is_not_a_pdf_keeps_nothing(ag_world: SimpleNamespace) -> None:
    agreement = ended(ag_world)
    documents_before, entries_before = Document.objects.count(), Entry.objects.count()
    with pytest.raises(ValidationError, match="only PDF"):
        certify(ag_world, agreement, ag_world.ada, data=b"GIF89a")
    assert Document.objects.count() == documents_before
    assert Entry.objects.count() == entries_before
    assert not DispositionCertificate.objects.exists()


def test_no_certificate_while_the_agreement_is_active(ag_world: SimpleNamespace) -> None:
    with pytest.raises(ValidationError, match="this agreement is active"):
        certify(ag_world, active(ag_world), ag_world.officer)


def test_disposition_becomes_overdue_only_after_the_window(ag_world: SimpleNamespace) -> None:
    agreement = ended(ag_world)
    due = agreement.directive.due_date
    with pytest.raises(ValidationError, match="not overdue yet"):
        actions.mark_disposition_overdue(agreement, today=due)
    actions.mark_disposition_overdue(agreement, today=due + dt.timedelta(days=1))
    assert agreement.status == S.DISPOSITION_OVERDUE and agreement.escalated_at is not None
    certify(ag_world, agreement, ag_world.officer)
    assert agreement.status == S.DISPOSITION_CERTIFIED


# --- expiry and renewal ---------------------------------------------------------------------


def test_expiry_without_a_renewal_directs_destruction_by_the_window(
    ag_world: SimpleNamespace,
) -> None:
    agreement = active(ag_world)
    end = agreement.end_date
    assert end is not None
    with pytest.raises(ValidationError, match="runs until"):
        actions.expire_agreement(agreement, today=end - dt.timedelta(days=1))
    directive = actions.expire_agreement(agreement, today=end)
    assert directive is not None and directive.due_date == end + dt.timedelta(days=60)
    assert (directive.extent, directive.nature) == (Extent.COMPLETE, Nature.DESTROY)
    assert agreement.status == S.DISPOSITION_PENDING
    steps = [(e["from"], e["to"]) for e in entries(agreement)[-2:]]
    assert steps == [("active", "expired"), ("expired", "disposition_pending")]


def test_expiry_with_an_active_renewal_rests_at_expired(ag_world: SimpleNamespace) -> None:
    agreement = active(ag_world)
    renewal = actions.renew_agreement(agreement, by=ag_world.officer)
    actions.update_agreement(
        renewal,
        by=ag_world.officer,
        signed_on=today(),
        district_signatory="Dana Director",
        provider_signatory="Ada Acme",
    )
    actions.attach_signed_document(renewal, PDF, "renewal.pdf", by=ag_world.officer)
    actions.activate_agreement(renewal, by=ag_world.officer)
    assert actions.expire_agreement(agreement, today=agreement.end_date) is None  # type: ignore[arg-type]
    assert agreement.status == S.EXPIRED
    assert not DispositionDirective.objects.filter(agreement=agreement).exists()


def test_a_renewal_still_in_draft_does_not_keep_the_data(ag_world: SimpleNamespace) -> None:
    agreement = active(ag_world)
    actions.renew_agreement(agreement, by=ag_world.officer)
    actions.expire_agreement(agreement, today=agreement.end_date)  # type: ignore[arg-type]
    assert agreement.status == S.DISPOSITION_PENDING


def test_renewal_copies_every_term_into_a_new_draft_that_follows_the_old_one(
    ag_world: SimpleNamespace,
) -> None:
    agreement = active(ag_world, scope_schools=[ag_world.adams], exhibit_e_offered=True)
    renewal = actions.renew_agreement(agreement, by=ag_world.officer)
    assert renewal.status == S.DRAFT and renewal.renewal_of == agreement
    assert renewal.start_date == agreement.end_date
    assert renewal.end_date == agreement.end_date + (agreement.end_date - agreement.start_date)  # type: ignore[operator]
    for name in actions.TERMS:
        if name not in {"start_date", "end_date", "signed_on"} | {
            "district_signatory",
            "provider_signatory",
        }:
            assert getattr(renewal, name) == getattr(agreement, name), name
    assert list(renewal.products.all()) == [ag_world.reader]
    assert list(renewal.scope_schools.all()) == [ag_world.adams]
    assert renewal.signed_document is None and renewal.signed_on is None
    assert "signed_document" in [m.key for m in missing_fields(renewal)]
    with pytest.raises(ValidationError, match="already renewed"):
        actions.renew_agreement(agreement, by=ag_world.officer)


def test_a_draft_cannot_be_renewed(ag_world: SimpleNamespace) -> None:
    with pytest.raises(ValidationError, match="this one is draft"):
        actions.renew_agreement(draft(ag_world), by=ag_world.officer)


# --- Exhibit E ------------------------------------------------------------------------------


def test_adopting_an_exhibit_e_offer_makes_a_linked_draft_that_needs_its_own_signature(
    ag_world: SimpleNamespace,
) -> None:
    origin = offer(ag_world)
    adoption = actions.adopt_exhibit_e(origin, by=ag_world.officer)
    assert adoption.status == S.DRAFT and adoption.originating_agreement == origin
    assert not adoption.external and adoption.lea_name == "" and not adoption.exhibit_e_offered
    assert adoption.start_date == today() and adoption.end_date == origin.end_date
    assert adoption.data_elements == origin.data_elements
    assert list(adoption.products.all()) == [ag_world.reader]
    with pytest.raises(ValidationError) as error:
        actions.activate_agreement(adoption, by=ag_world.officer)
    assert "signed_document" in codes(error)
    actions.update_agreement(
        adoption,
        by=ag_world.officer,
        signed_on=today(),
        district_signatory="Dana Director",
        provider_signatory="Ada Acme",
    )
    actions.attach_signed_document(adoption, PDF, "exhibit-e.pdf", by=ag_world.officer)
    actions.activate_agreement(adoption, by=ag_world.officer)
    assert adoption.status == S.ACTIVE
    assert entries(adoption)[0]["originating"] == origin.pk


@pytest.mark.parametrize(
    ("over", "match"),
    [
        ({"exhibit_e_offered": False}, "no general offer"),
        ({"exhibit_e_expires": dt.date(2001, 1, 1)}, "offer expired on 2001-01-01"),
        ({"external": False, "lea_name": ""}, "signed that agreement itself"),
    ],
)
def test_an_offer_that_does_not_stand_cannot_be_adopted(
    ag_world: SimpleNamespace, over: dict[str, object], match: str
) -> None:
    with pytest.raises(ValidationError, match=match):
        actions.adopt_exhibit_e(offer(ag_world, **over), by=ag_world.officer)
    assert Agreement.objects.count() == 1


def test_an_offer_is_adopted_once(ag_world: SimpleNamespace) -> None:
    origin = offer(ag_world)
    actions.adopt_exhibit_e(origin, by=ag_world.officer)
    with pytest.raises(ValidationError, match="already adopted"):
        actions.adopt_exhibit_e(origin, by=ag_world.officer)


def test_an_adoption_signed_after_the_offer_expired_is_refused(ag_world: SimpleNamespace) -> None:
    origin = offer(ag_world, exhibit_e_expires=days(0))
    adoption = actions.adopt_exhibit_e(origin, by=ag_world.officer)
    terms = complete_terms(ag_world)
    actions.update_agreement(
        adoption,
        by=ag_world.officer,
        signed_on=days(0),
        district_signatory=terms["district_signatory"],
        provider_signatory=terms["provider_signatory"],
    )
    actions.attach_signed_document(adoption, PDF, "e.pdf", by=ag_world.officer)
    actions.activate_agreement(adoption, by=ag_world.officer, today=days(0))
    assert adoption.status == S.ACTIVE
    late = actions.adopt_exhibit_e(offer(ag_world, exhibit_e_expires=days(0)), by=ag_world.officer)
    actions.update_agreement(late, by=ag_world.officer, signed_on=days(1))
    actions.update_agreement(
        late, by=ag_world.officer, district_signatory="D", provider_signatory="P"
    )
    actions.attach_signed_document(late, PDF, "e.pdf", by=ag_world.officer)
    with pytest.raises(ValidationError, match="offer expired"):
        actions.activate_agreement(late, by=ag_world.officer, today=days(1))


# --- reminders ------------------------------------------------------------------------------


def test_a_reminder_is_recorded_once_per_kind(ag_world: SimpleNamespace) -> None:
    agreement = active(ag_world)
    kind = ReminderKind.EXPIRY_90
    first = actions.record_reminder(agreement, kind, recipients=["b@x.example", "a@x.example"])
    assert first is not None and first.recipients == "a@x.example\nb@x.example"
    assert actions.record_reminder(agreement, kind, recipients=["a@x.example"]) is None
    assert Reminder.objects.filter(agreement=agreement).count() == 1


# --- the registry follows the agreement ---------------------------------------------------


def _approve(product: Product) -> None:
    Product.objects.filter(pk=product.pk).update(status=AppStatus.APPROVED)


def test_an_app_whose_only_agreement_ends_expires_in_the_registry(
    ag_world: SimpleNamespace,
) -> None:
    _approve(ag_world.reader)
    agreement = ended(ag_world)
    ag_world.reader.refresh_from_db()
    assert ag_world.reader.status == AppStatus.EXPIRED
    assert agreement.title in ag_world.reader.status_reason


def test_an_app_another_agreement_covers_stays_approved(ag_world: SimpleNamespace) -> None:
    _approve(ag_world.reader)
    active(ag_world, title="Second agreement")
    ended(ag_world)
    ag_world.reader.refresh_from_db()
    assert ag_world.reader.status == AppStatus.APPROVED


def test_an_app_under_an_active_renewal_stays_approved_at_expiry(
    ag_world: SimpleNamespace,
) -> None:
    _approve(ag_world.reader)
    agreement = active(ag_world)
    renewal = actions.renew_agreement(agreement, by=ag_world.officer)
    actions.update_agreement(
        renewal,
        by=ag_world.officer,
        signed_on=today(),
        district_signatory="Dana Director",
        provider_signatory="Ada Acme",
    )
    actions.attach_signed_document(renewal, PDF, "renewal.pdf", by=ag_world.officer)
    actions.activate_agreement(renewal, by=ag_world.officer)
    actions.expire_agreement(agreement, today=agreement.end_date)  # type: ignore[arg-type]
    ag_world.reader.refresh_from_db()
    assert ag_world.reader.status == AppStatus.APPROVED
