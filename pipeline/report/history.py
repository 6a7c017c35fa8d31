"""Sheet `Riwayat Target`: every version of the year's Rencana Aksi and what each changed."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd

from pipeline.contract import KIND_TARGETS
from pipeline.indonesian import waktu
from pipeline.periods import ROMAN, Year
from pipeline.report.data import ReportData
from pipeline.report.styles import Styles
from pipeline.report.table import Column, landscape, row_height, write_table
from pipeline.report.words import FILE_STATUS_WORDS, PERHITUNGAN_WORDS, number

SHEET = "Riwayat Target"
FIRST_ROW = 3
# What may change between versions: (column of TARGETS, cell column, words).
FIELDS = (
    *((f"target_tw{q}", f"cell_tw{q}", f"Target TW {ROMAN[q]}") for q in range(1, 5)),
    ("target", "target_cell", "Target tahunan"),
    ("perhitungan", "", "Perhitungan"),
    ("polaritas", "", "Polaritas"),
)


@dataclass(frozen=True)
class Version:
    """One counted targets workbook of the year."""

    number: int
    file: str
    received_at: str
    effective_from: int
    quarters: tuple[int, ...]  # the quarters that take their targets from it

    @property
    def label(self) -> str:
        """'1 (murni)' or '2 (perubahan)'."""
        return f"{self.number} ({'murni' if self.effective_from == 1 else 'perubahan'})"

    @property
    def long_label(self) -> str:
        """'2 (perubahan, mulai TW III): file.xlsx'."""
        kind = "murni" if self.effective_from == 1 else "perubahan"
        return f"{self.number} ({kind}, mulai TW {ROMAN[self.effective_from]}): {self.file}"


def versions(data: ReportData) -> list[Version]:
    """The year's counted versions in the order received, with the quarters each governs."""
    frame = data.targets
    if frame.empty:
        return []
    year = frame[frame["year"] == data.period.year]
    heads = year.drop_duplicates("version").sort_values("version")
    starts = dict(
        zip(heads["version"].astype(int), heads["effective_from"].astype(int), strict=True)
    )
    owner = {
        q: max((v for v, start in starts.items() if start <= q), default=0) for q in range(1, 5)
    }
    return [
        Version(
            int(r["version"]),
            str(r["file"]),
            str(r["received_at"]),
            int(r["effective_from"]),
            tuple(q for q in range(1, 5) if owner[q] == int(r["version"])),
        )
        for r in heads.to_dict("records")
    ]


def _quarters(quarters: tuple[int, ...], current: int) -> str:
    if not quarters:
        return ""
    text = f"TW {ROMAN[quarters[0]]}"
    if len(quarters) > 1:
        text += f" s.d. TW {ROMAN[quarters[-1]]}"
    return text + (f" (termasuk TW {ROMAN[current]} laporan ini)" if current in quarters else "")


def versions_line(data: ReportData) -> str:
    """One sentence for the Ringkasan: which versions there are and which one this report uses."""
    found = versions(data)
    if not found:
        return f"Target {data.period.year}: belum ada berkas target yang diterima."
    parts = []
    for version in found:
        kind = (
            "murni"
            if version.effective_from == 1
            else (f"perubahan berlaku mulai TW {ROMAN[version.effective_from]}")
        )
        used = " (dipakai laporan ini)" if data.period.quarter in version.quarters else ""
        when = waktu(version.received_at) if version.received_at else "waktu tidak diketahui"
        parts.append(f"{kind}: {version.file}, diterima {when}{used}")
    return f"Target {data.period.year} (Rencana Aksi): " + "; ".join(parts) + "."


def _effective(data: ReportData, rows: pd.DataFrame) -> pd.DataFrame:
    """The words in effect: the catalogue's where the workbook chose none."""
    cat = data.catalogue
    out = rows.set_index("indicator")
    types = {i.code: cat.perhitungan(i) for i in cat.indicators}
    signs = {i.code: i.polaritas for i in cat.indicators}
    out["perhitungan"] = [w or types.get(str(c), "") for c, w in out["perhitungan"].items()]
    out["polaritas"] = [w or signs.get(str(c), "") for c, w in out["polaritas"].items()]
    return out


def _shown(field: str, value: Any, where: str = "") -> str:
    if field == "perhitungan":
        text = PERHITUNGAN_WORDS.get(str(value), str(value))
    elif isinstance(value, float):
        text = "kosong" if math.isnan(value) else number(value, 2)
        if "," in text:
            text = text.rstrip("0").rstrip(",")  # 70,1 rather than 70,10
    else:
        text = str(value)
    return f"{text} ({where})" if where else text


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return bool(a == b)


