"""The plain table sheets: Per Jabatan, Kelengkapan, Daftar Berkas, Masalah Data, Data,
Catatan Katalog."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from pipeline.compute.completeness import STATUS_LABELS
from pipeline.indonesian import tanggal, waktu
from pipeline.periods import ROMAN
from pipeline.problems.labels import FINDING_LABELS, SOURCE_LABELS, label
from pipeline.report.data import ReportData
from pipeline.report.styles import Styles
from pipeline.report.table import Column, landscape, write_table
from pipeline.report.words import FILE_STATUS_WORDS, SEVERITY_WORDS
from pipeline.submission import FileRecord, FileStatus

FIRST_ROW = 2  # a title and a note above every table


def _sheet(wb: Any, data: ReportData, styles: Styles, name: str, note: str, width: int = 6) -> Any:
    """A sheet with its title and a note above the table (wrapped over `width` columns)."""
    ws = wb.add_worksheet(name)
    ws.write_string(0, 0, f"{name} · {data.period.label}", styles.title)
    ws.merge_range(1, 0, 1, width - 1, note, styles.note)
    ws.set_row(1, 12.0 * (1 + len(note) // 150) + 4)
    landscape(ws, f"{data.config.office} · {name} {data.period.label}")
    return ws


def write_positions(wb: Any, data: ReportData, styles: Styles) -> None:
    """`Per Jabatan`: each position's mean capaian and how many indicators have one."""
    ws = _sheet(
        wb,
        data,
        styles,
        "Per Jabatan",
        "Rata-rata capaian indikator tiap jabatan (tiap indikator dibatasi 0–"
        f"{data.config.rollup_cap:g}%); indikator tanpa capaian tidak dihitung sebagai 0.",
    )
    columns = [
        Column("Bidang", 26, "wrap"),
        Column("Unit kerja", 30, "wrap"),
        Column("Kode", 14),
        Column("Jabatan", 40, "wrap"),
        Column("Indikator", 9, "integer"),
        Column("Dengan capaian", 9, "integer"),
        Column("Tanpa capaian", 9, "integer"),
        Column("Rata-rata capaian (%)", 11, "decimal"),
        Column("Predikat", 13),
    ]
    cat = data.catalogue
    rolls = data.rollups[data.rollups["level"] == "jabatan"]
    rows = [
        [
            cat.top_unit(r["parent"]).nama,
            cat.unit(r["parent"]).nama,
            r["code"],
            r["name"],
            r["indicators"],
            r["with_capaian"],
            r["without_capaian"],
            r["mean_capaian"],
            r["predikat"],
        ]
        for _, r in rolls.iterrows()
    ]
    end = write_table(ws, FIRST_ROW, columns, rows, styles)
    _colour_predikat(ws, styles, FIRST_ROW + 1, end - 1, 8, [r[8] for r in rows])


def _colour_predikat(
    ws: Any, styles: Styles, first: int, last: int, col: int, names: Sequence[str]
) -> None:
    for row, name in zip(range(first, last + 1), names, strict=False):
        if name:
            ws.write_string(row, col, name, styles.band[name])


def write_completeness(wb: Any, data: ReportData, styles: Styles) -> None:
    """`Kelengkapan`: each reporting unit's status for the period."""
    deadline = tanggal(data.period.deadline(data.config.deadline_days))
    ws = _sheet(
        wb,
        data,
        styles,
        "Kelengkapan",
        f"Batas pengiriman {deadline} pukul 24.00 ({data.config.timezone}). Waktu terima: "
        "waktu surel (bila lewat collect); berkas yang disimpan sendiri ke inbox tanpa catatan "
        "waktu: tidak diketahui.",
    )
    columns = [
        Column("Kode", 7),
        Column("Unit pelapor", 40, "wrap"),
        Column("Status", 14),
        Column("Diterima", 21),
        Column("Terlambat (hari)", 10, "integer"),
        Column("Pengirim", 24, "wrap"),
        Column("Berkas (yang dihitung, atau yang ditolak)", 46, "wrap"),
        Column("Kiriman diganti", 9, "integer"),
        Column("Kiriman ditolak", 9, "integer"),
        Column("Masalah", 9, "integer"),
    ]
    rows = [
        [
            r["unit"],
            r["name"],
            STATUS_LABELS[r["status"]],
            waktu(r["received_at"]) if r["received_at"] else "",
            r["days_late"],
            r["sender"],
            r["file"],
            r["superseded"],
            r["rejected"],
            r["problems"],
        ]
        for _, r in data.completeness.iterrows()
    ]
    write_table(ws, FIRST_ROW, columns, rows, styles)
    for offset, status in enumerate(data.completeness["status"], start=FIRST_ROW + 1):
        ws.write_string(offset, 2, STATUS_LABELS[status], styles.status[status])


# What kind of file a record is, in the words of the sheet Daftar Berkas.
KIND_WORDS = {"unit": "Isian unit", "targets": "Target IKI", "": "Bukan template"}


