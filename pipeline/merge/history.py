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
            reported: dict[tuple[int, int, int], float] = {}
            for position in periods[period]:
                numbers, shown = table.cells(position)
                yield position, table.against(numbers, shown, period, earlier, seen)
                reported.update({(key, *period): value for key, value, _, _ in numbers})
            for (key, *_), value in reported.items():
                insort(earlier.setdefault(key, []), value)
            seen.update(reported)


Numbers = list[tuple[int, float, int, int]]  # (variable, number, sheet, cell), codes of words
Shown = dict[int, list[tuple[int, float]]]  # variable -> (quarter, value) shown locked


class _Table:
    """The kept rows, read one submission at a time."""

    def __init__(self, rows: KeptRows) -> None:
        self.rows = rows
        self.words = rows.words
        self.quarter_of = np.array([field_quarter(word) or 0 for word in rows.words], np.int32)
        positions = np.arange(int(rows.sub.max(initial=-1)) + 2)
        self.starts = np.searchsorted(rows.sub, positions, "left").tolist()

    def cells(self, position: int) -> tuple[Numbers, Shown]:
        """A submission's current cells that hold a number, and its earlier quarters shown."""
        numbers: Numbers = []
        shown: Shown = {}
        if position + 1 >= len(self.starts):
            return numbers, shown
        part = slice(self.starts[position], self.starts[position + 1])
        rows = self.rows
        quarters = self.quarter_of[rows.field[part]].tolist()
        for role, key, sheet, cell, number, quarter in zip(
            rows.role[part].tolist(),
            rows.key[part].tolist(),
            rows.sheet[part].tolist(),
            rows.cell[part].tolist(),
            rows.number[part].tolist(),
            quarters,
            strict=True,
        ):
            if role == CURRENT and number == number:  # not NaN: a number
                numbers.append((key, number, sheet, cell))
            elif role == EARLIER:
                shown.setdefault(key, []).append((quarter, number))
        return numbers, shown

    def against(
        self,
        numbers: Numbers,
        shown: Shown,
        period: tuple[int, int],
        earlier: dict[int, list[float]],
        seen: set[tuple[int, int, int]],
    ) -> list[Against]:
        """A submission's current numbers beside their history (those that have one)."""
        found = []
        words = self.words
        for key, value, sheet, cell in numbers:
            before = earlier.get(key, [])
            extra = sorted(v for q, v in shown.get(key, ()) if (key, period[0], q) not in seen)
            if before or extra:
                median, size = _median(before, extra), len(before) + len(extra)
                found.append(Against(words[key], value, words[sheet], words[cell], median, size))
        return found


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
