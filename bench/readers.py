"""The same files read four ways, side by side: the unzip floor, calamine, the pipeline, openpyxl.

Every reader does the same job: find `_meta`, parse it, and return the raw value of every
mapped cell. The floor only inflates the zip members such a reader needs (the workbook, its
relationships, and the XML of `_meta` and of each mapped sheet): no reader can do less. The
pipeline's guard is also timed alone, as the part of its reader that runs before calamine.
"""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import python_calamine

from bench.xlsx_edit import sheet_members
from pipeline.contract import META_SHEET, TemplateMeta, parse_meta, split_ref
from pipeline.inbox.guard import guard_bytes
from pipeline.inbox.read import read_workbook

Cells = dict[tuple[str, str], Any]
BOOK_MEMBERS = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")


@dataclass(frozen=True)
class Timing:
    """One reader over a list of files."""

    name: str
    files: int
    seconds: float

    @property
    def per_second(self) -> float:
        """Files per second."""
        return self.files / self.seconds if self.seconds else float("inf")

    @property
    def ms_per_file(self) -> float:
        """Milliseconds per file."""
        return 1000 * self.seconds / self.files if self.files else 0.0


def needed_members(path: Path) -> list[str]:
    """Members a reader of `_meta` and the mapped cells inflates (found once, untimed)."""
    with zipfile.ZipFile(path) as archive:
        sheets = sheet_members({name: archive.read(name) for name in BOOK_MEMBERS})
    meta = _meta_of(path)
    wanted = {META_SHEET} | {c.sheet for c in meta.cells}
    return [*BOOK_MEMBERS, *(sheets[s] for s in sorted(wanted))]


def _meta_of(path: Path) -> TemplateMeta:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return parse_meta(book.get_sheet_by_name(META_SHEET).to_python(skip_empty_area=False))


def unzip_floor(path: Path, members: Sequence[str]) -> int:
    """Read the file and inflate the members; return the bytes inflated."""
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
        return sum(len(archive.read(name)) for name in members)


def calamine_cells(path: Path) -> Cells:
    """python-calamine direct: `_meta`, then each mapped sheet once."""
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    meta = parse_meta(book.get_sheet_by_name(META_SHEET).to_python(skip_empty_area=False))
    grids: dict[str, list[list[Any]]] = {}
    for cell in meta.cells:
        if cell.sheet not in grids:
            grids[cell.sheet] = book.get_sheet_by_name(cell.sheet).to_python(skip_empty_area=False)
    return {(c.sheet, c.cell): _at(grids[c.sheet], c.cell, "") for c in meta.cells}


def openpyxl_cells(path: Path) -> Cells:
    """openpyxl at its fastest (read-only, values only): `_meta`, then each mapped sheet once."""
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        meta = parse_meta(list(book[META_SHEET].iter_rows(values_only=True)))
        grids: dict[str, list[list[Any]]] = {}
        for cell in meta.cells:
            if cell.sheet not in grids:
                rows = book[cell.sheet].iter_rows(values_only=True)
                grids[cell.sheet] = [list(row) for row in rows]
        return {(c.sheet, c.cell): _at(grids[c.sheet], c.cell, None) for c in meta.cells}
    finally:
        book.close()


def guard_only(path: Path) -> bool:
    """The pipeline's guard alone (the part of its reader that runs before calamine)."""
    return not guard_bytes(path.read_bytes())


def pipeline_cells(path: Path) -> Cells:
    """The pipeline's reader as the scan calls it: `read_workbook` guards, then reads."""
    return dict(read_workbook(path, path.read_bytes()).cells)


def _at(grid: list[list[Any]], ref: str, empty: Any) -> Any:
    row, column = split_ref(ref)
    value = grid[row][column] if row < len(grid) and column < len(grid[row]) else empty
    return None if value == empty else value


def same_cells(one: Cells, other: Cells) -> bool:
    """Whether two readers found the same values (200 and 200.0 alike)."""
    if one.keys() != other.keys():
        return False
    return all(_norm(one[k]) == _norm(other[k]) for k in one)


def _norm(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def time_reader(
    name: str, read: Callable[[Path], Any], paths: Sequence[Path], repeat: int = 1
) -> tuple[Timing, list[Any]]:
    """The best of `repeat` passes of one reader over all paths, and what it returned."""
    best, results = float("inf"), []
    for _ in range(repeat):
        start = time.perf_counter()
        results = [read(p) for p in paths]
        best = min(best, time.perf_counter() - start)
    return Timing(name, len(paths), best), results
