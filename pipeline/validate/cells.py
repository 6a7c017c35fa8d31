"""Check the cells of many submissions at once with the pandera schemas, and name each failure.

One frame holds every mapped cell of every submission on a flat integer index; the index
maps each pandera failure back to its submission, sheet and cell.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd
import pandera.pandas as pa

from pipeline.catalogue.model import Catalogue
from pipeline.contract import (
    BASELINE_FIELD,
    BASELINE_FIELDS,
    CHOICE_FIELDS,
    CODE_FIELD,
    KIND_TARGETS,
    NOTE_FIELD,
    TARGET_FIELD,
    TARGET_TO_DATE_FIELD,
    TEXT_FIELDS,
    field_quarter,
    split_ref,
)
from pipeline.problems import Problem, problem
from pipeline.submission import FORMULA, CellReading, Submission
from schemas.submission import INPUTS, LOCKED


def cell_problems(subs: Sequence[Submission], catalogue: Catalogue) -> list[list[Problem]]:
    """Problems in the mapped cells of each submission (same order as `subs`)."""
    inputs = input_frame(subs, catalogue)
    locked = locked_frame(subs)
    found: list[list[Problem]] = [[] for _ in subs]
    for frame, schema in ((inputs, INPUTS), (locked, LOCKED)):
        failures = _failures(frame, schema)
        # Only failing rows become dicts: a clean office's frame is never converted.
        rows = frame.iloc[sorted({row for row, _ in failures})].to_dict("index")
        for row, code in failures:
            record = {str(k): v for k, v in rows[row].items()}
            index = int(record["sub"])
            found[index].append(subs[index].located(_problem(code, record)))
    return [sorted(ps, key=lambda p: _cell_order(p.sheet, p.cell)) for ps in found]


def input_frame(subs: Sequence[Submission], catalogue: Catalogue) -> pd.DataFrame:
    """One row per value cell a submitter fills, with how its content reads."""
    bounds = {v.code: (float(v.minimum), v.maksimum) for v in catalogue.variables}
    # A growth indicator's quarterly baseline is a value of its variable: same bounds.
    bounds.update(
        {i.code: bounds[i.variables[0]] for i in catalogue.indicators if i.kind == "growth"}
    )
    rows: list[tuple[Any, ...]] = []
    for index, sub in enumerate(subs):
        targets = sub.meta.kind == KIND_TARGETS
        notes = sub.noted()
        for cell in sub.inputs():
            if cell.field in (NOTE_FIELD, *TEXT_FIELDS) or cell.field in CHOICE_FIELDS:
                continue  # text (pipeline.validate.texts); choices: pipeline.validate.targets
            minimum, maksimum = _bounds(cell, targets, bounds)
            # Only the quarter reported must be filled; earlier quarters open for back-filling
            # may stay empty.
            required = not targets and cell.field == sub.current_field
            rows.append((
                index, cell.key, cell.field, cell.sheet, cell.cell, cell.shown, cell.kind,
                cell.number, cell.hint, minimum, maksimum, required, cell.key in notes,
                not targets or cell.field in BASELINE_FIELDS,
            ))  # fmt: skip
    return pd.DataFrame(rows, columns=_INPUT_COLUMNS).astype(_INPUT_TYPES)


def locked_frame(subs: Sequence[Submission]) -> pd.DataFrame:
    """One row per locked cell, with whether it still holds what it was generated with."""
    rows: list[tuple[Any, ...]] = []
    for index, sub in enumerate(subs):
        quarter = sub.meta.quarter or 0
        for cell in sub.cells:
            if cell.editable:
                continue
            rows.append((
                index, cell.key, cell.field, cell.sheet, cell.cell,
                _locked_code(cell.field, quarter), cell.text, cell.expected,
                cell.kind != FORMULA and same_value(cell.text, cell.expected),
            ))  # fmt: skip
    return pd.DataFrame(rows, columns=_LOCKED_COLUMNS).astype({"sub": int, "same": bool})


_INPUT_COLUMNS = [
    "sub", "key", "field", "sheet", "cell", "raw", "kind", "number", "hint",
    "minimum", "maksimum", "required", "noted", "whole",
]  # fmt: skip
_INPUT_TYPES = {"sub": int, "number": float, "minimum": float, "maksimum": float,
                "required": bool, "noted": bool, "whole": bool}  # fmt: skip
_LOCKED_COLUMNS = ["sub", "key", "field", "sheet", "cell", "code", "raw", "expected", "same"]


def _bounds(
    cell: CellReading, targets: bool, bounds: dict[str, tuple[float, int | None]]
) -> tuple[float, float]:
    if targets and cell.field not in BASELINE_FIELDS:
        return math.nan, math.nan  # targets: bounds per indicator in pipeline.validate.targets
    minimum, maksimum = bounds.get(cell.key, (0.0, None))
    return minimum, math.nan if maksimum is None else float(maksimum)


def _locked_code(field: str, quarter: int) -> str:
    if field == CODE_FIELD:
        return "variable-code-changed"
    if field in (TARGET_FIELD, TARGET_TO_DATE_FIELD, BASELINE_FIELD):
        return "target-changed"
    shown = field_quarter(field)
    if shown is not None:
        return "earlier-quarter-changed" if shown < quarter else "later-quarter-filled"
    return "locked-cell-changed"


def same_value(found: str, expected: str) -> bool:
    """Whether a locked cell still holds what it was generated with (12 equals 12.0)."""
    if found == expected:
        return True
    try:
        return float(found) == float(expected)
    except ValueError:
        return False


def _failures(frame: pd.DataFrame, schema: pa.DataFrameSchema) -> list[tuple[int, str]]:
    """(row, check name) of every failure, each once, in row order.

    Only the columns the schema checks are handed to pandera: the others (where each cell
    is, what it holds as text) are needed only for the failing rows, and pandera's own
    bookkeeping over text columns cost more than the checks.
    """
    if frame.empty:
        return []
    try:
        schema.validate(frame[list(schema.columns)], lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases.dropna(subset=["index"])
        pairs = {(int(i), str(c)) for i, c in zip(cases["index"], cases["check"], strict=True)}
        return sorted(pairs)
    return []


def _problem(code: str, record: dict[str, Any]) -> Problem:
    limit = record.get("maksimum") if code == "above-maximum" else record.get("minimum")
    number = record.get("number")
    hint = record.get("hint") or ""
    if not hint and isinstance(number, float) and math.isfinite(number):
        hint = str(round(number))
    return problem(
        code,
        value=record["raw"],
        sheet=record["sheet"],
        cell=record["cell"],
        hint=hint,
        limit=limit,
        expected=record.get("expected", ""),
        formula=record["raw"],
        key=record.get("key", ""),
        field=record.get("field", ""),
    )


def _cell_order(sheet: str, cell: str) -> tuple[str, int, int]:
    try:
        row, column = split_ref(cell)
    except ValueError:
        return sheet, 0, 0
    return sheet, row, column
