"""Completeness: did each reporting unit send its data for the period, and on time?

A unit is `on-time` when its counted (accepted) file was received on or before the deadline
(the calendar date of `received_at` in its own time zone), `late` when after it,
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
STATUS_LABELS = {
    ON_TIME: "Tepat waktu",
    LATE: "Terlambat",
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


def _unit_row(unit_files: list[FileRecord], deadline: dt.date) -> dict[str, object]:
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
        day = chosen.received_at.date()
        late = day > deadline
        row["status"] = LATE if late else ON_TIME
        row["days_late"] = (day - deadline).days if late else None
    elif rejected:
        chosen = rejected[-1]
        row["status"] = REJECTED_UNIT
    else:
        row["status"] = MISSING
        return row
    received = chosen.received_at.isoformat(timespec="seconds")
    row.update(received_at=received, sender=chosen.sender, file=chosen.path)
    return row


def completeness(
    files: tuple[FileRecord, ...] | list[FileRecord],
    catalogue: Catalogue,
    period: Period,
    deadline_days: int,
) -> pd.DataFrame:
    """One row per reporting unit (office order) with its status for the period (COLUMNS)."""
    deadline = period.deadline(deadline_days)
    by_unit: dict[str, list[FileRecord]] = {}
    for f in files:
        if f.kind == KIND_UNIT and f.period == period:
            by_unit.setdefault(f.unit, []).append(f)
    rows = []
    for unit in catalogue.reporting_units():
        unit_files = sorted(by_unit.get(unit.code, []), key=lambda f: (f.received_at, f.path))
        row = _unit_row(unit_files, deadline)
        row.update(
            unit=unit.code,
            name=unit.nama,
            bidang=catalogue.top_unit(unit.code).code,
            deadline=deadline.isoformat(),
        )
        rows.append(row)
    return pd.DataFrame(rows, columns=list(COLUMNS))
