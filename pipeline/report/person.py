"""Sheet `IKI Pegawai`: one page per pegawai, to print, sign and file.

Each page: who (name, NIP, pangkat/golongan, jabatan, unit, the direct superior), the
holder's indicators with annual target, target to date, realisation to date, capaian and
predikat, the average (the roll-up rule of `compute.rollup`), and signature lines for the
pegawai and the atasan langsung. The superior is the head of the holder's unit, for a head
of a sub-bagian or seksi the Sekretaris or Kepala Bidang above, for those the Kepala Dinas.
"""

from __future__ import annotations

from typing import Any

from pipeline.catalogue.model import Catalogue, Position
from pipeline.contract import HEAD_KEY
from pipeline.periods import ROMAN
from pipeline.report.data import ReportData
from pipeline.report.evaluation import NO_TEXT
from pipeline.report.printed import BODY, PAPERS, Layout, PrintStyles, page_setup, printable
from pipeline.report.signature import Signer, add_signatures, date_line
from pipeline.report.textfit import column_points, height, lines
from pipeline.report.words import ANNUAL_BASIS, quantity_format

SHEET = "IKI Pegawai"
WIDTHS = (3.0, 18.0, 26.0, 8.0, 6.5, 6.5, 6.5, 6.0, 8.0)
LAST = len(WIDTHS) - 1
HEADS = ("sekretaris", "kepala_bidang", "kepala_sub_bagian", "kepala_seksi")
HEAD_TITLE = "Kepala Dinas"


def points(first: int, last: int) -> float:
    """Width in points of columns first..last."""
    return sum(column_points(w) for w in WIDTHS[first : last + 1])


def superior(catalogue: Catalogue, position: Position) -> str:
    """The position code of a position's direct superior, or `head` (the Kepala Dinas)."""
    unit = catalogue.unit(position.unit)
    own = [p for p in catalogue.positions_of(unit.code) if p.level in HEADS and p != position]
    if position.level == "pelaksana" and own:
        return own[0].code
    if unit.induk is not None and position.level in HEADS:
        above = [p for p in catalogue.positions_of(unit.induk) if p.level in HEADS]
        if above:
            return above[0].code
    return HEAD_KEY


def write_people(wb: Any, data: ReportData, styles: PrintStyles) -> Layout:
    """Write `IKI Pegawai`, one page per position that has indicators; return the layout."""
    ws = wb.add_worksheet(SHEET)
    paper = PAPERS[data.config.paper]
    _, page = printable(paper, landscape=False)
    layout = Layout(page_height=page)
    for position in data.catalogue.positions:
        if position.code in set(data.results["position"]):
            _person(layout, data, styles, position)
    for col, width in enumerate(WIDTHS):
        ws.set_column(col, col, width)
    layout.write(ws, 0)
    header = f"{data.config.office} · IKI Pegawai {data.period.label}"
    page_setup(ws, paper, False, header)
    return layout


def _person(layout: Layout, data: ReportData, styles: PrintStyles, position: Position) -> None:
    cat = data.catalogue
    roman = ROMAN[data.period.quarter]
    big = styles.get(bold=True, font_size=12, align="center")
    mid = styles.get(bold=True, font_size=10, align="center")
    layout.add(18.0, _merged(0, LAST, "INDIKATOR KINERJA INDIVIDU (IKI)", big), page=True)
    subtitle = f"Capaian s.d. Triwulan {roman} Tahun {data.period.year}"
    layout.add(15.0, _merged(0, LAST, subtitle, mid), block=False)
    layout.add(8.0, lambda ws, at: None, block=False)
    boss = superior(cat, position)
    boss_title = HEAD_TITLE if boss == HEAD_KEY else cat.position(boss).nama
    holder = data.roster.of(position.code)
    dots = "...................................."
    facts = (
        ("Nama", holder.name or dots),
        ("NIP", holder.nip or "–"),
        ("Pangkat / Golongan", holder.rank or "–"),
        ("Jabatan", position.nama),
        ("Unit kerja", cat.unit(position.unit).nama),
        ("Atasan langsung", boss_title),
    )
    label, value = styles.get(bold=True), styles.get(text_wrap=True)
    for name, text in facts:
        row_height = height(lines(text, points(2, LAST), BODY), BODY)
        layout.add(row_height, _fact(name, text, label, value), block=False)
    layout.add(8.0, lambda ws, at: None, block=False)
    _table(layout, data, styles, position)
    layout.add(14.0, lambda ws, at: None, block=False)
    year = data.period.deadline(data.config.deadline_days).year
    dated = date_line(data.roster.place, data.signed_on, year)
    sides = [
        ((0, 3), Signer("Pegawai yang dinilai,", position.nama, holder)),
        ((5, LAST), Signer("Atasan langsung,", boss_title, data.roster.of(boss))),
    ]
    add_signatures(layout, styles, sides, dated, points(0, 3))


