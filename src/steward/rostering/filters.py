"""The `filter` and `sort` parameters on an allowlist of fields, as Django Q objects.

`FILTERS[type]` lists every JSON field a vendor may filter or sort on and how it maps onto
the model: only these fields, only these operators, values converted to the field's type.
The tree from `steward.rostering.query.parse_filter` becomes a Q built from keyword lookups
(never raw SQL from the query string). Minimization applies here too:

- a field the plan withholds from a kind of row never matches on such rows, so a filter can
  never reveal a withheld value (a filter on a field withheld from every row is refused);
- a sourcedId (or a reference's) is compared after translation from the vendor's public id,
  so pseudonymous ids work in filters, and only with = and != (pseudonyms have no order).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from steward.roster.models import GuardianRelationship, StaffRole
from steward.rostering.fields import RACE
from steward.rostering.plans import GUARDIAN, STAFF, STUDENT, View
from steward.rostering.query import Condition, Logical, Node, QueryError

MODIFIED = "_modified"  # alias of Coalesce(date_last_modified, the import's time)


@dataclass(frozen=True)
class Filterable:
    """How one JSON field is compared: `paths` are ORM lookups OR-ed together (one for most
    fields), per kind of row when `by_kind` is given (a kind missing there: never matches)."""

    kind: str  # text | year | date | datetime | bool | status | id | list | role
    paths: tuple[str, ...] = ()
    file: str = ""  # for ids: the OneRoster file whose sourcedIds they are
    by_kind: dict[str, tuple[str, ...]] | None = None
    sortable: bool = True

    def paths_for(self, kind: str) -> tuple[str, ...]:
        if self.by_kind is not None:
            return self.by_kind.get(kind, ())
        return self.paths


def _t(*paths: str) -> Filterable:
    return Filterable("text", paths)


_HEAD = {
    "status": Filterable("status", ("active",)),
    "dateLastModified": Filterable("datetime", (MODIFIED,)),
}


def _sid(file: str, path: str = "sourced_id") -> Filterable:
    return Filterable("id", (path,), file)


FILTERS: dict[str, dict[str, Filterable]] = {
    "org": {
        "sourcedId": _sid("orgs"),
        **_HEAD,
        "name": _t("name"),
        "type": _t("type"),
        "identifier": _t("identifier"),
        "parent.sourcedId": _sid("orgs", "parent__sourced_id"),
    },
    "academicSession": {
        "sourcedId": _sid("academicSessions"),
        **_HEAD,
        "title": _t("title"),
        "type": _t("type"),
        "startDate": Filterable("date", ("start_date",)),
        "endDate": Filterable("date", ("end_date",)),
        "schoolYear": Filterable("year", ("school_year",)),
        "parent.sourcedId": _sid("academicSessions", "parent__sourced_id"),
    },
    "course": {
        "sourcedId": _sid("courses"),
        **_HEAD,
        "title": _t("title"),
        "courseCode": _t("course_code"),
        "grades": Filterable("list", ("grades",), sortable=False),
        "subjects": Filterable("list", ("subjects",), sortable=False),
        "org.sourcedId": _sid("orgs", "org__sourced_id"),
        "schoolYear.sourcedId": _sid("academicSessions", "school_year_sourced_id"),
    },
    "class": {
        "sourcedId": _sid("classes"),
        **_HEAD,
        "title": _t("title"),
        "classCode": _t("class_code"),
        "classType": _t("class_type"),
        "location": _t("location"),
        "grades": Filterable("list", ("grades",), sortable=False),
        "subjects": Filterable("list", ("subjects",), sortable=False),
        "periods": Filterable("list", ("periods",), sortable=False),
        "course.sourcedId": _sid("courses", "course_sourced_id"),
        "school.sourcedId": _sid("orgs", "school__sourced_id"),
        "terms.sourcedId": Filterable(
            "id", ("terms__sourced_id",), "academicSessions", sortable=False
        ),
    },
    "user": {
        "sourcedId": _sid("users"),
        **_HEAD,
        "username": _t("username"),
        "enabledUser": Filterable("bool", ("enabled",)),
        "givenName": _t("given_name"),
        "familyName": _t("family_name"),
        "middleName": _t("middle_name"),
        "preferredFirstName": _t("preferred_given_name"),
        "identifier": _t("identifier"),
        "email": _t("email"),
        "sms": _t("sms"),
        "phone": _t("phone"),
        "grades": Filterable("list", by_kind={STUDENT: ("grade",)}, sortable=False),
        "roles.role": Filterable("role", sortable=False),
        "role": Filterable("role", sortable=False),
    },
    "enrollment": {
        "sourcedId": _sid("enrollments"),
        **_HEAD,
        "role": _t("role"),
        "primary": Filterable("bool", ("primary",)),
        "beginDate": Filterable("date", ("begin_date",)),
        "endDate": Filterable("date", ("end_date",)),
        "user.sourcedId": Filterable(
            "id", ("student__sourced_id", "staff__sourced_id"), "users", sortable=False
        ),
        "class.sourcedId": _sid("classes", "section__sourced_id"),
        "school.sourcedId": _sid("orgs", "school__sourced_id"),
    },
    "demographics": {
        "sourcedId": _sid("users", "student__sourced_id"),
        **_HEAD,
        "birthDate": Filterable("date", ("birth_date",)),
        "sex": _t("sex"),
        **{
            name: Filterable("bool", (field,))
            for name, field in zip(
                RACE,
                (
                    "american_indian_or_alaska_native",
                    "asian",
                    "black_or_african_american",
                    "native_hawaiian_or_other_pacific_islander",
                    "white",
                    "two_or_more_races",
                    "hispanic_or_latino",
                ),
                strict=True,
            )
        },
        "countryOfBirthCode": _t("country_of_birth"),
        "stateOfBirthAbbreviation": _t("state_of_birth"),
        "cityOfBirth": _t("city_of_birth"),
        "publicSchoolResidenceStatus": _t("public_school_residence_status"),
    },
}

NOTHING = Q(pk__in=[])
# Filter fields that are not JSON fields themselves: the JSON field whose column governs them.
_GOVERNED_BY = {("user", "role"): "roles"}


def governing(type_: str, field: str) -> str:
    """The JSON field whose CSV column decides whether `field` may be filtered on."""
    top = field.split(".", 1)[0]
    return _GOVERNED_BY.get((type_, top), top)


_LOOKUP = {"=": "exact", ">": "gt", ">=": "gte", "<": "lt", "<=": "lte", "~": "icontains"}


class Translator:
    """Turns a filter tree into a Q for one type and one kind of row."""

    def __init__(self, type_: str, view: View, allowed: object) -> None:
        self.type = type_
        self.specs = FILTERS[type_]
        self.view = view
        # allowed(json_field, kind) -> bool: the minimizer's column check.
        self.allowed = allowed

    def spec(self, field: str) -> Filterable:
        spec = self.specs.get(field)
        if spec is None:
            raise QueryError(f"The results cannot be filtered on {field!r}.")
        return spec

    def check(self, node: Node, kinds: tuple[str, ...]) -> None:
        """Refuse fields that are unknown, or withheld from every kind of row queried."""
        if isinstance(node, Logical):
            for part in node.parts:
                self.check(part, kinds)
            return
        self.spec(node.field)
        top = governing(self.type, node.field)
        if not any(self.allowed(top, kind) for kind in kinds):  # type: ignore[operator]
            raise QueryError(f"{node.field!r} is not shared under the agreement.")

    def q(self, node: Node, kind: str) -> Q:
        if isinstance(node, Logical):
            parts = [self.q(part, kind) for part in node.parts]
            out = parts[0]
            for part in parts[1:]:
                out = out & part if node.op == "AND" else out | part
            return out
        return self.condition(node, kind)

    def condition(self, cond: Condition, kind: str) -> Q:
        spec = self.spec(cond.field)
        if not self.allowed(governing(self.type, cond.field), kind):  # type: ignore[operator]
            return NOTHING
        if spec.kind == "role":
            return self._role(cond, kind)
        paths = spec.paths_for(kind)
        if not paths:
            return NOTHING
        if cond.op == "!=":
            return ~self._positive(spec, Condition(cond.field, "=", cond.value), paths)
        return self._positive(spec, cond, paths)

    def _positive(self, spec: Filterable, cond: Condition, paths: tuple[str, ...]) -> Q:
        value: object = self._value(spec, cond)
        if value is None:  # an id that is not one the vendor can see: matches nothing
            return NOTHING
        out = NOTHING
        for path in paths:
            if spec.kind == "list" and cond.op == "=":
                text = str(value)
                one = (
                    Q(**{path: text})
                    | Q(**{f"{path}__startswith": f"{text},"})
                    | Q(**{f"{path}__endswith": f",{text}"})
                    | Q(**{f"{path}__contains": f",{text},"})
                )
            else:
                one = Q(**{f"{path}__{_LOOKUP[cond.op]}": value})
            out = one if out is NOTHING else out | one
        return out

    def _value(self, spec: Filterable, cond: Condition) -> object:
        op, text = cond.op, cond.value
        ordered = spec.kind not in ("bool", "status") and not (
            spec.kind == "id" and self.view.pseudonymous
        )
        if op not in ("=", "!=") and not ordered:
            raise QueryError(f"{cond.field!r} can only be compared with = or !=.")
        if spec.kind == "bool":
            if text not in ("true", "false"):
                raise QueryError(f"{cond.field!r} is 'true' or 'false'.")
            return text == "true"
        if spec.kind == "status":
            if text not in ("active", "tobedeleted"):
                raise QueryError("status is 'active' or 'tobedeleted'.")
            return text == "active"
        if spec.kind == "id":
            return self.view.resolve(spec.file, text) if op in ("=", "!=") else text
        if spec.kind in ("year", "date", "datetime") and op == "~":
            raise QueryError(f"{cond.field!r} cannot be compared with ~.")
        if spec.kind == "year":
            if not (text.isascii() and text.isdigit() and len(text) == 4):
                raise QueryError(f"{cond.field!r} takes a four-digit year.")
            return int(text)
        if spec.kind == "date":
            day = _date(text)
            if day is None:
                raise QueryError(f"{cond.field!r} takes a date: YYYY-MM-DD.")
            return day
        if spec.kind == "datetime":
            moment = _datetime(text)
            if moment is None:
                raise QueryError(f"{cond.field!r} takes an ISO 8601 date and time.")
            return moment
        return text

    def _role(self, cond: Condition, kind: str) -> Q:
        if cond.op not in ("=", "!="):
            raise QueryError(f"{cond.field!r} can only be compared with = or !=.")
        if kind == STUDENT:
            match = Q() if cond.value == "student" else NOTHING
        elif kind == STAFF:
            match = Q(
                Exists(StaffRole.objects.filter(staff=OuterRef("pk"), oneroster_role=cond.value))
            )
        elif kind == GUARDIAN:
            match = Q(
                Exists(
                    GuardianRelationship.objects.filter(
                        guardian=OuterRef("pk"), kind=cond.value, active=True
                    )
                )
            )
        else:
            return NOTHING
        if cond.op == "=":
            return match
        return NOTHING if match == Q() else (Q() if match is NOTHING else ~match)


def _date(text: str) -> dt.date | None:
    try:
        return parse_date(text)
    except ValueError:
        return None


def _datetime(text: str) -> dt.datetime | None:
    try:
        moment = parse_datetime(text)
    except ValueError:
        return None
    if moment is None:
        day = _date(text)
        if day is None:
            return None
        moment = dt.datetime.combine(day, dt.time())
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


def sort_path(type_: str, field: str, kind: str) -> str | None:
    """The ORM path `field` sorts on for rows of `kind` (None: the kind has no such field)."""
    spec = FILTERS[type_][field]
    paths = spec.paths_for(kind)
    return paths[0] if paths else None


def sortable(type_: str) -> frozenset[str]:
    return frozenset(name for name, spec in FILTERS[type_].items() if spec.sortable)
