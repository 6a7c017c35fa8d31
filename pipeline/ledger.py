"""The ledger of closed quarters: what a published report counted, kept outside the inbox.

Closing a quarter (`iki close 2018-TW2`) records the whole scan its report was made from: every
file by name and hash with its status and problems, every value, target and remark. From then
on the quarter's report is made from this record, byte for byte the same, whatever arrives in
the inbox; in later quarters' reports the closed quarters' values are the recorded ones, and a
later file that changes one of them is listed as a revision after close, not counted, until the
quarter is reopened (`iki reopen`, with a reason that is recorded).

This module is the pure part: a scan to and from JSON, and a closed quarter applied to a live
scan. Reading and writing the ledger folder is in `pipeline/run/ledger.py`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import pandera.pandas as pa

from pipeline.periods import Period, Year
from pipeline.problems import Problem, Severity
from pipeline.submission import FileRecord, FileStatus, InboxScan, Receipt
from schemas.frames import FACTORS, NOTES, REVISIONS, ROSTER, TARGETS, VALUES

LEDGER_VERSION = 1
KEYS = ["unit", "year", "quarter", "variable"]
_FRAMES: dict[str, pa.DataFrameSchema] = {
    "values": VALUES,
    "targets": TARGETS,
    "notes": NOTES,
    "revisions": REVISIONS,
    "factors": FACTORS,
    "roster": ROSTER,
}


@dataclass(frozen=True)
class ClosedQuarter:
    """One closed quarter: when, why (empty at a first close), and the scan it counted."""

    period: Period
    closed_at: dt.datetime
    catalogue_hash: str
    scan: InboxScan


def to_json(closed: ClosedQuarter) -> str:
    """The closed quarter as JSON text (stable: keys sorted, floats exact, NaN kept)."""
    body = {
        "ledger_version": LEDGER_VERSION,
        "period": str(closed.period),
        "closed_at": closed.closed_at.isoformat(),
        "catalogue_hash": closed.catalogue_hash,
        "files": [_file_json(f) for f in closed.scan.files],
        **{name: _frame_json(getattr(closed.scan, name)) for name in _FRAMES},
    }
    return json.dumps(body, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def from_json(text: str) -> ClosedQuarter:
    """A closed quarter from its JSON text; ValueError when it is not one."""
    body = json.loads(text)
    if body.get("ledger_version") != LEDGER_VERSION:
        raise ValueError(f"versi buku besar {body.get('ledger_version')!r} tidak dikenal")
    frames = {name: _frame(body[name], schema) for name, schema in _FRAMES.items() if name in body}
    scan = InboxScan(files=tuple(_file(f) for f in body["files"]), **frames)
    return ClosedQuarter(
        period=Period.parse(body["period"]),
        closed_at=dt.datetime.fromisoformat(body["closed_at"]),
        catalogue_hash=body["catalogue_hash"],
        scan=scan,
    )


def in_force(scan: InboxScan, closed: Sequence[ClosedQuarter]) -> InboxScan:
    """The live scan with every closed quarter's values as recorded.

    For each closed quarter (year y, quarter q): the values of y's quarters up to q are the
    recorded ones. A live value that differs from the recorded one, or that the record does
    not have, is not counted; it is listed among the revisions as 'after-close'.
    """
    values, late = scan.values, []
    for quarter in sorted(closed, key=lambda c: c.period):
        mine = _up_to(values, quarter.period)
        kept = _up_to(quarter.scan.values, quarter.period)
        late.append(_after_close(mine, kept))
        values = pd.concat([values[~_mask(values, quarter.period)], kept], ignore_index=True)
    values = values.sort_values(["year", "quarter", "unit", "variable"], kind="stable")
    revisions = pd.concat([scan.revisions, *late], ignore_index=True) if late else scan.revisions
    return dataclasses.replace(
        scan,
        values=VALUES.validate(values.reset_index(drop=True)),
        revisions=REVISIONS.validate(revisions.reset_index(drop=True)),
    )


def _mask(values: pd.DataFrame, period: Period) -> pd.Series:
    return (values["year"] == period.year) & (values["quarter"] <= period.quarter)


def _up_to(values: pd.DataFrame, period: Period) -> pd.DataFrame:
    return values[_mask(values, period)]


def _after_close(live: pd.DataFrame, kept: pd.DataFrame) -> pd.DataFrame:
    """Live values of closed quarters that differ from the record: revisions after close."""
    joined = live.merge(kept, on=KEYS, how="left", suffixes=("", "_kept"), indicator=True)
    new = joined["_merge"] == "left_only"
    changed = joined["value"].notna() & (joined["value"] != joined["value_kept"])
    rows = joined[(new & joined["value"].notna()) | (~new & changed)]
    frame = pd.DataFrame(
        {
            **{k: rows[k] for k in KEYS},
            "old_value": rows["value_kept"],
            "value": rows["value"],
            "old_file": rows["file_kept"].fillna(""),
            "old_cell": rows["cell_kept"].fillna(""),
            "file": rows["file"],
            "sheet": rows["sheet"],
            "cell": rows["cell"],
            "received_at": rows["received_at"],
            "status": "after-close",
        },
        columns=list(REVISIONS.columns),
    )
    return frame[frame["file"] != frame["old_file"]]


def _file_json(record: FileRecord) -> dict[str, Any]:
    return {
        "path": record.path,
        "sha256": record.sha256,
        "size": record.size,
        "received_at": _iso(record.received_at),
        "received_source": record.received_source.value,
        "sender": record.sender,
        "subject": record.subject,
        "kind": record.kind,
        "unit": record.unit,
        "period": "" if record.period is None else str(record.period),
        "status": record.status.value,
        "problems": [_problem_json(p) for p in record.problems],
        "reason": record.reason,
        "saved_at": _iso(record.saved_at),
    }


def _file(body: dict[str, Any]) -> FileRecord:
    return FileRecord(
        path=body["path"],
        sha256=body["sha256"],
        size=body["size"],
        received_at=_moment(body["received_at"]),
        received_source=Receipt(body["received_source"]),
        sender=body["sender"],
        subject=body["subject"],
        kind=body["kind"],
        unit=body["unit"],
        period=_span(body["period"]),
        status=FileStatus(body["status"]),
        problems=tuple(_problem(p) for p in body["problems"]),
        reason=body["reason"],
        saved_at=_moment(body["saved_at"]),
    )


def _problem_json(found: Problem) -> dict[str, Any]:
    return {**dataclasses.asdict(found), "severity": found.severity.value}


def _problem(body: dict[str, Any]) -> Problem:
    fields = {f.name for f in dataclasses.fields(Problem)}
    given = {k: v for k, v in body.items() if k in fields}
    return Problem(**{**given, "severity": Severity(body["severity"])})


def _frame_json(frame: pd.DataFrame) -> dict[str, Any]:
    return {"columns": list(frame.columns), "rows": frame.astype(object).values.tolist()}


def _frame(body: dict[str, Any], schema: pa.DataFrameSchema) -> pd.DataFrame:
    frame = pd.DataFrame(body["rows"], columns=body["columns"])
    return schema.validate(frame) if len(frame) else frame


def _iso(moment: dt.datetime | None) -> str:
    return "" if moment is None else moment.isoformat()


def _moment(text: str) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def _span(text: str) -> Period | Year | None:
    if not text:
        return None
    return Year(int(text)) if text.isdigit() else Period.parse(text)
