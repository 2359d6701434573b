"""The family's objects of the matrix district: for each of Ana (Gail's child: the guardian's
right object), Eli (his own login's right object) and Dee (everyone's wrong object), an
amendment request with a refused item and its letter, an access request with a released copy,
material added to the record, a disclosure consent and an exit notice; plus Ana's hearing
(heard by Paula, the principal), Nick's request with its R18 notice to Gail, event releases
and published media for the staff pages.

Everything goes through the owning apps' actions, as the pages themselves would write it.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from steward.amendments.actions.decisions import Ruling, do_decide_item
from steward.amendments.actions.family import do_add_material
from steward.amendments.actions.hearings import do_request_hearing, do_schedule_hearing
from steward.amendments.actions.requests import do_request_amendment
from steward.amendments.models import AmendmentRequest, Item, Letter
from steward.media import actions as media
from steward.media.models import MediaUse
from steward.portal.notice_actions import publish_default_notices
from steward.requests import actions as requests
from steward.retention.actions import exits
from steward.retention.models import ExitKind
from steward.roster.models import Student
from tests.amendments.helpers import other
from tests.sharing.factories import release

from .url_matrix_world import World

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _amendment(student: Student, user: User, officer: User) -> SimpleNamespace:
    """A request to amend one discipline entry, refused by the office (so it has a letter)."""
    made = do_request_amendment(student, user, [other("discipline")])
    item = Item.objects.get(request=made)
    do_decide_item(item, officer, Ruling("refuse", "The record is accurate."))
    made = AmendmentRequest.objects.get(pk=made.pk)
    letter = Letter.objects.filter(request=made).order_by("pk").first()
    assert letter is not None, "a refusal writes the decision letter"
    return SimpleNamespace(request=made, item=item, letter=letter)


def _schedule(w: World, hearing: Any, officer: User) -> Any:
    starts = timezone.localtime() + dt.timedelta(days=15)
    return do_schedule_hearing(
        hearing,
        w.officer,
        starts_at=starts.replace(hour=10, minute=0, second=0, microsecond=0),
        place="Adams Elementary, room 101",
        officer_user=officer,
        attested=True,
        attestation_pdf=PDF,
        attestation_filename="attestation.pdf",
    )


def _hearings(w: World) -> None:
    """Gail asks for a hearing on Ana's refused item: Paula, the principal, will hear it. Eli
    asks for one too: first given to Paula, then moved to Carl, the counselor, so Paula is no
    longer its hearing officer (R36)."""
    ana = do_request_hearing(w.amend["ana"].request, w.users["guardian"])
    w.schedule = _schedule(w, ana, w.users["principal"])
    eli = do_request_hearing(w.amend["eli"].request, w.users["student"])
    _schedule(w, eli, w.users["principal"])
    _schedule(w, eli, w.users["counselor"])


def _access_request(user: User, student: Student, officer: User, **kw: Any) -> Any:
    """A copy request, its copy made and released: the requester may download it."""
    made = requests.do_submit_request(user, student, "copy", **kw)
    requests.do_make_copy(made, officer)
    return requests.do_fulfil_request(made, officer)


def _media(w: World) -> None:
    use = MediaUse.objects.filter(active=True).order_by("pk").first()
    assert use is not None, "the migrations seed the media uses"
    w.media_use = use
    day = timezone.localdate() + dt.timedelta(days=10)
    every = dict.fromkeys(MediaUse.objects.filter(active=True).values_list("key", flat=True), True)
    for pupil, parent in ((w.ana, w.users["guardian"]), (w.dee, w.gus_user)):
        media.do_sign_media_release(pupil, _school_year(), every, "I allow it.", parent)
    w.event = media.do_request_event_release(
        "Science fair", day, [use.key], w.users["teacher"], section=w.homeroom
    )
    w.eli_event = media.do_request_event_release(
        "Lab open day", day, [use.key], w.lena_user, section=w.biology
    )
    w.dee_event = media.do_request_event_release(
        "Algebra bee", day, [use.key], w.lena_user, section=w.algebra
    )
    w.published = media.do_record_publication(
        title="Homeroom mural",
        use_key=use.key,
        location="school website",
        students=[w.ana],
        published_by=w.users["teacher"],
    )
    w.dee_published = media.do_record_publication(
        title="Algebra bee photo",
        use_key=use.key,
        location="newsletter",
        students=[w.dee],
        published_by=w.lena_user,
    )


def build_family(w: World) -> None:
    officer = w.officer
    who = {"ana": w.users["guardian"], "eli": w.users["student"], "dee": w.gus_user}
    pupils = {"ana": w.ana, "eli": w.eli, "dee": w.dee}
    w.amend = {k: _amendment(pupils[k], who[k], officer) for k in pupils}
    _hearings(w)
    w.access = {
        "ana": _access_request(who["ana"], w.ana, officer),
        "eli": _access_request(who["eli"], w.eli, officer, affirmation="It is my own record."),
        "dee": _access_request(who["dee"], w.dee, officer),
    }
    w.nick_request = requests.do_submit_request(
        w.nick_user, w.ana, "copy", affirmation="No order restricts me."
    )
    w.custodial_notice = w.nick_request.custodial_notices.get()
    w.addition = {
        k: do_add_material(pupils[k], who[k], scope="directory", title="Our note", pdf=PDF)
        for k in pupils
    }
    w.consent = {k: release(pupils[k], "Acme Learning", ["directory"]) for k in pupils}
    past = timezone.localdate() - dt.timedelta(days=3)
    w.exit = {
        k: exits.record_exit(pupils[k], ExitKind.TRANSFER, past, user=officer)
        for k in ("eli", "dee")
    }
    w.annual_notices = publish_default_notices(_school_year(), by_user=officer)
    _media(w)


def _school_year() -> str:
    from steward.media.selectors import school_year

    return school_year(timezone.now())


def family_key(w: World, role: str, right: bool) -> str:
    """Whose family objects a request by `role` names: Eli's own for his login, Ana's for
    everyone else; Dee's when the object must be the wrong one."""
    if not right:
        return "dee"
    return "eli" if role == "student" else "ana"
