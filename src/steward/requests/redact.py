"""Redaction of a copy before it leaves the district.

R30 (99.12(a)): where a record holds information on more than one student, the requester sees
only the part about their student. Rows are already the student's own (every reader filters by
student), so other students can appear only in free text: an incident description naming a
classmate, a note, a work's title, a ledger entry's stated reason. `OtherStudents` finds in
that text the names and identifiers of every other student on the roster and replaces them.

R18 (603 CMR 23.07(5)): in a copy for a non-custodial parent, every address, e-mail and phone
number of the custodial parents is deleted, wherever it appears (`CustodialContact`).

Over-redaction is the safe side: the office previews every copy before releasing it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from steward.roster.models import Guardian, Student

_TOKEN = re.compile(r"[^\W_][\w@.+'’-]*")
_CHUNK = 500
# Keys of the district's extra columns that may hold contact data (OneRoster metadata.*).
CONTACT_KEY = re.compile(r"addr|street|city|zip|postal|phone|mobile|mail|tel|sms|fax", re.I)


def other_student_marker() -> str:
    return _("[another student]")


def removed_marker() -> str:
    return _("[removed: custodial parent's contact information]")


def _tokens(texts: Iterable[str]) -> set[str]:
    found: set[str] = set()
    for text in texts:
        for token in _TOKEN.findall(text):
            token = token.rstrip(".'’-")
            found.add(token)
            # "Ben's" and "stu-0012." are also looked up without what follows.
            found.update(part for part in re.split(r"['’]", token) if part)
    return {t for t in found if t}


def _bounded(literal: str) -> str:
    return rf"(?<![\w@]){re.escape(literal)}(?![\w@])"


class OtherStudents:
    """Replaces other students' names and identifiers in free text (R30)."""

    def __init__(self, full: Iterable[str], single: Iterable[str]) -> None:
        # Longest first, so that "Ben Cole" goes before "Ben" would split it.
        full_sorted = sorted({f for f in full if f.strip()}, key=len, reverse=True)
        single_sorted = sorted({s for s in single if len(s) > 1}, key=len, reverse=True)
        self._full = (
            re.compile("|".join(_bounded(f) for f in full_sorted), re.I) if full_sorted else None
        )
        # Lone names as written: "Will" the student, not "will" the word.
        self._single = (
            re.compile("|".join(_bounded(s) for s in single_sorted)) if single_sorted else None
        )
        self.count = 0

    @classmethod
    def for_texts(cls, student: Student, texts: Iterable[str]) -> OtherStudents:
        """A redactor for the other students whose names or identifiers occur in `texts`.

        The student's own names and those of their parents and guardians are never redacted
        on their own (they are the record's subject and family); other students' full names
        and identifiers always are. One query per 500 distinct words.
        """
        tokens = sorted(_tokens(texts))
        keep = {n.lower() for n in _own_names(student)}
        full: set[str] = set()
        single: set[str] = set()
        for start in range(0, len(tokens), _CHUNK):
            chunk = tokens[start : start + _CHUNK]
            lowered = sorted({t.lower() for t in chunk})
            rows = (
                Student.objects.exclude(pk=student.pk)
                .annotate(
                    g=Lower("given_name"), f=Lower("family_name"), p=Lower("preferred_given_name")
                )
                .filter(
                    Q(g__in=lowered)
                    | Q(f__in=lowered)
                    | Q(p__in=lowered)
                    | Q(sourced_id__in=chunk)
                    | Q(identifier__in=chunk)
                    | Q(username__in=chunk)
                    | Q(email__in=chunk)
                )
                .values_list(
                    "given_name",
                    "middle_name",
                    "family_name",
                    "preferred_given_name",
                    "sourced_id",
                    "identifier",
                    "username",
                    "email",
                )
            )
            for given, middle, family, preferred, *ids in rows:
                for first in {given, preferred} - {""}:
                    full.add(f"{first} {family}")
                    if middle:
                        full.add(f"{first} {middle} {family}")
                    full.add(f"{family}, {first}")
                full.update(i for i in ids if i)
                single.update(n for n in (given, family, preferred) if n and n.lower() not in keep)
        return cls(full, single)

    def text(self, value: str) -> str:
        out = value
        for pattern in (self._full, self._single):
            if pattern is not None:
                out, n = pattern.subn(other_student_marker(), out)
                self.count += n
        return out

    def value(self, value: Any) -> Any:
        """`text` applied to a JSON value, into lists and objects."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, dict):
            return {k: self.value(v) for k, v in value.items()}
        return value


def _own_names(student: Student) -> set[str]:
    names = {student.given_name, student.family_name, student.preferred_given_name}
    for row in Guardian.objects.filter(relationships__student=student).values_list(
        "given_name", "family_name", "preferred_given_name"
    ):
        names.update(row)
    return {n for n in names if n}


class CustodialContact:
    """Removes the custodial parents' e-mail addresses and phone numbers (R18)."""

    def __init__(self, guardians: Iterable[Guardian]) -> None:
        parts: list[str] = []
        for guardian in guardians:
            if guardian.email.strip():
                parts.append(re.escape(guardian.email.strip()))
            for number in (guardian.phone, guardian.sms):
                digits = re.sub(r"\D", "", number or "")
                if len(digits) >= 7:
                    # The same number however it is written: "(617) 555-0100", "617.555.0100".
                    parts.append(r"\+?" + r"[\s().-]*".join(re.escape(d) for d in digits))
        self._pattern = re.compile("|".join(parts), re.I) if parts else None
        self.count = 0

    def value(self, value: Any) -> Any:
        if isinstance(value, str) and self._pattern is not None:
            out, n = self._pattern.subn(removed_marker(), value)
            self.count += n
            return out
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, dict):
            return {k: self._entry(k, v) for k, v in value.items()}
        return value

    def _entry(self, key: str, value: Any) -> Any:
        """A value of the district's extra columns: whole when its name says contact data."""
        if CONTACT_KEY.search(key) and value not in (None, "", [], {}):
            self.count += 1
            return removed_marker()
        return self.value(value)