def _cell(rows: pd.DataFrame, code: Any, cell: str) -> str:
    return f"{rows.at[code, 'sheet']!s}!{rows.at[code, cell]!s}" if cell else ""


def changes(data: ReportData) -> Iterator[list[Any]]:
    """Per later version, each indicator's figure or word that differs from the version before.

    Rows: code, indicator, what, before (value and cell), after (value and cell), version.
    """
    frame = data.targets
    found = versions(data)
    names = {i.code: i.indikator for i in data.catalogue.indicators}
    year = frame[frame["year"] == data.period.year] if not frame.empty else frame
    for before, after in itertools.pairwise(found):
        old = _effective(data, year[year["version"] == before.number])
        new = _effective(data, year[year["version"] == after.number])
        for code in [c for c in new.index if c in old.index]:
            for field, cell, words in FIELDS:
                if _same(old.at[code, field], new.at[code, field]):
                    continue
                yield [
                    code,
                    names.get(str(code), ""),
                    words,
                    _shown(field, old.at[code, field], _cell(old, code, cell)),
                    _shown(field, new.at[code, field], _cell(new, code, cell)),
                    after.long_label,
                ]


def _file_rows(data: ReportData, found: list[Version]) -> list[list[Any]]:
    """Every targets file of the year: counted versions, and superseded or rejected ones."""
    counted = {v.file: v for v in found}
    year = Year(data.period.year)
    files = [f for f in data.files if f.kind == KIND_TARGETS and f.period == year]
    rows = []
    for f in sorted(files, key=lambda f: (f.moment, f.path)):
        version = counted.get(f.path)
        status = FILE_STATUS_WORDS.get(f.status, f.status)
        if f.reason:
            status += f": {f.reason}"
        rows.append(
            [
                version.label if version else "",
                f.path,
                waktu(f.received_at) if f.received_at else "tidak diketahui",
                f"TW {ROMAN[version.effective_from]}" if version else "",
                _quarters(version.quarters, data.period.quarter) if version else "",
                status,
            ]
        )
    return rows


def write_history(wb: Any, data: ReportData, styles: Styles) -> None:
    """Write `Riwayat Target`: the versions, then every change between consecutive ones."""
    ws = wb.add_worksheet(SHEET)
    ws.write_string(0, 0, f"{SHEET} · {data.period.label}", styles.title)
    ws.write_string(
        1,
        0,
        "Setiap berkas target yang diterima adalah satu versi. Target suatu triwulan diambil "
        "dari versi terakhir yang diterima yang berlaku mulai triwulan itu atau sebelumnya; "
        "triwulan sebelumnya tetap dinilai dengan target yang berlaku saat itu.",
        styles.subtitle,
    )
    landscape(ws, f"{data.config.office} · {SHEET} {data.period.label}")
    found = versions(data)
    columns = [
        Column("Versi", 16),
        Column("Berkas", 40, "wrap"),
        Column("Diterima", 18),
        Column("Berlaku mulai", 18, "wrap"),
        Column("Dipakai untuk triwulan", 26, "wrap"),
        Column("Status", 40, "wrap"),
    ]
    end = write_table(
        ws, FIRST_ROW, columns, _file_rows(data, found), styles,
        empty_message="Belum ada berkas target tahun ini.",
    )  # fmt: skip
    ws.write_string(end + 1, 0, "Perubahan antarversi (nilai dan sel)", styles.section)
    change_columns = [
        Column("Kode", 16),
        Column("Indikator", 40, "wrap"),
        Column("Yang berubah", 18),
        Column("Sebelumnya", 18, "wrap"),
        Column("Menjadi", 26, "wrap"),
        Column("Versi", 40, "wrap"),
    ]
    rows = list(changes(data))
    if not rows:
        ws.write_string(end + 2, 0, "Tidak ada perubahan target.", styles.note)
        return
    _write_changes(ws, end + 2, change_columns, rows, styles)


def _write_changes(
    ws: Any, first: int, columns: list[Column], rows: list[list[Any]], styles: Styles
) -> None:
    """A second table below the first, in the same columns (filter and freeze: the first)."""
    ws.set_row(first, 30)
    for col, column in enumerate(columns):
        ws.write_string(first, col, column.header, styles.header)
    for row, values in enumerate(rows, start=first + 1):
        ws.set_row(row, row_height(columns, values))
        for col, (column, value) in enumerate(zip(columns, values, strict=True)):
            fmt = styles.wrap if column.kind == "wrap" else styles.text
            ws.write_string(row, col, str(value), fmt)
