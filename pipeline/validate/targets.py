"""Rules of the targets workbook (the Rencana Aksi), checked per workbook.

Cells that are not numbers at all are already named by the cell checks (schemas.submission);
here: the `Berlaku mulai` quarter and the calculation / polarity words (errors), every
target within its indicator's bounds (errors), and whether each indicator's quarters agree
with its year (warnings that state both numbers).
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from pipeline.catalogue.bounds import TargetBounds, target_bounds
from pipeline.catalogue.model import Catalogue, Indicator
from pipeline.contract import (
    CALCULATION_FIELD,
    EFFECTIVE_FIELD,
    KIND_TARGETS,
    POLARITY_FIELD,
    TARGET_QUARTER_FIELDS,
    WORKBOOK_KEY,
    MappedCell,
)
from pipeline.measure import KUMULATIF, PERHITUNGAN
from pipeline.periods import ROMAN
from pipeline.problems import Problem
from pipeline.rencana import POLARITIES, parse_choice, parse_quarter
from pipeline.validate.cells import Submission
from pipeline.validate.codes import problem
from pipeline.validate.identity import TARGET_FIELD
from pipeline.validate.numbers import EMPTY, NUMBER, classify

ANNUAL = TARGET_FIELD
# Sums of targets typed with decimals (85,5) may differ from the year by rounding only.
TOLERANCE = 1e-9


def target_problems(sub: Submission, catalogue: Catalogue) -> list[Problem]:
    """Every problem of a targets workbook's plan cells; [] for other submissions."""
    if sub.meta.kind != KIND_TARGETS:
        return []
    found = list(_effective(sub))
    for indicator in catalogue.indicators:
        found.extend(_choices(sub, catalogue, indicator))
        found.extend(_bounded(sub, indicator, target_bounds(indicator, catalogue)))
        found.extend(_consistent(sub, catalogue, indicator))
    return [sub.located(p) for p in found]


def chosen_perhitungan(sub: Submission, catalogue: Catalogue, indicator: Indicator) -> str:
    """The calculation type a targets workbook gives an indicator (the catalogue's if none)."""
    cell = sub.meta.cell_of(indicator.code, CALCULATION_FIELD)
    word = parse_choice(_raw(sub, cell), PERHITUNGAN) if cell else ""
    return word or catalogue.perhitungan(indicator)


def _raw(sub: Submission, cell: MappedCell | None) -> object:
    return None if cell is None else sub.cells.get((cell.sheet, cell.cell))


def _effective(sub: Submission) -> Iterator[Problem]:
    cell = sub.meta.cell_of(WORKBOOK_KEY, EFFECTIVE_FIELD)
    if cell is not None and parse_quarter(_raw(sub, cell)) is None:
        yield problem(
            "invalid-effective-quarter",
            value=_raw(sub, cell),
            sheet=cell.sheet,
            cell=cell.cell,
            key=WORKBOOK_KEY,
            field=EFFECTIVE_FIELD,
        )


def _choices(sub: Submission, catalogue: Catalogue, indicator: Indicator) -> Iterator[Problem]:
    for field, choices in ((CALCULATION_FIELD, PERHITUNGAN), (POLARITY_FIELD, POLARITIES)):
        cell = sub.meta.cell_of(indicator.code, field)
        if cell is None:
            continue
        raw = _raw(sub, cell)
        word = parse_choice(raw, choices)
        where = {"sheet": cell.sheet, "cell": cell.cell, "key": indicator.code, "field": field}
        if word is None:
            yield problem("invalid-choice", value=raw, choices=", ".join(choices), **where)
        elif word == KUMULATIF and not catalogue.additive(indicator):
            yield problem("cumulative-not-additive", value=raw, indicator=indicator.code, **where)


def _number(sub: Submission, cell: MappedCell | None) -> float | None:
    """The number in a plan cell; None when empty, text or a formula (named elsewhere)."""
    if cell is None or (cell.sheet, cell.cell) in sub.formulas:
        return None
    reading = classify(sub.cells.get((cell.sheet, cell.cell)))
    return reading.number if reading.kind == NUMBER else None


