"""The `IKI` sheet: each position's indicators with live realisation, capaian and predikat."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline import measure
from pipeline.catalogue.model import Catalogue, Indicator
from pipeline.contract import (
    BASELINE_FIELD,
    IKI_SHEET,
    TARGET_FIELD,
    TARGET_TO_DATE_FIELD,
    MappedCell,
)
from pipeline.periods import ROMAN, Period
from pipeline.rencana import TargetPlan, as_plan
from pipeline.templates import formulas, styles
from pipeline.templates.common import number_text, row_height
from pipeline.templates.isian import IsianResult

HEADER_ROW = 5
FIRST_ROW = HEADER_ROW + 1

# (key, header, width); the baseline column appears only when a unit has growth indicators.
_COLUMNS: tuple[tuple[str, str, float], ...] = (
    ("no", "No", 4.0),
    ("code", "Kode", 14.0),
    ("kinerja", "Kinerja", 30.0),
    ("indikator", "Indikator Kinerja", 38.0),
    ("rumus", "Dihitung dari (kode di sheet Isian)", 26.0),
    ("satuan", "Satuan", 9.0),
    ("baseline", "Nilai {y} s.d. TW {q}", 11.0),
    ("target", "Target Tahunan", 11.0),
    ("target_sd", "Target s.d. TW {q}", 11.0),
    ("realisasi", "Realisasi s.d. TW {q}", 12.0),
    ("capaian", "Capaian (%)", 10.0),
    ("predikat", "Predikat", 13.0),
    ("capaian_tahunan", "Capaian Tahunan (%)", 10.0),
    ("reason", "Keterangan", 26.0),
)


@dataclass(frozen=True)
class IkiInputs:
    """Everything the IKI sheet shows besides the catalogue.

    targets: indicator -> its plan in effect for the template's year (or an annual target
    alone); baselines: growth indicator -> {quarter: its variable's value in that quarter of
    last year}; the sheet shows last year's value to date (`last_year_to_date`).
    """

    targets: Mapping[str, float | TargetPlan]
    baselines: Mapping[str, Mapping[int, float]]
    bands: Sequence[tuple[float, str]]


def last_year_to_date(
    catalogue: Catalogue, baselines: Mapping[str, Mapping[int, float]], quarter: int
) -> dict[str, float | None]:
    """Growth indicator -> last year's value to date for a quarter (measure.aggregate).

    Flows add quarters 1..quarter (empty when any is missing); stocks take the quarter itself.
    """
    shown: dict[str, float | None] = {}
    for code, by_quarter in baselines.items():
        variable = catalogue.variable(catalogue.indicator(code).variables[0])
        shown[code] = measure.aggregate(by_quarter, variable.agregasi, quarter)
    return shown


def columns(with_baseline: bool) -> list[tuple[str, str, float]]:
    """Column (key, header, width) of the IKI sheet."""
    return [c for c in _COLUMNS if with_baseline or c[0] != "baseline"]


def describe(indicator: Indicator) -> str:
    """How the realisation is computed, in the codes staff see on `Isian`."""
    codes = indicator.variables
    factor = f" × {int(indicator.factor)}" if indicator.factor != 1 else ""
    if indicator.kind == "ratio":
        text = f"{codes[0]} ÷ {codes[1]}{factor}"
    elif indicator.kind == "difference":
        text = f"{codes[0]} − {codes[1]}"
    elif indicator.kind == "growth":
        text = f"({codes[0]} − tahun lalu) ÷ tahun lalu{factor}"
    else:
        text = codes[0]
    if indicator.polaritas == "negatif":
        text += " (makin kecil makin baik)"
    return text


def write_iki(
    workbook: Workbook,
    formats: dict[str, Any],
    catalogue: Catalogue,
    unit_code: str,
    period: Period,
    isian: IsianResult,
    inputs: IkiInputs,
) -> list[MappedCell]:
    """Add the `IKI` sheet; return the mapped target (and baseline) cells."""
    sheet = workbook.add_worksheet(IKI_SHEET)
    unit = catalogue.unit(unit_code)
    positions = catalogue.positions_of(unit_code)
    indicators = [i for p in positions for i in catalogue.indicators_of(p.code)]
    cols = columns(any(i.kind == "growth" for i in indicators))
    col = {key: n for n, (key, _, _) in enumerate(cols)}
    previous = last_year_to_date(catalogue, inputs.baselines, period.quarter)
    _write_top(sheet, formats, unit.nama, period, len(cols))
    for n, (_, text, width) in enumerate(cols):
        header = text.format(q=ROMAN[period.quarter], y=period.year - 1)
        sheet.write_string(HEADER_ROW, n, header, formats["header"])
        sheet.set_column(n, n, width)
    sheet.set_row(HEADER_ROW, 30)
    row, number, cells = FIRST_ROW, 1, []
    for position in positions:
        sheet.merge_range(row, 0, row, len(cols) - 1, f"Jabatan: {position.nama}", formats["group"])
        row += 1
        for indicator in catalogue.indicators_of(position.code):
            given = _given(catalogue, indicator, inputs, period.quarter)
            cells.extend(
                _write_indicator(
                    sheet, formats, col, (row, number), indicator, isian, given, previous
                )
            )
            row, number = row + 1, number + 1
    _predikat_colours(workbook, sheet, col["predikat"], row - 1, inputs.bands)
    sheet.freeze_panes(FIRST_ROW, 0)
    styles.print_setup(sheet, catalogue.office, unit.nama, period.label, HEADER_ROW)
    styles.protect(sheet)
    return cells


def _write_top(
    sheet: Worksheet, formats: dict[str, Any], unit_name: str, period: Period, width: int
) -> None:
    sheet.write_string(0, 0, "CAPAIAN SEMENTARA INDIKATOR KINERJA INDIVIDU (IKI)", formats["title"])
    sheet.write_string(1, 0, f"{unit_name} · {period.label}", formats["subtitle"])
    roman = ROMAN[period.quarter]
    note = (
        "Sheet ini terhitung otomatis dari sheet Isian saat Anda mengetik; tidak ada yang perlu "
        f"diisi di sini. Capaian = realisasi s.d. TW {roman} dibanding target s.d. TW {roman} "
        "(Rencana Aksi); bila target triwulan belum ditetapkan, dibanding target tahunan. "
        "Capaian Tahunan = realisasi s.d. triwulan ini dibanding target setahun."
    )
    sheet.merge_range(2, 0, 3, width - 1, note, formats["small"])


@dataclass(frozen=True)
class _Given:
    """The targets one indicator's row shows, locked, how its capaian counts, the bands."""

    target: float | None
    target_sd: float | None
    polaritas: str
    bands: Sequence[tuple[float, str]]


