"""The catalog as JSON and CSV: the public downloads and `steward catalog export`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from steward.catalog import export
from steward.catalog.elements import ELEMENTS, SCOPES, Element


def test_the_json_download_lists_every_scope_and_element_in_catalog_order(
    client: Client, db: None
) -> None:
    response = client.get("/privacy/data.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(response.content)
    assert data["format_version"] == 1
    assert [s["key"] for s in data["scopes"]] == [s.key for s in SCOPES]
    assert [e["key"] for e in data["elements"]] == [e.key for e in ELEMENTS]
    birth = next(e for e in data["elements"] if e["key"] == "roster.StudentDemographics.birth_date")
    assert birth == {
        "key": "roster.StudentDemographics.birth_date",
        "model": "roster.StudentDemographics",
        "field": "birth_date",
        "scope": "demographics",
        "scope_label": "Demographics",
        "label": "Date of birth",
        "data_class": "student_information",
        "sensitivity": "moderate",
        "ma_part": "transcript",
        "ma_directory": True,
        "exhibit_b_category": "Demographics",
        "exhibit_b_element": "Date of birth",
        "purpose": birth["purpose"],
        "legal_basis": birth["legal_basis"],
    }
    assert list(birth) == list(export.COLUMNS)


def test_the_csv_download_has_the_stable_columns_and_one_row_per_element(
    client: Client, db: None
) -> None:
    response = client.get("/privacy/data.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="steward-data-catalog.csv"'
    reader = csv.DictReader(io.StringIO(response.content.decode()))
    assert tuple(reader.fieldnames or ()) == export.COLUMNS
    rows = list(reader)
    assert [r["key"] for r in rows] == [e.key for e in ELEMENTS]
    iep = next(r for r in rows if r["key"] == "roster.SpecialIndicators.iep")
    assert iep["sensitivity"] == "high"
    assert iep["ma_directory"] == "false"
    assert iep["exhibit_b_element"] == "Specialized education services (IEP or 504)"


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_a_csv_cell_that_looks_like_a_formula_is_quoted(
    monkeypatch: pytest.MonkeyPatch, start: str
) -> None:
    risky = Element(
        model="roster.Student",
        field="given_name",
        scope="directory",
        label=f"{start}HYPERLINK(1)",  # type: ignore[arg-type]
        purpose="A purpose.",  # type: ignore[arg-type]
        legal_basis="A basis.",  # type: ignore[arg-type]
        exhibit_b=("Student Name", "First and/or last"),
    )
    monkeypatch.setattr(export, "ELEMENTS", (risky,))
    [row] = list(csv.DictReader(io.StringIO(export.as_csv())))
    assert row["label"] == f"'{start}HYPERLINK(1)"


def test_the_command_prints_json_by_default() -> None:
    out = io.StringIO()
    call_command("catalog", "export", stdout=out)
    assert out.getvalue() == export.as_json()
    assert len(json.loads(out.getvalue())["elements"]) == len(ELEMENTS)


def test_the_command_writes_csv_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "catalog.csv"
    err = io.StringIO()
    call_command("catalog", "export", "--format", "csv", "--out", str(target), stderr=err)
    assert target.read_bytes().decode() == export.as_csv()
    assert str(target) in err.getvalue()


def test_the_command_refuses_an_unknown_format() -> None:
    from django.core.management import CommandError

    with pytest.raises(CommandError):
        call_command("catalog", "export", "--format", "xml")
