"""Scalar definitions of every computation: aggregation, indicator value, capaian, predikat.

These are the reference semantics. The frame-level computation of the report and the live
formulas of the templates must agree with them (tests check both against these).
Missing is None, never 0: a missing input, 0/0 or a missing target gives None with a reason.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Default predikat bands (Renja evaluation, Permendagri 86/2017 style): lower bound exclusive.
DEFAULT_BANDS: tuple[tuple[float, str], ...] = (
    (90.0, "Sangat Tinggi"),
    (75.0, "Tinggi"),
    (65.0, "Sedang"),
    (50.0, "Rendah"),
)
LOWEST_BAND = "Sangat Rendah"

# Reasons a value is empty, in Indonesian (shown in the report beside the empty value).
NO_DATA = "Data triwulan belum lengkap"
ZERO_OVER_ZERO = "Pembilang dan penyebut nol (0/0)"
DIVISION_BY_ZERO = "Penyebut nol"
NO_TARGET = "Target belum ditetapkan"
ZERO_TARGET = "Target nol"
NO_BASELINE = "Data tahun sebelumnya tidak ada"
ZERO_BASELINE = "Nilai tahun sebelumnya nol"


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


def predikat(value: float | None, bands: Sequence[tuple[float, str]] = DEFAULT_BANDS) -> str:
    """Rating for a capaian: the first band whose lower bound it exceeds; '' when empty."""
    if _missing(value):
        return ""
    assert value is not None
    for lower, name in bands:
        if value > lower:
            return name
    return LOWEST_BAND
