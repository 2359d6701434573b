"""What the privacy office sees before an export (issue #7 item 1).

For one agreement: why nothing may be shared, or the plan's numbers: rows and filled values
per file and column (counted by running the export itself without writing, so the preview
can never differ from the package), students left out per reason, the columns the vendor
asked for that the agreement does not allow (and why), and warnings worth acting on.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from steward.sharing import columns as cols
from steward.sharing import exclusions, package
from steward.sharing.columns import Pair
from steward.sharing.engine import FILES, LOCAL_ID, Plan, SharingRefused, elements_of, feed_settings
from steward.sharing.engine import plan_for as make_plan
from steward.vendors.models import Agreement
from steward.vendors.public import PLAIN_CATEGORIES, PLAIN_ELEMENTS

REASONS: dict[str, Promise] = {
    exclusions.GUARDIAN_RELEASE: gettext_lazy(
        "no guardian release for an app approved only with one"
    ),
    exclusions.DIRECTORY_OPT_OUT: gettext_lazy("opted out of directory information"),
    exclusions.DIRECTORY_NOTICE: gettext_lazy(
        "the directory-information notice is not published or its opt-out window is open"
    ),
    exclusions.NOT_DIRECTORY: gettext_lazy(
        "details sent are not designated directory information (basis A11)"
    ),
    exclusions.RECRUITER_OPT_OUT: gettext_lazy(
        "opted out of release to military recruiters and colleges"
    ),
}


@dataclass(frozen=True)
class ColumnCount:
    name: str
    filled: int
    allowed: bool  # allowed for at least one kind of row in the file


@dataclass(frozen=True)
class FileCount:
    name: str
    rows: int
    columns: list[ColumnCount]


@dataclass(frozen=True)
class Refused:
    file: str
    column: str
    why: str


@dataclass
class Preview:
    agreement: Agreement
    refusal: str = ""
    plan: Plan | None = None
    files: list[FileCount] = field(default_factory=list)
    excluded: list[tuple[str, int]] = field(default_factory=list)
    not_allowed: list[Refused] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    elements: list[str] = field(default_factory=list)


def element_label(pair: Pair) -> str:
    category = PLAIN_CATEGORIES.get(pair[0], pair[0])
    return f"{category}: {PLAIN_ELEMENTS.get(pair, pair[1])}"


def preview(agreement: Agreement) -> Preview:
    """The preview of `agreement` now."""
    shown = Preview(agreement)
    requested = feed_settings(agreement)["requested_columns"]
    try:
        plan = make_plan(agreement)
    except SharingRefused as exc:
        shown.refusal = " ".join(exc.messages)
        shown.not_allowed = _not_allowed(agreement, None, requested)  # type: ignore[arg-type]
        return shown
    shown.plan = plan
    result = package.write(plan, None, count_columns=True)
    for key in FILES:
        name = f"{key}.csv"
        if name not in plan.columns:
            continue
        allowed = {c for k in plan.kinds(name) for c in plan.row_columns[f"{name}:{k}"]}
        filled = result.filled.get(name, {})
        shown.files.append(
            FileCount(
                name,
                result.counts.get(name, 0),
                [ColumnCount(c, n, c in allowed) for c, n in filled.items()]
                or [ColumnCount(c, 0, c in allowed) for c in plan.columns[name]],
            )
        )
    shown.excluded = [(str(REASONS.get(k, k)), n) for k, n in sorted(plan.excluded.items())]
    shown.not_allowed = _not_allowed(agreement, plan, requested)  # type: ignore[arg-type]
    shown.elements = [element_label(pair) for pair in plan.elements]
    if plan.student_ids and not plan.pseudonymous and LOCAL_ID not in elements_of(agreement):
        shown.warnings.append(
            _(
                "sourcedIds are the district's own student IDs, which the agreement does not "
                "list (Student Identifiers: local ID number). Turn on pseudonymous ids, or "
                "add the element to the agreement."
            )
        )
    for reason, count in plan.skipped_sections.items():
        why = _("no course") if reason == "no_course" else _("no term")
        shown.warnings.append(
            _("%(n)d class(es) left out: %(why)s in the roster, so not valid OneRoster.")
            % {"n": count, "why": why}
        )
    if not plan.student_ids:
        shown.warnings.append(_("No student may be shared under this agreement today."))
    return shown


KIND_LABELS: dict[str, Promise] = {
    cols.STUDENT: gettext_lazy("students"),
    cols.STAFF: gettext_lazy("teachers"),
    cols.GUARDIAN: gettext_lazy("parents and guardians"),
}


def _not_allowed(
    agreement: Agreement, plan: Plan | None, requested: dict[str, list[str]]
) -> list[Refused]:
    """The columns the vendor asked for that the plan will not send (for some kind of row
    the file carries), with the reason."""
    elements = elements_of(agreement)
    out = []
    for file, names in sorted(requested.items()):
        key = file.removesuffix(".csv")
        for name in names:
            if plan is None or file not in plan.columns or key in cols.NEVER_FILES:
                out.append(Refused(file, name, _why(key, name, "", elements, plan)))
                continue
            for kind in plan.kinds(file):
                if name not in plan.row_columns[f"{file}:{kind}"]:
                    why = _why(key, name, kind, elements, plan)
                    if kind:
                        why = _("for %(kind)s: %(why)s") % {"kind": KIND_LABELS[kind], "why": why}
                    out.append(Refused(file, name, why))
    return out


def _why(key: str, name: str, kind: str, elements: frozenset[Pair], plan: Plan | None) -> str:
    if key in cols.NEVER_FILES or name == "password":
        return _("never sent: Steward does not forward passwords or app credentials")
    if plan is None:
        return _("nothing is shared under this agreement")
    if f"{key}.csv" not in plan.columns:
        gates = {
            "demographics": _("the agreement allows no demographic or special-indicator element"),
            "enrollments": _("the agreement does not allow “Schedule: student scheduled courses”"),
        }
        gate = gates.get(key, gates["enrollments"])
        return _("%(file)s is not sent: %(why)s") % {"file": f"{key}.csv", "why": gate}
    carry = cols.carried(key, kind, name)
    missing = [pair for pair in carry.elements if pair not in elements]
    if carry.never:
        return _("never sent for this kind of record")
    if missing:
        labels = ", ".join(dict.fromkeys(element_label(pair) for pair in missing))
        return _("the agreement does not include %(elements)s") % {"elements": labels}
    return _("not sent")
