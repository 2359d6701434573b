"""The copy for machines (R27, R136: a portable format): a zip of `copy.json` (everything, with
column labels, codes and the Massachusetts record part of each field), one CSV file per table,
and `SHA256SUMS` to check them. The zip is the same bytes for the same copy (fixed file order
and times), so its SHA-256 identifies the copy.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import zipfile
from typing import Any

from steward.requests.contents import Contents
from steward.requests.tables import Table

JSON_NAME = "copy.json"


def json_bytes(contents: Contents) -> bytes:
    return json.dumps(contents.as_json(), ensure_ascii=False, indent=2, sort_keys=False).encode()


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = str(value)
    # A cell starting with a formula character would run in a spreadsheet (CSV injection).
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_bytes(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.key for c in table.columns])
    for row in table.rows:
        writer.writerow([_csv_cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")  # the BOM lets spreadsheets read UTF-8


def archive(contents: Contents, made_at: dt.datetime) -> bytes:
    """The zip: `copy.json`, `<section>/<table>.csv`, `SHA256SUMS`."""
    files: list[tuple[str, bytes]] = [(JSON_NAME, json_bytes(contents))]
    for section, _title, tables in contents.sections():
        files += [(f"{section}/{t.key}.csv", csv_bytes(t)) for t in tables]
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in files)
    files.append(("SHA256SUMS", sums.encode()))
    stamp = made_at.astimezone(dt.UTC).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, data in files:
            info = zipfile.ZipInfo(name, date_time=max(stamp, (1980, 1, 1, 0, 0, 0)))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zipped.writestr(info, data)
    return buffer.getvalue()


def read_json(data: bytes) -> dict[str, Any]:
    """`copy.json` out of a stored archive (the office's preview shows exactly this)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zipped:
        loaded: dict[str, Any] = json.loads(zipped.read(JSON_NAME))
        return loaded
