"""The family portal's choices: media release, directory information and event releases
(issue #5 item 6; R21, R23, R47, R85–R89, R128–R135). Four states for every URL, explicit
answers only, one ledger entry per signature, the teacher's roster seeing a withdrawal, the
parent of an 18-year-old reading but not signing, directory opt-outs honoured by the rules."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from steward.access import service
from steward.audit.models import Action, Entry
from steward.consents import actions as consent_actions
from steward.consents.models import DirectoryOptOut
from steward.consents.rules import Reason, may_disclose_directory, school_year_of
from steward.media import actions as media_actions
from steward.media import selectors
from steward.media.models import EventRelease, MediaChoice, MediaRelease, MediaRevocation, MediaUse
from steward.roster.models import StudentDemographics
from tests.web import factories as f

Login = Callable[[User], Client]


@pytest.fixture(autouse=True)
def _fresh_access_index() -> Iterator[None]:
    service.reset()
    yield
    service.reset()


def _keys() -> list[str]:
    return list(
        MediaUse.objects.filter(active=True).order_by("order", "key").values_list("key", flat=True)
    )


def _form(page: str, **answers: str) -> dict[str, str]:
    """The posted form: the hidden text hash from the page, the answers and the signature."""
    found = re.search(r'name="text_sha256" value="([0-9a-f]{64})"', page)
    assert found is not None
    return {"text_sha256": found.group(1), "confirm": "on", **answers}


def _all(answer: str = "yes", **overrides: str) -> dict[str, str]:
    return {f"use-{key}": answer for key in _keys()} | {f"use-{k}": v for k, v in overrides.items()}


def _event(district: SimpleNamespace, users: SimpleNamespace) -> object:
    return media_actions.do_request_event_release(
        "Spring concert",
        timezone.localdate() + dt.timedelta(days=10),
        ["district_social_media"],
        users.teacher,
        section=district.math,
    )


def _urls(pk: int, event_id: int = 1) -> list[str]:
    return [
        f"/portal/children/{pk}/media/",
        f"/portal/children/{pk}/directory/",
        f"/portal/children/{pk}/events/{event_id}/",
    ]


# --- URLs and the four states ----------------------------------------------------------------


def test_the_urls_keep_their_names(district: SimpleNamespace) -> None:
    pk = district.ann.pk
    assert reverse("portal-media", args=[pk]) == f"/portal/children/{pk}/media/"
    assert (
        reverse("portal-media-revoke", args=[pk, "portfolios"])
        == f"/portal/children/{pk}/media/revoke/portfolios/"
    )
    assert reverse("portal-directory", args=[pk]) == f"/portal/children/{pk}/directory/"
    assert reverse("portal-event", args=[pk, 7]) == f"/portal/children/{pk}/events/7/"


def test_anonymous_visitors_go_to_the_login_page(
    client: Client, district: SimpleNamespace, users: SimpleNamespace
) -> None:
    event = _event(district, users)
    pk = district.ann.pk
    for url in _urls(pk, event.pk):  # type: ignore[attr-defined]
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url
    response = client.post(f"/portal/children/{pk}/media/revoke/portfolios/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("who", ["teacher", "officer", "no_role"])
def test_staff_get_403(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace, who: str
) -> None:
    event = _event(district, users)
    client = client_as(getattr(users, who))
    pk = district.ann.pk
    for url in _urls(pk, event.pk):  # type: ignore[attr-defined]
        assert client.get(url).status_code == 403, url
        assert client.post(url, {}).status_code == 403, url
    assert client.post(f"/portal/children/{pk}/media/revoke/portfolios/").status_code == 403


def test_a_guardian_of_another_child_gets_404_and_nothing_is_written(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    event = _event(district, users)  # for Grade 3 Math: Ann and Cara
    client = client_as(users.other_guardian)  # Hank, Cara's parent
    before = Entry.objects.count()
    pk = district.ann.pk
    for url in _urls(pk, event.pk):  # type: ignore[attr-defined]
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"opt_out": "name", "allowed": "yes"}).status_code == 404, url
    assert client.post(f"/portal/children/{pk}/media/revoke/portfolios/").status_code == 404
    for url in _urls(10_000_000, event.pk):  # type: ignore[attr-defined]
        assert client.get(url).status_code == 404
    assert Entry.objects.count() == before
    assert not EventRelease.objects.exists() and not DirectoryOptOut.objects.exists()


def test_a_guardian_barred_by_a_court_order_or_with_an_ended_link_gets_404(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    client = client_as(users.guardian)  # Gail: restricted for Dan, ended link for Eve
    for child in (district.dan, district.eve):
        for url in _urls(child.pk)[:2]:
            assert client.get(url).status_code == 404, url
        assert client.post(f"/portal/children/{child.pk}/media/", _all()).status_code == 404


def test_the_right_guardian_gets_every_page(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    event = _event(district, users)
    client = client_as(users.guardian)
    for url in _urls(district.ann.pk, event.pk):  # type: ignore[attr-defined]
        response = client.get(url)
        assert response.status_code == 200, url


def test_an_event_for_another_class_is_not_found(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    event = _event(district, users)  # Grade 3 Math: Ann, not Ben
    client = client_as(users.guardian)
    assert client.get(f"/portal/children/{district.ben.pk}/events/{event.pk}/").status_code == 404  # type: ignore[attr-defined]


# --- media release ---------------------------------------------------------------------------


def test_the_form_shows_the_text_and_every_use_with_no_answer_chosen(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    page = client_as(users.guardian).get(f"/portal/children/{district.ann.pk}/media/")
    html = page.content.decode()
    assert 'id="release-text"' in html and "verbal permission is not accepted" in html
    assert html.index('id="release-text"') < html.index('id="media-release-form"')
    for key in _keys():
        assert f'id="use-{key}-yes"' in html and f'id="use-{key}-no"' in html
        assert f'<label for="use-{key}-yes">' in html
    assert html.count("<fieldset") == len(_keys()) and html.count("<legend>") == len(_keys())
    assert " checked" not in html  # every choice explicit, nothing preselected
    assert 'id="confirm-signature"' in html and 'name="confirm"' in html
    assert 'id="sign-release"' in html and 'id="no-release"' in html


def test_signing_writes_one_release_and_exactly_one_ledger_entry(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    client = client_as(users.guardian)
    url = f"/portal/children/{district.ann.pk}/media/"
    page = client.get(url).content.decode()
    before = Entry.objects.count()
    response = client.post(url, _form(page, **_all("yes", outside_news_media="no")))
    assert response.status_code == 302 and response["Location"] == url
    release = MediaRelease.objects.get()
    assert release.signer_user == users.guardian and release.school_year == selectors.school_year(
        timezone.now()
    )
    assert "verbal permission is not accepted" in release.text
    [entry] = Entry.objects.filter(seq__gt=before)
    assert entry.action == Action.CONSENT
    detail = json.loads(entry.detail)
    assert detail["text_sha256"] == release.text_sha256
    assert detail["choices"]["outside_news_media"] is False
    assert MediaChoice.objects.filter(release=release).count() == len(_keys())
    html = client.get(url).content.decode()
    assert 'id="media-status"' in html
    assert re.search(r'id="status-portfolios"[^>]*>✓ Allowed<', html)
    assert re.search(r'id="status-outside_news_media"[^>]*>✗ Not allowed<', html)
    assert 'id="revoke-portfolios"' in html and 'id="revoke-outside_news_media"' not in html


def test_every_choice_must_be_explicit(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    client = client_as(users.guardian)
    url = f"/portal/children/{district.ann.pk}/media/"
    page = client.get(url).content.decode()
    answers = _all("yes")
    del answers["use-newsletters"]
    before = Entry.objects.count()
    response = client.post(url, _form(page, **answers))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose yes or no for “Newsletters and publications”." in html
    assert " checked" in html  # the answers given are kept
    assert not MediaRelease.objects.exists() and Entry.objects.count() == before


def test_the_signature_needs_the_box_ticked_and_the_text_shown(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    client = client_as(users.guardian)
    url = f"/portal/children/{district.ann.pk}/media/"
    page = client.get(url).content.decode()
    unticked = _form(page, **_all()) | {"confirm": ""}
    assert client.post(url, unticked).status_code == 400
    stale = _form(page, **_all()) | {"text_sha256": "0" * 64}
    assert client.post(url, stale).status_code == 400
    assert not MediaRelease.objects.exists()


def test_revoking_one_use_shows_revoked_and_the_teacher_sees_it(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    client = client_as(users.guardian)
    url = f"/portal/children/{district.ann.pk}/media/"
    client.post(url, _form(client.get(url).content.decode(), **_all("yes")))
    before = Entry.objects.count()
    response = client.post(f"{url}revoke/district_social_media/")
    assert response.status_code == 302 and response["Location"] == url
    assert MediaRevocation.objects.get().use.key == "district_social_media"
    assert Entry.objects.filter(seq__gt=before).count() == 1
    html = client.get(url).content.decode()
    assert re.search(r'id="status-district_social_media"[^>]*>✗ Revoked<', html)
    assert 'id="revoke-district_social_media"' not in html
    # Withdrawing twice changes nothing.
    client.post(f"{url}revoke/district_social_media/")
    assert MediaRevocation.objects.count() == 1

    roster = client_as(users.teacher).get(f"/media/sections/{district.math.pk}/")
    assert roster.status_code == 200
    rows = {
        row.student.pk: dict((u.key, s) for u, s in row.badges) for row in roster.context["rows"]
    }
    assert rows[district.ann.pk]["district_social_media"] == "revoked"
    assert rows[district.ann.pk]["portfolios"] == "allowed"


def test_signing_again_preselects_the_answers_on_file(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    client = client_as(users.guardian)
    url = f"/portal/children/{district.ann.pk}/media/"
    client.post(url, _form(client.get(url).content.decode(), **_all("no", portfolios="yes")))
    html = client.get(url).content.decode()
    assert re.search(r'id="use-portfolios-yes" value="yes" checked', html)
    assert re.search(r'id="use-newsletters-no" value="no" checked', html)


def test_the_media_page_runs_a_fixed_number_of_queries(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    client = client_as(users.guardian)
    url = f"/portal/children/{district.ann.pk}/media/"
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as empty:
        assert client.get(url).status_code == 200
    client.post(url, _form(client.get(url).content.decode(), **_all("yes")))
    client.post(f"{url}revoke/portfolios/")
    with CaptureQueriesContext(connection) as signed:
        assert client.get(url).status_code == 200
    assert len(empty) == 11, [q["sql"] for q in empty.captured_queries]
    assert len(signed) == 14, [q["sql"] for q in signed.captured_queries]


# --- the parent of an 18-year-old --------------------------------------------------------------


@pytest.fixture
def adult(district: SimpleNamespace) -> object:
    StudentDemographics.objects.create(
        student=district.ann, birth_date=f.days(-19 * 366), last_import=district.run
    )
    return district.ann


def test_the_parent_of_an_18_year_old_sees_the_choices_but_cannot_sign(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace, adult: object
) -> None:
    client = client_as(users.guardian)
    event = _event(district, users)
    for url in _urls(district.ann.pk, event.pk):  # type: ignore[attr-defined]
        html = client.get(url).content.decode()
        assert 'id="read-only"' in html and "18 or older" in html, url
        assert 'id="confirm-signature"' not in html and 'id="opt-out-name"' not in html
    before = Entry.objects.count()
    url = f"/portal/children/{district.ann.pk}/media/"
    assert client.post(url, _all()).status_code == 403
    assert client.post(f"{url}revoke/portfolios/").status_code == 403
    directory = f"/portal/children/{district.ann.pk}/directory/"
    assert client.post(directory, {"opt_out": "name"}).status_code == 403
    assert Entry.objects.count() == before and not MediaRelease.objects.exists()


# --- directory information ---------------------------------------------------------------------


def _publish_notice(users: SimpleNamespace, days: int = 1) -> None:
    consent_actions.do_publish_directory_notice(
        users.officer,
        school_year=school_year_of(timezone.localdate()),
        opt_out_ends_on=timezone.localdate() + dt.timedelta(days=days),
        text="Directory notice.",
    )


def test_the_directory_page_lists_the_designated_categories(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    _publish_notice(users, days=14)
    html = client_as(users.guardian).get(f"/portal/children/{district.ann.pk}/directory/")
    text = html.content.decode()
    for key in ("name", "address", "telephone", "awards"):
        assert f'id="opt-out-{key}"' in text
    for key in ("photo", "email", "student_id"):  # never directory information in MA
        assert f'id="opt-out-{key}"' not in text
    assert 'id="opt-out-recruiters"' in text and 'id="opt-out-all"' in text
    assert 'id="opt-out-window"' in text


def test_a_directory_opt_out_is_honoured_by_the_rules_and_can_be_withdrawn(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    _publish_notice(users)
    later = timezone.now() + dt.timedelta(days=3)
    assert may_disclose_directory(district.ann.pk, "telephone", later) == (True, Reason.ALLOWED)
    client = client_as(users.guardian)
    url = f"/portal/children/{district.ann.pk}/directory/"
    before = Entry.objects.count()
    assert client.post(url, {"opt_out": "telephone"}).status_code == 302
    assert Entry.objects.filter(seq__gt=before, action=Action.CONSENT).count() == 1
    assert may_disclose_directory(district.ann.pk, "telephone", later) == (
        False,
        Reason.OPTED_OUT,
    )
    assert may_disclose_directory(district.ann.pk, "name", later) == (True, Reason.ALLOWED)
    html = client.get(url).content.decode()
    assert 'id="withdraw-telephone"' in html and 'id="opt-out-telephone"' not in html
    client.post(url, {"opt_out": "telephone"})  # twice: still one opt-out
    assert DirectoryOptOut.objects.count() == 1
    assert client.post(url, {"withdraw": "telephone"}).status_code == 302
    assert may_disclose_directory(district.ann.pk, "telephone", later) == (True, Reason.ALLOWED)


def test_the_recruiter_opt_out(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    _publish_notice(users)
    later = timezone.now() + dt.timedelta(days=3)
    client = client_as(users.guardian)
    url = f"/portal/children/{district.ann.pk}/directory/"
    client.post(url, {"opt_out": "recruiters"})
    assert may_disclose_directory(district.ann.pk, "name", later, to_recruiter=True) == (
        False,
        Reason.RECRUITER_OPT_OUT,
    )
    assert may_disclose_directory(district.ann.pk, "name", later) == (True, Reason.ALLOWED)
    assert 'id="withdraw-recruiters"' in client.get(url).content.decode()


def test_an_unknown_or_non_directory_category_is_not_found(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    client = client_as(users.guardian)
    url = f"/portal/children/{district.ann.pk}/directory/"
    assert client.post(url, {"opt_out": "photo"}).status_code == 404
    assert client.post(url, {"opt_out": "nonsense"}).status_code == 404
    assert not DirectoryOptOut.objects.exists()


# --- event releases ----------------------------------------------------------------------------


def test_a_pending_event_is_listed_on_the_child_page_and_answered(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    event = _event(district, users)
    client = client_as(users.guardian)
    child = client.get(f"/portal/children/{district.ann.pk}/").content.decode()
    assert f'id="event-{event.pk}"' in child and "Spring concert" in child  # type: ignore[attr-defined]
    url = f"/portal/children/{district.ann.pk}/events/{event.pk}/"  # type: ignore[attr-defined]
    page = client.get(url).content.decode()
    assert 'id="allowed-yes"' in page and 'id="sign-event-release"' in page
    assert " checked" not in page
    assert client.post(url, _form(page)).status_code == 400  # no answer
    before = Entry.objects.count()
    response = client.post(url, _form(page, allowed="no"))
    assert response.status_code == 302
    answer = EventRelease.objects.get()
    assert answer.allowed is False and answer.signer_user == users.guardian
    assert Entry.objects.filter(seq__gt=before).count() == 1
    child = client.get(f"/portal/children/{district.ann.pk}/").content.decode()
    assert f'id="event-{event.pk}"' not in child  # type: ignore[attr-defined]
    assert 'data-allowed="no"' in client.get(url).content.decode()
