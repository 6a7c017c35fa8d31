"""Sheet `Capaian IKI`: bidang > unit > jabatan > indikator, grouped, coloured by predikat."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd

from pipeline.catalogue.model import Catalogue
from pipeline.periods import ROMAN
from pipeline.report.data import ReportData
from pipeline.report.styles import Styles
from pipeline.report.table import Column, landscape, row_height, write_cell, write_header
from pipeline.report.words import (
    ANNUAL_BASIS,
    COMPARISON_WORDS,
    PERHITUNGAN_WORDS,
    basis_note,
    number,
    plain_gaps,
    to_date_label,
)

SHEET = "Capaian IKI"
HEADER_ROW = 3
# Outline levels: a bidang row stays visible; units, their jabatan and indicators fold in.
OUTLINE = {"bidang": 0, "unit": 1, "jabatan": 2}


def _columns(data: ReportData) -> list[Column]:
    quarters = [Column(f"TW {ROMAN[q]}", 8.5, "decimal") for q in range(1, 5)]
    roman = ROMAN[data.period.quarter]
    return [
        Column("Kode", 16),
        Column("Bidang / Unit / Jabatan / Indikator", 44, "wrap"),
        Column("Satuan", 8),
        Column("Perhitungan", 10, "wrap"),
        Column("Target tahunan", 9, "decimal"),
        Column(f"Target s.d. TW {roman}", 9, "decimal"),
        *quarters,
        Column(to_date_label(data.period), 10, "decimal"),
        Column("Rincian s.d. triwulan", 13, "wrap"),
        Column("Capaian (%)", 9, "decimal"),
        Column("Predikat", 12),
        Column("Capaian tahunan (%)", 9, "decimal"),
        Column("Keterangan", 30, "wrap"),
        Column("Sumber data (berkas dan sel)", 34, "wrap"),
    ]


def _detail(row: pd.Series, year: int) -> str:
    """How the realisation was formed, e.g. '17 / 20' or '150 − 12'."""
    a, b = row["numerator"], row["denominator"]
    if row["kind"] == "ratio" and pd.notna(a) and pd.notna(b):
        return f"{number(a)} / {number(b)}"
    if row["kind"] == "difference" and pd.notna(a) and pd.notna(b):
        return f"{number(a)} − {number(b)}"
    if row["kind"] == "growth" and pd.notna(a) and pd.notna(b):
        how = COMPARISON_WORDS.get(row["comparison"], "").format(year=year - 1)
        return f"{number(a)} dibanding {number(b)} ({how})"
    return ""


# Where last year's values are (every row is also in the sheet Data).
COMPARISON_SOURCES = {
    "inbox": "kiriman tahun lalu (sheet Data)",
    "baseline": "realisasi tahun lalu di workbook target (sheet Data)",
    "inbox+baseline": "kiriman tahun lalu dan workbook target (sheet Data)",
}


def _cells_of(source: str) -> str:
    """'TW I: f.xlsx Target!I9; TW II: f.xlsx Target!J9' -> 'Target!I9, J9'."""
    cells = [part.split("!")[-1] for part in source.split("; ") if "!" in part]
    return f"Target!{', '.join(cells)}" if cells else ""


def _source(row: pd.Series) -> str:
    """Cells only (the files are in the Data, Kelengkapan and Riwayat Target sheets)."""
    parts = [row["cells"]] if row["cells"] else []
    if row["target_source"]:
        parts.append(f"Target tahunan: {row['target_source'].split(' ')[-1]}")
    if row["target_sd_source"]:
        parts.append(f"Target s.d. triwulan: {_cells_of(row['target_sd_source'])}")
    comparison = COMPARISON_SOURCES.get(row["comparison"])
    if comparison:
        parts.append(f"Pembanding: {comparison}")
    return "\n".join(parts)


def _target_remark(row: pd.Series) -> list[str]:
    """Which target rated the row: the annual one, or a revision (with the murni beside it)."""
    parts = [ANNUAL_BASIS] if row["dasar"] == "tahunan" else []
    if row["versi_target"] == "perubahan":
        text = (
            f"Target perubahan berlaku mulai TW {ROMAN[int(row['effective_from'])]} "
            f"({row['target_file']})"
        )
        same = row["target"] == row["target_murni"] or (
            pd.isna(row["target"]) and pd.isna(row["target_murni"])
        )
        if not same:
            text += (
                f": target tahunan {number(row['target'])}, target murni "
                f"{number(row['target_murni'])}"
            )
        parts.append(text + ".")
    return parts


def _remark(row: pd.Series, notes: list[tuple[str, int, str]], labels: dict[str, str]) -> str:
    """Which target, why a value is empty, which quarter is missing, the units' remarks."""
    parts = _target_remark(row)
    if row["reason"]:
        parts.append(row["reason"])
    if row["gaps"]:
        parts.append(f"Data kosong: {plain_gaps(row['gaps'], labels)}")
    parts.extend(f"Catatan unit (TW {ROMAN[q]}): {note}" for _, q, note in notes)
    return "\n".join(parts)


