"""Writes for media release (design.md §3 rule 2; R128–R135, R47): each action validates, adds
its history rows and writes one ledger entry (action "consent") in the same transaction, so a
failure anywhere writes nothing.

Who may sign (R135, R17): a rights holder with the "consent" right (`steward.rights`): a parent
or guardian with an active relationship to the student that is not `access_restricted` (a
documented court order), while the student is under 18. Electronically, the signer is the
authenticated user whose account is that guardian (99.30(d)); on paper, office staff enter the
form with an attestation. Eligible students (18, R15) sign once issue #5's rights holders land.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import get_connection, send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from steward import schoolyear
from steward.access import service
from steward.access.policy import DIRECTORY
from steward.accounts.models import Account
from steward.audit import ledger
from steward.audit.models import Action
from steward.digest import sha256
from steward.media import selectors
from steward.media.models import (
    EventRelease,
    EventReleaseRequest,
    MediaChoice,
    MediaRelease,
    MediaRevocation,
    MediaUse,
    Method,
    PublishedItem,
    PublishedStudent,
    SignerKind,
    TakeDown,
)
from steward.rights import selectors as rights
from steward.roster.models import Enrollment, Guardian, Org, Section, Student

PURPOSE = "media release (R128-R135)"
EVENT_PURPOSE = "event-specific media release request (R130)"
PUBLICATION_PURPOSE = "publication of student media under a media release (R133, R134)"
TAKE_DOWN_PURPOSE = "take-down of published student media (R134)"


def _account(user: Any) -> Account | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Account.objects.filter(user_id=user.pk).first()


def _is_rights_holder(guardian: Guardian, student: Student) -> bool:
    """Whether `guardian` holds the right to sign media releases for `student` (R135):
    `steward.rights.selectors.can_act(..., "consent")`, which asks for an active relationship
    that is not `access_restricted` (R17) and a student under 18 (from 18 the student alone
    consents, R9)."""
    return rights.can_act(SimpleNamespace(guardian_id=guardian.pk), student.pk, "consent")


def _checked_choices(choices: Mapping[str, bool]) -> list[tuple[MediaUse, bool]]:
    """Every active use with its explicit answer; ValidationError names missing or unknown."""
    uses = selectors.active_uses()
    keys = {use.key for use in uses}
    missing = [use for use in uses if use.key not in choices]
    errors = []
    if missing:
        errors.append(
            ValidationError(
                _("Every use needs an explicit answer; missing: %(uses)s."),
                code="missing_choices",
                params={"uses": ", ".join(use.display_label for use in missing)},
            )
        )
    unknown = sorted(set(choices) - keys)
    if unknown:
        errors.append(
            ValidationError(
                _("Unknown or inactive uses: %(keys)s."),
                code="unknown_uses",
                params={"keys": ", ".join(unknown)},
            )
        )
    not_bool = sorted(key for key, value in choices.items() if not isinstance(value, bool))
    if not_bool:
        errors.append(
            ValidationError(
                _("Each answer is yes or no; not for: %(keys)s."),
                code="not_boolean",
                params={"keys": ", ".join(not_bool)},
            )
        )
    if errors:
        raise ValidationError(errors)
    return [(use, choices[use.key]) for use in uses]


def _write_release(
    *,
    student: Student,
    school_year: str,
    choices: Mapping[str, bool],
    text: str,
    signer_kind: str,
    signer_guardian: Guardian | None,
    signer_user: Any,
    method: str,
    entered_by: Any,
    attestation: str,
    actor: Any,
    request: HttpRequest | None,
) -> MediaRelease:
    schoolyear.check_label(school_year)
    if not text.strip():
        raise ValidationError(_("The release text shown to the signer is empty."))
    answers = _checked_choices(choices)
    now = timezone.now()
    previous = selectors.current_release(student.pk, school_year, now)
    release = MediaRelease.objects.create(
        student=student,
        school_year=school_year,
        signed_at=now,
        signer_kind=signer_kind,
        signer_guardian=signer_guardian,
        signer_user=signer_user,
        text=text,
        text_sha256=sha256(text),
        method=method,
        entered_by=entered_by,
        attestation=attestation,
        supersedes=previous,
    )
    MediaChoice.objects.bulk_create(
        [MediaChoice(release=release, use=use, allowed=allowed) for use, allowed in answers]
    )
    ledger.record(
        action=Action.CONSENT,
        **ledger.actor_of(actor),
        **ledger.request_context(request),
        students=[student.pk],
        purpose=PURPOSE,
        consent_id=f"media-release-{release.pk}",
        detail={
            "media_release": release.pk,
            "school_year": school_year,
            "method": method,
            "signer_kind": signer_kind,
            "signer_guardian": signer_guardian.sourced_id if signer_guardian else "",
            "text_sha256": release.text_sha256,
            "choices": {use.key: allowed for use, allowed in answers},
            "supersedes": previous.pk if previous is not None else None,
        },
        at=now,
    )
    return release


@transaction.atomic
def do_sign_media_release(
    student: Student,
    school_year: str,
    choices: Mapping[str, bool],
    text: str,
    signer_user: Any,
    signer_guardian: Guardian | None = None,
    request: HttpRequest | None = None,
) -> MediaRelease:
    """Record the electronic release `signer_user` signed over `text` (99.30(d), R47).

    `signer_user` must be signed in as a guardian account; `signer_guardian` defaults to that
    account's guardian and must be it. The guardian must be a rights holder of `student`
    (active, unrestricted relationship), else PermissionDenied. `choices` must answer every
    active use (ValidationError naming the missing ones). A release already on file for the
    year stays in the history; the new one supersedes it.
    """
    account = _account(signer_user)
    if account is None or account.guardian_id is None:
        raise PermissionDenied("only a signed-in parent or guardian signs a media release")
    if signer_guardian is None:
        signer_guardian = Guardian.objects.get(pk=account.guardian_id)
    if signer_guardian.pk != account.guardian_id:
        raise PermissionDenied("a guardian signs only for themselves")
    if not _is_rights_holder(signer_guardian, student):
        raise PermissionDenied("this guardian may not sign for this student")
    return _write_release(
        student=student,
        school_year=school_year,
        choices=choices,
        text=text,
        signer_kind=SignerKind.GUARDIAN,
        signer_guardian=signer_guardian,
        signer_user=signer_user,
        method=Method.ELECTRONIC,
        entered_by=None,
        attestation="",
        actor=signer_user,
        request=request,
    )


def _staff_may_see(user: Any, student: Student) -> bool:
    actor = service.actor_for(user)
    if actor is None:
        return False
    if actor.role == Account.Role.PRIVACY_OFFICER:
        return True
    return actor.staff_id is not None and service.can_access(actor, student.pk, DIRECTORY)


@transaction.atomic
def do_enter_paper_release(
    student: Student,
    school_year: str,
    choices: Mapping[str, bool],
    text: str,
    signer_guardian: Guardian,
    entered_by: Any,
    attestation: str,
    request: HttpRequest | None = None,
) -> MediaRelease:
    """Record a paper release signed by `signer_guardian`, entered by office staff.

    `entered_by` must be staff who may see the student (or the privacy officer), and
    `attestation` their statement that the entry matches the signed form (ValidationError
    when empty). `text` is the form's text. The guardian must be a rights holder.
    """
    if not _staff_may_see(entered_by, student):
        raise PermissionDenied("only staff who may see the student enter a paper release")
    if not attestation.strip():
        raise ValidationError(
            _("A paper release needs the attestation of the staff member entering it."),
            code="attestation_required",
        )
    if not _is_rights_holder(signer_guardian, student):
        raise PermissionDenied("this guardian may not sign for this student")
    return _write_release(
        student=student,
        school_year=school_year,
        choices=choices,
        text=text,
        signer_kind=SignerKind.STAFF_PAPER,
        signer_guardian=signer_guardian,
        signer_user=None,
        method=Method.PAPER,
        entered_by=entered_by,
        attestation=attestation,
        actor=entered_by,
        request=request,
    )


@transaction.atomic
def do_revoke_media_use(
    student: Student, use_key: str, by_user: Any, request: HttpRequest | None = None
) -> MediaRevocation:
    """Withdraw `use_key` from the student's current release from now on (R134).

    `by_user` is a guardian who is a rights holder, or staff who may see the student (a
    withdrawal the family asked for). The use must be allowed on the current school year's
    release and not yet withdrawn (ValidationError otherwise). Earlier rows never change.
    """
    account = _account(by_user)
    if account is not None and account.guardian_id is not None:
        guardian = Guardian.objects.get(pk=account.guardian_id)
        if not _is_rights_holder(guardian, student):
            raise PermissionDenied("this guardian may not act for this student")
    elif not _staff_may_see(by_user, student):
        raise PermissionDenied("only a rights holder or the student's staff withdraw a release")
    now = timezone.now()
    year = selectors.school_year(now)
    release = selectors.current_release(student.pk, year, now)
    choice = (
        MediaChoice.objects.filter(release=release, use__key=use_key).select_related("use").first()
        if release is not None
        else None
    )
    if release is None or choice is None or not choice.allowed:
        raise ValidationError(
            _("Nothing to withdraw: %(use)s is not allowed on a release for %(year)s."),
            code="nothing_to_revoke",
            params={"use": use_key, "year": year},
        )
    if MediaRevocation.objects.filter(release=release, use=choice.use).exists():
        raise ValidationError(
            _("%(use)s is already withdrawn."),
            code="already_revoked",
            params={"use": choice.use.display_label},
        )
    revocation = MediaRevocation.objects.create(
        release=release, use=choice.use, revoked_at=now, by=by_user
    )
    ledger.record(
        action=Action.CONSENT,
        **ledger.actor_of(by_user),
        **ledger.request_context(request),
        students=[student.pk],
        purpose=PURPOSE,
        consent_id=f"media-release-{release.pk}",
        detail={
            "media_revocation": revocation.pk,
            "media_release": release.pk,
            "school_year": year,
            "use": use_key,
            "revoked_at": now.isoformat(),
        },
        at=now,
    )
    return revocation


def _section_students(section: Section, at: dt.date) -> list[int]:
    from steward.accounts.selectors import current

    return sorted(
        set(
            Enrollment.objects.filter(
                current(at), section=section, role=Enrollment.Role.STUDENT, active=True
            ).values_list("student_id", flat=True)
        )
    )


@transaction.atomic
def do_request_event_release(
    title: str,
    date: dt.date,
    use_keys: Iterable[str],
    requested_by: Any,
    section: Section | None = None,
    school: Org | None = None,
    request: HttpRequest | None = None,
) -> EventReleaseRequest:
    """Ask the families of a section (or a school) for a release for one event (R130).

    Staff only; for a section, the requester must see at least one of its students. The
    ledger entry names the students whose families are asked (the section's, today).
    """
    actor = service.actor_for(requested_by)
    if actor is None or actor.staff_id is None:
        raise PermissionDenied("only staff request an event release")
    if (section is None) == (school is None):
        raise ValidationError(_("Choose either a section or a school."), code="section_or_school")
    if not title.strip():
        raise ValidationError(_("The event needs a title."), code="title_required")
    keys = sorted(set(use_keys))
    uses = list(MediaUse.objects.filter(key__in=keys, active=True))
    if not keys or len(uses) != len(keys):
        raise ValidationError(_("Choose one or more of the district's uses."), code="uses")
    today = timezone.localdate()
    students: list[int] = []
    if section is not None:
        visible = service.visible_students(actor, DIRECTORY, at=today)
        students = [s for s in _section_students(section, today) if s in visible]
        if not students:
            raise PermissionDenied("the requester sees no student of this section")
    now = timezone.now()
    made = EventReleaseRequest.objects.create(
        title=title.strip(),
        date=date,
        section=section,
        school=school,
        requested_by=requested_by,
        requested_at=now,
    )
    made.uses.set(uses)
    if school is not None:
        students = _school_students(school, today)
    letters = _event_letters(made, students, today)
    ledger.record(
        action=Action.CONSENT,
        **ledger.actor_of(requested_by),
        **ledger.request_context(request),
        students=students,
        purpose=EVENT_PURPOSE,
        detail={
            "event_release_request": made.pk,
            "title": made.title,
            "date": date.isoformat(),
            "section": section.sourced_id if section else "",
            "school": school.sourced_id if school else "",
            "uses": keys,
            "holders_emailed": len(letters),  # guardians, and students of 18 or older
        },
        at=now,
    )
    language = settings.LANGUAGE_CODE
    transaction.on_commit(lambda: _send_event_letters(made.pk, letters, language))
    return made


def _school_students(school: Org, at: dt.date) -> list[int]:
    from steward.accounts.selectors import current
    from steward.roster.models import StudentSchool

    return sorted(
        set(
            StudentSchool.objects.filter(
                current(at), school=school, student__active=True
            ).values_list("student_id", flat=True)
        )
    )


def event_link(student_id: int, event_id: int) -> str:
    """Where a family answers an event release request for one child, in the portal."""
    base = settings.STEWARD_PUBLIC_URL.rstrip("/")
    return f"{base}/portal/children/{student_id}/events/{event_id}/"


Letter = tuple[str, int, list[int]]  # (recipient kind "guardian" or "student", id, students)


def _event_letters(event: EventReleaseRequest, student_ids: list[int], at: dt.date) -> list[Letter]:
    """One letter per holder of the consent right (R135) with an e-mail address: each guardian
    for their children in scope, and each student of 18 or older for themselves (R9). A fixed
    number of queries."""
    holders = rights.holders_for_many(student_ids, at)
    children: dict[int, list[int]] = {}
    adults: list[int] = []
    for student_id in student_ids:
        held = holders.get(student_id)
        if held is None:
            continue
        for holder in held.consent:
            if holder.kind == "guardian":
                children.setdefault(holder.id, []).append(student_id)
            elif holder.kind == "student":
                adults.append(student_id)
    with_email = set(
        Guardian.objects.filter(pk__in=sorted(children))
        .exclude(email="")
        .values_list("pk", flat=True)
    )
    adults_with_email = set(
        Student.objects.filter(pk__in=sorted(adults)).exclude(email="").values_list("pk", flat=True)
    )
    letters: list[Letter] = [
        ("guardian", g, children[g]) for g in sorted(children) if g in with_email
    ]
    letters += [("student", s, [s]) for s in sorted(adults_with_email)]
    return letters


def _send_event_letters(event_id: int, letters: list[Letter], language: str) -> None:
    """E-mail each holder a link per child to answer the event request (after commit)."""
    if not letters:
        return
    event = (
        EventReleaseRequest.objects.select_related("section__school", "school")
        .prefetch_related("uses")
        .get(pk=event_id)
    )
    guardians = Guardian.objects.in_bulk([i for kind, i, _s in letters if kind == "guardian"])
    students = Student.objects.in_bulk(sorted({s for _k, _i, ids in letters for s in ids}))
    school = event.school or (event.section.school if event.section else None)
    connection = get_connection()
    with translation.override(language):
        uses = [use.display_label for use in event.uses.all()]
        subject = _("Permission asked for photos at one event: %(title)s") % {"title": event.title}
        for kind, recipient_id, student_ids in letters:
            recipient = guardians[recipient_id] if kind == "guardian" else students[recipient_id]
            body = render_to_string(
                "media/event_request_email.txt",
                {
                    "name": recipient.display_name,
                    "event": event,
                    "school": school.name if school else "",
                    "uses": uses,
                    "children": [
                        (students[s].given_name, event_link(s, event.pk)) for s in student_ids
                    ],
                },
            )
            send_mail(subject, body, None, [recipient.email.strip()], connection=connection)


@transaction.atomic
def do_sign_event_release(
    event: EventReleaseRequest,
    student: Student,
    allowed: bool,
    text: str,
    signer_user: Any,
    request: HttpRequest | None = None,
) -> EventRelease:
    """Record a family's electronic answer to an event release request (R130, 99.30(d)).

    `signer_user` must be signed in as a guardian who is a rights holder of `student`
    (PermissionDenied), `student` must be one the request was for (its section's students or
    its school's; ValidationError), and `allowed` an explicit yes or no. Answering again adds
    a row; the latest answer counts.
    """
    account = _account(signer_user)
    if account is None or account.guardian_id is None:
        raise PermissionDenied("only a signed-in parent or guardian signs an event release")
    guardian = Guardian.objects.get(pk=account.guardian_id)
    if not _is_rights_holder(guardian, student):
        raise PermissionDenied("this guardian may not sign for this student")
    if not isinstance(allowed, bool):
        raise ValidationError(_("The answer is yes or no."), code="not_boolean")
    if not text.strip():
        raise ValidationError(_("The release text shown to the signer is empty."))
    today = timezone.localdate()
    if event.section_id is not None:
        concerned = student.pk in _section_students(event.section, today)  # type: ignore[arg-type]
    else:
        from steward.accounts.selectors import current
        from steward.roster.models import StudentSchool

        concerned = StudentSchool.objects.filter(
            current(today), student=student, school_id=event.school_id
        ).exists()
    if not concerned:
        raise ValidationError(_("This event release was not requested for this student."))
    now = timezone.now()
    made = EventRelease.objects.create(
        request=event,
        student=student,
        allowed=allowed,
        signed_at=now,
        signer_guardian=guardian,
        signer_user=signer_user,
        text=text,
        text_sha256=sha256(text),
    )
    ledger.record(
        action=Action.CONSENT,
        **ledger.actor_of(signer_user),
        **ledger.request_context(request),
        students=[student.pk],
        purpose=EVENT_PURPOSE,
        consent_id=f"event-release-{made.pk}",
        detail={
            "event_release": made.pk,
            "event_release_request": event.pk,
            "allowed": allowed,
            "text_sha256": made.text_sha256,
        },
        at=now,
    )
    return made


def _cleared_by_event(
    event: EventReleaseRequest, use: MediaUse, student_ids: list[int], at: dt.datetime
) -> dict[int, EventRelease]:
    """Students whose latest answer to `event` (signed by `at`) allows it, when the event
    asked for `use`: student id → that answer."""
    if not event.uses.filter(pk=use.pk).exists():
        return {}
    latest: dict[int, EventRelease] = {}
    for answer in EventRelease.objects.filter(
        request=event, student_id__in=student_ids, signed_at__lte=at
    ).order_by("student_id", "signed_at", "pk"):
        latest[answer.student_id] = answer
    return {student_id: answer for student_id, answer in latest.items() if answer.allowed}


@transaction.atomic
def do_record_publication(
    *,
    title: str,
    use_key: str,
    location: str,
    students: Iterable[Student],
    published_by: Any,
    published_at: dt.datetime | None = None,
    section: Section | None = None,
    event: EventReleaseRequest | None = None,
    request: HttpRequest | None = None,
) -> PublishedItem:
    """Record that `published_by` published media showing `students` for `use_key` (R134).

    `published_by` must be staff who may see every student (PermissionDenied otherwise).
    Every student must be cleared for the use at `published_at` (default now, never in the
    future): allowed on the school year's release (`selectors.can_post`), unless the item
    belongs to an event release request for that use (R130), when a family's "allowed"
    answer for the event also clears the student. Otherwise ValidationError naming the
    students who are not cleared, with the reason for each (R133). The ledger entry is a
    release to the public, naming every student shown.
    """
    actor = service.actor_for(published_by)
    if actor is None or actor.staff_id is None:
        raise PermissionDenied("only staff record a publication")
    pupils = {student.pk: student for student in students}
    if not pupils:
        raise ValidationError(_("Choose the students who appear in the item."), code="students")
    visible = service.visible_students(actor, DIRECTORY, at=timezone.localdate())
    if not set(pupils) <= visible:
        raise PermissionDenied("the publisher may not see every student named")
    if not title.strip():
        raise ValidationError(_("The item needs a title."), code="title_required")
    if not location.strip():
        raise ValidationError(
            _("Say where the item appears: a web address or a place."), code="location_required"
        )
    use = MediaUse.objects.filter(key=use_key, active=True).first()
    if use is None:
        raise ValidationError(_("Choose one of the district's uses."), code="uses")
    now = timezone.now()
    when = published_at if published_at is not None else now
    if when > now:
        raise ValidationError(
            _("Record a publication once it has happened, not before."), code="future"
        )
    ids = sorted(pupils)
    answers = {sid: (cleared, why) for sid, cleared, why in selectors.can_post(ids, use_key, when)}
    by_event = _cleared_by_event(event, use, ids, when) if event is not None else {}
    refused = [sid for sid in ids if not answers[sid][0] and sid not in by_event]
    if refused:
        raise ValidationError(
            _("Not cleared for %(use)s, so not published: %(students)s")
            % {
                "use": use.display_label,
                "students": "; ".join(
                    f"{pupils[sid].display_name} ({answers[sid][1]})" for sid in refused
                ),
            },
            code="not_cleared",
        )
    found = selectors.decisions(ids, use_key, when)
    releases = {sid: found[sid].release_id for sid in ids if answers[sid][0] and sid in found}
    item = PublishedItem.objects.create(
        title=title.strip(),
        use=use,
        location=location.strip(),
        published_at=when,
        published_by=published_by,
        section=section,
        event=event,
        recorded_at=now,
    )
    PublishedStudent.objects.bulk_create(
        [
            PublishedStudent(
                item=item,
                student_id=sid,
                release_id=releases.get(sid),
                event_release=None if sid in releases else by_event.get(sid),
            )
            for sid in ids
        ]
    )
    ledger.record(
        action=Action.RELEASE,
        **ledger.actor_of(published_by),
        **ledger.request_context(request),
        students=ids,
        purpose=PUBLICATION_PURPOSE,
        release=ledger.Release(
            releaser_name=published_by.get_full_name() or published_by.get_username(),
            releaser_position=str(actor.role),
            releaser_signature=f"user:{published_by.pk}",
            recipient_name=f"the public: {use.key}",
            recipient_affiliation=item.location[:255],
        ),
        detail={
            "published_item": item.pk,
            "title": item.title,
            "use": use.key,
            "location": item.location,
            "published_at": when.isoformat(),
            "event_release_request": event.pk if event is not None else None,
            "cleared_by": {
                str(sid): (
                    f"media-release-{releases[sid]}"
                    if releases.get(sid) is not None
                    else f"event-release-{by_event[sid].pk}"
                )
                for sid in ids
            },
        },
        at=now,
    )
    return item


@transaction.atomic
def do_take_down(
    item: PublishedItem, by_user: Any, note: str = "", request: HttpRequest | None = None
) -> TakeDown:
    """Record that `item` was taken down (R134): by staff who may see at least one of its
    students. An item is taken down once (ValidationError the second time)."""
    actor = service.actor_for(by_user)
    if actor is None or actor.staff_id is None:
        raise PermissionDenied("only staff take an item down")
    ids = sorted(PublishedStudent.objects.filter(item=item).values_list("student_id", flat=True))
    visible = service.visible_students(actor, DIRECTORY, at=timezone.localdate())
    if not set(ids) & visible:
        raise PermissionDenied("the staff member sees no student of this item")
    if TakeDown.objects.filter(item=item).exists():
        raise ValidationError(_("This item is already taken down."), code="already_taken_down")
    now = timezone.now()
    made = TakeDown.objects.create(item=item, taken_down_at=now, by=by_user, note=note.strip())
    ledger.record(
        action=Action.CHANGE,
        **ledger.actor_of(by_user),
        **ledger.request_context(request),
        students=ids,
        purpose=TAKE_DOWN_PURPOSE,
        detail={
            "published_item": item.pk,
            "take_down": made.pk,
            "use": item.use.key,
            "note": made.note,
        },
        at=now,
    )
    return made
