"""Live Excel formulas that follow `pipeline.measure` exactly.

Only functions Excel 2010 and LibreOffice both compute (IF, AND, COUNT, SUM, ISNUMBER,
ISTEXT, and for reading digits typed as text TRIM, SUBSTITUTE, CHAR, MID, LEFT, LEN, VALUE).
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


def _typed_text(cell: str) -> str:
    """The text typed in a cell, tabs and line breaks as spaces, trimmed (TRIM of a number is
    its text, but read_number takes numbers first)."""
    spaced = cell
    for code in (9, 10, 13):
        spaced = f'SUBSTITUTE({spaced},CHAR({code})," ")'
    return f"TRIM({spaced})"


def read_number(cell: str) -> str:
    """The number a cell holds as the report reads it (pipeline.inbox.cells.classify).

    A number stays a number; digits typed as text ('129, +42, with spaces, tabs or line breaks
    around them) become the number (VALUE of digits alone does not depend on the locale);
    anything else is "".
    """
    t = _typed_text(cell)
    digits = f'MID({t},1+(LEFT({t},1)="+"),LEN({t}))'
    rest = digits
    for digit in "0123456789":
        rest = f'SUBSTITUTE({rest},"{digit}","")'
    only_digits = f'AND(LEN({digits})>0,{rest}="")'
    as_text = f'IF({only_digits},VALUE({digits}),"")'
    return f'=IF(ISNUMBER({cell}),{cell},IF(ISTEXT({cell}),{as_text},""))'


def to_date(agregasi: str, quarter_cells: Sequence[str]) -> str:
    """Value to date from the readings of quarters 1..q (measure.aggregate).

    quarter_cells hold `read_number` of each quarter's cell (a locked earlier value, a
    back-filled one, the current one). Flows: the sum, empty when any quarter is empty.
    Stocks: the last quarter's value.
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


def _against(r: str, t: str, polaritas: str) -> str:
    value = f"(2*{t}-{r})/{t}*100" if polaritas == "negatif" else f"{r}/{t}*100"
    return f'IF({_both(r, t)},IF({t}=0,"",{value}),"")'


def capaian(realisasi: str, target: str, polaritas: str) -> str:
    """Achievement against one target, e.g. the annual one (measure.capaian)."""
    return "=" + _against(realisasi, target, polaritas)


def capaian_to_date(realisasi: str, target_sd: str, target: str, polaritas: str) -> str:
    """Against the target to date when there is one, else the annual target
    (measure.capaian_to_date)."""
    r = realisasi
    return (
        f"=IF(ISNUMBER({target_sd}),{_against(r, target_sd, polaritas)},"
        f"{_against(r, target, polaritas)})"
    )


def predikat(capaian_cell: str, bands: Sequence[tuple[float, str]]) -> str:
    """Rating by bands, lower bound inclusive, on the capaian to measure.BAND_DECIMALS
    places (measure.predikat); empty when no capaian."""
    c = capaian_cell
    rounded = f"ROUND({c},{measure.BAND_DECIMALS})"
    nested = _q(measure.LOWEST_BAND)
    for lower, name in reversed(bands):
        nested = f"IF({rounded}>={_num(lower)},{_q(name)},{nested})"
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


def reason(
    kind: str,
    inputs: Sequence[str],
    realisasi: str,
    target_sd: str,
    target: str,
    capaian_cell: str,
) -> str:
    """What the Keterangan says: why capaian is empty (the realisation's reason first, then
    the target's), or that it is against the annual target; else ""."""
    annual = f"IF(ISNUMBER({target}),{_q(measure.ZERO_TARGET)},{_q(measure.NO_TARGET)})"
    target_reason = f"IF(ISNUMBER({target_sd}),{_q(measure.ZERO_TARGET_TO_DATE)},{annual})"
    basis = f'IF(ISNUMBER({target_sd}),"",{_q(measure.ON_ANNUAL_TARGET)})'
    return (
        f"=IF(ISNUMBER({capaian_cell}),{basis},IF(ISNUMBER({realisasi}),{target_reason},"
        f"{_realisation_reason(kind, inputs)}))"
    )


def expected_reason(
    kind: str,
    inputs: Sequence[float | None],
    factor: float,
    target_sd: float | None,
    target: float | None,
    polaritas: str,
) -> str:
    """What `reason` shows, computed with the reference measures (for tests and readers)."""
    value = measure.indicator_value(kind, inputs, factor)
    if value.value is None:
        return value.reason
    result, basis = measure.capaian_to_date(value.value, target_sd, target, polaritas)
    if result.value is None:
        return result.reason
    return measure.ON_ANNUAL_TARGET if basis == measure.DASAR_TAHUNAN else ""
