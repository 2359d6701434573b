"""Open a OneRoster package (zip or folder), read its manifest and stream its CSV rows.

Rows are streamed, never loaded whole: memory grows with the number of ids the caller keeps,
not with the size of the files. Everything wrong with the bytes (encoding, quoting, carriage
returns inside fields, header names, field counts) is reported as an `Issue` with file and line.
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from steward.roster.oneroster import spec
from steward.roster.oneroster.issues import IssueLog

csv.field_size_limit(10 * 1024 * 1024)


class PackageUnreadable(Exception):
    """The package cannot be opened at all (not a zip, truncated, no such path)."""


@dataclass
class Package:
    """An opened package: where its files are, and what its manifest says."""

    source: Path
    version: str = ""
    modes: dict[str, str] = field(default_factory=dict)  # file key -> bulk | delta | absent
    properties: dict[str, str] = field(default_factory=dict)
    _zip: zipfile.ZipFile | None = None
    _names: dict[str, str] = field(default_factory=dict)  # "users.csv" -> member name / path

    def has(self, filename: str) -> bool:
        return filename in self._names

    def size(self, filename: str) -> int:
        if self._zip is not None:
            return self._zip.getinfo(self._names[filename]).file_size
        return Path(self._names[filename]).stat().st_size

    def open_binary(self, filename: str) -> IO[bytes]:
        if self._zip is not None:
            return self._zip.open(self._names[filename])
        return open(self._names[filename], "rb")

    def sha256(self) -> str:
        """Digest of the files' names and bytes in name order: equal packages, equal digest."""
        digest = hashlib.sha256()
        for name in sorted(self._names):
            digest.update(name.encode() + b"\0")
            with self.open_binary(name) as handle:
                for chunk in iter(lambda h=handle: h.read(1 << 20), b""):  # type: ignore[misc]
                    digest.update(chunk)
        return digest.hexdigest()

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


def open_package(path: Path, log: IssueLog) -> Package:
    """Open `path` (a .zip or a folder). Raises PackageUnreadable if it cannot be read at all."""
    package = Package(source=path)
    if path.is_dir():
        for child in sorted(path.iterdir()):
            if child.is_file() and child.suffix.lower() == ".csv":
                package._names[child.name] = str(child)
            elif child.is_dir():
                log.warning(
                    child.name,
                    None,
                    "",
                    "",
                    "subfolders are not part of a OneRoster package and were ignored",
                    "package.subfolder",
                )
    elif path.is_file():
        try:
            archive = zipfile.ZipFile(path)
            bad = _first_corrupt_member(archive)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise PackageUnreadable(f"not a readable zip file ({exc})") from exc
        if bad is not None:
            archive.close()
            raise PackageUnreadable(f"member {bad[0]} is corrupt ({bad[1]})")
        package._zip = archive
        for info in archive.infolist():
            if info.is_dir():
                continue
            if "/" in info.filename.strip("/"):
                log.error(
                    info.filename,
                    None,
                    "",
                    "",
                    "files must sit at the top of the zip: OneRoster packages have no subfolders",
                    "package.subfolder",
                )
                continue
            package._names[info.filename] = info.filename
    else:
        raise PackageUnreadable("no such file or folder")
    _read_manifest(package, log)
    return package


def _first_corrupt_member(archive: zipfile.ZipFile) -> tuple[str, str] | None:
    """(member, why) for the first member that does not read back intact, else None.

    Like ZipFile.testzip(), which misses damaged deflate data: zlib raises its own error.
    """
    for info in archive.infolist():
        try:
            with archive.open(info) as member:
                while member.read(1 << 20):
                    pass
        except zipfile.BadZipFile as exc:
            return info.filename, "CRC check failed" if "CRC" in str(exc) else str(exc)
        except (zlib.error, EOFError) as exc:
            return info.filename, f"its compressed data is damaged: {exc}"
    return None


