"""The disclosure-basis catalogue (R51): every disclosure cites exactly one of these codes.

Pure constants, shared by the ledger's readers, agreements (issue #6) and sharing (issue #7).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class FerpaBasis(models.TextChoices):
    """34 CFR 99.31(a) exceptions, plus written consent (99.30). Codes as in R51."""

    A1 = "A1", _("A1: school official with a legitimate educational interest (99.31(a)(1))")
    A2 = "A2", _("A2: school where the student seeks or intends to enrol (99.31(a)(2))")
    A3 = "A3", _("A3: authorized representative for an audit or evaluation (99.31(a)(3), 99.35)")
    A4 = "A4", _("A4: financial aid (99.31(a)(4))")
    A5 = "A5", _("A5: state or local officials under a state statute (99.31(a)(5), 99.38)")
    A6 = "A6", _("A6: organization conducting a study for the district (99.31(a)(6))")
    A7 = "A7", _("A7: accrediting organization (99.31(a)(7))")
    A8 = "A8", _("A8: parents of a dependent student (99.31(a)(8))")
    A9 = "A9", _("A9: judicial order or subpoena (99.31(a)(9))")
    A10 = "A10", _("A10: health or safety emergency (99.31(a)(10), 99.36)")
    A11 = "A11", _("A11: directory information (99.31(a)(11), 99.37)")
    CONSENT = "CONSENT", _("written consent of the parent or eligible student (99.30)")


class MassachusettsBasis(models.TextChoices):
    """The 603 CMR 23.07 ground a third party's access rests on (R49, R53, R72). Letters
    follow R53, which marks them for checking against the official text."""

    SCHOOL_OFFICIAL = (
        "school_official",
        _("authorized school personnel, including contractors under the district's control"),
    )
    CONSENT = "consent", _("specific, informed written consent (23.07(4))")
    DIRECTORY = "directory", _("directory information after notice and opt-out (23.07(4)(a))")
    COURT_ORDER = "court_order", _("court order or lawfully issued subpoena (23.07(4)(b))")
    EDUCATION_OFFICIALS = (
        "education_officials",
        _("education officials and agents: audit, evaluation or enforcement (23.07(4)(d))"),
    )
    EMERGENCY = "emergency", _("health or safety emergency (23.07(4)(e))")
    OTHER = "other", _("other ground named in the agreement")
