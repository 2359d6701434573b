"""The note on the method that every published table carries (R90, R95, R97).

It says what a reader needs to use the table and nothing that narrows a withheld cell: the
threshold and the coding are public, which "*" is a small count and which protects another is
not (see `present`).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from steward.reports.sdc.rules import Rules
from steward.reports.spec import ReportSpec


def _tiers(rules: Rules) -> str:
    parts = []
    for tier in rules.top_bottom:
        if tier.max_n is None:
            size = _("%(low)d students or more") % {"low": tier.min_n}
        else:
            size = _("%(low)d to %(high)d students") % {"low": tier.min_n, "high": tier.max_n}
        parts.append(
            _("%(size)s: ≤%(bottom)g%% and ≥%(top)g%%")
            % {"size": size, "bottom": tier.bottom, "top": tier.top}
        )
    return "; ".join(parts)


def note(spec: ReportSpec, rules: Rules) -> list[str]:
    """The method note, as paragraphs."""
    paragraphs = [
        _(
            "Counts of fewer than %(threshold)d students are withheld and shown as “*”; for "
            "English learners, students with an IEP or a 504 plan, students from low-income "
            "families and homeless or foster students, the threshold is %(rare)d."
        )
        % {"threshold": rules.threshold, "rare": rules.rare_threshold},
        _(
            "Further cells are withheld where needed so that no withheld number can be "
            "worked out, or narrowed to a small range, from the totals, the other cells, or "
            "earlier releases of the same series. Before publication, an independent audit "
            "solved, for every withheld cell, the smallest and largest value it could take "
            "given everything published, and confirmed each range is wide enough."
        ),
    ]
    if rules.complement:
        paragraphs.append(
            _("Where a group has only two categories, withholding one withholds the other.")
        )
    if spec.is_rate:
        paragraphs.append(
            _(
                "Percentages are shown only for groups of at least %(threshold)d students, "
                "without the size of the group. Extreme percentages are shown as a range, "
                "by group size: %(tiers)s. “–” means the group has no students."
            )
            % {"threshold": rules.threshold, "tiers": _tiers(rules)}
        )
    paragraphs.append(
        _(
            "Students are counted once, at their primary school, if enrolled on %(day)s. "
            "Events are counted from %(start)s to %(day)s."
        )
        % {"day": spec.as_of.isoformat(), "start": spec.year.starts.isoformat()}
    )
    if spec.school_days is not None:
        paragraphs.append(
            _(
                "The attendance rate is the share of students present on at least 90% of "
                "the %(days)d school days of the period."
            )
            % {"days": spec.school_days}
        )
    return paragraphs
