"""Check the cells of all submissions at once with the pandera schemas, and name each failure.

One frame holds every mapped cell of every submission on a flat integer index; the index
maps each pandera failure back to its submission, sheet and cell.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd
import pandera.pandas as pa

from pipeline.catalogue.model import Catalogue
from pipeline.contract import (
    BASELINE_FIELDS,
    CHOICE_FIELDS,
    KIND_TARGETS,
    TARGET_TO_DATE_FIELD,
    MappedCell,
    TemplateMeta,
)
from pipeline.problems import Problem
from pipeline.read import Address, Raw, split_ref
from pipeline.validate.codes import problem
from pipeline.validate.identity import BASELINE_FIELD, CODE_FIELD, NOTE_FIELD, TARGET_FIELD
from pipeline.validate.numbers import FORMULA, as_text, classify, same_value
from schemas.submission import INPUTS, LOCKED


@dataclass(frozen=True)
class Submission:
    """A file identified as an official template, with its raw mapped cells."""

    file: str  # path relative to the inbox
    meta: TemplateMeta
    cells: dict[Address, Raw]
    formulas: dict[Address, str] = field(default_factory=dict)

    @property
    def unit(self) -> str:
        """Unit code, '' for the targets workbook."""
        return self.meta.unit_code or ""

    def located(self, found: Problem) -> Problem:
        """The problem with this submission's file, unit and period filled in."""
        return replace(found, file=self.file, unit=self.unit, period=self.meta.period)


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
    """One row per value cell a submitter fills, with how its raw content reads."""
    bounds = {v.code: (float(v.minimum), v.maksimum) for v in catalogue.variables}
    # A growth indicator's quarterly baseline is a value of its variable: same bounds.
    bounds.update(
        {i.code: bounds[i.variables[0]] for i in catalogue.indicators if i.kind == "growth"}
    )
    rows = []
    for index, sub in enumerate(subs):
        targets = sub.meta.kind == KIND_TARGETS
        notes = _noted_keys(sub)
        for cell in sub.meta.inputs():
            if cell.field == NOTE_FIELD or cell.field in CHOICE_FIELDS:
                continue  # text; the targets workbook's choices: pipeline.validate.targets
            address = (cell.sheet, cell.cell)
            raw = sub.cells.get(address)
            reading = classify(raw)
            formula = sub.formulas.get(address, "")
            minimum, maksimum = _bounds(cell, targets, bounds)
            rows.append(
                {
                    "sub": index,
                    "key": cell.key,
                    "field": cell.field,
                    "sheet": cell.sheet,
                    "cell": cell.cell,
                    "raw": formula or raw,
                    "kind": FORMULA if formula else reading.kind,
                    "number": math.nan if formula or reading.number is None else reading.number,
                    "hint": reading.hint,
                    "minimum": minimum,
                    "maksimum": maksimum,
                    "required": not targets,
                    "noted": cell.key in notes,
                    "whole": not targets or cell.field in BASELINE_FIELDS,
                }
            )
    return pd.DataFrame(rows, columns=_INPUT_COLUMNS).astype(_INPUT_TYPES)


def locked_frame(subs: Sequence[Submission]) -> pd.DataFrame:
    """One row per locked cell, with whether it still holds what it was generated with."""
    rows = []
    for index, sub in enumerate(subs):
        quarter = sub.meta.quarter or 0
        for cell in sub.meta.cells:
            if cell.editable:
                continue
            address = (cell.sheet, cell.cell)
            formula = sub.formulas.get(address, "")
            found = formula or as_text(sub.cells.get(address))
            rows.append(
                {
                    "sub": index,
                    "key": cell.key,
                    "field": cell.field,
                    "sheet": cell.sheet,
                    "cell": cell.cell,
                    "code": _locked_code(cell, quarter),
                    "raw": found,
                    "expected": cell.expected,
                    "same": not formula and same_value(found, cell.expected),
                }
            )
    return pd.DataFrame(rows, columns=_LOCKED_COLUMNS).astype({"sub": int, "same": bool})


_INPUT_COLUMNS = [
    "sub", "key", "field", "sheet", "cell", "raw", "kind", "number", "hint",
    "minimum", "maksimum", "required", "noted", "whole",
]  # fmt: skip
_INPUT_TYPES = {"sub": int, "number": float, "minimum": float, "maksimum": float,
                "required": bool, "noted": bool, "whole": bool}  # fmt: skip
_LOCKED_COLUMNS = ["sub", "key", "field", "sheet", "cell", "code", "raw", "expected", "same"]


def _noted_keys(sub: Submission) -> set[str]:
    """Keys whose remarks cell holds text (a reason a number is missing)."""
    return {
        c.key
        for c in sub.meta.inputs()
        if c.field == NOTE_FIELD and as_text(sub.cells.get((c.sheet, c.cell)))
    }


def _bounds(
    cell: MappedCell, targets: bool, bounds: dict[str, tuple[float, int | None]]
) -> tuple[float, float]:
    if targets and cell.field not in BASELINE_FIELDS:
        return math.nan, math.nan  # targets: bounds per indicator in pipeline.validate.targets
    minimum, maksimum = bounds.get(cell.key, (0.0, None))
    return minimum, math.nan if maksimum is None else float(maksimum)


def _locked_code(cell: MappedCell, quarter: int) -> str:
    if cell.field == CODE_FIELD:
        return "variable-code-changed"
    if cell.field in (TARGET_FIELD, TARGET_TO_DATE_FIELD, BASELINE_FIELD):
        return "target-changed"
    if cell.field.startswith("TW") and cell.field[2:].isdigit():
        return (
            "earlier-quarter-changed" if int(cell.field[2:]) < quarter else "later-quarter-filled"
        )
    return "locked-cell-changed"


def _failures(frame: pd.DataFrame, schema: pa.DataFrameSchema) -> list[tuple[int, str]]:
    """(row, check name) of every failure, each once, in row order."""
    if frame.empty:
        return []
    try:
        schema.validate(frame, lazy=True)
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
