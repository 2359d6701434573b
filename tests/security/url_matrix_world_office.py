"""The privacy office's and the vendors' objects of the matrix district.

- Acme Learning (Pat is its contact, the matrix's vendor login): the product Acme Reader; a
  DRAFT agreement, an ACTIVE one with its signed PDF, one terminated (disposition pending,
  with its Exhibit D directive) and one whose deletion is certified; a subprocessor, a storage
  location, a vetting with an evidence document; Springfield's agreement with an Exhibit E
  offer to adopt. Beta Data has an active agreement: Pat's wrong object.
- The OneRoster API: an agreement with Acme covering Adams Elementary only (Lincoln's rows are
  the API's wrong objects), a client with every scope (`api_client`) and one holding only
  roster-core (`api_core`), each with a live bearer token.
- Tess's request for an app; Lena's break-glass access to Ana; a report series with an
  approved and a draft release; a study agreement with a delivered and a waiting extract; an
  export package of the active agreement; a retention certificate and legal hold.
- The court order barring Gail from Dee's record on file (R17), and a document about Nick and
  Ana withdrawn again, his access given back.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django.test import TestCase
from django.utils import timezone

from steward.access import actions as access_actions
from steward.access import service
from steward.reports.actions import extracts as extract_actions
from steward.reports.actions import releases as report_actions
from steward.reports.extracts import ExtractSpec
from steward.reports.sdc.rules import Rules
from steward.reports.spec import Family, Geography, Grades, Measure, ReportSpec
from steward.retention.actions import destruction, exits, holds, notices
from steward.retention.models import ExitKind, SendMethod
from steward.roster import actions_restrictions as restrictions
from steward.roster.models import AcademicSession, Enrollment, GuardianRelationship, SectionTerm
from steward.rostering import actions as rostering
from steward.rostering import scopes as sc
from steward.sharing.actions import do_export
from steward.vendors.actions import disposition, registry
from steward.vendors.actions import vetting as vetting_actions
from steward.vendors.models import ScopeKind, VettingTrigger
from tests.reports.factories import study_agreement
from tests.rostering.factories import FULL
from tests.sharing.factories import agreement as orm_agreement
from tests.vendors import factories_agreements as ag
from tests.vendors.factories_registry import approved_without_actions, make_product
from tests.web import factories as f

from .url_matrix_world import STAFF_ROLES, World
from .url_matrix_world_family import PDF


def _agreements(w: World) -> None:
    w.reader = make_product(w.acme, "Acme Reader")
    approved_without_actions(w.reader, w.officer)  # sharing needs a vetted product (R71)
    w.draft = ag.draft(w)
    w.active = ag.active(w)
    w.pending = ag.ended(w)
    w.certified = ag.ended(w)
    disposition.record_certificate(
        w.certified,
        signer_name="Pat Provider",
        signer_title="CTO",
        signed_on=timezone.localdate(),
        method="deleted",
        scope="all",
        data=PDF,
        filename="certificate.pdf",
        by=w.officer,
    )
    w.offer = ag.offer(w)
    w.beta_agreement = orm_agreement(w.beta, title="Beta Data DPA")


def _registry(w: World) -> None:
    officer = w.officer
    w.subprocessor = registry.add_subprocessor(
        w.acme, name="Cloud Host", purpose="Hosting", by=officer
    )
    w.storage = registry.add_storage_location(w.acme, country="US", region="Virginia", by=officer)
    w.quiz = make_product(w.acme, "Acme Quiz")
    w.vetting = vetting_actions.start_vetting(w.quiz, trigger=VettingTrigger.INITIAL, by=officer)
    w.evidence = vetting_actions.rate_item(
        w.vetting,
        next(iter(_rubric_items())),
        rating="reservations",
        evidence_note="See the privacy policy.",
        evidence_data=PDF,
        evidence_filename="policy.pdf",
        by=officer,
    )
    w.app_requests = {
        role: registry.request_app(
            by=w.users[role],
            app_name=f"Spellzone for {role}",
            vendor_name="Spell Ltd",
            website="https://spell.example",
            purpose="Spelling practice",
            grades="3",
            student_accounts=True,
        )
        for role in STAFF_ROLES
    }
    w.lena_app_request = registry.request_app(
        by=w.lena_user,
        app_name="Graphy",
        vendor_name="Graph Inc",
        website="https://graph.example",
        purpose="Graphs",
        grades="7",
        student_accounts=False,
    )


def _welcome(w: World) -> None:
    """Beta's new contact Val has a login waiting for its password: the one-time link."""
    val = registry.add_contact(
        w.beta, name="Val Vance", email="val@beta.example", role="primary", by=w.officer
    )
    link = registry.create_contact_login(val, by=w.officer)
    match = re.search(r"/vendor/welcome/([^/]+)/([^/]+)/", link)
    assert match is not None, link
    w.welcome_uid, w.welcome_token = match.groups()


def _rubric_items() -> list[str]:
    from steward.vendors import rubric

    return list(rubric.ITEMS)


