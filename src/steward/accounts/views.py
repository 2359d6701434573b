"""Home pages: one template per role, filled by the selectors (no queries in templates)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from steward.accounts import selectors
from steward.accounts.models import Account
from steward.roster.models import Caseload

Role = Account.Role
Context = dict[str, Any]


def _privacy_officer(account: Account, at: datetime.date) -> Context:
    return {"schools": selectors.district_schools(at)}


def _principal(account: Account, at: datetime.date) -> Context:
    schools = selectors.principal_schools(account.staff, at)
    return {"schools": schools, "school_sections": selectors.sections_by_school(schools)}


def _teacher(account: Account, at: datetime.date) -> Context:
    return {
        "schools": selectors.staff_schools(account.staff, at),
        "sections": selectors.taught_sections(account.staff, at),
    }


def _special_education(account: Account, at: datetime.date) -> Context:
    kind = Caseload.Kind.SPECIAL_EDUCATION
    return _teacher(account, at) | {
        "caseload_size": selectors.caseload_size(account.staff, at, kind)
    }


def _counselor(account: Account, at: datetime.date) -> Context:
    kind = Caseload.Kind.COUNSELOR
    return _teacher(account, at) | {
        "caseload_size": selectors.caseload_size(account.staff, at, kind)
    }


def _nurse(account: Account, at: datetime.date) -> Context:
    return {"schools": selectors.staff_schools(account.staff, at)}


def _guardian(account: Account, at: datetime.date) -> Context:
    assert account.guardian is not None  # the guardian_account_has_guardian constraint
    return {"children": selectors.guardian_children(account.guardian, at)}


PAGES: dict[str, tuple[str, Callable[[Account, datetime.date], Context]]] = {
    Role.PRIVACY_OFFICER: ("accounts/home_privacy_officer.html", _privacy_officer),
    Role.PRINCIPAL: ("accounts/home_principal.html", _principal),
    Role.TEACHER: ("accounts/home_teacher.html", _teacher),
    Role.SPECIAL_EDUCATION: ("accounts/home_special_education.html", _special_education),
    Role.COUNSELOR: ("accounts/home_counselor.html", _counselor),
    Role.NURSE: ("accounts/home_nurse.html", _nurse),
    Role.GUARDIAN: ("accounts/home_guardian.html", _guardian),
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in user's home page; the `Account.role` picks the template and the data."""
    account = selectors.account_for(request.user)
    if account is not None and account.role == Account.Role.STUDENT:
        return redirect("portal-home")  # a student's own login: the portal is their home
    if account is not None and account.role == Account.Role.VENDOR:
        return redirect("vendors-portal-home")  # a provider's contact: their agreements
    if account is None or account.role not in PAGES:
        return render(request, "accounts/home_no_role.html")
    template, build = PAGES[account.role]
    today = timezone.localdate()
    context = {"account": account, "today": today} | build(account, today)
    return render(request, template, context)
