"""Render the catalogue as a flat table (CSV) or as the decree's attachment (XLSX)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd
import xlsxwriter

from pipeline.atomic import atomic_bytes
from pipeline.catalogue.model import KIND_LABELS, Catalogue, Indicator

COLUMNS = [
    "unit_code",
    "unit",
    "position_code",
    "jabatan",
    "nama_jabatan",
    "indicator_code",
    "urutan",
    "kinerja",
    "indikator",
    "kind",
    "formula",
    "numerator",
    "denominator",
    "variabel",
    "faktor",
    "satuan",
    "polaritas",
    "perhitungan",
    "sumber_data",
]


def expression(ind: Indicator) -> str:
    """The indicator's computation written with variable codes."""
    if ind.kind == "ratio":
        return f"{ind.var('numerator')} / {ind.var('denominator')} x {ind.factor:g}"
    if ind.kind == "growth":
        v = ind.var("variable")
        return f"({v}[n] - {v}[n-1]) / {v}[n-1] x {ind.factor:g}"
    if ind.kind == "difference":
        return f"{ind.var('minuend')} - {ind.var('subtrahend')}"
    return ind.var("variable")


def plain_formula(latex: str) -> str:
    """Turn the decree's LaTeX formula into text a reader of the paper decree recognises."""
    text = re.sub(r"\\text\{([^}]*)\}", r"\1", latex)
    text = re.sub(r"\\frac\{(.*)\}\{(.*)\}", r"\1 / \2", text)
    text = text.replace("\\times", "×").replace("\\%", "%").replace("$", "")
    return " ".join(text.split())