def _read_manifest(package: Package, log: IssueLog) -> None:
    name = "manifest.csv"
    if not package.has(name):
        log.error(name, None, "", "", "the package has no manifest.csv", "manifest.missing")
        return
    props: dict[str, str] = {}
    lines: dict[str, int] = {}  # property -> line it was read from, for messages
    for line, row in iter_rows(package, name, ["propertyName", "value"], log):
        key, value = row[0].strip(), row[1].strip()
        if key in props:
            log.error(
                name, line, "propertyName", key, "property is listed twice", "manifest.duplicate"
            )
        props[key] = value
        lines[key] = line
    package.properties = props
    if not props and log.error_count:
        return
    if props.get("manifest.version") != "1.0":
        log.error(
            name,
            lines.get("manifest.version"),
            "manifest.version",
            props.get("manifest.version", ""),
            "manifest.version must be 1.0",
            "manifest.version",
        )
    version = props.get("oneroster.version", "")
    if version not in spec.VERSIONS:
        log.error(
            name,
            lines.get("oneroster.version"),
            "oneroster.version",
            version,
            "oneroster.version must be 1.1 or 1.2",
            "manifest.oneroster_version",
        )
        return
    package.version = version
    allowed = spec.MANIFEST_FILES[version]
    listed: set[str] = set()
    for key, value in props.items():
        if not key.startswith("file."):
            continue
        file_key = key[len("file.") :]
        listed.add(file_key)
        if file_key not in allowed:
            log.error(
                name,
                lines.get(key),
                key,
                value,
                f"'{file_key}' is not a file of OneRoster {version}",
                "manifest.unknown_file",
            )
            continue
        if value not in spec.MODES:
            log.error(
                name, lines.get(key), key, value, "must be absent, bulk or delta", "manifest.mode"
            )
            continue
        package.modes[file_key] = value
    for file_key in allowed:
        csv_name = f"{file_key}.csv"
        mode = package.modes.get(file_key)
        if mode is None:
            package.modes[file_key] = "absent"
            if package.has(csv_name) and file_key not in listed:
                log.error(
                    name,
                    None,
                    f"file.{file_key}",
                    "",
                    f"{csv_name} is in the package but the manifest has no file.{file_key} row",
                    "manifest.unlisted_file",
                )
        elif mode != "absent" and not package.has(csv_name):
            log.error(
                csv_name,
                None,
                "",
                "",
                f"the manifest says {mode} but the file is missing",
                "manifest.file_missing",
            )
        elif mode == "absent" and package.has(csv_name):
            log.warning(
                csv_name,
                None,
                "",
                "",
                "the manifest says absent; the file was ignored",
                "manifest.file_ignored",
            )


class _Counting(io.RawIOBase):
    """Counts the bytes read through it, for the progress bar, and notes any NUL byte."""

    def __init__(self, inner: IO[bytes], on_read: Callable[[int], None] | None) -> None:
        self._inner = inner
        self._on_read = on_read
        self.saw_nul = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._inner.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        if not self.saw_nul and b"\x00" in data:
            self.saw_nul = True
        if self._on_read is not None and n:
            self._on_read(n)
        return n


