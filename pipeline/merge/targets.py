"""Versions of a year's Rencana Aksi: every counted targets workbook, in the order received.

A targets workbook says from which quarter its targets apply (`Berlaku mulai`, TW I for the
original, murni, targets): `Submission.effective_from`. The targets of quarter q come from
the LATEST RECEIVED counted version whose first quarter is q or earlier (resolved per period
by pipeline.compute.targets); which files count at all is pipeline.status's rule.
"""

from __future__ import annotations

import pandas as pd

from pipeline.contract import (
    CALCULATION_FIELD,
    KIND_TARGETS,
    POLARITY_FIELD,
    TARGET_FIELD,
    TARGET_QUARTER_FIELDS,
)
from pipeline.measure import PERHITUNGAN
from pipeline.merge.frames import Counted
from pipeline.merge.kept import TARGET
from pipeline.rencana import POLARITIES, parse_choice
from schemas.frames import TARGETS

TARGET_COLUMNS = list(TARGETS.columns)


def targets_frame(counted: Counted) -> pd.DataFrame:
    """schemas.frames.TARGETS: one row per indicator of every counted targets workbook.

    `counted` is in the order received (the scan sorts it: receipt time, else the time the
    file was saved, ties by name). `version` numbers a year's workbooks 1, 2, ... in that
    order; each row keeps its workbook's `effective_from`, the plan's numbers (NaN when
    empty), the words chosen ('' when none: the catalogue's apply), and the file and cell
    of every number. Quarterly baselines are last year's values: `merge.baselines` adds
    them to the values.
    """
    rows: list[dict[str, object]] = []
    numbering: dict[int, int] = {}
    for position in counted.of_kind(KIND_TARGETS):
        year = counted.subs[position].year
        numbering[year] = numbering.get(year, 0) + 1
        rows.extend(_rows(counted, position, numbering[year]))
    frame = pd.DataFrame(rows, columns=TARGET_COLUMNS)
    frame = frame.sort_values(["year", "version", "indicator"], kind="stable")
    return TARGETS.validate(frame.reset_index(drop=True))


_Cell = tuple[float, str, str, str]  # number (NaN: none), sheet, cell, text as shown


def _rows(counted: Counted, position: int, version: int) -> list[dict[str, object]]:
    sub = counted.subs[position]
    cells = _cells(counted, position)
    found = []
    for key, field in cells:
        if field != TARGET_FIELD:
            continue
        number, sheet, ref, _ = cells[(key, field)]
        row: dict[str, object] = {
            "indicator": key,
            "year": sub.year,
            "version": version,
            "effective_from": sub.effective_from,
            "target": number,
            "perhitungan": _word(cells.get((key, CALCULATION_FIELD)), PERHITUNGAN),
            "polaritas": _word(cells.get((key, POLARITY_FIELD)), POLARITIES),
            "file": sub.file,
            "sheet": sheet,
            "target_cell": ref,
            "received_at": counted.received.get(sub.file, ""),
        }
        for quarter, quarter_field in enumerate(TARGET_QUARTER_FIELDS, start=1):
            mapped = cells.get((key, quarter_field))
            row[f"target_tw{quarter}"] = mapped[0] if mapped else float("nan")
            row[f"cell_tw{quarter}"] = mapped[2] if mapped else ""
        found.append(row)
    return found


def _cells(counted: Counted, position: int) -> dict[tuple[str, str], _Cell]:
    """(indicator, field) -> the workbook's kept cell, in the order of its `_meta` map."""
    rows, words = counted.rows, counted.rows.words
    found: dict[tuple[str, str], _Cell] = {}
    for row in range(*rows.span(position)):
        if rows.role[row] == TARGET:
            key, field = words[rows.key[row]], words[rows.field[row]]
            text = rows.texts.get(row, "")
            number = float(rows.number[row])
            found[(key, field)] = (number, words[rows.sheet[row]], words[rows.cell[row]], text)
    return found


def _word(cell: _Cell | None, choices: tuple[str, ...]) -> str:
    return "" if cell is None else parse_choice(cell[3], choices) or ""
