"""Matrix rows: the privacy office's pages about the district's data as a whole: retention
(R100–R106), de-identified reports and research extracts (R90–R99), and sharing with vendors
(R55–R58, R71).

`privacy_office_only`, as in `url_matrix_office`: anonymous → the sign-in page, every other
role → 403. The office's wrong object is an unknown row, or one in a state the page refuses:
a draft release has no CSV yet, an extract not delivered has none either, and another
district's agreement is never shared from here.
"""

from __future__ import annotations

from typing import Any

from .url_matrix_spec import OFFICE, Spec, office_pk, to
from .url_matrix_world import MISSING, World


def _retention_student(w: World, role: str, kwargs: dict[str, Any]) -> str:
    return to("retention-student", pk=w.dee.pk)(w, role, kwargs)


def _recipients(w: World) -> str:
    return f"?vendor={w.acme.pk}"


SPECS = [
    # --- retention (R100–R106) ----------------------------------------------------------------
    Spec("retention-calendar", OFFICE),
    Spec("retention-lookup", OFFICE, ok=302, goes_to=to("retention-calendar")),
    Spec("retention-exit-new", OFFICE),
    Spec("retention-student", OFFICE, args=office_pk("dee"), wrong=404),
    Spec(
        "retention-exit-cancel",
        OFFICE,
        post=True,
        args=lambda w, role, right: {"pk": w.exit["dee"].pk if right else MISSING},
        ok=302,
        goes_to=_retention_student,
        wrong=404,
    ),
    Spec(
        "retention-hold-place",
        OFFICE,
        post=True,
        args=office_pk("dee"),
        ok=302,
        goes_to=_retention_student,
        wrong=404,
    ),
    Spec(
        "retention-destroy",
        OFFICE,
        post=True,
        args=office_pk("dee"),
        ok=302,
        goes_to=_retention_student,
        wrong=404,
    ),
    Spec(
        "retention-hold-release",
        OFFICE,
        post=True,
        args=office_pk("hold"),
        ok=302,
        goes_to=_retention_student,
        wrong=404,
    ),
    Spec(
        "retention-notice-sent",
        OFFICE,
        post=True,
        args=lambda w, role, right: {"pk": w.exit["dee"].notice.pk if right else MISSING},
        ok=302,
        goes_to=_retention_student,
        wrong=404,
    ),
    Spec(
        "retention-notice-delivered",
        OFFICE,
        post=True,
        args=lambda w, role, right: {"pk": w.exit["dee"].notice.pk if right else MISSING},
        ok=302,
        goes_to=_retention_student,
        wrong=404,
    ),
    Spec(
        "retention-notice-pdf",
        OFFICE,
        args=lambda w, role, right: {"pk": w.exit["dee"].notice.pk if right else MISSING},
        wrong=404,
    ),
    Spec("retention-certificate", OFFICE, args=office_pk("certificate"), wrong=404),
    Spec("retention-certificate-pdf", OFFICE, args=office_pk("certificate"), wrong=404),
    # --- reports and research extracts (R90–R99) --------------------------------------------
    Spec("reports-index", OFFICE),
    Spec("reports-build", OFFICE),
    Spec("reports-prepare", OFFICE, post=True, ok=302),
    Spec("reports-series", OFFICE, args=office_pk("series"), wrong=404),
    Spec("reports-series-next", OFFICE, post=True, args=office_pk("series"), ok=302, wrong=404),
    Spec("reports-release", OFFICE, args=office_pk("draft_release"), wrong=404),
    Spec(
        "reports-release-approve",
        OFFICE,
        post=True,
        args=office_pk("draft_release"),
        ok=302,
        goes_to=to("reports-release", "pk"),
        wrong=404,
    ),
    Spec(
        "reports-release-discard",
        OFFICE,
        post=True,
        args=office_pk("draft_release"),
        ok=302,
        goes_to=to("reports-release", "pk"),
        wrong=404,
    ),
    Spec(
        "reports-release-csv",
        OFFICE,
        args=office_pk("approved_release", wrong="draft_release"),
        wrong=404,
    ),
    Spec(
        "reports-release-pdf",
        OFFICE,
        args=office_pk("approved_release", wrong="draft_release"),
        wrong=404,
    ),
    Spec("reports-extracts", OFFICE),
    Spec("reports-extract", OFFICE, args=office_pk("waiting_extract"), wrong=404),
    Spec(
        "reports-extract-deliver",
        OFFICE,
        post=True,
        args=office_pk("waiting_extract"),
        ok=302,
        goes_to=to("reports-extract", "pk"),
        wrong=404,
    ),
    Spec(
        "reports-extract-discard",
        OFFICE,
        post=True,
        args=office_pk("waiting_extract"),
        ok=302,
        goes_to=to("reports-extract", "pk"),
        wrong=404,
    ),
    Spec(
        "reports-extract-csv",
        OFFICE,
        args=office_pk("sent_extract", wrong="waiting_extract"),
        wrong=404,
    ),
    # --- sharing with vendors (R55–R58, R71) ------------------------------------------------
    Spec("sharing-index", OFFICE),
    # Another district's agreement (an Exhibit E offer) is never shared from here: 404.
    Spec("sharing-preview", OFFICE, args=office_pk("active", wrong="offer"), wrong=404),
    Spec(
        "sharing-feed",
        OFFICE,
        post=True,
        args=office_pk("active", wrong="offer"),
        ok=400,
        wrong=404,
    ),
    Spec("sharing-exports", OFFICE, args=office_pk("active", wrong="offer"), wrong=404),
    Spec("sharing-download", OFFICE, args=office_pk("export"), wrong=404),
    Spec("sharing-received", OFFICE),
    Spec("sharing-recipients", OFFICE),
    Spec("sharing-recipients-csv", OFFICE, query=_recipients),
]
