"""Sheet `Ringkasan`: the page the head of office reads first."""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipeline.compute.completeness import (
    LATE,
    MISSING,
    NO_TIME,
    ON_TIME,
    REJECTED_UNIT,
    STATUS_LABELS,
)
from pipeline.indonesian import tanggal, waktu
from pipeline.measure import LOWEST_BAND
from pipeline.report.data import ReportData
from pipeline.report.history import versions_line
from pipeline.report.styles import Styles
from pipeline.report.table import Column, landscape, write_cell, write_header
from pipeline.report.words import bands_words, basis_note, number

SHEET = "Ringkasan"
NO_CAPAIAN = "Tanpa capaian"
CHART_ROWS = 12  # rows a chart beside a table takes (260 px x 0.8)


def write_summary(wb: Any, data: ReportData, styles: Styles) -> None:
    """Write `Ringkasan`: period, completeness, capaian per bidang and predikat, with charts."""
    ws = wb.add_worksheet(SHEET)
    ws.set_column(0, 0, 44)
    ws.set_column(1, 5, 13)
    row = _heading(ws, data, styles)
    row = _completeness(ws, data, styles, row + 1)
    row = _office(ws, data, styles, row + 1)
    row = _per_bidang(wb, ws, data, styles, row + 1)
    row = _predikat(wb, ws, data, styles, row + 1)
    _reasons(ws, data, styles, row + 1)
    landscape(ws, f"{data.config.office} · Ringkasan {data.period.label}")
    ws.fit_to_pages(1, 1)  # the summary is one page: the first thing the head of office reads
    ws.activate()


