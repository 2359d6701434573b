"""The SDPC-style resource registry as CSV and JSON (R113, R77): export, and parsing for import.

One entry per (agreement, product); an agreement without products is one entry with an empty
product. Keys and column names are a stable, machine-readable contract (`COLUMNS`, in this
order), codes rather than translated labels, so other districts' tools can read them:

- `agreement_id`: this district's agreements are `steward-<id>`; an imported agreement keeps
  the id it had in its own registry (`Agreement.registry_id`);
- `lea_name`: the district that signed (this district's name from the roster's district org,
  unless the agreement names another);
- `kind`, `status`, `ferpa_basis`, `ma_basis`, `template`: the codes of `AgreementKind`,
  `AgreementStatus`, `FerpaBasis`, `MassachusettsBasis` and `Template`;
- dates as YYYY-MM-DD (empty in CSV, null in JSON, when unknown);
- `data_elements`: Exhibit B elements (R109); in CSV "Category: Element" joined with "; ", in
  JSON a list of {"category", "element"} objects;
- `exhibit_e_offered`: "true"/"false" in CSV, a boolean in JSON.

The export is sorted by vendor, district, agreement id and product, so an export, an import of
it into an empty database and a second export give the same bytes. CSV cells are guarded
against spreadsheet formula injection with a leading "'" (and a value that itself begins with
"'" gets one more), which `parse_csv` removes again, so the guard loses nothing.

Parsing is pure (no database): `parse()` returns every entry with where it came from, or
raises ValidationError listing every problem as "file, line N, field: reason" (CSV lines count
from the header, line 1; JSON entries by their index in the list, from 0). Matching against the
database is `steward.vendors.actions.sdpc_import`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from steward.audit.csvexport import guard
from steward.bases import FerpaBasis, MassachusettsBasis
from steward.catalog.elements import EXHIBIT_B
from steward.roster.models import Org
from steward.security import uploads
from steward.vendors.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    Product,
    Template,
    Vendor,
)

COLUMNS: tuple[str, ...] = (
    "agreement_id",
    "lea_name",
    "vendor",
    "product",
    "title",
    "kind",
    "status",
    "ferpa_basis",
    "ma_basis",
    "template",
    "start_date",
    "end_date",
    "signed_on",
    "data_elements",
    "exhibit_e_offered",
    "exhibit_e_expires",
    "signed_document_sha256",
)
# Everything but the product: the same on every entry of one agreement.
AGREEMENT_COLUMNS: tuple[str, ...] = tuple(c for c in COLUMNS if c != "product")

# Most entries accepted by an import (the largest file is STEWARD_REGISTRY_UPLOAD_MAX_MB); a
# registry of a few thousand resources is far below both.
MAX_ENTRIES = 20_000
# Errors listed at most; the rest are counted.
MAX_PROBLEMS = 200

OWN_ID_PREFIX = "steward-"
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_TRUE, _FALSE = frozenset({"true", "yes", "1"}), frozenset({"false", "no", "0", ""})
_LENGTHS = {
    "agreement_id": Agreement._meta.get_field("registry_id").max_length,
    "lea_name": Agreement._meta.get_field("lea_name").max_length,
    "vendor": Vendor._meta.get_field("name").max_length,
    "product": Product._meta.get_field("name").max_length,
    "title": Agreement._meta.get_field("title").max_length,
}
_CHOICES: dict[str, frozenset[str]] = {
    "kind": frozenset(AgreementKind.values),
    "status": frozenset(AgreementStatus.values),
    "ferpa_basis": frozenset(FerpaBasis.values),
    "ma_basis": frozenset(MassachusettsBasis.values),
    "template": frozenset(Template.values),
}
_REQUIRED = frozenset({"agreement_id", "lea_name", "vendor", "title", "kind", "status"})

Element = tuple[str, str]


@dataclass(frozen=True)
class Entry:
    """One registry entry: an (agreement, product) pair, values already checked."""

    agreement_id: str
    lea_name: str
    vendor: str
    product: str
    title: str
    kind: str
    status: str
    ferpa_basis: str
    ma_basis: str
    template: str
    start_date: dt.date | None
    end_date: dt.date | None
    signed_on: dt.date | None
    data_elements: tuple[Element, ...]
    exhibit_e_offered: bool
    exhibit_e_expires: dt.date | None
    signed_document_sha256: str

    def agreement_part(self) -> tuple[Any, ...]:
        """The agreement-level values (all but the product), for comparing entries."""
        return tuple(getattr(self, name) for name in AGREEMENT_COLUMNS)

    def sort_key(self) -> tuple[str, str, str, str]:
        return (self.vendor, self.lea_name, self.agreement_id, self.product)


@dataclass(frozen=True)
class Located:
    """A parsed entry and where it came from ("registry.csv, line 3")."""

    where: str
    entry: Entry


# ---------------------------------------------------------------------------------------------
# Export


def district_name() -> str:
    """This district's name: the roster's district org (the first, if several), or ""."""
    name = (
        Org.objects.filter(type=Org.Type.DISTRICT)
        .order_by("pk")
        .values_list("name", flat=True)
        .first()
    )
    return name or ""


def export_id(agreement: Agreement) -> str:
    """The agreement's registry id: the one it was imported with, or `steward-<pk>`."""
    return agreement.registry_id or f"{OWN_ID_PREFIX}{agreement.pk}"


