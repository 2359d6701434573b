"""imsx status bodies for the rostering API (1EdTech `imsx_StatusInfoDType`).

Every error the service returns is one `ApiError`, rendered by `response()` as::

    {"imsx_codeMajor": "failure", "imsx_severity": "error",
     "imsx_description": "...",
     "imsx_CodeMinor": {"imsx_codeMinorField": [
         {"imsx_codeMinorFieldName": "TargetEndSystem", "imsx_codeMinorFieldValue": "..."}]}}

with the HTTP status the binding pairs with each code minor. Descriptions are in English on
purpose: they are read by the vendor's engineers and logs, not by families.
"""

from __future__ import annotations

import json

from django.http import HttpResponse

from steward.rostering.query import QueryError

# The HTTP status of each imsx code minor (OpenAPI document, responses of every operation).
STATUS = {
    "invalid_filter_field": 400,
    "invalid_selection_field": 400,
    "invaliddata": 400,
    "unauthorisedrequest": 401,
    "forbidden": 403,
    "unknownobject": 404,
    "server_busy": 429,
    "internal_server_error": 500,
}


class ApiError(Exception):
    """An error answered with an imsx status body. `headers` are added to the response."""

    def __init__(
        self, code: str, description: str, *, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.status = STATUS[code]
        self.headers = headers or {}

    @classmethod
    def from_query(cls, error: QueryError) -> ApiError:
        return cls(error.code, str(error))


def unauthorised(description: str) -> ApiError:
    # RFC 6750 §3: a 401 names the scheme the client must use.
    return ApiError(
        "unauthorisedrequest",
        description,
        headers={"WWW-Authenticate": 'Bearer realm="oneroster", error="invalid_token"'},
    )


def not_found(kind: str) -> ApiError:
    """The one answer for an object that is unknown or outside the plan: the two are never
    told apart, so a vendor cannot learn that a student it may not see exists (R39)."""
    return ApiError("unknownobject", f"No {kind} with that sourcedId.")


def body(code: str, description: str) -> dict[str, object]:
    return {
        "imsx_codeMajor": "failure",
        "imsx_severity": "error",
        "imsx_description": description,
        "imsx_CodeMinor": {
            "imsx_codeMinorField": [
                {"imsx_codeMinorFieldName": "TargetEndSystem", "imsx_codeMinorFieldValue": code}
            ]
        },
    }


def response(error: ApiError) -> HttpResponse:
    answer = HttpResponse(
        json.dumps(body(error.code, error.description)),
        status=error.status,
        content_type="application/json",
    )
    for name, value in error.headers.items():
        answer[name] = value
    answer["Cache-Control"] = "no-store"
    return answer