def _given(catalogue: Catalogue, indicator: Indicator, inputs: IkiInputs, quarter: int) -> _Given:
    plan = as_plan(inputs.targets.get(indicator.code))
    perhitungan = plan.perhitungan or catalogue.perhitungan(indicator)
    polaritas = plan.polaritas or indicator.polaritas
    return _Given(plan.target, plan.to_date(perhitungan, quarter), polaritas, inputs.bands)


def _write_indicator(
    sheet: Worksheet,
    formats: dict[str, Any],
    col: dict[str, int],
    place: tuple[int, int],
    indicator: Indicator,
    isian: IsianResult,
    given: _Given,
    previous: Mapping[str, float | None],
) -> list[MappedCell]:
    row, number = place
    name = indicator.nama or indicator.indikator
    rumus = describe(indicator)
    sheet.write_number(row, col["no"], number, formats["center"])
    sheet.write_string(row, col["code"], indicator.code, formats["cell"])
    sheet.write_string(row, col["kinerja"], indicator.kinerja, formats["cell"])
    sheet.write_string(row, col["indikator"], name, formats["cell"])
    sheet.write_string(row, col["rumus"], rumus, formats["cell"])
    sheet.write_string(row, col["satuan"], indicator.satuan, formats["cell"])
    sheet.set_row(
        row,
        row_height(
            [
                (indicator.kinerja, _COLUMNS[2][2]),
                (name, _COLUMNS[3][2]),
                (rumus, _COLUMNS[4][2]),
            ]
        ),
    )
    cells, refs, values = _write_givens(sheet, formats, col, row, indicator, isian, given, previous)
    _write_results(sheet, formats, col, row, indicator, refs, values, given)
    return cells


