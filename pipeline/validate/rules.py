"""Rules that look across cells: subsets, the unit's own history, who sent the file.

All of them are warnings: the submission is accepted and the problem is shown in the report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from pipeline.catalogue.model import Catalogue, Indicator
from pipeline.problems import Problem, problem
from pipeline.submission import Identity, Submission

# A value is far from history when above UP_FACTOR x median + SLACK; a stock also when
# below median / DOWN_FACTOR (with a median of at least DOWN_FLOOR). Flows may drop to 0.
UP_FACTOR, SLACK, DOWN_FACTOR, DOWN_FLOOR = 5.0, 10.0, 5.0, 20.0


def current_numbers(sub: Submission) -> dict[str, tuple[float, str, str]]:
    """Variable -> (number, sheet, cell) for the current quarter's cells that hold a number."""
    return {k: (c.number, c.sheet, c.cell) for k, c in sub.numbers(sub.current_field).items()}


class Against(NamedTuple):
    """A current number beside the unit's own earlier values of its variable."""

    variable: str
    value: float
    sheet: str
    cell: str
    median: float  # of the earlier values
    earlier: int  # how many earlier values


def subset_indicators(catalogue: Catalogue) -> tuple[Indicator, ...]:
    """The ratios whose numerator counts a part of the denominator's whole."""
    return tuple(i for i in catalogue.indicators if i.bagian and i.kind == "ratio")


def subset_warnings(
    sub: Submission, catalogue: Catalogue, subsets: Sequence[Indicator] | None = None
) -> list[Problem]:
    """A numerator above its denominator where the numerator counts a part of the whole.

    subsets: `subset_indicators(catalogue)`, when the caller checks many submissions.
    """
    numbers = current_numbers(sub)
    found = []
    for indicator in subset_indicators(catalogue) if subsets is None else subsets:
        top, bottom = (
            numbers.get(indicator.var("numerator")),
            numbers.get(indicator.var("denominator")),
        )
        if top is None or bottom is None or top[0] <= bottom[0]:
            continue
        other = catalogue.variable(indicator.var("denominator"))
        found.append(
            sub.located(
                problem(
                    "numerator-above-denominator",
                    value=top[0],
                    other=bottom[0],
                    other_label=f"'{other.label}' ({bottom[2]})",
                    indicator=indicator.code,
                    sheet=top[1],
                    cell=top[2],
                    key=indicator.var("numerator"),
                    field=sub.current_field,
                )
            )
        )
    return _unique(found)


def history_warnings(
    sub: Identity, against: Sequence[Against], catalogue: Catalogue
) -> list[Problem]:
    """Current values far from the unit's own earlier values (merge.history.against_history)."""
    found = []
    for variable, value, sheet, cell, median, earlier in against:
        stock = catalogue.variable(variable).agregasi == "last"
        high = value > UP_FACTOR * median + SLACK
        low = stock and median >= DOWN_FLOOR and value < median / DOWN_FACTOR
        if high or low:
            found.append(
                sub.located(
                    problem(
                        "far-from-history",
                        value=value,
                        median=median,
                        count=earlier,
                        sheet=sheet,
                        cell=cell,
                        key=variable,
                        field=sub.current_field,
                    )
                )
            )
    return found


def sender_warnings(
    sub: Submission, sender: str, senders: Mapping[str, tuple[str, ...]]
) -> list[Problem]:
    """A file for a unit from an address not on the unit's allow-list (when it has one)."""
    allowed = senders.get(sub.unit)
    if not allowed or not sender:
        return []
    if sender.strip().lower() in {a.strip().lower() for a in allowed}:
        return []
    return [sub.located(problem("sender-not-allowed", value=sender, expected=", ".join(allowed)))]


def _unique(found: list[Problem]) -> list[Problem]:
    seen: set[tuple[str, str]] = set()
    kept = []
    for p in found:
        if (p.cell, p.message) not in seen:
            seen.add((p.cell, p.message))
            kept.append(p)
    return kept
