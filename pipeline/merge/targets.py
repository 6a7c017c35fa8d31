"""Versions of a year's Rencana Aksi: every counted targets workbook, in the order received.

A targets workbook says from which quarter its targets apply (`Berlaku mulai`, TW I for the
original, murni, targets): `Submission.effective_from`. The targets of quarter q come from
the LATEST RECEIVED counted version whose first quarter is q or earlier (resolved per period
by pipeline.compute.targets); which files count at all is pipeline.status's rule.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd

from pipeline.contract import (
    CALCULATION_FIELD,
    KIND_TARGETS,
    POLARITY_FIELD,
    TARGET_FIELD,
    TARGET_QUARTER_FIELDS,
)
from pipeline.measure import PERHITUNGAN
from pipeline.rencana import POLARITIES, parse_choice
from pipeline.submission import NUMBER, CellReading, Submission
from schemas.frames import TARGETS

TARGET_COLUMNS = list(TARGETS.columns)


def targets_frame(counted: Sequence[Submission], received: Mapping[str, str]) -> pd.DataFrame:
    """schemas.frames.TARGETS: one row per indicator of every counted targets workbook.

    `counted` is in the order received (the scan sorts it: receipt time, else the time the
    file was saved, ties by name). `version` numbers a year's workbooks 1, 2, ... in that
    order; each row keeps
    its workbook's `effective_from`, the plan's numbers (NaN when empty), the words chosen
    ('' when none: the catalogue's apply), and the file and cell of every number.
    Quarterly baselines are last year's values: `merge.baselines` adds them to the values.
    """
    rows: list[dict[str, object]] = []
    numbering: dict[int, int] = {}
    for sub in (s for s in counted if s.meta.kind == KIND_TARGETS):
        year = sub.meta.year
        numbering[year] = numbering.get(year, 0) + 1
        rows.extend(_rows(sub, numbering[year], received.get(sub.file, "")))
    frame = pd.DataFrame(rows, columns=TARGET_COLUMNS)
    frame = frame.sort_values(["year", "version", "indicator"], kind="stable")
    return TARGETS.validate(frame.reset_index(drop=True))


def _rows(sub: Submission, version: int, received_at: str) -> list[dict[str, object]]:
    cells = {(c.key, c.field): c for c in sub.cells}
    found = []
    for cell in sub.inputs():
        if cell.field != TARGET_FIELD:
            continue
        row: dict[str, object] = {
            "indicator": cell.key,
            "year": sub.meta.year,
            "version": version,
            "effective_from": sub.effective_from,
            "target": _number(cell),
            "perhitungan": _word(cells.get((cell.key, CALCULATION_FIELD)), PERHITUNGAN),
            "polaritas": _word(cells.get((cell.key, POLARITY_FIELD)), POLARITIES),
            "file": sub.file,
            "sheet": cell.sheet,
            "target_cell": cell.cell,
            "received_at": received_at,
        }
        for quarter, field in enumerate(TARGET_QUARTER_FIELDS, start=1):
            mapped = cells.get((cell.key, field))
            row[f"target_tw{quarter}"] = _number(mapped)
            row[f"cell_tw{quarter}"] = mapped.cell if mapped else ""
        found.append(row)
    return found


def _number(cell: CellReading | None) -> float:
    return cell.number if cell is not None and cell.kind == NUMBER else math.nan


def _word(cell: CellReading | None, choices: tuple[str, ...]) -> str:
    return "" if cell is None else parse_choice(cell.shown, choices) or ""