# In the empty "Target s.d. TW" cell of an indicator without quarterly targets, and before
# the note under the table that says its capaian is against the annual target.
ANNUAL_MARK = "*)"


def _table(layout: Layout, data: ReportData, styles: PrintStyles, position: Position) -> None:
    roman = ROMAN[data.period.quarter]
    headers = (
        "No.",
        "Kinerja",
        "Indikator Kinerja",
        "Satuan",
        f"Target Tahunan {data.period.year}",
        f"Target s.d. TW {roman}",
        f"Realisasi s.d. TW {roman}",
        "Capaian (%)",
        "Predikat",
    )
    fmt = styles.header()
    need = max(height(lines(h, points(c, c), BODY, bold=True), BODY) for c, h in enumerate(headers))
    layout.add(need, _row([(c, h, fmt) for c, h in enumerate(headers)]), block=False)
    cat = data.catalogue
    previous = ""
    on_annual = False  # an indicator rated against its annual target: marked, then said below
    for number_, indicator in enumerate(cat.indicators_of(position.code), start=1):
        row = data.results.loc[indicator.code]
        annual = bool(row["dasar"] == "tahunan")
        on_annual = on_annual or annual
        quantity = quantity_format(row)
        kinerja = indicator.kinerja if indicator.kinerja != previous else ""
        previous = indicator.kinerja
        name = indicator.nama or indicator.indikator
        predikat = str(row["predikat"] or "")
        cells: list[tuple[int, Any, Any]] = [
            (0, number_, styles.cell("centre")),
            (1, kinerja, styles.cell()),
            (2, name, styles.cell()),
            (3, row["satuan"], styles.cell("centre")),
            (4, row["target"], styles.cell(quantity)),
            (5, ANNUAL_MARK if annual else row["target_sd"], styles.cell(quantity)),
            (6, row["realisasi"], styles.cell(quantity)),
            (7, row["capaian"], styles.cell("decimal")),
            (8, predikat or NO_TEXT, styles.band(predikat) if predikat else styles.cell("centre")),
        ]
        texts = [(kinerja, 1), (name, 2), (str(row["satuan"]), 3), (predikat, 8)]
        count = max(lines(t, points(c, c), BODY) for t, c in texts)
        layout.add(height(count, BODY), _row(cells), block=False)
    roll = data.rollups[
        (data.rollups["level"] == "jabatan") & (data.rollups["code"] == position.code)
    ].iloc[0]
    counted = f"{int(roll['with_capaian'])} dari {int(roll['indicators'])} indikator dinilai"
    predikat = str(roll["predikat"] or "")
    closing = [
        (0, f"Rata-rata capaian ({counted})", styles.cell(bold=True, align="right")),
        (7, roll["mean_capaian"], styles.cell("decimal", bold=True)),
        (8, predikat or NO_TEXT, styles.band(predikat, bold=True) if predikat else styles.cell()),
    ]
    count = lines(predikat, points(8, 8), BODY, bold=True)
    layout.add(height(count, BODY), _row(closing, merge_first_to=6), block=False)
    if on_annual:
        note = f"{ANNUAL_MARK} {ANNUAL_BASIS}"
        need = height(lines(note, points(0, LAST), BODY), BODY)
        layout.add(
            need, _merged(0, LAST, note, styles.get(italic=True, text_wrap=True)), block=False
        )


def _row(cells: list[tuple[int, Any, Any]], merge_first_to: int = 0) -> Any:
    def draw(ws: Any, at: int) -> None:
        for col, value, fmt in cells:
            if col == 0 and merge_first_to:
                ws.merge_range(at, 0, at, merge_first_to, str(value), fmt)
            elif value is None or value == "" or (isinstance(value, float) and value != value):
                ws.write_blank(at, col, None, fmt)
            elif isinstance(value, int | float):
                ws.write_number(at, col, float(value), fmt)
            else:
                ws.write_string(at, col, str(value), fmt)

    return draw


def _fact(name: str, text: str, label: Any, value: Any) -> Any:
    def draw(ws: Any, at: int) -> None:
        ws.merge_range(at, 0, at, 1, name, label)
        ws.merge_range(at, 2, at, LAST, f": {text}", value)

    return draw


def _merged(first: int, last: int, text: str, fmt: Any) -> Any:
    def draw(ws: Any, row: int) -> None:
        ws.merge_range(row, first, row, last, text, fmt)

    return draw
