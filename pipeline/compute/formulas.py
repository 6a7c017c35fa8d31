"""Vectorised indicator formulas, capaian and predikat: `pipeline.measure` over whole columns.

Each function returns the value (NaN when empty) and the reason it is empty, with the same
strings and the same floating-point operations, in the same order, as the scalar reference.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from pipeline.measure import (
    BAND_DECIMALS,
    DASAR_TAHUNAN,
    DASAR_TRIWULAN,
    DIVISION_BY_ZERO,
    KUMULATIF,
    LOWEST_BAND,
    NO_BASELINE,
    NO_DATA,
    NO_TARGET,
    ZERO_BASELINE,
    ZERO_OVER_ZERO,
    ZERO_TARGET,
    ZERO_TARGET_TO_DATE,
)

Evaluated = tuple[pd.Series, pd.Series]


def _pick(index: pd.Index, cases: list[tuple[pd.Series, str]], value: pd.Series) -> Evaluated:
    """Apply the first matching empty-case in order; otherwise keep the computed value."""
    conditions = [c.to_numpy(dtype=bool) for c, _ in cases]
    reason = np.select(conditions, [r for _, r in cases], default="")
    empty = np.logical_or.reduce(conditions) if conditions else np.zeros(len(index), bool)
    result = pd.Series(np.where(empty, np.nan, value.to_numpy(dtype=float)), index=index)
    return result, pd.Series(reason, index=index, dtype=object)


def evaluate(kind: pd.Series, a: pd.Series, b: pd.Series, factor: pd.Series) -> Evaluated:
    """Realisation of indicators of mixed kinds from their aggregated inputs a and b.

    a, b are the inputs in ROLES order (for growth: this year's and last year's value).
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        quotient = a / b * factor
        change = (a - b) / b * factor
    value = pd.Series(
        np.select(
            [kind == "count", kind == "difference", kind == "ratio", kind == "growth"],
            [a, a - b, quotient, change],
            default=np.nan,
        ),
        index=a.index,
    )
    two = kind.isin(["ratio", "difference"])
    cases = [
        (a.isna() | (two & b.isna()), NO_DATA),
        (kind.eq("ratio") & b.eq(0) & a.eq(0), ZERO_OVER_ZERO),
        (kind.eq("ratio") & b.eq(0), DIVISION_BY_ZERO),
        (kind.eq("growth") & b.isna(), NO_BASELINE),
        (kind.eq("growth") & b.eq(0), ZERO_BASELINE),
    ]
    return _pick(a.index, cases, value)


def capaian(realisasi: pd.Series, target: pd.Series, polaritas: pd.Series) -> Evaluated:
    """Achievement: R/T x 100, or (2T - R)/T x 100 for polaritas negatif."""
    with np.errstate(divide="ignore", invalid="ignore"):
        positive = realisasi / target * 100
        negative = (2 * target - realisasi) / target * 100
    value = pd.Series(np.where(polaritas == "negatif", negative, positive), index=target.index)
    cases = [
        (target.isna(), NO_TARGET),
        (realisasi.isna(), NO_DATA),
        (target.eq(0), ZERO_TARGET),
    ]
    return _pick(target.index, cases, value)


def target_to_date(quarterly: Sequence[pd.Series], perhitungan: pd.Series) -> pd.Series:
    """Target to date from the targets of quarters 1..q (measure.target_to_date).

    kumulatif: their sum in quarter order, NaN when any is NaN; nilai-akhir: quarter q's.
    """
    total = quarterly[0].astype(float)
    for target in quarterly[1:]:
        total = total + target
    return total.where(perhitungan == KUMULATIF, quarterly[-1].astype(float))


def capaian_to_date(
    realisasi: pd.Series, target_sd: pd.Series, target: pd.Series, polaritas: pd.Series
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Capaian against the target to date, else the annual one (measure.capaian_to_date).

    Returns the value, its reason when empty, and its basis ('triwulan', 'tahunan' or '').
    """
    quarterly = target_sd.notna()
    value, reason = capaian(realisasi, target_sd.where(quarterly, target), polaritas)
    reason = reason.where(~(quarterly & reason.eq(ZERO_TARGET)), ZERO_TARGET_TO_DATE)
    basis = np.where(quarterly, DASAR_TRIWULAN, np.where(target.notna(), DASAR_TAHUNAN, ""))
    return value, reason.astype(object), pd.Series(basis, index=target.index, dtype=object)


def predikat(value: pd.Series, bands: Sequence[tuple[float, str]]) -> pd.Series:
    """Rating per value: the first band whose lower bound it reaches, the value taken to
    measure.BAND_DECIMALS places (measure.predikat); '' when empty."""
    raw = value.astype(float)
    with np.errstate(over="ignore", invalid="ignore"):  # |x| near float's limit: x * 1e9 = inf
        rounded = raw.round(BAND_DECIMALS)
    rounded = rounded.where(np.isfinite(rounded), raw)  # such an x has no decimals to round
    conditions = [value.isna().to_numpy()] + [(rounded >= lower).to_numpy() for lower, _ in bands]
    names = [""] + [name for _, name in bands]
    return pd.Series(np.select(conditions, names, default=LOWEST_BAND), index=value.index)
