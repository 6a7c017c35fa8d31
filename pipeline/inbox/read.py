"""Read a guarded workbook: its `_meta` and the raw value and formula of every mapped cell.

One zip opened once; `_meta` read as rows, then each sheet the map names parsed once
(`pipeline/inbox/xlsx.py`): the same walk over a sheet's `<c>` elements gives a mapped cell's
value and tells whether it holds a formula, so no XML trick can show one reader a formula and
the other a number. Cached values of formulas are never taken as data: a formula in a mapped
cell is reported. Only mapped cells are kept; no grid is built, so a far cell costs nothing.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.contract import MAP_HEADER, META_SHEET, ContractError, TemplateMeta, parse_meta
from pipeline.inbox.xlsx import Package, Raw, WorkbookError
from pipeline.problems import Problem, problem

Address = tuple[str, str]  # (sheet, cell) as in 'Isian', 'G7'
META_MAX_ROWS = 20_000  # a template's _meta has a few hundred rows

__all__ = ["Address", "Raw", "ReadResult", "read_workbook"]


@dataclass(frozen=True)
class ReadResult:
    """What a workbook holds for the pipeline: its identity and its mapped cells, raw."""

    meta: TemplateMeta | None
    cells: dict[Address, Raw] = field(default_factory=dict)
    formulas: dict[Address, str] = field(default_factory=dict)  # mapped cells with a formula
    problems: tuple[Problem, ...] = ()


def read_workbook(path: Path, data: bytes | None = None) -> ReadResult:
    """Read `_meta` and every mapped cell; fatal problems when the file is no template."""
    content = path.read_bytes() if data is None else data
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return _read(Package(archive))
    except WorkbookError as exc:
        return _refused("unreadable-workbook", str(exc))
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as exc:
        return _refused("unreadable-workbook", _short(exc))


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


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:160]
