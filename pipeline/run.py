"""The `report` stage end to end: scan the inbox, compute, write the workbook and CSV files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.catalogue.model import Catalogue
from pipeline.completeness import LATE, MISSING, ON_TIME, REJECTED_UNIT, completeness
from pipeline.compute import compute_indicators
from pipeline.compute.rollup import rollup
from pipeline.config import Config
from pipeline.errors import UsageError
from pipeline.periods import Period
from pipeline.problems import Problem
from pipeline.report.data import ReportData
from pipeline.report.exports import (
    CAPAIAN_CSV,
    PROBLEMS_CSV,
    capaian_frame,
    problems_frame,
    write_csv,
)
from pipeline.report.workbook import workbook_name, write_workbook
from pipeline.submission import ACCEPTED, IGNORED, REJECTED, FileRecord, InboxScan

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RunResult:
    """What a report run produced, for the CLI to summarise."""

    data: ReportData
    workbook: Path
    capaian_csv: Path
    problems_csv: Path

    def count(self, status: str) -> int:
        """Number of reporting units with a completeness status."""
        return int((self.data.completeness["status"] == status).sum())

    @property
    def units(self) -> int:
        """Number of reporting units."""
        return len(self.data.completeness)

    @property
    def accepted(self) -> int:
        """Units whose data for the period is counted (on time or late)."""
        return self.count(ON_TIME) + self.count(LATE)

    @property
    def received(self) -> int:
        """Units that sent anything for the period."""
        return self.units - self.count(MISSING)

    @property
    def clean(self) -> bool:
        """No open problem and every unit's data counted."""
        return not self.data.remaining and self.accepted == self.units


def _parse(text: str) -> tuple[int, int | None] | None:
    """('2018-TW2' -> (2018, 2), '2018' -> (2018, None)); None when neither."""
    if text.isdigit():
        return int(text), None
    try:
        period = Period.parse(text)
    except UsageError:
        return None
    return period.year, period.quarter


def _relevant(record: FileRecord, period: Period) -> bool:
    """A file that bears on this period's report: this year's quarters so far, its targets."""
    if record.status == IGNORED:
        return False
    if not record.kind:
        return True  # not identified: its problems are open whatever it was meant to be
    parsed = _parse(record.period)
    if parsed is None:
        return True
    year, quarter = parsed
    if record.kind == "targets":
        return year == period.year
    return year == period.year and quarter is not None and quarter <= period.quarter


def remaining_problems(files: tuple[FileRecord, ...], period: Period) -> tuple[Problem, ...]:
    """Problems still open for the period.

    Those of counted files (warnings), of rejected files for a unit and period that has no
    accepted file yet, and of unidentified files; a rejected file that a later accepted one
    replaced is resolved.
    """
    relevant = [f for f in files if _relevant(f, period)]
    settled = {(f.kind, f.unit, f.period) for f in relevant if f.status == ACCEPTED}
    open_: list[Problem] = []
    for f in relevant:
        if f.status == ACCEPTED or (
            f.status == REJECTED and (f.kind, f.unit, f.period) not in settled
        ):
            open_.extend(f.problems)
    return tuple(open_)


def latest_period(files: tuple[FileRecord, ...]) -> Period:
    """The latest quarter any unit file in the inbox is for."""
    periods = []
    for f in files:
        parsed = _parse(f.period) if f.kind == "unit" else None
        if parsed and parsed[1] is not None:
            periods.append(Period(parsed[0], parsed[1]))
    if not periods:
        raise UsageError("Inbox tidak memuat isian unit; sebutkan --period, misalnya 2018-TW2.")
    return max(periods)


NOTE_KEYS = ["unit", "year", "quarter", "variable", "file"]


def _with_notes(values: pd.DataFrame, notes: pd.DataFrame) -> pd.DataFrame:
    """Values with column `note`: the unit's remark on that row of the same file ('' if none)."""
    remarks = notes[[*NOTE_KEYS, "note"]].astype({"year": int, "quarter": int})
    joined = values.merge(remarks, on=NOTE_KEYS, how="left", validate="one_to_one")
    joined["note"] = joined["note"].fillna("").astype(str)
    return joined.set_axis(values.index)


def _data_table(
    values: pd.DataFrame, notes: pd.DataFrame, catalogue: Catalogue, period: Period
) -> pd.DataFrame:
    """The values this report uses, with the units' remarks, in the office's order."""
    used = values[
        values["year"].isin([period.year, period.year - 1]) & (values["quarter"] <= period.quarter)
    ]
    used = _with_notes(used, notes)
    unit_order = {u.code: i for i, u in enumerate(catalogue.units)}
    var_order = {v.code: i for i, v in enumerate(catalogue.variables)}
    used = used[used["variable"].isin(list(var_order))]
    keys = pd.DataFrame(
        {
            "u": used["unit"].map(unit_order),
            "y": -used["year"],
            "q": used["quarter"],
            "v": used["variable"].map(var_order),
        }
    )
    order = keys.sort_values(["u", "y", "q", "v"], kind="stable").index
    return used.loc[order].reset_index(drop=True)


def build_report(
    scan: InboxScan, catalogue: Catalogue, config: Config, period: Period
) -> ReportData:
    """Compute everything the report shows from a scanned inbox (no I/O)."""
    results = compute_indicators(scan.values, scan.targets, catalogue, period, config.bands)
    return ReportData(
        period=period,
        catalogue=catalogue,
        config=config,
        results=results,
        rollups=rollup(results, catalogue, config.rollup_cap, config.bands),
        completeness=completeness(scan.files, catalogue, period, config.deadline_days),
        data=_data_table(scan.values, scan.notes, catalogue, period),
        files=scan.files,
        remaining=remaining_problems(scan.files, period),
        targets=scan.targets,
    )


def write_report(data: ReportData, out_dir: Path) -> RunResult:
    """Write the workbook, capaian.csv and problems.csv into out_dir/<period>/."""
    folder = out_dir / str(data.period)
    return RunResult(
        data=data,
        workbook=write_workbook(data, folder / workbook_name(data)),
        capaian_csv=write_csv(capaian_frame(data), folder / CAPAIAN_CSV),
        problems_csv=write_csv(problems_frame(data), folder / PROBLEMS_CSV),
    )


def _scan_inbox(
    inbox: Path, catalogue: Catalogue, config: Config, progress: Progress | None, jobs: int
) -> InboxScan:
    from pipeline.inbox import scan_inbox  # the readers load only when an inbox is scanned

    return scan_inbox(inbox, catalogue, config, progress=progress, jobs=jobs)


def run_report(
    inbox: Path,
    period: Period | None,
    out_dir: Path,
    catalogue: Catalogue,
    config: Config,
    *,
    progress: Progress | None = None,
    jobs: int = 1,
) -> RunResult:
    """Scan the inbox, compute the period (default: the latest in the inbox), write it all.

    jobs: processes reading the inbox's files (for thousands of files; same results).
    """
    if not inbox.is_dir():
        raise UsageError(f"Folder inbox {inbox} tidak ada.")
    scan = _scan_inbox(inbox, catalogue, config, progress, jobs)
    chosen = period or latest_period(scan.files)
    return write_report(build_report(scan, catalogue, config, chosen), out_dir)


__all__ = ["REJECTED_UNIT", "RunResult", "build_report", "run_report", "write_report"]
