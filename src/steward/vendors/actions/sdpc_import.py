"""Importing another district's SDPC-style registry (R113, R111; format in `steward.vendors.sdpc`).

Each agreement in the file becomes an *external* agreement (`external=True`): a record of what
another district signed, kept so that its Exhibit E general offer can be adopted here. An
external agreement never allows sharing (`Agreement.allows_sharing`), whatever its status, and
the import never changes one of this district's agreements or the registry status of an app:

- a vendor or product not yet in the registry is added, products as NOT APPROVED (the district
  has not vetted them; R73, R74);
- an entry of this district's own agreements (its district name is this district's) is refused:
  those are made and signed in Steward;
- importing the same registry again updates the agreements it brought before, matched by
  district and registry id.

The import is one transaction and validates everything before it writes: the file's problems
and the database's are all listed (file, line or index, field, reason) and nothing is written.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.audit import ledger
from steward.audit.models import Action
from steward.vendors import sdpc
from steward.vendors.models import Agreement, AppStatus, Product, Vendor

PURPOSE = "import of another district's SDPC registry, for Exhibit E adoption (R111, R113)"

Key = tuple[str, str]  # (district, registry id)


@dataclass(frozen=True)
class ImportResult:
    """What an import did: agreement ids created, updated and found unchanged."""

    entries: int
    created: tuple[int, ...]
    updated: tuple[int, ...]
    unchanged: tuple[int, ...]
    vendors_created: int
    products_created: int


def _fields(entry: sdpc.Entry) -> dict[str, Any]:
    """The agreement's stored values for an entry (everything but vendor and products)."""
    return {
        "registry_id": entry.agreement_id,
        "lea_name": entry.lea_name,
        "title": entry.title,
        "kind": entry.kind,
        "status": entry.status,
        "ferpa_basis": entry.ferpa_basis,
        "ma_basis": entry.ma_basis,
        "template": entry.template,
        "start_date": entry.start_date,
        "end_date": entry.end_date,
        "signed_on": entry.signed_on,
        "data_elements": [list(pair) for pair in entry.data_elements],
        "exhibit_e_offered": entry.exhibit_e_offered,
        "exhibit_e_expires": entry.exhibit_e_expires,
        "registry_document_sha256": entry.signed_document_sha256,
    }


def _groups(located: list[sdpc.Located]) -> dict[Key, list[sdpc.Located]]:
    """Entries by agreement, refusing this district's own (ValidationError lists them)."""
    own = sdpc.district_name().strip().casefold()
    problems = sdpc.Problems()
    groups: dict[Key, list[sdpc.Located]] = {}
    for item in located:
        entry = item.entry
        if own and entry.lea_name.strip().casefold() == own:
            problems.add(
                item.where,
                "lea_name",
                _("this district's own agreements are made in Steward, not imported"),
            )
        groups.setdefault((entry.lea_name, entry.agreement_id), []).append(item)
    problems.raise_if_any()
    return groups


class _Registry:
    """Vendors and products by name, read once and added to as the import needs them."""

    def __init__(self, groups: dict[Key, list[sdpc.Located]], now: Any) -> None:
        entries = [item.entry for items in groups.values() for item in items]
        self.now = now
        self.vendors = {
            v.name: v for v in Vendor.objects.filter(name__in={e.vendor for e in entries})
        }
        self.products = {
            (p.vendor_id, p.name): p
            for p in Product.objects.filter(
                vendor__in=list(self.vendors.values()), name__in={e.product for e in entries}
            )
        }
        self.vendors_created = self.products_created = 0

    def vendor(self, name: str) -> Vendor:
        if name not in self.vendors:
            self.vendors[name] = Vendor.objects.create(name=name, created_at=self.now)
            self.vendors_created += 1
        return self.vendors[name]

    def product(self, vendor: Vendor, name: str) -> Product:
        key = (vendor.pk, name)
        if key not in self.products:
            self.products[key] = Product.objects.create(
                vendor=vendor, name=name, status=AppStatus.NOT_APPROVED, created_at=self.now
            )
            self.products_created += 1
        return self.products[key]


@transaction.atomic
def do_import_registry(
    data: bytes, filename: str, *, user: Any, request: HttpRequest | None = None
) -> ImportResult:
    """Import a registry file (CSV or JSON) as external agreements; see the module docstring.

    Raises ValidationError listing every problem (nothing is written then). Writes one ledger
    entry with the file's name and SHA-256 and the agreements created and updated.
    """
    located = sdpc.parse(data, filename)
    groups = _groups(located)
    now = timezone.now()
    existing: dict[Key, Agreement] = {
        (a.lea_name, a.registry_id): a
        for a in Agreement.objects.filter(
            external=True, registry_id__in={key[1] for key in groups}
        ).prefetch_related("products")
    }
    registry = _Registry(groups, now)
    created: list[int] = []
    updated: list[int] = []
    unchanged: list[int] = []
    for key, items in groups.items():
        entry = items[0].entry
        vendor = registry.vendor(entry.vendor)
        products = [registry.product(vendor, i.entry.product) for i in items if i.entry.product]
        values = _fields(entry)
        agreement = existing.get(key)
        if agreement is None:
            agreement = Agreement.objects.create(
                vendor=vendor, external=True, created_at=now, updated_at=now, **values
            )
            agreement.products.set(products)
            created.append(agreement.pk)
            continue
        changed = [name for name, value in values.items() if getattr(agreement, name) != value]
        if agreement.vendor_id != vendor.pk:
            changed.append("vendor")
        same_products = {p.pk for p in agreement.products.all()} == {p.pk for p in products}
        if not changed and same_products:
            unchanged.append(agreement.pk)
            continue
        for name, value in values.items():
            setattr(agreement, name, value)
        agreement.vendor = vendor
        agreement.updated_at = now
        agreement.save(update_fields=[*values, "vendor", "updated_at"])
        if not same_products:
            agreement.products.set(products)
        updated.append(agreement.pk)
    result = ImportResult(
        entries=len(located),
        created=tuple(created),
        updated=tuple(updated),
        unchanged=tuple(unchanged),
        vendors_created=registry.vendors_created,
        products_created=registry.products_created,
    )
    ledger.record(
        action=Action.CREATE if created else Action.CHANGE,
        **ledger.actor_of(user),
        **ledger.request_context(request),
        purpose=PURPOSE,
        detail={
            "file": filename,
            "sha256": hashlib.sha256(data).hexdigest(),
            "entries": result.entries,
            "agreements_created": list(result.created),
            "agreements_updated": list(result.updated),
            "agreements_unchanged": len(result.unchanged),
            "vendors_created": result.vendors_created,
            "products_created": result.products_created,
        },
        at=now,
    )
    return result
