"""Fuzzing the OneRoster 1.2 rostering API with schemathesis (#10 item 5; R33, R116(1)(4)).

The API serves no OpenAPI document of its own (`openapi_url=None`: django-ninja's would list
the paths with no parameters, security or responses); it follows 1EdTech's document, so that
is what is fuzzed, with the two operations Steward adds (`/users/{id}/agents`, `agentFor`)
described the way the document describes `/users/{id}/classes`. A test keeps the two in step:
a route the API serves that the fuzzed document lacks fails the build.

Each operation gets `CASES_PER_OPERATION` cases, in-process through the WSGI application, on a
small district with two active agreements: Acme (every scope, real sourcedIds) and Beta (the
core scope only, pseudonymous sourcedIds). A case is one of: schemathesis' own positive
case, its negative case, or a case aimed past the parser (real ids in the path, grammatical
filters with hostile values: `test_fuzz_strategies`). Each goes out as Acme, Beta, with no
token, with an unknown token or with the wrong scheme. Every response must be no 5xx, conform
to the document (status, content type, headers, body), refuse no well-formed request with
400, and answer every request without a valid token with 401. Hypothesis is derandomized:
CI sees the same cases every run.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, Phase, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import response_schema_conformance

from steward.audit.verify import verify_ledger
from steward.roster.models import Section
from steward.rostering import api as rostering_api
from tests.rostering import schema as oneroster
from tests.security.test_fuzz_strategies import path_ids, queries, type_of
from tests.security.test_fuzz_world import (
    Identity,
    Loopback,
    build_fuzz_world,
    check_case,
    in_process,
)

BASE = "/ims/oneroster/rostering/v1p2"
CASES_PER_OPERATION = 40
MINIMUM_CASES = 1000
EXTENSIONS = {
    "/users/{userSourcedId}/agents": "getAgentsForUser",
    "/users/{userSourcedId}/agentFor": "getAgentForOfUser",
}


@pytest.fixture
def fuzz_world(db: None, client: Client, settings: Any) -> SimpleNamespace:
    return build_fuzz_world(client, settings)


def fuzzed_document() -> dict[str, Any]:
    """1EdTech's document, served from this host, plus Steward's two extension operations."""
    document = copy.deepcopy(oneroster.document())
    document["servers"] = [{"url": "http://localhost" + BASE}]
    model = document["paths"]["/users/{userSourcedId}/classes"]["get"]
    users = document["paths"]["/users"]["get"]["responses"]["200"]
    for path, operation_id in EXTENSIONS.items():
        operation = copy.deepcopy(model)
        operation["operationId"] = operation_id
        operation["responses"]["200"] = copy.deepcopy(users)
        operation["responses"]["200"]["links"] = {}
        document["paths"][path] = {"get": operation}
    return document


def _identities(world: Any) -> st.SearchStrategy[Identity]:
    # Authenticated cases are the most numerous: they are the ones that reach the handlers.
    return st.sampled_from([world.acme, world.acme, world.acme, world.beta, world.beta,
                            *world.strangers])  # fmt: skip


def _cases(operation: Any, world: Any) -> st.SearchStrategy[tuple[Any, Identity]]:
    """(case, identity): schemathesis positive / negative, or aimed past the parser."""
    type_ = type_of(operation.path)
    names = [parameter.name for parameter in operation.path_parameters]
    single = operation.path.endswith("{sourcedId}")

    def aimed(who: Identity) -> st.SearchStrategy[Any]:
        ids = path_ids(who.ids_for(operation.path, "sourcedId"))
        params = st.fixed_dictionaries(
            {name: path_ids(who.ids_for(operation.path, name)) for name in names}
        )
        wanted = queries(type_, ids)
        if single:
            wanted = wanted.map(lambda q: {k: v for k, v in q.items() if k == "fields"})
        return st.tuples(params, wanted).flatmap(
            lambda pq: operation.as_strategy(path_parameters=pq[0], query=pq[1])
        )

    def for_identity(who: Identity) -> st.SearchStrategy[tuple[Any, Identity]]:
        generated = st.one_of(
            operation.as_strategy(),
            operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
            aimed(who),
            aimed(who),
        )
        return generated.map(lambda case: (case, who))

    return _identities(world).flatmap(for_identity)


@dataclass
class Tally:
    """What the fuzzer sent and what came back."""

    cases: Counter[str] = field(default_factory=Counter)
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    def failed(self, text: str) -> None:
        self.failures.append(text)

    def summary(self) -> str:
        """Each kind of failure once (its first example), with how often it happened."""
        kinds: Counter[str] = Counter()
        first: dict[str, str] = {}
        for text in self.failures:
            kind = next((line for line in text.splitlines() if line.startswith("- ")), text[:90])
            kinds[kind] += 1
            first.setdefault(kind, text)
        return "\n".join(f"[{n}x] {kind}\n{first[kind]}" for kind, n in kinds.most_common())


# The document types filter, sort and fields as free strings; the binding gives them a grammar
# and lists 400 (invalid_filter_field, invalid_selection_field) as their refusal. A 400 is
# accepted here only when check_case finds it names one of those and a query parameter was
# sent (a well-formed request refused with 400 still fails).
ACCEPTED_FOR_VALID_DATA = ["2xx", "400", "401", "403", "404"]
CONFIG = schemathesis.Config.from_dict(
    {"checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED_FOR_VALID_DATA}}}
)
SETTINGS = hypothesis_settings(
    max_examples=CASES_PER_OPERATION,
    derandomize=True,  # the same cases on every run: CI is stable, a failure reproduces
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def golden(operation: Any, world: SimpleNamespace) -> tuple[Any, Identity] | None:
    """One well-formed case as Acme with ids that exist and belong together (a class and its
    own school), sent first: the generated cases draw ids from pools whose contents depend on
    what else the test database holds, so without it whether a nested path is ever answered
    200 would depend on the run."""
    who = world.acme
    params = {}
    for parameter in operation.path_parameters:
        ids = sorted(who.ids_for(operation.path, parameter.name))
        if not ids:
            return None
        params[parameter.name] = ids[0]
    if "schoolSourcedId" in params and "classSourcedId" in params:
        section = Section.objects.select_related("school").get(sourced_id=params["classSourcedId"])
        params["schoolSourcedId"] = section.school.sourced_id
    return operation.Case(path_parameters=params), who


def fuzz(operation: Any, world: SimpleNamespace, app: Loopback, tally: Tally) -> None:
    """Send one operation's cases; every failure is collected, none stops the run."""

    @given(pair=_cases(operation, world))
    @SETTINGS
    def run(pair: tuple[Any, Identity]) -> None:
        case, who = pair
        case.headers = {**(case.headers or {}), **who.headers}
        response = case.call(app=app)
        tally.cases[operation.path] += 1
        tally.statuses[(operation.path, response.status_code)] += 1
        # A `fields` selection leaves out required fields, which the binding allows and the
        # document's schemas do not model: check_case validates those bodies leniently.
        selected = "fields" in (case.query or {})
        try:
            case.validate_response(
                response,
                excluded_checks=[response_schema_conformance] if selected else None,
                transport_kwargs={"app": app},
            )
        except FailureGroup as group:
            tally.failed(f"{who.name}: {group}")
        for problem in check_case(case, response, who):
            tally.failed(f"{who.name}: {problem}")

    first = golden(operation, world)
    if first is not None:
        run = example(pair=first)(run)
    with in_process():
        run()


