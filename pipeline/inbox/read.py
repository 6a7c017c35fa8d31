"""Read a guarded workbook: its `_meta` and the raw value and formula of every mapped cell.

The guard opens the zip once and inflates each XML part once (`guard.guard_parts`); the reader
parses those parts: `_meta` read as rows, then each sheet the map names parsed once
(`pipeline/inbox/xlsx.py`): the same walk over a sheet's `<c>` elements gives a mapped cell's
value and tells whether it holds a formula, so no XML trick can show one reader a formula and
the other a number. Cached values of formulas are never taken as data: a formula in a mapped
cell is reported. Only mapped cells are kept; no grid is built, so a far cell costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.collector import collector_paused
from pipeline.contract import MAP_HEADER, META_SHEET, ContractError, TemplateMeta, parse_meta
from pipeline.inbox.guard import XmlParts, guard_parts
from pipeline.inbox.xlsx import Package, Raw, WorkbookError
from pipeline.problems import Problem, problem

Address = tuple[str, str]  # (sheet, cell) as in 'Isian', 'G7'
META_MAX_ROWS = 20_000  # a template's _meta has a few hundred rows

__all__ = ["Address", "Raw", "ReadResult", "read_parts", "read_workbook"]


@dataclass(frozen=True)
class ReadResult:
    """What a workbook holds for the pipeline: its identity and its mapped cells, raw."""

    meta: TemplateMeta | None
    cells: dict[Address, Raw] = field(default_factory=dict)
    formulas: dict[Address, str] = field(default_factory=dict)  # mapped cells with a formula
    problems: tuple[Problem, ...] = ()


def read_workbook(path: Path, data: bytes | None = None) -> ReadResult:
    """Guard the file, then read it (`read_parts`); the guard's problems when it refuses."""
    refused, parts = guard_parts(path.read_bytes() if data is None else data)
    if parts is None:
        return ReadResult(None, problems=tuple(refused))
    return read_parts(parts)


def read_parts(parts: XmlParts) -> ReadResult:
    """Read `_meta` and every mapped cell from the guarded XML parts of a file; fatal
    problems when the file is no template."""
    try:
        with collector_paused():  # element trees hold no cycles
            return _read(Package(parts))
    except WorkbookError as exc:
        return _refused("unreadable-workbook", str(exc))


def _read(package: Package) -> ReadResult:
    if META_SHEET not in package.sheets:
        return ReadResult(None, problems=(problem("not-a-template"),))
    try:
        rows = package.sheet_rows(META_SHEET, len(MAP_HEADER), META_MAX_ROWS)
        meta = parse_meta(rows)
    except (WorkbookError, ContractError) as exc:
        return _refused("template-meta-invalid", str(exc))
    missing = sorted({c.sheet for c in meta.cells} - set(package.sheets))
    if missing:
        detail = f"lembar {', '.join(missing)} tidak ada"
        return ReadResult(meta, problems=(problem("template-tampered", detail=detail),))
    wanted: dict[str, set[str]] = {}
    for mapped in meta.cells:
        wanted.setdefault(mapped.sheet, set()).add(mapped.cell)
    cells: dict[Address, Raw] = {}
    formulas: dict[Address, str] = {}
    try:
        for sheet, refs in wanted.items():
            for ref, found in package.sheet_cells(sheet, refs).items():
                cells[(sheet, ref)] = None if found.value == "" else found.value
                if found.formula:
                    formulas[(sheet, ref)] = found.formula
    except WorkbookError as exc:
        return ReadResult(meta, problems=(problem("template-tampered", detail=str(exc)),))
    return ReadResult(meta, cells, formulas)


def _refused(code: str, detail: str) -> ReadResult:
    return ReadResult(None, problems=(problem(code, detail=detail),))
