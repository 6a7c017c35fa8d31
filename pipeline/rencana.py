"""The Rencana Aksi of an indicator: its annual and quarterly targets and how they count.

A targets workbook states, per indicator, Target TW I..IV and Target Tahunan, the
calculation type (kumulatif / nilai-akhir) and the polarity, and, for the whole workbook,
the quarter from which it applies (`Berlaku mulai`). This module holds the record of one
indicator's plan and reads the words a person chooses in those cells.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from pipeline import measure
from pipeline.periods import ROMAN

POLARITIES = ("positif", "negatif")
QUARTER_WORDS = tuple(f"TW {ROMAN[q]}" for q in (1, 2, 3, 4))  # what the dropdown offers
_ROMAN_OF = {roman: q for q, roman in ROMAN.items()}


@dataclass(frozen=True)
class TargetPlan:
    """One indicator's targets for a year: annual, per quarter, calculation type, polarity.

    perhitungan and polaritas are '' when the catalogue's apply. In a unit template the
    quarterly targets are those in effect for each quarter (after any revision).
    """

    target: float | None = None
    quarterly: Mapping[int, float] = field(default_factory=dict)
    perhitungan: str = ""
    polaritas: str = ""

    def to_date(self, perhitungan: str, quarter: int) -> float | None:
        """Target to date at a quarter (measure.target_to_date), None without quarterly ones."""
        return measure.target_to_date(dict(self.quarterly), perhitungan, quarter)


def as_plan(value: float | TargetPlan | None) -> TargetPlan:
    """A plan from what callers give: a plan, an annual target alone, or nothing."""
    if isinstance(value, TargetPlan):
        return value
    return TargetPlan(target=None if value is None else float(value))


def parse_quarter(raw: object) -> int | None:
    """The quarter a `Berlaku mulai` cell names: 'TW III', 'tw3', 'Triwulan III', 3; else None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return int(raw) if float(raw).is_integer() and 1 <= raw <= 4 else None
    text = re.sub(r"\s+", "", str(raw or "")).upper()
    text = text.removeprefix("TRIWULAN").removeprefix("TW")
    if text in _ROMAN_OF:
        return _ROMAN_OF[text]
    return int(text) if text in ("1", "2", "3", "4") else None


def parse_choice(raw: object, choices: tuple[str, ...]) -> str | None:
    """The word chosen in a list cell ('' when empty), forgiving case and spaces; else None."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return ""
    if not isinstance(raw, str):
        return None
    text = re.sub(r"[\s_]+", "-", raw.strip().lower())
    return text if text in choices else None
