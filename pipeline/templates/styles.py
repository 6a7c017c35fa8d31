"""Colours, cell formats and print setup shared by every generated workbook."""

from __future__ import annotations

from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

# Colours staff already read this way: yellow is "fill me", grey is "not yours".
YELLOW = "#FFF2A8"
DONE = "#DCE6F1"  # earlier quarters, already reported: pale blue
LATER = "#BFBFBF"  # later quarters: grey
HEADER = "#1F4E78"
GROUP = "#D9E1F2"
NOTE = "#E2EFDA"  # remarks: pale green, "may fill"
BORDER = "#A6A6A6"
# Predikat colours from best to worst; extra bands reuse the last colour.
BAND_COLOURS = ("#63BE7B", "#B5D98B", "#FFEB84", "#FBB36F", "#F8696B")

WHOLE = "#,##0"
DECIMAL = "#,##0.00"
FONT = "Calibri"

_GRID: dict[str, Any] = {"border": 1, "border_color": BORDER}
_INPUT: dict[str, Any] = {"bg_color": YELLOW, "locked": False, "valign": "vcenter", **_GRID}
_SPECS: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 14, "font_color": HEADER},
    "subtitle": {"bold": True, "font_size": 11},
    "text": {"valign": "top"},
    "wrap": {"text_wrap": True, "valign": "top"},
    "small": {"italic": True, "font_color": "#595959", "text_wrap": True, "valign": "top"},
    "label": {"bold": True, "valign": "top"},
    "header": {
        "bold": True,
        "font_color": "#FFFFFF",
        "bg_color": HEADER,
        "text_wrap": True,
        "align": "center",
        "valign": "vcenter",
        "border": 1,
        "border_color": BORDER,
    },
    "group": {"bold": True, "bg_color": GROUP, "border": 1, "border_color": BORDER},
    "cell": {"text_wrap": True, "valign": "vcenter", "border": 1, "border_color": BORDER},
    "center": {"align": "center", "valign": "vcenter", "border": 1, "border_color": BORDER},
    "input": {**_INPUT, "num_format": WHOLE},
    "input_decimal": {**_INPUT, "num_format": DECIMAL},
    "input_text": {**_INPUT, "align": "center"},
    "done": {"bg_color": DONE, "num_format": WHOLE, "valign": "vcenter", **_GRID},
    "later": {"bg_color": LATER, "num_format": WHOLE, "valign": "vcenter", **_GRID},
    "later_text": {"bg_color": LATER, "align": "center", "valign": "vcenter", **_GRID},
    "note": {
        "bg_color": NOTE,
        "locked": False,
        "text_wrap": True,
        "valign": "vcenter",
        "border": 1,
        "border_color": BORDER,
    },
    "number": {"num_format": WHOLE, "valign": "vcenter", **_GRID},
    "decimal": {"num_format": DECIMAL, "valign": "vcenter", **_GRID},
    "result": {"num_format": WHOLE, "bold": True, "valign": "vcenter", **_GRID},
    "result_decimal": {"num_format": DECIMAL, "bold": True, "valign": "vcenter", **_GRID},
    "legend_input": {"bg_color": YELLOW, "border": 1, "align": "center"},
    "legend_note": {"bg_color": NOTE, "border": 1, "align": "center"},
    "legend_done": {"bg_color": DONE, "border": 1, "align": "center"},
    "legend_later": {"bg_color": LATER, "border": 1, "align": "center"},
    "meta": {"num_format": "@"},
}


def add_formats(workbook: Workbook) -> dict[str, Any]:
    """Create every named format once for a workbook."""
    formats = {}
    for name, spec in _SPECS.items():
        formats[name] = workbook.add_format({"font_name": FONT, "font_size": 10, **spec})
    formats["title"].set_font_size(14)
    formats["subtitle"].set_font_size(11)
    return formats


def escape_header(text: str) -> str:
    """Escape text for an Excel header or footer, where '&' starts a code."""
    return text.replace("&", "&&")


def print_setup(sheet: Worksheet, office: str, unit: str, period: str, header_row: int) -> None:
    """A4 landscape, fit to one page wide, repeated header row, header and footer."""
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
    sheet.center_horizontally()
    sheet.repeat_rows(header_row)
    sheet.set_header(
        f"&L&8{escape_header(office)}&C&9&B{escape_header(unit)}&R&8{escape_header(period)}"
    )
    sheet.set_footer("&L&8Template IKI: isi hanya sel kuning&RHalaman &P dari &N")


def protect(sheet: Worksheet) -> None:
    """Protect a sheet without a password: yellow (unlocked) cells stay editable."""
    sheet.protect(
        "",
        {
            "select_locked_cells": True,
            "select_unlocked_cells": True,
            "format_columns": True,
            "format_rows": True,
        },
    )
