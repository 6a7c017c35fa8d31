"""`Revisi Data`: every value a later file changed, old beside new, and whether it counts."""

from __future__ import annotations

from typing import Any

from pipeline.indonesian import waktu
from pipeline.periods import ROMAN
from pipeline.report.data import ReportData
from pipeline.report.styles import Styles
from pipeline.report.table import Column, landscape, write_table

STATUS_WORDS = {
    "counted": "Dihitung",
    "replaced": "Diganti revisi berikutnya",
    "after-close": "Setelah triwulan ditutup: belum dihitung",
}
FIRST_ROW = 3


def write_revisions(wb: Any, data: ReportData, styles: Styles) -> None:
    """One row per changed value of this year's quarters up to the period."""
    name = "Revisi Data"
    ws = wb.add_worksheet(name)
    ws.write_string(0, 0, f"{name} · {data.period.label}", styles.title)
    ws.write_string(
        1,
        0,
        "Angka yang diubah oleh kiriman yang lebih baru (kiriman ulang, isian susulan, atau "
        "koreksi setelah triwulan ditutup): nilai lama di samping nilai baru, dengan berkas "
        "dan selnya.",
        styles.subtitle,
    )
    landscape(ws, f"{data.config.office} · {name} {data.period.label}")
    labels = {v.code: v.label for v in data.catalogue.variables}
    columns = [
        Column("Unit", 7),
        Column("Triwulan", 9),
        Column("Variabel", 40, "wrap"),
        Column("Nilai lama", 10, "integer"),
        Column("Nilai baru", 10, "integer"),
        Column("Berkas lama (sel)", 34, "wrap"),
        Column("Berkas baru (sel)", 34, "wrap"),
        Column("Diterima", 18),
        Column("Status", 18, "wrap"),
    ]
    rows = [
        [
            r["unit"],
            f"TW {ROMAN[int(r['quarter'])]} {int(r['year'])}",
            f"{labels.get(str(r['variable']), '')} ({r['variable']})",
            r["old_value"],
            r["value"],
            f"{r['old_file']} ({r['old_cell']})",
            f"{r['file']} ({r['sheet']}!{r['cell']})",
            waktu(str(r["received_at"])) if r["received_at"] else "tidak diketahui",
            STATUS_WORDS[str(r["status"])],
        ]
        for r in data.revisions.to_dict("records")
    ]
    write_table(
        ws, FIRST_ROW, columns, rows, styles, empty_message="Tidak ada angka yang direvisi."
    )
