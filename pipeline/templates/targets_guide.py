"""The `Petunjuk` of the targets workbook: how Renvapor fills the Rencana Aksi."""

from __future__ import annotations

from pipeline.catalogue.model import Catalogue
from pipeline.config import Config
from pipeline.templates.guide import Guide


def targets_guide(catalogue: Catalogue, year: int, config: Config) -> Guide:
    """The instructions for Renvapor."""
    return Guide(
        title=f"PETUNJUK PENGISIAN RENCANA AKSI (TARGET IKI) TAHUN {year}",
        facts=(
            ("Kantor", catalogue.office),
            ("Dasar", catalogue.decree),
            ("Tahun", str(year)),
            ("Diisi oleh", config.send_to),
            ("Jumlah indikator", str(len(catalogue.indicators))),
        ),
        steps=(
            "Buka sheet Target. Indikator dikelompokkan per unit kerja dan jabatan.",
            f"Isi Target TW I, TW II, TW III, TW IV dan Target Tahunan {year} setiap indikator "
            "pada sel kuning. Persentase ditulis sebagai angka: 85 berarti 85%, boleh desimal "
            "(85,5).",
            "Kolom Perhitungan. Kumulatif (jumlah kegiatan, misalnya orang dilatih): target "
            "triwulan adalah yang direncanakan selama triwulan itu; target s.d. TW II = TW I + "
            "TW II, dan keempatnya berjumlah sama dengan target tahunan. Nilai akhir "
            "(persentase, pertumbuhan, posisi akhir triwulan): target triwulan adalah posisi "
            "yang dicapai pada akhir triwulan itu; target TW IV sama dengan target tahunan. "
            "Pilihan awal mengikuti katalog; persentase dan posisi akhir selalu nilai akhir.",
            "Kolom Polaritas: positif bila makin besar makin baik; negatif bila makin kecil "
            "makin baik (capaian = (2 × target − realisasi) ÷ target × 100).",
            "Target triwulan boleh dikosongkan: capaian indikator itu lalu dinilai terhadap "
            "target tahunan, dan laporan menyebutkannya pada baris indikator itu. Biarkan "
            "kosong target yang belum ditetapkan: capaiannya tampil kosong dengan keterangan "
            "'Target belum ditetapkan', tidak dihitung nol.",
            f"Untuk indikator pertumbuhan, isi juga realisasi {year - 1} setiap triwulan (TW I "
            "sampai TW IV) dari data yang dipakai indikator itu, dalam satuan datanya (misalnya "
            "orang), bilangan bulat. Angka ini menjadi pembanding pertumbuhan triwulan yang sama "
            f"bila kiriman unit untuk triwulan {year - 1} itu tidak ada di inbox; kiriman unit "
            "yang ada selalu didahulukan.",
            "Berlaku mulai: TW I untuk target murni (awal tahun). Untuk target perubahan "
            "(misalnya APBD Perubahan) buat berkas baru (iki targets-template --berlaku-mulai "
            "TW3 --inbox inbox mengisinya dengan target yang berlaku), ubah target yang berubah, "
            "pilih triwulan pertama yang memakai target baru, lalu kirim. Triwulan sebelumnya "
            "tetap dinilai dengan target yang berlaku saat itu.",
            "Simpan berkas ini (format .xlsx) dan letakkan di folder inbox bersama berkas isian "
            "unit.",
        ),
        colours=(
            ("legend_input", "Kuning: diisi (target, pilihan, dan nilai tahun lalu)"),
            ("legend_later", "Abu-abu: tidak perlu diisi"),
        ),
        after=(
            "Setiap berkas target yang diterima adalah satu versi. Target suatu triwulan "
            "diambil dari versi terakhir yang diterima yang berlaku mulai triwulan itu atau "
            "sebelumnya; versi yang tidak lagi berlaku untuk triwulan mana pun tercatat "
            "'digantikan'. Laporan mencantumkan riwayat semua versi.",
            "Template triwulan yang dibuat sesudahnya menampilkan target tahunan dan target s.d. "
            "triwulan itu terkunci di sheet IKI, sehingga setiap unit melihat capaian "
            "sementaranya.",
        ),
        footnote=(
            "Jangan mengganti nama sheet atau menyisipkan dan menghapus baris: berkas ini "
            "dikenali dari identitas template yang tersimpan di dalamnya."
        ),
    )
