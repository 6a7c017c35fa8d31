"""What the scan keeps of each submission once its cells are checked: columns, not objects.

Each file's mapped cells are read, classified and checked while the file is at hand; then
only the cells a later stage uses are kept, as rows of a few compact columns (a code for
each repeated word, a float for each number): tens of bytes a cell instead of a Python
object, so memory grows slowly with the inbox. The rows, by role:

- CURRENT: the value cells of a unit file's own quarter, with the number or NaN when the
  cell holds none (values frame, the history rule);
- EARLIER: the earlier quarters a unit file's template shows locked, with the value the
  template was made with (the history rule, for quarters the inbox lacks);
- LATE: the numbers a unit file back-fills for earlier quarters that had none when its
  template was made (values frame);
- NOTE: a unit file's remarks that hold text (notes frame);
- TEXT: free text a person typed that the report shows as typed: a unit file's factors
  (faktor pendorong, penghambat, tindak lanjut) and a targets workbook's roster and place of
  signing (factors and roster frames);
- TARGET: what a targets workbook plans per indicator: annual and quarterly targets, the
  calculation type and polarity chosen (their text kept), and last year's quarterly
  baselines (targets frame, baselines).

Rows of one submission are contiguous and in the order of its `_meta` map.
"""

from __future__ import annotations

import math
import sys
from array import array
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from pipeline.contract import (
    BASELINE_FIELDS,
    CHOICE_FIELDS,
    FACTOR_FIELDS,
    KIND_TARGETS,
    KIND_UNIT,
    NOTE_FIELD,
    PLACE_FIELD,
    ROSTER_FIELDS,
    TARGET_FIELD,
    TARGET_QUARTER_FIELDS,
    field_quarter,
)
from pipeline.submission import CellReading, Identity, Submission

CURRENT, EARLIER, NOTE, TARGET, LATE, TEXT = 0, 1, 2, 3, 4, 5
_TARGET_FIELDS = frozenset((TARGET_FIELD, *TARGET_QUARTER_FIELDS, *BASELINE_FIELDS))
_ROSTER_FIELDS = frozenset((*ROSTER_FIELDS, PLACE_FIELD))


@dataclass(frozen=True)
class KeptRows:
    """The kept rows as arrays (one entry per row) and the words their codes stand for."""

    sub: npt.NDArray[np.int32]  # position of the submission (KeptCells.subs)
    role: npt.NDArray[np.int8]
    key: npt.NDArray[np.int32]  # codes into `words`
    field: npt.NDArray[np.int32]
    sheet: npt.NDArray[np.int32]
    cell: npt.NDArray[np.int32]
    number: npt.NDArray[np.float64]  # NaN when the cell holds no number
    texts: dict[int, str]  # row -> the text of a NOTE row, or as shown in a choice cell
    words: tuple[str, ...]
    starts: npt.NDArray[np.intp]  # first row of each submission, and the end of the rows

    def __len__(self) -> int:
        return len(self.sub)

    def noted(self, position: int) -> set[str]:
        """Keys of one submission's remarks that hold text (Submission.noted)."""
        first, last = self.span(position)
        mine = self.role[first:last] == NOTE
        return {self.words[k] for k in self.key[first:last][mine].tolist()}

    def span(self, position: int) -> tuple[int, int]:
        """First and past-the-last row of one submission."""
        return int(self.starts[position]), int(self.starts[position + 1])


class KeptCells:
    """Submissions' identities and the cells later stages use, added one submission at a time."""

    def __init__(self) -> None:
        self.subs: list[Identity] = []
        self._codes: dict[str, int] = {}
        self._sub, self._role = array("i"), array("b")
        self._key, self._field, self._sheet, self._cell = (array("i") for _ in range(4))
        self._number = array("d")
        self._texts: dict[int, str] = {}

    @classmethod
    def of(cls, subs: Iterable[Submission]) -> KeptCells:
        """The kept cells of these submissions, in their order."""
        kept = cls()
        for sub in subs:
            kept.add(sub)
        return kept

    def add(self, sub: Submission) -> int:
        """Keep what later stages use of one submission; its position."""
        position = len(self.subs)
        self.subs.append(sub.identity)
        if sub.meta.kind == KIND_TARGETS:
            self._add_targets(position, sub)
        elif sub.meta.kind == KIND_UNIT and sub.meta.quarter is not None:
            self._add_unit(position, sub, sub.meta.quarter)
        return position

    def _add_unit(self, position: int, sub: Submission, quarter: int) -> None:
        current = sub.current_field
        for c in sub.cells:
            if c.field == current:
                self._row(position, CURRENT, c.key, c.field, c.sheet, c.cell, c.number)
            elif c.field == NOTE_FIELD:
                if c.editable and c.text:
                    self._text(position, NOTE, c)
            elif c.field in FACTOR_FIELDS:
                if c.editable and c.text:
                    self._text(position, TEXT, c)
            elif (field_quarter(c.field) or quarter) < quarter:  # an earlier quarter
                self._earlier(position, c)

    def _earlier(self, position: int, c: CellReading) -> None:
        """An earlier quarter: back-filled by the unit (a number), or shown locked."""
        if c.editable:
            if c.number == c.number:  # not NaN: a number
                self._row(position, LATE, c.key, c.field, c.sheet, c.cell, c.number)
            return
        try:
            shown = float(c.expected)
        except ValueError:
            return
        self._row(position, EARLIER, c.key, c.field, c.sheet, c.cell, shown)

    def _add_targets(self, position: int, sub: Submission) -> None:
        for c in sub.cells:
            if not c.editable:
                continue
            if c.field in _TARGET_FIELDS:
                self._row(position, TARGET, c.key, c.field, c.sheet, c.cell, c.number)
            elif c.field in _ROSTER_FIELDS:
                if c.text:
                    self._text(position, TEXT, c)
            elif c.field in CHOICE_FIELDS:
                self._texts[len(self._sub)] = c.shown
                self._row(position, TARGET, c.key, c.field, c.sheet, c.cell, math.nan)

    def _text(self, position: int, role: int, c: CellReading) -> None:
        self._texts[len(self._sub)] = c.text
        self._row(position, role, c.key, c.field, c.sheet, c.cell, math.nan)

    def _row(
        self, sub: int, role: int, key: str, field: str, sheet: str, cell: str, number: float
    ) -> None:
        self._sub.append(sub)
        self._role.append(role)
        self._key.append(self._code(key))
        self._field.append(self._code(field))
        self._sheet.append(self._code(sheet))
        self._cell.append(self._code(cell))
        self._number.append(number)

    def _code(self, word: str) -> int:
        code = self._codes.get(word)
        if code is None:
            code = self._codes[sys.intern(word)] = len(self._codes)
        return code

    def rows(self) -> KeptRows:
        """The rows kept so far, as arrays."""
        sub = np.array(self._sub, dtype=np.int32)
        # Each submission's first row, found once: a search per submission would be cheap
        # only with a needle of the array's own dtype (a Python int makes numpy cast the whole
        # int32 array first, which made the kept rows' lookups grow with the inbox).
        positions = np.arange(len(self.subs) + 1, dtype=np.int32)
        return KeptRows(
            sub=sub,
            role=np.array(self._role, dtype=np.int8),
            key=np.array(self._key, dtype=np.int32),
            field=np.array(self._field, dtype=np.int32),
            sheet=np.array(self._sheet, dtype=np.int32),
            cell=np.array(self._cell, dtype=np.int32),
            number=np.array(self._number, dtype=np.float64),
            texts=dict(self._texts),
            words=tuple(self._codes),
            starts=np.searchsorted(sub, positions, "left"),
        )