def _write_givens(
    sheet: Worksheet,
    formats: dict[str, Any],
    col: dict[str, int],
    row: int,
    indicator: Indicator,
    isian: IsianResult,
    given: _Given,
    previous: Mapping[str, float | None],
) -> tuple[list[MappedCell], list[str], list[float | None]]:
    """Write targets (and last year's value to date); return mapped cells and formula inputs."""
    style = formats["decimal"] if indicator.satuan == "%" else formats["number"]
    cells = []
    for key, field, value in (
        ("target", TARGET_FIELD, given.target),
        ("target_sd", TARGET_TO_DATE_FIELD, given.target_sd),
    ):
        _number_or_blank(sheet, row, col[key], value, style)
        address = xl_rowcol_to_cell(row, col[key])
        cells.append(
            MappedCell(indicator.code, field, IKI_SHEET, address, False, number_text(value))
        )
    refs = [isian.to_date_ref[code] for code in indicator.variables]
    values = [isian.to_date_value[code] for code in indicator.variables]
    if indicator.kind == "growth":
        baseline = previous.get(indicator.code)
        base_cell = xl_rowcol_to_cell(row, col["baseline"])
        _number_or_blank(sheet, row, col["baseline"], baseline, formats["number"])
        cells.append(
            MappedCell(
                indicator.code, BASELINE_FIELD, IKI_SHEET, base_cell, False, number_text(baseline)
            )
        )
        refs.append(base_cell)
        values.append(baseline)
    elif "baseline" in col:
        sheet.write_blank(row, col["baseline"], None, formats["cell"])
    return cells, refs, values


def _write_results(
    sheet: Worksheet,
    formats: dict[str, Any],
    col: dict[str, int],
    row: int,
    indicator: Indicator,
    refs: list[str],
    values: list[float | None],
    given: _Given,
) -> None:
    """Write the live formulas with the values they show before any recalculation."""
    keys = ("target", "target_sd", "realisasi", "capaian")
    cell = {key: xl_rowcol_to_cell(row, col[key]) for key in keys}
    real = measure.indicator_value(indicator.kind, values, indicator.factor)
    cap, _ = measure.capaian_to_date(real.value, given.target_sd, given.target, given.polaritas)
    annual = measure.capaian(real.value, given.target, given.polaritas)
    whole = indicator.kind in ("count", "difference") and indicator.factor == 1
    sheet.write_formula(
        row,
        col["realisasi"],
        formulas.realisation(indicator.kind, refs, indicator.factor),
        formats["result"] if whole else formats["result_decimal"],
        _cached(real.value),
    )
    sheet.write_formula(
        row,
        col["capaian"],
        formulas.capaian_to_date(
            cell["realisasi"], cell["target_sd"], cell["target"], given.polaritas
        ),
        formats["result_decimal"],
        _cached(cap.value),
    )
    sheet.write_formula(
        row,
        col["predikat"],
        formulas.predikat(cell["capaian"], given.bands),
        formats["center"],
        measure.predikat(cap.value, given.bands),
    )
    sheet.write_formula(
        row,
        col["capaian_tahunan"],
        formulas.capaian(cell["realisasi"], cell["target"], given.polaritas),
        formats["decimal"],
        _cached(annual.value),
    )
    reason = formulas.expected_reason(
        indicator.kind, values, indicator.factor, given.target_sd, given.target, given.polaritas
    )
    sheet.write_formula(
        row,
        col["reason"],
        formulas.reason(
            indicator.kind,
            refs,
            cell["realisasi"],
            cell["target_sd"],
            cell["target"],
            cell["capaian"],
        ),
        formats["cell"],
        reason,
    )


def _number_or_blank(sheet: Worksheet, row: int, col: int, value: float | None, style: Any) -> None:
    if value is None:
        sheet.write_blank(row, col, None, style)
    else:
        sheet.write_number(row, col, value, style)


def _predikat_colours(
    workbook: Workbook,
    sheet: Worksheet,
    col: int,
    last_row: int,
    bands: Sequence[tuple[float, str]],
) -> None:
    names = [name for _, name in bands] + [measure.LOWEST_BAND]
    for index, name in enumerate(names):
        last = index == len(names) - 1
        colour = styles.BAND_COLOURS[-1 if last else min(index, len(styles.BAND_COLOURS) - 2)]
        fmt = workbook.add_format({"bg_color": colour})
        sheet.conditional_format(
            FIRST_ROW,
            col,
            last_row,
            col,
            {"type": "cell", "criteria": "==", "value": f'"{name}"', "format": fmt},
        )


def _cached(value: float | None) -> float | str:
    return "" if value is None else value
