"""Writes for the annual notices (R19–R23; design.md §3 rule 2): publishing a notice and a
guardian's acknowledgement, each with one ledger entry (action "consent") in the same
transaction, so neither row exists without its entry.

`DEFAULT_NOTICES` holds the district's default texts, written after the rules they cite:

* FERPA annual notification of rights (34 CFR 99.7, with 99.10, 99.20, 99.30, 99.31(a)(1),
  99.34(a)(1)(ii) and 99.63; R19, R22);
* the Massachusetts routine information letter (603 CMR 23.10, with 23.02, 23.06, 23.07 and
  23.09; R20);
* the directory information notice (34 CFR 99.37, 603 CMR 23.07(4)(a) and 20 U.S.C. 7908;
  R21, R23, R86);
* the PPRA notice (20 U.S.C. 1232h, 34 CFR Part 98; R23).

The texts are translated (gettext_lazy). A notice is stored in English, as published;
`shown` gives the reader's translation while the stored text is the default one.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steward import schoolyear
from steward.accounts.models import Account
from steward.audit import ledger
from steward.audit.models import Action
from steward.digest import sha256
from steward.portal.models import AnnualNotice, NoticeAcknowledgement, NoticeKind
from steward.roster.models import GuardianRelationship

PUBLISH_PURPOSE = "annual notice published (99.7, 603 CMR 23.10, 99.37, PPRA; R19-R23)"
ACK_PURPOSE = "annual notice acknowledged by a family (R19-R23)"

FERPA_TEXT = gettext_lazy(
    "The Family Educational Rights and Privacy Act (FERPA, 20 U.S.C. 1232g; 34 CFR Part 99) "
    "gives parents, and students who are 18 or older (eligible students), rights over the "
    "student's education records. The district sends this notice every school year "
    "(34 CFR 99.7).\n\n"
    "1. The right to inspect and review the student's education records within 45 days after "
    "the district receives a request (34 CFR 99.10); Massachusetts law shortens this to 10 "
    "days. Send the principal a written request that names the records you wish to inspect; "
    "the principal will tell you when and where you may see them. The family portal also "
    "shows your child's record.\n\n"
    "2. The right to ask the district to amend records that you believe are inaccurate, "
    "misleading or otherwise in violation of the student's privacy rights (34 CFR 99.20). "
    "Write to the principal, name the part of the record you want changed and say why. If the "
    "district decides not to amend the record, it will tell you of its decision and of your "
    "right to a hearing (34 CFR 99.21, 99.22).\n\n"
    "3. The right to consent before the district discloses personally identifiable "
    "information from the student's records, except where FERPA allows disclosure without "
    "consent (34 CFR 99.30, 99.31). One exception is disclosure to school officials with a "
    "legitimate educational interest. A school official is a person employed by the district "
    "as an administrator, supervisor, instructor or support staff member (including health "
    "staff and school resource officers), a member of the school committee, or a contractor, "
    "consultant, volunteer or other party to whom the district has outsourced a service under "
    "its direct control, such as an attorney, auditor or software provider. A school official "
    "has a legitimate educational interest when the official needs to review a record to "
    "fulfill a professional responsibility (34 CFR 99.31(a)(1)).\n\n"
    "4. On request, the district forwards education records without consent to another school "
    "or school system in which the student seeks or intends to enroll, or is already enrolled, "
    "for purposes of the enrollment or transfer (34 CFR 99.31(a)(2), 99.34(a)(1)(ii)).\n\n"
    "5. The right to file a complaint with the U.S. Department of Education about an alleged "
    "failure by the district to comply with FERPA (34 CFR 99.63): Student Privacy Policy "
    "Office, U.S. Department of Education, 400 Maryland Avenue, SW, Washington, DC 20202."
)

MASSACHUSETTS_TEXT = gettext_lazy(
    "Massachusetts student records regulations (603 CMR 23.00) protect your child's student "
    "record, which is made of the transcript and the temporary record. The district sends this "
    "letter at least once every school year (603 CMR 23.10).\n\n"
    "Parents, and students who are 14 or older or have entered grade 9, each have the right to "
    "inspect the whole student record within 10 days after a request, to receive copies, and "
    "to have parts of it interpreted by a qualified professional of the school (603 CMR 23.02, "
    "23.07(2)). You may add information, comments or other relevant material to the record, "
    "and ask in writing that information be amended or deleted; the principal answers within "
    "one week and you may appeal (603 CMR 23.09).\n\n"
    "No third party may see information from the student record without the specific, "
    "informed, written consent of the parent or eligible student, except as 603 CMR 23.07(4) "
    "allows, for example to authorized school personnel who work directly with the student, to "
    "comply with a court order, or in a health or safety emergency. A non-custodial parent has "
    "access unless the district holds a court order or other document that limits it "
    "(603 CMR 23.07(5)).\n\n"
    "This school year the district gives the state assessments (MCAS, and ACCESS for ELLs for "
    "English learners) and its own screening and progress assessments; the district will tell "
    "you in advance of any research study that would collect information about your child. The "
    "district also routinely collects enrollment, attendance, health, grade and program "
    "information to educate your child and to report to the Department of Elementary and "
    "Secondary Education.\n\n"
    "The temporary record is destroyed within seven years after the student leaves the "
    "district, with notice to the family before destruction when the student leaves; the "
    "transcript is kept for sixty years (603 CMR 23.06). A copy of 603 CMR 23.00 is available "
    "from the principal of each school."
)

DIRECTORY_TEXT = gettext_lazy(
    "The district may disclose appropriately designated directory information without your "
    "written consent, unless you tell the district that you do not want it disclosed "
    "(34 CFR 99.37). In Massachusetts, directory information can only be: the student's name, "
    "address, telephone listing, date and place of birth, major field of study, dates of "
    "attendance, weight and height of members of athletic teams, class, participation in "
    "officially recognized activities and sports, degrees, honors and awards, and "
    "post-high-school plans (603 CMR 23.07(4)(a)). Photographs, e-mail addresses and student "
    "ID numbers are never directory information in Massachusetts; the district asks for your "
    "consent, through the media release, before using a photograph.\n\n"
    "You may refuse to let the district designate any or all of these types of information as "
    "directory information for your child. To do so, opt out in the family portal, category by "
    "category, or write to the principal, before the end of the opt-out period shown with this "
    "notice. The district discloses directory information only after that period ends. An "
    "opt-out stays in force after your child leaves the district, until you withdraw it "
    "(34 CFR 99.37(b)).\n\n"
    "Under 20 U.S.C. 7908, the district must give military recruiters and institutions of "
    "higher education, on request, the names, addresses and telephone listings of secondary "
    "school students, unless the parent, or a student who is 18 or older, asks that this "
    "information not be released without prior written consent. You may make this request in "
    "the family portal (recruiter opt-out) or in writing to the principal."
)

PPRA_TEXT = gettext_lazy(
    "The Protection of Pupil Rights Amendment (PPRA, 20 U.S.C. 1232h; 34 CFR Part 98) gives "
    "parents certain rights when the district conducts surveys, collects and uses information "
    "for marketing, and gives certain physical exams. These rights pass from the parent to the "
    "student when the student turns 18 or is an emancipated minor under state law.\n\n"
    "Consent: the district asks for your written consent before your child takes a survey "
    "funded in whole or in part by the U.S. Department of Education that asks about any of "
    "these protected areas: political affiliations or beliefs of the student or the student's "
    "parent; mental or psychological problems of the student or the student's family; sex "
    "behavior or attitudes; illegal, anti-social, self-incriminating or demeaning behavior; "
    "critical appraisals of others with whom the student has close family relationships; "
    "legally recognized privileged relationships, such as with lawyers, doctors or ministers; "
    "religious practices, affiliations or beliefs of the student or the student's parent; or "
    "income, other than as required by law to determine eligibility for a program.\n\n"
    "Notice and a chance to opt your child out of: any other survey about the protected areas, "
    "whatever its funding; any non-emergency, invasive physical exam or screening required as "
    "a condition of attendance, given by the school and not necessary to protect the immediate "
    "health and safety of the student, except hearing, vision or scoliosis screenings or any "
    "exam permitted or required by state law; and any activity that collects, discloses or "
    "uses personal information obtained from students for marketing or for selling that "
    "information.\n\n"
    "Inspection: on request, you may inspect, before they are used, surveys about the "
    "protected areas, instruments used to collect personal information for marketing or sale, "
    "and instructional material used as part of the curriculum. The district notifies "
    "families at the start of each school year of the specific dates of these activities when "
    "it knows them. Complaints may be filed with the Student Privacy Policy Office, U.S. "
    "Department of Education, 400 Maryland Avenue, SW, Washington, DC 20202."
)

# kind → (title, text), in the order the portal shows them.
DEFAULT_NOTICES: dict[str, tuple[Promise, Promise]] = {
    NoticeKind.FERPA: (gettext_lazy("Your rights under FERPA"), FERPA_TEXT),
    NoticeKind.MASSACHUSETTS: (
        gettext_lazy("Your rights under the Massachusetts student records regulations"),
        MASSACHUSETTS_TEXT,
    ),
    NoticeKind.DIRECTORY: (
        gettext_lazy("Directory information and your right to opt out"),
        DIRECTORY_TEXT,
    ),
    NoticeKind.PPRA: (gettext_lazy("Surveys, marketing and physical exams (PPRA)"), PPRA_TEXT),
}
ORDER: tuple[str, ...] = tuple(DEFAULT_NOTICES)


def english(text: Promise | str) -> str:
    with translation.override(None):
        return str(text)


def shown(notice: AnnualNotice) -> tuple[str, str]:
    """The notice's title and text in the reader's language while they are the defaults."""
    default = DEFAULT_NOTICES.get(notice.kind)
    if default is None:
        return notice.title, notice.text
    title = str(default[0]) if notice.title == english(default[0]) else notice.title
    text = str(default[1]) if notice.text == english(default[1]) else notice.text
    return title, text


@transaction.atomic
def do_publish_notice(
    kind: str,
    school_year: str,
    title: str,
    text: str,
    by_user: Any = None,
    request: HttpRequest | None = None,
) -> AnnualNotice:
    """Publish a notice for `school_year` now (by district IT from the command line, or the
    privacy office). A later notice of the same kind and year replaces it for families."""
    schoolyear.check_label(school_year)
    if kind not in NoticeKind.values:
        raise ValidationError(_("Unknown kind of notice."), code="kind")
    if not title.strip() or not text.strip():
        raise ValidationError(_("A notice needs a title and a text."), code="empty")
    if by_user is not None:
        account = Account.objects.filter(user_id=by_user.pk).first()
        if account is None or account.role != Account.Role.PRIVACY_OFFICER:
            raise PermissionDenied("only the privacy office publishes annual notices")
    now = timezone.now()
    notice = AnnualNotice.objects.create(
        kind=kind,
        school_year=school_year,
        title=title.strip(),
        text=text,
        text_sha256=sha256(text),
        published_at=now,
    )
    ledger.record(
        action=Action.CONSENT,
        **ledger.actor_of(by_user),
        **ledger.request_context(request),
        purpose=PUBLISH_PURPOSE,
        detail={
            "annual_notice": notice.pk,
            "kind": kind,
            "school_year": school_year,
            "text_sha256": notice.text_sha256,
        },
        at=now,
    )
    return notice


def latest_notices(school_year: str) -> list[AnnualNotice]:
    """The notice of each kind that counts for `school_year`, in portal order. One query."""
    latest: dict[str, AnnualNotice] = {}
    for notice in AnnualNotice.objects.filter(school_year=school_year).order_by(
        "published_at", "pk"
    ):
        latest[notice.kind] = notice  # ordered: the last one wins
    return [latest[kind] for kind in ORDER if kind in latest] + [
        notice for kind, notice in sorted(latest.items()) if kind not in ORDER
    ]


def publish_default_notices(school_year: str, by_user: Any = None) -> list[AnnualNotice]:
    """Publish the four default notices in English; a kind whose current notice already has
    the same text is left alone (running it twice publishes nothing new)."""
    schoolyear.check_label(school_year)
    current = {notice.kind: notice for notice in latest_notices(school_year)}
    made = []
    for kind, (title, text) in DEFAULT_NOTICES.items():
        title_en, text_en = english(title), english(text)
        have = current.get(kind)
        if have is not None and have.text_sha256 == sha256(text_en) and have.title == title_en:
            continue
        made.append(do_publish_notice(kind, school_year, title_en, text_en, by_user))
    return made


@transaction.atomic
def do_acknowledge_notice(
    notice: AnnualNotice, user: Any, request: HttpRequest | None = None
) -> NoticeAcknowledgement:
    """Record that the guardian signed in as `user` has read `notice` as shown to them.

    Only a guardian account (PermissionDenied otherwise); once per guardian and notice
    (ValidationError the second time). The ledger entry names the guardian's children.
    """
    user_id = getattr(user, "pk", None)
    account = Account.objects.filter(user_id=user_id).first() if user_id is not None else None
    if account is None or account.role != Account.Role.GUARDIAN or account.guardian_id is None:
        raise PermissionDenied("only a signed-in guardian acknowledges a notice")
    if NoticeAcknowledgement.objects.filter(
        notice=notice, guardian_id=account.guardian_id
    ).exists():
        raise ValidationError(_("You have already acknowledged this notice."), code="already")
    _title, text = shown(notice)
    now = timezone.now()
    made = NoticeAcknowledgement.objects.create(
        notice=notice,
        guardian_id=account.guardian_id,
        user=user,
        acknowledged_at=now,
        text_sha256=sha256(text),
    )
    children = sorted(
        set(
            GuardianRelationship.objects.filter(
                guardian_id=account.guardian_id, active=True, access_restricted=False
            ).values_list("student_id", flat=True)
        )
    )
    ledger.record(
        action=Action.CONSENT,
        **ledger.actor_of(user),
        **ledger.request_context(request),
        students=children,
        purpose=ACK_PURPOSE,
        detail={
            "notice_acknowledgement": made.pk,
            "annual_notice": notice.pk,
            "kind": notice.kind,
            "school_year": notice.school_year,
            "notice_text_sha256": notice.text_sha256,
            "shown_text_sha256": made.text_sha256,
            "language": translation.get_language() or "",
        },
        at=now,
    )
    return made
