"""The `Petunjuk` sheet: who, what, until when, how, and what happens next."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from xlsxwriter.workbook import Workbook

from pipeline.contract import GUIDE_SHEET
from pipeline.templates import styles
from pipeline.templates.common import row_height

_WIDTHS = (4.0, 30.0, 90.0)


@dataclass(frozen=True)
class Guide:
    """The text of one `Petunjuk` sheet."""

    title: str
    facts: tuple[tuple[str, str], ...]
    steps: tuple[str, ...]
    colours: tuple[tuple[str, str], ...]  # (format name, meaning)
    after: tuple[str, ...]
    footnote: str


def write_guide(workbook: Workbook, formats: dict[str, Any], guide: Guide, header: str) -> None:
    """Add the `Petunjuk` sheet, protected, printable on A4."""
    sheet = workbook.add_worksheet(GUIDE_SHEET)
    for col, width in enumerate(_WIDTHS):
        sheet.set_column(col, col, width)
    sheet.hide_gridlines(2)
    sheet.write_string(0, 0, guide.title, formats["title"])
    row = 2
    for label, value in guide.facts:
        sheet.write_string(row, 1, label, formats["label"])
        sheet.write_string(row, 2, value, formats["wrap"])
        row += 1
    row = _section(sheet, formats, row + 1, "Cara mengisi", guide.steps)
    sheet.write_string(row + 1, 1, "Arti warna", formats["subtitle"])
    row += 2
    for name, meaning in guide.colours:
        sheet.write_string(row, 1, "", formats[name])
        sheet.write_string(row, 2, meaning, formats["wrap"])
        row += 1
    row = _section(sheet, formats, row + 1, "Setelah dikirim", guide.after)
    sheet.merge_range(row + 1, 1, row + 1, 2, guide.footnote, formats["small"])
    sheet.set_row(row + 1, row_height([(guide.footnote, _WIDTHS[1] + _WIDTHS[2])]))
    sheet.set_paper(9)
    sheet.set_portrait()
    sheet.fit_to_pages(1, 0)
    sheet.set_header(f"&C&9&B{styles.escape_header(header)}")
    sheet.set_footer("&RHalaman &P dari &N")
    sheet.activate()
    styles.protect(sheet)


def _section(
    sheet: Any, formats: dict[str, Any], row: int, title: str, lines: Sequence[str]
) -> int:
    sheet.write_string(row, 1, title, formats["subtitle"])
    row += 1
    for number, line in enumerate(lines, start=1):
        sheet.write_string(row, 0, f"{number}.", formats["text"])
        sheet.merge_range(row, 1, row, 2, line, formats["wrap"])
        sheet.set_row(row, row_height([(line, _WIDTHS[1] + _WIDTHS[2])]))
        row += 1
    return row
