"""Published items per student (R134): recording a publication refuses students who are not
cleared (R133) unless an event release clears them (R130); a withdrawal after publication puts
the item on the "to take down" list; taking it down is recorded once. Each write is one ledger
entry in the same transaction (design.md §3 rule 2)."""

from __future__ import annotations

import datetime as dt
import json
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from steward.audit.models import Action, Entry
from steward.media import actions, selectors
from steward.media.models import PublishedItem, PublishedStudent, TakeDown

from .conftest import TEXT, answers, sign


def entries(action: str) -> list[Entry]:
    return list(Entry.objects.filter(action=action).order_by("seq"))


def detail(entry: Entry) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(entry.detail)
    return loaded


def publish(d: SimpleNamespace, by: Any, students: list[Any], **kw: Any) -> PublishedItem:
    return actions.do_record_publication(
        title=kw.pop("title", "Fall concert"),
        use_key=kw.pop("use_key", "newsletters"),
        location=kw.pop("location", "https://adams.example.org/news/fall-concert"),
        students=students,
        published_by=by,
        section=d.homeroom,
        **kw,
    )


def test_a_teacher_records_a_publication_of_cleared_students(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    release = sign(users.gail, district.ana)
    item = publish(district, users.teacher, [district.ana])
    assert item.use.key == "newsletters" and item.published_by == users.teacher
    [shown] = PublishedStudent.objects.filter(item=item)
    assert shown.student_id == district.ana.pk and shown.release_id == release.pk
    [entry] = entries(Action.RELEASE)
    assert entry.subject_student == district.ana.pk
    assert detail(entry)["published_item"] == item.pk
    assert detail(entry)["cleared_by"] == {str(district.ana.pk): f"media-release-{release.pk}"}
    assert json.loads(entry.release)["recipient"]["affiliation"] == item.location


def test_students_who_are_not_cleared_are_refused_by_name_and_nothing_is_written(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    sign(users.gail, district.ana, answers(True, newsletters=False))
    with pytest.raises(ValidationError) as refused:
        publish(district, users.teacher, [district.ana, district.ben])
    message = " ".join(refused.value.messages)
    assert "Ana Avery" in message and "Ben Brown" in message
    assert "Not allowed on the release signed" in message
    assert "No media release on file" in message
    assert not PublishedItem.objects.exists() and not entries(Action.RELEASE)


def test_an_event_release_clears_a_student_for_that_event_only(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    sign(users.gail, district.ana, answers(True, field_trips=False, name_with_photo=False))
    event = actions.do_request_event_release(
        "Museum trip",
        timezone.localdate(),
        ["field_trips"],
        users.teacher,
        section=district.homeroom,
    )
    with pytest.raises(ValidationError):
        publish(district, users.teacher, [district.ana], use_key="field_trips")
    answer = actions.do_sign_event_release(event, district.ana, True, TEXT, users.gail)
    with pytest.raises(ValidationError):  # the event did not ask about name with photo
        publish(district, users.teacher, [district.ana], use_key="name_with_photo", event=event)
    item = publish(district, users.teacher, [district.ana], use_key="field_trips", event=event)
    [shown] = PublishedStudent.objects.filter(item=item)
    assert shown.event_release_id == answer.pk and shown.release_id is None


@pytest.mark.parametrize("who", ["art_teacher", "gail", "officer"])
def test_only_staff_who_see_every_student_record_a_publication(
    district: SimpleNamespace, users: SimpleNamespace, who: str
) -> None:
    sign(users.gail, district.ana)
    with pytest.raises(PermissionDenied):
        publish(district, getattr(users, who), [district.ana])
    assert not PublishedItem.objects.exists()


def test_a_publication_needs_a_title_a_place_a_use_students_and_a_past_date(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    sign(users.gail, district.ana)
    for bad in (
        {"title": " "},
        {"location": ""},
        {"use_key": "no_such_use"},
        {"published_at": timezone.now() + dt.timedelta(hours=1)},
    ):
        with pytest.raises(ValidationError):
            publish(district, users.teacher, [district.ana], **bad)
    with pytest.raises(ValidationError):
        publish(district, users.teacher, [])
    assert not PublishedItem.objects.exists()


def test_a_withdrawal_after_publication_lists_the_item_to_take_down(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    sign(users.gail, district.ana)
    item = publish(district, users.teacher, [district.ana])
    other = publish(district, users.teacher, [district.ana], use_key="portfolios")
    assert selectors.to_take_down([item.pk, other.pk]) == {}
    actions.do_revoke_media_use(district.ana, "newsletters", users.gail)
    found = selectors.to_take_down([item.pk, other.pk])
    assert list(found) == [item.pk]
    [withdrawal] = found[item.pk]
    assert withdrawal.student_id == district.ana.pk and withdrawal.how == "revoked"
    assert selectors.withdrawal_reason(withdrawal).startswith("Withdrawn by the family on")
    # Publications after the withdrawal are refused, and the earlier one stays lawful history.
    with pytest.raises(ValidationError):
        publish(district, users.teacher, [district.ana])


def test_a_new_release_saying_no_also_lists_the_item(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    sign(users.gail, district.ana)
    item = publish(district, users.teacher, [district.ana])
    sign(users.gail, district.ana, answers(True, newsletters=False))
    [withdrawal] = selectors.to_take_down([item.pk])[item.pk]
    assert withdrawal.how == "superseded"


def test_a_later_no_to_the_event_lists_the_event_item(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    event = actions.do_request_event_release(
        "Museum trip",
        timezone.localdate(),
        ["field_trips"],
        users.teacher,
        section=district.homeroom,
    )
    actions.do_sign_event_release(event, district.ana, True, TEXT, users.gail)
    item = publish(district, users.teacher, [district.ana], use_key="field_trips", event=event)
    actions.do_sign_event_release(event, district.ana, False, TEXT, users.gail)
    [withdrawal] = selectors.to_take_down([item.pk])[item.pk]
    assert withdrawal.how == "event"


def test_taking_an_item_down_is_recorded_once_with_its_ledger_entry(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    sign(users.gail, district.ana)
    item = publish(district, users.teacher, [district.ana])
    actions.do_revoke_media_use(district.ana, "newsletters", users.gail)
    with pytest.raises(PermissionDenied):
        actions.do_take_down(item, users.art_teacher)
    made = actions.do_take_down(item, users.teacher, "Removed from the web page.")
    assert made.note == "Removed from the web page." and made.by == users.teacher
    assert selectors.to_take_down([item.pk]) == {}
    [entry] = entries(Action.CHANGE)
    assert detail(entry)["published_item"] == item.pk and detail(entry)["take_down"] == made.pk
    with pytest.raises(ValidationError):
        actions.do_take_down(item, users.teacher)
    assert TakeDown.objects.count() == 1


def test_published_rows_are_history(district: SimpleNamespace, users: SimpleNamespace) -> None:
    sign(users.gail, district.ana)
    item = publish(district, users.teacher, [district.ana])
    item.title = "Changed"
    with pytest.raises(ValueError, match="history"):
        item.save()


def test_recording_takes_as_many_queries_for_nine_students_as_for_two(
    district: SimpleNamespace, users: SimpleNamespace
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.web import factories as f

    pupils = []
    for i in range(9):
        pupil = f.student(district.run, f"Kid{i}", "Many")
        f.attend(district.run, pupil, district.adams)
        f.enroll(district.run, pupil, district.homeroom)
        f.guardian_of(district.run, district.gail, pupil)
        sign(users.gail, pupil)
        pupils.append(pupil)
    publish(district, users.teacher, pupils[:2])  # warm the access index
    publish(district, users.teacher, pupils)  # and the ledger's subject set of the nine
    with CaptureQueriesContext(connection) as two:
        publish(district, users.teacher, pupils[:2])
    with CaptureQueriesContext(connection) as nine:
        item = publish(district, users.teacher, pupils)
    assert item.students.count() == 9
    assert len(nine) == len(two), "\n".join(q["sql"][:120] for q in nine.captured_queries)
