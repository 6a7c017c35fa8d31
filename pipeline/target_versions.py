"""Versions of a year's Rencana Aksi: every accepted targets workbook, in the order received.

A targets workbook says from which quarter its targets apply (`Berlaku mulai`, TW I for the
original, murni, targets). The targets of quarter q come from the LATEST RECEIVED accepted
version whose first quarter is q or earlier: a revision (perubahan) from TW III leaves TW I
and TW II with the targets they were reported against. A version that no quarter takes its
targets from any more (a later one starts at the same quarter or earlier) is superseded;
the others all count, each for its own quarters.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence

import pandas as pd

from pipeline.contract import (
    CALCULATION_FIELD,
    EFFECTIVE_FIELD,
    KIND_TARGETS,
    POLARITY_FIELD,
    TARGET_QUARTER_FIELDS,
    WORKBOOK_KEY,
)
from pipeline.inbox_frames import number_at
from pipeline.measure import PERHITUNGAN
from pipeline.rencana import POLARITIES, parse_choice, parse_quarter
from pipeline.validate.cells import Submission
from pipeline.validate.identity import TARGET_FIELD
from schemas.frames import TARGETS

TARGET_COLUMNS = list(TARGETS.columns)


def effective_quarter(sub: Submission) -> int:
    """The first quarter a submission's targets apply to: 1 unless it says a later one."""
    cell = sub.meta.cell_of(WORKBOOK_KEY, EFFECTIVE_FIELD)
    if sub.meta.kind != KIND_TARGETS or cell is None:
        return 1
    return parse_quarter(sub.cells.get((cell.sheet, cell.cell))) or 1


def replaced_by(starts: Sequence[int]) -> list[int | None]:
    """For versions in the order received (each its first quarter), which one replaces each.

    A version is replaced entirely by the latest later one that starts at the same quarter
    or earlier (None when some quarter still takes its targets). Unit submissions all start
    at 1, so the latest replaces every earlier one, as before.
    """
    replaced: list[int | None] = []
    for index, start in enumerate(starts):
        later = [j for j in range(index + 1, len(starts)) if starts[j] <= start]
        replaced.append(later[-1] if later else None)
    return replaced


def instant(received_at: str) -> dt.datetime:
    """An ISO receipt time as an aware instant (naive times are taken as UTC)."""
    try:
        moment = dt.datetime.fromisoformat(received_at)
    except ValueError:
        return dt.datetime.min.replace(tzinfo=dt.UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def in_receipt_order(subs: Sequence[Submission], received: Mapping[str, str]) -> list[Submission]:
    """Submissions oldest first by receipt time, ties by file name (as the scan orders them)."""
    return sorted(subs, key=lambda s: (instant(received.get(s.file, "")), s.file))


def versions_frame(counted: Sequence[Submission], received: Mapping[str, str]) -> pd.DataFrame:
    """schemas.frames.TARGETS: one row per indicator of every counted targets workbook.

    `version` numbers a year's workbooks 1, 2, ... in the order received; each row keeps
    its workbook's `effective_from`, the plan's numbers (NaN when empty), the words chosen
    ('' when none: the catalogue's apply), and the file and cell of every number.
    """
    rows: list[dict[str, object]] = []
    numbering: dict[int, int] = {}
    targets = [s for s in counted if s.meta.kind == KIND_TARGETS]
    for sub in in_receipt_order(targets, received):
        year = sub.meta.year
        numbering[year] = numbering.get(year, 0) + 1
        rows.extend(_rows(sub, numbering[year], received.get(sub.file, "")))
    frame = pd.DataFrame(rows, columns=TARGET_COLUMNS)
    frame = frame.sort_values(["year", "version", "indicator"], kind="stable")
    return TARGETS.validate(frame.reset_index(drop=True))


def _rows(sub: Submission, version: int, received_at: str) -> list[dict[str, object]]:
    start = effective_quarter(sub)
    found = []
    for cell in sub.meta.inputs():
        if cell.field != TARGET_FIELD:
            continue
        row: dict[str, object] = {
            "indicator": cell.key,
            "year": sub.meta.year,
            "version": version,
            "effective_from": start,
            "target": number_at(sub, cell.sheet, cell.cell),
            "perhitungan": _word(sub, cell.key, CALCULATION_FIELD, PERHITUNGAN),
            "polaritas": _word(sub, cell.key, POLARITY_FIELD, POLARITIES),
            "file": sub.file,
            "sheet": cell.sheet,
            "target_cell": cell.cell,
            "received_at": received_at,
        }
        for quarter, field in enumerate(TARGET_QUARTER_FIELDS, start=1):
            mapped = sub.meta.cell_of(cell.key, field)
            value = number_at(sub, mapped.sheet, mapped.cell) if mapped else math.nan
            row[f"target_tw{quarter}"] = value
            row[f"cell_tw{quarter}"] = mapped.cell if mapped else ""
        found.append(row)
    return found


def _word(sub: Submission, key: str, field: str, choices: tuple[str, ...]) -> str:
    cell = sub.meta.cell_of(key, field)
    if cell is None:
        return ""
    return parse_choice(sub.cells.get((cell.sheet, cell.cell)), choices) or ""
