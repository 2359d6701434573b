"""The consent actions: who may act, one ledger entry each, all or nothing (design.md §3)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from steward.audit.models import Action, Entry
from steward.audit.verify import verify_ledger
from steward.consents import actions
from steward.consents.actions import Paper
from steward.consents.models import (
    DirectoryNotice,
    DirectoryOptOut,
    DirectoryOptOutWithdrawal,
    DisclosureConsent,
    DisclosureConsentRevocation,
)
from steward.consents.rules import Reason, may_disclose_directory
from tests.consents.conftest import CONSENT_TEXT, NOTICE_TEXT, notice
from tests.web import factories as f

pytestmark = pytest.mark.django_db

Kind = DirectoryOptOut.Kind


def consent_entries() -> list[Entry]:
    return list(Entry.objects.filter(action=Action.CONSENT).order_by("seq"))


def give(student: object, user: object, paper: Paper | None = None) -> DisclosureConsent:
    return actions.do_give_disclosure_consent(
        student,  # type: ignore[arg-type]
        user,
        scopes=["grades_transcript"],
        purpose="Scholarship application",
        recipient="Rotary Club scholarship committee",
        expires_on=f.days(60),
        text=CONSENT_TEXT,
        paper=paper,
    )


def test_the_privacy_office_publishes_the_notice_with_one_ledger_entry(
    users: SimpleNamespace,
) -> None:
    published = actions.do_publish_directory_notice(
        users.officer, school_year=2027, opt_out_ends_on=f.days(14), text=NOTICE_TEXT
    )
    [entry] = consent_entries()
    assert entry.actor_user_id == users.officer.pk
    assert f'"directory_notice":{published.pk}' in entry.detail
    assert "2026-2027" in str(published)


def test_only_the_privacy_office_publishes_the_notice(users: SimpleNamespace) -> None:
    for user in (users.principal, users.teacher, users.guardian):
        with pytest.raises(PermissionDenied):
            actions.do_publish_directory_notice(
                user, school_year=2027, opt_out_ends_on=f.days(14), text=NOTICE_TEXT
            )
    assert not DirectoryNotice.objects.exists()


def test_a_notice_needs_text_and_a_window_ending_after_today(users: SimpleNamespace) -> None:
    with pytest.raises(ValidationError) as error:
        actions.do_publish_directory_notice(
            users.officer, school_year=2027, opt_out_ends_on=f.today(), text=""
        )
    assert set(error.value.message_dict) == {"text", "opt_out_ends_on"}
    assert not consent_entries()


def test_a_linked_guardian_opts_out_electronically_with_one_ledger_entry(
    family: SimpleNamespace, users: SimpleNamespace
) -> None:
    row = actions.do_opt_out_directory(family.sam, users.guardian, category_key="birth")
    assert (row.kind, row.category.key, row.guardian, row.method) == (  # type: ignore[union-attr]
        Kind.CATEGORY,
        "birth",
        family.gail,
        "electronic",
    )
    [entry] = consent_entries()
    assert entry.subject_student == family.sam.pk
    assert "Sam" in str(row) and "Date and place of birth" in str(row)


def test_without_a_category_the_opt_out_covers_everything(
    family: SimpleNamespace, users: SimpleNamespace
) -> None:
    assert actions.do_opt_out_directory(family.sam, users.guardian).kind == Kind.ALL
    row = actions.do_opt_out_directory(family.sam, users.guardian, recruiters=True)
    assert row.kind == Kind.RECRUITERS and row.category is None


def test_a_recruiter_opt_out_with_a_category_is_refused(
    family: SimpleNamespace, users: SimpleNamespace
) -> None:
    with pytest.raises(ValidationError):
        actions.do_opt_out_directory(
            family.sam, users.guardian, category_key="name", recruiters=True
        )


def test_an_unknown_category_is_refused(family: SimpleNamespace, users: SimpleNamespace) -> None:
    with pytest.raises(ValidationError):
        actions.do_opt_out_directory(family.sam, users.guardian, category_key="shoe_size")


@pytest.mark.parametrize("who", ["restricted", "stranger", "teacher", "principal", "officer"])
def test_no_one_but_a_linked_unrestricted_guardian_acts_electronically(
    family: SimpleNamespace, users: SimpleNamespace, who: str
) -> None:
    with pytest.raises(PermissionDenied):
        actions.do_opt_out_directory(family.sam, getattr(users, who))
    with pytest.raises(PermissionDenied):
        give(family.sam, getattr(users, who))
    assert not consent_entries()


def test_an_inactive_guardian_link_gives_no_right_to_act(
    family: SimpleNamespace, users: SimpleNamespace
) -> None:
    family.gail.relationships.update(active=False)
    with pytest.raises(PermissionDenied):
        actions.do_opt_out_directory(family.sam, users.guardian)


def test_office_staff_enter_a_paper_form_with_their_attestation(
    family: SimpleNamespace, users: SimpleNamespace
) -> None:
    paper = Paper("Signed form received at the front office.", guardian=family.gail)
    consent = give(family.sam, users.principal, paper)
    assert (consent.method, consent.guardian, consent.entered_by) == (
        "paper",
        family.gail,
        users.principal,
    )
    assert consent.attestation == paper.attestation
    student_paper = Paper("Signed by the student in the office.", student_signed=True)
    row = actions.do_opt_out_directory(family.ada, users.principal, paper=student_paper)
    assert row.made_by == "student" and row.guardian is None
    assert len(consent_entries()) == 2


def test_a_minor_students_own_signature_is_not_accepted(
    family: SimpleNamespace, users: SimpleNamespace
) -> None:
    student_paper = Paper("Signed by the student in the office.", student_signed=True)
    with pytest.raises(PermissionDenied):
        give(family.sam, users.principal, student_paper)


def test_at_eighteen_the_consent_right_passes_from_the_parent_to_the_student(
    family: SimpleNamespace, users: SimpleNamespace
) -> None:
    with pytest.raises(PermissionDenied):
        give(family.ada, users.guardian)
    with pytest.raises(PermissionDenied):
        actions.do_opt_out_directory(
            family.ada, users.principal, paper=Paper("on file", guardian=family.gail)
        )
    assert not consent_entries()


@pytest.mark.parametrize(
    "paper",
    [
        Paper("  ", student_signed=True),
        Paper("on file"),
        Paper("on file", guardian=None, student_signed=False),
    ],
)
def test_a_paper_form_needs_an_attestation_and_exactly_one_signer(
    family: SimpleNamespace, users: SimpleNamespace, paper: Paper
) -> None:
    with pytest.raises(ValidationError):
        actions.do_opt_out_directory(family.sam, users.principal, paper=paper)


def test_a_paper_form_signed_by_a_restricted_parent_is_refused(
    family: SimpleNamespace, users: SimpleNamespace
) -> None:
    with pytest.raises(PermissionDenied):
        actions.do_opt_out_directory(
            family.sam, users.principal, paper=Paper("on file", guardian=family.rex)
        )


def test_a_teacher_may_not_enter_paper_forms(
    family: SimpleNamespace, users: SimpleNamespace
) -> None:
    with pytest.raises(PermissionDenied):
        actions.do_opt_out_directory(
            family.sam, users.teacher, paper=Paper("on file", guardian=family.gail)
        )


def test_withdrawing_an_opt_out_adds_a_row_and_keeps_the_opt_out(
    family: SimpleNamespace, users: SimpleNamespace
) -> None:
    notice(f.days(-14))
    row = actions.do_opt_out_directory(family.sam, users.guardian)
    assert may_disclose_directory(family.sam.pk, "name") == (False, Reason.OPTED_OUT_ALL)
    withdrawal = actions.do_withdraw_directory_opt_out(row, users.guardian)
    assert may_disclose_directory(family.sam.pk, "name") == (True, Reason.ALLOWED)
    assert DirectoryOptOut.objects.get(pk=row.pk).made_at == row.made_at
    assert "Withdrawal of" in str(withdrawal)
    with pytest.raises(ValidationError):
        actions.do_withdraw_directory_opt_out(row, users.guardian)
    with pytest.raises(ValueError, match="history"):
        row.save()


def test_each_action_writes_exactly_one_consent_entry(
    family: SimpleNamespace, users: SimpleNamespace
) -> None:
    actions.do_publish_directory_notice(
        users.officer, school_year=2027, opt_out_ends_on=f.days(14), text=NOTICE_TEXT
    )
    row = actions.do_opt_out_directory(family.sam, users.guardian, category_key="name")
    actions.do_withdraw_directory_opt_out(row, users.guardian)
    consent = give(family.sam, users.guardian)
    actions.do_revoke_disclosure_consent(consent, users.guardian)
    entries = consent_entries()
    assert len(entries) == 5
    assert [e.consent_id for e in entries[-2:]] == [str(consent.pk)] * 2
    assert entries[-1].scopes  # the revoked consent's record parts are named
    assert verify_ledger().ok


@pytest.mark.parametrize(
    ("act", "model"),
    [
        ("opt_out", DirectoryOptOut),
        ("withdraw", DirectoryOptOutWithdrawal),
        ("give", DisclosureConsent),
        ("revoke", DisclosureConsentRevocation),
    ],
)
def test_a_failure_while_writing_the_ledger_leaves_no_row_behind(
    family: SimpleNamespace,
    users: SimpleNamespace,
    monkeypatch: pytest.MonkeyPatch,
    act: str,
    model: type,
) -> None:
    row = actions.do_opt_out_directory(family.sam, users.guardian) if act == "withdraw" else None
    consent = give(family.sam, users.guardian) if act == "revoke" else None
    before = (model.objects.count(), Entry.objects.count())

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(actions.ledger, "record", broken)
    with pytest.raises(RuntimeError):
        if act == "opt_out":
            actions.do_opt_out_directory(family.sam, users.guardian)
        elif act == "withdraw":
            actions.do_withdraw_directory_opt_out(row, users.guardian)  # type: ignore[arg-type]
        elif act == "give":
            give(family.sam, users.guardian)
        else:
            actions.do_revoke_disclosure_consent(consent, users.guardian)  # type: ignore[arg-type]
    assert (model.objects.count(), Entry.objects.count()) == before
