"""Scalar definitions of every computation: aggregation, indicator value, targets, capaian.

These are the reference semantics. The frame-level computation of the report and the live
formulas of the templates must agree with them (tests check both against these).
Missing is None, never 0: a missing input, 0/0 or a missing target gives None with a reason.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from schemas.vocabulary import CALCULATIONS

# Predikat bands as Permendagri 86/2017 prints them for the evaluation of a regional plan
# (91-100 Sangat Tinggi, 76-90 Tinggi, 66-75 Sedang, 51-65 Rendah, <= 50 Sangat Rendah),
# read on the unrounded capaian with each LOWER BOUND INCLUSIVE: >= 91 Sangat Tinggi,
# 76 <= x < 91 Tinggi, 66 <= x < 76 Sedang, 51 <= x < 66 Rendah, else Sangat Rendah. So the
# printed gaps (90.5, 75.99) fall to the band below. Offices may name other schemes in iki.toml.
PERMENDAGRI_86_2017: tuple[tuple[float, str], ...] = (
    (91.0, "Sangat Tinggi"),
    (76.0, "Tinggi"),
    (66.0, "Sedang"),
    (51.0, "Rendah"),
)
DEFAULT_BANDS = PERMENDAGRI_86_2017
LOWEST_BAND = "Sangat Rendah"
# "Unrounded" means the capaian as computed, to BAND_DECIMALS places: far finer than any
# figure an office writes, far coarser than the error of dividing in binary floating point.
# 9.1 of a target of 10 is 91 % exactly but 90.99999999999999 as a float; read raw, it fell
# to Tinggi while the report showed 91,00 and LibreOffice's own `>=` said Sangat Tinggi.
BAND_DECIMALS = 9

# How an indicator's quarterly targets build its target to date (the Rencana Aksi).
# kumulatif: flows, the quarters' targets add up to the year's; nilai-akhir: levels (stocks,
# percentages, growth), quarter n's target stands.
PERHITUNGAN = CALCULATIONS
KUMULATIF, NILAI_AKHIR = CALCULATIONS
# Which target a capaian was measured against (dasar_capaian).
DASAR_TRIWULAN = "triwulan"  # the target to date from the quarterly targets
DASAR_TAHUNAN = "tahunan"  # no quarterly target to date: the annual target

# Reasons a value is empty, in Indonesian (shown in the report beside the empty value).
NO_DATA = "Data triwulan belum lengkap"
ZERO_OVER_ZERO = "Pembilang dan penyebut nol (0/0)"
DIVISION_BY_ZERO = "Penyebut nol"
NO_TARGET = "Target belum ditetapkan"
ZERO_TARGET = "Target nol"
ZERO_TARGET_TO_DATE = "Target s.d. triwulan ini nol"
NO_BASELINE = "Data tahun sebelumnya tidak ada"
ZERO_BASELINE = "Nilai tahun sebelumnya nol"
# Said beside a capaian measured against the annual target (dasar_capaian 'tahunan').
ON_ANNUAL_TARGET = "Dinilai terhadap target tahunan: target triwulan belum ditetapkan."


@dataclass(frozen=True)
class Result:
    """A computed number, or None with the reason it could not be computed."""

    value: float | None
    reason: str = ""


def _missing(x: float | None) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def aggregate(by_quarter: Mapping[int, float | None], agregasi: str, upto: int) -> float | None:
    """Value to date: the sum of quarters 1..upto (flows) or the value of quarter upto (stocks).

    Any missing quarter makes a flow's total missing: a partial sum would look like a real one.
    """
    if agregasi == "last":
        value = by_quarter.get(upto)
        return None if _missing(value) else float(value)  # type: ignore[arg-type]
    values = [by_quarter.get(q) for q in range(1, upto + 1)]
    if any(_missing(v) for v in values):
        return None
    return float(sum(values))  # type: ignore[arg-type]


def ratio(numerator: float | None, denominator: float | None, factor: float) -> Result:
    """numerator / denominator x factor, with 0/0 and n/0 undefined."""
    if _missing(numerator) or _missing(denominator):
        return Result(None, NO_DATA)
    assert numerator is not None and denominator is not None
    if denominator == 0:
        return Result(None, ZERO_OVER_ZERO if numerator == 0 else DIVISION_BY_ZERO)
    return Result(numerator / denominator * factor)


def growth(current: float | None, previous: float | None, factor: float) -> Result:
    """(current - previous) / previous x factor."""
    if _missing(current):
        return Result(None, NO_DATA)
    if _missing(previous):
        return Result(None, NO_BASELINE)
    assert current is not None and previous is not None
    if previous == 0:
        return Result(None, ZERO_BASELINE)
    return Result((current - previous) / previous * factor)


def indicator_value(kind: str, inputs: Sequence[float | None], factor: float) -> Result:
    """Realisation of an indicator from its aggregated inputs, in ROLES order.

    For growth, inputs are (value this year to date, value last year to date).
    """
    if kind == "count":
        return Result(None, NO_DATA) if _missing(inputs[0]) else Result(float(inputs[0]))  # type: ignore[arg-type]
    if kind == "difference":
        if _missing(inputs[0]) or _missing(inputs[1]):
            return Result(None, NO_DATA)
        return Result(float(inputs[0]) - float(inputs[1]))  # type: ignore[arg-type]
    if kind == "ratio":
        return ratio(inputs[0], inputs[1], factor)
    if kind == "growth":
        return growth(inputs[0], inputs[1], factor)
    raise ValueError(f"unknown indicator kind {kind!r}")


def capaian(realisasi: float | None, target: float | None, polaritas: str = "positif") -> Result:
    """Achievement: R/T x 100, or (2T - R)/T x 100 when lower is better (negatif)."""
    if _missing(target):
        return Result(None, NO_TARGET)
    if _missing(realisasi):
        return Result(None, NO_DATA)
    assert realisasi is not None and target is not None
    if target == 0:
        return Result(None, ZERO_TARGET)
    if polaritas == "negatif":
        return Result((2 * target - realisasi) / target * 100)
    return Result(realisasi / target * 100)


def target_to_date(
    quarterly: Mapping[int, float | None], perhitungan: str, upto: int
) -> float | None:
    """Target to date at quarter `upto` from the quarters' targets (the Rencana Aksi).

    kumulatif: the sum of the targets of quarters 1..upto, missing when any of them is;
    nilai-akhir: the target of quarter `upto` itself (a level to reach by then).
    """
    if perhitungan == NILAI_AKHIR:
        value = quarterly.get(upto)
        return None if _missing(value) else float(value)  # type: ignore[arg-type]
    if perhitungan != KUMULATIF:
        raise ValueError(f"unknown perhitungan {perhitungan!r}")
    return aggregate(quarterly, "sum", upto)


def capaian_to_date(
    realisasi: float | None,
    target_sd: float | None,
    target: float | None,
    polaritas: str = "positif",
) -> tuple[Result, str]:
    """The capaian the predikat rates, and its basis (dasar_capaian).

    Against the target to date when there is one (DASAR_TRIWULAN); otherwise against the
    annual target (DASAR_TAHUNAN), or '' when there is no target at all.
    """
    if not _missing(target_sd):
        result = capaian(realisasi, target_sd, polaritas)
        if result.reason == ZERO_TARGET:
            result = Result(None, ZERO_TARGET_TO_DATE)
        return result, DASAR_TRIWULAN
    return capaian(realisasi, target, polaritas), "" if _missing(target) else DASAR_TAHUNAN


def predikat(value: float | None, bands: Sequence[tuple[float, str]] = DEFAULT_BANDS) -> str:
    """Rating for a capaian: the first band whose lower bound it reaches; '' when empty.

    Bounds are inclusive and apply to the unrounded value (90.5 is below 91), taken to
    BAND_DECIMALS places so that a division's rounding error never moves it below a bound.
    """
    if _missing(value):
        return ""
    assert value is not None
    rounded = round(value, BAND_DECIMALS)
    for lower, name in bands:
        if rounded >= lower:
            return name
    return LOWEST_BAND