def public_agreements() -> QuerySet[Agreement]:
    """What the public export lists (R77): this district's agreements past their draft."""
    return Agreement.objects.filter(external=False).exclude(status=AgreementStatus.DRAFT)


def all_agreements() -> QuerySet[Agreement]:
    """What the privacy office's export lists: every agreement, drafts and imported ones too."""
    return Agreement.objects.all()


def entries(agreements: QuerySet[Agreement]) -> list[Entry]:
    """The registry entries of `agreements`, sorted; three queries whatever their number."""
    lea = district_name()
    rows = (
        agreements.select_related("vendor", "signed_document")
        .defer("signed_document__content")
        .prefetch_related(
            Prefetch("products", queryset=Product.objects.only("id", "name").order_by("name"))
        )
    )
    result: list[Entry] = []
    for agreement in rows:
        document = agreement.signed_document
        sha256 = document.sha256 if document is not None else agreement.registry_document_sha256
        common = Entry(
            agreement_id=export_id(agreement),
            lea_name=agreement.lea_name or lea,
            vendor=agreement.vendor.name,
            product="",
            title=agreement.title,
            kind=agreement.kind,
            status=agreement.status,
            ferpa_basis=agreement.ferpa_basis,
            ma_basis=agreement.ma_basis,
            template=agreement.template,
            start_date=agreement.start_date,
            end_date=agreement.end_date,
            signed_on=agreement.signed_on,
            data_elements=tuple(_stored_elements(agreement.data_elements)),
            exhibit_e_offered=agreement.exhibit_e_offered,
            exhibit_e_expires=agreement.exhibit_e_expires,
            signed_document_sha256=sha256,
        )
        names = [p.name for p in agreement.products.all()] or [""]
        result.extend(replace(common, product=name) for name in names)
    result.sort(key=Entry.sort_key)
    return result


def _stored_elements(value: Any) -> Iterable[Element]:
    for pair in value or ():
        category, element = pair
        yield (str(category), str(element))


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def as_record(entry: Entry) -> dict[str, Any]:
    """One entry as a JSON object with the `COLUMNS` keys, in that order."""
    record: dict[str, Any] = {}
    for name in COLUMNS:
        value = getattr(entry, name)
        if name == "data_elements":
            value = [{"category": c, "element": e} for c, e in value]
        elif isinstance(value, dt.date):
            value = _date(value)
        record[name] = value
    return record


def as_json(registry: Iterable[Entry]) -> str:
    """A JSON list of `as_record` objects (UTF-8, not ASCII-escaped), one per entry."""
    return json.dumps([as_record(e) for e in registry], ensure_ascii=False, indent=2) + "\n"


def _csv_guard(cell: str) -> str:
    # A leading quote is doubled too, so that `_csv_unguard` can always drop exactly one.
    return "'" + cell if cell.startswith("'") else guard(cell)


def _csv_unguard(cell: str) -> str:
    return cell[1:] if cell.startswith("'") else cell


def csv_cells(entry: Entry) -> list[str]:
    cells = []
    for name in COLUMNS:
        value = getattr(entry, name)
        if name == "data_elements":
            text = "; ".join(f"{c}: {e}" for c, e in value)
        elif isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, dt.date):
            text = value.isoformat()
        else:
            text = "" if value is None else str(value)
        cells.append(_csv_guard(text))
    return cells


