"""Privacy-office pages for access: the break-glass review queue, "who can see this
student", and the role → scope policy editor (issue #4 items 3 and 4)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from steward.access import actions, service
from steward.access.explain import Namer
from steward.access.forms import PolicyForm, ReviewForm, StudentLookupForm
from steward.access.loader import current_policy
from steward.access.models import BreakGlassGrant, PolicyRevision
from steward.access.policy import Policy, Rule
from steward.access.views import SCOPE_LABELS
from steward.audit import queries
from steward.audit.ledger import actor_of, record, request_context
from steward.audit.models import Action
from steward.officer.views import privacy_office_only
from steward.roster.models import Staff, Student

QUEUE_LIMIT = 200
TRANSPARENCY_PURPOSE = "access transparency review"
LOOKUP_PURPOSE = "access transparency lookup"


@privacy_office_only
@require_GET
def break_glass_queue(request: HttpRequest) -> HttpResponse:
    """Grants awaiting review (oldest first), then the most recent reviewed ones."""
    base = BreakGlassGrant.objects.select_related("staff", "student", "reviewed_by")
    pending = list(base.filter(outcome=BreakGlassGrant.Outcome.PENDING).order_by("opened_at"))
    reviewed = list(
        base.exclude(outcome=BreakGlassGrant.Outcome.PENDING).order_by("-reviewed_at")[:QUEUE_LIMIT]
    )
    now = timezone.now()
    return render(
        request,
        "access/officer/break_glass_queue.html",
        {"pending": pending, "reviewed": reviewed, "now": now},
    )


@privacy_office_only
@require_http_methods(["GET", "POST"])
def break_glass_review(request: HttpRequest, pk: int) -> HttpResponse:
    """One grant, with the reads made under it, and the review form."""
    grant = get_object_or_404(
        BreakGlassGrant.objects.select_related("staff", "student", "user", "reviewed_by"), pk=pk
    )
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_review_break_glass(
                grant=grant,
                user=request.user,
                justified=form.cleaned_data["finding"] == "justified",
                note=form.cleaned_data["note"],
                close=form.cleaned_data["close"],
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            return redirect("officer-break-glass")
    # The reads made under the grant: this user's read entries about this student while open.
    opened_us = int(grant.opened_at.timestamp() * 1_000_000)
    ended = grant.closed_at or grant.expires_at
    reads = list(
        queries.search(student=grant.student_id, actor_user_id=grant.user_id, action=Action.READ)
        .filter(at_us__gte=opened_us, at_us__lt=int(ended.timestamp() * 1_000_000))
        .order_by("seq")
        .only("seq", "at_us", "scopes")[:500]
    )
    return render(
        request,
        "access/officer/break_glass_review.html",
        {
            "grant": grant,
            "form": form,
            "scopes": [SCOPE_LABELS.get(s, s) for s in grant.scopes],
            "is_open": grant.is_open(timezone.now()),
            "reads": reads,
        },
        status=400 if form.errors else 200,
    )


@privacy_office_only
@require_GET
def access_lookup(request: HttpRequest) -> HttpResponse:
    """Find a student by number or name, to open "who can see this student"."""
    form = StudentLookupForm(request.GET or None)
    found: list[Student] = []
    if form.is_valid():
        text = form.cleaned_data["q"].strip()
        students = Student.objects.all()
        for word in text.split()[:4]:
            students = students.filter(
                Q(identifier__iexact=word)
                | Q(sourced_id__iexact=word)
                | Q(given_name__icontains=word)
                | Q(family_name__icontains=word)
            )
        found = list(students.order_by("family_name", "given_name", "pk")[:50])
        if found:
            # Names, numbers and grades of the students listed: a directory read, logged.
            record(
                action=Action.READ,
                **actor_of(request.user),
                **request_context(request),
                students=[s.pk for s in found],
                scopes=["directory"],
                purpose=LOOKUP_PURPOSE,
                legitimate_interest="privacy office finding a student to review who may access it",
                detail={"query": text[:100]},
            )
    return render(request, "access/officer/lookup.html", {"form": form, "found": found})


@privacy_office_only
@require_GET
def who_can_see(request: HttpRequest, pk: int) -> HttpResponse:
    """Every staff member who may see each part of one student's record today, and why.

    Showing it is itself a read of the student's directory information: one ledger entry.
    """
    student = Student.objects.filter(pk=pk).first()
    if student is None:
        raise Http404
    at = timezone.localdate()
    overview = service.access_overview(pk, at=at)
    namer = Namer.for_grants(
        g for by_staff in overview.values() for gs in by_staff.values() for g in gs
    )
    staff_ids = {staff for by_staff in overview.values() for staff in by_staff}
    names = {
        s.pk: s.display_name
        for s in Staff.objects.filter(pk__in=staff_ids).only(
            "pk", "given_name", "preferred_given_name", "family_name"
        )
    }
    rows = []
    for staff in sorted(staff_ids, key=lambda s: (names.get(s, ""), s)):
        parts = [
            (SCOPE_LABELS.get(scope, scope), [namer.grant(g) for g in by_staff[staff]])
            for scope, by_staff in sorted(overview.items())
            if staff in by_staff
        ]
        rows.append((names.get(staff, str(staff)), parts))
    record(
        action=Action.READ,
        **actor_of(request.user),
        **request_context(request),
        students=[pk],
        scopes=["directory"],
        purpose=TRANSPARENCY_PURPOSE,
        legitimate_interest="privacy office reviewing who may access the record",
    )
    return render(
        request, "access/officer/who_can_see.html", {"student": student, "rows": rows, "at": at}
    )


def _policy_from(form: PolicyForm) -> Policy:
    rules = []
    for number, rule in enumerate(form.rules):
        grace = form.cleaned_data.get(f"grace_{number}", rule.grace_days)
        rules.append(
            Rule(
                rule.relation,
                frozenset(form.cleaned_data[f"rule_{number}"]),
                rule.qualifier,
                grace if rule.relation == "section" else 0,
                rule.label,
            )
        )
    return Policy(rules)


@privacy_office_only
@require_http_methods(["GET", "POST"])
def policy(request: HttpRequest) -> HttpResponse:
    """Edit which record parts each relationship grants; every change goes to the ledger."""
    rules = list(current_policy().rules)
    form = PolicyForm(request.POST or None, rules=rules)
    if request.method == "POST" and form.is_valid():
        actions.do_set_policy(
            policy=_policy_from(form),
            user=request.user,
            note=form.cleaned_data["note"],
            request=request,
        )
        return redirect("officer-access-policy")
    history = list(PolicyRevision.objects.select_related("changed_by").order_by("-pk")[:20])
    context: dict[str, Any] = {"form": form, "history": history}
    return render(
        request, "access/officer/policy.html", context, status=400 if form.errors else 200
    )
