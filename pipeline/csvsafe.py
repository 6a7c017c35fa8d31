"""Every CSV the project writes, with no text field a spreadsheet would run as a formula.

A CSV opened in Excel or LibreOffice turns a field starting with `=`, `+`, `-` or `@` into a
formula (`=HYPERLINK(...)`, `-2+3`, `@SUM(...)`), and a leading tab or carriage return hides
such a start from a naive check. OWASP's recommendation (CSV Injection): prefix such a field
with a single quote, so the spreadsheet shows it as text. Only text is touched: a number
written as a number (a negative capaian in a numeric column) stays a number.

Every text field is also quoted (OWASP's other half): Python's csv writer leaves a carriage
return inside a field bare when lines end in LF, and a spreadsheet starts a new row there,
so `abc<CR>=1+2` would put a formula at the start of a row.
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


def write_csv(frame: pd.DataFrame, target: Path | TextIO) -> None:
    """Write frame as UTF-8 CSV (no index, LF line ends, text quoted) to a path or a stream."""
    safe_frame(frame).to_csv(
        target, index=False, lineterminator="\n", encoding="utf-8", quoting=csv.QUOTE_NONNUMERIC
    )
