"""The answer for paths under the rostering service that no operation serves.

Without it Django answers such a path (`/users/a/b`: an id holding a slash, a typo in a
vendor's client) with the site's HTML 404 page, which a OneRoster client cannot read and the
binding does not allow (found by the API fuzzer, #10 item 5). Here the caller authenticates
first, as on every operation, so a stranger learns nothing about which paths exist: 401
without a valid token, then the imsx 404.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from steward.rostering import auth, errors


@csrf_exempt  # no session, no cookies: a bearer token or nothing, as on every operation
def unknown_path(request: HttpRequest, rest: str = "") -> HttpResponse:
    """401 for a missing or bad token (429 over the rate limit), else 404, as imsx JSON."""
    try:
        auth.authenticate(request)
        raise errors.ApiError("unknownobject", "The service has no operation at this path.")
    except errors.ApiError as error:
        return errors.response(error)