def _unreadable(sub: Submission, cell: MappedCell | None) -> bool:
    """A plan cell that holds something other than a number (an error named elsewhere)."""
    if cell is None:
        return False
    if (cell.sheet, cell.cell) in sub.formulas:
        return True
    return classify(sub.cells.get((cell.sheet, cell.cell))).kind not in (NUMBER, EMPTY)


def _bounded(sub: Submission, indicator: Indicator, bounds: TargetBounds) -> Iterator[Problem]:
    for field in (*TARGET_QUARTER_FIELDS, ANNUAL):
        cell = sub.meta.cell_of(indicator.code, field)
        value = _number(sub, cell)
        if cell is None or value is None:
            continue
        where = {"sheet": cell.sheet, "cell": cell.cell, "key": indicator.code, "field": field}
        if value < bounds.minimum:
            code = "negative-number" if bounds.minimum == 0 else "below-minimum"
            yield problem(code, value=value, limit=bounds.minimum, **where)
        elif bounds.maximum is not None and value > bounds.maximum:
            yield problem("above-maximum", value=value, limit=bounds.maximum, **where)
        elif bounds.whole and not float(value).is_integer():
            yield problem("not-whole-number", value=value, hint=str(round(value)), **where)


def _consistent(sub: Submission, catalogue: Catalogue, indicator: Indicator) -> Iterator[Problem]:
    """Quarters against the year: both filled and agreeing, per the calculation type."""
    cells = [sub.meta.cell_of(indicator.code, f) for f in TARGET_QUARTER_FIELDS]
    annual_cell = sub.meta.cell_of(indicator.code, ANNUAL)
    if annual_cell is None or any(_unreadable(sub, c) for c in (*cells, annual_cell)):
        return  # nothing to compare with, or a cell already rejected as not a number
    quarters = [_number(sub, c) for c in cells]
    annual = _number(sub, annual_cell)
    filled = [q for q, v in enumerate(quarters, start=1) if v is not None]
    if not filled:
        return
    code = indicator.code
    where = {"key": code, "indicator": code}
    if len(filled) < 4:
        empty = next(c for c, v in zip(cells, quarters, strict=True) if v is None)
        assert empty is not None
        words = ", ".join(f"TW {ROMAN[q]}" for q in filled)
        yield problem(
            "target-quarters-partial",
            filled=words,
            sheet=empty.sheet,
            cell=empty.cell,
            field=empty.field,
            **where,
        )
    if annual is None:
        yield problem(
            "annual-target-missing", sheet=annual_cell.sheet, cell=annual_cell.cell, **where
        )
        return
    if len(filled) < 4:
        return
    yield from _agree(sub, catalogue, indicator, quarters, annual, cells, annual_cell)


def _agree(
    sub: Submission,
    catalogue: Catalogue,
    indicator: Indicator,
    quarters: list[float | None],
    annual: float,
    cells: list[MappedCell | None],
    annual_cell: MappedCell,
) -> Iterator[Problem]:
    where = {"key": indicator.code, "indicator": indicator.code, "expected": annual}
    if chosen_perhitungan(sub, catalogue, indicator) == KUMULATIF:
        total = math.fsum(q for q in quarters if q is not None)
        if not math.isclose(total, annual, rel_tol=TOLERANCE, abs_tol=TOLERANCE):
            yield problem(
                "target-quarters-sum",
                value=total,
                sheet=annual_cell.sheet,
                cell=annual_cell.cell,
                field=ANNUAL,
                **where,
            )
        return
    last, cell = quarters[-1], cells[-1]
    if last is not None and cell is not None and not math.isclose(last, annual, abs_tol=TOLERANCE):
        yield problem(
            "target-year-end",
            value=last,
            sheet=cell.sheet,
            cell=cell.cell,
            field=cell.field,
            **where,
        )
