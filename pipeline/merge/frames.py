"""The frames the compute stage reads: values and notes of the counted submissions.

(The targets, every version of the targets workbook: pipeline.merge.targets.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from pipeline.contract import KIND_UNIT, NOTE_FIELD, field_quarter
from pipeline.submission import NUMBER, Submission
from schemas.frames import NOTES, VALUES

VALUE_COLUMNS = list(VALUES.columns)
NOTE_COLUMNS = list(NOTES.columns)


def values_frame(
    counted: Sequence[Submission], received: Mapping[str, str], moments: Mapping[str, float]
) -> pd.DataFrame:
    """One row per (unit, year, quarter, variable): the value in force from the counted files.

    Each counted unit file supplies its own quarter's cells (a number, or NaN when empty) and
    the numbers it back-fills for earlier quarters that had none when its template was made.
    Per key the latest received file supplying a number wins; with no number anywhere, the
    quarter's own file stands, empty (moments: file -> receipt instant, for that order).
    """
    found = supplied(counted, received, moments)
    found = found.assign(has_number=found["value"].notna())
    found = found.sort_values(["has_number", "moment", "file"], kind="stable")
    keys = ["unit", "year", "quarter", "variable"]
    frame = found.drop_duplicates(keys, keep="last")[VALUE_COLUMNS]
    frame = frame.sort_values(["year", "quarter", "unit", "variable"], kind="stable")
    return VALUES.validate(frame.reset_index(drop=True))


def supplied(
    subs: Sequence[Submission], received: Mapping[str, str], moments: Mapping[str, float]
) -> pd.DataFrame:
    """Every value unit files supply: own-quarter cells (even empty) and back-filled numbers.

    Columns: VALUES' plus `moment` (the file's receipt instant, seconds) and `own` (the cell
    is the file's own quarter).
    """
    rows = []
    for sub in subs:
        if sub.meta.kind != KIND_UNIT or sub.meta.quarter is None:
            continue
        for cell in sub.cells:
            quarter = field_quarter(cell.field)
            if quarter is None:
                continue
            own = cell.field == sub.current_field
            late = cell.editable and quarter < sub.meta.quarter and cell.kind == NUMBER
            if own or late:
                rows.append(
                    {
                        "unit": sub.unit,
                        "year": sub.meta.year,
                        "quarter": quarter,
                        "variable": cell.key,
                        "value": cell.number,
                        "file": sub.file,
                        "sheet": cell.sheet,
                        "cell": cell.cell,
                        "received_at": received.get(sub.file, ""),
                        "moment": moments.get(sub.file, 0.0),
                        "own": own,
                    }
                )
    return pd.DataFrame(rows, columns=[*VALUE_COLUMNS, "moment", "own"]).astype(
        {"value": float, "moment": float, "own": bool}
    )


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
