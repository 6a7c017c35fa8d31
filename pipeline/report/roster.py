"""Sheet `Daftar Pegawai`: the roster the forms print, with the cell each name came from."""

from __future__ import annotations

from typing import Any

from pipeline.contract import HEAD_KEY
from pipeline.report.data import ReportData
from pipeline.report.styles import Styles
from pipeline.report.table import Column, landscape, write_table

SHEET = "Daftar Pegawai"
FIRST_ROW = 2


def write_roster(wb: Any, data: ReportData, styles: Styles) -> None:
    """One row per position (and the Kepala Dinas): holder, NIP, pangkat, source cell."""
    ws = wb.add_worksheet(SHEET)
    ws.write_string(0, 0, f"{SHEET} · {data.period.label}", styles.title)
    roster = data.roster
    place = f"Tempat penandatanganan: {roster.place or '(belum diisi)'}"
    if roster.place_source:
        place += f" ({roster.place_source})"
    ws.write_string(1, 0, place, styles.subtitle)
    landscape(ws, f"{data.config.office} · {SHEET} {data.period.label}")
    columns = [
        Column("Kode jabatan", 15),
        Column("Jabatan", 40, "wrap"),
        Column("Nama", 30, "wrap"),
        Column("NIP", 22),
        Column("Pangkat / Golongan", 26, "wrap"),
        Column("Sumber (berkas dan sel)", 44, "wrap"),
    ]
    cat = data.catalogue
    keys = [(HEAD_KEY, f"Kepala {cat.office}")] + [(p.code, p.nama) for p in cat.positions]
    rows = []
    for key, title in keys:
        holder = roster.of(key)
        code = "" if key == HEAD_KEY else key
        name = holder.name or "(belum diisi)"
        rows.append([code, title, name, holder.nip, holder.rank, holder.source])
    write_table(ws, FIRST_ROW, columns, rows, styles)
