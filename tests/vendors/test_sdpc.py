"""The SDPC-style registry (R113): what the export holds, and how an import checks and stores
another district's agreements as external ones that never allow sharing."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from steward.audit.models import Entry as LedgerEntry
from steward.vendors import sdpc
from steward.vendors.actions.sdpc_import import do_import_registry
from steward.vendors.models import Agreement, AgreementStatus, AppStatus, Product, Vendor

from . import factories_public as fp

D = dt.date


@pytest.fixture
def people(db: None) -> SimpleNamespace:
    return fp.people()


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def other_district_csv(*rows: dict[str, str]) -> bytes:
    """A registry file from another district, each row filled with valid defaults."""
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=sdpc.COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                "agreement_id": "1234",
                "lea_name": "Springfield Public Schools",
                "vendor": "Acme Learning",
                "product": "Acme Reader",
                "title": "Acme DPA",
                "kind": "dpa_school_official",
                "status": "active",
                "ferpa_basis": "A1",
                "ma_basis": "school_official",
                "template": "ma_multistate_ndpa",
                "start_date": "2025-07-01",
                "end_date": "2028-06-30",
                "signed_on": "2025-06-20",
                "data_elements": "Student Name: First and/or last; Enrollment: Student grade level",
                "exhibit_e_offered": "true",
                "exhibit_e_expires": "2028-06-20",
                "signed_document_sha256": "ab" * 32,
            }
            | row
        )
    return out.getvalue().encode()


def problems_of(error: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return list(error.value.messages)


# Export ------------------------------------------------------------------------------------


def test_the_export_has_one_entry_per_agreement_and_product(people: SimpleNamespace) -> None:
    reader = fp.product(people.acme, "Acme Reader")
    math = fp.product(people.acme, "Acme Math")
    agreement = fp.agreement(
        people.acme,
        [reader, math],
        title="Acme DPA",
        data_elements=[["Student Name", "First and/or last"], ["Attendance", "Class attendance"]],
        exhibit_e_offered=True,
        exhibit_e_expires=D(2028, 1, 31),
        signed_on=D(2025, 6, 1),
    )
    rows = csv_rows(sdpc.as_csv(sdpc.entries(sdpc.all_agreements())))
    assert [r["product"] for r in rows] == ["Acme Math", "Acme Reader"]
    row = rows[0]
    assert list(row) == list(sdpc.COLUMNS)
    assert row["agreement_id"] == f"steward-{agreement.pk}"
    assert row["lea_name"] == fp.DISTRICT  # this district, from the roster's district org
    assert row["vendor"] == "Acme Learning"
    assert row["status"] == "active" and row["kind"] == "dpa_school_official"
    assert row["ferpa_basis"] == "A1" and row["ma_basis"] == "school_official"
    assert row["data_elements"] == "Student Name: First and/or last; Attendance: Class attendance"
    assert row["exhibit_e_offered"] == "true" and row["exhibit_e_expires"] == "2028-01-31"
    assert row["signed_on"] == "2025-06-01"
    assert row["signed_document_sha256"] == agreement.signed_document.sha256  # type: ignore[union-attr]


def test_the_json_export_has_the_same_keys_and_the_elements_as_a_list(
    people: SimpleNamespace,
) -> None:
    fp.agreement(people.acme, [], title="No products", end_date=None)
    [record] = json.loads(sdpc.as_json(sdpc.entries(sdpc.all_agreements())))
    assert list(record) == list(sdpc.COLUMNS)
    assert record["product"] == ""
    assert record["end_date"] is None
    assert record["exhibit_e_offered"] is False
    assert record["data_elements"] == [{"category": "Student Name", "element": "First and/or last"}]


def test_the_public_export_leaves_out_drafts_and_other_districts_agreements(
    people: SimpleNamespace,
) -> None:
    fp.agreement(people.acme, title="Draft", status=AgreementStatus.DRAFT)
    fp.agreement(people.acme, title="Imported", external=True, registry_id="9", lea_name="Other")
    fp.agreement(people.acme, title="Signed")
    fp.agreement(people.globex, title="Ended", status=AgreementStatus.DISPOSITION_CERTIFIED)
    public = {e.title for e in sdpc.entries(sdpc.public_agreements())}
    assert public == {"Signed", "Ended"}
    assert {e.title for e in sdpc.entries(sdpc.all_agreements())} == {
        "Draft",
        "Imported",
        "Signed",
        "Ended",
    }


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted(people: SimpleNamespace) -> None:
    fp.agreement(fp.vendor("=HYPERLINK(1)"), title="'quoted")
    text = sdpc.as_csv(sdpc.entries(sdpc.all_agreements()))
    [row] = csv_rows(text)
    assert row["vendor"] == "'=HYPERLINK(1)"
    assert row["title"] == "''quoted"


def test_the_export_costs_three_queries_however_many_agreements(
    people: SimpleNamespace, django_assert_num_queries: object
) -> None:
    for n in range(5):
        fp.agreement(people.acme, [fp.product(people.acme, f"App {n}")])
    with django_assert_num_queries(3):  # type: ignore[operator]
        assert len(sdpc.entries(sdpc.all_agreements())) == 5


# Parsing -----------------------------------------------------------------------------------


def test_a_valid_file_parses_into_entries() -> None:
    [item] = sdpc.parse(other_district_csv({}), "springfield.csv")
    assert item.where == "springfield.csv, line 2"
    assert item.entry.data_elements == (
        ("Student Name", "First and/or last"),
        ("Enrollment", "Student grade level"),
    )
    assert item.entry.exhibit_e_offered is True
    assert item.entry.start_date == D(2025, 7, 1)


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("vendor", "", "required"),
        ("title", "", "required"),
        ("agreement_id", "", "required"),
        ("lea_name", "", "required"),
        ("kind", "contract", "unknown code 'contract'"),
        ("status", "signed", "unknown code 'signed'"),
        ("ferpa_basis", "B7", "unknown code 'B7'"),
        ("template", "ndpa_v9", "unknown code 'ndpa_v9'"),
        ("start_date", "07/01/2025", "not a date in the form YYYY-MM-DD"),
        ("end_date", "2025-02-30", "not a date in the form YYYY-MM-DD"),
        ("end_date", "2024-01-01", "before the start date"),
        ("exhibit_e_offered", "maybe", "expected true or false"),
        ("data_elements", "Student Name: Nickname", "is not an Exhibit B element"),
        ("data_elements", "Student Name", "is not in the form"),
        ("signed_document_sha256", "abc", "not a SHA-256"),
        ("vendor", "x" * 201, "longer than 200 characters"),
    ],
)
def test_each_bad_value_is_named_by_file_line_and_field(
    field: str, value: str, reason: str
) -> None:
    data = other_district_csv({}, {"agreement_id": "2", field: value})
    with pytest.raises(ValidationError) as error:
        sdpc.parse(data, "springfield.csv")
    [message] = problems_of(error)
    assert message.startswith(f"springfield.csv, line 3, {field}: ")
    assert reason in message


def test_every_problem_is_listed_not_only_the_first() -> None:
    data = other_district_csv({"vendor": ""}, {"agreement_id": "2", "kind": "x", "status": "y"})
    with pytest.raises(ValidationError) as error:
        sdpc.parse(data, "r.csv")
    assert [m.split(":")[0] for m in problems_of(error)] == [
        "r.csv, line 2, vendor",
        "r.csv, line 3, kind",
        "r.csv, line 3, status",
    ]


def test_a_cell_with_a_newline_does_not_shift_the_line_numbers_after_it() -> None:
    data = other_district_csv({"title": "two\nlines"}, {"agreement_id": "2", "kind": "x"})
    with pytest.raises(ValidationError) as error:
        sdpc.parse(data, "r.csv")
    assert problems_of(error)[0].startswith("r.csv, line 4, kind")


def test_missing_and_unknown_columns_are_refused() -> None:
    data = b"agreement_id,vendor,colour\r\n1,Acme,red\r\n"
    with pytest.raises(ValidationError) as error:
        sdpc.parse(data, "r.csv")
    messages = problems_of(error)
    assert "r.csv, line 1, product: missing column" in messages
    assert "r.csv, line 1, colour: unknown column" in messages


def test_entries_of_one_agreement_must_agree() -> None:
    data = other_district_csv({}, {"product": "Acme Math", "status": "expired"})
    with pytest.raises(ValidationError) as error:
        sdpc.parse(data, "r.csv")
    [message] = problems_of(error)
    assert message == (
        "r.csv, line 3, status: differs from r.csv, line 2, an entry of the same agreement"
    )


def test_a_product_listed_twice_for_one_agreement_is_refused() -> None:
    with pytest.raises(ValidationError, match="line 3, product: listed twice"):
        sdpc.parse(other_district_csv({}, {}), "r.csv")


def test_json_problems_name_the_entry_index() -> None:
    record = sdpc.as_record(sdpc.parse(other_district_csv({}), "r.csv")[0].entry)
    data = json.dumps([record, record | {"agreement_id": "2", "exhibit_e_offered": "yes"}])
    with pytest.raises(ValidationError) as error:
        sdpc.parse(data.encode(), "r.json")
    assert problems_of(error) == ["r.json, entry [1], exhibit_e_offered: expected true or false"]


def test_json_that_is_not_a_list_of_complete_objects_is_refused() -> None:
    for data, expected in [
        (b"{}", "r.json, JSON: expected a list of objects"),
        (b"[1]", "r.json, entry [0], entry: expected an object"),
        (b'[{"vendor": "Acme"}]', "r.json, entry [0], agreement_id: missing key"),
        (b"[{", "r.json, line 1, JSON: Expecting property name enclosed in double quotes"),
    ]:
        with pytest.raises(ValidationError) as error:
            sdpc.parse(data, "r.json")
        assert problems_of(error)[0] == expected


def test_a_file_that_is_not_utf8_or_is_empty_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"r.csv, file: not UTF-8 text"):
        sdpc.parse("vendor\nÉcole".encode("latin-1"), "r.csv")
    with pytest.raises(ValidationError, match="the file is empty"):
        sdpc.parse(b"  \n", "r.csv")


def test_a_byte_order_mark_from_a_spreadsheet_is_accepted() -> None:
    assert len(sdpc.parse(b"\xef\xbb\xbf" + other_district_csv({}), "r.csv")) == 1


# Import ------------------------------------------------------------------------------------


def test_another_districts_agreement_is_imported_as_external_and_never_shares(
    people: SimpleNamespace,
) -> None:
    result = do_import_registry(other_district_csv({}), "springfield.csv", user=people.officer)
    [agreement] = Agreement.objects.filter(pk__in=result.created)
    assert agreement.external is True
    assert agreement.status == AgreementStatus.ACTIVE
    assert agreement.allows_sharing is False
    assert agreement.lea_name == "Springfield Public Schools"
    assert agreement.registry_id == "1234"
    assert agreement.registry_document_sha256 == "ab" * 32
    assert agreement.exhibit_e_offered and agreement.exhibit_e_expires == D(2028, 6, 20)
    assert agreement.vendor == people.acme  # an existing vendor is reused by name
    [product] = agreement.products.all()
    assert product.name == "Acme Reader"
    assert product.status == AppStatus.NOT_APPROVED  # not vetted here
    entry = LedgerEntry.objects.latest("seq")
    assert entry.action == "create"
    assert entry.actor_user_id == people.officer.pk
    detail = json.loads(entry.detail)
    assert detail["file"] == "springfield.csv"
    assert detail["agreements_created"] == [agreement.pk]
    assert detail["products_created"] == 1


def test_an_existing_product_keeps_its_registry_status(people: SimpleNamespace) -> None:
    reader = fp.product(people.acme, "Acme Reader", status=AppStatus.APPROVED)
    do_import_registry(other_district_csv({}), "r.csv", user=people.officer)
    reader.refresh_from_db()
    assert reader.status == AppStatus.APPROVED
    assert Product.objects.count() == 1


def test_importing_the_same_registry_again_updates_instead_of_duplicating(
    people: SimpleNamespace,
) -> None:
    first = do_import_registry(other_district_csv({}), "r.csv", user=people.officer)
    again = do_import_registry(other_district_csv({}), "r.csv", user=people.officer)
    assert again.unchanged == first.created and not again.created and not again.updated
    later = do_import_registry(
        other_district_csv({"status": "expired"}), "r.csv", user=people.officer
    )
    assert later.updated == first.created
    assert Agreement.objects.get().status == AgreementStatus.EXPIRED
    assert LedgerEntry.objects.latest("seq").action == "change"


def test_this_districts_own_agreements_are_refused(people: SimpleNamespace) -> None:
    data = other_district_csv({"lea_name": fp.DISTRICT.upper()})
    with pytest.raises(ValidationError) as error:
        do_import_registry(data, "r.csv", user=people.officer)
    assert problems_of(error) == [
        "r.csv, line 2, lea_name: this district's own agreements are made in Steward, not imported"
    ]


def test_a_file_with_one_bad_entry_imports_nothing(people: SimpleNamespace) -> None:
    before = LedgerEntry.objects.count()
    data = other_district_csv(
        {"vendor": "New Vendor"}, {"agreement_id": "2", "vendor": "Other", "kind": "x"}
    )
    with pytest.raises(ValidationError):
        do_import_registry(data, "r.csv", user=people.officer)
    assert not Vendor.objects.filter(name__in=["New Vendor", "Other"]).exists()
    assert not Agreement.objects.exists()
    assert LedgerEntry.objects.count() == before


def test_a_failure_while_writing_leaves_the_database_unchanged(
    people: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second agreement's write fails after the first was written: both roll back."""
    from steward.vendors.actions import sdpc_import

    calls = {"n": 0}
    real = sdpc_import._fields

    def failing(entry: sdpc.Entry) -> dict[str, object]:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk full")
        return real(entry)

    monkeypatch.setattr(sdpc_import, "_fields", failing)
    data = other_district_csv({"vendor": "New Vendor"}, {"agreement_id": "2"})
    with pytest.raises(RuntimeError):
        do_import_registry(data, "r.csv", user=people.officer)
    assert not Vendor.objects.filter(name="New Vendor").exists()
    assert not Agreement.objects.exists()
