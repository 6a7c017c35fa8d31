"""Variables to date: each reported number aggregated over the quarters of a period.

Flows (`sum`) add quarters 1..q and are missing when any quarter is missing; stocks
(`last`) take quarter q. This mirrors `pipeline.measure.aggregate` column by column.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.catalogue.model import Catalogue
from pipeline.contract import TARGET_SHEET
from pipeline.periods import ROMAN, Period

# Why a quarter's value is missing, per variable and quarter.
NOT_SENT = "belum ada kiriman yang diterima"  # nothing sent, or only rejected files
EMPTY_CELL = "sel kosong"
# Where last year's values to date came from (rows of the targets workbook are its baselines).
FROM_INBOX, FROM_BASELINE, FROM_BOTH = "inbox", "baseline", "inbox+baseline"


def quarter_col(year_offset: int, quarter: int) -> str:
    """Column name of one quarter: 'y0q1' for this year's TW I, 'y1q1' for last year's."""
    return f"y{year_offset}q{quarter}"


def _cell_ref(frame: pd.DataFrame) -> pd.Series:
    return frame["file"].astype(str) + " " + frame["sheet"].astype(str) + "!" + frame["cell"]


def _reported(values: pd.DataFrame, catalogue: Catalogue, period: Period) -> pd.DataFrame:
    """Rows of this year and last year up to the period's quarter, for catalogue variables."""
    owner = {v.code: v.unit for v in catalogue.variables}
    rows = values[
        values["year"].isin([period.year, period.year - 1])
        & (values["quarter"] <= period.quarter)
        & values["variable"].isin(list(owner))
    ]
    rows = rows[rows["unit"] == rows["variable"].map(owner)]
    return rows.assign(offset=period.year - rows["year"])


def variable_frame(values: pd.DataFrame, catalogue: Catalogue, period: Period) -> pd.DataFrame:
    """One row per catalogue variable: quarter values, to-date values, sources, gaps.

    Columns: `y0q1..y0q4` and `y1q1..y1q4` (this year and last year; NaN for quarters after
    the period or not reported), `to_date` and `to_date_prev` (same quarters last year),
    `source` (file and cell of each value used, this year), `cells` (the same without the
    file names), `source_prev` (last year's), `origin_prev` (where last year's rows came
    from: 'inbox', 'baseline' (the targets workbook), 'inbox+baseline' or '' when none) and
    `gaps` (which quarter is missing and why).
    """
    index = pd.Index([v.code for v in catalogue.variables], name="variable")
    agregasi = pd.Series([v.agregasi for v in catalogue.variables], index=index)
    rows = _reported(values, catalogue, period)
    out = pd.DataFrame(index=index)
    present = pd.DataFrame(index=index)
    for offset in (0, 1):
        for q in range(1, 5):
            col = quarter_col(offset, q)
            sel = rows[(rows["offset"] == offset) & (rows["quarter"] == q)]
            series = sel.set_index("variable")["value"].astype(float)
            out[col] = series.reindex(index)
            present[col] = index.isin(sel["variable"])
    out["to_date"] = _to_date(out, agregasi, 0, period.quarter)
    out["to_date_prev"] = _to_date(out, agregasi, 1, period.quarter)
    out["agregasi"] = agregasi
    this_year, last_year = rows[rows["offset"] == 0], rows[rows["offset"] == 1]
    out["source"] = _sources(this_year, index, agregasi, period.quarter, with_file=True)
    out["cells"] = _sources(this_year, index, agregasi, period.quarter, with_file=False)
    out["source_prev"] = _sources(last_year, index, agregasi, period.quarter, with_file=True)
    out["origin_prev"] = _origins(last_year, index, agregasi, period.quarter)
    out["gaps"] = _gaps(out, present, agregasi, period.quarter)
    return out


def _to_date(wide: pd.DataFrame, agregasi: pd.Series, offset: int, upto: int) -> pd.Series:
    # Sequential addition, NaN-propagating, in quarter order: the same float as measure's sum().
    total = wide[quarter_col(offset, 1)].copy()
    for q in range(2, upto + 1):
        total = total + wide[quarter_col(offset, q)]
    last = wide[quarter_col(offset, upto)]
    return pd.Series(np.where(agregasi == "last", last, total), index=wide.index, dtype=float)


def _used(rows: pd.DataFrame, agregasi: pd.Series, upto: int) -> pd.DataFrame:
    """Rows that feed a to-date value: all quarters of a flow, the last quarter of a stock."""
    is_last = rows["variable"].map(agregasi) == "last"
    return rows[~is_last | (rows["quarter"] == upto)]


def _sources(
    rows: pd.DataFrame, index: pd.Index, agregasi: pd.Series, upto: int, *, with_file: bool
) -> pd.Series:
    """Per variable, 'TW I: file Isian!F6; TW II: file Isian!G6' or, cells only, 'Isian!F6, G6'."""
    used = _used(rows, agregasi, upto).sort_values(["variable", "quarter"])
    if used.empty:
        return pd.Series("", index=index, dtype=object)
    if with_file:
        text = "TW " + used["quarter"].map(ROMAN) + ": " + _cell_ref(used)
        joined = text.groupby(used["variable"]).agg("; ".join)
    else:
        # The sheet is named once per run of cells on the same sheet: 'Isian!F6, G6'.
        same_sheet = used["sheet"].eq(used["sheet"].shift()) & used["variable"].eq(
            used["variable"].shift()
        )
        text = used["cell"].where(same_sheet, used["sheet"].astype(str) + "!" + used["cell"])
        joined = text.groupby(used["variable"]).agg(", ".join)
    return joined.reindex(index).fillna("").astype(object)


def _origins(rows: pd.DataFrame, index: pd.Index, agregasi: pd.Series, upto: int) -> pd.Series:
    """Per variable, whether the rows of a to-date value are submissions, baselines or both."""
    used = _used(rows, agregasi, upto)
    baseline = (used["sheet"] == TARGET_SHEET).groupby(used["variable"])
    some, every = baseline.any(), baseline.all()
    origin = np.select([every, some], [FROM_BASELINE, FROM_BOTH], FROM_INBOX)
    found = pd.Series(origin, index=some.index, dtype=object)
    return found.reindex(index).fillna("").astype(object)


def _gaps(wide: pd.DataFrame, present: pd.DataFrame, agregasi: pd.Series, upto: int) -> pd.Series:
    text = pd.Series("", index=wide.index, dtype=object)
    for q in range(1, upto + 1):
        col = quarter_col(0, q)
        needed = (agregasi == "sum") | (q == upto)
        why = np.where(present[col], EMPTY_CELL, NOT_SENT)
        label = f"TW {ROMAN[q]} " + pd.Series(why, index=wide.index, dtype=object) + ", "
        text = text + label.where(needed & wide[col].isna(), "")
    return text.str.removesuffix(", ").astype(object)
