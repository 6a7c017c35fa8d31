"""The frames the compute stage reads: values, notes and targets of the counted submissions.

Built from the kept cells (`pipeline.merge.kept`) with column operations: no Python object
per cell, so a province's inbox costs what its cells take as columns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pandera.pandas as pa

from pipeline.contract import KIND_TARGETS, KIND_UNIT, TARGET_FIELD, field_quarter
from pipeline.merge.kept import CURRENT, LATE, NOTE, TARGET, KeptCells, KeptRows
from pipeline.submission import Identity, Submission
from schemas.frames import NOTES, TARGETS, VALUES

VALUE_COLUMNS = list(VALUES.columns)
TARGET_COLUMNS = list(TARGETS.columns)
NOTE_COLUMNS = list(NOTES.columns)
KEYS = ["unit", "year", "quarter", "variable"]
ORDER = ["year", "quarter", "unit", "variable"]


class Counted:
    """The counted submissions (positions in `subs`, in file order) and their kept rows.

    received: file -> receipt time (ISO, files with one); moments: file -> the instant the
    file arrived (receipt, else save time), which orders the files supplying one value.
    """

    def __init__(
        self,
        rows: KeptRows,
        subs: Sequence[Identity],
        positions: Sequence[int],
        received: Mapping[str, str],
        moments: Mapping[str, float],
    ) -> None:
        self.rows = rows
        self.subs = subs
        self.positions = list(positions)
        self.received = received
        self.moments = moments
        self.words = np.array(rows.words, dtype=object)

    @classmethod
    def of(
        cls,
        subs: Sequence[Submission],
        received: Mapping[str, str] | None = None,
        moments: Mapping[str, float] | None = None,
    ) -> Counted:
        """Every one of these submissions counted, in their order."""
        kept = KeptCells.of(subs)
        return cls(kept.rows(), kept.subs, range(len(kept.subs)), received or {}, moments or {})

    def of_kind(self, kind: str) -> list[int]:
        """Positions of the counted submissions of one kind (unit files with a quarter)."""
        return [
            p
            for p in self.positions
            if self.subs[p].kind == kind and (kind != KIND_UNIT or self.subs[p].quarter)
        ]

    def picked(self, roles: Sequence[int], positions: Sequence[int]) -> npt.NDArray[np.intp]:
        """Rows of these roles that belong to these submissions, in row order."""
        rows = self.rows
        mask = np.isin(rows.role, np.asarray(roles, dtype=np.int8))
        mask &= np.isin(rows.sub, np.asarray(positions, dtype=np.int32))
        return np.flatnonzero(mask)

    def where(self, picked: npt.NDArray[np.intp]) -> dict[str, Any]:
        """Columns saying which submission and cell each picked row comes from (the quarter
        is the submission's)."""
        subs = [self.subs[p] for p in self.rows.sub[picked].tolist()]
        return {
            "unit": [s.unit for s in subs],
            "year": np.array([s.year for s in subs], dtype=np.int64),
            "quarter": np.array([s.quarter or 0 for s in subs], dtype=np.int64),
            "variable": self.words[self.rows.key[picked]],
            "file": [s.file for s in subs],
            "sheet": self.words[self.rows.sheet[picked]],
            "cell": self.words[self.rows.cell[picked]],
        }

    def quarters(self, picked: npt.NDArray[np.intp]) -> npt.NDArray[np.int64]:
        """The quarter of each picked row's field (TW1 -> 1)."""
        of_word = np.array([field_quarter(w) or 0 for w in self.rows.words], dtype=np.int64)
        return of_word[self.rows.field[picked]]


def values_frame(counted: Counted) -> pd.DataFrame:
    """One row per (unit, year, quarter, variable): the value in force from the counted files.

    Each counted unit file supplies its own quarter's cells (a number, or NaN when empty) and
    the numbers it back-fills for earlier quarters that had none when its template was made.
    Per key the latest received file supplying a number wins; with no number anywhere, the
    quarter's own file stands, empty.
    """
    picked = counted.picked((CURRENT, LATE), counted.of_kind(KIND_UNIT))
    columns = counted.where(picked)
    columns["quarter"] = counted.quarters(picked)
    columns["value"] = counted.rows.number[picked]
    columns["received_at"] = [counted.received.get(f, "") for f in columns["file"]]
    frame = pd.DataFrame(columns, columns=VALUE_COLUMNS)
    if (counted.rows.role[picked] == LATE).any():
        # Two files supply one key only when one back-fills it: the latest with a number wins.
        # Without back-filled cells each key has one row (one counted file per quarter).
        moment = [counted.moments.get(f, 0.0) for f in columns["file"]]
        order = frame.assign(has_number=frame["value"].notna(), moment=moment)
        order = order.sort_values(["has_number", "moment", "file"], kind="stable")
        frame = order.drop_duplicates(KEYS, keep="last")[VALUE_COLUMNS]
    return _valid(frame, VALUES, ORDER)


def late_keys(counted: Counted) -> set[tuple[str, int, int, str]]:
    """(unit, year, quarter, variable) of every number a counted file back-fills."""
    picked = counted.picked((LATE,), counted.of_kind(KIND_UNIT))
    where = counted.where(picked)
    quarters = counted.quarters(picked).tolist()
    return set(zip(where["unit"], where["year"].tolist(), quarters, where["variable"], strict=True))


def notes_frame(counted: Counted) -> pd.DataFrame:
    """One row per remark that holds text in a counted unit submission (formulas as typed)."""
    picked = counted.picked((NOTE,), counted.of_kind(KIND_UNIT))
    columns = counted.where(picked)
    columns["note"] = [counted.rows.notes[row] for row in picked.tolist()]
    return _valid(pd.DataFrame(columns, columns=NOTE_COLUMNS), NOTES, ORDER)


def targets_frame(counted: Counted) -> pd.DataFrame:
    """One row per (indicator, year) from the counted targets workbook of each year.

    Quarterly baselines are last year's values: `baselines` adds them to the values.
    """
    picked = counted.picked((TARGET,), counted.of_kind(KIND_TARGETS))
    rows = counted.rows
    picked = picked[counted.words[rows.field[picked]] == TARGET_FIELD]
    where = counted.where(picked)
    frame = pd.DataFrame(
        {
            "indicator": where["variable"],
            "year": where["year"],
            "target": rows.number[picked],
            "file": where["file"],
            "sheet": where["sheet"],
            "target_cell": where["cell"],
        },
        columns=TARGET_COLUMNS,
    )
    frame = frame.drop_duplicates(["indicator", "year"], keep="last")  # a later file wins
    return _valid(frame, TARGETS, ["year", "indicator"])


def _valid(frame: pd.DataFrame, schema: pa.DataFrameSchema, order: list[str]) -> pd.DataFrame:
    frame = frame.sort_values(order, kind="stable").reset_index(drop=True)
    return schema.validate(frame)
