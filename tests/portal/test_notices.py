"""The annual notices (R19–R23): published by `steward publish-notices`, listed for the
current school year in the portal, acknowledged once per guardian and notice, each with one
ledger entry."""

from __future__ import annotations

import json
from collections.abc import Callable
from io import StringIO
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from steward.audit.models import Action, Entry
from steward.media.selectors import school_year
from steward.portal import notice_actions
from steward.portal.models import AnnualNotice, NoticeAcknowledgement, NoticeKind

Login = Callable[[User], Client]
URL = "/portal/notices/"
KINDS = ["ferpa", "massachusetts", "directory", "ppra"]


def _publish() -> list[AnnualNotice]:
    return notice_actions.publish_default_notices(school_year(timezone.now()))


def test_the_url_keeps_its_name() -> None:
    assert reverse("portal-notices") == URL


def test_publish_notices_creates_the_four_notices_once(db: None) -> None:
    out = StringIO()
    before = Entry.objects.count()
    call_command("publish_notices", "--school-year", "2026-2027", stdout=out)
    assert "4 notices published for 2026-2027" in out.getvalue()
    notices = {n.kind: n for n in AnnualNotice.objects.filter(school_year="2026-2027")}
    assert sorted(notices) == sorted(KINDS)
    assert Entry.objects.filter(seq__gt=before, action=Action.CONSENT).count() == 4
    for notice in notices.values():
        assert notice_actions.sha256(notice.text) == notice.text_sha256
        assert notice.text.count("\n\n") >= 2  # a few paragraphs each
    assert "34 CFR 99.7" in notices["ferpa"].text and "99.31(a)(1)" in notices["ferpa"].text
    assert "legitimate educational interest" in notices["ferpa"].text
    assert "400 Maryland Avenue" in notices["ferpa"].text
    assert "seeks or intends to enroll" in notices["ferpa"].text  # R22
    assert "603 CMR 23.10" in notices["massachusetts"].text
    assert "99.37" in notices["directory"].text and "7908" in notices["directory"].text
    assert "never directory information in Massachusetts" in notices["directory"].text
    assert "1232h" in notices["ppra"].text and "religious practices" in notices["ppra"].text
    call_command("publish_notices", "--school-year", "2026-2027", stdout=out)
    assert AnnualNotice.objects.count() == 4  # nothing new to publish


def test_a_bad_school_year_is_refused(db: None) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("publish_notices", "--school-year", "2026-2028", stdout=StringIO())


def test_anonymous_visitors_go_to_the_login_page(client: Client, db: None) -> None:
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("who", ["teacher", "officer", "no_role"])
def test_staff_get_403(client_as: Login, users: SimpleNamespace, who: str) -> None:
    _publish()
    client = client_as(getattr(users, who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"notice": AnnualNotice.objects.first().pk}).status_code == 403  # type: ignore[union-attr]
    assert not NoticeAcknowledgement.objects.exists()


def test_a_notice_of_another_year_or_unknown_is_not_found(
    client_as: Login, users: SimpleNamespace
) -> None:
    old = notice_actions.publish_default_notices("2001-2002")[0]
    client = client_as(users.guardian)
    assert client.post(URL, {"notice": old.pk}).status_code == 404
    assert client.post(URL, {"notice": "999999"}).status_code == 404
    assert not NoticeAcknowledgement.objects.exists()


def test_the_guardian_reads_and_acknowledges_each_notice_once(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    client = client_as(users.guardian)
    assert 'id="no-notices"' in client.get(URL).content.decode()
    _publish()
    html = client.get(URL).content.decode()
    for kind in KINDS:
        assert f'id="ack-{kind}"' in html and f'id="notice-{kind}"' in html
    assert "Student Privacy Policy Office" in html
    assert f"/portal/children/{district.ann.pk}/directory/" in html
    ferpa = AnnualNotice.objects.get(kind=NoticeKind.FERPA)
    before = Entry.objects.count()
    response = client.post(URL, {"notice": ferpa.pk})
    assert response.status_code == 302 and response["Location"] == URL
    ack = NoticeAcknowledgement.objects.get()
    assert (ack.notice, ack.guardian, ack.user) == (ferpa, district.gail, users.guardian)
    assert ack.text_sha256 == ferpa.text_sha256  # shown in English: the published text
    [entry] = Entry.objects.filter(seq__gt=before)
    assert entry.action == Action.CONSENT
    assert json.loads(entry.detail)["annual_notice"] == ferpa.pk
    html = client.get(URL).content.decode()
    assert 'id="ack-ferpa"' not in html and 'id="ack-ferpa-done"' in html
    assert 'id="ack-ppra"' in html
    client.post(URL, {"notice": ferpa.pk})  # a second time: nothing new
    assert NoticeAcknowledgement.objects.count() == 1
    assert Entry.objects.filter(seq__gt=before).count() == 1
    # Another guardian acknowledges the same notice for themselves.
    client_as(users.other_guardian).post(URL, {"notice": ferpa.pk})
    assert NoticeAcknowledgement.objects.count() == 2


def test_acknowledging_is_for_guardians_and_only_once(users: SimpleNamespace) -> None:
    [notice, *_rest] = _publish()
    notice_actions.do_acknowledge_notice(notice, users.guardian)
    with pytest.raises(ValidationError):
        notice_actions.do_acknowledge_notice(notice, users.guardian)
    with pytest.raises(PermissionDenied):
        notice_actions.do_acknowledge_notice(notice, users.teacher)
    with pytest.raises(ValueError):
        NoticeAcknowledgement.objects.get().save()  # history: never changed


def test_a_notice_is_shown_in_the_readers_language(users: SimpleNamespace) -> None:
    [notice, *_rest] = _publish()
    with translation.override("en"):
        title, text = notice_actions.shown(notice)
    assert (title, text) == (notice.title, notice.text)
    notice_actions.do_publish_notice(
        NoticeKind.FERPA, notice.school_year, "District wording", "Our own text.\n\nMore."
    )
    [latest, *_others] = notice_actions.latest_notices(notice.school_year)
    assert notice_actions.shown(latest) == ("District wording", "Our own text.\n\nMore.")
