"""The frames the compute stage reads: values and notes of the counted submissions.

(The targets, every version of the targets workbook: pipeline.merge.targets.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from pipeline.contract import KIND_UNIT, NOTE_FIELD
from pipeline.submission import Submission
from schemas.frames import NOTES, VALUES

VALUE_COLUMNS = list(VALUES.columns)
NOTE_COLUMNS = list(NOTES.columns)


def values_frame(counted: Sequence[Submission], received: Mapping[str, str]) -> pd.DataFrame:
    """One row per (unit, year, quarter, variable): current-quarter cells of counted files only."""
    rows = []
    for sub in counted:
        if sub.meta.kind != KIND_UNIT or sub.meta.quarter is None:
            continue
        for cell in sub.cells:
            if cell.field != sub.current_field:
                continue
            rows.append(
                {
                    "unit": sub.unit,
                    "year": sub.meta.year,
                    "quarter": sub.meta.quarter,
                    "variable": cell.key,
                    "value": cell.number,
                    "file": sub.file,
                    "sheet": cell.sheet,
                    "cell": cell.cell,
                    "received_at": received.get(sub.file, ""),
                }
            )
    frame = pd.DataFrame(rows, columns=VALUE_COLUMNS)
    frame = frame.sort_values(["year", "quarter", "unit", "variable"], kind="stable")
    return VALUES.validate(frame.reset_index(drop=True))


def notes_frame(counted: Sequence[Submission]) -> pd.DataFrame:
    """One row per remark that holds text in a counted unit submission (formulas as typed)."""
    rows = []
    for sub in counted:
        if sub.meta.kind != KIND_UNIT or sub.meta.quarter is None:
            continue
        for cell in sub.inputs():
            note = cell.text
            if cell.field == NOTE_FIELD and note:
                rows.append(
                    {
                        "unit": sub.unit,
                        "year": sub.meta.year,
                        "quarter": sub.meta.quarter,
                        "variable": cell.key,
                        "note": note,
                        "file": sub.file,
                        "sheet": cell.sheet,
                        "cell": cell.cell,
                    }
                )
    frame = pd.DataFrame(rows, columns=NOTE_COLUMNS)
    frame = frame.sort_values(["year", "quarter", "unit", "variable"], kind="stable")
    return NOTES.validate(frame.reset_index(drop=True))
