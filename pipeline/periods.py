"""Reporting periods: a quarter (triwulan) of a year, written like 2018-TW2, or a whole year."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pipeline.errors import UsageError

_PATTERN = re.compile(r"^\s*(\d{4})\s*-\s*TW\s*([1-4])\s*$", re.IGNORECASE)
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
QUARTERS = (1, 2, 3, 4)


@dataclass(frozen=True, order=True)
class Period:
    """One quarter of one year."""

    year: int
    quarter: int

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse '2018-TW2' (case and spaces forgiven)."""
        match = _PATTERN.match(text)
        if not match:
            raise UsageError(
                f"Periode '{text}' tidak dikenal: tulis seperti 2018-TW2 (tahun-TW1..TW4)."
            )
        return cls(int(match.group(1)), int(match.group(2)))

    def __str__(self) -> str:
        return f"{self.year}-TW{self.quarter}"

    @property
    def label(self) -> str:
        """Indonesian label, e.g. 'Triwulan II 2018'."""
        return f"Triwulan {ROMAN[self.quarter]} {self.year}"

    @property
    def slug(self) -> str:
        """File-name part, e.g. '2018_TW2'."""
        return f"{self.year}_TW{self.quarter}"

    @property
    def end(self) -> dt.date:
        """Last day of the quarter."""
        month = self.quarter * 3
        first_next = dt.date(self.year + (month == 12), month % 12 + 1, 1)
        return first_next - dt.timedelta(days=1)

    def deadline(self, days_after_end: int = 10) -> dt.date:
        """Default submission deadline: the given number of days after the quarter ends."""
        return self.end + dt.timedelta(days=days_after_end)

    def quarters_to_date(self) -> tuple[int, ...]:
        """Quarters of the year up to and including this one."""
        return tuple(range(1, self.quarter + 1))

    def previous_year(self) -> Period:
        """Same quarter one year earlier."""
        return Period(self.year - 1, self.quarter)

    def covers(self, span: Period | Year) -> bool:
        """Whether a file for `span` bears on this quarter: the same year, not a later quarter."""
        if isinstance(span, Year):
            return span.year == self.year
        return span.year == self.year and span.quarter <= self.quarter


@dataclass(frozen=True, order=True)
class Year:
    """A whole year: what a targets workbook is for."""

    year: int

    def __str__(self) -> str:
        return str(self.year)


def span_of(year: int, quarter: int | None) -> Period | Year:
    """The period a template is for: a quarter, or the year when it has no quarter."""
    return Year(year) if quarter is None else Period(year, quarter)
