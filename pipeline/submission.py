"""The words every stage after the reader shares: a cell as read, a submission, a file's fate.

A submission's mapped cells are classified once, when the file is read (`pipeline.inbox.cells`),
and carried as `CellReading`s through validation and merge: no later stage looks at a raw cell
again.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import NamedTuple

import pandas as pd

from pipeline.contract import (
    EFFECTIVE_FIELD,
    NOTE_FIELD,
    WORKBOOK_KEY,
    TemplateMeta,
    field_quarter,
    quarter_field,
)
from pipeline.periods import Period, Year, span_of
from pipeline.problems import Problem
from pipeline.rencana import parse_quarter
from schemas.frames import FACTORS, NOTES, REVISIONS, ROSTER

# What a mapped cell holds (CellReading.kind), besides the codes of text that is no number
# (schemas.submission.KIND_CODES: 'thousand-separator', 'number-with-unit', ...).
EMPTY = "empty"
NUMBER = "number"
FORMULA = "formula-in-input"


class CellReading(NamedTuple):
    """One mapped cell of a submission as read: where it is, what it means, what it holds."""

    key: str  # variable or indicator code
    field: str  # contract field: TW1..TW4, note, code, target, baseline, baseline_TW1..
    sheet: str
    cell: str
    editable: bool
    expected: str  # what a locked cell was generated with
    shown: str  # the content as the user sees it ('' when empty; a formula as typed)
    kind: str  # EMPTY, NUMBER, FORMULA or the code of text that is no number
    number: float  # the value when kind is NUMBER, else NaN
    hint: str  # what to type instead, for messages

    @property
    def text(self) -> str:
        """The content without surrounding blanks, as `_meta` records expected values."""
        return self.shown.strip()


@dataclass(frozen=True, slots=True)
class Identity:
    """Which submission a file is, as its `_meta` says: what the scan keeps of it once its
    cells are checked (a few words, not the cell map)."""

    file: str  # path relative to the inbox
    kind: str
    unit: str  # '' for the targets workbook
    year: int
    quarter: int | None
    effective_from: int = 1  # Submission.effective_from

    @property
    def period(self) -> Period | Year:
        """The quarter of a unit file, the year of the targets workbook."""
        return span_of(self.year, self.quarter)

    @property
    def current_field(self) -> str:
        """The field of the quarter this submission reports ('' for the targets workbook)."""
        return quarter_field(self.quarter) if self.quarter else ""

    def located(self, found: Problem) -> Problem:
        """The problem with this submission's file, unit and period filled in."""
        return replace(found, file=self.file, unit=self.unit, period=str(self.period))


@dataclass(frozen=True)
class Submission:
    """A file identified as an official template, with its mapped cells as read."""

    file: str  # path relative to the inbox
    meta: TemplateMeta
    cells: tuple[CellReading, ...]

    @property
    def unit(self) -> str:
        """Unit code, '' for the targets workbook."""
        return self.meta.unit_code or ""

    @property
    def current_field(self) -> str:
        """The field of the quarter this submission reports ('' for the targets workbook)."""
        return quarter_field(self.meta.quarter) if self.meta.quarter else ""

    @property
    def identity(self) -> Identity:
        """Which submission this is, without its cells."""
        meta = self.meta
        kind, unit = sys.intern(meta.kind), sys.intern(self.unit)
        return Identity(self.file, kind, unit, meta.year, meta.quarter, self.effective_from)

    def located(self, found: Problem) -> Problem:
        """The problem with this submission's file, unit and period filled in."""
        return replace(found, file=self.file, unit=self.unit, period=str(self.meta.period))

    def inputs(self) -> Iterator[CellReading]:
        """Cells a person fills."""
        return (c for c in self.cells if c.editable)

    def numbers(self, field: str) -> dict[str, CellReading]:
        """Key -> cell of a field's cells that hold a number."""
        return {c.key: c for c in self.cells if c.field == field and c.kind == NUMBER}

    def noted(self) -> set[str]:
        """Keys whose remarks cell holds text (a reason a number is missing)."""
        return {c.key for c in self.cells if c.field == NOTE_FIELD and c.editable and c.text}

    @property
    def effective_from(self) -> int:
        """The first quarter a targets workbook's targets apply to (its Berlaku mulai); 1 for
        unit files and for workbooks that name none (or name no quarter: an error there)."""
        for c in self.cells:
            if (c.key, c.field) == (WORKBOOK_KEY, EFFECTIVE_FIELD):
                return parse_quarter(c.shown) or 1
        return 1

    def earlier_shown(self) -> dict[tuple[str, int], float]:
        """(variable, quarter) -> value of an earlier quarter the template shows, locked."""
        found = {}
        for c in self.cells:
            quarter = field_quarter(c.field)
            if c.editable or quarter is None or quarter >= (self.meta.quarter or 0):
                continue
            try:
                found[(c.key, quarter)] = float(c.expected)
            except ValueError:
                continue
        return found


