"""Revisions: every value a later file changed, with the old value beside the new one.

A unit may change a number it reported: it resends a quarter's file, back-fills a quarter
whose own file left the cell empty, or corrects a quarter after its report was published.
Each change is listed (old value, new value, both files and cells, when it arrived) and
marked: counted (it is the value in force), replaced (a later change replaced it), or
after-close (its quarter is closed in the ledger: listed, not counted until reopened).
"""

from __future__ import annotations

import pandas as pd

from schemas.frames import REVISIONS

KEYS = ["unit", "year", "quarter", "variable"]
COLUMNS = list(REVISIONS.columns)


def revisions(supplied: pd.DataFrame, values: pd.DataFrame) -> pd.DataFrame:
    """Changes between consecutive numbers supplied for each key, in receipt order.

    supplied: `merge.frames.supplied` over every identified unit file (counted and
    superseded); values: the values in force (schemas.frames.VALUES).
    """
    numbers = supplied[supplied["value"].notna()].sort_values(
        [*KEYS, "moment", "file"], kind="stable"
    )
    before = numbers.groupby(KEYS, sort=False)[["value", "file", "cell"]].shift()
    changed = numbers[before["value"].notna() & (before["value"] != numbers["value"])]
    found = changed.assign(
        old_value=before.loc[changed.index, "value"],
        old_file=before.loc[changed.index, "file"],
        old_cell=before.loc[changed.index, "cell"],
    )
    in_force = values.set_index(KEYS)[["file", "cell"]].add_suffix("_in_force")
    joined = found.join(in_force, on=KEYS)
    counted = (joined["file"] == joined["file_in_force"]) & (
        joined["cell"] == joined["cell_in_force"]
    )
    frame = found.assign(status=counted.map({True: "counted", False: "replaced"}))
    return REVISIONS.validate(frame[COLUMNS].reset_index(drop=True))