@pytest.mark.slow
def test_the_rostering_api_survives_fuzzing_with_no_5xx_and_no_schema_violation(
    fuzz_world: SimpleNamespace, record_property: Callable[[str, object], None]
) -> None:
    document = fuzzed_document()
    schema = schemathesis.openapi.from_dict(document, config=CONFIG)
    app = Loopback()
    tally = Tally()
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result  # the document itself is well-formed
        fuzz(result.ok(), fuzz_world, app, tally)

    total = sum(tally.cases.values())
    by_status: Counter[int] = Counter()
    for (_path, status), n in tally.statuses.items():
        by_status[status] += n
    answered = {path for (path, status) in tally.statuses if status == 200}
    record_property(  # printed at the end of the run (tests/security/load_report.py)
        "figures: OneRoster API fuzz",
        f"{total} cases over {len(tally.cases)} operations, by status "
        + ", ".join(f"{status}: {n}" for status, n in sorted(by_status.items())),
    )
    assert not tally.failures, f"{len(tally.failures)} failures:\n{tally.summary()}"
    assert total >= MINIMUM_CASES
    assert set(tally.cases) == set(document["paths"])
    assert answered == set(document["paths"]), "every operation reached its handler"
    assert not [key for key in tally.statuses if key[1] >= 500]
    assert verify_ledger().ok, "every disclosure the fuzzer caused is in an intact ledger"


def test_the_fuzzed_document_has_every_operation_the_api_serves() -> None:
    served = {
        path.removeprefix(BASE)
        for path in rostering_api.api.get_openapi_schema(path_prefix=BASE)["paths"]
    }
    assert served == set(fuzzed_document()["paths"])
