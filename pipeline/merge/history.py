"""The unit's own history: what each variable was in earlier quarters, for the outlier rule."""

from __future__ import annotations

from bisect import insort
from collections.abc import Iterator, Sequence

import numpy as np

from pipeline.contract import KIND_UNIT, field_quarter
from pipeline.merge.kept import CURRENT, EARLIER, KeptRows
from pipeline.submission import Identity, Submission
from pipeline.validate.rules import Against


def history_of(sub: Submission, counted: Sequence[Submission]) -> dict[str, list[float]]:
    """Variable -> the unit's values in periods before the submission's own.

    From counted submissions in the inbox and, for quarters not there, the earlier quarters
    the template itself shows (copies of what was accepted when it was generated). The
    definition, one submission at a time; `against_history` gives what the rule needs of
    it for every counted submission in one pass.
    """
    now = (sub.meta.year, sub.meta.quarter or 0)
    seen: dict[tuple[str, int, int], float] = {}
    for other in counted:
        meta = other.meta
        if other.unit == sub.unit and (meta.year, meta.quarter or 0) < now:
            seen.update(_reported(other))
    for key, value in _shown_earlier(sub).items():
        seen.setdefault(key, value)
    history: dict[str, list[float]] = {}
    for (variable, _, _), value in sorted(seen.items()):
        history.setdefault(variable, []).append(value)
    return history


def _reported(sub: Submission) -> dict[tuple[str, int, int], float]:
    """(variable, year, quarter) -> value of a counted unit submission's current quarter."""
    if sub.meta.kind != KIND_UNIT:
        return {}
    quarter = sub.meta.quarter or 0
    return {
        (key, sub.meta.year, quarter): cell.number
        for key, cell in sub.numbers(sub.current_field).items()
    }


def _shown_earlier(sub: Submission) -> dict[tuple[str, int, int], float]:
    """Earlier quarters of the year as the template shows them (locked copies)."""
    year = sub.meta.year
    return {(key, year, quarter): v for (key, quarter), v in sub.earlier_shown().items()}


def against_history(
    rows: KeptRows, subs: Sequence[Identity], counted: Sequence[int]
) -> Iterator[tuple[int, list[Against]]]:
    """Each counted unit submission (by position in `subs`) with each of its current numbers
    beside the median and count of what `history_of` gives it for that variable.

    One pass per unit in period order: every reported value goes once into a sorted list
    per variable, and a median is read from the list (with the few copies the submission's
    own template adds), so the cost per file does not grow with the inbox.
    """
    table = _Table(rows)
    by_unit: dict[str, dict[tuple[int, int], list[int]]] = {}
    for position in counted:
        sub = subs[position]
        if sub.kind == KIND_UNIT:
            period = (sub.year, sub.quarter or 0)
            by_unit.setdefault(sub.unit, {}).setdefault(period, []).append(position)
    for periods in by_unit.values():
        earlier: dict[int, list[float]] = {}  # variable -> values before the period, sorted
        seen: set[tuple[int, int, int]] = set()
        for period in sorted(periods):
            group = periods[period]
            for position in group:
                yield position, table.against(position, period, earlier, seen)
            reported: dict[tuple[int, int, int], float] = {}
            for position in group:
                for key, value, _, _ in table.numbers(position):
                    reported[(key, *period)] = value
            for (key, *_), value in reported.items():
                insort(earlier.setdefault(key, []), value)
            seen.update(reported)


class _Table:
    """The kept rows as Python lists, with each submission's first row."""

    def __init__(self, rows: KeptRows) -> None:
        self.words = rows.words
        self.role = rows.role.tolist()
        self.key = rows.key.tolist()
        self.sheet = rows.sheet.tolist()
        self.cell = rows.cell.tolist()
        self.number = rows.number.tolist()
        quarters = [field_quarter(word) or 0 for word in rows.words]
        self.quarter = [quarters[f] for f in rows.field.tolist()]
        positions = np.arange(int(rows.sub.max(initial=-1)) + 2)
        self.starts = np.searchsorted(rows.sub, positions, "left").tolist()

    def numbers(self, position: int) -> Iterator[tuple[int, float, int, int]]:
        """(variable, number, sheet, cell) of the current cells that hold a number."""
        for row in range(*self._span(position)):
            value = self.number[row]
            if self.role[row] == CURRENT and value == value:  # not NaN: a number
                yield self.key[row], value, self.sheet[row], self.cell[row]

    def against(
        self,
        position: int,
        period: tuple[int, int],
        earlier: dict[int, list[float]],
        seen: set[tuple[int, int, int]],
    ) -> list[Against]:
        """The submission's current numbers beside their history (those that have one)."""
        shown: dict[int, list[float]] = {}
        for row in range(*self._span(position)):
            key = self.key[row]
            if self.role[row] == EARLIER and (key, period[0], self.quarter[row]) not in seen:
                shown.setdefault(key, []).append(self.number[row])
        found = []
        for key, value, sheet, cell in self.numbers(position):
            before, extra = earlier.get(key, []), sorted(shown.get(key, []))
            if before or extra:
                median, count = _median(before, extra), len(before) + len(extra)
                words = self.words
                found.append(Against(words[key], value, words[sheet], words[cell], median, count))
        return found

    def _span(self, position: int) -> tuple[int, int]:
        if position + 1 >= len(self.starts):
            return 0, 0
        return self.starts[position], self.starts[position + 1]


def _median(ordered: list[float], extra: list[float]) -> float:
    """statistics.median of a sorted list and a few more values, without merging them."""
    size = len(ordered) + len(extra)
    middle = size // 2
    if size % 2:
        return _kth(ordered, extra, middle)
    return (_kth(ordered, extra, middle - 1) + _kth(ordered, extra, middle)) / 2


def _kth(ordered: list[float], extra: list[float], k: int) -> float:
    """The k-th smallest (from 0) of a sorted list and a few more values.

    Of `ordered`, the values before index k - len(extra) are among the k smallest of both
    and those after index k are not, so the k-th lies in that window or in `extra`.
    """
    if not extra:
        return ordered[k]
    first = max(0, k - len(extra))
    return sorted(ordered[first : k + 1] + extra)[k - first]
