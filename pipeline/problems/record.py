"""Problems with submitted data, as records: never exceptions."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How bad a problem is for the file or submission it belongs to."""

    FATAL = "fatal"  # the file is rejected: unreadable, hostile or not an official template
    ERROR = "error"  # the submission is rejected: the unit must resubmit
    WARNING = "warning"  # accepted, flagged in the report

    @property
    def label(self) -> str:
        """Indonesian word for the severity."""
        return {"fatal": "Fatal", "error": "Galat", "warning": "Peringatan"}[self.value]


@dataclass(frozen=True)
class Problem:
    """One problem in one file: where it is, what it is, and the value found."""

    code: str
    severity: Severity
    message: str
    file: str = ""
    unit: str = ""
    period: str = ""
    sheet: str = ""
    cell: str = ""
    value: str = ""
    # A warning the unit explained in the row's Keterangan: shown, no longer open.
    explained: bool = False
    extra: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def as_row(self) -> dict[str, str]:
        """Flat record for tables and CSV."""
        row = asdict(self)
        row.pop("extra")
        row["severity"] = self.severity.value
        row["explained"] = "ya" if self.explained else ""
        return row

    @property
    def is_open(self) -> bool:
        """Whether the problem still needs the unit's action (an explained warning does not)."""
        return not (self.explained and self.severity == Severity.WARNING)

    @property
    def location(self) -> str:
        """Sheet and cell as Excel writes them, e.g. 'Isian!G7'."""
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or self.cell


PROBLEM_COLUMNS = (
    "file",
    "unit",
    "period",
    "sheet",
    "cell",
    "code",
    "severity",
    "message",
    "value",
    "explained",
)


def worst(problems: list[Problem]) -> Severity | None:
    """Most severe level among the problems, or None when there are none."""
    order = [Severity.FATAL, Severity.ERROR, Severity.WARNING]
    present = {p.severity for p in problems}
    return next((s for s in order if s in present), None)