def _api(w: World) -> None:
    w.api_agreement = orm_agreement(
        w.acme, title="Acme roster sync", elements=FULL, scope=ScopeKind.SCHOOLS
    )
    w.api_agreement.scope_schools.set([w.adams])
    w.api_client, secret = rostering.do_create_api_client(
        agreement=w.api_agreement, name="Sync", scopes=sc.ALL, by=w.officer
    )
    w.api_token, _issued = rostering.do_issue_access_token(client=w.api_client, scopes=list(sc.ALL))
    core, core_secret = rostering.do_create_api_client(
        agreement=w.api_agreement, name="Core only", scopes=[sc.CORE], by=w.officer
    )
    w.api_core_token, _issued = rostering.do_issue_access_token(client=core, scopes=[sc.CORE])
    w.api_credentials = {
        "api_client": (w.api_client.client_id, secret),
        "api_core": (core.client_id, core_secret),
    }
    w.ana_enrollment = Enrollment.objects.get(student=w.ana, section=w.homeroom)
    w.dee_enrollment = Enrollment.objects.get(student=w.dee, section=w.algebra)
    period = f.term(w.run, "Fall marking period 1", -60, 0)
    AcademicSession.objects.filter(pk=period.pk).update(
        type="gradingPeriod", parent=w.term, parent_sourced_id=w.term.sourced_id
    )
    SectionTerm.objects.create(section=w.homeroom, term=period)
    w.grading_period = period


def _reports(w: World) -> None:
    officer = w.officer
    as_of = timezone.localdate()
    spec = ReportSpec(Measure.ENROLLMENT, Geography.SCHOOL, Grades.BAND, Family.RACE, as_of)
    first = report_actions.prepare_from_builder(spec, Rules(), new_title="Enrollment", user=officer)
    w.approved_release = report_actions.approve_release(
        first, "Every count under 10 is withheld; no cell can be narrowed below it.", user=officer
    )
    w.series = w.approved_release.series
    w.draft_release = report_actions.prepare_release(
        w.series, as_of - dt.timedelta(days=1), user=officer
    )
    w.study = study_agreement(officer)
    extract = ExtractSpec(as_of, ("school",), (), (), k=5, l_div=1, max_suppressed_percent=50)
    sent = extract_actions.prepare_extract(w.study, "Sent", extract, user=officer)
    w.sent_extract = extract_actions.deliver_extract(sent, user=officer)
    w.waiting_extract = extract_actions.prepare_extract(w.study, "Waiting", extract, user=officer)


def _retention(w: World) -> None:
    """Dee's record under a legal hold; Finn, who left long ago, destroyed with a certificate."""
    officer = w.officer
    w.hold = holds.place_hold(w.dee, "litigation", "A subpoena names Dee's record.", user=officer)
    left = dt.date(2020, 6, 19)
    w.finn = f.student(w.run, "Finn", "Ford", grade="12")
    f.attend(w.run, w.finn, w.lincoln, end=left)
    finn_exit = exits.record_exit(w.finn, ExitKind.GRADUATION, left, user=officer, today=left)
    notices.mark_sent(finn_exit.notice, SendMethod.CERTIFIED_MAIL, user=officer)
    notices.record_delivery(finn_exit.notice, "certified mail receipt 7019-2", user=officer)
    w.certificate = destruction.destroy_student(w.finn.pk, today=dt.date(2090, 1, 2), user=officer)
    assert w.certificate is not None, "everything of Finn's record is due by 2090"


def _restrictions(w: World) -> None:
    facts = restrictions.Particulars(
        kind="restraining_order",
        issued_on=timezone.localdate() - dt.timedelta(days=30),
        issuer="Hampden Probate and Family Court",
    )
    w.restricted_link = GuardianRelationship.objects.get(guardian=w.gail, student=w.dee)
    w.restriction = restrictions.do_upload_restriction_document(
        w.restricted_link, facts, PDF, "order.pdf", by=w.officer
    )
    nick = GuardianRelationship.objects.get(guardian=w.nick, student=w.ana)
    w.withdrawn_restriction = restrictions.do_upload_restriction_document(
        nick, facts, PDF, "filed in error.pdf", by=w.officer
    )
    restrictions.do_withdraw_restriction_document(
        w.withdrawn_restriction, "Filed for the wrong parent.", lift=True, by=w.officer
    )


def build_office(w: World, scratch: Path) -> None:
    officer = w.officer
    _agreements(w)
    _registry(w)
    _welcome(w)
    _api(w)
    _reports(w)
    lena = service.actor_for(w.lena_user)
    assert lena is not None
    w.grant = access_actions.do_open_break_glass(
        user=w.lena_user,
        actor=lena,
        student=w.ana,
        scopes={"directory", "health"},
        threat="Ana fainted on the field trip; her allergy plan is needed now.",
        parties="The nurse on the trip and the paramedics.",
    )
    # The package is moved into place when the export commits: run that hook now.
    with TestCase.captureOnCommitCallbacks(execute=True):
        w.export = do_export(w.active, out=scratch / "export.zip", by=officer)
    _retention(w)
    _restrictions(w)
