"""Everything the achievement workbook and its CSV files show, computed once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from pipeline.catalogue.model import Catalogue
from pipeline.compute.texts import Factors, Roster
from pipeline.config import Config
from pipeline.periods import Period
from pipeline.problems import Problem
from pipeline.submission import FileRecord, FileStatus
from schemas.frames import REVISIONS


@dataclass(frozen=True)
class ReportData:
    """Inputs of the report writers: pure data, no I/O."""

    period: Period
    catalogue: Catalogue
    config: Config
    results: pd.DataFrame  # compute.compute_indicators
    rollups: pd.DataFrame  # compute.rollup.rollup
    completeness: pd.DataFrame  # completeness.completeness
    data: pd.DataFrame  # the values used (this year and last year up to the quarter), with `note`
    files: tuple[FileRecord, ...]
    remaining: tuple[Problem, ...]  # problems still open for this period
    # schemas.frames.REVISIONS of this year's quarters up to the period
    revisions: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=list(REVISIONS.columns))
    )
    # schemas.frames.TARGETS: every counted version of the targets workbook (all years).
    targets: pd.DataFrame = field(default_factory=pd.DataFrame)
    # Who holds each position and where forms are signed (compute.texts.roster_in_effect).
    roster: Roster = field(default_factory=Roster)
    # Indicator -> its faktor pendorong / penghambat / tindak lanjut of the period's quarter.
    factors: dict[str, Factors] = field(default_factory=dict)
    # compute_indicators of the same quarter last year (empty frame when not computed).
    previous: pd.DataFrame = field(default_factory=pd.DataFrame)
    # The date printed beside the place of signing; None: a dotted line to write it by hand.
    signed_on: dt.date | None = None

    @property
    def problems(self) -> list[tuple[FileRecord, Problem]]:
        """Every problem of every file, with its file."""
        return [(f, p) for f in self.files for p in f.problems]

    @cached_property
    def remarks(self) -> dict[str, list[tuple[int, str]]]:
        """Variable -> (quarter, remark) of the units' remarks this year, by quarter."""
        data = self.data
        noted = data[(data["year"] == self.period.year) & (data["note"] != "")]
        found: dict[str, list[tuple[int, str]]] = {}
        for r in noted.sort_values("quarter", kind="stable").to_dict("records"):
            found.setdefault(str(r["variable"]), []).append((int(r["quarter"]), str(r["note"])))
        return found

    @property
    def rated_on_annual(self) -> int:
        """Indicators whose capaian is measured against the annual target (no quarterly one)."""
        return int((self.results["dasar"] == "tahunan").sum())

    @property
    def as_of(self) -> str:
        """Latest receipt time among the counted files ('' when none): the data's date.

        A targets revision that starts after the period's quarter bears on later reports only.
        """
        later: set[str] = set()
        if not self.targets.empty:
            versions = self.targets[self.targets["year"] == self.period.year]
            later = set(versions.loc[versions["effective_from"] > self.period.quarter, "file"])
        times = [
            f.received_at
            for f in self.files
            if f.status == FileStatus.ACCEPTED and f.received_at is not None and f.path not in later
        ]
        return max(times).isoformat(timespec="seconds") if times else ""
