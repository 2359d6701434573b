"""Serving a OneRoster collection or object: which rows, in which order, which page.

A `Collection` is one or more `Source`s (a table, a kind of row, and the condition that
limits it to the plan and to the path's parent), served as one list: `users` is students,
then staff, then guardians. `serve_page` applies `filter`, `sort`/`orderBy` and paging with
a fixed number of queries:

- the default order with no filter (what a nightly sync asks for) slices the plan's sorted
  ids without asking the database which rows exist, then loads the page;
- otherwise each source is counted and its first `offset + limit` rows read in order, and
  several sources are merged in Python (sorted by the same key, code-point order on both
  databases).

`serve_one` finds one object by its public sourcedId among the rows the plan shows: anything
else, existing or not, is the same 404 (R39).
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import F, Model, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Collate

from steward.roster.models import Enrollment, GuardianRelationship, StudentDemographics
from steward.rostering import errors, filters, shapes
from steward.rostering.fields import FILE_OF
from steward.rostering.membership import IdSet
from steward.rostering.minimize import Minimizer
from steward.rostering.plans import GUARDIAN, STUDENT, View
from steward.rostering.query import Node, Paging

Json = dict[str, Any]
Loader = Callable[[Sequence[int], shapes.Context], list[Json]]

LOADERS: dict[tuple[str, str], Loader] = {
    ("org", ""): shapes.load_orgs,
    ("academicSession", ""): shapes.load_sessions,
    ("course", ""): shapes.load_courses,
    ("class", ""): shapes.load_classes,
    ("user", STUDENT): shapes.load_students,
    ("user", "staff"): shapes.load_staff,
    ("user", GUARDIAN): shapes.load_guardians,
    ("enrollment", ""): shapes.load_enrollments,
    ("demographics", STUDENT): shapes.load_demographics,
}
# The JSON wrapper of each type: a collection, and a single object.
SET_KEY = {
    "org": "orgs",
    "academicSession": "academicSessions",
    "course": "courses",
    "class": "classes",
    "user": "users",
    "enrollment": "enrollments",
    "demographics": "demographics",
}
ONE_KEY = {**{t: t for t in SET_KEY}, "demographics": "demographics"}


@dataclass(frozen=True)
class Source:
    """Rows of one table and kind. `members`: the plan's id set when `extra` adds nothing to
    it, which lets an unfiltered page be cut from the plan's sorted ids."""

    model: type[Model]
    kind: str = ""
    members: IdSet | None = None
    extra: Q | None = None

    def where(self) -> Q:
        out = Q()
        if self.members is not None:
            out &= self.members.q()
        if self.extra is not None:
            out &= self.extra
        return out

    def queryset(self) -> QuerySet[Any]:
        return self.model._default_manager.alias(
            _modified=Coalesce(
                "date_last_modified", "last_import__finished_at", "last_import__started_at"
            )
        ).filter(self.where())

    @property
    def sliceable(self) -> bool:
        return self.members is not None and self.extra is None


@dataclass
class Collection:
    type: str
    sources: list[Source]
    reveals_classes: bool = False  # the path tells who is in which class
    # The students every row is about (a student's classes), when the path says so.
    about: frozenset[int] | None = None


@dataclass
class Request:
    tree: Node | None
    sort: str
    descending: bool
    selection: tuple[str, ...] | None
    paging: Paging


@dataclass
class Page:
    body: Json
    total: int
    minimizer: Minimizer


def _sort_key(source: Source, type_: str, sort: str) -> Any:
    path = filters.sort_path(type_, sort, source.kind) if sort else None
    if path is None:
        return Value("") if sort else F("pk")
    expression: Any = F(path)
    if connection.vendor == "postgresql" and filters.FILTERS[type_][sort].kind in ("text", "id"):
        expression = Collate(expression, "C")  # code-point order, as Python and SQLite
    return expression


