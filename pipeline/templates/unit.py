"""One unit's quarterly workbook: Petunjuk, Isian, IKI and the very hidden `_meta`."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import BinaryIO

from pipeline.catalogue.model import Catalogue
from pipeline.config import Config
from pipeline.contract import KIND_UNIT, TEMPLATE_VERSION, TemplateMeta
from pipeline.indonesian import hari_tanggal
from pipeline.periods import ROMAN, Period
from pipeline.rencana import TargetPlan
from pipeline.templates import styles
from pipeline.templates.common import new_workbook, write_meta
from pipeline.templates.factors import write_factors
from pipeline.templates.guide import Guide, write_guide
from pipeline.templates.iki import IkiInputs, write_iki
from pipeline.templates.isian import write_isian


def unit_guide(catalogue: Catalogue, unit_code: str, period: Period, config: Config) -> Guide:
    """The instructions a unit reads first."""
    unit = catalogue.unit(unit_code)
    roman = ROMAN[period.quarter]
    deadline = hari_tanggal(period.deadline(config.deadline_days))
    steps = [
        "Buka sheet Isian. Setiap baris adalah satu data yang dilaporkan unit Anda.",
        f"Isi angka hanya pada sel berwarna kuning di kolom TW {roman} ({period.label}). "
        "Sel lain terkunci dan tidak perlu diubah.",
        "Tulis bilangan bulat tanpa titik, koma atau satuan, misalnya 125. Excel menolak "
        "huruf, angka negatif dan pecahan.",
        "Perhatikan kolom 'Yang Dilaporkan': 'Jumlah selama triwulan' berarti hanya yang "
        "terjadi dalam triwulan ini (bukan kumulatif sejak Januari); 'Posisi akhir triwulan' "
        "berarti keadaan pada hari terakhir triwulan.",
        "Bila datanya belum ada, biarkan sel kosong dan tulis alasannya di kolom Keterangan. "
        "Angka 0 berarti memang nol.",
        "Sheet IKI menampilkan realisasi, capaian dan predikat sementara secara otomatis saat "
        "Anda mengetik; tidak ada yang perlu diisi di sana.",
        "Sheet Faktor (boleh diisi): untuk setiap indikator, tulis faktor pendorong, faktor "
        "penghambat dan tindak lanjut. Tulisan ini dicetak pada formulir evaluasi.",
        f"Simpan berkas ini (format .xlsx) dan kirim sebagai lampiran email ke "
        f"{config.send_email} ({config.send_to}) paling lambat {deadline}.",
    ]
    if period.quarter > 1:
        steps.insert(
            5,
            "Kolom triwulan sebelumnya (biru muda) sudah terisi dari laporan yang diterima dan "
            "terkunci. Sel triwulan sebelumnya yang KUNING belum pernah diterima angkanya "
            "(unit belum mengirim, kiriman ditolak, atau selnya kosong): isi bila datanya sudah "
            "ada (susulan), atau biarkan kosong. Bila ada angka terkunci yang keliru, kirim "
            f"ulang berkas triwulan itu atau hubungi {_short(config.send_to)}.",
        )
    return Guide(
        title="PETUNJUK PENGISIAN TEMPLATE IKI",
        facts=(
            ("Kantor", catalogue.office),
            ("Unit kerja", unit.nama),
            ("Periode", period.label),
            ("Batas pengiriman", deadline),
            ("Kirim kepada", config.send_to),
            ("Alamat email", config.send_email),
        ),
        steps=tuple(steps),
        colours=(
            ("legend_input", f"Kuning: diisi unit Anda untuk TW {roman}"),
            ("legend_note", "Hijau muda: kolom Keterangan, boleh diisi catatan bila perlu"),
            ("legend_done", "Biru muda: triwulan sebelumnya, sudah dilaporkan (terkunci)"),
            ("legend_later", "Abu-abu: triwulan berikutnya, belum waktunya (terkunci)"),
        ),
        after=(
            "Berkas diperiksa otomatis. Bila ada angka yang tidak dapat diterima, unit Anda "
            "menerima umpan balik yang menyebut sel dan alasannya; perbaiki di berkas yang sama "
            "lalu kirim ulang.",
            "Bila berkas dikirim lebih dari sekali, berkas terakhir yang diterima yang dipakai.",
            f"Angka yang diterima masuk ke laporan capaian IKI {period.label} dan tampil "
            "terkunci pada template triwulan berikutnya.",
        ),
        footnote=(
            "Jangan mengganti nama sheet, menyisipkan atau menghapus baris dan kolom, atau "
            "menyalin isian ke berkas lain: berkas ini dikenali dari isinya (identitas template "
            "tersimpan di dalamnya), bukan dari nama berkasnya."
        ),
    )


def _short(send_to: str) -> str:
    """'Renvapor' from 'Sub Bagian ... (Renvapor)'; the whole name otherwise."""
    if send_to.endswith(")") and "(" in send_to:
        return send_to[send_to.rindex("(") + 1 : -1]
    return send_to


def write_unit_template(
    path: Path | BinaryIO,
    catalogue: Catalogue,
    unit_code: str,
    period: Period,
    *,
    prefill: Mapping[tuple[str, int], float],
    targets: Mapping[str, float | TargetPlan],
    baselines: Mapping[str, Mapping[int, float]],
    config: Config,
    generated_at: str,
) -> TemplateMeta:
    """Write one unit's template to path; return the `_meta` it carries."""
    unit = catalogue.unit(unit_code)
    workbook = new_workbook(path, f"Template IKI {unit.nama} {period.label}", generated_at)
    formats = styles.add_formats(workbook)
    header = f"{catalogue.office} · {unit.nama} · {period.label}"
    write_guide(workbook, formats, unit_guide(catalogue, unit_code, period, config), header)
    isian = write_isian(workbook, formats, catalogue, unit_code, period, prefill)
    iki_cells = write_iki(
        workbook,
        formats,
        catalogue,
        unit_code,
        period,
        isian,
        IkiInputs(targets, baselines, config.bands),
    )
    factor_cells = write_factors(workbook, formats, catalogue, unit_code, period)
    meta = TemplateMeta(
        kind=KIND_UNIT,
        template_version=TEMPLATE_VERSION,
        catalogue_id=catalogue.catalogue_id,
        catalogue_hash=catalogue.content_hash,
        year=period.year,
        quarter=period.quarter,
        unit_code=unit_code,
        generated_at=generated_at,
        cells=(*isian.cells, *iki_cells, *factor_cells),
    )
    meta = write_meta(workbook, meta, config.template_key)
    workbook.close()
    return meta
