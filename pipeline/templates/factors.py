"""The `Faktor` sheet of a unit template: per indicator, what helped, what hindered, what next.

Free text, optional, at most `contract.TEXT_LIMITS[field]` characters (Excel refuses more).
Cells are formatted as text, so `=...` typed there stays text in Excel and LibreOffice; the
pipeline never evaluates them anywhere.
"""

from __future__ import annotations

from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline.catalogue.factors import factor_indicators
from pipeline.catalogue.model import Catalogue
from pipeline.contract import (
    DRIVER_FIELD,
    FACTOR_FIELDS,
    FACTOR_SHEET,
    FOLLOW_UP_FIELD,
    OBSTACLE_FIELD,
    TEXT_LIMITS,
    MappedCell,
)
from pipeline.periods import ROMAN, Period
from pipeline.templates import styles
from pipeline.templates.common import length_rule, row_height

HEADER_ROW = 4
FIRST_ROW = HEADER_ROW + 1
COL_NO, COL_CODE, COL_NAME = 0, 1, 2
COL_FIRST_FACTOR = 3
WIDTHS = (4.0, 14.0, 42.0, 36.0, 36.0, 36.0)
INPUT_HEIGHT = 58.0  # four lines to type in
TITLES = {
    DRIVER_FIELD: "Faktor pendorong",
    OBSTACLE_FIELD: "Faktor penghambat",
    FOLLOW_UP_FIELD: "Tindak lanjut",
}
QUESTIONS = {
    DRIVER_FIELD: "Apa yang membantu capaian indikator ini triwulan ini?",
    OBSTACLE_FIELD: "Apa yang menghambat capaian indikator ini triwulan ini?",
    FOLLOW_UP_FIELD: "Apa yang akan dilakukan triwulan berikutnya?",
}


def text_validation(field: str, title: str, question: str) -> dict[str, Any]:
    """Text of at most TEXT_LIMITS[field] characters, with Indonesian messages."""
    limit = TEXT_LIMITS[field]
    return length_rule(
        limit,
        title,
        f"{question} Boleh kosong; paling banyak {limit} huruf.",
        f"Paling banyak {limit} huruf. Persingkat tulisannya.",
    )


def write_factors(
    workbook: Workbook,
    formats: dict[str, Any],
    catalogue: Catalogue,
    unit_code: str,
    period: Period,
) -> list[MappedCell]:
    """Add the `Faktor` sheet; return its mapped (editable) cells."""
    sheet = workbook.add_worksheet(FACTOR_SHEET)
    unit = catalogue.unit(unit_code)
    text = workbook.add_format(
        {
            "font_name": styles.FONT,
            "font_size": 10,
            "num_format": "@",  # typed '=...' stays text
            "bg_color": styles.NOTE,
            "locked": False,
            "text_wrap": True,
            "valign": "top",
            "border": 1,
            "border_color": styles.BORDER,
        }
    )
    _write_top(sheet, formats, unit.nama, period)
    cells: list[MappedCell] = []
    row, number, position = FIRST_ROW, 1, ""
    for indicator in factor_indicators(catalogue, unit_code):
        if indicator.position != position:
            position = indicator.position
            name = catalogue.position(position).nama
            sheet.merge_range(row, 0, row, len(WIDTHS) - 1, f"Jabatan: {name}", formats["group"])
            row += 1
        label = indicator.nama or indicator.indikator
        sheet.write_number(row, COL_NO, number, formats["center"])
        sheet.write_string(row, COL_CODE, indicator.code, formats["cell"])
        sheet.write_string(row, COL_NAME, label, formats["cell"])
        sheet.set_row(row, max(INPUT_HEIGHT, row_height([(label, WIDTHS[COL_NAME])])))
        for offset, field in enumerate(FACTOR_FIELDS):
            col = COL_FIRST_FACTOR + offset
            sheet.write_blank(row, col, None, text)
            rule = text_validation(field, TITLES[field], QUESTIONS[field])
            sheet.data_validation(row, col, row, col, rule)
            address = xl_rowcol_to_cell(row, col)
            cells.append(MappedCell(indicator.code, field, FACTOR_SHEET, address, True, ""))
        row, number = row + 1, number + 1
    for col, width in enumerate(WIDTHS):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(FIRST_ROW, 0)
    styles.print_setup(sheet, catalogue.office, unit.nama, period.label, HEADER_ROW)
    styles.protect(sheet)
    return cells


def _write_top(sheet: Worksheet, formats: dict[str, Any], unit_name: str, period: Period) -> None:
    roman = ROMAN[period.quarter]
    sheet.write_string(
        0, 0, "FAKTOR PENDORONG, FAKTOR PENGHAMBAT DAN TINDAK LANJUT", formats["title"]
    )
    sheet.write_string(1, 0, f"{unit_name} · {period.label}", formats["subtitle"])
    sheet.merge_range(
        2,
        0,
        2,
        len(WIDTHS) - 1,
        f"Boleh diisi (sel hijau muda): untuk setiap indikator, tulis apa yang mendorong dan apa "
        f"yang menghambat capaian s.d. TW {roman}, dan tindak lanjutnya. Tulisan ini dicetak "
        "pada formulir evaluasi yang ditandatangani Kepala Dinas. Capaian sementara tampil di "
        f"sheet IKI. Paling banyak {TEXT_LIMITS[DRIVER_FIELD]} huruf per kolom.",
        formats["wrap"],
    )
    sheet.set_row(2, 42)
    headers = ("No", "Kode", "Jabatan / Indikator Kinerja", *TITLES.values())
    for col, text in enumerate(headers):
        sheet.write_string(HEADER_ROW, col, text, formats["header"])
    sheet.set_row(HEADER_ROW, 30)