def _rows(collection: Collection, view: View, req: Request) -> tuple[list[tuple[str, int]], int]:
    """The (kind, pk) of the page's rows, in order, and the total."""
    start, stop = req.paging.offset, req.paging.offset + req.paging.limit
    sources = collection.sources
    if req.tree is None and not req.sort and all(s.sliceable for s in sources):
        return _sliced(sources, start, stop, req.descending)
    translator = filters.Translator(
        collection.type, view, Minimizer(view, collection.type, None).allowed
    )
    if req.tree is not None:
        translator.check(req.tree, tuple(source.kind for source in sources))
    querysets = []
    for source in sources:
        qs = source.queryset()
        if req.tree is not None:
            qs = qs.filter(translator.q(req.tree, source.kind))
            if collection.type == "class":
                qs = qs.distinct()  # a filter on terms joins the term links
        querysets.append(qs)
    if req.sort == "sourcedId" and view.pseudonymous:
        return _pseudonym_sorted(collection, view, querysets, req, start, stop)
    total = 0
    streams = []
    for rank, (source, qs) in enumerate(zip(sources, querysets, strict=True)):
        total += qs.count()
        key = _sort_key(source, collection.type, req.sort)
        ordered = qs.annotate(_key=key).order_by(
            F("_key").desc() if req.descending else F("_key").asc(),
            "-pk" if req.descending else "pk",
        )
        if len(sources) == 1:
            pks = list(ordered.values_list("pk", flat=True)[start:stop])
            return [(source.kind, pk) for pk in pks], total
        head = ordered.values_list("_key", "pk")[:stop]
        rank_key = -rank if req.descending else rank
        streams.append([(_comparable(k), rank_key, pk, source.kind) for k, pk in head])
    merged = heapq.merge(*streams, reverse=req.descending)
    return [(kind, pk) for _k, _r, pk, kind in itertools.islice(merged, start, stop)], total


def _sliced(
    sources: list[Source], start: int, stop: int, descending: bool
) -> tuple[list[tuple[str, int]], int]:
    """The page cut from the sources' sorted ids, one after the other, by arithmetic."""
    lists = [(s.kind, s.members.sorted()) for s in sources if s.members is not None]
    if descending:
        lists = [(kind, ids[::-1]) for kind, ids in reversed(lists)]
    rows: list[tuple[str, int]] = []
    skip = start
    for kind, ids in lists:
        if skip >= len(ids):
            skip -= len(ids)
            continue
        rows += [(kind, pk) for pk in ids[skip : skip + (stop - start) - len(rows)]]
        skip = 0
        if len(rows) >= stop - start:
            break
    return rows, sum(len(ids) for _kind, ids in lists)


def _comparable(value: Any) -> tuple[bool, Any]:
    return (value is not None, value if value is not None else "")


def _pseudonym_sorted(
    collection: Collection,
    view: View,
    querysets: list[QuerySet[Any]],
    req: Request,
    start: int,
    stop: int,
) -> tuple[list[tuple[str, int]], int]:
    """Sorting on pseudonymous sourcedIds: only Python knows them (one pass per source)."""
    file = FILE_OF[collection.type]
    column = "student__sourced_id" if collection.type == "demographics" else "sourced_id"
    keyed = [
        (view.public(file, real), pk, source.kind)
        for source, qs in zip(collection.sources, querysets, strict=True)
        for pk, real in qs.values_list("pk", column).iterator(chunk_size=20_000)
    ]
    keyed.sort(reverse=req.descending)
    return [(kind, pk) for _k, pk, kind in keyed[start:stop]], len(keyed)


def _load(
    collection: Collection, rows: list[tuple[str, int]], ctx: shapes.Context
) -> list[tuple[str, Json]]:
    by_kind: dict[str, list[int]] = {}
    for kind, pk in rows:
        by_kind.setdefault(kind, []).append(pk)
    loaded: dict[tuple[str, int], Json] = {}
    for kind, pks in by_kind.items():
        loader = LOADERS[
            (collection.type, kind if collection.type in ("user", "demographics") else "")
        ]
        for pk, obj in zip(pks, loader(pks, ctx), strict=True):
            loaded[(kind, pk)] = obj
    return [(kind, loaded[(kind, pk)]) for kind, pk in rows if (kind, pk) in loaded]


