"""Every CSV the project writes, with no text field a spreadsheet would run as a formula.

A CSV opened in Excel or LibreOffice turns a field starting with `=`, `+`, `-` or `@` into a
formula (`=HYPERLINK(...)`, `-2+3`, `@SUM(...)`), and a leading tab or carriage return hides
such a start from a naive check. OWASP's recommendation (CSV Injection): prefix such a field
with a single quote, so the spreadsheet shows it as text. Only text is touched: a number
written as a number (a negative capaian in a numeric column) stays a number.

Every text field is also quoted (OWASP's other half): Python's csv writer leaves a carriage
return inside a field bare when lines end in LF, and a spreadsheet starts a new row there,
so `abc<CR>=1+2` would put a formula at the start of a row.

Files start with a UTF-8 byte order mark, so Excel reads accented names right when the file
is opened by double-click. `indonesian=True` writes for Excel set to Indonesian: fields
between `;` and a decimal comma (85,5), as Excel there reads a CSV opened by double-click.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # pandas loads only where frames are written (collect and send need none)
    import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Text that would start a formula, prefixed with a quote; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of frame with every text value neutralised; numeric columns untouched."""
    import pandas as pd

    safe = frame.copy()
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    safe.columns = [neutralise(c) for c in safe.columns]
    return safe


SEPARATORS = {False: (",", "."), True: (";", ",")}  # indonesian -> (field, decimal)


def write_csv(frame: pd.DataFrame, target: Path | TextIO, *, indonesian: bool = False) -> None:
    """Write frame as CSV (no index, LF line ends, text quoted) to a path (UTF-8 with a byte
    order mark) or a stream (as it is)."""
    separator, decimal = SEPARATORS[indonesian]
    safe_frame(frame).to_csv(
        target,
        index=False,
        lineterminator="\n",
        encoding="utf-8-sig" if isinstance(target, Path) else "utf-8",
        quoting=csv.QUOTE_NONNUMERIC,
        sep=separator,
        decimal=decimal,
    )
