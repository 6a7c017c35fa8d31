"""The report stage end to end: open problems, default period, the CLI and a real inbox."""

from __future__ import annotations

import datetime as dt
import os
import random
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from pipeline.catalogue import load_catalogue
from pipeline.cli import main
from pipeline.config import Config
from pipeline.errors import UsageError
from pipeline.fill import example_values, fill_workbook, read_meta
from pipeline.periods import Period
from pipeline.problems import Problem, Severity
from pipeline.run.report import latest_period, run_report
from pipeline.status import open_problems
from pipeline.submission import FileStatus, InboxScan
from pipeline.templates import generate_templates, write_targets_template
from tests.test_report_scenario import office_scan, record

TW2 = Period(2018, 2)


def _problem(code: str) -> Problem:
    return Problem(code, Severity.ERROR, "pesan")


def test_open_problems_only_for_this_period_and_not_yet_resolved() -> None:
    files = (
        # resolved: the unit resubmitted and was accepted
        record("a.xlsx", "PEN", "2018-TW2", FileStatus.REJECTED, "t", (_problem("fixed"),)),
        record("b.xlsx", "PEN", "2018-TW2", FileStatus.ACCEPTED, "t", (_problem("warn-pen"),)),
        # still open: no accepted file for PHI TW II
        record("c.xlsx", "PHI", "2018-TW2", FileStatus.REJECTED, "t", (_problem("open-phi"),)),
        # another year, a later quarter, a superseded file, an ignored file: not this report's
        record("d.xlsx", "PHI", "2017-TW4", FileStatus.REJECTED, "t", (_problem("old"),)),
        record("e.xlsx", "PHI", "2018-TW3", FileStatus.REJECTED, "t", (_problem("later"),)),
        record("f.xlsx", "SKU", "2018-TW1", FileStatus.SUPERSEDED, "t", (_problem("superseded"),)),
        record("g.csv", "", "", FileStatus.IGNORED, "t", (_problem("ignored"),), kind=""),
        # an unidentified file and this year's targets count
        record("h.xlsx", "", "", FileStatus.REJECTED, "t", (_problem("unknown-file"),), kind=""),
        record(
            "T.xlsx",
            "",
            "2018",
            FileStatus.ACCEPTED,
            "t",
            (_problem("target-warn"),),
            kind="targets",
        ),
        record(
            "T17.xlsx",
            "",
            "2017",
            FileStatus.REJECTED,
            "t",
            (_problem("old-target"),),
            kind="targets",
        ),
    )
    codes = [p.code for p in open_problems(files, TW2)]
    assert codes == ["warn-pen", "open-phi", "unknown-file", "target-warn"]


def test_latest_period_of_the_inbox() -> None:
    files = (
        record("a", "PEN", "2018-TW1", FileStatus.ACCEPTED, "t"),
        record("b", "PEN", "2018-TW3", FileStatus.REJECTED, "t"),
        record("T", "", "2019", FileStatus.ACCEPTED, "t", kind="targets"),
    )
    assert latest_period(files) == Period(2018, 3)
    with pytest.raises(UsageError):
        latest_period(files[2:])


@pytest.fixture(name="fake_scan")
def _fake_scan(monkeypatch: pytest.MonkeyPatch) -> InboxScan:
    scan = office_scan()
    monkeypatch.setattr("pipeline.run.ledger.scan_inbox", lambda *args, **kwargs: scan)
    return scan


def test_cli_summary_and_exit_code_1_when_problems_remain(
    fake_scan: InboxScan, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["report", "--inbox", str(inbox), "--period", "2018-TW2", "--out", str(out)]
    )
    assert result.exit_code == 1, result.output
    workbook = out / "2018-TW2" / "Capaian_IKI_2018_TW2.xlsx"
    assert result.stdout.splitlines() == [
        "Laporan Triwulan II 2018: 15 unit pelapor; 14 mengirim, 13 diterima (1 terlambat), "
        "1 ditolak, 1 belum mengirim.",
        "  Terlambat: KEU Sub Bagian Keuangan dan Aset.",
        "  Ditolak: PHI Seksi Penyelesaian Perselisihan Hubungan Industrial.",
        "  Belum mengirim: PMD Seksi Pemindahan dan Pengerahan.",
        "Indikator dengan capaian: 59 dari 67.",
        "Masalah data yang masih terbuka: 2 (lihat sheet Masalah Data; umpan balik per unit: "
        "iki validate --feedback FOLDER).",
        f"Laporan: {workbook}",
        f"CSV: {out / '2018-TW2' / 'capaian.csv'}, {out / '2018-TW2' / 'problems.csv'}, "
        f"{out / '2018-TW2' / 'revisions.csv'}",
    ]
    assert workbook.exists()


