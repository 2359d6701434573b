"""The vetting rubric as data (design.md §3 rule 3; R74, R125–R127).

The areas follow the 1EdTech TrustEd Apps data privacy rubric named in R74 (data collected,
ownership, deletion, retention, security, third parties, advertising and marketing, sale of
data, breach notification, access and correction, policy changes), plus the COPPA consent
model (R125–R127) and the optional generative-AI area. The questions are the district's own
plain-language wording, not the rubric's text.

A reviewer rates every item "meets", "meets with reservations" or "does not meet"
(`steward.vendors.models.Rating`); `VettingAnswer.item` stores the item's `key`, so keys never
change once used (a reworded question keeps its key; a new question gets a new key). An item
in an area with `blocks_approval` rated "does not meet" forbids any approval (R75: sale and
advertising are the PTAC warning terms no reservation can cure).

No queries, no models: importing this costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Item:
    """One question a reviewer rates, with guidance on what evidence to look for."""

    key: str
    question: Promise
    guidance: Promise


@dataclass(frozen=True)
class Area:
    """A rubric area: its items in the order shown, and the requirements it answers."""

    key: str
    title: Promise
    items: tuple[Item, ...]
    requirements: str
    blocks_approval: bool = False


AREAS: tuple[Area, ...] = (
    Area(
        "collected",
        _("Data collected"),
        (
            Item(
                "collected.listed",
                _("Does the provider list every kind of student data it collects?"),
                _(
                    "Look for a complete list in the privacy policy or in Exhibit B of the "
                    "agreement. A list that says 'such as' or 'including but not limited to' "
                    "is not complete."
                ),
            ),
            Item(
                "collected.how",
                _(
                    "Does it say how the data is collected: entered by the school, entered "
                    "by students, or gathered automatically by the app?"
                ),
                _(
                    "Automatic collection includes device identifiers, location, cookies "
                    "and usage logs."
                ),
            ),
            Item(
                "collected.minimum",
                _("Does it collect only what the service needs?"),
                _(
                    "Compare what is collected with what teachers use the app for. Extra "
                    "tracking or fields the service does not need count against it."
                ),
            ),
        ),
        "R74",
    ),
    Area(
        "ownership",
        _("Ownership"),
        (
            Item(
                "ownership.district",
                _(
                    "Does student data, including student work, stay the property of the "
                    "district, the student or the family?"
                ),
                _("The provider must not claim to own student data or what students create."),
            ),
            Item(
                "ownership.licence",
                _("Is any licence the provider takes limited to delivering the service?"),
                _(
                    "A worldwide, perpetual, transferable or sublicensable licence to student "
                    "content goes beyond the service (R75)."
                ),
            ),
        ),
        "R74, R75",
    ),
    Area(
        "deletion",
        _("Deletion"),
        (
            Item(
                "deletion.on_request",
                _("Will the provider delete student data when the district asks?"),
                _("Look for a stated time limit and who may make the request."),
            ),
            Item(
                "deletion.at_end",
                _(
                    "Is all student data deleted or returned when the service ends, with "
                    "written confirmation?"
                ),
                _("The NDPA allows 60 days and asks for a certificate of disposition (Exhibit D)."),
            ),
            Item(
                "deletion.by_users",
                _("Can users delete their own data or account completely?"),
                _("Deleting must remove the data, not only hide it from view."),
            ),
        ),
        "R74, R75",
    ),
    Area(
        "retention",
        _("Retention"),
        (
            Item(
                "retention.stated",
                _("Does the provider state how long it keeps student data?"),
                _(
                    "A written retention policy is required for children's data under the "
                    "2025 COPPA Rule. 'As long as necessary' with no limit does not meet "
                    "(R126)."
                ),
            ),
            Item(
                "retention.limited",
                _("Is data kept no longer than the service needs it?"),
                _("Indefinite retention, or retention for the provider's own uses, does not meet."),
            ),
            Item(
                "retention.backups",
                _("Are backups and logs held to the same limits?"),
                _("Look for how long backups are kept and whether deletion reaches them."),
            ),
        ),
        "R74, R126, R127",
    ),
    Area(
        "security",
        _("Security"),
        (
            Item(
                "security.program",
                _(
                    "Does the provider describe a written security program or follow a "
                    "known framework?"
                ),
                _(
                    "For example NIST CSF, ISO 27001, SOC 2 or CIS Controls (NDPA Exhibit F); "
                    "ask for a recent audit report or certificate as evidence."
                ),
            ),
            Item(
                "security.encryption",
                _("Is student data encrypted in transit and at rest?"),
                _("In transit means HTTPS everywhere; at rest means stored data and backups."),
            ),
            Item(
                "security.passwords",
                _("Does the app require strong passwords and store them safely?"),
                _("Passwords must be hashed, never stored or sent in plain text."),
            ),
            Item(
                "security.mfa",
                _("Can teachers and administrators sign in with multi-factor authentication?"),
                _("Single sign-on through the district's accounts also meets this."),
            ),
            Item(
                "security.cookies",
                _("Are cookies and trackers limited to what the service needs?"),
                _("Advertising or cross-site tracking cookies do not meet."),
            ),
        ),
        "R74",
    ),
    Area(
        "third_parties",
        _("Third parties"),
        (
            Item(
                "third_parties.named",
                _(
                    "Are the third parties that receive student data named, with what each "
                    "one receives?"
                ),
                _(
                    "Record them as the vendor's subprocessors. 'Trusted partners' without "
                    "names does not meet (R75)."
                ),
            ),
            Item(
                "third_parties.bound",
                _("Are those third parties bound by the same privacy terms?"),
                _("The NDPA requires written agreements with subprocessors (Article II.4)."),
            ),
            Item(
                "third_parties.opt_out",
                _("Can the school or family refuse sharing that the service does not need?"),
                _("Sharing needed to run the service is fine; any other sharing must be optional."),
            ),
        ),
        "R74, R75",
    ),
    Area(
        "advertising",
        _("Advertising and marketing"),
        (
            Item(
                "advertising.targeted",
                _("Is student data kept out of targeted advertising?"),
                _(
                    "Ads chosen from student data or behaviour do not meet. An app without "
                    "ads meets."
                ),
            ),
            Item(
                "advertising.profiles",
                _("Is student data kept out of profiles built for anything but the school?"),
                _("Profiles the school uses for learning are fine; commercial profiles are not."),
            ),
            Item(
                "advertising.marketing",
                _("Is student data kept out of marketing to students and families?"),
                _("This includes e-mails offering paid upgrades or other products."),
            ),
        ),
        "R74, R75, R125",
        blocks_approval=True,
    ),
    Area(
        "sale",
        _("Sale of data"),
        (
            Item(
                "sale.never",
                _("Does the provider promise never to sell, rent or trade student data?"),
                _(
                    "A promise limited to 'personal information' may leave out usage data; "
                    "read it closely."
                ),
            ),
            Item(
                "sale.merger",
                _(
                    "If the company is sold or merges, must the new owner keep the same "
                    "privacy promises?"
                ),
                _("Otherwise the district must be told and may have the data deleted first."),
            ),
        ),
        "R74, R75",
        blocks_approval=True,
    ),
    Area(
        "breach",
        _("Breach notification"),
        (
            Item(
                "breach.notify",
                _("Will the provider tell the district of a breach within a stated time?"),
                _(
                    "Look for a number of hours or days and compare it with the agreement's "
                    "breach notification window (R119)."
                ),
            ),
            Item(
                "breach.plan",
                _("Does the provider have a written incident response plan?"),
                _("Ask for it, or for a summary, as evidence."),
            ),
        ),
        "R74, R119",
    ),
    Area(
        "access",
        _("Access and correction"),
        (
            Item(
                "access.review",
                _("Can parents and eligible students review the data through the school?"),
                _(
                    "The provider must help the district answer within the agreement's "
                    "parent-access time (R108)."
                ),
            ),
            Item(
                "access.correct",
                _("Can inaccurate data be corrected?"),
                _("Through the school, or by the user directly."),
            ),
            Item(
                "access.export",
                _("Can the school get its data back in a usable format?"),
                _("For example CSV or the OneRoster format."),
            ),
        ),
        "R74, R108",
    ),
    Area(
        "policy_changes",
        _("Policy changes"),
        (
            Item(
                "policy_changes.notice",
                _("Will the provider give notice before changing its terms or privacy policy?"),
                _("Changes 'at any time without notice' do not meet (R75)."),
            ),
            Item(
                "policy_changes.consent",
                _(
                    "Do material changes need the district's agreement before they apply to "
                    "data already collected?"
                ),
                _("A signed agreement usually overrides later click-through changes; check it."),
            ),
        ),
        "R74, R75",
    ),
    Area(
        "coppa",
        _("COPPA consent model"),
        (
            Item(
                "coppa.model",
                _(
                    "For children under 13, is it clear whether the school consents as the "
                    "parent's agent or each parent consents?"
                ),
                _(
                    "The school may consent only when the data serves the school and no other "
                    "commercial purpose (R125); otherwise the app needs guardian release "
                    "(R127). Record the answer on the app too. If no child under 13 uses the "
                    "app, rate 'meets' and say so in a note."
                ),
            ),
            Item(
                "coppa.notice",
                _(
                    "Does the operator give the school its direct notice: what it collects "
                    "from children, how it uses it and to whom it discloses it?"
                ),
                _("Keep a copy or a link to the notice as evidence (R127)."),
            ),
            Item(
                "coppa.third_party_consent",
                _(
                    "Does the operator ask parents separately before giving children's data "
                    "to third parties the service does not need (advertising, analytics, AI "
                    "training)?"
                ),
                _("Required by the 2025 COPPA Rule (R126)."),
            ),
            Item(
                "coppa.retention",
                _("Does the operator have a written retention policy for children's data?"),
                _("Indefinite retention of children's data is not allowed (R126)."),
            ),
        ),
        "R125, R126, R127",
    ),
    Area(
        "ai",
        _("Use of AI"),
        (
            Item(
                "ai.disclosed",
                _("Does the provider say whether and where the app uses artificial intelligence?"),
                _("If the app uses no AI, rate 'meets' and say so in a note."),
            ),
            Item(
                "ai.training",
                _("Is student data kept out of training AI models unless the district agrees?"),
                _("Look for training on prompts, student work and usage data."),
            ),
            Item(
                "ai.third_party",
                _("If the AI comes from another company, is it named and bound by the same terms?"),
                _("Record it as a subprocessor."),
            ),
            Item(
                "ai.control",
                _("Can the district turn the AI features on or off?"),
                _("For all students, or by grade or class."),
            ),
        ),
        "R74",
    ),
)

ITEMS: dict[str, Item] = {item.key: item for area in AREAS for item in area.items}
AREA_OF: dict[str, Area] = {item.key: area for area in AREAS for item in area.items}
# Items whose "does not meet" forbids approval (sale of data, advertising and marketing).
BLOCKING_ITEMS: frozenset[str] = frozenset(
    item.key for area in AREAS if area.blocks_approval for item in area.items
)


def item(key: str) -> Item:
    """The item with this key; KeyError for an unknown key."""
    return ITEMS[key]
