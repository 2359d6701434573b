"""The registry round-trips without loss (issue #6 acceptance, R113): export → import into an
empty database → export gives the same CSV and the same JSON, for generated registries
(hypothesis) and for the awkward cases spreadsheets meet: commas, quotes, newlines, formula
characters, non-ASCII names.

Each step runs in a savepoint that is rolled back, so every import starts from an empty
registry, like another district's Steward would.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steward.bases import FerpaBasis, MassachusettsBasis
from steward.catalog.elements import EXHIBIT_B
from steward.roster.models import Org
from steward.vendors import sdpc
from steward.vendors.actions.sdpc_import import do_import_registry
from steward.vendors.models import Agreement, AgreementKind, AgreementStatus, Template, Vendor
from tests.web import factories as f

from . import factories_public as fp

ALL_ELEMENTS = [(c, e) for c, names in EXHIBIT_B.items() for e in names]


@dataclass
class Spec:
    """One generated agreement: this district's (with a stored PDF) or an imported one."""

    vendor: str
    products: list[str]
    title: str
    kind: str
    status: str
    ferpa: str
    ma: str
    template: str
    start: dt.date | None
    days: int | None
    signed_on: dt.date | None
    elements: list[tuple[str, str]]
    offered: bool
    expires: dt.date | None
    external: bool
    lea: str


# Text a district might type: any letters, digits, punctuation, spaces and newlines, but no
# control characters (PostgreSQL refuses NUL) and no surrounding blanks (a required name of
# only spaces is refused by the import, as it should be).
text = st.text(
    st.characters(blacklist_categories=["Cs", "Cc"]) | st.sampled_from(",\";'\n=+-@"),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() != "")
names = st.text(
    st.characters(blacklist_categories=["Cs", "Cc", "Zl", "Zp"]) | st.sampled_from(",\"'=-"),
    min_size=1,
    max_size=20,
).filter(lambda s: s.strip() != "")
dates = st.dates(dt.date(2015, 1, 1), dt.date(2035, 12, 31))
specs = st.builds(
    Spec,
    vendor=names,
    products=st.lists(names, max_size=3, unique=True),
    title=text,
    kind=st.sampled_from(AgreementKind.values),
    status=st.sampled_from(AgreementStatus.values),
    ferpa=st.sampled_from(["", *FerpaBasis.values]),
    ma=st.sampled_from(["", *MassachusettsBasis.values]),
    template=st.sampled_from(["", *Template.values]),
    start=st.none() | dates,
    days=st.none() | st.integers(0, 2000),
    signed_on=st.none() | dates,
    elements=st.lists(st.sampled_from(ALL_ELEMENTS), max_size=6, unique=True),
    offered=st.booleans(),
    expires=st.none() | dates,
    external=st.booleans(),
    lea=names,
)


def build(registry: list[Spec]) -> None:
    """The generated registry in the database (this district is "Model District")."""
    f.org(f.import_run(), fp.DISTRICT, Org.Type.DISTRICT)
    vendors: dict[str, Vendor] = {}
    for n, spec in enumerate(registry):
        vendor = vendors.get(spec.vendor) or fp.vendor(spec.vendor)
        vendors[spec.vendor] = vendor
        products = [
            vendor.products.filter(name=name).first() or fp.product(vendor, name)
            for name in spec.products
        ]
        external: dict[str, Any] = {}
        if spec.external and spec.lea.strip().casefold() != fp.DISTRICT.casefold():
            external = {
                "external": True,
                "lea_name": spec.lea,
                "registry_id": f"R-{n}",
                "registry_document_sha256": f"{n:064x}",
                "signed": False,
            }
        end = spec.start + dt.timedelta(days=spec.days) if spec.start and spec.days else None
        fp.agreement(
            vendor,
            products,
            title=spec.title,
            kind=spec.kind,
            status=spec.status,
            ferpa_basis=spec.ferpa,
            ma_basis=spec.ma,
            template=spec.template,
            start_date=spec.start,
            end_date=end,
            signed_on=spec.signed_on,
            data_elements=[list(pair) for pair in spec.elements],
            exhibit_e_offered=spec.offered,
            exhibit_e_expires=spec.expires,
            **external,
        )


def exported() -> tuple[str, str]:
    registry = sdpc.entries(sdpc.all_agreements())
    return sdpc.as_csv(registry), sdpc.as_json(registry)


def in_savepoint(step: Callable[[], Any]) -> Any:
    """Run `step` and roll back what it wrote."""
    with transaction.atomic():
        result = step()
        transaction.set_rollback(True)
    return result


def assert_round_trip(registry: list[Spec], user: User) -> None:
    def first_district() -> tuple[str, str]:
        build(registry)
        return exported()

    csv_text, json_text = in_savepoint(first_district)
    for data, name in ((csv_text, "registry.csv"), (json_text, "registry.json")):

        def reimport(data: str = data, name: str = name) -> tuple[str, str]:
            assert not Agreement.objects.exists()
            do_import_registry(data.encode(), name, user=user)
            return exported()

        assert in_savepoint(reimport) == (csv_text, json_text), name


@pytest.fixture
def officer(db: None) -> User:
    return f.login("officer", "privacy_officer")


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(registry=st.lists(specs, max_size=5))
def test_generated_registries_round_trip_through_csv_and_json(
    officer: User, registry: list[Spec]
) -> None:
    assert_round_trip(registry, officer)


def spec(**changes: Any) -> Spec:
    base = Spec(
        vendor="Acme Learning",
        products=["Acme Reader"],
        title="Acme DPA",
        kind=AgreementKind.SCHOOL_OFFICIAL_DPA,
        status=AgreementStatus.ACTIVE,
        ferpa="A1",
        ma="school_official",
        template=Template.NDPA_V1,
        start=dt.date(2025, 7, 1),
        days=365,
        signed_on=dt.date(2025, 6, 30),
        elements=[("Student Name", "First and/or last")],
        offered=True,
        expires=dt.date(2028, 6, 30),
        external=False,
        lea="",
    )
    for name, value in changes.items():
        setattr(base, name, value)
    return base


@pytest.mark.parametrize(
    "registry",
    [
        [spec(vendor="Smith, Jones & Co.", title='The "Reader", v2')],
        [spec(title="Line one\nline two\r\nline three", products=["A, B", 'Say "hi"'])],
        [spec(vendor="École Numérique Zoë Ngô", products=["Lecture à voix haute", "数学"])],
        [spec(vendor="=cmd|' /C calc'!A0", title="+1", products=["-minus", "@at", "'quote"])],
        [spec(products=[]), spec(vendor="Other", products=[], external=True, lea="Désir ISD")],
        [spec(elements=[(c, e) for c, names in EXHIBIT_B.items() for e in names])],
        [spec(start=None, days=None, signed_on=None, expires=None, ferpa="", template="")],
    ],
    ids=["commas-quotes", "newlines", "non-ascii", "formulas", "no-products", "all-b", "blanks"],
)
def test_awkward_registries_round_trip(officer: User, registry: list[Spec]) -> None:
    assert_round_trip(registry, officer)