def test_cli_defaults_to_the_latest_period(fake_scan: InboxScan, tmp_path: Path) -> None:
    (tmp_path / "inbox").mkdir()
    result = CliRunner().invoke(
        main, ["report", "--inbox", str(tmp_path / "inbox"), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 1
    assert (tmp_path / "o" / "2018-TW2" / "Capaian_IKI_2018_TW2.xlsx").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2018-Q2"], "Periode '2018-Q2' tidak dikenal"),
        (["--inbox", "tidak-ada"], "Folder inbox tidak-ada tidak ada."),
    ],
)
def test_cli_usage_errors_exit_2(
    args: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["report", *args])
    assert result.exit_code == 2
    assert message in result.stderr


def _fill_all(sources: list[Path], inbox: Path, seed: int) -> None:
    catalogue = load_catalogue()
    rng = random.Random(seed)
    for src in sources:
        values = example_values(read_meta(src), catalogue, rng)
        fill_workbook(src, inbox / src.name, values)


def test_a_real_inbox_from_the_projects_own_templates(tmp_path: Path) -> None:
    """Generate, fill, scan and report: the whole chain on TW I, every unit on time."""
    catalogue = load_catalogue()
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    period = Period(2018, 1)
    templates = generate_templates(catalogue, period, tmp_path / "t", config=Config())
    targets = tmp_path / "Target_IKI_2018.xlsx"
    write_targets_template(targets, catalogue, 2018)
    _fill_all([*templates, targets], inbox, seed=3)
    on_time = dt.datetime.combine(period.deadline(10), dt.time(12)).timestamp()
    for path in inbox.iterdir():
        os.utime(path, (on_time, on_time))
    before = sorted((p.name, p.stat().st_mtime) for p in inbox.iterdir())
    result = run_report(inbox, None, tmp_path / "out", catalogue, Config())
    assert sorted((p.name, p.stat().st_mtime) for p in inbox.iterdir()) == before
    assert result.data.period == period
    # Saved by hand with no recorded time: counted, but neither on time nor late.
    assert result.accepted == result.units == 15 and result.count("no-time") == 15
    results = result.data.results
    # Every indicator computable from TW I alone has a realisation; growth compares with
    # last year's TW I from the targets workbook (no 2017 submission in this inbox).
    growth = results["kind"] == "growth"
    assert results.loc[~growth, "realisasi"].notna().all()
    assert set(results.loc[growth, "status"]) == {"ok"}
    assert set(results.loc[growth, "comparison"]) == {"baseline"}
    sheet = openpyxl.load_workbook(result.workbook, read_only=True)["Data"]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert len(rows) == len(catalogue.variables) + 2
    assert sorted((r[1], r[3], r[8]) for r in rows if r[1] == 2017) == [
        (2017, "PEN.PENEMPATAN", "Target_IKI_2018.xlsx"),
        (2017, "PKK.PENYERAPAN_TK", "Target_IKI_2018.xlsx"),
    ]


def test_an_empty_inbox_gives_a_report_of_missing_units(tmp_path: Path) -> None:
    (tmp_path / "inbox").mkdir()
    catalogue = load_catalogue()
    result = run_report(tmp_path / "inbox", TW2, tmp_path / "out", catalogue, Config())
    assert result.count("missing") == 15 and not result.clean
    assert result.data.results["capaian"].isna().all()
    assert set(result.data.results["reason"]) == {
        "Data triwulan belum lengkap; Target belum ditetapkan"
    }
    with pytest.raises(UsageError):
        run_report(tmp_path / "inbox", None, tmp_path / "out", catalogue, Config())


def test_progress_bar_only_for_long_runs(capsys: pytest.CaptureFixture[str]) -> None:
    from pipeline.cli.report import _progress_bar

    with _progress_bar() as progress:
        for done in range(1, 11):
            progress(done, 10)
    assert capsys.readouterr().err == ""
    with _progress_bar() as progress:
        for done in range(1, 61):
            progress(done, 60)
    assert "Membaca berkas" in capsys.readouterr().err
