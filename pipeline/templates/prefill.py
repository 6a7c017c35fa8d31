"""From the inbox's frames to what templates show locked: earlier quarters and targets."""

from __future__ import annotations

import math

import pandas as pd

from pipeline.catalogue.model import Catalogue
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


def baselines_from_values(
    values: pd.DataFrame, catalogue: Catalogue, year: int
) -> dict[str, dict[int, float]]:
    """Growth indicator -> {quarter: value of its variable in that quarter of year - 1}.

    From schemas.frames.VALUES, which holds last year's counted submissions and, for quarters
    without one, the targets workbook's quarterly baselines; only the variable's own unit
    counts, as in the computation.
    """
    last_year = values[values["year"] == year - 1]
    baselines: dict[str, dict[int, float]] = {}
    for indicator in catalogue.indicators:
        if indicator.kind != "growth":
            continue
        variable = catalogue.variable(indicator.variables[0])
        rows = last_year[
            (last_year["variable"] == variable.code) & (last_year["unit"] == variable.unit)
        ]
        for quarter, value in rows[["quarter", "value"]].itertuples(index=False):
            if (number := _number(value)) is not None:
                baselines.setdefault(indicator.code, {})[int(quarter)] = number
    return baselines
