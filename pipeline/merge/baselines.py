"""Last year's quarterly baselines from the targets workbook, as rows of the values frame.

The targets workbook of year y holds, for each growth indicator, the value of its variable
in each quarter of y - 1 (`baseline_TW1`..`baseline_TW4`). Each becomes one row of
schemas.frames.VALUES: unit = the variable's reporting unit, year = y - 1, the quarter, the
value, and the workbook's file, sheet, cell and received time. A real submission wins: no
row is added for a (unit, year, quarter) that has a counted submission in the inbox, even
where that submission left the cell empty. Empty baseline cells add no row.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import pandas as pd

from pipeline.catalogue.model import Catalogue
from pipeline.contract import BASELINE_FIELDS, KIND_TARGETS, KIND_UNIT
from pipeline.merge.frames import VALUE_COLUMNS
from pipeline.submission import Submission
from schemas.frames import VALUES


def baseline_rows(
    counted: Sequence[Submission], received: Mapping[str, str], catalogue: Catalogue
) -> list[dict[str, object]]:
    """VALUES rows from the counted targets workbooks, for quarters no unit submission covers.

    When two growth indicators share a variable, the first in catalogue order with a number
    for a quarter gives it; when several versions of the targets workbook give one, the
    latest received (`counted` is in the order received; a revision may correct last year's
    figures).
    """
    submitted = {
        (sub.unit, sub.meta.year, sub.meta.quarter) for sub in counted if sub.meta.kind == KIND_UNIT
    }
    growth = {i.code: i for i in catalogue.indicators if i.kind == "growth"}
    order = {code: n for n, code in enumerate(growth)}
    rows: dict[tuple[str, int, int, str], dict[str, object]] = {}
    for sub in reversed(counted):
        if sub.meta.kind != KIND_TARGETS:
            continue
        year = sub.meta.year - 1
        cells = [c for c in sub.inputs() if c.key in growth and c.field in BASELINE_FIELDS]
        for cell in sorted(cells, key=lambda c: (order[c.key], c.field)):
            variable = catalogue.variable(growth[cell.key].variables[0])
            quarter = BASELINE_FIELDS.index(cell.field) + 1
            value = cell.number
            if (variable.unit, year, quarter) in submitted or math.isnan(value):
                continue
            rows.setdefault(
                (variable.unit, year, quarter, variable.code),
                {
                    "unit": variable.unit,
                    "year": year,
                    "quarter": quarter,
                    "variable": variable.code,
                    "value": value,
                    "file": sub.file,
                    "sheet": cell.sheet,
                    "cell": cell.cell,
                    "received_at": received.get(sub.file, ""),
                },
            )
    return list(rows.values())


def with_baselines(
    values: pd.DataFrame,
    counted: Sequence[Submission],
    received: Mapping[str, str],
    catalogue: Catalogue,
) -> pd.DataFrame:
    """The values frame with the targets workbooks' baselines added (see the module doc)."""
    rows = baseline_rows(counted, received, catalogue)
    keys = ["unit", "year", "quarter", "variable"]
    reported = set(values[keys].itertuples(index=False, name=None))
    rows = [r for r in rows if tuple(r[k] for k in keys) not in reported]
    if not rows:
        return values
    added = pd.DataFrame(rows, columns=VALUE_COLUMNS)
    frame = pd.concat([values, added], ignore_index=True) if len(values) else added
    frame = frame.sort_values(["year", "quarter", "unit", "variable"], kind="stable")
    return VALUES.validate(frame.reset_index(drop=True))
