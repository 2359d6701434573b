"""Run pytauargus (τ-ARGUS with HiGHS, EUPL-1.2) on a Table: the peer and cross-check.

τ-ARGUS is driven through its batch language in a child process (`tauargus run`), on
tabular input: one line per cell with its count, a status (our primary cells "u", the rest
"s") and the protection levels our rule asks for, so that both engines protect the same cells
to the same requirement. The result is τ-ARGUS's suppression pattern as a mask of our table;
`steward.reports.sdc.audit` can then judge it like any other pattern.

Zero cells are not submitted (τ-ARGUS treats them as empty), matching our rule that zeros are
published. Optional: `available()` says whether the `tauargus` command is installed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from steward.reports.sdc.rules import Rules
from steward.reports.sdc.table import Dimension, Table


@dataclass(frozen=True)
class PeerResult:
    suppressed: np.ndarray  # table-shaped bool
    primary: np.ndarray
    seconds: float  # wall time of the τ-ARGUS child process
    method: str


def command() -> str | None:
    """The `tauargus` executable beside this interpreter, or on PATH."""
    beside = Path(sys.executable).parent / "tauargus"
    if beside.exists():
        return str(beside)
    return shutil.which("tauargus")


def available() -> bool:
    return command() is not None


def run(
    table: Table,
    primary: np.ndarray,
    lower_pl: np.ndarray,
    upper_pl: np.ndarray,
    *,
    method: str = "MOD",
    max_minutes: int = 20,
    timeout_minutes: int | None = None,
    workdir: Path | None = None,
) -> PeerResult:
    """Protect `table` with τ-ARGUS, `primary` cells unsafe with the given protection levels.

    `method` is "MOD" (Modular/HiTaS) or "OPT" (Optimal). `max_minutes` is τ-ARGUS's own
    solver limit: per subtable for Modular (which then keeps the best pattern found), for the
    whole table for Optimal. `timeout_minutes` bounds the child process as a whole (default:
    `max_minutes` plus one); a Modular run has one limit per subtable, so it can need far more
    than `max_minutes` in all. Raises RuntimeError with the child's output when τ-ARGUS fails,
    subprocess.TimeoutExpired when it does not finish in time.
    """
    exe = command()
    if exe is None:
        raise RuntimeError("pytauargus is not installed (the `tauargus` command is missing)")
    if method not in ("MOD", "OPT"):
        raise ValueError("method must be MOD or OPT")
    own_dir = workdir is None
    folder = Path(tempfile.mkdtemp(prefix="steward-tau-")) if workdir is None else workdir
    try:
        codes = [_codes(d) for d in table.dims]
        _write_metadata(folder, table, codes)
        _write_cells(folder, table, codes, primary, lower_pl, upper_pl)
        names = "".join(f'"{d.name}"' for d in table.dims)
        suppress = (
            f"MOD(1, {max_minutes}, 1, 1, 1)" if method == "MOD" else f"OPT(1, {max_minutes})"
        )
        (folder / "job.arb").write_text(
            "\n".join(
                [
                    '<OPENTABLEDATA> "cells.tab"',
                    '<OPENMETADATA> "cells.rda"',
                    f"<SPECIFYTABLE> {names}|count||",
                    "<SAFETYRULE>",
                    "<READTABLE> 0",
                    f"<SUPPRESS> {suppress}",
                    '<WRITETABLE> (1, 5, SO+, "out.tab")',
                    "",
                ]
            )
        )
        started = time.perf_counter()
        done = subprocess.run(
            [exe, "run", str(folder / "job.arb")],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=(max_minutes + 1 if timeout_minutes is None else timeout_minutes) * 60,
            check=False,
        )
        seconds = time.perf_counter() - started
        if done.returncode != 0 or not (folder / "out.tab").exists():
            raise RuntimeError(f"tauargus failed ({done.returncode}):\n{done.stderr[-3000:]}")
        suppressed = _read_pattern(folder / "out.tab", table, codes)
        return PeerResult(suppressed, primary.reshape(table.shape), seconds, method)
    finally:
        if own_dir:
            shutil.rmtree(folder, ignore_errors=True)


def protection_levels(table: Table, primary: np.ndarray, rules: Rules) -> tuple[np.ndarray, ...]:
    """Our rule as τ-ARGUS protection levels: up PL, down min(PL, value − a-priori floor)."""
    level = float(rules.protection_level(table.rare))
    counts = table.counts.astype(float)
    floor = np.zeros(table.shape)
    if rules.attacker_knows_nonzero and table.denominators is None and not table.sensitive_zeros:
        from steward.reports.sdc.table import fill_margins

        leaves = np.ix_(*[np.array(d.leaves) for d in table.dims])
        floor = fill_margins(table.dims, (table.counts[leaves] > 0).astype(np.int64))
    prim = primary.reshape(table.shape)
    upper = np.where(prim, level, 0.0)
    lower = np.where(prim, np.clip(np.minimum(level, counts - floor), 0, None), 0.0)
    return lower, upper


def _codes(dim: Dimension) -> list[str]:
    """Short codes τ-ARGUS accepts (its codes are fixed-width strings): c0001, c0002…"""
    width = len(str(len(dim.categories)))
    return [f"c{i:0{width}d}" for i in range(len(dim.categories))]


def _write_metadata(folder: Path, table: Table, codes: list[list[str]]) -> None:
    lines = ['<SEPARATOR> ";"', '<SAFE> "S"', '<UNSAFE> "U"', '<PROTECT> "P"']
    for dim, dim_codes in zip(table.dims, codes, strict=True):
        lines += [f'{dim.name} "" ""', "  <RECODABLE>", f'  <TOTCODE> "{dim_codes[dim.root]}"']
        if any(dim.children[c] for c in dim.children[dim.root]):
            (folder / f"{dim.name}.hrc").write_text(_hrc(dim, dim_codes))
            lines += [f'  <HIERCODELIST> "{dim.name}.hrc"', '  <HIERLEADSTRING> "@"']
            lines += ["  <HIERARCHICAL>"]
    lines += ['count "" ""', "  <NUMERIC>", 'status "" ""', "  <STATUS>"]
    lines += ['lpl "" ""', "  <NUMERIC> <LOWERPL>", 'upl "" ""', "  <NUMERIC> <UPPERPL>"]
    (folder / "cells.rda").write_text("\n".join(lines) + "\n")


def _hrc(dim: Dimension, dim_codes: list[str]) -> str:
    out: list[str] = []

    def walk(node: int, depth: int) -> None:
        for child in dim.children[node]:
            out.append("@" * depth + dim_codes[child])
            walk(child, depth + 1)

    walk(dim.root, 0)
    return "\n".join(out) + "\n"


def _write_cells(
    folder: Path,
    table: Table,
    codes: list[list[str]],
    primary: np.ndarray,
    lower_pl: np.ndarray,
    upper_pl: np.ndarray,
) -> None:
    counts = table.counts.ravel()
    prim = primary.ravel()
    low = np.asarray(lower_pl).ravel()
    up = np.asarray(upper_pl).ravel()
    rows = []
    for flat in np.flatnonzero(counts > 0):
        pos = table.coords(int(flat))
        key = ";".join(codes[k][i] for k, i in enumerate(pos))
        status = "U" if prim[flat] else "S"
        rows.append(f"{key};{counts[flat]};{status};{low[flat]:g};{up[flat]:g}")
    (folder / "cells.tab").write_text("\n".join(rows) + "\n")


def _read_pattern(path: Path, table: Table, codes: list[list[str]]) -> np.ndarray:
    lookup = [{c: i for i, c in enumerate(dim_codes)} for dim_codes in codes]
    totals = [dim_codes[d.root] for d, dim_codes in zip(table.dims, codes, strict=True)]
    mask = np.zeros(table.shape, dtype=bool)
    d = len(table.dims)
    for line in path.read_text().splitlines():
        fields = [f.strip().strip('"') for f in line.split(";")]
        if len(fields) < d + 4:
            continue
        pos = []
        for k in range(d):
            code = fields[k] or totals[k]
            if code == "Total":
                code = totals[k]
            pos.append(lookup[k][code])
        # codes…; value; frequency; cost; status; lower and upper protection levels
        status = fields[d + 3] if len(fields) > d + 3 else ""
        if status in ("U", "M"):
            mask[tuple(pos)] = True
    return mask
