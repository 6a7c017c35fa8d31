"""The values a report uses, with the units' remarks beside them: the report's Data table."""

from __future__ import annotations

import pandas as pd

from pipeline.catalogue.model import Catalogue
from pipeline.periods import Period

NOTE_KEYS = ["unit", "year", "quarter", "variable", "file"]


def _with_notes(values: pd.DataFrame, notes: pd.DataFrame) -> pd.DataFrame:
    """Values with column `note`: the unit's remark on that row of the same file ('' if none)."""
    remarks = notes[[*NOTE_KEYS, "note"]].astype({"year": int, "quarter": int})
    joined = values.merge(remarks, on=NOTE_KEYS, how="left", validate="one_to_one")
    joined["note"] = joined["note"].fillna("").astype(str)
    return joined.set_axis(values.index)


def data_table(
    values: pd.DataFrame, notes: pd.DataFrame, catalogue: Catalogue, period: Period
) -> pd.DataFrame:
    """The values this report uses, with the units' remarks, in the office's order."""
    used = values[
        values["year"].isin([period.year, period.year - 1]) & (values["quarter"] <= period.quarter)
    ]
    used = _with_notes(used, notes)
    unit_order = {u.code: i for i, u in enumerate(catalogue.units)}
    var_order = {v.code: i for i, v in enumerate(catalogue.variables)}
    used = used[used["variable"].isin(list(var_order))]
    keys = pd.DataFrame(
        {
            "u": used["unit"].map(unit_order),
            "y": -used["year"],
            "q": used["quarter"],
            "v": used["variable"].map(var_order),
        }
    )
    order = keys.sort_values(["u", "y", "q", "v"], kind="stable").index
    return used.loc[order].reset_index(drop=True)
