"""Rules of the targets workbook (the Rencana Aksi), checked per workbook.

Cells that are not numbers at all are already named by the cell checks (schemas.submission);
here: the `Berlaku mulai` quarter and the calculation / polarity words (errors), every
target within its indicator's bounds (errors), and whether each indicator's quarters agree
with its year (warnings that state both numbers).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping

from pipeline.catalogue.bounds import TargetBounds, target_bounds
from pipeline.catalogue.model import Catalogue, Indicator
from pipeline.contract import (
    CALCULATION_FIELD,
    EFFECTIVE_FIELD,
    KIND_TARGETS,
    POLARITY_FIELD,
    TARGET_FIELD,
    TARGET_QUARTER_FIELDS,
    WORKBOOK_KEY,
)
from pipeline.measure import KUMULATIF, PERHITUNGAN
from pipeline.periods import ROMAN
from pipeline.problems import Problem, problem
from pipeline.rencana import POLARITIES, parse_choice, parse_quarter
from pipeline.submission import EMPTY, NUMBER, CellReading, Submission

ANNUAL = TARGET_FIELD
# Sums of targets typed with decimals (85,5) may differ from the year by rounding only.
TOLERANCE = 1e-9


def target_problems(sub: Submission, catalogue: Catalogue) -> list[Problem]:
    """Every problem of a targets workbook's plan cells; [] for other submissions."""
    if sub.meta.kind != KIND_TARGETS:
        return []
    cells = {(c.key, c.field): c for c in sub.cells}
    found = list(_effective(cells.get((WORKBOOK_KEY, EFFECTIVE_FIELD))))
    for indicator in catalogue.indicators:
        plan = {field: cells.get((indicator.code, field)) for field in _PLAN}
        found.extend(_choices(plan, catalogue, indicator))
        found.extend(_bounded(plan, indicator, target_bounds(indicator, catalogue)))
        found.extend(_consistent(plan, catalogue, indicator))
    return [sub.located(p) for p in found]


Plan = Mapping[str, CellReading | None]  # field -> the indicator's cell (None: not mapped)
_PLAN = (*TARGET_QUARTER_FIELDS, ANNUAL, CALCULATION_FIELD, POLARITY_FIELD)


def chosen_perhitungan(plan: Plan, catalogue: Catalogue, indicator: Indicator) -> str:
    """The calculation type a targets workbook gives an indicator (the catalogue's if none)."""
    cell = plan.get(CALCULATION_FIELD)
    word = parse_choice(cell.shown, PERHITUNGAN) if cell else ""
    return word or catalogue.perhitungan(indicator)


def _effective(cell: CellReading | None) -> Iterator[Problem]:
    if cell is not None and parse_quarter(cell.shown) is None:
        yield problem(
            "invalid-effective-quarter",
            value=cell.shown,
            sheet=cell.sheet,
            cell=cell.cell,
            key=WORKBOOK_KEY,
            field=EFFECTIVE_FIELD,
        )


def _choices(plan: Plan, catalogue: Catalogue, indicator: Indicator) -> Iterator[Problem]:
    for field, choices in ((CALCULATION_FIELD, PERHITUNGAN), (POLARITY_FIELD, POLARITIES)):
        cell = plan.get(field)
        if cell is None:
            continue
        word = parse_choice(cell.shown, choices)
        where = {"sheet": cell.sheet, "cell": cell.cell, "key": indicator.code, "field": field}
        if word is None:
            yield problem("invalid-choice", value=cell.shown, choices=", ".join(choices), **where)
        elif word == KUMULATIF and not catalogue.additive(indicator):
            yield problem(
                "cumulative-not-additive", value=cell.shown, indicator=indicator.code, **where
            )


def _number(cell: CellReading | None) -> float | None:
    """The number in a plan cell; None when empty, text or a formula (named elsewhere)."""
    return cell.number if cell is not None and cell.kind == NUMBER else None


def _unreadable(cell: CellReading | None) -> bool:
    """A plan cell that holds something other than a number (an error named elsewhere)."""
    return cell is not None and cell.kind not in (NUMBER, EMPTY)


def _bounded(plan: Plan, indicator: Indicator, bounds: TargetBounds) -> Iterator[Problem]:
    for field in (*TARGET_QUARTER_FIELDS, ANNUAL):
        cell = plan.get(field)
        value = _number(cell)
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


def _consistent(plan: Plan, catalogue: Catalogue, indicator: Indicator) -> Iterator[Problem]:
    """Quarters against the year: both filled and agreeing, per the calculation type."""
    cells = [plan.get(f) for f in TARGET_QUARTER_FIELDS]
    annual_cell = plan.get(ANNUAL)
    if annual_cell is None or any(_unreadable(c) for c in (*cells, annual_cell)):
        return  # nothing to compare with, or a cell already rejected as not a number
    quarters = [_number(c) for c in cells]
    annual = _number(annual_cell)
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
    if len(filled) == 4:
        kumulatif = chosen_perhitungan(plan, catalogue, indicator) == KUMULATIF
        yield from _agree(kumulatif, code, quarters, annual, cells, annual_cell)


def _agree(
    kumulatif: bool,
    code: str,
    quarters: list[float | None],
    annual: float,
    cells: list[CellReading | None],
    annual_cell: CellReading,
) -> Iterator[Problem]:
    where = {"key": code, "indicator": code, "expected": annual}
    if kumulatif:
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
        where |= {"sheet": cell.sheet, "cell": cell.cell, "field": cell.field}
        yield problem("target-year-end", value=last, **where)
