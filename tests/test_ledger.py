"""Closing a quarter: its report is reproducible byte for byte; later changes wait for reopen."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.fill import fill_workbook, read_meta
from pipeline.inbox.read import read_workbook

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "inbox"
PEN_TW2 = "IKI_2018_TW2_Seksi_Penempatan_Tenaga_Kerja.xlsx"


def _report(inbox: Path, ledger: Path, out: Path, period: str = "2018-TW2") -> str:
    args = ["report", "--inbox", str(inbox), "--ledger", str(ledger), "--out", str(out)]
    result = CliRunner().invoke(main, [*args, "--period", period])
    assert result.exit_code == 1, result.output  # the example office has open problems
    return result.output


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(name="office")
def _office(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLE, tmp_path / "inbox")
    return tmp_path


def _resend_pen(inbox: Path, value: int) -> None:
    """PEN sends its TW II file again, one number changed (saved by hand, after the close)."""
    source = inbox / PEN_TW2
    fill_workbook(source, inbox / "PEN_TW2_koreksi.xlsx", {("PEN.PENEMPATAN", "TW2"): value})


def test_close_report_reopen(office: Path) -> None:
    inbox, ledger = office / "inbox", office / "ledger"
    _report(inbox, ledger, office / "a")
    runner = CliRunner()
    closed = runner.invoke(
        main, ["close", "2018-TW2", "--inbox", str(inbox), "--ledger", str(ledger)]
    )
    assert closed.exit_code == 0, closed.output
    again = runner.invoke(
        main, ["close", "2018-TW2", "--inbox", str(inbox), "--ledger", str(ledger)]
    )
    assert again.exit_code == 2 and "sudah ditutup" in again.output
    _resend_pen(inbox, 999)
    output = _report(inbox, ledger, office / "b")
    # The closed quarter's report is the recorded one, byte for byte.
    for name in ("Capaian_IKI_2018_TW2.xlsx", "capaian.csv", "problems.csv", "revisions.csv"):
        before = (office / "a" / "2018-TW2" / name).read_bytes()
        assert (office / "b" / "2018-TW2" / name).read_bytes() == before, name
    assert "sudah ditutup" in output and "diubah kiriman yang datang kemudian: 1" in output
    # A later quarter counts the recorded value and lists the change after close.
    _report(inbox, ledger, office / "c", "2018-TW3")
    late = [
        r
        for r in _rows(office / "c" / "2018-TW3" / "revisions.csv")
        if r["status"] == "after-close"
    ]
    assert [(r["variable"], r["value"], r["file"]) for r in late] == [
        ("PEN.PENEMPATAN", "999.0", "PEN_TW2_koreksi.xlsx")
    ]
    assert late[0]["old_file"] == PEN_TW2
    # Reopen: the reason is recorded, the old record archived, the change now counts.
    refused = runner.invoke(main, ["reopen", "2018-TW2", "--alasan", " ", "--ledger", str(ledger)])
    assert refused.exit_code == 2
    reopened = runner.invoke(
        main, ["reopen", "2018-TW2", "--alasan", "koreksi data SISNAKER", "--ledger", str(ledger)]
    )
    assert reopened.exit_code == 0, reopened.output
    history = _rows(ledger / "riwayat.csv")
    assert [(h["periode"], h["tindakan"], h["alasan"]) for h in history] == [
        ("2018-TW2", "ditutup", ""),
        ("2018-TW2", "dibuka kembali", "koreksi data SISNAKER"),
    ]
    assert len(list((ledger / "arsip").glob("2018-TW2-dibuka-*.json"))) == 1
    _report(inbox, ledger, office / "d")
    revised = [
        r
        for r in _rows(office / "d" / "2018-TW2" / "revisions.csv")
        if r["file"] == "PEN_TW2_koreksi.xlsx"
    ]
    assert [(r["value"], r["status"]) for r in revised] == [("999.0", "counted")]
    assert (office / "d" / "2018-TW2" / "capaian.csv").read_bytes() != (
        office / "a" / "2018-TW2" / "capaian.csv"
    ).read_bytes()


def test_templates_after_a_close_show_the_recorded_values(office: Path) -> None:
    inbox, ledger = office / "inbox", office / "ledger"
    runner = CliRunner()
    args = ["--inbox", str(inbox), "--ledger", str(ledger)]
    assert runner.invoke(main, ["close", "2018-TW2", *args]).exit_code == 0
    sent = read_workbook(inbox / PEN_TW2)
    mapped = read_meta(inbox / PEN_TW2).cell_of("PEN.PENEMPATAN", "TW2")
    assert mapped is not None
    recorded = sent.cells[(mapped.sheet, mapped.cell)]
    _resend_pen(inbox, 999)
    out = office / "tw3"
    made = runner.invoke(main, ["templates", "--period", "2018-TW3", *args, "--out", str(out)])
    assert made.exit_code == 0, made.output
    pen = next(out.glob("*Penempatan*"))
    shown = read_meta(pen).cell_of("PEN.PENEMPATAN", "TW2")
    assert shown is not None and not shown.editable
    assert float(shown.expected) == recorded != 999  # the recorded value, not the later one
