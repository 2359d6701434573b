"""Consent to disclose: validation of each term, expiry, revocation, coverage (R45–R50)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from steward.consents import actions
from steward.consents.models import MAX_CONSENT_DAYS, DisclosureConsent, validate_terms
from steward.consents.rules import consent_covers
from tests.consents.conftest import CONSENT_TEXT
from tests.web import factories as f

pytestmark = pytest.mark.django_db


def terms(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "scopes": ["grades_transcript", "attendance"],
        "purpose": "College application",
        "recipient": "Bay State University admissions office",
        "expires_on": f.days(90),
    }
    return {**base, **changes}


def give(family: SimpleNamespace, users: SimpleNamespace, **changes: object) -> DisclosureConsent:
    fields = {"text": CONSENT_TEXT, **terms(**changes)}
    return actions.do_give_disclosure_consent(family.sam, users.guardian, **fields)  # type: ignore[arg-type]


def errors_of(**changes: object) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        validate_terms(**terms(**changes))  # type: ignore[arg-type]
    return error.value.message_dict


def test_complete_terms_pass_validation() -> None:
    validate_terms(**terms())  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("field", "empty"),
    [("scopes", []), ("purpose", "  "), ("recipient", ""), ("expires_on", None)],
)
def test_a_consent_missing_a_term_fails_naming_that_term(field: str, empty: object) -> None:
    assert set(errors_of(**{field: empty})) == {field}


def test_a_consent_missing_everything_names_every_term() -> None:
    names = errors_of(scopes=[], purpose="", recipient="", expires_on=None)
    assert set(names) == {"scopes", "purpose", "recipient", "expires_on"}


def test_an_unknown_record_part_fails_validation() -> None:
    assert "shoe_size" in errors_of(scopes=["directory", "shoe_size"])["scopes"][0]


def test_an_expiry_today_or_earlier_fails_validation() -> None:
    assert "expires_on" in errors_of(expires_on=f.today())
    assert "expires_on" in errors_of(expires_on=f.days(-1))


def test_an_expiry_more_than_a_year_away_fails_validation() -> None:
    validate_terms(**terms(expires_on=f.days(MAX_CONSENT_DAYS)))  # type: ignore[arg-type]
    assert "expires_on" in errors_of(expires_on=f.days(MAX_CONSENT_DAYS + 1))


def test_the_action_refuses_incomplete_terms_and_writes_nothing(
    family: SimpleNamespace, users: SimpleNamespace
) -> None:
    with pytest.raises(ValidationError) as error:
        give(family, users, purpose="", text="")
    assert set(error.value.message_dict) == {"purpose", "text"}
    assert not DisclosureConsent.objects.exists()


def test_the_action_refuses_an_empty_consent_text(
    family: SimpleNamespace, users: SimpleNamespace
) -> None:
    with pytest.raises(ValidationError) as error:
        actions.do_give_disclosure_consent(
            family.sam,
            users.guardian,
            text=" ",
            **terms(),  # type: ignore[arg-type]
        )
    assert set(error.value.message_dict) == {"text"}


def test_a_signed_consent_keeps_the_exact_text_and_its_hash(
    family: SimpleNamespace, users: SimpleNamespace
) -> None:
    consent = give(family, users)
    assert consent.text == CONSENT_TEXT
    assert len(consent.text_sha256) == 64
    assert consent.guardian == family.gail
    assert consent.entered_by == users.guardian
    assert consent.method == "electronic"
    assert "Sam" in str(consent) and "Bay State University" in str(consent)


def test_a_consent_covers_its_records_recipient_and_purpose(
    family: SimpleNamespace, users: SimpleNamespace
) -> None:
    consent = give(family, users)
    found = consent_covers(
        family.sam.pk,
        "attendance",
        "bay state university  ADMISSIONS office",
        "college application",
    )
    assert found == consent


@pytest.mark.parametrize(
    ("scope", "recipient", "purpose"),
    [
        ("health", "Bay State University admissions office", "College application"),
        ("attendance", "Ivy Tech", "College application"),
        ("attendance", "Bay State University admissions office", "Marketing"),
    ],
)
def test_a_disclosure_outside_the_consent_is_not_covered(
    family: SimpleNamespace, users: SimpleNamespace, scope: str, recipient: str, purpose: str
) -> None:
    give(family, users)
    assert consent_covers(family.sam.pk, scope, recipient, purpose) is None


def test_a_consent_covers_no_other_student(family: SimpleNamespace, users: SimpleNamespace) -> None:
    give(family, users)
    args = ("attendance", "Bay State University admissions office", "College application")
    assert consent_covers(family.fay.pk, *args) is None


def test_a_consent_lapses_after_its_expiry_date(
    family: SimpleNamespace, users: SimpleNamespace
) -> None:
    consent = give(family, users, expires_on=f.days(30))
    args = ("attendance", consent.recipient, consent.purpose)
    last_day = timezone.now() + dt.timedelta(days=30)
    assert consent_covers(family.sam.pk, *args, last_day) == consent
    assert consent_covers(family.sam.pk, *args, last_day + dt.timedelta(days=1)) is None


def test_a_consent_covers_nothing_before_it_was_signed(
    family: SimpleNamespace, users: SimpleNamespace
) -> None:
    consent = give(family, users)
    args = ("attendance", consent.recipient, consent.purpose)
    assert consent_covers(family.sam.pk, *args, consent.signed_at - dt.timedelta(1)) is None


def test_revocation_applies_from_then_on_and_keeps_the_history(
    family: SimpleNamespace, users: SimpleNamespace
) -> None:
    consent = give(family, users)
    args = ("attendance", consent.recipient, consent.purpose)
    revocation = actions.do_revoke_disclosure_consent(consent, users.guardian)
    assert consent_covers(family.sam.pk, *args) is None
    before = revocation.revoked_at - dt.timedelta(microseconds=1)
    assert consent_covers(family.sam.pk, *args, before) == consent
    consent.refresh_from_db()
    assert consent.text == CONSENT_TEXT and consent.revocation == revocation
    assert "Revocation of" in str(revocation)


def test_a_consent_cannot_be_revoked_twice(family: SimpleNamespace, users: SimpleNamespace) -> None:
    consent = give(family, users)
    actions.do_revoke_disclosure_consent(consent, users.guardian)
    with pytest.raises(ValidationError):
        actions.do_revoke_disclosure_consent(consent, users.guardian)


def test_a_consent_row_is_never_updated_in_place(
    family: SimpleNamespace, users: SimpleNamespace
) -> None:
    consent = give(family, users)
    consent.purpose = "Something else"
    with pytest.raises(ValueError, match="history"):
        consent.save()


def test_a_later_consent_is_found_after_an_earlier_one_is_revoked(
    family: SimpleNamespace, users: SimpleNamespace
) -> None:
    first = give(family, users)
    actions.do_revoke_disclosure_consent(first, users.guardian)
    second = give(family, users)
    assert consent_covers(family.sam.pk, "attendance", first.recipient, first.purpose) == second
