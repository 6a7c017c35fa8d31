"""Write a plain table (header, typed rows, filter, frozen header) on a worksheet."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.report.styles import Styles


@dataclass(frozen=True)
class Column:
    """One column: header text, width in characters, and how values are written."""

    header: str
    width: float
    kind: str = "text"  # text, wrap, integer, decimal


def is_empty(value: Any) -> bool:
    """True for None, NaN and the empty string: written as a blank cell."""
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def write_cell(ws: Any, row: int, col: int, value: Any, fmt: Any) -> None:
    """Write a number as a number and anything else as text, never as a formula."""
    if is_empty(value):
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        if math.isfinite(float(value)):
            ws.write_number(row, col, float(value), fmt)
        else:  # never computed from bounded inputs; shown rather than crashing the report
            ws.write_string(row, col, "tak hingga" if value == value else "bukan angka", fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


HEADER_HEIGHT = 30.0  # two lines of header text
LINE_HEIGHT = 12.0  # points per line of 10-point text
CHARS_PER_WIDTH = 1.2  # 10-point characters per unit of column width (Calibri 11 units)


def row_height(columns: Sequence[Column], values: Sequence[Any]) -> float | None:
    """Height fitting the longest wrapped cell (LibreOffice keeps the height the file says)."""
    lines = 1
    for column, value in zip(columns, values, strict=True):
        if column.kind != "wrap" or is_empty(value):
            continue
        fit = max(1, int(column.width * CHARS_PER_WIDTH))
        lines = max(lines, sum(-(-max(len(part), 1) // fit) for part in str(value).split("\n")))
    return LINE_HEIGHT * lines + 2 if lines > 1 else None


def write_header(ws: Any, row: int, columns: Sequence[Column], styles: Styles) -> None:
    """Header row and column widths."""
    ws.set_row(row, HEADER_HEIGHT)
    for col, column in enumerate(columns):
        ws.set_column(col, col, column.width)
        ws.write_string(row, col, column.header, styles.header)


def write_table(
    ws: Any,
    first_row: int,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    styles: Styles,
    *,
    empty_message: str = "",
) -> int:
    """Write header and rows from first_row; freeze and filter; return the next free row."""
    write_header(ws, first_row, columns, styles)
    formats = {c.kind: getattr(styles, c.kind) for c in columns}
    row = first_row
    for row_values in rows:
        row += 1
        ws.set_row(row, row_height(columns, row_values))
        for col, (column, value) in enumerate(zip(columns, row_values, strict=True)):
            write_cell(ws, row, col, value, formats[column.kind])
    ws.freeze_panes(first_row + 1, 0)
    ws.repeat_rows(first_row)
    if row == first_row and empty_message:
        ws.write_string(first_row + 1, 0, empty_message, styles.note)
        return first_row + 2
    ws.autofilter(first_row, 0, max(row, first_row), len(columns) - 1)
    return row + 1


def landscape(ws: Any, header: str) -> None:
    """A4 landscape, one page wide, with a running header and page numbers."""
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_header(f"&L&8{_escape(header)}")
    ws.set_footer("&R&8Halaman &P dari &N")


def _escape(text: str) -> str:
    return text.replace("&", "&&")
