"""The `Pegawai` sheet of the targets workbook: who holds each position, where forms are signed.

Renvapor keeps it with the Rencana Aksi: one row for the Kepala Dinas (who signs every
evaluation form and is no position of the decree), then one row per position of the decree:
Nama, NIP (18 digits; empty for staff who are not civil servants) and Pangkat / Golongan.
Above, the place of signing. Every cell is text (NIP would lose digits as a number).
A revision of the targets workbook carries the roster in force, pre-filled.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline.catalogue.model import Catalogue
from pipeline.contract import (
    HEAD_KEY,
    NAME_FIELD,
    NIP_FIELD,
    PLACE_FIELD,
    RANK_FIELD,
    ROSTER_FIELDS,
    ROSTER_SHEET,
    TEXT_LIMITS,
    WORKBOOK_KEY,
    MappedCell,
)
from pipeline.templates import styles
from pipeline.templates.common import length_rule

HEADER_ROW = 6
FIRST_ROW = HEADER_ROW + 1
PLACE_ROW = 4
COL_NO, COL_CODE, COL_POSITION, COL_UNIT = range(4)
COL_FIELD = {NAME_FIELD: 4, NIP_FIELD: 5, RANK_FIELD: 6}
WIDTHS = (4.0, 15.0, 40.0, 34.0, 30.0, 22.0, 24.0)
# (key, field) -> text to pre-fill (the roster in force, for a revision)
RosterText = Mapping[tuple[str, str], str]

_MESSAGES = {
    NAME_FIELD: ("Nama", "Nama lengkap dengan gelar, seperti tertulis pada tanda tangan."),
    NIP_FIELD: (
        "NIP",
        "18 angka NIP, boleh dengan spasi, misalnya 19650101 199003 1 002. Kosongkan bila "
        "pegawai bukan PNS.",
    ),
    RANK_FIELD: ("Pangkat / Golongan", "Misalnya Penata Tingkat I (III/d). Boleh kosong."),
    PLACE_FIELD: ("Tempat", "Tempat penandatanganan formulir, misalnya Kepanjen."),
}


def _validation(field: str) -> dict[str, Any]:
    title, message = _MESSAGES[field]
    limit = TEXT_LIMITS[field]
    return length_rule(limit, title, message, f"Paling banyak {limit} huruf.")


def write_roster(
    workbook: Workbook,
    formats: dict[str, Any],
    catalogue: Catalogue,
    year: int,
    given: RosterText,
    header: tuple[str, str],
) -> list[MappedCell]:
    """Add the `Pegawai` sheet (pre-filled from `given`); return its mapped cells."""
    sheet = workbook.add_worksheet(ROSTER_SHEET)
    text = workbook.add_format(
        {
            "font_name": styles.FONT,
            "font_size": 10,
            "num_format": "@",
            "bg_color": styles.YELLOW,
            "locked": False,
            "text_wrap": True,
            "valign": "vcenter",
            "border": 1,
            "border_color": styles.BORDER,
        }
    )
    _write_top(sheet, formats, catalogue, year)
    place_col = COL_FIELD[NAME_FIELD]
    cells = [_input(sheet, text, WORKBOOK_KEY, PLACE_FIELD, PLACE_ROW, place_col, given)]
    rows = [(HEAD_KEY, "", f"Kepala {catalogue.office}", "")]
    rows += [(p.code, p.code, p.nama, catalogue.unit(p.unit).nama) for p in catalogue.positions]
    for index, (key, code, title, unit) in enumerate(rows):
        row = FIRST_ROW + index
        sheet.write_number(row, COL_NO, index + 1, formats["center"])
        sheet.write_string(row, COL_CODE, code, formats["cell"])
        sheet.write_string(row, COL_POSITION, title, formats["cell"])
        sheet.write_string(row, COL_UNIT, unit, formats["cell"])
        for field in ROSTER_FIELDS:
            cells.append(_input(sheet, text, key, field, row, COL_FIELD[field], given))
        sheet.set_row(row, 28)
    for col, width in enumerate(WIDTHS):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(FIRST_ROW, 3)
    styles.print_setup(sheet, catalogue.office, *header, HEADER_ROW)
    styles.protect(sheet)
    return cells


def _input(
    sheet: Worksheet, fmt: Any, key: str, field: str, row: int, col: int, given: RosterText
) -> MappedCell:
    value = given.get((key, field), "")
    if value:
        sheet.write_string(row, col, value, fmt)
    else:
        sheet.write_blank(row, col, None, fmt)
    sheet.data_validation(row, col, row, col, _validation(field))
    return MappedCell(key, field, ROSTER_SHEET, xl_rowcol_to_cell(row, col), True, value)


def _write_top(sheet: Worksheet, formats: dict[str, Any], catalogue: Catalogue, year: int) -> None:
    sheet.write_string(0, 0, f"DAFTAR PEGAWAI DAN PENANDATANGAN {year}", formats["title"])
    sheet.write_string(1, 0, catalogue.office, formats["subtitle"])
    sheet.merge_range(
        2,
        0,
        2,
        len(WIDTHS) - 1,
        "Isi nama, NIP dan pangkat/golongan pemangku setiap jabatan pada sel kuning. Nama dan "
        "NIP dicetak pada formulir evaluasi IKI dan lembar IKI tiap pegawai (pegawai dan "
        "atasannya). NIP 18 angka, boleh dengan spasi; kosongkan bila pegawai bukan PNS. "
        "Formulir evaluasi ditandatangani Kepala Dinas (Dievaluasi oleh) dan Kepala Sub Bagian "
        "Perencanaan, Evaluasi dan Pelaporan (Disusun oleh).",
        formats["wrap"],
    )
    sheet.set_row(2, 42)
    sheet.merge_range(
        PLACE_ROW, COL_POSITION, PLACE_ROW, COL_UNIT, "Tempat penandatanganan:", formats["label"]
    )
    headers = ("No", "Kode", "Jabatan", "Unit kerja", "Nama", "NIP", "Pangkat / Golongan")
    for col, label in enumerate(headers):
        sheet.write_string(HEADER_ROW, col, label, formats["header"])
    sheet.set_row(HEADER_ROW, 30)
