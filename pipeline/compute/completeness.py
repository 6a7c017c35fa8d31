"""Completeness: did each reporting unit send its data for the period, and on time?

A unit is `on-time` when its counted (accepted) file was received before the end of the
deadline day in the office's time zone (an instant: 23:59 WIB on the day is on time, whatever
zone the mail's Date header was written in), `late` when at or after it, `no-time` when the
counted file has no receipt time (saved into the inbox by hand: neither on time nor late),
`rejected` when it sent files but none was accepted, and `missing` when it sent nothing.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pipeline.catalogue.model import Catalogue
from pipeline.contract import KIND_UNIT
from pipeline.periods import Period
from pipeline.submission import FileRecord, FileStatus

ON_TIME, LATE, MISSING, REJECTED_UNIT = "on-time", "late", "missing", "rejected"
NO_TIME = "no-time"
STATUS_LABELS = {
    ON_TIME: "Tepat waktu",
    LATE: "Terlambat",
    NO_TIME: "Diterima, waktu tidak diketahui",
    MISSING: "Belum mengirim",
    REJECTED_UNIT: "Ditolak",
}
COLUMNS = (
    "unit",
    "name",
    "bidang",
    "status",
    "received_at",
    "deadline",
    "days_late",
    "sender",
    "file",
    "superseded",
    "rejected",
    "problems",
)


def _unit_row(unit_files: list[FileRecord], deadline: dt.datetime) -> dict[str, object]:
    counted = [f for f in unit_files if f.status == FileStatus.ACCEPTED]
    rejected = [f for f in unit_files if f.status == FileStatus.REJECTED]
    row: dict[str, object] = {
        "superseded": sum(f.status == FileStatus.SUPERSEDED for f in unit_files),
        "rejected": len(rejected),
        "problems": sum(len(f.problems) for f in unit_files),
        "received_at": "",
        "days_late": None,
        "sender": "",
        "file": "",
    }
    if counted:
        chosen = counted[-1]
        row["status"], row["days_late"] = _timeliness(chosen.received_at, deadline)
    elif rejected:
        chosen = rejected[-1]
        row["status"] = REJECTED_UNIT
    else:
        row["status"] = MISSING
        return row
    moment = chosen.received_at
    received = moment.isoformat(timespec="seconds") if moment else ""
    row.update(received_at=received, sender=chosen.sender, file=chosen.path)
    return row


def _timeliness(received: dt.datetime | None, deadline: dt.datetime) -> tuple[str, int | None]:
    """Status and days late of a counted file, against the instant the deadline day ends."""
    if received is None:
        return NO_TIME, None
    if received < deadline:
        return ON_TIME, None
    day = received.astimezone(deadline.tzinfo).date()
    return LATE, (day - deadline.date()).days + 1


def completeness(
    files: tuple[FileRecord, ...] | list[FileRecord],
    catalogue: Catalogue,
    period: Period,
    deadline_days: int,
    zone: dt.tzinfo,
) -> pd.DataFrame:
    """One row per reporting unit (office order) with its status for the period (COLUMNS)."""
    deadline = period.deadline(deadline_days)
    ends = dt.datetime.combine(deadline + dt.timedelta(days=1), dt.time(), zone)
    by_unit: dict[str, list[FileRecord]] = {}
    for f in files:
        if f.kind == KIND_UNIT and f.period == period:
            by_unit.setdefault(f.unit, []).append(f)
    rows = []
    for unit in catalogue.reporting_units():
        unit_files = sorted(by_unit.get(unit.code, []), key=lambda f: (f.moment, f.path))
        row = _unit_row(unit_files, ends)
        row.update(
            unit=unit.code,
            name=unit.nama,
            bidang=catalogue.top_unit(unit.code).code,
            deadline=deadline.isoformat(),
        )
        rows.append(row)
    return pd.DataFrame(rows, columns=list(COLUMNS))
