"""Vetting actions (R74–R76, R127): one open vetting per product, ratings with evidence,
decisions with their refusals, re-vetting when terms change and yearly."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from steward.audit.models import Entry
from steward.vendors import rubric, terms
from steward.vendors.actions import registry
from steward.vendors.actions import vetting as actions
from steward.vendors.models import (
    REVETTING_DAYS,
    AppRequest,
    AppRequestStatus,
    AppStatus,
    CoppaConsent,
    Document,
    Product,
    Rating,
    Vetting,
    VettingAnswer,
    VettingDecision,
    VettingState,
    VettingTrigger,
)

from .factories_registry import PDF, approve, entries, make_product, rate_all, reg_world

__all__ = ["reg_world"]

Trigger = VettingTrigger
TERMS = (
    "Quizzo may change these terms at any time without notice. We may share your information "
    "with our partners."
)


def start(w: SimpleNamespace, product: Product | None = None) -> Vetting:
    return actions.start_vetting(product or w.quizzo, trigger=Trigger.INITIAL, by=w.officer)


# --- starting ---------------------------------------------------------------------------


def test_it_starts_a_vetting_with_the_terms_snapshot_and_flags(reg_world: SimpleNamespace) -> None:
    w = reg_world
    actions.update_terms(w.quizzo, TERMS, by=w.officer)
    Vetting.objects.filter(product=w.quizzo).update(state=VettingState.DECIDED)
    w.quizzo.refresh_from_db()
    before = entries()
    vetting = actions.start_vetting(w.quizzo, trigger=Trigger.REQUESTED, by=w.officer)
    assert vetting.terms_sha256 == w.quizzo.terms_sha256 == actions.terms_sha256(TERMS)
    keys = [flag["key"] for flag in vetting.terms_flags]
    assert terms.CHANGES_WITHOUT_NOTICE in keys and terms.SALE_OR_SHARING in keys
    excerpts = [flag["excerpt"] for flag in vetting.terms_flags if flag["excerpt"]]
    assert all(excerpt in TERMS for excerpt in excerpts)
    assert (vetting.trigger, vetting.state, vetting.reviewer) == (
        Trigger.REQUESTED,
        VettingState.IN_PROGRESS,
        w.officer,
    )
    assert entries() == before + 1
    entry = Entry.objects.order_by("-seq").first()
    assert entry is not None and entry.action == "create"
    assert f'"vetting":{vetting.pk}' in entry.detail


def test_it_refuses_a_second_open_vetting_of_the_same_product(reg_world: SimpleNamespace) -> None:
    w = reg_world
    start(w)
    before = entries()
    with pytest.raises(ValidationError, match="already being vetted"):
        start(w)
    assert Vetting.objects.filter(product=w.quizzo).count() == 1
    assert entries() == before


def test_it_refuses_an_unknown_trigger(reg_world: SimpleNamespace) -> None:
    with pytest.raises(ValidationError, match="Unknown reason"):
        actions.start_vetting(reg_world.quizzo, trigger="whim", by=reg_world.officer)
    assert not Vetting.objects.filter(product=reg_world.quizzo).exists()


def test_a_not_approved_app_goes_under_review_again(reg_world: SimpleNamespace) -> None:
    w = reg_world
    registry.set_product_status(w.quizzo, AppStatus.NOT_APPROVED, reason="Ads.", by=w.officer)
    start(w)
    w.quizzo.refresh_from_db()
    assert w.quizzo.status == AppStatus.UNDER_REVIEW
    assert w.quizzo.status_reason == ""


@pytest.mark.parametrize("status", [AppStatus.APPROVED, AppStatus.EXPIRED])
def test_starting_a_vetting_keeps_an_approved_or_expired_status(
    reg_world: SimpleNamespace, status: str
) -> None:
    w = reg_world
    Product.objects.filter(pk=w.mathly.pk).update(status=status)
    actions.start_vetting(w.mathly, trigger=Trigger.ANNUAL, by=w.officer)
    w.mathly.refresh_from_db()
    assert w.mathly.status == status


# --- rating -------------------------------------------------------------------------------


def test_it_records_a_rating_that_meets_without_evidence(reg_world: SimpleNamespace) -> None:
    w = reg_world
    vetting = start(w)
    before = entries()
    answer = actions.rate_item(vetting, "sale.never", rating=Rating.MEETS, by=w.officer)
    assert (answer.item, answer.rating, answer.rated_by) == ("sale.never", Rating.MEETS, w.officer)
    assert entries() == before + 1


@pytest.mark.parametrize("rating", [Rating.MEETS_WITH_RESERVATIONS, Rating.DOES_NOT_MEET])
def test_it_refuses_reservations_or_does_not_meet_without_evidence(
    reg_world: SimpleNamespace, rating: str
) -> None:
    w = reg_world
    vetting = start(w)
    before = entries()
    with pytest.raises(ValidationError, match="Give evidence"):
        actions.rate_item(vetting, "sale.never", rating=rating, evidence_note="  ", by=w.officer)
    assert not VettingAnswer.objects.filter(vetting=vetting).exists()
    assert entries() == before


@pytest.mark.parametrize(
    "evidence",
    [
        {"evidence_note": "Section 9 allows sale to partners."},
        {"evidence_url": "https://quizzo.example/privacy#sale"},
        {"evidence_data": PDF, "evidence_filename": "policy.pdf"},
    ],
)
def test_any_one_kind_of_evidence_is_enough(
    reg_world: SimpleNamespace, evidence: dict[str, object]
) -> None:
    w = reg_world
    vetting = start(w)
    answer = actions.rate_item(
        vetting,
        "sale.never",
        rating=Rating.DOES_NOT_MEET,
        by=w.officer,
        **evidence,  # type: ignore[arg-type]
    )
    assert answer.rating == Rating.DOES_NOT_MEET


def test_an_evidence_document_is_stored_with_its_sha256(reg_world: SimpleNamespace) -> None:
    w = reg_world
    vetting = start(w)
    answer = actions.rate_item(
        vetting,
        "security.encryption",
        rating=Rating.MEETS_WITH_RESERVATIONS,
        evidence_data=PDF,
        evidence_filename="../soc2 report.pdf",
        by=w.officer,
    )
    document = answer.evidence_document
    assert document is not None
    assert document.filename == "soc2 report.pdf"
    assert bytes(document.content) == PDF
    assert len(document.sha256) == 64


def test_a_document_that_is_not_a_pdf_is_refused_and_nothing_is_kept(
    reg_world: SimpleNamespace,
) -> None:
    w = reg_world
    vetting = start(w)
    before = entries()
    with pytest.raises(ValidationError, match="only PDF"):
        actions.rate_item(
            vetting,
            "security.encryption",
            rating=Rating.DOES_NOT_MEET,
            evidence_data=b"<html>not a pdf</html>",
            evidence_filename="page.html",
            by=w.officer,
        )
    assert not Document.objects.exists()
    assert not VettingAnswer.objects.filter(vetting=vetting).exists()
    assert entries() == before


@pytest.mark.parametrize("url", ["javascript:alert(1)", "not a link", "ftp://files.example/a"])
def test_it_refuses_an_evidence_link_that_is_not_a_web_address(
    reg_world: SimpleNamespace, url: str
) -> None:
    vetting = start(reg_world)
    with pytest.raises(ValidationError, match="web address"):
        actions.rate_item(
            vetting, "sale.never", rating=Rating.MEETS, evidence_url=url, by=reg_world.officer
        )


def test_it_refuses_an_unknown_item_or_rating(reg_world: SimpleNamespace) -> None:
    w = reg_world
    vetting = start(w)
    with pytest.raises(ValidationError, match="Unknown rubric item"):
        actions.rate_item(vetting, "vibes.good", rating=Rating.MEETS, by=w.officer)
    with pytest.raises(ValidationError, match="Choose a rating"):
        actions.rate_item(vetting, "sale.never", rating="great", by=w.officer)
    assert not VettingAnswer.objects.filter(vetting=vetting).exists()


def test_the_latest_rating_of_an_item_counts(reg_world: SimpleNamespace) -> None:
    w = reg_world
    vetting = start(w)
    actions.rate_item(vetting, "sale.never", rating=Rating.MEETS, by=w.officer)
    actions.rate_item(
        vetting, "sale.never", rating=Rating.DOES_NOT_MEET, evidence_note="s. 9", by=w.officer
    )
    assert VettingAnswer.objects.filter(vetting=vetting).count() == 2
    assert actions.latest_answers(vetting)["sale.never"].rating == Rating.DOES_NOT_MEET


def test_a_decided_vetting_takes_no_more_ratings(reg_world: SimpleNamespace) -> None:
    w = reg_world
    vetting = w.mathly.vettings.get()
    with pytest.raises(ValidationError, match="already decided"):
        actions.rate_item(vetting, "sale.never", rating=Rating.MEETS, by=w.officer)


# --- deciding -----------------------------------------------------------------------------


def test_it_refuses_to_decide_until_every_item_is_rated(reg_world: SimpleNamespace) -> None:
    w = reg_world
    vetting = start(w)
    rate_all(vetting, w.officer)
    VettingAnswer.objects.filter(item="ai.control").delete()  # tests may: one left unrated
    before = entries()
    with pytest.raises(ValidationError, match="Not rated yet") as refused:
        actions.decide_vetting(vetting, status=AppStatus.APPROVED, reasons="Fine.", by=w.officer)
    assert str(rubric.item("ai.control").question) in str(refused.value)
    assert not VettingDecision.objects.filter(vetting=vetting).exists()
    assert entries() == before


def test_it_approves_and_sets_the_status_and_the_yearly_due_date(
    reg_world: SimpleNamespace,
) -> None:
    w = reg_world
    vetting = start(w)
    rate_all(vetting, w.officer)
    before = entries()
    decision = actions.decide_vetting(
        vetting, status=AppStatus.APPROVED, reasons=" Meets every item. ", by=w.officer
    )
    w.quizzo.refresh_from_db()
    vetting.refresh_from_db()
    assert (decision.status, decision.reasons, decision.decided_by) == (
        AppStatus.APPROVED,
        "Meets every item.",
        w.officer,
    )
    assert vetting.state == VettingState.DECIDED
    assert w.quizzo.status == AppStatus.APPROVED
    assert w.quizzo.status_reason == "Meets every item."
    assert w.quizzo.last_vetted_at is not None
    assert w.quizzo.revetting_due == timezone.localdate() + dt.timedelta(days=REVETTING_DAYS)
    assert entries() == before + 1


@pytest.mark.parametrize(
    "facts",
    [
        {"commercial_purpose": True},
        {"used_under_13": True, "coppa_consent": CoppaConsent.PARENT},
    ],
)
def test_it_refuses_plain_approval_when_guardian_release_is_mandatory(
    reg_world: SimpleNamespace, facts: dict[str, object]
) -> None:
    w = reg_world
    Product.objects.filter(pk=w.quizzo.pk).update(**facts)
    vetting = start(w)
    rate_all(vetting, w.officer)
    with pytest.raises(ValidationError, match="R127"):
        actions.decide_vetting(vetting, status=AppStatus.APPROVED, reasons="Ok.", by=w.officer)
    actions.decide_vetting(
        vetting,
        status=AppStatus.APPROVED_WITH_GUARDIAN_RELEASE,
        reasons="Only with the guardian's release.",
        by=w.officer,
    )
    w.quizzo.refresh_from_db()
    assert w.quizzo.status == AppStatus.APPROVED_WITH_GUARDIAN_RELEASE


@pytest.mark.parametrize("item", ["sale.never", "advertising.targeted", "advertising.profiles"])
@pytest.mark.parametrize("status", [AppStatus.APPROVED, AppStatus.APPROVED_WITH_GUARDIAN_RELEASE])
def test_it_refuses_any_approval_while_sale_or_advertising_does_not_meet(
    reg_world: SimpleNamespace, item: str, status: str
) -> None:
    w = reg_world
    vetting = start(w)
    rate_all(vetting, w.officer, **{item: Rating.DOES_NOT_MEET})
    with pytest.raises(ValidationError, match="R75"):
        actions.decide_vetting(vetting, status=status, reasons="Ok.", by=w.officer)
    w.quizzo.refresh_from_db()
    assert w.quizzo.status == AppStatus.UNDER_REVIEW


def test_reservations_on_sale_do_not_block_approval(reg_world: SimpleNamespace) -> None:
    w = reg_world
    vetting = start(w)
    rate_all(vetting, w.officer, **{"sale.merger": Rating.MEETS_WITH_RESERVATIONS})
    actions.decide_vetting(vetting, status=AppStatus.APPROVED, reasons="Ok.", by=w.officer)


def test_it_may_decide_not_approved_whatever_the_ratings(reg_world: SimpleNamespace) -> None:
    w = reg_world
    vetting = start(w)
    rate_all(vetting, w.officer, Rating.DOES_NOT_MEET)
    actions.decide_vetting(
        vetting, status=AppStatus.NOT_APPROVED, reasons="Sells student data.", by=w.officer
    )
    w.quizzo.refresh_from_db()
    assert (w.quizzo.status, w.quizzo.revetting_due) == (AppStatus.NOT_APPROVED, None)


@pytest.mark.parametrize(
    ("status", "reasons", "message"),
    [
        (AppStatus.EXPIRED, "Lapsed.", "A vetting decides"),
        (AppStatus.UNDER_REVIEW, "Hm.", "A vetting decides"),
        (AppStatus.APPROVED, "   ", "Give the reasons"),
    ],
)
def test_it_refuses_a_decision_that_is_not_one_or_has_no_reasons(
    reg_world: SimpleNamespace, status: str, reasons: str, message: str
) -> None:
    w = reg_world
    vetting = start(w)
    rate_all(vetting, w.officer)
    with pytest.raises(ValidationError, match=message):
        actions.decide_vetting(vetting, status=status, reasons=reasons, by=w.officer)


def test_a_vetting_is_decided_once(reg_world: SimpleNamespace) -> None:
    w = reg_world
    vetting = w.mathly.vettings.get()
    with pytest.raises(ValidationError, match="already decided"):
        actions.decide_vetting(vetting, status=AppStatus.NOT_APPROVED, reasons="No.", by=w.officer)


@pytest.mark.parametrize(
    ("status", "answer"),
    [
        (AppStatus.APPROVED, AppRequestStatus.APPROVED),
        (AppStatus.NOT_APPROVED, AppRequestStatus.DECLINED),
    ],
)
def test_the_decision_answers_the_staff_requests_waiting_on_the_app(
    reg_world: SimpleNamespace, status: str, answer: str
) -> None:
    w = reg_world
    asked = registry.request_app(
        by=w.teacher,
        app_name="Quizzo",
        vendor_name="Acme Learning",
        website="",
        purpose="Weekly quizzes",
        grades="3",
        student_accounts=True,
    )
    vetting = registry.start_review(asked, by=w.officer)
    rate_all(vetting, w.officer)
    actions.decide_vetting(vetting, status=status, reasons="Reviewed in full.", by=w.officer)
    asked.refresh_from_db()
    assert (asked.status, asked.decision_reason, asked.decided_by) == (
        answer,
        "Reviewed in full.",
        w.officer,
    )


def test_a_failed_decision_leaves_everything_as_it_was(
    reg_world: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = reg_world
    vetting = start(w)
    rate_all(vetting, w.officer)
    asked = AppRequest.objects.create(
        requested_by=w.teacher,
        product=w.quizzo,
        app_name="Quizzo",
        purpose="Quizzes",
        status=AppRequestStatus.IN_REVIEW,
        created_at=timezone.now(),
    )

    def broken(**_fields: object) -> None:
        raise RuntimeError("ledger unavailable")

    monkeypatch.setattr(actions.ledger, "record", broken)
    with pytest.raises(RuntimeError):
        actions.decide_vetting(vetting, status=AppStatus.APPROVED, reasons="Ok.", by=w.officer)
    vetting.refresh_from_db()
    w.quizzo.refresh_from_db()
    asked.refresh_from_db()
    assert vetting.state == VettingState.IN_PROGRESS
    assert not VettingDecision.objects.filter(vetting=vetting).exists()
    assert (w.quizzo.status, w.quizzo.revetting_due) == (AppStatus.UNDER_REVIEW, None)
    assert asked.status == AppRequestStatus.IN_REVIEW


# --- terms changes --------------------------------------------------------------------------


def test_changed_terms_start_a_re_vetting_and_an_approved_app_keeps_its_status(
    reg_world: SimpleNamespace,
) -> None:
    w = reg_world
    before = entries()
    vetting = actions.update_terms(w.mathly, TERMS, by=w.officer)
    w.mathly.refresh_from_db()
    assert vetting is not None
    assert (vetting.trigger, vetting.state) == (Trigger.TERMS_CHANGED, VettingState.IN_PROGRESS)
    assert vetting.terms_sha256 == w.mathly.terms_sha256
    assert w.mathly.terms_text == TERMS
    assert w.mathly.terms_updated_at is not None
    assert w.mathly.status == AppStatus.APPROVED
    assert entries() == before + 1


def test_the_same_terms_again_change_nothing(reg_world: SimpleNamespace) -> None:
    w = reg_world
    actions.update_terms(w.mathly, TERMS, by=w.officer)
    before = entries()
    again = TERMS.replace(". ", ".\r\n").replace(".\r\n", ". ") + "\r\n  "
    assert actions.update_terms(w.mathly, again, by=w.officer) is None
    assert w.mathly.vettings.count() == 2
    assert entries() == before


def test_first_terms_of_a_never_vetted_app_start_its_first_vetting(
    reg_world: SimpleNamespace,
) -> None:
    w = reg_world
    vetting = actions.update_terms(w.quizzo, TERMS, by=w.officer)
    assert vetting is not None and vetting.trigger == Trigger.INITIAL


def test_terms_changed_during_a_vetting_are_read_into_it(reg_world: SimpleNamespace) -> None:
    w = reg_world
    vetting = start(w)
    safer = "We never sell student data. We delete it on the school's request."
    assert actions.update_terms(w.quizzo, safer, by=w.officer) == vetting
    vetting.refresh_from_db()
    assert w.quizzo.vettings.count() == 1
    assert vetting.terms_sha256 == actions.terms_sha256(safer)
    assert terms.SALE_OR_SHARING not in [flag["key"] for flag in vetting.terms_flags]


def test_changed_terms_put_a_not_approved_app_under_review(reg_world: SimpleNamespace) -> None:
    w = reg_world
    registry.set_product_status(w.quizzo, AppStatus.NOT_APPROVED, reason="Ads.", by=w.officer)
    actions.update_terms(w.quizzo, TERMS, by=w.officer)
    w.quizzo.refresh_from_db()
    assert w.quizzo.status == AppStatus.UNDER_REVIEW


def test_blank_terms_are_refused(reg_world: SimpleNamespace) -> None:
    with pytest.raises(ValidationError, match="Paste the text"):
        actions.update_terms(reg_world.quizzo, " \r\n ", by=reg_world.officer)


# --- yearly re-vetting ---------------------------------------------------------------------


def test_it_starts_the_yearly_re_vetting_of_apps_that_are_due_once(
    reg_world: SimpleNamespace,
) -> None:
    w = reg_world
    today = timezone.localdate()
    due = make_product(w.globex, "Spellio")
    approve(due, w.officer, AppStatus.APPROVED_WITH_GUARDIAN_RELEASE)
    Product.objects.filter(pk__in=[due.pk, w.mathly.pk]).update(revetting_due=today)
    later = make_product(w.globex, "Drawly")
    approve(later, w.officer)  # due in a year
    not_approved = make_product(w.globex, "Chatty", status=AppStatus.NOT_APPROVED)
    Product.objects.filter(pk=not_approved.pk).update(revetting_due=today)
    before = entries()
    started = actions.start_due_revettings(today)
    assert sorted(v.product_id for v in started) == sorted([due.pk, w.mathly.pk])
    assert {v.trigger for v in started} == {Trigger.ANNUAL}
    assert entries() == before + 2
    last = Entry.objects.order_by("-seq").first()
    assert last is not None and last.actor_name == "steward (yearly re-vetting)"
    assert actions.start_due_revettings(today) == []
    assert entries() == before + 2


def test_an_app_already_being_vetted_is_not_re_vetted_twice(reg_world: SimpleNamespace) -> None:
    w = reg_world
    actions.update_terms(w.mathly, TERMS, by=w.officer)  # opens a TERMS_CHANGED vetting
    Product.objects.filter(pk=w.mathly.pk).update(revetting_due=timezone.localdate())
    assert actions.start_due_revettings(timezone.localdate(), by=w.officer) == []
    assert w.mathly.vettings.filter(state=VettingState.IN_PROGRESS).count() == 1
