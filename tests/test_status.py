"""pipeline.status: the one rule for which file counts and which problem is open, everywhere."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.catalogue.model import Catalogue
from pipeline.cli import main
from pipeline.mail.manifest import ManifestEntry, read_manifest, write_manifest
from pipeline.periods import Period
from pipeline.problems import Problem, Severity
from pipeline.status import counted_first, open_files, open_problems
from pipeline.submission import FileStatus
from tests import corpus
from tests.test_report_scenario import record

WIB = dt.timezone(dt.timedelta(hours=7))
BAD = Problem("not-a-number", Severity.ERROR, "x")


def test_latest_received_counts_and_ties_go_by_name() -> None:
    t = dt.datetime(2018, 7, 5, tzinfo=WIB)
    group = [(t, "b.xlsx", "B"), (t + dt.timedelta(hours=1), "a.xlsx", "A"), (t, "c.xlsx", "C")]
    assert counted_first(group) == ["A", "C", "B"]


@pytest.mark.parametrize(
    ("accepted_day", "rejected_day", "open_"),
    [(8, 5, False), (5, 5, False), (5, 8, True)],
)
def test_a_rejected_file_is_settled_only_by_an_accepted_file_not_older(
    accepted_day: int, rejected_day: int, open_: bool
) -> None:
    accepted = record("ok.xlsx", "PEN", "2018-TW2", FileStatus.ACCEPTED, f"2018-07-0{accepted_day}")
    rejected = record(
        "bad.xlsx", "PEN", "2018-TW2", FileStatus.REJECTED, f"2018-07-0{rejected_day}", (BAD,)
    )
    files = [accepted, rejected]
    assert (rejected in open_files(files)) is open_
    assert (BAD in open_problems(files, Period(2018, 2))) is open_


def _mailed(path: Path, when: str) -> ManifestEntry:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return ManifestEntry(path.name, digest, "unit@malangkab.go.id", when, "IKI TW II", "")


@pytest.fixture(name="july")
def _july(catalogue: Catalogue, tmp_path: Path) -> Path:
    """Every unit's TW II accepted by 5 July; PEN then sends a rejected resubmission on 8 July."""
    ts = corpus.make_templates(catalogue, tmp_path / "templates")
    inbox = tmp_path / "inbox"
    entries = [
        _mailed(
            corpus.filled(ts, unit.code, inbox / f"{unit.code.lower()}.xlsx", catalogue),
            "2018-07-05T09:00:00+07:00",
        )
        for unit in catalogue.reporting_units()
    ]
    write_manifest(inbox, entries)
    return inbox


def _resend_bad(inbox: Path, catalogue: Catalogue, tmp_path: Path) -> None:
    ts = corpus.make_templates(catalogue, tmp_path / "templates")
    bad = corpus.filled(
        ts, "PEN", inbox / "pen_8_juli.xlsx", catalogue, **{"PEN.PENEMPATAN|TW2": "banyak"}
    )
    write_manifest(inbox, [*read_manifest(inbox), _mailed(bad, "2018-07-08T09:00:00+07:00")])


def _both(inbox: Path, out: Path) -> tuple[str, int, str, int]:
    runner = CliRunner()
    args = ["--inbox", str(inbox), "--period", "2018-TW2"]
    report = runner.invoke(main, ["report", *args, "--out", str(out)])
    validate = runner.invoke(main, ["validate", *args])
    return report.output, report.exit_code, validate.output, validate.exit_code


def test_july_case_report_and_validate_agree(
    july: Path, catalogue: Catalogue, tmp_path: Path
) -> None:
    """The accepted file counts; the later rejected one stays open in BOTH commands."""
    report, report_code, validate, validate_code = _both(july, tmp_path / "before")
    assert (report_code, validate_code) == (0, 0), report + validate  # a clean quarter
    _resend_bad(july, catalogue, tmp_path)
    report, report_code, validate, validate_code = _both(july, tmp_path / "out")
    assert (report_code, validate_code) == (1, 1), report + validate
    assert "Masalah data yang masih terbuka: 1 " in report
    assert "pen_8_juli.xlsx" in validate
    assert "1 berkas perlu ditindaklanjuti" in validate
    capaian = (tmp_path / "out" / "2018-TW2" / "capaian.csv").read_text(encoding="utf-8")
    assert "pen.xlsx" in capaian and "pen_8_juli.xlsx" not in capaian  # the accepted file counts