class FileStatus(StrEnum):
    """What became of a file in the inbox: every file ends in exactly one."""

    ACCEPTED = "accepted"  # counted: the latest accepted submission for its unit and period
    SUPERSEDED = "superseded"  # valid, but a later accepted file of the same unit/period counts
    REJECTED = "rejected"  # a fatal or error problem: the unit must resubmit
    IGNORED = "ignored"  # not a submission (the collect manifest, a duplicate by content)

    @property
    def label(self) -> str:
        """The Indonesian word shown to users (counts, the command line)."""
        return _STATUS_WORDS[self]

    @property
    def description(self) -> str:
        """The same status said in full (report sheets, feedback): one vocabulary for all."""
        return _STATUS_DESCRIPTIONS[self]


_STATUS_DESCRIPTIONS = {
    FileStatus.ACCEPTED: "Diterima (dihitung)",
    FileStatus.SUPERSEDED: "Digantikan kiriman lebih baru",
    FileStatus.REJECTED: "Ditolak",
    FileStatus.IGNORED: "Diabaikan (bukan kiriman)",
}
_STATUS_WORDS = {
    FileStatus.ACCEPTED: "diterima",
    FileStatus.SUPERSEDED: "digantikan",
    FileStatus.REJECTED: "ditolak",
    FileStatus.IGNORED: "diabaikan",
}


EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC)
# What a file is a submission for: (kind, unit, period).
Slot = tuple[str, str, Period | Year | None]


class Receipt(StrEnum):
    """Where a file's receipt time comes from."""

    EMAIL = "email"  # the mail it came in (collect manifest)
    UNKNOWN = "unknown"  # saved into the inbox by hand with no recorded time


@dataclass(frozen=True)
class FileRecord:
    """One file found in the inbox and what became of it."""

    path: str  # relative to the inbox
    sha256: str
    size: int
    received_at: dt.datetime | None  # aware, in the office's time zone; None when unknown
    received_source: Receipt
    sender: str
    subject: str
    kind: str  # "unit", "targets" or "" when not an official template
    unit: str
    period: Period | Year | None  # None when the file was not identified
    status: FileStatus
    problems: tuple[Problem, ...] = ()
    reason: str = ""  # why a file is ignored or superseded, in Indonesian
    saved_at: dt.datetime | None = None  # when the file was saved into the inbox (its mtime)

    @property
    def moment(self) -> dt.datetime:
        """When the file arrived, for ordering: its receipt time, else its save time."""
        return self.received_at or self.saved_at or EARLIEST

    @property
    def slot(self) -> Slot:
        """What the file is a submission for: (kind, unit, period)."""
        return self.kind, self.unit, self.period


@dataclass(frozen=True)
class InboxScan:
    """The inbox read and validated."""

    files: tuple[FileRecord, ...]
    # schemas.frames.VALUES: for every (unit, year, quarter) in the inbox, the current-quarter
    # values of the counted submission only; earlier quarters shown locked in a template are
    # copies and are not read as data.
    values: pd.DataFrame
    # schemas.frames.TARGETS: every counted targets workbook (a version of the year's Rencana
    # Aksi), one row per indicator and version (pipeline.merge.targets).
    targets: pd.DataFrame
    # schemas.frames.NOTES: the remarks (Keterangan) of the counted submissions that hold text.
    notes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(NOTES.columns)))
    # schemas.frames.REVISIONS: every value a later file changed (merge/revisions.py).
    revisions: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=list(REVISIONS.columns))
    )
    # schemas.frames.FACTORS: faktor pendorong / penghambat / tindak lanjut (merge/texts.py).
    factors: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=list(FACTORS.columns))
    )
    # schemas.frames.ROSTER: who holds each position, per targets version (merge/texts.py).
    roster: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=list(ROSTER.columns)))

    @property
    def problems(self) -> list[Problem]:
        """All problems of all files, in file order."""
        return [p for f in self.files for p in f.problems]
