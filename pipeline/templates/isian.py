"""The `Isian` sheet: one row per variable the unit reports, TW I to TW IV, remarks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline import measure
from pipeline.catalogue.model import Catalogue, Variable
from pipeline.contract import CODE_FIELD, INPUT_SHEET, NOTE_FIELD, MappedCell, quarter_field
from pipeline.periods import QUARTERS, ROMAN, Period
from pipeline.templates import formulas, styles
from pipeline.templates.common import number_text, row_height

HEADER_ROW = 5  # 0-based: Excel row 6
FIRST_ROW = HEADER_ROW + 1
COL_NO, COL_CODE, COL_LABEL, COL_SATUAN, COL_KIND, COL_USERS = range(6)
COL_Q1 = 6  # TW I; TW q is COL_Q1 + q - 1
COL_TODATE = COL_Q1 + 4
COL_NOTE = COL_TODATE + 1
# Hidden: TW I..TW IV as the report reads them (formulas.read_number), so digits typed as
# text ('129) count in the live sheets as they do in the report; to-date adds these.
COL_READ = COL_NOTE + 1  # TW q's reading is COL_READ + q - 1
WIDTHS = (4.0, 25.0, 46.0, 10.0, 15.0, 30.0, 11.0, 11.0, 11.0, 11.0, 12.0, 30.0)
FLOW_TEXT = "Jumlah selama triwulan"
STOCK_TEXT = "Posisi akhir triwulan"


@dataclass(frozen=True)
class IsianResult:
    """What the IKI sheet needs from `Isian`: the to-date cell and value of each variable."""

    cells: tuple[MappedCell, ...]
    to_date_ref: dict[str, str]  # variable code -> absolute reference, e.g. Isian!$K$7
    to_date_value: dict[str, float | None]  # the value those cells show when generated


def headers(period: Period) -> list[str]:
    """Column headers of `Isian`."""
    return [
        "No",
        "Kode",
        "Uraian Data",
        "Satuan",
        "Yang Dilaporkan",
        "Dipakai untuk Indikator",
        *(f"TW {ROMAN[q]}" for q in QUARTERS),
        f"Realisasi s.d. TW {ROMAN[period.quarter]}",
        "Keterangan",
    ]


def write_isian(
    workbook: Workbook,
    formats: dict[str, Any],
    catalogue: Catalogue,
    unit_code: str,
    period: Period,
    prefill: Mapping[tuple[str, int], float],
) -> IsianResult:
    """Add the `Isian` sheet and return its mapped cells and to-date references."""
    sheet = workbook.add_worksheet(INPUT_SHEET)
    unit = catalogue.unit(unit_code)
    _write_top(sheet, formats, unit.nama, period)
    for col, text in enumerate(headers(period)):
        sheet.write_string(HEADER_ROW, col, text, formats["header"])
    sheet.set_row(HEADER_ROW, 30)
    cells: list[MappedCell] = []
    refs: dict[str, str] = {}
    values: dict[str, float | None] = {}
    for index, variable in enumerate(catalogue.variables_of(unit_code)):
        row = FIRST_ROW + index
        cells.extend(_write_row(sheet, formats, catalogue, variable, row, index, period, prefill))
        to_date = xl_rowcol_to_cell(row, COL_TODATE, row_abs=True, col_abs=True)
        refs[variable.code] = f"{INPUT_SHEET}!{to_date}"
        values[variable.code] = _initial_to_date(variable, period, prefill)
        _write_readings(
            sheet, formats, row, period, [prefill.get((variable.code, q)) for q in QUARTERS]
        )
        sheet.write_formula(
            row,
            COL_TODATE,
            _to_date_formula(variable, row, period),
            formats["number"],
            _cached(values[variable.code]),
        )
    for col, width in enumerate(WIDTHS):
        sheet.set_column(col, col, width)
    sheet.set_column(COL_READ, COL_READ + 3, 10.0, None, {"hidden": True})
    sheet.freeze_panes(FIRST_ROW, 0)
    styles.print_setup(sheet, catalogue.office, unit.nama, period.label, HEADER_ROW)
    styles.protect(sheet)
    return IsianResult(tuple(cells), refs, values)


def _write_top(sheet: Worksheet, formats: dict[str, Any], unit_name: str, period: Period) -> None:
    roman = ROMAN[period.quarter]
    sheet.write_string(0, 0, "ISIAN DATA INDIKATOR KINERJA INDIVIDU (IKI)", formats["title"])
    sheet.write_string(1, 0, f"{unit_name} · {period.label}", formats["subtitle"])
    sheet.write_string(
        2,
        0,
        f"Isi angka pada semua sel kuning (kolom TW {roman}); angka 0 berarti memang nol. "
        "Bila datanya belum ada, biarkan kosong dan tulis alasannya di kolom Keterangan. "
        "Hasilnya tampil di sheet IKI.",
        formats["text"],
    )
    # A coloured label right above each column says what it is for.
    for q in QUARTERS:
        if q < period.quarter:
            text, style = "Terkunci / susulan", "legend_done"
        elif q == period.quarter:
            text, style = "Isi di sini ↓", "legend_input"
        else:
            text, style = "Terkunci", "legend_later"
        sheet.write_string(4, COL_Q1 + q - 1, text, formats[style])
    sheet.write_string(4, COL_TODATE, "Otomatis", formats["center"])
    sheet.write_string(4, COL_NOTE, "Boleh diisi", formats["legend_note"])


def _users_text(catalogue: Catalogue, code: str) -> str:
    return "\n".join(
        f"{i.code} {catalogue.position(i.position).nama}" for i in catalogue.users_of(code)
    )


def _write_row(
    sheet: Worksheet,
    formats: dict[str, Any],
    catalogue: Catalogue,
    variable: Variable,
    row: int,
    index: int,
    period: Period,
    prefill: Mapping[tuple[str, int], float],
) -> list[MappedCell]:
    users = _users_text(catalogue, variable.code)
    sheet.write_number(row, COL_NO, index + 1, formats["center"])
    sheet.write_string(row, COL_CODE, variable.code, formats["cell"])
    sheet.write_string(row, COL_LABEL, variable.label, formats["cell"])
    sheet.write_string(row, COL_SATUAN, variable.satuan, formats["cell"])
    kind = STOCK_TEXT if variable.agregasi == "last" else FLOW_TEXT
    sheet.write_string(row, COL_KIND, kind, formats["cell"])
    sheet.write_string(row, COL_USERS, users, formats["cell"])
    sheet.write_blank(row, COL_NOTE, None, formats["note"])
    sheet.set_row(
        row,
        row_height([(variable.label, WIDTHS[COL_LABEL]), (users, WIDTHS[COL_USERS]), (kind, 15.0)]),
    )
    code_cell = xl_rowcol_to_cell(row, COL_CODE)
    cells = [MappedCell(variable.code, CODE_FIELD, INPUT_SHEET, code_cell, False, variable.code)]
    for q in QUARTERS:
        cells.append(_write_quarter(sheet, formats, variable, row, q, period, prefill))
    note_cell = xl_rowcol_to_cell(row, COL_NOTE)
    cells.append(MappedCell(variable.code, NOTE_FIELD, INPUT_SHEET, note_cell, True, ""))
    return cells


def _write_quarter(
    sheet: Worksheet,
    formats: dict[str, Any],
    variable: Variable,
    row: int,
    quarter: int,
    period: Period,
    prefill: Mapping[tuple[str, int], float],
) -> MappedCell:
    col = COL_Q1 + quarter - 1
    cell = xl_rowcol_to_cell(row, col)
    field = quarter_field(quarter)
    if quarter == period.quarter:
        sheet.write_blank(row, col, None, formats["input"])
        sheet.data_validation(row, col, row, col, validation(variable, period))
        return MappedCell(variable.code, field, INPUT_SHEET, cell, True, "")
    value = prefill.get((variable.code, quarter)) if quarter < period.quarter else None
    if quarter < period.quarter and value is None:
        # Back-filling: no accepted value yet for this earlier quarter: the unit may supply it.
        earlier = Period(period.year, quarter)
        sheet.write_blank(row, col, None, formats["input"])
        sheet.data_validation(row, col, row, col, validation(variable, earlier, late=True))
        return MappedCell(variable.code, field, INPUT_SHEET, cell, True, "")
    style = formats["done"] if quarter < period.quarter else formats["later"]
    if value is None:
        sheet.write_blank(row, col, None, style)
    else:
        sheet.write_number(row, col, value, style)
    return MappedCell(variable.code, field, INPUT_SHEET, cell, False, number_text(value))


def validation(variable: Variable, period: Period, *, late: bool = False) -> dict[str, Any]:
    """Whole numbers within the variable's bounds, with Indonesian messages.

    late: an earlier quarter that has no accepted value yet (back-filling), said so.
    """
    if variable.agregasi == "last":
        hint = f"Posisi pada akhir {period.label}."
    else:
        hint = f"Hanya yang terjadi selama {period.label}, bukan kumulatif."
    if late:
        hint = f"Susulan: belum ada angka {period.label} yang diterima. {hint} Boleh kosong."
    if variable.maksimum is None:
        bounds = f"bilangan bulat {variable.minimum} atau lebih"
        rule: dict[str, Any] = {"criteria": ">=", "value": variable.minimum}
    else:
        bounds = f"bilangan bulat {variable.minimum} sampai {variable.maksimum}"
        rule = {"criteria": "between", "minimum": variable.minimum, "maximum": variable.maksimum}
    tail = f" ({variable.satuan}). {hint} Isi {bounds}."
    label = variable.label[: 255 - len(tail)]
    return {
        "validate": "integer",
        **rule,
        "ignore_blank": True,
        "input_title": f"Isian TW {ROMAN[period.quarter]} {period.year}",
        "input_message": label + tail,
        "error_title": "Angka tidak dapat diterima",
        "error_message": (
            f"Isi {bounds} ({variable.satuan}), tanpa titik, koma atau huruf. "
            "Bila datanya belum ada, kosongkan sel dan tulis alasannya di Keterangan."
        ),
        "error_type": "stop",
    }


def _write_readings(
    sheet: Worksheet,
    formats: dict[str, Any],
    row: int,
    period: Period,
    shown: list[float | None],
) -> None:
    """The hidden cells that read quarters 1..q as the report does (shown: TW I..IV locked)."""
    for q in period.quarters_to_date():
        cell = xl_rowcol_to_cell(row, COL_Q1 + q - 1)
        cached = shown[q - 1] if q < period.quarter else None
        formula = formulas.read_number(cell)
        sheet.write_formula(row, COL_READ + q - 1, formula, formats["number"], _cached(cached))


def _to_date_formula(variable: Variable, row: int, period: Period) -> str:
    readings = [xl_rowcol_to_cell(row, COL_READ + q - 1) for q in period.quarters_to_date()]
    return formulas.to_date(variable.agregasi, readings)


def _initial_to_date(
    variable: Variable, period: Period, prefill: Mapping[tuple[str, int], float]
) -> float | None:
    earlier = {q: prefill.get((variable.code, q)) for q in range(1, period.quarter)}
    return measure.aggregate(earlier, variable.agregasi, period.quarter)


def _cached(value: float | str | None) -> float | str:
    """The value a formula cell shows before any recalculation."""
    return "" if value is None else value