def _about(
    collection: Collection, rows: list[tuple[str, int]], view: View
) -> dict[tuple[str, int], frozenset[int]]:
    """The students each row tells something about."""
    out: dict[tuple[str, int], frozenset[int]] = {}
    if collection.about is not None:  # a nested path about one student: every row is
        return {row: collection.about for row in rows}
    if collection.type == "demographics":
        for pk, student_id in StudentDemographics.objects.filter(
            pk__in=[pk for _kind, pk in rows]
        ).values_list("pk", "student_id"):
            out[(STUDENT, pk)] = frozenset({student_id})
    elif collection.type == "user":
        for kind, pk in rows:
            if kind == STUDENT:
                out[(kind, pk)] = frozenset({pk})
        guardians = [pk for kind, pk in rows if kind == GUARDIAN]
        if guardians:
            children: dict[int, set[int]] = {}
            for guardian_id, student_id in GuardianRelationship.objects.filter(
                guardian_id__in=guardians, active=True
            ).values_list("guardian_id", "student_id"):
                if student_id in view.students:
                    children.setdefault(guardian_id, set()).add(student_id)
            for pk in guardians:
                out[(GUARDIAN, pk)] = frozenset(children.get(pk, ()))
    elif collection.type == "enrollment":
        kinds = {pk: kind for kind, pk in rows}  # a student's or a staff member's enrollment
        for pk, student_id in Enrollment.objects.filter(pk__in=kinds).values_list(
            "pk", "student_id"
        ):
            if student_id is not None and student_id in view.students:
                out[(kinds[pk], pk)] = frozenset({student_id})
    return out


def serve_page(collection: Collection, view: View, req: Request, ctx: shapes.Context) -> Page:
    """One page of the collection, minimized; the total for X-Total-Count."""
    rows, total = _rows(collection, view, req)
    minimizer = Minimizer(view, collection.type, req.selection)
    minimizer.reveals_classes = collection.reveals_classes
    about = _about(collection, rows, view)
    items = [
        minimizer.apply(obj, kind, about.get((kind, pk), frozenset()))
        for (kind, obj), (_k, pk) in zip(_load(collection, rows, ctx), rows, strict=True)
    ]
    return Page({SET_KEY[collection.type]: items}, total, minimizer)


def find(collection: Collection, view: View, public_id: str) -> tuple[str, int]:
    """(kind, pk) of the object with the public sourcedId among the collection's rows; 404
    otherwise, whether the object exists outside the plan or not at all."""
    if "\x00" in public_id:
        # No sourcedId holds NUL (PostgreSQL cannot store it, and refuses to compare with it):
        # unknown, not a server error (found by the API fuzzer, #10 item 5).
        raise errors.not_found(collection.type)
    real = view.resolve(FILE_OF[collection.type], public_id)
    if real is not None:
        column = "student__sourced_id" if collection.type == "demographics" else "sourced_id"
        for source in collection.sources:
            pk = source.queryset().filter(**{column: real}).values_list("pk", flat=True).first()
            if pk is not None:
                return source.kind, pk
    raise errors.not_found(collection.type)


def serve_one(
    collection: Collection,
    view: View,
    public_id: str,
    selection: tuple[str, ...] | None,
    ctx: shapes.Context,
) -> Page:
    kind, pk = find(collection, view, public_id)
    minimizer = Minimizer(view, collection.type, selection)
    rows = [(kind, pk)]
    about = _about(collection, rows, view)
    loaded = _load(collection, rows, ctx)
    if not loaded:
        raise errors.not_found(collection.type)
    obj = minimizer.apply(loaded[0][1], kind, about.get((kind, pk), frozenset()))
    return Page({ONE_KEY[collection.type]: obj}, 1, minimizer)
