"""The OneRoster 1.2 rostering REST service (django-ninja), mounted at
/ims/oneroster/rostering/v1p2/ (issue #7 item 3; 1EdTech OpenAPI document in
`shared/data/oneroster-1.2-rostering-openapi.json`).

Every operation of the document is here (41 paths), plus `/users/{id}/agents` and
`/users/{id}/agentFor`. Each request: bearer token → scope check → the agreement's plan →
query parameters → page → minimization → in one transaction, the disclosure entry for the
students the response is about (R55–R58, R63) → JSON with `X-Total-Count` and `Link`.
"""

from __future__ import annotations

import inspect
import json
import logging
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from steward.rostering import auth, errors, filters, paths, query
from steward.rostering import scopes as sc
from steward.rostering.collections import Collection, Request, serve_one, serve_page
from steward.rostering.fields import FIELDS
from steward.rostering.plans import SharingRefused, View, record_disclosure, view_for
from steward.rostering.shapes import Context

log = logging.getLogger(__name__)
BASE = "/ims/oneroster/rostering/v1p2"

api = NinjaAPI(
    title="Steward OneRoster 1.2 rostering",
    version="1.2",
    urls_namespace="oneroster",
    docs_url=None,  # the normative description is 1EdTech's OpenAPI document
    openapi_url=None,
)

Builder = Callable[..., Collection]


def _json(data: dict[str, Any], status: int = 200) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")),
        status=status,
        content_type="application/json",
    )
    response["Cache-Control"] = "no-store"
    return response


def _links(request: HttpRequest, paging: query.Paging, total: int) -> str:
    """RFC 8288 Link header: first, prev, next, last."""
    base = request.build_absolute_uri(request.path)
    params = {k: v for k, v in request.GET.lists() if k not in ("limit", "offset")}

    def url(offset: int) -> str:
        items = [(k, v) for k, values in params.items() for v in values]
        items += [("limit", str(paging.limit)), ("offset", str(offset))]
        return f"{base}?{urlencode(items)}"

    last = max(0, (total - 1) // paging.limit * paging.limit) if total else 0
    rels = [("first", 0)]
    if paging.offset > 0:
        rels.append(("prev", max(0, paging.offset - paging.limit)))
    if paging.offset + paging.limit < total:
        rels.append(("next", paging.offset + paging.limit))
    rels.append(("last", last))
    return ", ".join(f'<{url(offset)}>; rel="{rel}"' for rel, offset in rels)


def _context(request: HttpRequest, view: View) -> Context:
    return Context(view=view, base=request.build_absolute_uri(BASE).rstrip("/"))


def _record(request: HttpRequest, grant: auth.Grant, view: View, page: Any) -> None:
    minimizer = page.minimizer
    if not minimizer.students:
        return
    record_disclosure(
        view.plan,
        channel="api",
        student_ids=sorted(minimizer.students),
        elements=sorted(minimizer.elements),
        request=request,
        detail={
            "client_id": grant.client.client_id,
            "path": request.path[:500],
            "query": request.META.get("QUERY_STRING", "")[:1000],
        },
    )


def _serve(
    request: HttpRequest,
    accepted: frozenset[str],
    build: Builder,
    *args: str,
    one: str | None = None,
) -> HttpResponse:
    try:
        grant = auth.authenticate(request)
        auth.require_scope(grant, accepted)
        try:
            view = view_for(grant.agreement)
        except SharingRefused as refused:
            raise errors.ApiError("forbidden", " ".join(refused.messages)) from None
        names = ("fields",) if one is not None else query.COLLECTION_PARAMETERS
        query.refuse_empty(request.GET.lists(), names)
        with transaction.atomic():
            collection = build(view, *args)
            known = frozenset(FIELDS[collection.type])
            selection = query.parse_fields(request.GET.getlist("fields"), known)
            ctx = _context(request, view)
            if one is not None:
                page = serve_one(collection, view, one, selection, ctx)
                _record(request, grant, view, page)
                return _json(page.body)
            req = _request(request, collection.type, selection)
            page = serve_page(collection, view, req, ctx)
            _record(request, grant, view, page)
        response = _json(page.body)
        response["X-Total-Count"] = str(page.total)
        response["Link"] = _links(request, req.paging, page.total)
        return response
    except query.QueryError as error:
        return errors.response(errors.ApiError.from_query(error))
    except errors.ApiError as error:
        return errors.response(error)
    except Exception:  # answered as the binding's 500, never as a page that leaks a trace
        log.exception("rostering request failed: %s", request.path)
        return errors.response(
            errors.ApiError("internal_server_error", "The server could not answer the request.")
        )


def _request(request: HttpRequest, type_: str, selection: tuple[str, ...] | None) -> Request:
    text = request.GET.get("filter")
    tree = query.parse_filter(text) if text else None
    sort, descending = query.parse_sort(
        request.GET.get("sort"), request.GET.get("orderBy"), filters.sortable(type_)
    )
    return Request(
        tree=tree,
        sort=sort,
        descending=descending,
        selection=selection,
        paging=query.parse_paging(request.GET.get("limit"), request.GET.get("offset")),
    )


def _collection(path: str, builder: Builder, accepted: frozenset[str]) -> None:
    names = re.findall(r"{(\w+)}", path)

    def operation(request: HttpRequest, **ids: str) -> HttpResponse:
        return _serve(request, accepted, builder, *(ids[name] for name in names))

    # ninja reads path parameters from the signature: declare them by name.
    operation.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD),
            *(inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, annotation=str) for n in names),
        ],
        return_annotation=HttpResponse,
    )
    operation.__name__ = "op_" + path.strip("/").replace("/", "_").replace("{", "").replace("}", "")
    api.get(path, url_name=operation.__name__)(operation)


