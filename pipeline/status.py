"""Which file counts and which problem is still open: the one rule every command asks.

- Of the accepted files for one slot (kind, unit, period), the latest received counts (ties by
  name); the others are superseded. A targets workbook counts from its Berlaku mulai
  quarter on (`Submission.effective_from`; unit files all start at TW I): an earlier one is
  superseded only by a later one that starts at the same quarter or earlier, so a revision
  from TW III leaves the original targets counting for TW I and TW II.
- A file's problems are open when the file counts (its warnings), when it is rejected and no
  accepted file of its slot arrived at the same time or later, and when it could not be
  identified at all. A rejected file is settled only by an accepted file that is not older:
  a rejected resubmission after an accepted file still needs the unit's attention.
- A file bears on a quarter's report when it is for that year: the targets workbook, or a
  quarter up to the report's. Unidentified files bear on every report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TypeVar

from pipeline.contract import KIND_UNIT
from pipeline.errors import UsageError
from pipeline.periods import Period, Year
from pipeline.problems import Problem, Severity
from pipeline.submission import FileRecord, FileStatus, Slot

T = TypeVar("T")
BLOCKING = (Severity.FATAL, Severity.ERROR)


def counted_first(group: Iterable[tuple[dt.datetime, str, T]]) -> list[T]:
    """The items of one slot's accepted files, the one that counts first (latest received)."""
    ranked = sorted(group, key=lambda item: (item[0], item[1]), reverse=True)
    return [item[2] for item in ranked]


def superseded_by(
    group: Iterable[tuple[dt.datetime, str, T]], starts: Mapping[T, int]
) -> dict[T, T]:
    """Of one slot's accepted files, each superseded one and the file that supersedes it.

    A file is superseded by the latest file received after it (ties by name) whose first
    quarter (`starts`, 1 for unit files) is the same or earlier; one no later file covers
    from its first quarter on still counts.
    """
    ranked = [item for _, _, item in sorted(group, key=lambda item: (item[0], item[1]))]
    replaced: dict[T, T] = {}
    for index, item in enumerate(ranked):
        later = [other for other in ranked[index + 1 :] if starts[other] <= starts[item]]
        if later:
            replaced[item] = later[-1]
    return replaced


def bears_on(record: FileRecord, period: Period) -> bool:
    """Whether a file's problems matter for the report of `period`."""
    if record.status == FileStatus.IGNORED:
        return False
    if not isinstance(record.period, Period | Year):
        return True  # not identified: its problems are open whatever it was meant to be
    return period.covers(record.period)


def open_files(files: Sequence[FileRecord], period: Period | None = None) -> list[FileRecord]:
    """Files whose problems still need action (for one period's report, or for the inbox)."""
    relevant = [f for f in files if period is None or bears_on(f, period)]
    counted = {f.slot: f.moment for f in relevant if f.status == FileStatus.ACCEPTED}
    return [f for f in relevant if any(p.is_open for p in f.problems) and _open(f, counted)]


def open_problems(files: Sequence[FileRecord], period: Period | None = None) -> tuple[Problem, ...]:
    """Problems still open, in file order (a warning explained in Keterangan is not)."""
    return tuple(p for f in open_files(files, period) for p in f.problems if p.is_open)


def blocking(files: Sequence[FileRecord]) -> bool:
    """Whether a fatal or error problem is still open among these files."""
    return any(p.severity in BLOCKING for p in open_problems(files))


def _open(record: FileRecord, counted: Mapping[Slot, dt.datetime]) -> bool:
    if record.status == FileStatus.ACCEPTED:
        return True
    if record.status != FileStatus.REJECTED:
        return False
    if not record.kind:
        return True
    later = counted.get(record.slot)
    return later is None or later < record.moment


def latest_period(files: Sequence[FileRecord]) -> Period:
    """The latest quarter any unit file in the inbox is for (a plausible one: see identify)."""
    periods = [f.period for f in files if f.kind == KIND_UNIT and isinstance(f.period, Period)]
    if not periods:
        raise UsageError("Inbox tidak memuat isian unit; sebutkan --period, misalnya 2018-TW2.")
    return max(periods)
