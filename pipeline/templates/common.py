"""Pieces every generated workbook shares: the workbook itself, `_meta`, dates, row heights."""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

from xlsxwriter.workbook import Workbook

from pipeline.contract import META_SHEET, TemplateMeta, meta_rows, sealed

LINE_HEIGHT = 13.0  # points per line of 10-point text


def now_text() -> str:
    """Generation time as ISO 8601 in UTC, to the second."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class _StructureLockedWorkbook(Workbook):  # type: ignore[misc]
    """A workbook whose structure is protected (no password).

    LibreOffice saves a very hidden sheet as merely hidden; with the structure locked, staff
    still cannot unhide `_meta`, nor rename, delete or add sheets, without first turning the
    protection off on purpose. xlsxwriter 3.3 has no API for it, so this adds the element
    right after <workbookPr>, where the schema puts it.
    """

    def _write_workbook_pr(self) -> None:
        super()._write_workbook_pr()
        self._xml_empty_tag("workbookProtection", [("lockStructure", 1)])


def new_workbook(path: Path | BinaryIO, title: str, generated_at: str) -> Workbook:
    """An xlsxwriter workbook that never turns text into formulas, numbers or links."""
    workbook = _StructureLockedWorkbook(
        str(path) if isinstance(path, Path) else path,
        {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False},
    )
    properties: dict[str, Any] = {"title": title, "company": "IKI Pipeline"}
    with contextlib.suppress(ValueError):
        properties["created"] = dt.datetime.fromisoformat(generated_at)
    workbook.set_properties(properties)
    return workbook


def write_meta(workbook: Workbook, meta: TemplateMeta, key: str) -> TemplateMeta:
    """Write the contract's `_meta` sheet, sealed, all text, very hidden and protected."""
    meta = sealed(meta, key)
    sheet = workbook.add_worksheet(META_SHEET)
    text = workbook.add_format({"num_format": "@"})
    for r, row in enumerate(meta_rows(meta)):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value, text)
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, 5, 14)
    sheet.very_hidden()
    sheet.protect("")
    return meta


def row_height(cells: Sequence[tuple[str, float]]) -> float:
    """Height that shows every wrapped text in full, given (text, column width) pairs."""
    lines = 1
    for text, width in cells:
        chars = max(1.0, width * 1.15)
        wrapped = sum(max(1, math.ceil(len(part) / chars)) for part in text.split("\n"))
        lines = max(lines, wrapped)
    return LINE_HEIGHT * lines + 3


def number_text(value: float | None) -> str:
    """A number as `_meta` stores it: '' when empty, '12' for a whole number, else '12.5'."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def length_rule(limit: int, title: str, message: str, error: str) -> dict[str, Any]:
    """Data validation of a free-text cell: at most `limit` characters, empty allowed.

    Excel caps an input title at 32 characters and an input message at 255."""
    return {
        "validate": "length",
        "criteria": "<=",
        "value": limit,
        "ignore_blank": True,
        "input_title": title[:32],
        "input_message": message[:255],
        "error_title": "Teks terlalu panjang",
        "error_message": error,
        "error_type": "stop",
    }
