"""What scanning the inbox yields: every file accounted for, and the frames to compute from."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from pipeline.problems import Problem
from schemas.frames import NOTES

# File statuses: every file in the inbox ends in exactly one.
ACCEPTED = "accepted"  # counted: the latest accepted submission for its unit and period
SUPERSEDED = "superseded"  # valid, but a later accepted file of the same unit and period counts
REJECTED = "rejected"  # a fatal or error problem: the unit must resubmit
IGNORED = "ignored"  # not a submission (the collect manifest, a duplicate by content)
STATUSES = (ACCEPTED, SUPERSEDED, REJECTED, IGNORED)


@dataclass(frozen=True)
class FileRecord:
    """One file found in the inbox and what became of it."""

    path: str  # relative to the inbox
    sha256: str
    size: int
    received_at: str  # ISO 8601; the mail's date when collected, else the file's time
    received_source: str  # "email" or "file-time"
    sender: str
    subject: str
    kind: str  # "unit", "targets" or "" when not an official template
    unit: str
    period: str  # "2018-TW2" for unit templates, "2018" for targets
    status: str
    problems: tuple[Problem, ...] = ()
    reason: str = ""  # why a file is ignored or superseded, in Indonesian


@dataclass(frozen=True)
class InboxScan:
    """The inbox read and validated."""

    files: tuple[FileRecord, ...]
    # schemas.frames.VALUES: for every (unit, year, quarter) in the inbox, the current-quarter
    # values of the counted submission only; earlier quarters shown locked in a template are
    # copies and are not read as data.
    values: pd.DataFrame
    # schemas.frames.TARGETS, from the counted (latest accepted) targets workbook per year.
    targets: pd.DataFrame
    # schemas.frames.NOTES: the remarks (Keterangan) of the counted submissions that hold text.
    notes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(NOTES.columns)))

    @property
    def problems(self) -> list[Problem]:
        """All problems of all files, in file order."""
        return [p for f in self.files for p in f.problems]
