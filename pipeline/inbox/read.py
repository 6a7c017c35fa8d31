"""Read a guarded workbook: its `_meta` and the raw value of every mapped cell.

python-calamine reads values only (about 30x faster than openpyxl here). Cached values of
formulas cannot be trusted, so formulas in mapped cells are found in the sheet XML itself
and reported; nothing computed by a spreadsheet is ever taken as data.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path, PurePosixPath
from typing import Any

import python_calamine

from pipeline.contract import META_SHEET, ContractError, TemplateMeta, parse_meta, split_ref
from pipeline.problems import Problem, problem

Raw = float | int | str | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None
Address = tuple[str, str]  # (sheet, cell) as in 'Isian', 'G7'

_XML_F = re.compile(rb"<(?:(\w+:))?f[\s/>]")
_XML_REF = re.compile(rb'\br="([A-Z]{1,3}[0-9]{1,7})"')
_XML_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


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
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
        names = list(book.sheet_names)
        if META_SHEET not in names:
            return ReadResult(None, problems=(problem("not-a-template"),))
        meta_rows = book.get_sheet_by_name(META_SHEET).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises several unrelated types on damaged files
        return ReadResult(None, problems=(problem("unreadable-workbook", detail=_short(exc)),))
    try:
        meta = parse_meta(meta_rows)
    except ContractError as exc:
        return ReadResult(None, problems=(problem("template-meta-invalid", detail=str(exc)),))
    missing = sorted({c.sheet for c in meta.cells} - set(names))
    if missing:
        detail = f"lembar {', '.join(missing)} tidak ada"
        return ReadResult(meta, problems=(problem("template-tampered", detail=detail),))
    try:
        cells = _mapped_values(book, meta)
        formulas = _mapped_formulas(content, meta)
    except Exception as exc:  # a sheet that lists but does not read is a damaged file
        return ReadResult(meta, problems=(problem("unreadable-workbook", detail=_short(exc)),))
    return ReadResult(meta, cells, formulas)


def _mapped_values(book: Any, meta: TemplateMeta) -> dict[Address, Raw]:
    grids: dict[str, list[list[Any]]] = {}
    values: dict[Address, Raw] = {}
    for cell in meta.cells:
        if cell.sheet not in grids:
            sheet = book.get_sheet_by_name(cell.sheet)
            grids[cell.sheet] = sheet.to_python(skip_empty_area=False)
        try:
            row, column = split_ref(cell.cell)
        except ValueError:
            continue  # an unusable map entry is reported by the structure checks
        grid = grids[cell.sheet]
        raw = grid[row][column] if row < len(grid) and column < len(grid[row]) else None
        values[(cell.sheet, cell.cell)] = None if raw == "" else raw
    return values


def _mapped_formulas(content: bytes, meta: TemplateMeta) -> dict[Address, str]:
    """Formulas in mapped cells, read from the sheet XML (cheap: one regex pass a sheet)."""
    wanted: dict[str, set[str]] = {}
    for cell in meta.cells:
        wanted.setdefault(cell.sheet, set()).add(cell.cell)
    found: dict[Address, str] = {}
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        parts = _sheet_parts(archive)
        for sheet, refs in wanted.items():
            part = parts.get(sheet)
            if part is None or part not in archive.namelist():
                continue
            for ref, formula in _formula_cells(archive.read(part)):
                if ref in refs:
                    found[(sheet, ref)] = formula
    return found


def _formula_cells(xml: bytes) -> list[tuple[str, str]]:
    """(cell, formula) of every cell holding a formula: found from each `<f>` back to its `<c>`.

    Cheaper than visiting every cell: templates hold far fewer formulas than cells.
    """
    cells = []
    for match in _XML_F.finditer(xml):
        prefix = match.group(1) or b""
        start = xml.rfind(b"<" + prefix + b"c ", 0, match.start())
        if start < 0:
            continue
        ref = _XML_REF.search(xml, start, xml.find(b">", start))
        formula = _XML_FORMULA.match(xml, match.start())
        if ref and formula:
            text = unescape((formula.group(1) or b"").decode("utf-8", "replace"))
            cells.append((ref.group(1).decode(), "=" + text if text else "rumus bersama"))
    return cells


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> zip member of its XML, from workbook.xml and its relationships.

    Files made from one template share these two small parts byte for byte, so each pair
    is parsed once (a bounded cache of small parts only: a hostile file gains nothing).
    """
    key = (archive.read("xl/workbook.xml"), archive.read("xl/_rels/workbook.xml.rels"))
    if len(key[0]) + len(key[1]) > _PARTS_CACHE_BYTES:
        return _parse_sheet_parts(*key)
    parts = _PARTS_CACHE.get(key)
    if parts is None:
        if len(_PARTS_CACHE) >= _PARTS_CACHE_SIZE:
            _PARTS_CACHE.clear()
        parts = _PARTS_CACHE[key] = _parse_sheet_parts(*key)
    return dict(parts)


_PARTS_CACHE: dict[tuple[bytes, bytes], dict[str, str]] = {}
_PARTS_CACHE_SIZE, _PARTS_CACHE_BYTES = 64, 65_536


def _parse_sheet_parts(workbook_xml: bytes, rels_xml: bytes) -> dict[str, str]:
    book = ET.fromstring(workbook_xml)
    rels = ET.fromstring(rels_xml)
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    parts = {}
    for sheet in book.iter():
        if not sheet.tag.endswith("}sheet"):
            continue
        target = targets.get(sheet.get(f"{{{_NS_REL}}}id"), "")
        if target.startswith("/"):
            parts[sheet.get("name", "")] = target.lstrip("/")
        elif target:
            parts[sheet.get("name", "")] = str(PurePosixPath("xl") / target)
    return parts


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:160]
