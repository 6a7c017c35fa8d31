"""Rules that look across cells: subsets, the unit's own history, who sent the file.

All of them are warnings: the submission is accepted and the problem is shown in the report.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping

from pipeline.catalogue.model import Catalogue
from pipeline.problems import Problem, problem
from pipeline.submission import Submission

# A value is far from history when above UP_FACTOR x median + SLACK; a stock also when
# below median / DOWN_FACTOR (with a median of at least DOWN_FLOOR). Flows may drop to 0.
UP_FACTOR, SLACK, DOWN_FACTOR, DOWN_FLOOR = 5.0, 10.0, 5.0, 20.0


def current_numbers(sub: Submission) -> dict[str, tuple[float, str, str]]:
    """Variable -> (number, sheet, cell) for the current quarter's cells that hold a number."""
    return {k: (c.number, c.sheet, c.cell) for k, c in sub.numbers(sub.current_field).items()}


def subset_warnings(sub: Submission, catalogue: Catalogue) -> list[Problem]:
    """A numerator above its denominator where the numerator counts a part of the whole."""
    numbers = current_numbers(sub)
    found = []
    for indicator in catalogue.indicators:
        if not indicator.bagian or indicator.kind != "ratio":
            continue
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
    sub: Submission, catalogue: Catalogue, history: Mapping[str, list[float]]
) -> list[Problem]:
    """Current values far from the unit's own earlier values (variable -> earlier values)."""
    found = []
    for variable, (value, sheet, cell) in current_numbers(sub).items():
        earlier = history.get(variable, [])
        if not earlier:
            continue
        median = statistics.median(earlier)
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
                        count=len(earlier),
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
