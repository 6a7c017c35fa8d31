"""The frames a scan hands on: values and notes of the counted submissions, history.

(The targets of the counted targets workbooks: pipeline.target_versions.)
"""

from __future__ import annotations

import math
from bisect import insort
from collections.abc import Mapping, Sequence

import pandas as pd

from pipeline.contract import KIND_UNIT
from pipeline.validate.cells import Submission
from pipeline.validate.identity import NOTE_FIELD
from pipeline.validate.numbers import NUMBER, as_text, classify
from schemas.frames import NOTES, VALUES

VALUE_COLUMNS = list(VALUES.columns)
NOTE_COLUMNS = list(NOTES.columns)


def number_at(sub: Submission, sheet: str, cell: str) -> float:
    """The number in a mapped cell, NaN when empty (counted submissions hold no text)."""
    if (sheet, cell) in sub.formulas:
        return math.nan
    reading = classify(sub.cells.get((sheet, cell)))
    return reading.number if reading.kind == NUMBER and reading.number is not None else math.nan


def values_frame(counted: Sequence[Submission], received: Mapping[str, str]) -> pd.DataFrame:
    """One row per (unit, year, quarter, variable): current-quarter cells of counted files only."""
    rows = []
    for sub in counted:
        if sub.meta.kind != KIND_UNIT or sub.meta.quarter is None:
            continue
        field = f"TW{sub.meta.quarter}"
        for cell in sub.meta.inputs():
            if cell.field != field:
                continue
            rows.append(
                {
                    "unit": sub.unit,
                    "year": sub.meta.year,
                    "quarter": sub.meta.quarter,
                    "variable": cell.key,
                    "value": number_at(sub, cell.sheet, cell.cell),
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
        for cell in sub.meta.inputs():
            if cell.field != NOTE_FIELD:
                continue
            address = (cell.sheet, cell.cell)
            note = sub.formulas.get(address) or as_text(sub.cells.get(address))
            if note:
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
    quarter = sub.meta.quarter or 0
    found = {}
    for cell in sub.meta.inputs():
        if sub.meta.kind == KIND_UNIT and cell.field == f"TW{quarter}":
            value = number_at(sub, cell.sheet, cell.cell)
            if not math.isnan(value):
                found[(cell.key, sub.meta.year, quarter)] = value
    return found


def _shown_earlier(sub: Submission) -> dict[tuple[str, int, int], float]:
    """Earlier quarters of the year as the template shows them (locked copies)."""
    found = {}
    for cell in sub.meta.cells:
        if cell.editable or not cell.field.startswith("TW") or not cell.field[2:].isdigit():
            continue
        quarter = int(cell.field[2:])
        if quarter < (sub.meta.quarter or 0) and cell.expected:
            try:
                found[(cell.key, sub.meta.year, quarter)] = float(cell.expected)
            except ValueError:
                continue
    return found
