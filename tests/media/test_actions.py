"""Signing, paper entry, revocation and event requests: each validated, each one ledger entry
in the same transaction (design.md §3 rule 2; R47, R128–R135)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from steward.audit.models import Action, Entry
from steward.media import actions, selectors
from steward.media.defaults import DEFAULT_USES
from steward.media.models import (
    EventReleaseRequest,
    MediaChoice,
    MediaRelease,
    MediaRevocation,
    MediaUse,
)
from steward.roster.models import StudentDemographics

from .conftest import TEXT, answers, sign, year

Status = selectors.Status


def consent_entries() -> list[Entry]:
    return list(Entry.objects.filter(action=Action.CONSENT).order_by("seq"))


def detail(entry: Entry) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(entry.detail)
    return loaded


def test_the_migration_seeds_the_fifteen_default_uses_of_r132(db: None) -> None:
    keys = list(MediaUse.objects.order_by("order").values_list("key", flat=True))
    assert keys == [key for key, _l, _d in DEFAULT_USES]
    assert len(keys) == 15
    name_with_photo = MediaUse.objects.get(key="name_with_photo")
    assert name_with_photo.display_label == "Name with photo"


def test_a_linked_guardian_signs_with_every_choice_explicit(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    release = sign(users.gail, district.ana, answers(True, outside_news_media=False))
    assert release.signer_guardian == district.gail
    assert release.signer_user == users.gail
    assert release.method == "electronic" and release.signer_kind == "guardian"
    assert release.school_year == year()
    assert MediaChoice.objects.filter(release=release).count() == 15
    assert not MediaChoice.objects.get(release=release, use__key="outside_news_media").allowed


def test_the_signed_text_is_stored_with_its_sha256(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    release = sign(users.gail, district.ana)
    assert release.text == TEXT
    assert release.text_sha256 == hashlib.sha256(TEXT.encode()).hexdigest()


def test_a_release_missing_a_choice_is_refused_naming_the_missing_uses(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    choices = answers()
    del choices["yearbook_team_photos"], choices["portfolios"]
    with pytest.raises(ValidationError) as raised:
        sign(users.gail, district.ana, choices)
    message = " ".join(raised.value.messages)
    assert "Yearbook and team photos" in message and "Portfolios" in message
    assert not MediaRelease.objects.exists() and not consent_entries()


def test_an_answer_that_is_not_yes_or_no_is_refused(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    with pytest.raises(ValidationError):
        sign(users.gail, district.ana, answers() | {"portfolios": "on"})  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        sign(users.gail, district.ana, answers() | {"no_such_use": True})


def test_a_badly_written_school_year_is_refused(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    with pytest.raises(ValidationError):
        actions.do_sign_media_release(district.ana, "2026-2028", answers(), TEXT, users.gail)


def test_a_restricted_parent_may_not_sign(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    with pytest.raises(PermissionDenied):
        sign(users.rex, district.ana)
    assert not MediaRelease.objects.exists()


def test_a_guardian_of_another_child_may_not_sign(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    with pytest.raises(PermissionDenied):
        sign(users.gus, district.ana)


def test_staff_may_not_sign_electronically_for_a_family(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    with pytest.raises(PermissionDenied):
        sign(users.teacher, district.ana)
    with pytest.raises(PermissionDenied):
        actions.do_sign_media_release(
            district.ana, year(), answers(), TEXT, users.gus, signer_guardian=district.gail
        )


def test_signing_writes_one_consent_entry_with_the_choices_and_hash(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    release = sign(users.gail, district.ana, answers(False))
    [entry] = consent_entries()
    assert entry.subject_student == district.ana.pk
    assert entry.actor_user_id == users.gail.pk
    assert detail(entry)["text_sha256"] == release.text_sha256
    assert detail(entry)["choices"]["portfolios"] is False
    assert len(detail(entry)["choices"]) == 15


def test_a_failure_after_the_rows_are_written_writes_nothing(
    district: SimpleNamespace, users: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("ledger down")

    monkeypatch.setattr(actions.ledger, "record", broken)
    with pytest.raises(RuntimeError):
        sign(users.gail, district.ana)
    assert not MediaRelease.objects.exists()
    assert not MediaChoice.objects.exists()
    assert not consent_entries()


def test_signing_again_supersedes_and_keeps_the_history(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    first = sign(users.gail, district.ana, answers(False))
    second = sign(users.gail, district.ana, answers(True))
    assert second.supersedes == first
    assert MediaRelease.objects.count() == 2
    assert selectors.status_for([district.ana.pk], year())[district.ana.pk]["portfolios"] == (
        Status.ALLOWED
    )


def test_history_rows_refuse_to_be_changed(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    release = sign(users.gail, district.ana)
    release.text = "something else"
    with pytest.raises(ValueError, match="history"):
        release.save()
    choice = MediaChoice.objects.filter(release=release).first()
    assert choice is not None
    choice.allowed = False
    with pytest.raises(ValueError, match="history"):
        choice.save()


def test_office_staff_enter_a_paper_form_with_an_attestation(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    release = actions.do_enter_paper_release(
        district.ana,
        year(),
        answers(),
        "Paper form 2026, English",
        district.gail,
        users.teacher,
        "I entered this from the form signed by Gail Avery on 3 September.",
    )
    assert release.method == "paper" and release.signer_kind == "staff_paper"
    assert release.entered_by == users.teacher and release.signer_user is None
    [entry] = consent_entries()
    assert entry.actor_user_id == users.teacher.pk and detail(entry)["method"] == "paper"


def test_a_paper_form_without_an_attestation_is_refused(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    with pytest.raises(ValidationError, match="attestation"):
        actions.do_enter_paper_release(
            district.ana, year(), answers(), TEXT, district.gail, users.teacher, "  "
        )
    assert not MediaRelease.objects.exists()


def test_paper_forms_are_entered_only_by_staff_who_see_the_student_for_a_rights_holder(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    with pytest.raises(PermissionDenied):  # Cal is not in Tess's class
        actions.do_enter_paper_release(
            district.cal, year(), answers(), TEXT, district.gus, users.teacher, "Entered."
        )
    with pytest.raises(PermissionDenied):  # Rex is barred
        actions.do_enter_paper_release(
            district.ana, year(), answers(), TEXT, district.rex, users.teacher, "Entered."
        )
    with pytest.raises(PermissionDenied):  # guardians do not enter paper forms
        actions.do_enter_paper_release(
            district.ana, year(), answers(), TEXT, district.gail, users.gail, "Entered."
        )


def test_revocation_applies_from_then_on_and_the_history_stays(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    release = sign(users.gail, district.ana)
    before = timezone.now()
    revocation = actions.do_revoke_media_use(district.ana, "name_with_photo", users.gail)
    after = timezone.now()
    ana = district.ana.pk
    assert selectors.status_for([ana], year(), after)[ana]["name_with_photo"] == Status.REVOKED
    assert selectors.status_for([ana], year(), before)[ana]["name_with_photo"] == Status.ALLOWED
    assert selectors.status_for([ana], year(), after)[ana]["portfolios"] == Status.ALLOWED
    assert MediaChoice.objects.get(release=release, use__key="name_with_photo").allowed
    assert revocation.release == release and revocation.by == users.gail
    assert [detail(e).get("use") for e in consent_entries()] == [None, "name_with_photo"]


def test_a_use_cannot_be_withdrawn_twice_or_when_never_allowed(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    with pytest.raises(ValidationError):  # no release at all
        actions.do_revoke_media_use(district.ana, "portfolios", users.gail)
    sign(users.gail, district.ana, answers(True, portfolios=False))
    with pytest.raises(ValidationError):
        actions.do_revoke_media_use(district.ana, "portfolios", users.gail)
    actions.do_revoke_media_use(district.ana, "newsletters", users.gail)
    with pytest.raises(ValidationError):
        actions.do_revoke_media_use(district.ana, "newsletters", users.gail)
    assert MediaRevocation.objects.count() == 1


def test_only_rights_holders_and_the_students_staff_withdraw(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    sign(users.gail, district.ana)
    for outsider in (users.rex, users.gus, users.art_teacher):
        with pytest.raises(PermissionDenied):
            actions.do_revoke_media_use(district.ana, "newsletters", outsider)
    actions.do_revoke_media_use(district.ana, "newsletters", users.teacher)
    assert MediaRevocation.objects.count() == 1


def test_a_teacher_requests_an_event_release_for_their_section(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    made = actions.do_request_event_release(
        "Science fair",
        dt.date(2026, 12, 3),
        ["outside_news_media", "field_trips"],
        users.teacher,
        section=district.homeroom,
    )
    assert set(made.uses.values_list("key", flat=True)) == {"outside_news_media", "field_trips"}
    [entry] = consent_entries()
    assert detail(entry)["event_release_request"] == made.pk
    assert entry.subject_set is not None and entry.subject_set.size == 2


def test_event_requests_need_staff_who_see_the_section_and_real_uses(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    day = dt.date(2026, 12, 3)
    with pytest.raises(PermissionDenied):
        actions.do_request_event_release(
            "Fair", day, ["field_trips"], users.art_teacher, section=district.homeroom
        )
    with pytest.raises(PermissionDenied):
        actions.do_request_event_release(
            "Fair", day, ["field_trips"], users.gail, section=district.homeroom
        )
    with pytest.raises(ValidationError):
        actions.do_request_event_release(
            "Fair", day, ["nope"], users.teacher, section=district.homeroom
        )
    assert not EventReleaseRequest.objects.exists() and not consent_entries()


def test_a_guardian_answers_an_event_release_for_their_child_only(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    event = actions.do_request_event_release(
        "Science fair",
        dt.date(2026, 12, 3),
        ["outside_news_media"],
        users.teacher,
        section=district.homeroom,
    )
    made = actions.do_sign_event_release(event, district.ana, True, TEXT, users.gail)
    assert made.allowed and made.signer_guardian == district.gail
    assert made.text_sha256 == hashlib.sha256(TEXT.encode()).hexdigest()
    with pytest.raises(PermissionDenied):
        actions.do_sign_event_release(event, district.ana, True, TEXT, users.rex)
    with pytest.raises(ValidationError):  # Cal is not in the homeroom
        actions.do_sign_event_release(event, district.cal, True, TEXT, users.gus)
    assert [detail(e).get("event_release") for e in consent_entries()] == [None, made.pk]


def test_the_guardian_of_an_eighteen_year_old_no_longer_signs(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    today = timezone.localdate()
    StudentDemographics.objects.create(
        student=district.ana,
        birth_date=today - dt.timedelta(days=19 * 366),
        last_import=district.run,
    )
    with pytest.raises(PermissionDenied):
        sign(users.gail, district.ana)
