"""From the inbox's frames to what templates show locked: earlier quarters and targets."""

from __future__ import annotations

import math

import pandas as pd

from pipeline.periods import Period


def _number(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else number


def prefill_from_values(
    values: pd.DataFrame, period: Period
) -> dict[str, dict[tuple[str, int], float]]:
    """Unit -> {(variable, quarter): value} for the quarters of the year before period.

    `values` follows schemas.frames.VALUES (the counted submissions); empty values stay out.
    """
    rows = values[(values["year"] == period.year) & (values["quarter"] < period.quarter)]
    prefill: dict[str, dict[tuple[str, int], float]] = {}
    for unit, quarter, variable, value in rows[["unit", "quarter", "variable", "value"]].itertuples(
        index=False
    ):
        number = _number(value)
        if number is not None:
            prefill.setdefault(str(unit), {})[(str(variable), int(quarter))] = number
    return prefill


def targets_from_frame(
    targets: pd.DataFrame, year: int
) -> tuple[dict[str, float], dict[str, float]]:
    """(indicator -> target, indicator -> baseline) of a year, from schemas.frames.TARGETS."""
    rows = targets[targets["year"] == year]
    target_of: dict[str, float] = {}
    baseline_of: dict[str, float] = {}
    for indicator, target, baseline in rows[["indicator", "target", "baseline"]].itertuples(
        index=False
    ):
        if (number := _number(target)) is not None:
            target_of[str(indicator)] = number
        if (number := _number(baseline)) is not None:
            baseline_of[str(indicator)] = number
    return target_of, baseline_of