def as_csv(registry: Iterable[Entry]) -> str:
    """A header line with `COLUMNS`, then one guarded line per entry (UTF-8 when encoded)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for entry in registry:
        writer.writerow(csv_cells(entry))
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# Parsing


class Problems:
    """Collects "where, field: reason" messages; `raise_if_any()` raises them together."""

    def __init__(self) -> None:
        self.messages: list[str] = []
        self.count = 0

    def add(self, where: str, field: str, reason: str) -> None:
        self.count += 1
        if len(self.messages) < MAX_PROBLEMS:
            self.messages.append(
                _("%(where)s, %(field)s: %(reason)s")
                % {"where": where, "field": field, "reason": reason}
            )

    def raise_if_any(self) -> None:
        if not self.count:
            return
        messages = list(self.messages)
        if self.count > len(messages):
            messages.append(
                _("… and %(more)d more problems.") % {"more": self.count - len(messages)}
            )
        raise ValidationError(messages, code="registry")


def parse(data: bytes, filename: str) -> list[Located]:
    """Every entry of a registry file (CSV or JSON, told by the name, else by the content),
    checked; ValidationError lists every problem by file, line or index, and field."""
    problems = Problems()
    # Size, text and not markup, judged by the bytes (steward.security.uploads).
    refused = uploads.text_problem(data)
    if refused:
        problems.add(filename, _("file"), refused)
        problems.raise_if_any()
    text = data.decode("utf-8-sig")
    is_json = filename.lower().endswith(".json") or (
        not filename.lower().endswith(".csv") and text.lstrip().startswith("[")
    )
    located = (
        _parse_json(text, filename, problems) if is_json else _parse_csv(text, filename, problems)
    )
    if len(located) > MAX_ENTRIES:
        problems.add(filename, _("file"), _("more than %(max)d entries") % {"max": MAX_ENTRIES})
    _check_agreements(located, problems)
    problems.raise_if_any()
    return located


def _parse_csv(text: str, filename: str, problems: Problems) -> list[Located]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except csv.Error as error:
        problems.add(f"{filename}, " + _("line %(n)d") % {"n": 1}, _("header"), str(error))
        return []
    where = f"{filename}, " + _("line %(n)d") % {"n": 1}
    if not _header_ok(header, where, problems):
        return []
    located = []
    line = reader.line_num + 1
    try:
        for cells in reader:
            where = f"{filename}, " + _("line %(n)d") % {"n": line}
            line = reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue  # a blank line, e.g. at the end
            if len(cells) != len(COLUMNS):
                problems.add(
                    where,
                    _("line"),
                    _("%(got)d cells, expected %(want)d")
                    % {"got": len(cells), "want": len(COLUMNS)},
                )
                continue
            raw = {name: _csv_unguard(cell) for name, cell in zip(COLUMNS, cells, strict=True)}
            entry = _entry(raw, where, problems, from_csv=True)
            if entry is not None:
                located.append(Located(where, entry))
    except csv.Error as error:
        problems.add(f"{filename}, " + _("line %(n)d") % {"n": line}, _("line"), str(error))
    return located


def _header_ok(header: list[str], where: str, problems: Problems) -> bool:
    names = [name.strip() for name in header]
    missing = [name for name in COLUMNS if name not in names]
    unknown = [name for name in names if name not in COLUMNS]
    for name in missing:
        problems.add(where, name, _("missing column"))
    for name in unknown:
        problems.add(where, name or "?", _("unknown column"))
    if missing or unknown:
        return False
    if names != list(COLUMNS):
        problems.add(
            where,
            _("header"),
            _("columns must be in this order: %(cols)s") % {"cols": ", ".join(COLUMNS)},
        )
        return False
    return True


def _parse_json(text: str, filename: str, problems: Problems) -> list[Located]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        problems.add(f"{filename}, " + _("line %(n)d") % {"n": error.lineno}, _("JSON"), error.msg)
        return []
    if not isinstance(data, list):
        problems.add(filename, _("JSON"), _("expected a list of objects"))
        return []
    located = []
    for index, item in enumerate(data):
        where = f"{filename}, " + _("entry [%(i)d]") % {"i": index}
        if not isinstance(item, dict):
            problems.add(where, _("entry"), _("expected an object"))
            continue
        missing = [name for name in COLUMNS if name not in item]
        unknown = sorted(str(name) for name in item if name not in COLUMNS)
        for name in missing:
            problems.add(where, name, _("missing key"))
        for name in unknown:
            problems.add(where, name, _("unknown key"))
        if missing or unknown:
            continue
        entry = _entry(item, where, problems, from_csv=False)
        if entry is not None:
            located.append(Located(where, entry))
    return located


def _entry(
    raw: Mapping[str, Any], where: str, problems: Problems, *, from_csv: bool
) -> Entry | None:
    """An `Entry` from one row's raw values, or None after adding its problems."""
    before = problems.count
    values: dict[str, Any] = {}
    for name in ("agreement_id", "lea_name", "vendor", "product", "title"):
        values[name] = _text(raw[name], name, where, problems)
    for name, allowed in _CHOICES.items():
        value = _text(raw[name], name, where, problems)
        if value and value not in allowed:
            problems.add(
                where,
                name,
                _("unknown code %(value)r; one of: %(codes)s")
                % {"value": value, "codes": ", ".join(sorted(allowed))},
            )
        values[name] = value
    for name in ("start_date", "end_date", "signed_on", "exhibit_e_expires"):
        values[name] = _day(raw[name], name, where, problems)
    values["exhibit_e_offered"] = _flag(raw["exhibit_e_offered"], where, problems, from_csv)
    values["data_elements"] = _elements(raw["data_elements"], where, problems, from_csv)
    sha = _text(raw["signed_document_sha256"], "signed_document_sha256", where, problems).lower()
    if sha and not _SHA256.fullmatch(sha):
        problems.add(where, "signed_document_sha256", _("not a SHA-256 (64 hexadecimal digits)"))
    values["signed_document_sha256"] = sha
    for name in _REQUIRED:
        if isinstance(values.get(name), str) and not values[name].strip():
            problems.add(where, name, _("required"))
    for name, limit in _LENGTHS.items():
        if limit is not None and len(values.get(name) or "") > limit:
            problems.add(where, name, _("longer than %(max)d characters") % {"max": limit})
    start, end = values["start_date"], values["end_date"]
    if start is not None and end is not None and end < start:
        problems.add(where, "end_date", _("before the start date"))
    if problems.count > before:
        return None
    return Entry(**{f.name: values[f.name] for f in fields(Entry)})


