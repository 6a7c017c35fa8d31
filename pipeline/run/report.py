"""The `report` stage end to end: scan the inbox, compute, write the workbook and CSV files."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline import paths
from pipeline.catalogue.model import Catalogue
from pipeline.compute import compute_indicators
from pipeline.compute.completeness import (
    LATE,
    MISSING,
    NO_TIME,
    ON_TIME,
    REJECTED_UNIT,
    completeness,
)
from pipeline.compute.rollup import rollup
from pipeline.compute.texts import factors_of, roster_in_effect
from pipeline.config import Config
from pipeline.errors import UsageError
from pipeline.inbox.readcache import ReadCache
from pipeline.ledger import ClosedQuarter
from pipeline.merge.data import data_table
from pipeline.outputs import output_set
from pipeline.periods import Period
from pipeline.report.data import ReportData
from pipeline.report.exports import (
    CAPAIAN_CSV,
    PROBLEMS_CSV,
    REVISIONS_CSV,
    capaian_frame,
    problems_frame,
    write_csv,
)
from pipeline.report.pdf import PdfResult, make_pdfs, pdf_names
from pipeline.report.workbook import READABLE, workbook_name, write_workbook
from pipeline.run.ledger import scan_in_force
from pipeline.status import latest_period, open_problems
from pipeline.submission import InboxScan

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RunResult:
    """What a report run produced, for the CLI to summarise."""

    data: ReportData
    workbook: Path
    capaian_csv: Path
    problems_csv: Path
    revisions_csv: Path | None = None
    closed: ClosedQuarter | None = None  # the period's record, when it is closed
    after_close: int = 0  # values of closed quarters changed later, not counted
    pdfs: tuple[Path, ...] = ()  # Evaluasi, IKI Pegawai, Ringkasan as PDF (--pdf)
    pdf_notice: str = ""  # why a PDF was not made, or a word on fonts ('' when all is well)

    def count(self, status: str) -> int:
        """Number of reporting units with a completeness status."""
        return int((self.data.completeness["status"] == status).sum())

    @property
    def units(self) -> int:
        """Number of reporting units."""
        return len(self.data.completeness)

    @property
    def accepted(self) -> int:
        """Units whose data for the period is counted (on time, late, or without a time)."""
        return self.count(ON_TIME) + self.count(LATE) + self.count(NO_TIME)

    @property
    def received(self) -> int:
        """Units that sent anything for the period."""
        return self.units - self.count(MISSING)

    @property
    def clean(self) -> bool:
        """No open problem and every unit's data counted."""
        return not self.data.remaining and self.accepted == self.units


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
        completeness=completeness(scan.files, catalogue, period, config.deadline_days, config.zone),
        data=data_table(scan.values, scan.notes, catalogue, period),
        files=scan.files,
        remaining=open_problems(scan.files, period),
        revisions=_this_year(scan.revisions, period),
        targets=scan.targets,
        roster=roster_in_effect(scan.roster, period),
        factors=factors_of(scan.factors, period),
        previous=compute_indicators(
            scan.values, scan.targets, catalogue, period.previous_year(), config.bands
        ),
    )


def _this_year(frame: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Rows of the period's year up to its quarter."""
    kept = frame[(frame["year"] == period.year) & (frame["quarter"] <= period.quarter)]
    return kept.reset_index(drop=True)


def write_report(
    data: ReportData,
    out_dir: Path,
    *,
    on_wait: Callable[[], None] | None = None,
    pdf: bool = False,
    soffice: str | None = None,
) -> RunResult:
    """Write the workbook, capaian.csv, problems.csv, revisions.csv (and with `pdf` the PDFs
    of Evaluasi, IKI Pegawai and Ringkasan) into out_dir/<period>/, as one set.

    on_wait: called if another run is writing into the same folder (this one waits).
    The PDFs are made first, in a temporary folder; a PDF LibreOffice cannot make is left
    out of the set (with the reason in `pdf_notice`), the rest is written either way.
    """
    folder = out_dir / str(data.period)
    indonesian = data.config.csv_indonesia
    with tempfile.TemporaryDirectory(prefix="iki-pdf-") as work:
        made = make_pdfs(data, Path(work), soffice) if pdf else PdfResult()
        names = (workbook_name(data), CAPAIAN_CSV, PROBLEMS_CSV, REVISIONS_CSV, *made.files)
        with output_set(folder, names, on_wait=on_wait, ours=pdf_names(data)) as staging:
            write_workbook(data, staging / names[0])
            write_csv(capaian_frame(data), staging / CAPAIAN_CSV, indonesian=indonesian)
            write_csv(problems_frame(data), staging / PROBLEMS_CSV, indonesian=indonesian)
            write_csv(data.revisions, staging / REVISIONS_CSV, indonesian=indonesian)
            for name, source in made.files.items():
                shutil.copyfile(source, staging / name)
                (staging / name).chmod(READABLE)
    return RunResult(
        data=data,
        workbook=folder / names[0],
        capaian_csv=folder / CAPAIAN_CSV,
        problems_csv=folder / PROBLEMS_CSV,
        revisions_csv=folder / REVISIONS_CSV,
        pdfs=tuple(folder / name for name in made.files),
        pdf_notice=made.notice,
    )


def run_report(
    inbox: Path,
    period: Period | None,
    out_dir: Path,
    catalogue: Catalogue,
    config: Config,
    *,
    progress: Progress | None = None,
    jobs: int = 1,
    on_wait: Callable[[], None] | None = None,
    ledger: Path = paths.LEDGER_DIR,
    pdf: bool = False,
    signed_on: dt.date | None = None,
    cache: ReadCache | None = None,
) -> RunResult:
    """Scan the inbox, compute the period (default: the latest in the inbox), write it all.

    A closed period is reported from its record in the ledger (the same bytes as when it was
    closed); later periods count closed quarters as recorded.
    jobs: processes reading the inbox's files (for thousands of files; same results);
    on_wait: called if another run is writing into the same output folder; pdf: also the
    printed forms as PDF (LibreOffice); signed_on: the date printed beside the signatures;
    cache: reads of earlier runs by the files' bytes (pipeline.inbox.readcache).
    """
    if not inbox.is_dir():
        raise UsageError(f"Folder inbox {inbox} tidak ada.")
    force = scan_in_force(
        inbox, catalogue, config, ledger, period, progress=progress, jobs=jobs, cache=cache
    )
    data = build_report(force.scan, catalogue, config, force.period)
    data = dataclasses.replace(data, signed_on=signed_on)
    result = write_report(data, out_dir, on_wait=on_wait, pdf=pdf)
    return dataclasses.replace(result, closed=force.closed, after_close=force.after_close)


__all__ = [
    "REJECTED_UNIT",
    "RunResult",
    "build_report",
    "latest_period",
    "run_report",
    "write_report",
]
