"""The unit's own history: what each variable was in earlier quarters, for the outlier rule."""

from __future__ import annotations

from bisect import insort
from collections.abc import Mapping, Sequence

from pipeline.contract import KIND_UNIT
from pipeline.submission import Submission


def history_of(sub: Submission, counted: Sequence[Submission]) -> dict[str, list[float]]:
    """Variable -> the unit's values in periods before the submission's own.

    From counted submissions in the inbox and, for quarters not there, the earlier quarters
    the template itself shows (copies of what was accepted when it was generated).
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


def histories(counted: Sequence[Submission]) -> list[dict[str, list[float]]]:
    """What `history_of` gives every submission in `counted` (same order), each list ascending.

    The outlier rule needs only the median and count of the earlier values, so each list is
    sorted by value: built in one pass over each unit's submissions in period order, with
    every reported value inserted once into a sorted list. Linear in the inbox where
    `history_of` per file is quadratic.
    """
    by_unit: dict[str, list[int]] = {}
    for index, sub in enumerate(counted):
        by_unit.setdefault(sub.unit, []).append(index)
    found: list[dict[str, list[float]]] = [{} for _ in counted]
    for indexes in by_unit.values():
        by_period: dict[tuple[int, int], list[int]] = {}
        for index in indexes:
            by_period.setdefault(_period(counted[index]), []).append(index)
        earlier: dict[str, list[float]] = {}  # variable -> values before the period, sorted
        seen: set[tuple[str, int, int]] = set()
        for period in sorted(by_period):
            group = by_period[period]
            for index in group:
                found[index] = _history(counted[index], earlier, seen)
            reported: dict[tuple[str, int, int], float] = {}
            for index in group:
                reported.update(_reported(counted[index]))
            for key, value in reported.items():
                insort(earlier.setdefault(key[0], []), value)
                seen.add(key)
    return found


def _period(sub: Submission) -> tuple[int, int]:
    return sub.meta.year, sub.meta.quarter or 0


def _history(
    sub: Submission, earlier: Mapping[str, list[float]], seen: set[tuple[str, int, int]]
) -> dict[str, list[float]]:
    """The unit's earlier values plus its template's copies of quarters the inbox lacks."""
    history = {variable: list(values) for variable, values in earlier.items() if values}
    for key, value in _shown_earlier(sub).items():
        if key not in seen:
            insort(history.setdefault(key[0], []), value)
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