def _single(path: str, builder: Builder, accepted: frozenset[str]) -> None:
    def operation(request: HttpRequest, sourcedId: str) -> HttpResponse:
        return _serve(request, accepted, builder, one=sourcedId)

    operation.__name__ = "one_" + path.strip("/").split("/")[0]
    api.get(path, url_name=operation.__name__)(operation)


READ, NESTED, DEMO = sc.READ, sc.NESTED, sc.DEMOGRAPHIC

_TOP: tuple[tuple[str, Builder], ...] = (
    ("/academicSessions", lambda v: paths.sessions(v)),
    ("/classes", lambda v: paths.classes(v)),
    ("/courses", paths.courses),
    ("/enrollments", lambda v: paths.enrollments(v)),
    ("/gradingPeriods", paths.grading_periods),
    ("/orgs", paths.orgs),
    ("/schools", paths.schools),
    ("/students", lambda v: paths.students(v)),
    ("/teachers", lambda v: paths.teachers(v)),
    ("/terms", paths.terms),
    ("/users", paths.users),
)
for _path, _builder in _TOP:
    _collection(_path, _builder, READ)
    _single(_path + "/{sourcedId}", _builder, READ)

_collection("/demographics", paths.demographics, DEMO)
_single("/demographics/{sourcedId}", paths.demographics, DEMO)

_NESTED: tuple[tuple[str, Builder], ...] = (
    ("/classes/{classSourcedId}/students", paths.class_students),
    ("/classes/{classSourcedId}/teachers", paths.class_teachers),
    ("/courses/{courseSourcedId}/classes", paths.course_classes),
    ("/schools/{schoolSourcedId}/classes", paths.school_classes),
    (
        "/schools/{schoolSourcedId}/classes/{classSourcedId}/enrollments",
        paths.school_class_enrollments,
    ),
    ("/schools/{schoolSourcedId}/classes/{classSourcedId}/students", paths.school_class_students),
    ("/schools/{schoolSourcedId}/classes/{classSourcedId}/teachers", paths.school_class_teachers),
    ("/schools/{schoolSourcedId}/courses", paths.school_courses),
    ("/schools/{schoolSourcedId}/enrollments", paths.school_enrollments),
    ("/schools/{schoolSourcedId}/students", paths.school_students),
    ("/schools/{schoolSourcedId}/teachers", paths.school_teachers),
    ("/schools/{schoolSourcedId}/terms", paths.school_terms),
    ("/students/{studentSourcedId}/classes", paths.student_classes),
    ("/teachers/{teacherSourcedId}/classes", paths.teacher_classes),
    ("/terms/{termSourcedId}/classes", paths.term_classes),
    ("/terms/{termSourcedId}/gradingPeriods", paths.term_grading_periods),
    ("/users/{userSourcedId}/classes", paths.user_classes),
    # Not in the 1EdTech document; in the 1.2 information model (issue #7 item 3).
    ("/users/{userSourcedId}/agents", paths.user_agents),
    ("/users/{userSourcedId}/agentFor", paths.user_agent_for),
)
for _path, _builder in _NESTED:
    _collection(_path, _builder, NESTED)