def catalogue_frame(cat: Catalogue) -> pd.DataFrame:
    """One row per indicator, in the decree's order."""
    rows = []
    for ind in cat.indicators:
        pos = cat.position(ind.position)
        ratio = ind.kind == "ratio"
        rows.append(
            {
                "unit_code": pos.unit,
                "unit": cat.unit(pos.unit).nama,
                "position_code": pos.code,
                "jabatan": pos.jabatan,
                "nama_jabatan": pos.nama,
                "indicator_code": ind.code,
                "urutan": ind.order,
                "kinerja": ind.kinerja,
                "indikator": ind.indikator,
                "kind": ind.kind,
                "formula": ind.formula,
                "numerator": ind.var("numerator") if ratio else "",
                "denominator": ind.var("denominator") if ratio else "",
                "variabel": expression(ind),
                "faktor": ind.factor,
                "satuan": ind.satuan,
                "polaritas": ind.polaritas,
                "perhitungan": cat.perhitungan(ind),
                "sumber_data": ind.sumber_data,
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def _formats(book: xlsxwriter.Workbook) -> dict[str, Any]:
    base = {"font_name": "Arial", "font_size": 10, "valign": "top", "text_wrap": True}
    return {
        "title": book.add_format({**base, "bold": True, "font_size": 12, "text_wrap": False}),
        "label": book.add_format({**base, "bold": True}),
        "text": book.add_format(base),
        "head": book.add_format(
            {
                **base,
                "bold": True,
                "border": 1,
                "align": "center",
                "valign": "vcenter",
                "bg_color": "#D9D9D9",
            }
        ),
        "cell": book.add_format({**base, "border": 1}),
        "code": book.add_format({**base, "border": 1, "font_color": "#595959"}),
    }


def _write_attachment(book: xlsxwriter.Workbook, cat: Catalogue, fmt: dict[str, Any]) -> None:
    ws = book.add_worksheet("Lampiran")
    ws.set_column("A:A", 34)
    ws.set_column("B:B", 40)
    ws.set_column("C:C", 52)
    ws.set_column("D:D", 30)
    ws.set_column("E:F", 14)
    ws.set_column("G:G", 40)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.write_string(0, 0, "INDIKATOR KINERJA INDIVIDU", fmt["title"])
    ws.write_string(1, 0, cat.decree, fmt["text"])
    row = 3
    header = [
        "KINERJA",
        "INDIKATOR KINERJA",
        "PENJELASAN/FORMULASI PENGHITUNGAN",
        "SUMBER DATA",
        "KODE",
        "JENIS",
        "VARIABEL (KATALOG)",
    ]
    for pos in cat.positions:
        ws.write_string(row, 0, f"{pos.order}. JABATAN : {pos.jabatan}", fmt["label"])
        ws.write_string(row, 2, f"({pos.code}, {cat.unit(pos.unit).nama})", fmt["text"])
        row += 1
        ws.write_string(row, 0, "TUGAS :", fmt["label"])
        row += 1
        for task in pos.tugas:
            ws.merge_range(row, 0, row, 3, f"- {task}", fmt["text"])
            ws.set_row(row, 15 * max(1, len(task) // 120 + 1))
            row += 1
        for col, title in enumerate(header):
            ws.write_string(row, col, title, fmt["head"])
        row += 1
        row = _write_rows(ws, cat.indicators_of(pos.code), row, fmt)
        row += 1
    ws.repeat_rows(0)


def _write_rows(ws: Any, indicators: tuple[Indicator, ...], row: int, fmt: dict[str, Any]) -> int:
    start = row
    for ind in indicators:
        values = [
            ind.kinerja,
            ind.indikator,
            plain_formula(ind.formula),
            ind.sumber_data,
            ind.code,
            KIND_LABELS[ind.kind],
            expression(ind),
        ]
        for col, value in enumerate(values):
            ws.write_string(row, col, value, fmt["code"] if col >= 4 else fmt["cell"])
        row += 1
    # Merge the KINERJA cells of consecutive rows sharing one kinerja, as the decree prints them.
    run_start = start
    for r in range(start + 1, row + 1):
        same = r < row and indicators[r - start].kinerja == indicators[run_start - start].kinerja
        if not same:
            if r - 1 > run_start:
                ws.merge_range(
                    run_start, 0, r - 1, 0, indicators[run_start - start].kinerja, fmt["cell"]
                )
            run_start = r
    return row


def _write_table(
    book: xlsxwriter.Workbook,
    name: str,
    frame: pd.DataFrame,
    fmt: dict[str, Any],
    widths: list[int],
) -> None:
    ws = book.add_worksheet(name)
    for col, title in enumerate(frame.columns):
        ws.write_string(0, col, str(title), fmt["head"])
        ws.set_column(col, col, widths[col] if col < len(widths) else 16)
    for r, record in enumerate(frame.itertuples(index=False), start=1):
        for c, value in enumerate(record):
            ws.write_string(r, c, "" if value is None else str(value), fmt["cell"])
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(frame), len(frame.columns) - 1)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0)


def variables_frame(cat: Catalogue) -> pd.DataFrame:
    """Variables per reporting unit with the indicators that use them."""
    rows = []
    for unit in cat.reporting_units():
        for v in cat.variables_of(unit.code):
            rows.append(
                {
                    "Unit": unit.nama,
                    "Kode": v.code,
                    "Variabel": v.label,
                    "Satuan": v.satuan,
                    "Agregasi": "jumlah" if v.agregasi == "sum" else "nilai terakhir",
                    "Batas atas": "" if v.maksimum is None else str(v.maksimum),
                    "Dipakai oleh": ", ".join(i.code for i in cat.users_of(v.code)),
                    "Catatan": v.catatan,
                }
            )
    return pd.DataFrame(rows)


def findings_frame(cat: Catalogue) -> pd.DataFrame:
    """The findings about the decree, one per row."""
    return pd.DataFrame(
        [
            {
                "Kode temuan": f.code,
                "Entri": f.ref,
                "Temuan": f.temuan,
                "Teks keputusan": f.teks,
                "Penanganan": f.penanganan,
                "Sumber": f.sumber,
            }
            for f in cat.findings
        ]
    )


def write_catalogue_xlsx(cat: Catalogue, path: Path) -> None:
    """Write the attachment, the variables per unit and the findings as one workbook."""
    with atomic_bytes(path) as buffer:
        book = xlsxwriter.Workbook(buffer, {"strings_to_formulas": False})
        fmt = _formats(book)
        _write_attachment(book, cat, fmt)
        _write_table(
            book, "Variabel per Unit", variables_frame(cat), fmt, [36, 26, 60, 11, 14, 10, 30, 50]
        )
        _write_table(book, "Temuan", findings_frame(cat), fmt, [24, 16, 60, 50, 50, 10])
        book.close()