def iter_rows(
    package: Package,
    filename: str,
    expected: list[str],
    log: IssueLog,
    *,
    on_read: Callable[[int], None] | None = None,
    extensions: list[str] | None = None,
) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, fields) for each data row of `filename`.

    The header must equal `expected` exactly (names, case, order); `metadata.*` extension
    columns may follow and their names are appended to `extensions` if given. Each yielded row
    has exactly as many fields as the header. Rows that cannot be read are reported and skipped.
    """
    raw = package.open_binary(filename)
    counting = _Counting(raw, on_read)
    text = io.TextIOWrapper(io.BufferedReader(counting, 1 << 16), encoding="utf-8-sig", newline="")
    reader = csv.reader(text, strict=True)
    line = 0  # last line of the last record read
    try:
        try:
            header = next(reader)
        except StopIteration:
            log.error(
                filename, 1, "", "", "the file is empty: a header row is required", "file.empty"
            )
            return
        if not _header_ok(filename, header, expected, log, extensions):
            return
        width = len(header)
        line = reader.line_num
        for row in reader:
            start, line = line + 1, reader.line_num
            if len(row) != width:
                if not any(row):
                    log.error(
                        filename, start, "", "", "blank line inside the file", "csv.blank_line"
                    )
                else:
                    log.error(
                        filename,
                        start,
                        "",
                        "",
                        f"the row has {len(row)} fields but the header has {width}",
                        "csv.field_count",
                    )
                continue
            bad_row = False
            if line != start:
                for name, value in zip(header, row, strict=True):
                    if "\r" in value or "\n" in value:
                        bad_row = True
                        log.error(
                            filename,
                            start,
                            name,
                            _shown(name, value.replace("\r", "\\r").replace("\n", "\\n")),
                            "line break inside a field: OneRoster CSV forbids carriage "
                            "returns and newlines in values",
                            "csv.newline_in_field",
                        )
            # Python's csv module accepts NUL since 3.11, but databases cannot store it. The
            # fields are only scanned once a NUL byte has been read (bytes are read ahead).
            for name, value in zip(header, row, strict=True) if counting.saw_nul else ():
                if "\x00" in value:
                    bad_row = True
                    log.error(
                        filename,
                        start,
                        name,
                        _shown(name, value.replace("\x00", "\\0")),
                        "NUL character inside a field: OneRoster CSV values are text",
                        "csv.nul",
                    )
            if bad_row:
                continue
            yield start, row
    except UnicodeDecodeError as exc:
        log.error(
            filename,
            _line_of_bad_byte(package, filename),
            "",
            "",
            f"the file is not valid UTF-8 ({exc.reason} at byte {exc.start})",
            "file.encoding",
        )
    except csv.Error as exc:
        # Report the line the broken record starts on (an unterminated quote runs to the end).
        log.error(filename, line + 1, "", "", f"malformed CSV: {exc}", "csv.malformed")
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as exc:
        log.error(filename, None, "", "", f"the file cannot be read: {exc}", "file.unreadable")
    finally:
        text.close()


def _shown(column: str, value: str) -> str:
    """The value to quote in a message: never a password."""
    return "" if column == "password" else value


def _line_of_bad_byte(package: Package, filename: str) -> int | None:
    """Find the first line that is not valid UTF-8 (a second, slow scan on the error path only)."""
    with package.open_binary(filename) as handle:
        for number, raw_line in enumerate(handle, start=1):
            try:
                raw_line.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return None


def _header_ok(
    filename: str,
    header: list[str],
    expected: list[str],
    log: IssueLog,
    extensions: list[str] | None,
) -> bool:
    errors_before = log.error_count
    if len(set(header)) != len(header):
        dupes = sorted({h for h in header if header.count(h) > 1})
        log.error(
            filename, 1, ", ".join(dupes), "", "header names must be unique", "header.duplicate"
        )
    exact = set(header)
    lowered = {h.lower(): h for h in header}
    missing = [e for e in expected if e not in exact and e.lower() not in lowered]
    for name in missing:
        log.error(
            filename, 1, name, "", f"required header column '{name}' is missing", "header.missing"
        )
    if missing:
        return False
    for position, (got, want) in enumerate(zip(header, expected, strict=False), start=1):
        if got == want:
            continue
        if got.lower() == want.lower():
            reason = f"column {position} must be named '{want}' (header names are case-sensitive)"
            code = "header.case"
        else:
            reason = f"column {position} must be '{want}': the columns are out of order"
            code = "header.order"
        log.error(filename, 1, want, got, reason, code)
    for extra in header[len(expected) :]:
        if not extra.startswith("metadata."):
            log.error(
                filename,
                1,
                extra,
                extra,
                "unknown column: extension columns must be "
                "named metadata.* and follow the defined columns",
                "header.unknown",
            )
        elif extensions is not None:
            extensions.append(extra)
    return log.error_count == errors_before
