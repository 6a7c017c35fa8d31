"""Sheet `Evaluasi`: the evaluation form of Permendagri 86/2017 for the office's IKI.

Grouped bidang → unit → jabatan (with the holder's name and NIP from the roster), one row
per indicator: No., Kinerja, Indikator, Satuan, Target Tahunan, target and realisation of
each quarter, realisation to date, capaian, predikat; under it, when the unit wrote them,
faktor pendorong, faktor penghambat and tindak lanjut, and the notes that explain the row.
Each jabatan, unit and bidang closes with its average capaian and predikat (the roll-up
rule of `compute.rollup`: each indicator's capaian clipped to 0..cap, averaged over the
indicators that have one). Each bidang starts on a new page and ends with the signature
block (Disusun oleh: the holder of `Config.drafter`; Dievaluasi oleh: the Kepala Dinas), on
the same page as its last rows. No codes, no sources: those are in the sheets Capaian IKI
and Data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from pipeline.catalogue.model import Catalogue, Indicator, Position, Unit
from pipeline.compute.texts import Factors
from pipeline.contract import DRIVER_FIELD, FOLLOW_UP_FIELD, OBSTACLE_FIELD, TEXT_LIMITS
from pipeline.periods import ROMAN
from pipeline.report.data import ReportData
from pipeline.report.printed import BODY, PAPERS, Layout, PrintStyles, page_setup, printable
from pipeline.report.signature import Signer, add_signatures, date_line
from pipeline.report.textfit import column_points, height, lines
from pipeline.report.words import ANNUAL_BASIS, number, quantity_format

SHEET = "Evaluasi"
TITLE_ROWS = 3
HEADER_ROWS = 3
COL_NO, COL_KINERJA, COL_NAME, COL_SATUAN, COL_TARGET = range(5)
COL_TW = 5  # TW q: target at COL_TW + 2(q-1), realisation beside it
COL_TO_DATE, COL_CAPAIAN, COL_PREDIKAT = 13, 14, 15
WIDTHS = (3.0, 19.0, 24.0, 8.0, 6.0, *(5.9,) * 8, 6.5, 6.0, 7.5)
LAST = len(WIDTHS) - 1
# The factor row under an indicator: three cells spanning the table.
FACTOR_SPANS = ((1, 2), (3, 8), (9, LAST))
FACTOR_TITLES = {
    DRIVER_FIELD: "Faktor pendorong",
    OBSTACLE_FIELD: "Faktor penghambat",
    FOLLOW_UP_FIELD: "Tindak lanjut",
}
NO_TEXT = "–"


def points(first: int, last: int) -> float:
    """Width in points of columns first..last."""
    return sum(column_points(w) for w in WIDTHS[first : last + 1])


def clipped(text: str, limit: int) -> str:
    """At most `limit` characters (the form's room); longer text ends with '…'."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Closing:
    """A closing row: what it averages, and its roll-up."""

    label: str
    roll: dict[str, Any]


def write_evaluation(wb: Any, data: ReportData, styles: PrintStyles) -> Layout:
    """Write the `Evaluasi` sheet; return its layout (rows, blocks, page breaks)."""
    ws = wb.add_worksheet(SHEET)
    paper = PAPERS[data.config.paper]
    _, page = printable(paper, landscape=True)
    layout = Layout(page_height=page)
    _title(layout, data, styles)
    layout.repeated = _header(layout, data, styles)
    content = len(layout.rows)
    rolls = {
        (str(r["level"]), str(r["code"])): {str(k): v for k, v in r.items()}
        for r in data.rollups.to_dict("records")
    }
    first = True
    for top in (u for u in data.catalogue.units if u.induk is None):
        if ("bidang", top.code) in rolls:
            _bidang(layout, data, styles, top, rolls, new_page=not first)
            first = False
    for col, width in enumerate(WIDTHS):
        ws.set_column(col, col, width)
    layout.write(ws, content)
    ws.repeat_rows(TITLE_ROWS, TITLE_ROWS + HEADER_ROWS - 1)
    ws.freeze_panes(TITLE_ROWS + HEADER_ROWS, 0)
    header = f"{data.config.office} · Evaluasi Capaian IKI {data.period.label}"
    page_setup(ws, paper, True, header)
    return layout


def _title(layout: Layout, data: ReportData, styles: PrintStyles) -> None:
    period = data.period
    title = "EVALUASI CAPAIAN INDIKATOR KINERJA INDIVIDU (IKI)"
    sub = f"{data.catalogue.office.upper()} · TRIWULAN {ROMAN[period.quarter]} TAHUN {period.year}"
    note = (
        f"Capaian = realisasi s.d. TW {ROMAN[period.quarter]} dibanding target s.d. TW "
        f"{ROMAN[period.quarter]} menurut Rencana Aksi × 100% (kumulatif: jumlah target "
        "triwulan; nilai akhir: target triwulan itu). Rata-rata: capaian tiap indikator "
        f"dibatasi 0–{number(data.config.rollup_cap, 0)}% lalu dirata-rata; indikator tanpa "
        "capaian tidak dihitung. Predikat menurut Permendagri 86/2017 (skema "
        f"{data.config.band_scheme})."
    )
    big = styles.get(bold=True, font_size=12, align="center")
    mid = styles.get(bold=True, font_size=10, align="center")
    small = styles.get(italic=True, text_wrap=True, font_color="#404040")
    note_height = height(lines(note, points(0, LAST), BODY), BODY)
    for text, fmt, row_height in ((title, big, 18.0), (sub, mid, 15.0), (note, small, note_height)):
        layout.add(row_height, _merged(0, LAST, text, fmt), block=False)


def _header(layout: Layout, data: ReportData, styles: PrintStyles) -> float:
    """The three header rows (repeated on every page); return their height."""
    fmt = styles.header()
    roman = ROMAN[data.period.quarter]
    singles = {
        COL_NO: "No.",
        COL_KINERJA: "Kinerja",
        COL_NAME: "Indikator Kinerja",
        COL_SATUAN: "Satuan",
        COL_TARGET: f"Target Tahunan {data.period.year}",
        COL_TO_DATE: f"Realisasi s.d. TW {roman}",
        COL_CAPAIAN: f"Capaian s.d. TW {roman} (%)",
        COL_PREDIKAT: "Predikat",
    }
    need = max(
        height(lines(text, column_points(WIDTHS[col]), BODY, bold=True), BODY)
        for col, text in singles.items()
    )
    one = height(1, BODY)
    last = max(one, need - 2 * one, height(1, BODY) + 2)

    def top(ws: Any, row: int) -> None:
        for col, text in singles.items():
            ws.merge_range(row, col, row + HEADER_ROWS - 1, col, text, fmt)
        ws.merge_range(row, COL_TW, row, COL_TW + 7, "Target dan Realisasi per Triwulan", fmt)

    def quarters(ws: Any, row: int) -> None:
        for q in range(1, 5):
            col = COL_TW + 2 * (q - 1)
            ws.merge_range(row, col, row, col + 1, f"TW {ROMAN[q]}", fmt)

    def pairs(ws: Any, row: int) -> None:
        for q in range(1, 5):
            col = COL_TW + 2 * (q - 1)
            ws.write_string(row, col, "Target", fmt)
            ws.write_string(row, col + 1, "Realisasi", fmt)

    layout.add(one, top, block=False)
    layout.add(one, quarters, block=False)
    layout.add(last, pairs, block=False)
    return 2 * one + last


def _bidang(
    layout: Layout,
    data: ReportData,
    styles: PrintStyles,
    top: Unit,
    rolls: dict[tuple[str, str], dict[str, Any]],
    *,
    new_page: bool,
) -> None:
    """One bidang (or the Sekretariat): its rows, closing row and signature block."""
    fill: dict[str, Any] = {"bg_color": "#B4C6E7", "bold": True}
    layout.add(height(1, BODY), _merged(0, LAST, top.nama.upper(), styles.cell(**fill)),
               page=new_page)  # fmt: skip
    _positions(layout, data, styles, top, rolls, heading=False)
    for unit in (u for u in data.catalogue.units if u.induk == top.code):
        if ("unit", unit.code) not in rolls:
            continue
        layout.add(
            height(1, BODY),
            _merged(0, LAST, unit.nama, styles.cell(bg_color="#DDE5F3", bold=True)),
            block=True,
        )
        _positions(layout, data, styles, unit, rolls, heading=True)
        _closing(
            layout, styles, Closing(f"Rata-rata capaian {unit.nama}", rolls[("unit", unit.code)])
        )
    _closing(
        layout, styles, Closing(f"Rata-rata capaian {top.nama}", rolls[("bidang", top.code)]),
        block=False,
    )  # fmt: skip
    _signatures(layout, data, styles)


def _positions(
    layout: Layout,
    data: ReportData,
    styles: PrintStyles,
    unit: Unit,
    rolls: dict[tuple[str, str], dict[str, Any]],
    *,
    heading: bool,
) -> None:
    cat: Catalogue = data.catalogue
    first = True
    for position in cat.positions_of(unit.code):
        if ("jabatan", position.code) not in rolls:
            continue
        text = _position_heading(data, position)
        fmt = styles.cell(bg_color="#F2F2F2", bold=True)
        row_height = height(lines(text, points(0, LAST), BODY, bold=True), BODY)
        # A unit's heading stays with its first jabatan (and that one's first indicator).
        layout.add(row_height, _merged(0, LAST, text, fmt), block=not (heading and first))
        first = False
        previous_kinerja = ""
        for number_, indicator in enumerate(cat.indicators_of(position.code), start=1):
            kinerja = indicator.kinerja if indicator.kinerja != previous_kinerja else ""
            previous_kinerja = indicator.kinerja
            _indicator(layout, data, styles, indicator, number_, kinerja, first=number_ == 1)
        label = f"Rata-rata capaian {position.nama}"
        _closing(layout, styles, Closing(label, rolls[("jabatan", position.code)]))


def _position_heading(data: ReportData, position: Position) -> str:
    holder = data.roster.of(position.code)
    who = holder.name or "(nama pemangku belum diisi di daftar pegawai)"
    parts = [f"Jabatan: {position.nama}", f"Pemangku: {who}"]
    if holder.nip:
        parts.append(f"NIP. {holder.nip}")
    if holder.rank:
        parts.append(holder.rank)
    return " · ".join(parts)


def _indicator(
    layout: Layout,
    data: ReportData,
    styles: PrintStyles,
    indicator: Indicator,
    number_: int,
    kinerja: str,
    *,
    first: bool,
) -> None:
    row = data.results.loc[indicator.code]
    name = indicator.nama or indicator.indikator
    quantity = quantity_format(row)
    values: list[tuple[int, Any, Any]] = [
        (COL_NO, number_, styles.cell("centre")),
        (COL_KINERJA, kinerja, styles.cell()),
        (COL_NAME, name, styles.cell()),
        (COL_SATUAN, row["satuan"], styles.cell("centre")),
        (COL_TARGET, row["target"], styles.cell(quantity)),
    ]
    for q in range(1, 5):
        col = COL_TW + 2 * (q - 1)
        values.append((col, row[f"target_tw{q}"], styles.cell(quantity)))
        values.append((col + 1, row[f"tw{q}"], styles.cell(quantity)))
    values.append((COL_TO_DATE, row["realisasi"], styles.cell(quantity)))
    merged_reason = pd.isna(row["capaian"])
    if merged_reason:
        reason = f"Tidak dinilai: {row['reason'] or row['capaian_reason']}"
    else:
        values.append((COL_CAPAIAN, row["capaian"], styles.cell("decimal")))
        values.append((COL_PREDIKAT, row["predikat"], styles.band(str(row["predikat"]))))
        reason = ""
    texts = [
        (kinerja, points(COL_KINERJA, COL_KINERJA)),
        (name, points(COL_NAME, COL_NAME)),
        (str(row["satuan"]), points(COL_SATUAN, COL_SATUAN)),
        (str(row["predikat"]), points(COL_PREDIKAT, COL_PREDIKAT)),
        (reason, points(COL_CAPAIAN, COL_PREDIKAT)),
    ]
    row_height = height(max(lines(t, w, BODY) for t, w in texts), BODY)

    def draw(ws: Any, at: int) -> None:
        for col, value, fmt in values:
            _value(ws, at, col, value, fmt)
        if merged_reason:
            ws.merge_range(at, COL_CAPAIAN, at, COL_PREDIKAT, reason, styles.cell(italic=True))

    layout.add(row_height, draw, block=not first)
    _factor_rows(layout, data, styles, indicator.code, row)


def _notes(data: ReportData, code: str, row: pd.Series) -> list[str]:
    """What explains a row: its basis (annual target), the units' remarks on its inputs."""
    found = [ANNUAL_BASIS] if row["dasar"] == "tahunan" else []
    remarks = data.remarks
    indicator = data.catalogue.indicator(code)
    for variable in dict.fromkeys(indicator.variables):
        for quarter, text in remarks.get(variable, []):
            if quarter == data.period.quarter:
                found.append(f"Catatan unit (TW {ROMAN[quarter]}): {text}")
    return found


def _factor_rows(
    layout: Layout, data: ReportData, styles: PrintStyles, code: str, row: pd.Series
) -> None:
    factors = data.factors.get(code, Factors())
    if factors:
        cells = []
        for (first, last), (field, title) in zip(FACTOR_SPANS, FACTOR_TITLES.items(), strict=True):
            text = clipped(factors.text(field), TEXT_LIMITS[field]) or NO_TEXT
            cells.append((first, last, title, text))
        count = max(lines(f"{t}: {x}", points(a, b), BODY) for a, b, t, x in cells)
        layout.add(height(count, BODY), _rich(cells, styles), block=False)
    notes = _notes(data, code, row)
    if notes:
        text = " ".join(notes)
        fmt = styles.cell(italic=True, font_color="#404040")
        count = lines(text, points(1, LAST), BODY)
        layout.add(height(count, BODY), _merged_from(1, LAST, text, fmt), block=False)


def _closing(layout: Layout, styles: PrintStyles, closing: Closing, *, block: bool = False) -> None:
    roll = closing.roll
    counted = f"{int(roll['with_capaian'])} dari {int(roll['indicators'])} indikator dinilai"
    label = f"{closing.label} ({counted})"
    mean = roll["mean_capaian"]
    predikat = str(roll["predikat"] or "")
    fmt = styles.cell(bold=True, bg_color="#F2F2F2", align="right")
    count = max(
        lines(label, points(0, COL_TO_DATE), BODY, bold=True),
        lines(predikat, points(COL_PREDIKAT, COL_PREDIKAT), BODY, bold=True),
    )
    row_height = height(count, BODY)

    def draw(ws: Any, at: int) -> None:
        ws.merge_range(at, 0, at, COL_TO_DATE, label, fmt)
        _value(ws, at, COL_CAPAIAN, mean, styles.cell("decimal", bold=True))
        if predikat:
            ws.write_string(at, COL_PREDIKAT, predikat, styles.band(predikat, bold=True))
        else:
            ws.write_string(at, COL_PREDIKAT, NO_TEXT, styles.cell("centre"))

    layout.add(row_height, draw, block=block)


def _signatures(layout: Layout, data: ReportData, styles: PrintStyles) -> None:
    cat = data.catalogue
    drafter = data.config.drafter
    title = f"{cat.position(drafter).nama}" if drafter in {p.code for p in cat.positions} else ""
    left = Signer("Disusun oleh,", title, data.roster.of(drafter)) if title else None
    right = Signer("Dievaluasi oleh,", f"Kepala {cat.office}", data.roster.head)
    year = data.period.deadline(data.config.deadline_days).year
    dated = date_line(data.roster.place, data.signed_on, year)
    layout.add(8.0, lambda ws, at: None, block=False)
    add_signatures(layout, styles, [((1, 3), left), ((9, LAST), right)], dated, points(9, LAST))


def _value(ws: Any, row: int, col: int, value: Any, fmt: Any) -> None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value == "":
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        ws.write_number(row, col, float(value), fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


def _merged(first: int, last: int, text: str, fmt: Any) -> Any:
    def draw(ws: Any, row: int) -> None:
        ws.merge_range(row, first, row, last, text, fmt)

    return draw


def _merged_from(first: int, last: int, text: str, fmt: Any) -> Any:
    """A merged cell beside an empty bordered first column (the No. column)."""

    def draw(ws: Any, row: int) -> None:
        ws.write_blank(row, 0, None, fmt)
        ws.merge_range(row, first, row, last, text, fmt)

    return draw


def _rich(cells: list[tuple[int, int, str, str]], styles: PrintStyles) -> Any:
    bold, plain = styles.get(bold=True), styles.get()
    box = styles.cell()

    def draw(ws: Any, row: int) -> None:
        ws.write_blank(row, 0, None, box)
        for first, last, title, text in cells:
            ws.merge_range(row, first, row, last, "", box)
            ws.write_rich_string(row, first, bold, f"{title}: ", plain, text, box)

    return draw
