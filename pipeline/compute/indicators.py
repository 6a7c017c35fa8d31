"""Every indicator of the catalogue for one period: realisation, capaian, predikat, sources.

Inputs are aggregated to date first (`aggregate.variable_frame`), then divided: a ratio is
sum(numerator) / sum(denominator) x factor, never an average of quarterly ratios.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from pipeline.catalogue.model import Catalogue
from pipeline.compute.aggregate import quarter_col, variable_frame
from pipeline.compute.formulas import capaian, capaian_to_date, evaluate, predikat
from pipeline.compute.targets import targets_in_effect
from pipeline.measure import (
    DIVISION_BY_ZERO,
    NO_BASELINE,
    NO_DATA,
    NO_TARGET,
    ZERO_BASELINE,
    ZERO_OVER_ZERO,
    ZERO_TARGET,
    ZERO_TARGET_TO_DATE,
)
from pipeline.periods import Period

# Stable status codes for other systems (capaian.csv), one per way a capaian can end.
OK = "ok"
STATUS_OF_REASON = {
    NO_DATA: "no-data",
    ZERO_OVER_ZERO: "zero-over-zero",
    DIVISION_BY_ZERO: "division-by-zero",
    NO_BASELINE: "no-baseline",
    ZERO_BASELINE: "zero-baseline",
    NO_TARGET: "no-target",
    ZERO_TARGET: "zero-target",
    ZERO_TARGET_TO_DATE: "zero-target-to-date",
}

QUARTER_COLUMNS = ("tw1", "tw2", "tw3", "tw4")


def _catalogue_frame(catalogue: Catalogue) -> pd.DataFrame:
    rows = []
    for ind in catalogue.indicators:
        unit = catalogue.position(ind.position).unit
        rows.append(
            {
                "indicator": ind.code,
                "position": ind.position,
                "unit": unit,
                "bidang": catalogue.top_unit(unit).code,
                "kind": ind.kind,
                "satuan": ind.satuan,
                "factor": float(ind.factor),
                "var_a": ind.variables[0],
                "var_b": ind.variables[1] if len(ind.variables) > 1 else "",
            }
        )
    return pd.DataFrame(rows).set_index("indicator")


def _lookup(variables: pd.DataFrame, codes: pd.Series, column: str) -> pd.Series:
    """variables[column] for each code ('' codes give NaN / '')."""
    series = variables[column]
    out = series.reindex(codes.to_numpy())
    out.index = codes.index
    if series.dtype == object:
        return out.fillna("").astype(object)
    return out.astype(float)


def _growth_previous(frame: pd.DataFrame, variables: pd.DataFrame) -> pd.DataFrame:
    """Last year's value to date for growth, and where its values came from.

    The same quarters of last year in the values frame, aggregated like this year's: from
    submissions in the inbox or, for quarters without one, the targets workbook's baselines.
    """
    growth = frame["kind"] == "growth"
    to_date = _lookup(variables, frame["var_a"], "to_date_prev")
    known = growth & to_date.notna()
    origin = _lookup(variables, frame["var_a"], "origin_prev")
    prev_source = _lookup(variables, frame["var_a"], "source_prev")
    return pd.DataFrame(
        {
            "previous": to_date.where(growth),
            "comparison": origin.where(known, "").astype(object),
            "previous_source": prev_source.where(known, "").astype(object),
        },
        index=frame.index,
    )


def _source_text(frame: pd.DataFrame, variables: pd.DataFrame) -> pd.Series:
    parts = []
    for role in ("var_a", "var_b"):
        codes = frame[role]
        cells = _lookup(variables, codes, "source")
        parts.append((codes + " (" + cells + ")").where((codes != "") & (cells != ""), ""))
    joined = (parts[0] + " | " + parts[1]).str.strip(" |")
    return joined.astype(object)


def _cells_text(frame: pd.DataFrame, variables: pd.DataFrame) -> pd.Series:
    lines = []
    for role in ("var_a", "var_b"):
        codes = frame[role]
        cells = _lookup(variables, codes, "cells")
        lines.append((codes + ": " + cells).where((codes != "") & (cells != ""), ""))
    return (lines[0] + "\n" + lines[1]).str.strip("\n").astype(object)


def _gap_text(frame: pd.DataFrame, variables: pd.DataFrame) -> pd.Series:
    parts = []
    for role in ("var_a", "var_b"):
        gaps = _lookup(variables, frame[role], "gaps")
        parts.append((frame[role] + ": " + gaps).where(gaps != "", ""))
    return (parts[0] + "; " + parts[1]).str.strip("; ").astype(object)


def compute_indicators(
    values: pd.DataFrame,
    targets: pd.DataFrame,
    catalogue: Catalogue,
    period: Period,
    bands: Sequence[tuple[float, str]],
) -> pd.DataFrame:
    """One row per indicator (catalogue order) with everything the report shows.

    Columns: position, unit, bidang, kind, satuan, factor, the targets in effect
    (compute.targets.targets_in_effect: target, perhitungan, polaritas, target_tw1..tw4,
    target_sd, versions and sources), tw1..tw4 (realisation of each quarter alone; NaN after
    the period), numerator and denominator (the inputs to date in ROLES order; for growth
    this year's and last year's value), realisasi, realisasi_reason, capaian (against the
    target to date, else the annual target), capaian_reason, dasar ('triwulan', 'tahunan'
    or ''), capaian_tahunan (against the annual target), capaian_tahunan_reason, predikat
    (of capaian), status, reason, comparison (growth: where last year's values came from,
    'inbox', 'baseline' or 'inbox+baseline'), gaps, source (files and cells), cells (cells
    only, one line per input), previous_source.
    """
    frame = _catalogue_frame(catalogue).join(targets_in_effect(targets, catalogue, period))
    variables = variable_frame(values, catalogue, period)
    frame = frame.join(_growth_previous(frame, variables))
    growth = frame["kind"] == "growth"
    a = _lookup(variables, frame["var_a"], "to_date")
    b = _lookup(variables, frame["var_b"], "to_date").where(~growth, frame["previous"])
    frame["numerator"], frame["denominator"] = a, b
    frame["realisasi"], frame["realisasi_reason"] = evaluate(frame["kind"], a, b, frame["factor"])
    for q, column in enumerate(QUARTER_COLUMNS, start=1):
        frame[column] = _quarter(frame, variables, q) if q <= period.quarter else np.nan
    frame["capaian"], frame["capaian_reason"], frame["dasar"] = capaian_to_date(
        frame["realisasi"], frame["target_sd"], frame["target"], frame["polaritas"]
    )
    frame["capaian_tahunan"], frame["capaian_tahunan_reason"] = capaian(
        frame["realisasi"], frame["target"], frame["polaritas"]
    )
    frame["predikat"] = predikat(frame["capaian"], bands)
    frame["reason"] = _combined_reason(frame)
    frame["status"] = frame["capaian_reason"].map(STATUS_OF_REASON).fillna(OK)
    frame["status"] = frame["status"].where(
        frame["realisasi_reason"] == "", frame["realisasi_reason"].map(STATUS_OF_REASON)
    )
    frame["gaps"] = _gap_text(frame, variables)
    frame["source"] = _source_text(frame, variables)
    frame["cells"] = _cells_text(frame, variables)
    return frame.drop(columns=["previous"])


def _quarter(frame: pd.DataFrame, variables: pd.DataFrame, q: int) -> pd.Series:
    """Realisation of quarter q alone (growth: against the same quarter last year)."""
    a = _lookup(variables, frame["var_a"], quarter_col(0, q))
    b_same = _lookup(variables, frame["var_b"], quarter_col(0, q))
    b_prev = _lookup(variables, frame["var_a"], quarter_col(1, q))
    b = b_same.where(frame["kind"] != "growth", b_prev)
    value, _ = evaluate(frame["kind"], a, b, frame["factor"])
    return value


def _combined_reason(frame: pd.DataFrame) -> pd.Series:
    """The realisation's reason, then the capaian's when it says something new."""
    own = frame["realisasi_reason"]
    extra = frame["capaian_reason"].where(frame["capaian_reason"] != NO_DATA, "")
    both = (own != "") & (extra != "")
    return (own.where(~both, own + "; " + extra)).where(own != "", extra).astype(object)
