"""The frames the compute stage reads: values and notes of the counted submissions.

(The targets, every version of the targets workbook: pipeline.merge.targets.) Built from
the kept cells (`pipeline.merge.kept`) with column operations: no Python object per cell,
so a province's inbox costs what its cells take as columns.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pandera.pandas as pa

from pipeline.contract import KIND_UNIT, field_quarter
from pipeline.merge.kept import CURRENT, LATE, NOTE, KeptCells, KeptRows
from pipeline.submission import Identity, Submission
from schemas.frames import NOTES, VALUES

VALUE_COLUMNS = list(VALUES.columns)
NOTE_COLUMNS = list(NOTES.columns)
KEYS = ["unit", "year", "quarter", "variable"]
ORDER = ["year", "quarter", "unit", "variable"]


class Counted:
    """Some of the kept submissions (positions in `subs`, in the order given) and their rows.

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
        """Every one of these submissions, in their order."""
        kept = KeptCells.of(subs)
        return cls(kept.rows(), kept.subs, range(len(kept.subs)), received or {}, moments or {})

    def among(self, positions: Sequence[int]) -> Counted:
        """The same rows, for other submissions."""
        return Counted(self.rows, self.subs, positions, self.received, self.moments)

    def of_kind(self, kind: str) -> list[int]:
        """Positions of the submissions of one kind (unit files with a quarter), in order."""
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
            "unit": _texts(s.unit for s in subs),
            "year": np.array([s.year for s in subs], dtype=np.int64),
            "quarter": np.array([s.quarter or 0 for s in subs], dtype=np.int64),
            "variable": self.words[self.rows.key[picked]],
            "file": _texts(s.file for s in subs),
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
    found = supplied(counted)
    if not found["own"].all():
        # Two files supply one key only when one back-fills it: the latest with a number wins.
        # Without back-filled cells each key has one row (one counted file per quarter).
        found = found.assign(has_number=found["value"].notna())
        found = found.sort_values(["has_number", "moment", "file"], kind="stable")
        found = found.drop_duplicates(KEYS, keep="last")
    return _valid(found[VALUE_COLUMNS], VALUES, ORDER)


def supplied(counted: Counted) -> pd.DataFrame:
    """Every value unit files supply: own-quarter cells (even empty) and back-filled numbers.

    Columns: VALUES' plus `moment` (the file's receipt instant, seconds) and `own` (the cell
    is the file's own quarter).
    """
    picked = counted.picked((CURRENT, LATE), counted.of_kind(KIND_UNIT))
    columns = counted.where(picked)
    columns["quarter"] = counted.quarters(picked)
    columns["value"] = counted.rows.number[picked]
    columns["received_at"] = _texts(counted.received.get(f, "") for f in columns["file"])
    columns["moment"] = np.array([counted.moments.get(f, 0.0) for f in columns["file"]], float)
    columns["own"] = counted.rows.role[picked] == CURRENT
    return pd.DataFrame(columns, columns=[*VALUE_COLUMNS, "moment", "own"])


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
    columns["note"] = _texts(counted.rows.texts[row] for row in picked.tolist())
    return _valid(pd.DataFrame(columns, columns=NOTE_COLUMNS), NOTES, ORDER)


def _texts(words: Iterable[str]) -> npt.NDArray[np.object_]:
    """Words as an object array: a column of text even when empty (a list would be float)."""
    return np.array(list(words), dtype=object)


def _valid(frame: pd.DataFrame, schema: pa.DataFrameSchema, order: list[str]) -> pd.DataFrame:
    frame = frame.sort_values(order, kind="stable").reset_index(drop=True)
    return schema.validate(frame)