def _text(value: Any, name: str, where: str, problems: Problems) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        problems.add(where, name, _("expected text"))
        return ""
    return value


def _day(value: Any, name: str, where: str, problems: Problems) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    problems.add(where, name, _("not a date in the form YYYY-MM-DD: %(value)r") % {"value": value})
    return None


def _flag(value: Any, where: str, problems: Problems, from_csv: bool) -> bool:
    if isinstance(value, bool):
        return value
    if from_csv and isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE or word in _FALSE:
            return word in _TRUE
    problems.add(where, "exhibit_e_offered", _("expected true or false"))
    return False


def _elements(value: Any, where: str, problems: Problems, from_csv: bool) -> tuple[Element, ...]:
    pairs: list[Element] = []
    if from_csv and isinstance(value, str):
        for part in value.split(";"):
            if not part.strip():
                continue
            category, colon, element = part.partition(":")
            if not colon:
                problems.add(
                    where,
                    "data_elements",
                    _("%(part)r is not in the form “Category: Element”") % {"part": part.strip()},
                )
                continue
            pairs.append((category.strip(), element.strip()))
    elif not from_csv and isinstance(value, list):
        for item in value:
            if (
                isinstance(item, dict)
                and set(item) == {"category", "element"}
                and all(isinstance(v, str) for v in item.values())
            ):
                pairs.append((item["category"], item["element"]))
            else:
                problems.add(
                    where, "data_elements", _("each element is an object with category and element")
                )
    else:
        problems.add(where, "data_elements", _("expected a list of Exhibit B elements"))
    for category, element in pairs:
        if element not in EXHIBIT_B.get(category, ()):
            problems.add(
                where,
                "data_elements",
                _("“%(category)s: %(element)s” is not an Exhibit B element")
                % {"category": category, "element": element},
            )
    if len(set(pairs)) != len(pairs):
        problems.add(where, "data_elements", _("an element is listed twice"))
    return tuple(pairs)


def _check_agreements(located: list[Located], problems: Problems) -> None:
    """Entries of one agreement (same district and id) agree on every agreement-level value,
    name each product once, and either all name a product or are one entry without."""
    first: dict[tuple[str, str], Located] = {}
    products: dict[tuple[str, str], set[str]] = {}
    for item in located:
        entry = item.entry
        key = (entry.lea_name, entry.agreement_id)
        seen = first.setdefault(key, item)
        names = products.setdefault(key, set())
        if seen is not item:
            for name in AGREEMENT_COLUMNS:
                if getattr(entry, name) != getattr(seen.entry, name):
                    problems.add(
                        item.where,
                        name,
                        _("differs from %(first)s, an entry of the same agreement")
                        % {"first": seen.where},
                    )
            if entry.product in names:
                problems.add(item.where, "product", _("listed twice for this agreement"))
            elif "" in names or (names and not entry.product):
                problems.add(
                    item.where,
                    "product",
                    _("an agreement's entries either all name a product or are one entry"),
                )
        names.add(entry.product)
