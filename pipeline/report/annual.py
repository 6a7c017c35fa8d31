"""Sheet `Perbandingan Tahunan`: last year beside this year, as LKjIP chapter III tables do.

Shown when last year's realisation of any indicator is known: from last year's submissions
in the inbox, or, where a quarter of last year has none, from the quarterly values of last
year in the targets workbook (growth indicators' variables). Both years are taken to the
same quarter (at TW IV: the whole year), computed the same way (`compute_indicators` of the
same quarter last year). Last year's capaian needs last year's targets in the inbox. Where
a figure is not known the row says 'tidak ada data'.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from pipeline.periods import ROMAN
from pipeline.report.data import ReportData
from pipeline.report.styles import Styles
from pipeline.report.table import Column, landscape, write_cell, write_header
from pipeline.report.words import quantity_format

SHEET = "Perbandingan Tahunan"
HEADER_ROW = 3
NO_DATA = "tidak ada data"


def has_last_year(data: ReportData) -> bool:
    """Whether any indicator's realisation of last year is known."""
    previous = data.previous
    return not previous.empty and bool(previous["realisasi"].notna().any())


def _columns(data: ReportData) -> list[Column]:
    year, last = data.period.year, data.period.year - 1
    roman = ROMAN[data.period.quarter]
    return [
        Column("No.", 4),
        Column("Indikator Kinerja", 44, "wrap"),
        Column("Satuan", 9, "wrap"),
        Column(f"Realisasi {last} s.d. TW {roman}", 11, "decimal"),
        Column(f"Capaian {last} (%)", 10, "decimal"),
        Column(f"Target Tahunan {year}", 10, "decimal"),
        Column(f"Target {year} s.d. TW {roman}", 10, "decimal"),
        Column(f"Realisasi {year} s.d. TW {roman}", 11, "decimal"),
        Column(f"Capaian {year} (%)", 10, "decimal"),
        Column("Perubahan realisasi", 11, "decimal"),
        Column("Perubahan capaian (poin)", 11, "decimal"),
        Column("Keterangan", 30, "wrap"),
    ]


# Columns holding the indicator's own quantity (realisations, targets, their change): a
# count's whole numbers are shown without a decimal, as in the other sheets; a percentage,
# a capaian or a figure with decimals keeps one.
QUANTITY_COLUMNS = (3, 5, 6, 7, 9)


def _whole(value: Any) -> bool:
    return isinstance(value, int | float) and math.isfinite(value) and float(value).is_integer()


def _known(value: Any) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _values(number_: int, name: str, now: pd.Series, then: pd.Series, last: int) -> list[Any]:
    change = now["realisasi"] - then["realisasi"] if _known(then["realisasi"]) else None
    step = now["capaian"] - then["capaian"] if _known(then["capaian"]) else None
    remark = ""
    if _known(then["realisasi"]) and not _known(then["capaian"]):
        remark = f"Capaian {last}: {then['capaian_reason'] or then['reason']}"
    return [
        number_,
        name,
        now["satuan"],
        then["realisasi"] if _known(then["realisasi"]) else NO_DATA,
        then["capaian"] if _known(then["capaian"]) else NO_DATA,
        now["target"],
        now["target_sd"],
        now["realisasi"],
        now["capaian"],
        change if change is None or _known(change) else None,
        step if step is None or _known(step) else None,
        remark,
    ]


def write_annual(wb: Any, data: ReportData, styles: Styles) -> None:
    """Write `Perbandingan Tahunan` (only called when `has_last_year`)."""
    ws = wb.add_worksheet(SHEET)
    columns = _columns(data)
    last = data.period.year - 1
    ws.write_string(
        0, 0, f"Perbandingan Realisasi dan Capaian IKI {last} dan {data.period.year}", styles.title
    )
    ws.merge_range(
        1,
        0,
        1,
        len(columns) - 1,
        f"Seperti tabel Bab III LKjIP: kedua tahun s.d. TW {ROMAN[data.period.quarter]}. "
        f"Realisasi {last} dari kiriman {last} di inbox atau, untuk triwulan tanpa kiriman, dari "
        f"realisasi {last} per triwulan di workbook target; capaian {last} bila target {last} "
        "ada di inbox. Perubahan = tahun ini dikurangi tahun lalu.",
        styles.note,
    )
    ws.set_row(1, 28)
    write_header(ws, HEADER_ROW, columns, styles)
    row = HEADER_ROW
    cat = data.catalogue
    previous = data.previous
    for position in cat.positions:
        indicators = cat.indicators_of(position.code)
        if not indicators:
            continue
        row += 1
        ws.merge_range(
            row, 0, row, len(columns) - 1, position.nama, styles.level("jabatan", "text")
        )
        for number_, indicator in enumerate(indicators, start=1):
            row += 1
            now, then = data.results.loc[indicator.code], previous.loc[indicator.code]
            assert isinstance(now, pd.Series) and isinstance(then, pd.Series)
            name = indicator.nama or indicator.indikator
            values = _values(number_, name, now, then, last)
            counted = quantity_format(now) == "integer"
            for col, (column, value) in enumerate(zip(columns, values, strict=True)):
                fmt = styles.note if value == NO_DATA else getattr(styles, column.kind)
                if counted and col in QUANTITY_COLUMNS and _whole(value):
                    fmt = styles.integer
                write_cell(ws, row, col, value, fmt)
    ws.freeze_panes(HEADER_ROW + 1, 2)
    ws.repeat_rows(HEADER_ROW)
    landscape(ws, f"{data.config.office} · {SHEET} {data.period.label}")