def _heading(ws: Any, data: ReportData, styles: Styles) -> int:
    """Title, period, the data's date, what capaian compares and the targets' versions."""
    period = data.period
    ws.write_string(0, 0, "Capaian Indikator Kinerja Individu (IKI)", styles.title)
    ws.write_string(1, 0, data.config.office, styles.label)
    ws.write_string(
        2,
        0,
        f"{period.label}: data triwulan I s.d. {tanggal(period.end)}; batas pengiriman "
        f"{tanggal(period.deadline(data.config.deadline_days))}.",
        styles.plain,
    )
    as_of = waktu(data.as_of) if data.as_of else "belum ada kiriman yang diterima"
    ws.write_string(3, 0, f"Kiriman terakhir yang dihitung: {as_of}.", styles.subtitle)
    for row, text in enumerate(
        (
            basis_note(period, data.rated_on_annual, len(data.catalogue.indicators)),
            versions_line(data),
        ),
        start=4,
    ):
        ws.merge_range(row, 0, row, 5, text, styles.note)
        ws.set_row(row, 12.0 * (1 + len(text) // 105) + 4)
    return 6


def _completeness(ws: Any, data: ReportData, styles: Styles, row: int) -> int:
    ws.write_string(row, 0, "Kelengkapan kiriman unit pelapor", styles.section)
    status = data.completeness["status"]
    lines = [("Unit pelapor", len(status))] + [
        (STATUS_LABELS[s], int((status == s).sum()))
        for s in (ON_TIME, LATE, NO_TIME, REJECTED_UNIT, MISSING)
        if s != NO_TIME or (status == s).any()  # shown only when a file came without a time
    ]
    for label, count in lines:
        row += 1
        ws.write_string(row, 0, label, styles.text)
        ws.write_number(row, 1, count, styles.integer)
    row += 1
    ws.write_string(row, 0, "Masalah data yang masih terbuka", styles.text)
    ws.write_number(row, 1, len(data.remaining), styles.integer)
    waiting = data.completeness[data.completeness["status"].isin([MISSING, REJECTED_UNIT])]
    if not waiting.empty:
        row += 1
        names = ", ".join(waiting["name"])
        text = f"Belum ada data triwulan ini yang dapat dihitung dari: {names}."
        ws.merge_range(row, 0, row, 5, text, styles.note)
        ws.set_row(row, 12.0 * (1 + len(text) // 110) + 2)
    return row + 1


def _office(ws: Any, data: ReportData, styles: Styles, row: int) -> int:
    office = data.rollups[data.rollups["level"] == "kantor"].iloc[0]
    ws.write_string(row, 0, "Capaian kantor", styles.section)
    mean = office["mean_capaian"]
    ws.write_string(row + 1, 0, "Rata-rata capaian indikator (%)", styles.text)
    write_cell(ws, row + 1, 1, mean, styles.decimal)
    predikat = office["predikat"]
    write_cell(ws, row + 1, 2, predikat, styles.band.get(predikat, styles.text))
    ws.write_string(row + 2, 0, "Indikator dengan capaian", styles.text)
    ws.write_string(
        row + 2, 1, f"{int(office['with_capaian'])} dari {int(office['indicators'])}", styles.text
    )
    ws.write_string(row + 3, 0, "Rata-rata capaian tahunan (%)", styles.text)
    write_cell(ws, row + 3, 1, office["mean_capaian_tahunan"], styles.decimal)
    cap = number(data.config.rollup_cap, 0)
    ws.merge_range(
        row + 4,
        0,
        row + 4,
        5,
        "Rata-rata: setiap capaian indikator dibatasi 0–"
        f"{cap}% lalu dirata-rata; indikator tanpa capaian (data belum lengkap, 0/0, target "
        "belum ditetapkan) tidak dihitung sebagai 0, tetapi dihitung terpisah. Capaian "
        "tahunan menunjukkan kemajuan menuju target setahun. Predikat menurut skema "
        f"{data.config.band_scheme}: {bands_words(data.config.bands)}.",
        styles.note,
    )
    ws.set_row(row + 4, 52)
    return row + 5


def _per_bidang(wb: Any, ws: Any, data: ReportData, styles: Styles, row: int) -> int:
    ws.write_string(row, 0, "Capaian per bidang", styles.section)
    columns = [
        Column("Sekretariat / Bidang", 44),
        Column("Indikator", 13, "integer"),
        Column("Dengan capaian", 13, "integer"),
        Column("Tanpa capaian", 13, "integer"),
        Column("Rata-rata capaian (%)", 13, "decimal"),
        Column("Predikat", 13),
    ]
    header = row + 1
    write_header(ws, header, columns, styles)
    bidang = data.rollups[data.rollups["level"] == "bidang"]
    for i, (_, b) in enumerate(bidang.iterrows(), start=header + 1):
        values = [
            b["name"],
            b["indicators"],
            b["with_capaian"],
            b["without_capaian"],
            b["mean_capaian"],
            b["predikat"],
        ]
        for col, (column, value) in enumerate(zip(columns, values, strict=True)):
            fmt = styles.band.get(value) if col == 5 and value else getattr(styles, column.kind)
            write_cell(ws, i, col, value, fmt)
    last = header + len(bidang)
    chart = wb.add_chart({"type": "bar"})
    chart.add_series(
        {
            "name": "Rata-rata capaian (%)",
            "categories": [SHEET, header + 1, 0, last, 0],
            "values": [SHEET, header + 1, 4, last, 4],
            "fill": {"color": "#2E75B6"},
            "data_labels": {"value": True, "num_format": "0.0"},
        }
    )
    _style_chart(chart, "Rata-rata capaian per bidang (%)")
    chart.set_y_axis({"reverse": True, "major_gridlines": {"visible": False}})
    chart.set_x_axis({"min": 0, "max": max(100.0, data.config.rollup_cap), "num_format": "0"})
    ws.insert_chart(header, 6, chart, {"x_scale": 1.25, "y_scale": 0.8, "x_offset": 12})
    return max(last + 1, header + CHART_ROWS)


def _predikat(wb: Any, ws: Any, data: ReportData, styles: Styles, row: int) -> int:
    ws.write_string(row, 0, "Sebaran predikat indikator", styles.section)
    header = row + 1
    write_header(ws, header, [Column("Predikat", 44), Column("Indikator", 13, "integer")], styles)
    counts = data.results["predikat"].replace("", NO_CAPAIAN).value_counts()
    names = [name for _, name in data.config.bands] + [LOWEST_BAND, NO_CAPAIAN]
    colours = []
    for i, name in enumerate(names, start=header + 1):
        fmt = styles.band.get(name, styles.text)
        ws.write_string(i, 0, name, fmt)
        ws.write_number(i, 1, int(counts.get(name, 0)), styles.integer)
        colours.append(
            {"fill": {"color": styles.band_fill(name) if name != NO_CAPAIAN else "#BFBFBF"}}
        )
    last = header + len(names)
    chart = wb.add_chart({"type": "column"})
    chart.add_series(
        {
            "name": "Jumlah indikator",
            "categories": [SHEET, header + 1, 0, last, 0],
            "values": [SHEET, header + 1, 1, last, 1],
            "points": colours,
            "data_labels": {"value": True},
            "border": {"color": "#595959"},
        }
    )
    _style_chart(chart, "Jumlah indikator per predikat")
    chart.set_y_axis({"min": 0, "major_gridlines": {"visible": True}})
    ws.insert_chart(header, 6, chart, {"x_scale": 1.25, "y_scale": 0.8, "x_offset": 12})
    return max(last + 1, header + CHART_ROWS)


def _reasons(ws: Any, data: ReportData, styles: Styles, row: int) -> None:
    empty = data.results[data.results["capaian"].isna()]
    ws.write_string(row, 0, "Indikator tanpa capaian, menurut alasan", styles.section)
    if empty.empty:
        ws.write_string(row + 1, 0, "Semua indikator memiliki capaian.", styles.note)
        return
    counts = pd.Series(empty["reason"]).value_counts(sort=False).sort_index()
    write_header(ws, row + 1, [Column("Alasan", 44), Column("Indikator", 13, "integer")], styles)
    for i, (reason, count) in enumerate(counts.items(), start=row + 2):
        ws.write_string(i, 0, str(reason), styles.wrap)
        ws.write_number(i, 1, int(count), styles.integer)


def _style_chart(chart: Any, title: str) -> None:
    chart.set_title({"name": title, "name_font": {"size": 11, "bold": True}})
    chart.set_legend({"none": True})
    chart.set_size({"width": 480, "height": 260})