def write_files(wb: Any, data: ReportData, styles: Styles) -> None:
    """`Daftar Berkas`: every file in the inbox, one row each, and what became of it."""
    counts = {s: sum(f.status == s for f in data.files) for s in FileStatus}
    said = ", ".join(f"{n} {s.label}" for s, n in counts.items() if n)
    ws = _sheet(
        wb,
        data,
        styles,
        "Daftar Berkas",
        f"Setiap berkas di inbox, satu baris: {len(data.files)} berkas ({said or 'tidak ada'}). "
        "Pipeline tidak pernah mengubah atau menghapus berkas di inbox. Diterima: waktu surel "
        "(bila lewat collect), tidak diketahui bila berkas disimpan sendiri; SHA-256: 12 "
        "karakter pertama sidik berkas, untuk mencocokkan dengan arsip.",
    )
    columns = [
        Column("Berkas", 40, "wrap"),
        Column("Jenis", 12),
        Column("Unit", 7),
        Column("Periode", 10),
        Column("Diterima", 21),
        Column("Pengirim", 24, "wrap"),
        Column("Status berkas", 16, "wrap"),
        Column("Masalah", 9, "integer"),
        Column("Keterangan", 36, "wrap"),
        Column("SHA-256", 14),
    ]
    write_table(
        ws,
        FIRST_ROW,
        columns,
        [_file_row(f) for f in data.files],
        styles,
        empty_message="Inbox kosong.",
    )


def _file_row(f: FileRecord) -> list[Any]:
    return [
        f.path,
        KIND_WORDS.get(f.kind, f.kind),
        f.unit,
        f.period,
        waktu(f.received_at) if f.received_at else "tidak diketahui",
        f.sender,
        FILE_STATUS_WORDS.get(f.status, f.status),
        len(f.problems),
        f.reason,
        f.sha256[:12],
    ]


def write_problems(wb: Any, data: ReportData, styles: Styles) -> None:
    """`Masalah Data`: every problem of every file in the inbox."""
    ws = _sheet(
        wb,
        data,
        styles,
        "Masalah Data",
        "Semua masalah pada semua berkas di inbox. Fatal/Galat: kiriman ditolak dan unit harus "
        "mengirim ulang; Peringatan: kiriman diterima tetapi perlu diperiksa.",
    )
    columns = [
        Column("Berkas", 34, "wrap"),
        Column("Status berkas", 14, "wrap"),
        Column("Unit", 7),
        Column("Periode", 10),
        Column("Lokasi", 12),
        Column("Masalah", 20, "wrap"),
        Column("Kode masalah", 20, "wrap"),
        Column("Tingkat", 10),
        Column("Pesan", 50, "wrap"),
        Column("Nilai ditemukan", 16, "wrap"),
    ]
    rows = [
        [
            f.path,
            FILE_STATUS_WORDS.get(f.status, f.status),
            p.unit or f.unit,
            p.period or f.period,
            p.location,
            label(p.code),
            p.code,
            SEVERITY_WORDS.get(p.severity.value, p.severity.value),
            p.message,
            p.value,
        ]
        for f, p in data.problems
    ]
    write_table(ws, FIRST_ROW, columns, rows, styles, empty_message="Tidak ada masalah data.")


def _data_rows(data: ReportData) -> Iterator[list[Any]]:
    cat = data.catalogue
    labels = {v.code: (v.label, v.satuan) for v in cat.variables}
    for r in data.data.to_dict("records"):
        label, satuan = labels[str(r["variable"])]
        yield [
            r["unit"],
            int(r["year"]),
            f"TW {ROMAN[int(r['quarter'])]}",
            r["variable"],
            label,
            satuan,
            r["value"],
            r.get("note", ""),
            r["file"],
            f"{r['sheet']}!{r['cell']}",
            waktu(str(r["received_at"])),
        ]


def write_data(wb: Any, data: ReportData, styles: Styles) -> None:
    """`Data`: the tidy long table, one reported value per row with its source cell."""
    ws = _sheet(
        wb,
        data,
        styles,
        "Data",
        "Angka yang dipakai laporan ini (tahun ini dan tahun lalu s.d. triwulan yang sama), "
        "dari kiriman yang dihitung; untuk triwulan tahun lalu tanpa kiriman, dari realisasi "
        "per triwulan di workbook target (sheet Target). Nilai kosong berarti sel tidak diisi; "
        "Keterangan unit: catatan yang ditulis unit di kolom Keterangan sheet Isian.",
    )
    columns = [
        Column("Unit", 7),
        Column("Tahun", 7),
        Column("Triwulan", 9),
        Column("Variabel", 26),
        Column("Uraian", 50, "wrap"),
        Column("Satuan", 10),
        Column("Nilai", 10, "integer"),
        Column("Keterangan unit", 30, "wrap"),
        Column("Berkas", 40, "wrap"),
        Column("Sel", 10),
        Column("Diterima", 21),
    ]
    write_table(ws, FIRST_ROW, columns, _data_rows(data), styles, empty_message="Belum ada data.")


def write_findings(wb: Any, data: ReportData, styles: Styles) -> None:
    """`Catatan Katalog`: the decree's defects and how the catalogue reads them."""
    ws = _sheet(
        wb,
        data,
        styles,
        "Catatan Katalog",
        f"Temuan atas {data.catalogue.decree}, dan cara katalog membacanya.",
    )
    columns = [
        Column("Jenis temuan", 20, "wrap"),
        Column("Kode jenis", 16, "wrap"),
        Column("Rujukan", 16, "wrap"),
        Column("Temuan", 46, "wrap"),
        Column("Penanganan", 40, "wrap"),
        Column("Teks keputusan", 36, "wrap"),
        Column("Ditemukan oleh", 11, "wrap"),
    ]
    rows = [
        [
            FINDING_LABELS.get(f.code, f.code),
            f.code,
            f.ref,
            f.temuan,
            f.penanganan,
            f.teks,
            SOURCE_LABELS.get(f.sumber, f.sumber),
        ]
        for f in data.catalogue.findings
    ]
    write_table(ws, FIRST_ROW, columns, rows, styles, empty_message="Tidak ada temuan.")
