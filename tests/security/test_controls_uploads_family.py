"""Uploads on the amendment pages (#10 item 2, R116, R36, R37): what a family adds to the record,
and the hearing officer's signed attestation, refuse files by their bytes and size; what is kept
is served with safe headers (a family's document always as an attachment)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from steward.amendments.actions.hearings import do_request_hearing
from steward.amendments.models import Addition, Hearing, Schedule
from tests.amendments.conftest import client_as, district, users
from tests.amendments.helpers import refuse_all, request_absence

from .controls_fixtures import (
    PDF,
    Bad,
    assert_refused,
    assert_safe_download,
    bad_pdfs,
    controls_small_uploads,
    ids,
    watch_storage,
)

__all__ = ["client_as", "controls_small_uploads", "district", "users"]
Login = Callable[[User], Client]
pytestmark = pytest.mark.usefixtures("controls_small_uploads")


def _hearing(district: SimpleNamespace, users: SimpleNamespace) -> Hearing:
    made = request_absence(district, users.gail)
    refuse_all(made, users.olivia)
    made.refresh_from_db()
    return do_request_hearing(made, users.gail)


def _schedule_form(users: SimpleNamespace, attestation: SimpleUploadedFile) -> dict[str, object]:
    return {
        "day": (timezone.localdate() + dt.timedelta(days=14)).isoformat(),
        "time": "15:00",
        "place": "District office, room 2",
        "officer": str(users.hugo.pk),
        "attested": "on",
        "attestation": attestation,
    }


@pytest.mark.parametrize("bad", bad_pdfs(), ids=ids(bad_pdfs()))
def test_a_familys_addition_refuses_bad_files(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace, bad: Bad
) -> None:
    gail = client_as(users.gail)
    unchanged = watch_storage()
    response = gail.post(
        reverse("amendments-portal-add", args=[district.ann.pk]),
        {"scope": "health", "title": "Allergy letter", "text": "", "document": bad.upload()},
    )
    assert response.status_code == 400
    assert_refused(response, bad)
    unchanged()
    assert not Addition.objects.exists()


@pytest.mark.parametrize("bad", bad_pdfs(), ids=ids(bad_pdfs()))
def test_the_hearing_attestation_refuses_bad_files(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace, bad: Bad
) -> None:
    hearing = _hearing(district, users)
    office = client_as(users.olivia)
    unchanged = watch_storage()
    response = office.post(
        reverse("amendments-office-schedule", args=[hearing.request_id]),
        _schedule_form(users, bad.upload()),
    )
    assert response.status_code == 400
    assert_refused(response, bad)
    unchanged()
    assert not Schedule.objects.exists()


def test_a_familys_document_is_served_as_an_attachment_and_the_attestation_inline(
    client_as: Login, users: SimpleNamespace, district: SimpleNamespace
) -> None:
    gail = client_as(users.gail)
    added = gail.post(
        reverse("amendments-portal-add", args=[district.ann.pk]),
        {
            "scope": "health",
            "title": "Allergy letter",
            "text": "",
            "document": SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert added.status_code == 302
    addition = Addition.objects.get()
    served = gail.get(reverse("amendments-addition-document", args=[addition.pk]))
    assert_safe_download(served, inline_pdf=False)
    assert served.content == PDF

    hearing = _hearing(district, users)
    office = client_as(users.olivia)
    scheduled = office.post(
        reverse("amendments-office-schedule", args=[hearing.request_id]),
        _schedule_form(users, SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")),
    )
    assert scheduled.status_code == 302
    schedule = Schedule.objects.get()
    served = office.get(
        reverse("amendments-office-attestation", args=[hearing.request_id, schedule.pk])
    )
    assert_safe_download(served, inline_pdf=True)
