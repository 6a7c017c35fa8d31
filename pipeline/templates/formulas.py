"""Live Excel formulas that follow `pipeline.measure` exactly.

Only functions Excel 2010 and LibreOffice both compute (IF, AND, COUNT, SUM, ISNUMBER).
An empty result is the empty string "", never 0 and never an error: IF evaluates only the
branch it takes, so a division sits behind a test of its denominator.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline import measure


def _q(text: str) -> str:
    """A string literal inside a formula."""
    return '"' + text.replace('"', '""') + '"'


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def to_date(agregasi: str, quarter_cells: Sequence[str]) -> str:
    """Value to date from the cells of quarters 1..q (measure.aggregate).

    Flows: the sum, empty when any quarter is empty. Stocks: the last quarter's value.
    """
    if agregasi == "last":
        last = quarter_cells[-1]
        return f'=IF(ISNUMBER({last}),{last},"")'
    span = f"{quarter_cells[0]}:{quarter_cells[-1]}"
    return f'=IF(COUNT({span})={len(quarter_cells)},SUM({span}),"")'


def _both(a: str, b: str) -> str:
    return f"AND(ISNUMBER({a}),ISNUMBER({b}))"


def realisation(kind: str, inputs: Sequence[str], factor: float) -> str:
    """Realisation to date from aggregated input cells in ROLES order (measure.indicator_value).

    For growth, inputs are (this year to date, last year's value).
    """
    if kind not in ("count", "difference", "ratio", "growth"):
        raise ValueError(f"unknown indicator kind {kind!r}")
    f = _num(factor)
    if kind == "count":
        (x,) = inputs
        return f'=IF(ISNUMBER({x}),{x},"")'
    a, b = inputs
    if kind == "difference":
        return f'=IF({_both(a, b)},{a}-{b},"")'
    if kind == "ratio":
        return f'=IF({_both(a, b)},IF({b}=0,"",{a}/{b}*{f}),"")'
    return f'=IF({_both(a, b)},IF({b}=0,"",({a}-{b})/{b}*{f}),"")'  # growth


def capaian(realisasi: str, target: str, polaritas: str) -> str:
    """Achievement against the annual target (measure.capaian)."""
    r, t = realisasi, target
    value = f"(2*{t}-{r})/{t}*100" if polaritas == "negatif" else f"{r}/{t}*100"
    return f'=IF({_both(r, t)},IF({t}=0,"",{value}),"")'


def predikat(capaian_cell: str, bands: Sequence[tuple[float, str]]) -> str:
    """Rating by bands, lower bound inclusive (measure.predikat); empty when no capaian."""
    c = capaian_cell
    nested = _q(measure.LOWEST_BAND)
    for lower, name in reversed(bands):
        nested = f"IF({c}>={_num(lower)},{_q(name)},{nested})"
    return f'=IF(ISNUMBER({c}),{nested},"")'


def _realisation_reason(kind: str, inputs: Sequence[str]) -> str:
    no_data = _q(measure.NO_DATA)
    if kind == "ratio":
        a, b = inputs
        zero = f"IF({a}=0,{_q(measure.ZERO_OVER_ZERO)},{_q(measure.DIVISION_BY_ZERO)})"
        return f"IF({_both(a, b)},{zero},{no_data})"
    if kind == "growth":
        a, b = inputs
        baseline = f"IF(ISNUMBER({b}),{_q(measure.ZERO_BASELINE)},{_q(measure.NO_BASELINE)})"
        return f"IF(ISNUMBER({a}),{baseline},{no_data})"
    return no_data


def reason(kind: str, inputs: Sequence[str], realisasi: str, target: str, capaian_cell: str) -> str:
    """Why capaian is empty: the realisation's reason first, then the target's; else ""."""
    target_reason = f"IF(ISNUMBER({target}),{_q(measure.ZERO_TARGET)},{_q(measure.NO_TARGET)})"
    return (
        f'=IF(ISNUMBER({capaian_cell}),"",IF(ISNUMBER({realisasi}),{target_reason},'
        f"{_realisation_reason(kind, inputs)}))"
    )


def expected_reason(
    kind: str, inputs: Sequence[float | None], factor: float, target: float | None, polaritas: str
) -> str:
    """What `reason` shows, computed with the reference measures (for tests and readers)."""
    value = measure.indicator_value(kind, inputs, factor)
    if value.value is None:
        return value.reason
    return measure.capaian(value.value, target, polaritas).reason
