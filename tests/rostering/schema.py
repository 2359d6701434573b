"""Validation of responses against the 1EdTech OneRoster 1.2 rostering OpenAPI document.

The document is read from `../shared/data/` beside the repository, as its licence note asks
(it is not copied into the project). OpenAPI 3.0 schemas are validated with jsonschema's
Draft 4 rules (3.0 schema objects are a Draft 4 dialect), with the document's components
resolvable by `$ref`; formats (date, date-time) are checked too.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

import jsonschema

DOCUMENT = (
    Path(__file__).resolve().parents[2].parent
    / "shared"
    / "data"
    / "oneroster-1.2-rostering-openapi.json"
)
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@functools.cache
def document() -> dict[str, Any]:
    return json.loads(DOCUMENT.read_text(encoding="utf-8"))


def _formats() -> jsonschema.FormatChecker:
    checker = jsonschema.FormatChecker(formats=())
    checker.checks("date-time")(
        lambda value: not isinstance(value, str) or bool(_DATETIME.match(value))
    )
    checker.checks("date")(lambda value: not isinstance(value, str) or bool(_DATE.match(value)))
    checker.checks("uri")(lambda value: not isinstance(value, str) or value.startswith("http"))
    return checker


def validate(body: Any, component: str, *, partial: bool = False) -> None:
    """Raise jsonschema.ValidationError unless `body` is a valid `component` (e.g.
    "UserSetDType"). `partial`: the `fields` parameter was used, so required fields may be
    missing (every other rule still holds)."""
    components = document()["components"]
    if partial:
        components = json.loads(json.dumps(components))
        for schema in components["schemas"].values():
            schema.pop("required", None)
    schema = {"$ref": f"#/components/schemas/{component}", "components": components}
    jsonschema.Draft4Validator(schema, format_checker=_formats()).validate(body)


def response_component(path: str) -> str:
    """The 200 response's component name for an OpenAPI path (e.g. "/users/{sourcedId}")."""
    ref = document()["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    return str(ref["schema"]["$ref"]).rsplit("/", 1)[-1]
