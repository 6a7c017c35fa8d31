"""Short Indonesian names of the problem codes, for tables a person reads.

The code stays in a column of its own (sheets Masalah Data, problems.csv); beside it, the
head of office reads this name. Every code has one (tests/test_labels.py).
"""

from __future__ import annotations

LABELS = {
    "empty-file": "Berkas kosong",
    "file-too-large": "Berkas terlalu besar",
    "encrypted-file": "Berkas berkata sandi",
    "legacy-xls": "Format Excel lama (.xls)",
    "not-xlsx": "Bukan berkas Excel",
    "truncated-file": "Berkas rusak atau terpotong",
    "too-many-parts": "Isi berkas tidak wajar",
    "zip-bomb": "Isi berkas membesar tidak wajar",
    "macro-content": "Berkas bermakro",
    "xml-doctype": "Isi XML tidak wajar",
    "duplicate-part": "Bagian berkas ganda",
    "unreadable-workbook": "Buku kerja tidak terbaca",
    "not-a-template": "Bukan template resmi",
    "template-meta-invalid": "Identitas template rusak",
    "unknown-template-kind": "Jenis template tidak dikenal",
    "unknown-template-version": "Versi template tidak dikenal",
    "other-catalogue": "Template katalog lain",
    "unknown-unit": "Unit tidak dikenal",
    "template-tampered": "Struktur template diubah",
    "not-a-number": "Bukan angka",
    "thousand-separator": "Titik pemisah ribuan",
    "decimal-comma": "Angka berkoma",
    "number-with-unit": "Angka bersama satuan",
    "text-for-zero": "Kata untuk nol",
    "date-in-number-cell": "Tanggal di sel angka",
    "negative-number": "Angka negatif",
    "below-minimum": "Di bawah batas minimum",
    "not-whole-number": "Bukan bilangan bulat",
    "above-maximum": "Melebihi batas maksimum",
    "required-missing": "Isian wajib kosong",
    "formula-in-input": "Rumus di sel isian",
    "variable-code-changed": "Kode variabel diubah",
    "earlier-quarter-changed": "Triwulan sebelumnya diubah",
    "later-quarter-filled": "Triwulan berikutnya diisi",
    "target-changed": "Target diubah",
    "locked-cell-changed": "Sel terkunci diubah",
    "invalid-effective-quarter": "Triwulan berlaku tidak sah",
    "invalid-choice": "Pilihan tidak dikenal",
    "cumulative-not-additive": "Tidak dapat kumulatif",
    "nip-invalid": "NIP tidak sah",
    "text-too-long": "Tulisan terlalu panjang",
    "nip-implausible": "Susunan NIP janggal",
    "nip-duplicate": "NIP ganda",
    "roster-missing": "Pemangku jabatan belum diisi",
    "missing-explained": "Kosong dengan keterangan",
    "numerator-above-denominator": "Bagian melebihi keseluruhan",
    "far-from-history": "Jauh dari riwayat",
    "target-quarters-sum": "Jumlah target triwulan berbeda",
    "target-year-end": "Target TW IV berbeda",
    "target-quarters-partial": "Target triwulan tidak lengkap",
    "annual-target-missing": "Target tahunan kosong",
    "sender-not-allowed": "Pengirim tidak terdaftar",
}

# Kinds of findings about the decree (sheet Catatan Katalog).
FINDING_LABELS = {
    "aggregation-choice": "Pilihan cara menjumlah",
    "copied-tasks": "Uraian tugas tersalin",
    "data-source-not-a-unit": "Sumber data bukan nama unit",
    "decree-body": "Isi batang tubuh keputusan",
    "domain-doubt": "Keraguan isi",
    "empty-data-source": "Sumber data kosong",
    "formula-divides-by-itself": "Rumus membagi angka dengan dirinya",
    "indicator-not-measurable": "Indikator tidak terukur",
    "merged-wording": "Rumusan tergabung",
    "misspelling": "Salah ketik",
    "name-contradicts-formula": "Nama bertentangan dengan rumus",
    "near-duplicate-variables": "Data hampir sama",
    "repeated-text": "Teks berulang",
    "same-name-different-formula": "Nama sama, rumus berbeda",
    "stale-unit-name": "Nama unit lama",
    "unit-inferred": "Unit disimpulkan",
}
SOURCE_LABELS = {"manual": "Ditulis tangan", "otomatis": "Aturan otomatis"}


def label(code: str) -> str:
    """The Indonesian name of a problem code (the code itself when it has none)."""
    return LABELS.get(code, code)