def _indicator_values(
    row: pd.Series,
    name: str,
    year: int,
    notes: list[tuple[str, int, str]],
    labels: dict[str, str],
) -> list[Any]:
    return [
        row.name,
        name,
        row["satuan"],
        PERHITUNGAN_WORDS.get(row["perhitungan"], row["perhitungan"]),
        row["target"],
        row["target_sd"],
        row["tw1"],
        row["tw2"],
        row["tw3"],
        row["tw4"],
        row["realisasi"],
        _detail(row, year),
        row["capaian"],
        row["predikat"],
        row["capaian_tahunan"],
        _remark(row, notes, labels),
        _source(row),
    ]


def _rollup_values(roll: dict[str, Any]) -> list[Any]:
    without = int(roll["without_capaian"])
    remark = f"{int(roll['indicators'])} indikator"
    if without:
        remark += f"; {without} tanpa capaian"
    return [
        roll["code"],
        roll["name"],
        *[None] * 10,
        roll["mean_capaian"],
        roll["predikat"],
        roll["mean_capaian_tahunan"],
        remark,
        "",
    ]


def _rows(data: ReportData) -> Iterator[tuple[str, int, list[Any]]]:
    """(level, outline level, values) in the office's order."""
    cat: Catalogue = data.catalogue
    rolls: dict[tuple[str, str], dict[str, Any]] = {
        (str(r["level"]), str(r["code"])): {str(k): v for k, v in r.items()}
        for r in data.rollups.to_dict("records")
    }
    names = {i.code: i.indikator for i in cat.indicators}
    labels = {v.code: v.label for v in cat.variables}
    remarks = data.remarks
    notes = {
        i.code: [(v, q, text) for v in dict.fromkeys(i.variables) for q, text in remarks.get(v, [])]
        for i in cat.indicators
    }
    by_position = {str(code): group for code, group in data.results.groupby("position", sort=False)}

    def position_rows(unit_code: str, depth: int) -> Iterator[tuple[str, int, list[Any]]]:
        for pos in cat.positions_of(unit_code):
            if ("jabatan", pos.code) not in rolls:
                continue
            yield "jabatan", depth, _rollup_values(rolls[("jabatan", pos.code)])
            for code, row in by_position[pos.code].iterrows():
                name = names[str(code)]
                values = _indicator_values(row, name, data.period.year, notes[str(code)], labels)
                yield "indikator", depth + 1, values

    for top in (u for u in cat.units if u.induk is None):
        if ("bidang", top.code) not in rolls:
            continue
        yield "bidang", 0, _rollup_values(rolls[("bidang", top.code)])
        yield from position_rows(top.code, 1)
        for unit in (u for u in cat.units if u.induk == top.code):
            if ("unit", unit.code) not in rolls:
                continue
            yield "unit", 1, _rollup_values(rolls[("unit", unit.code)])
            yield from position_rows(unit.code, 2)


def write_achievement(wb: Any, data: ReportData, styles: Styles) -> None:
    """Write the `Capaian IKI` sheet."""
    ws = wb.add_worksheet(SHEET)
    columns = _columns(data)
    ws.write_string(0, 0, f"Capaian IKI {data.period.label}", styles.title)
    ws.write_string(
        1,
        0,
        "Baris biru: rata-rata capaian bidang, unit dan jabatan (tiap indikator dibatasi "
        f"0–{number(data.config.rollup_cap, 0)}%). Klik tanda +/− di kiri untuk membuka "
        "atau menutup kelompok.",
        styles.subtitle,
    )
    note = basis_note(data.period, data.rated_on_annual, len(data.catalogue.indicators))
    ws.merge_range(2, 0, 2, len(columns) - 1, note, styles.note)
    ws.set_row(2, 28)
    write_header(ws, HEADER_ROW, columns, styles)
    row = HEADER_ROW
    for level, depth, values in _rows(data):
        row += 1
        height = row_height(columns, values)
        ws.set_row(row, height, None, {"level": depth} if depth else {})
        for col, (column, value) in enumerate(zip(columns, values, strict=True)):
            write_cell(ws, row, col, value, _format(styles, level, column, col, values))
    ws.outline_settings(True, False, True, False)
    ws.freeze_panes(HEADER_ROW + 1, 2)
    ws.autofilter(HEADER_ROW, 0, row, len(columns) - 1)
    ws.repeat_rows(HEADER_ROW)
    landscape(ws, f"{data.config.office} · Capaian IKI {data.period.label}")
    # Printed without the source column (file and cell: for checking, in the workbook).
    ws.print_area(0, 0, row, len(columns) - 2)


# Columns holding the indicator's own quantity: whole numbers unless it is a percentage.
QUANTITY_COLUMNS = range(4, 11)
DETAIL_COLUMN, PREDIKAT_COLUMN, PERHITUNGAN_COLUMN = 11, 13, 3


def _format(styles: Styles, level: str, column: Column, col: int, values: list[Any]) -> Any:
    predikat = values[PREDIKAT_COLUMN]
    if col == PREDIKAT_COLUMN and predikat:
        return styles.band[predikat]
    if level != "indikator":
        return styles.level(level, column.kind)
    if col in (DETAIL_COLUMN, PERHITUNGAN_COLUMN):
        return styles.centre
    if col in QUANTITY_COLUMNS and values[2] != "%":
        return styles.integer
    return getattr(styles, column.kind)
