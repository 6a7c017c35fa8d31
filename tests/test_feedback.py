"""Feedback per unit and the `iki validate` command: what is printed, written and returned."""

from __future__ import annotations

import csv
import datetime as dt
import email
import email.policy
import hashlib
import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.catalogue.model import Catalogue
from pipeline.cli import main
from pipeline.config import Config
from pipeline.feedback import build_feedback
from pipeline.mail.manifest import ManifestEntry, write_manifest
from pipeline.problems import PROBLEM_COLUMNS
from pipeline.run.scan import scan_inbox
from pipeline.status import open_files
from tests import corpus

T0 = dt.datetime(2018, 7, 2, 8, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def inbox(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """IPK sent a bad file; KEU a bad file then a good one; PEN a good one; one stray file."""
    ts = corpus.make_templates(catalogue, tmp_path_factory.mktemp("templates"))
    folder = tmp_path_factory.mktemp("inbox")
    ipk = corpus.filled(
        ts, "IPK", folder / "ipk.xlsx", catalogue, **{"IPK.PENCAKER_BIMJAB|TW2": "12 orang"}
    )
    keu_bad = corpus.filled(ts, "KEU", folder / "keu_1.xlsx", catalogue, **{"KEU.SPP_AJU|TW2": "-"})
    keu_good = corpus.filled(ts, "KEU", folder / "keu_2.xlsx", catalogue)
    corpus.filled(ts, "PEN", folder / "pen.xlsx", catalogue)
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4 surat pengantar")
    for offset, path in enumerate((ipk, keu_bad, keu_good)):
        corpus.set_time(path, T0 + dt.timedelta(hours=offset))
    entries = [
        ManifestEntry(p.name, hashlib.sha256(p.read_bytes()).hexdigest(), who, "", "IKI", "")
        for p, who in ((ipk, "ipk@malangkab.go.id"), (folder / "scan.pdf", "x@mail.id"))
    ]
    write_manifest(folder, entries)
    return folder


def test_open_files_and_feedback(catalogue: Catalogue, inbox: Path) -> None:
    scan = scan_inbox(inbox, catalogue, Config())
    assert sorted(f.path for f in open_files(scan.files)) == ["ipk.xlsx", "scan.pdf"]
    messages = build_feedback(scan.files, catalogue, Config(), dt.date(2018, 7, 4))
    assert [(m.key, m.recipients) for m in messages] == [
        ("IPK", ("ipk@malangkab.go.id",)),
        ("tanpa-unit-x-mail-id", ("x@mail.id",)),
    ]
    text = messages[0].text
    assert "Kepada: Seksi Informasi Pasar Kerja" in text
    assert "Perihal: Perbaikan isian IKI Triwulan II 2018" in text
    assert "Status: DITOLAK" in text
    label = catalogue.variable("IPK.PENCAKER_BIMJAB").label
    assert f"Sel Isian!H9 ({label}, kolom TW II): Sel berisi '12 orang'" in text
    assert "Ketik angkanya saja (12)" in text
    assert "Batas waktu pengiriman triwulan ini: 10 Juli 2018." in text
    # Saved by hand: the file's time says when it was copied, not when it was sent.
    assert re.search(r"^Berkas: ipk\.xlsx \(waktu terima tidak diketahui\)$", text, re.M)


def test_cli_validate_table_feedback_and_exit_code(inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "umpan"
    result = CliRunner().invoke(
        main,
        ["validate", "--inbox", str(inbox), "--feedback", str(out), "--tanggal", "2018-07-04"],
        catch_exceptions=False,
    )
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].split()[:5] == ["Berkas", "Status", "berkas", "Unit", "Periode"]
    assert any(
        line.startswith("ipk.xlsx") and "number-with-unit" in line and "12 orang" in line
        for line in lines
    )
    assert "6 berkas: 2 diterima, 0 digantikan, 3 ditolak, 1 diabaikan." in result.output
    assert "1 berkas ditolak sudah digantikan kiriman baru yang diterima." in result.output
    # Each problem shows what became of its file (a superseded file's problems need nothing).
    ipk_line = next(line for line in lines if line.startswith("ipk.xlsx"))
    assert ipk_line.split()[:3] == ["ipk.xlsx", "ditolak", "IPK"]
    assert sorted(p.name for p in out.iterdir()) == [
        "umpan_balik_IPK.eml",
        "umpan_balik_IPK.txt",
        "umpan_balik_tanpa-unit-x-mail-id.eml",
        "umpan_balik_tanpa-unit-x-mail-id.txt",
    ]
    draft = email.message_from_bytes(
        (out / "umpan_balik_IPK.eml").read_bytes(), policy=email.policy.default
    )
    assert draft["To"] == "ipk@malangkab.go.id"
    assert draft["X-Unsent"] == "1"
    assert "Isian!H9" in draft.get_body().get_content()  # type: ignore[union-attr]


def test_cli_validate_csv_and_period(inbox: Path) -> None:
    result = CliRunner().invoke(main, ["validate", "--inbox", str(inbox), "--format", "csv"])
    assert result.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert tuple(rows[0]) == PROBLEM_COLUMNS
    assert {(r["file"], r["code"], r["severity"]) for r in rows} == {
        ("ipk.xlsx", "number-with-unit", "error"),
        ("keu_1.xlsx", "text-for-zero", "error"),
        ("scan.pdf", "not-xlsx", "fatal"),
    }
    other = CliRunner().invoke(main, ["validate", "--inbox", str(inbox), "--period", "2018-TW1"])
    assert other.exit_code == 1  # the unreadable pdf belongs to no period: still shown
    assert "ipk.xlsx" not in other.output  # TW II does not bear on TW I's report
    later = CliRunner().invoke(main, ["validate", "--inbox", str(inbox), "--period", "2018-TW3"])
    assert "ipk.xlsx" in later.output  # TW II's values add up into TW III's report
    bad = CliRunner().invoke(main, ["validate", "--inbox", str(inbox), "--period", "TW3"])
    assert bad.exit_code == 2
    hint = "1 berkas perlu ditindaklanjuti unitnya; tambahkan --feedback FOLDER"
    assert hint in other.output
    assert "perlu ditindaklanjuti" not in result.stdout  # csv: hints go to stderr


def test_cli_validate_clean_inbox_exits_0(catalogue: Catalogue, tmp_path: Path) -> None:
    ts = corpus.make_templates(catalogue, tmp_path / "t")
    corpus.filled(ts, "PEN", tmp_path / "inbox" / "pen.xlsx", catalogue)
    result = CliRunner().invoke(main, ["validate", "--inbox", str(tmp_path / "inbox")])
    assert result.exit_code == 0
    assert result.output.startswith("Tidak ada masalah.")


@pytest.mark.parametrize("command", ["collect", "validate"])
def test_commands_have_help(command: str) -> None:
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0
    assert "Cara pakai:" in result.output and len(result.output.splitlines()) > 4


def test_open_files_compares_instants_not_text() -> None:
    from pipeline.problems import Problem, Severity
    from pipeline.submission import FileRecord, FileStatus
    from tests.test_report_scenario import record as make

    bad = Problem("not-a-number", Severity.ERROR, "x")

    def record(path: str, when: str, status: FileStatus) -> FileRecord:
        problems = (bad,) if status == FileStatus.REJECTED else ()
        return make(path, "IPK", "2018-TW2", status, when, problems)

    # 10:00 WIB is 03:00 UTC: the accepted file (04:00 UTC) is later, though its text sorts lower.
    rejected = record("a.xlsx", "2018-07-03T10:00:00+07:00", FileStatus.REJECTED)
    accepted = record("b.xlsx", "2018-07-03T04:00:00+00:00", FileStatus.ACCEPTED)
    assert open_files([rejected, accepted]) == []
    earlier = record("c.xlsx", "2018-07-03T02:00:00+00:00", FileStatus.ACCEPTED)
    assert open_files([rejected, earlier]) == [rejected]


def test_validate_on_a_folder_without_submissions_says_so_and_exits_2(tmp_path: Path) -> None:
    folder = tmp_path / "kotak"
    folder.mkdir()
    (folder / "manifest.csv").write_text("file,sha256,sender,date,subject,message_id\n")
    result = CliRunner().invoke(main, ["validate", "--inbox", str(folder)])
    assert result.exit_code == 2
    assert "tidak memuat kiriman apa pun" in result.stderr
    assert "Tidak ada masalah" not in result.output


def test_reminders_for_units_that_sent_nothing_after_the_deadline(
    inbox: Path, tmp_path: Path
) -> None:
    """IPK, KEU and PEN sent files for TW II; after 10 July the other twelve get a reminder."""
    before = tmp_path / "sebelum"
    CliRunner().invoke(
        main,
        ["validate", "--inbox", str(inbox), "--feedback", str(before), "--tanggal", "2018-07-10"],
    )
    assert not list(before.glob("pengingat_*"))
    after = tmp_path / "sesudah"
    result = CliRunner().invoke(
        main,
        ["validate", "--inbox", str(inbox), "--feedback", str(after), "--tanggal", "2018-07-12"],
    )
    reminded = sorted(p.stem.removeprefix("pengingat_") for p in after.glob("pengingat_*.txt"))
    assert len(reminded) == 12 and not {"IPK", "KEU", "PEN"} & set(reminded)
    assert "pengingat: 12 unit" in result.stderr
    text = (after / "pengingat_PHI.txt").read_text(encoding="utf-8")
    assert "Batas waktunya 10 Juli 2018 sudah lewat." in text
    assert "paling lambat 17 Juli 2018" in text  # five days from 12 July
    feedback = (after / "umpan_balik_IPK.txt").read_text(encoding="utf-8")
    assert "Mohon kirim perbaikan paling lambat 17 Juli 2018." in feedback


def test_a_warning_explained_in_keterangan_is_no_longer_open(catalogue: Catalogue) -> None:
    """The example: KEU explains its warning, PEN its empty cell; only PHI still needs action."""
    from pipeline.status import open_files

    example = Path(__file__).resolve().parents[1] / "examples" / "inbox"
    scan = scan_inbox(example, catalogue, Config())
    explained = {(f.unit, p.code) for f in scan.files for p in f.problems if p.explained}
    assert explained == {("KEU", "numerator-above-denominator"), ("PEN", "missing-explained")}
    assert [f.unit for f in open_files(scan.files)] == ["PHI"]
