"""Frames of the free texts: the factors of counted unit files, the roster of every version.

Text is kept as typed (a formula as its text), never evaluated; it is written as text
wherever it is shown. Built from the kept TEXT rows (`pipeline.merge.kept`).
"""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from pipeline.contract import FACTOR_FIELDS, KIND_TARGETS, KIND_UNIT
from pipeline.merge.frames import Counted
from pipeline.merge.kept import TEXT
from schemas.frames import FACTORS, ROSTER


def factors_frame(counted: Counted) -> pd.DataFrame:
    """schemas.frames.FACTORS: every factor cell holding text in a counted unit file."""
    rows = [
        {
            "unit": sub.unit,
            "year": sub.year,
            "quarter": sub.quarter,
            "indicator": key,
            "field": field,
            "text": text,
            "file": sub.file,
            "sheet": sheet,
            "cell": cell,
        }
        for position in counted.of_kind(KIND_UNIT)
        for sub in (counted.subs[position],)
        for key, field, sheet, cell, text in _texts(counted, position)
        if field in FACTOR_FIELDS
    ]
    frame = pd.DataFrame(rows, columns=list(FACTORS.columns))
    frame = frame.sort_values(["year", "quarter", "indicator", "field"], kind="stable")
    return FACTORS.validate(frame.reset_index(drop=True))


def roster_frame(counted: Counted) -> pd.DataFrame:
    """schemas.frames.ROSTER: the roster cells holding text of every counted targets workbook.

    `counted` is in the order received; versions are numbered per year as
    `pipeline.merge.targets.targets_frame` numbers them.
    """
    rows: list[dict[str, object]] = []
    numbering: dict[int, int] = {}
    for position in counted.of_kind(KIND_TARGETS):
        sub = counted.subs[position]
        numbering[sub.year] = numbering.get(sub.year, 0) + 1
        for key, field, sheet, cell, text in _texts(counted, position):
            rows.append(
                {
                    "year": sub.year,
                    "version": numbering[sub.year],
                    "effective_from": sub.effective_from,
                    "key": key,
                    "field": field,
                    "text": text,
                    "file": sub.file,
                    "sheet": sheet,
                    "cell": cell,
                }
            )
    frame = pd.DataFrame(rows, columns=list(ROSTER.columns))
    return ROSTER.validate(frame.reset_index(drop=True))


def _texts(counted: Counted, position: int) -> Iterator[tuple[str, str, str, str, str]]:
    """(key, field, sheet, cell, text) of one submission's TEXT rows, in its `_meta` order."""
    rows, words = counted.rows, counted.rows.words
    first, last = rows.span(position)
    for row in range(first, last):
        if rows.role[row] == TEXT:
            yield (
                words[rows.key[row]],
                words[rows.field[row]],
                words[rows.sheet[row]],
                words[rows.cell[row]],
                rows.texts[row],
            )
