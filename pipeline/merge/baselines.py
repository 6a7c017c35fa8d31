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

import pandas as pd

from pipeline.catalogue.model import Catalogue
from pipeline.contract import BASELINE_FIELDS, KIND_TARGETS, KIND_UNIT
from pipeline.merge.frames import VALUE_COLUMNS, Counted, late_keys
from pipeline.merge.kept import TARGET
from schemas.frames import VALUES


def baseline_rows(counted: Counted, catalogue: Catalogue) -> list[dict[str, object]]:
    """VALUES rows from the counted targets workbooks, for quarters no unit submission covers.

    When two growth indicators share a variable, the first in catalogue order with a number
    for a quarter gives it; when several versions of the targets workbook give one, the
    latest received (`counted` is in the order received; a revision may correct last year's
    figures).
    """
    subs = counted.subs
    submitted = {(subs[p].unit, subs[p].year, subs[p].quarter) for p in counted.of_kind(KIND_UNIT)}
    growth = {i.code: i for i in catalogue.indicators if i.kind == "growth"}
    order = {code: n for n, code in enumerate(growth)}
    words, kept = counted.words, counted.rows
    rows: dict[tuple[str, int, int, str], dict[str, object]] = {}
    for position in reversed(counted.of_kind(KIND_TARGETS)):
        sub = subs[position]
        cells = [
            (str(words[kept.key[r]]), str(words[kept.field[r]]), r)
            for r in range(*kept.span(position))
            if kept.role[r] == TARGET
            and words[kept.key[r]] in growth
            and words[kept.field[r]] in BASELINE_FIELDS
        ]
        for key, field, row in sorted(cells, key=lambda c: (order[c[0]], c[1])):
            variable = catalogue.variable(growth[key].variables[0])
            quarter = BASELINE_FIELDS.index(field) + 1
            value = float(kept.number[row])
            if (variable.unit, sub.year - 1, quarter) in submitted or math.isnan(value):
                continue
            rows.setdefault(
                (variable.unit, sub.year - 1, quarter, variable.code),
                {
                    "unit": variable.unit,
                    "year": sub.year - 1,
                    "quarter": quarter,
                    "variable": variable.code,
                    "value": value,
                    "file": sub.file,
                    "sheet": str(words[kept.sheet[row]]),
                    "cell": str(words[kept.cell[row]]),
                    "received_at": counted.received.get(sub.file, ""),
                },
            )
    return list(rows.values())


def with_baselines(values: pd.DataFrame, counted: Counted, catalogue: Catalogue) -> pd.DataFrame:
    """The values frame with the targets workbooks' baselines added (see the module doc)."""
    rows = baseline_rows(counted, catalogue)
    # A value a later file back-filled for that quarter wins too (values' other keys are the
    # quarters a unit file of their own covers, which baseline_rows leaves out already).
    back_filled = late_keys(counted)
    rows = [
        r for r in rows if (r["unit"], r["year"], r["quarter"], r["variable"]) not in back_filled
    ]
    if not rows:
        return values
    added = pd.DataFrame(rows, columns=VALUE_COLUMNS)
    frame = pd.concat([values, added], ignore_index=True) if len(values) else added
    frame = frame.sort_values(["year", "quarter", "unit", "variable"], kind="stable")
    return VALUES.validate(frame.reset_index(drop=True))
