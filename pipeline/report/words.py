"""Indonesian words and number/date renderings shared by the report's sheets."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from pipeline.measure import LOWEST_BAND, ON_ANNUAL_TARGET
from pipeline.periods import ROMAN, Period
from pipeline.submission import FileStatus

# Where a growth indicator's last-year values came from (compute.aggregate FROM_*).
COMPARISON_WORDS = {
    "inbox": "dibanding kiriman unit tahun {year} di inbox",
    "baseline": "dibanding realisasi {year} per triwulan di workbook target",
    "inbox+baseline": "dibanding kiriman unit {year} di inbox dan realisasi {year} di "
    "workbook target",
}
# File statuses as the report says them: from FileStatus itself, the words every output uses.
FILE_STATUS_WORDS = {str(s.value): s.description for s in FileStatus}
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


def basis_note(period: Period, rated_on_annual: int, total: int) -> str:
    """What the capaian of this report compares, for the head of office."""
    roman = ROMAN[period.quarter]
    text = (
        f"Capaian = realisasi s.d. TW {roman} dibanding target s.d. TW {roman} menurut Rencana "
        "Aksi (kumulatif: jumlah target triwulan; nilai akhir: target triwulan itu); predikat "
        "menilai capaian ini. Capaian tahunan = realisasi s.d. triwulan ini dibanding target "
        "tahunan: kemajuan menuju target setahun."
    )
    if rated_on_annual:
        text += (
            f" {rated_on_annual} dari {total} indikator belum memiliki target triwulan dan "
            "dinilai terhadap target tahunan (disebutkan di Keterangan)."
        )
    return text


# What a row says when its capaian is against the annual target.
ANNUAL_BASIS = ON_ANNUAL_TARGET
PERHITUNGAN_WORDS = {"kumulatif": "Kumulatif", "nilai-akhir": "Nilai akhir"}


def bands_words(bands: Sequence[tuple[float, str]]) -> str:
    """'Sangat Tinggi >= 91, Tinggi >= 76, ..., di bawahnya Sangat Rendah' (bounds inclusive)."""
    parts = [f"{name} ≥ {number(lower, 2)}" for lower, name in bands]
    return ", ".join(parts) + f", di bawahnya {LOWEST_BAND} (nilai tanpa pembulatan)"


def plain_gaps(gaps: str, labels: dict[str, str]) -> str:
    """'PEN.PENCAKER_LN: TW II sel kosong; ...' with each variable code told by its label."""
    parts = []
    for part in gaps.split("; "):
        code, _, rest = part.partition(": ")
        parts.append(f"{labels[code]}: {rest}" if code in labels and rest else part)
    return "; ".join(parts)


def quantity_format(row: Any) -> str:
    """How an indicator's own figures (targets, realisations) are shown, for a row of
    compute_indicators: 'decimal' for a percentage, a ratio or a growth, 'integer' else."""
    return "decimal" if row["satuan"] == "%" or row["kind"] in ("ratio", "growth") else "integer"
