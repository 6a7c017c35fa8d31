"""Indonesian words and number/date renderings shared by the report's sheets."""

from __future__ import annotations

import math

from pipeline.periods import ROMAN, Period

# Where a growth indicator's last-year values came from (compute.aggregate FROM_*).
COMPARISON_WORDS = {
    "inbox": "dibanding kiriman unit tahun {year} di inbox",
    "baseline": "dibanding realisasi {year} per triwulan di workbook target",
    "inbox+baseline": "dibanding kiriman unit {year} di inbox dan realisasi {year} di "
    "workbook target",
}
FILE_STATUS_WORDS = {
    "accepted": "Diterima (dihitung)",
    "superseded": "Diganti kiriman lebih baru",
    "rejected": "Ditolak",
    "ignored": "Diabaikan",
}
SEVERITY_WORDS = {"fatal": "Fatal", "error": "Galat", "warning": "Peringatan"}


def to_date_label(period: Period) -> str:
    """Column label of the realisation to date, e.g. 'Realisasi s.d. TW II'."""
    return f"Realisasi s.d. TW {ROMAN[period.quarter]}"


def number(value: float, decimals: int = 1) -> str:
    """A number as Indonesians write it: 1.234,5 ('' when empty)."""
    if math.isnan(value):
        return ""
    if float(value).is_integer():
        decimals = 0
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def annual_target_note(period: Period, cumulative: int, total: int) -> str:
    """Why mid-year capaian of counts looks low: it is measured against the annual target."""
    if period.quarter == 4:
        return (
            "Capaian = realisasi Januari s.d. Desember dibandingkan target tahunan: "
            "ini capaian akhir tahun."
        )
    share = period.quarter * 25
    return (
        f"Capaian = realisasi s.d. {period.label} dibandingkan target TAHUNAN. {cumulative} "
        f"dari {total} indikator menjumlahkan kegiatan sepanjang tahun (misalnya jumlah orang "
        f"dilatih): s.d. TW {ROMAN[period.quarter]} capaiannya wajar baru sekitar {share}%, "
        "jadi predikat Rendah atau Sangat Rendah pada indikator itu belum berarti kinerja "
        "buruk. Indikator persentase dan pertumbuhan dapat langsung dibandingkan dengan "
        "targetnya."
    )
