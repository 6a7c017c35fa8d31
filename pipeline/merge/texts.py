"""Frames of the free texts: the factors of counted unit files, the roster of every version.

Text is kept as typed (a formula as its text), never evaluated; it is written as text
wherever it is shown.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from pipeline.contract import FACTOR_FIELDS, KIND_TARGETS, KIND_UNIT, PLACE_FIELD, ROSTER_FIELDS
from pipeline.submission import Submission
from schemas.frames import FACTORS, ROSTER


def factors_frame(counted: Sequence[Submission]) -> pd.DataFrame:
    """schemas.frames.FACTORS: every factor cell holding text in a counted unit file."""
    rows = [
        {
            "unit": sub.unit,
            "year": sub.meta.year,
            "quarter": sub.meta.quarter,
            "indicator": cell.key,
            "field": cell.field,
            "text": cell.text,
            "file": sub.file,
            "sheet": cell.sheet,
            "cell": cell.cell,
        }
        for sub in counted
        if sub.meta.kind == KIND_UNIT and sub.meta.quarter is not None
        for cell in sub.inputs()
        if cell.field in FACTOR_FIELDS and cell.text
    ]
    frame = pd.DataFrame(rows, columns=list(FACTORS.columns))
    frame = frame.sort_values(["year", "quarter", "indicator", "field"], kind="stable")
    return FACTORS.validate(frame.reset_index(drop=True))


def roster_frame(counted: Sequence[Submission]) -> pd.DataFrame:
    """schemas.frames.ROSTER: the roster cells holding text of every counted targets workbook.

    `counted` is in the order received; versions are numbered per year as
    `pipeline.merge.targets.targets_frame` numbers them.
    """
    rows: list[dict[str, object]] = []
    numbering: dict[int, int] = {}
    for sub in (s for s in counted if s.meta.kind == KIND_TARGETS):
        year = sub.meta.year
        numbering[year] = numbering.get(year, 0) + 1
        for cell in sub.inputs():
            if cell.field in (*ROSTER_FIELDS, PLACE_FIELD) and cell.text:
                rows.append(
                    {
                        "year": year,
                        "version": numbering[year],
                        "effective_from": sub.effective_from,
                        "key": cell.key,
                        "field": cell.field,
                        "text": cell.text,
                        "file": sub.file,
                        "sheet": cell.sheet,
                        "cell": cell.cell,
                    }
                )
    frame = pd.DataFrame(rows, columns=list(ROSTER.columns))
    return ROSTER.validate(frame.reset_index(drop=True))
