"""Problem codes: each a stable kebab-case name, one severity and one Indonesian message.

Messages say what was found and what to do, in words a staff member can act on alone.
Placeholders are filled from the details of each problem (`{value}`, `{limit}`, ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pipeline.problems.record import Problem, Severity

F, E, W = Severity.FATAL, Severity.ERROR, Severity.WARNING
_RESEND = "Isi ulang template asli yang dikirim Renvapor, simpan sebagai .xlsx, lalu kirim ulang."


@dataclass(frozen=True)
class Code:
    """A kind of problem: its severity and its message template."""

    severity: Severity
    template: str


CODES: dict[str, Code] = {
    # Fatal: the file cannot be read safely or is not an official template.
    "empty-file": Code(F, "Berkas kosong (0 byte). " + _RESEND),
    "file-too-large": Code(
        F, "Berkas berukuran {size} byte, melebihi batas {limit} byte untuk template. " + _RESEND
    ),
    "encrypted-file": Code(
        F,
        "Berkas dilindungi kata sandi sehingga tidak dapat dibaca. Buka berkas, hapus kata "
        "sandinya (File > Info > Protect Workbook > Encrypt with Password, kosongkan), "
        "simpan sebagai .xlsx, lalu kirim ulang.",
    ),
    "legacy-xls": Code(
        F,
        "Berkas berformat Excel lama (.xls). Gunakan template asli (.xlsx) dan simpan "
        "dengan Save As > Excel Workbook (*.xlsx), lalu kirim ulang.",
    ),
    "not-xlsx": Code(F, "Berkas bukan buku kerja Excel (.xlsx). " + _RESEND),
    "truncated-file": Code(
        F,
        "Berkas rusak atau terpotong (mungkin unduhan atau lampiran tidak lengkap). " + _RESEND,
    ),
    "too-many-parts": Code(
        F,
        "Berkas memuat {count} bagian, jauh lebih banyak dari template (batas {limit}). " + _RESEND,
    ),
    "zip-bomb": Code(
        F,
        "Isi berkas membesar tidak wajar saat dibuka ({detail}); berkas ditolak demi "
        "keamanan. " + _RESEND,
    ),
    "macro-content": Code(
        F,
        "Berkas memuat makro (VBA / .xlsm). Template tidak boleh berisi makro: simpan sebagai "
        "Excel Workbook (*.xlsx) tanpa makro, lalu kirim ulang.",
    ),
    "xml-doctype": Code(
        F,
        "Berkas memuat deklarasi DOCTYPE XML yang tidak dipakai Excel ({detail}); ditolak demi "
        "keamanan. " + _RESEND,
    ),
    "duplicate-part": Code(
        F,
        "Berkas memuat dua bagian bernama sama ({detail}); program yang berbeda akan membaca "
        "isi yang berbeda, jadi berkas ditolak demi keamanan. " + _RESEND,
    ),
    "unreadable-workbook": Code(F, "Buku kerja tidak dapat dibaca ({detail}). " + _RESEND),
    "not-a-template": Code(
        F,
        "Berkas bukan template IKI resmi (lembar identitas template tidak ada). Jangan membuat "
        "berkas sendiri atau menyalin isian ke buku kerja baru. " + _RESEND,
    ),
    "template-meta-invalid": Code(F, "Lembar identitas template rusak ({detail}). " + _RESEND),
    "unknown-template-kind": Code(F, "Jenis template '{value}' tidak dikenal. " + _RESEND),
    "unknown-template-version": Code(
        F,
        "Versi template '{value}' tidak dikenal (yang berlaku: {expected}). Unduh template "
        "terbaru dari Renvapor, isi, lalu kirim ulang.",
    ),
    "other-catalogue": Code(
        F,
        "Template dibuat dari katalog IKI lain ({value}); yang berlaku {expected}. Gunakan "
        "template terbaru dari Renvapor.",
    ),
    "unknown-unit": Code(F, "Kode unit kerja '{value}' tidak dikenal. " + _RESEND),
    "template-tampered": Code(F, "Struktur template diubah ({detail}). " + _RESEND),
    # Error: the submission is rejected; the unit corrects the cell and resubmits.
    "not-a-number": Code(
        E, "Sel berisi teks '{value}', bukan angka. Ketik angka saja, misalnya 12."
    ),
    "thousand-separator": Code(
        E,
        "Sel berisi teks '{value}' dengan titik pemisah ribuan. Ketik angka tanpa titik, "
        "misalnya {hint}.",
    ),
    "decimal-comma": Code(
        E,
        "Sel berisi teks '{value}' dengan koma, yang bisa dibaca sebagai pecahan atau sebagai "
        "pemisah ribuan; kami tidak menebak. Isian harus bilangan bulat: ketik jumlahnya tanpa "
        "koma dan tanpa titik (misalnya {hint}).",
    ),
    "number-with-unit": Code(
        E,
        "Sel berisi '{value}': angka bersama kata. Ketik angkanya saja ({hint}); satuan sudah "
        "tertulis di kolom Satuan.",
    ),
    "text-for-zero": Code(
        E, "Sel berisi '{value}'. Bila tidak ada kegiatan atau jumlahnya nol, ketik angka 0."
    ),
    "date-in-number-cell": Code(
        E,
        "Sel berisi tanggal ({value}): Excel mengubah ketikan seperti 1/2 atau 1-2 menjadi "
        "tanggal. Hapus isi sel, lalu ketik angkanya saja.",
    ),
    "negative-number": Code(
        E, "Nilai {value} negatif. Jumlah tidak mungkin negatif: ketik 0 atau lebih."
    ),
    "below-minimum": Code(
        E, "Nilai {value} di bawah batas minimum {limit}. Periksa kembali datanya."
    ),
    "not-whole-number": Code(
        E, "Nilai {value} bukan bilangan bulat. Ketik jumlah utuh, misalnya {hint}."
    ),
    "above-maximum": Code(
        E,
        "Nilai {value} melebihi batas maksimum {limit}. Periksa kembali datanya.",
    ),
    "required-missing": Code(
        E,
        "Sel kosong. Isi nilai triwulan ini (ketik 0 bila memang nol). Bila datanya belum "
        "ada, tulis alasannya di kolom Keterangan pada baris yang sama.",
    ),
    "formula-in-input": Code(
        E,
        "Sel berisi rumus ({formula}). Isian harus angka yang diketik langsung, bukan rumus: "
        "ganti dengan angkanya.",
    ),
    "variable-code-changed": Code(
        E,
        "Kode variabel diubah menjadi '{value}' (seharusnya '{expected}'). Baris tidak boleh "
        "diubah, disisipkan atau dihapus. " + _RESEND,
    ),
    "earlier-quarter-changed": Code(
        E,
        "Nilai triwulan sebelumnya diubah menjadi '{value}' (tercatat '{expected}'). Triwulan "
        "yang sudah diterima tidak diubah di template; bila ada koreksi, hubungi Renvapor.",
    ),
    "later-quarter-filled": Code(
        E,
        "Kolom triwulan berikutnya diisi ('{value}'). Isi hanya kolom triwulan ini (kuning) "
        "dan kosongkan sel ini.",
    ),
    "target-changed": Code(
        E,
        "Target atau nilai dasar diubah menjadi '{value}' (ditetapkan '{expected}'). Nilai ini "
        "ditetapkan Renvapor dan tidak diubah di template; kembalikan nilainya.",
    ),
    "locked-cell-changed": Code(
        E,
        "Sel terkunci diubah menjadi '{value}' (seharusnya '{expected}'). Kembalikan isinya "
        "seperti semula.",
    ),
    # Error in the targets workbook (pipeline.validate.targets): the workbook is rejected.
    "invalid-effective-quarter": Code(
        E,
        "Berlaku mulai berisi '{value}'. Pilih TW I, TW II, TW III atau TW IV: triwulan pertama "
        "yang dinilai dengan target di berkas ini (TW I untuk target murni).",
    ),
    "invalid-choice": Code(E, "Sel berisi '{value}'. Pilih salah satu: {choices}."),
    "cumulative-not-additive": Code(
        E,
        "Indikator {indicator} tidak dapat dihitung kumulatif: nilainya persentase, "
        "pertumbuhan atau posisi akhir triwulan, yang tidak dijumlahkan antartriwulan. Pilih "
        "nilai-akhir.",
    ),
    "nip-invalid": Code(
        E,
        "NIP '{value}' bukan 18 angka ({detail}). Ketik 18 angka NIP sebagai teks, boleh "
        "dengan spasi (misalnya 19650101 199003 1 002); kosongkan bila pegawai bukan PNS.",
    ),
    # Warning: accepted, flagged in the report.
    "text-too-long": Code(
        W,
        "Tulisan {length} huruf, lebih dari batas {limit} huruf; formulir mencetak {limit} huruf "
        "pertama. Persingkat tulisannya lalu kirim ulang.",
    ),
    "nip-implausible": Code(
        W,
        "NIP '{value}' tidak sesuai susunan NIP ({detail}). Periksa kembali: 8 angka tanggal "
        "lahir, 6 angka tahun dan bulan pengangkatan, 1 angka jenis kelamin (1 atau 2), 3 "
        "angka nomor urut.",
    ),
    "nip-duplicate": Code(
        W,
        "NIP '{value}' juga tertulis untuk {other}. Periksa kembali; satu orang yang memegang "
        "dua jabatan boleh ditulis dua kali.",
    ),
    "roster-missing": Code(
        W,
        "Nama pemangku jabatan {position} belum diisi di daftar pegawai: formulir evaluasi dan "
        "lembar IKI pegawai mencetak garis kosong untuk nama dan NIP-nya.",
    ),
    "missing-explained": Code(
        W,
        "Sel kosong dengan keterangan; nilainya dihitung sebagai belum ada. Kirim ulang "
        "setelah datanya tersedia.",
    ),
    "numerator-above-denominator": Code(
        W,
        "Nilai {value} lebih besar dari nilai {other} pada {other_label}, padahal nilai ini "
        "bagian darinya (indikator {indicator}). Periksa kedua nilai; bila keduanya benar, "
        "tulis penjelasannya di kolom Keterangan.",
    ),
    "far-from-history": Code(
        W,
        "Nilai {value} jauh dari riwayat unit ini (median {median} dari {count} triwulan "
        "sebelumnya). Bila benar, tulis penjelasannya di kolom Keterangan; bila salah ketik, "
        "perbaiki dan kirim ulang.",
    ),
    "target-quarters-sum": Code(
        W,
        "Target TW I s.d. TW IV indikator {indicator} berjumlah {value}, tidak sama dengan "
        "target tahunan {expected} (perhitungan kumulatif: target triwulan dijumlahkan). "
        "Periksa kedua angka: capaian triwulan memakai target triwulan, capaian tahunan memakai "
        "target tahunan.",
    ),
    "target-year-end": Code(
        W,
        "Target TW IV indikator {indicator} adalah {value}, tidak sama dengan target tahunan "
        "{expected} (perhitungan nilai akhir: target TW IV adalah posisi akhir tahun). Periksa "
        "kedua angka.",
    ),
    "target-quarters-partial": Code(
        W,
        "Target triwulan indikator {indicator} hanya diisi untuk {filled}. Triwulan yang target "
        "s.d. triwulannya tidak dapat dihitung dinilai terhadap target tahunan.",
    ),
    "annual-target-missing": Code(
        W,
        "Target tahunan indikator {indicator} kosong padahal target triwulan diisi: capaian "
        "tahunan tidak dapat dihitung. Isi target tahunan.",
    ),
    "sender-not-allowed": Code(
        W,
        "Dikirim dari alamat {value}, yang tidak terdaftar untuk unit ini ({expected}). "
        "Pastikan berkas dikirim oleh petugas unit.",
    ),
}


def problem(code: str, *, value: Any = "", **details: Any) -> Problem:
    """A Problem for a code, its message filled from the value and details."""
    spec = CODES[code]
    shown = _show(value)
    fields = {k: _show(v) for k, v in details.items() if k not in _LOCATION}
    message = spec.template.format_map(_Defaults(value=shown, **fields))
    location: dict[str, Any] = {k: str(v) for k, v in details.items() if k in _LOCATION}
    return Problem(
        code=code, severity=spec.severity, message=message, value=shown, extra=fields, **location
    )


_LOCATION = ("file", "unit", "period", "sheet", "cell")


class _Defaults(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "?"


def _show(value: Any) -> str:
    """A cell value as the user would see it: 12 not 12.0, empty as ''."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)
