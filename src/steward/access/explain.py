"""Reasons for access in words, with section and school names (issue #4 "why-access").

`Namer.for_grants()` loads the names every reason needs in at most two queries; `describe()`
then turns one grant into a sentence such as "Via section Algebra I (ALG1-03), enrolled
2026-09-02 to 2027-01-24".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from steward.access.index import Reason
from steward.access.policy import CASELOAD, SCHOOL, SECTION
from steward.access.service import BREAK_GLASS, GUARDIAN, SELF, Grant
from steward.roster.models import Org, Section


def _day(day: dt.date | None, open_text: str) -> str:
    return day.isoformat() if day is not None else open_text


@dataclass
class Namer:
    """Section and school names by id."""

    sections: dict[int, str] = field(default_factory=dict)
    schools: dict[int, str] = field(default_factory=dict)

    @classmethod
    def for_reasons(cls, reasons: Iterable[Reason]) -> Namer:
        section_ids: set[int] = set()
        school_ids: set[int] = set()
        for reason in reasons:
            if reason.relation == SECTION:
                section_ids.add(reason.via)
            elif reason.relation == SCHOOL:
                school_ids.add(reason.via)
        namer = cls()
        if section_ids:
            for pk, title, code in Section.objects.filter(pk__in=section_ids).values_list(
                "pk", "title", "class_code"
            ):
                namer.sections[pk] = f"{title} ({code})" if code else title
        if school_ids:
            namer.schools = dict(Org.objects.filter(pk__in=school_ids).values_list("pk", "name"))
        return namer

    @classmethod
    def for_grants(cls, grants: Iterable[Grant]) -> Namer:
        return cls.for_reasons(g.reason for g in grants if g.reason is not None)

    def reason(self, reason: Reason) -> str:
        begin = _day(reason.begin, _("the start"))
        end = _day(reason.end, _("open"))
        if reason.relation == SECTION:
            name = self.sections.get(reason.via, str(reason.via))
            text = _("Via section %(section)s, enrolled %(begin)s to %(end)s") % {
                "section": name,
                "begin": begin,
                "end": end,
            }
            if reason.grace_until is not None:
                text += _(", grace period to %(day)s") % {"day": reason.grace_until.isoformat()}
            return text
        if reason.relation == CASELOAD:
            return _("On the %(kind)s caseload, assigned %(begin)s to %(end)s") % {
                "kind": reason.label,
                "begin": begin,
                "end": end,
            }
        return _("As %(position)s at %(school)s, enrolled %(begin)s to %(end)s") % {
            "position": reason.label,
            "school": self.schools.get(reason.via, str(reason.via)),
            "begin": begin,
            "end": end,
        }

    def grant(self, grant: Grant) -> str:
        if grant.reason is not None:
            return self.reason(grant.reason)
        if grant.kind == BREAK_GLASS and grant.break_glass is not None:
            return _("Emergency access until %(until)s: %(threat)s") % {
                "until": timezone.localtime(grant.break_glass.expires_at).strftime(
                    "%Y-%m-%d %H:%M"
                ),
                "threat": grant.break_glass.threat,
            }
        if grant.kind == GUARDIAN:
            return _("As the student's parent or guardian")
        if grant.kind == SELF:
            return _("As the student, whose record it is")
        return grant.kind
