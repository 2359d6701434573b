"""Who may open the vendor pages.

- The privacy office (privacy officers and superusers): everything, through
  `steward.officer.views.privacy_office_only`.
- Staff with a roster staff link: the list of apps they may use, and their own app requests.
- Vendor contacts (an `Account` with the vendor role): their own vendor's agreements only.

Anonymous visitors are sent to the login page; any other signed-in role gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from steward.accounts import selectors
from steward.accounts.models import Account
from steward.vendors.models import VendorContact

View = Callable[..., HttpResponseBase]


def account_of(request: HttpRequest) -> Account | None:
    return selectors.account_of(request.user)


def is_privacy_office(request: HttpRequest) -> bool:
    return selectors.is_privacy_office(request.user)


def staff_only(view: View) -> View:
    """Signed-in staff with a roster staff record (teachers, counselors, nurses, principals,
    special-education staff) and the privacy office; anonymous → login, others → 403."""

    @login_required
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        account = account_of(request)
        if not is_privacy_office(request) and (account is None or account.staff_id is None):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return guarded


def vendor_contact_of(request: HttpRequest) -> VendorContact:
    """The signed-in vendor contact; anyone else gets 403."""
    account = account_of(request)
    if account is None or account.role != Account.Role.VENDOR or account.vendor_contact is None:
        raise PermissionDenied
    return account.vendor_contact


def vendor_contact_only(view: View) -> View:
    """Vendor contacts only; the view receives `contact` (a VendorContact) as a keyword."""

    @login_required
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return view(request, *args, contact=vendor_contact_of(request), **kwargs)

    return guarded
