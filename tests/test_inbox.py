"""scan_inbox: statuses, the counted file per unit and period, warnings, nothing written."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

import pytest

from pipeline.catalogue.model import Catalogue
from pipeline.config import Config
from pipeline.mail.manifest import ManifestEntry, write_manifest
from pipeline.problems import Severity
from pipeline.run.scan import scan_inbox
from pipeline.submission import FileStatus
from tests import corpus

T0 = dt.datetime(2018, 7, 2, 8, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def ts(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> corpus.TemplateSet:
    return corpus.make_templates(catalogue, tmp_path_factory.mktemp("templates"))


def _put(path: Path, when: dt.datetime) -> Path:
    corpus.set_time(path, when)
    return path


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_latest_accepted_counts_by_file_time(
    catalogue: Catalogue, ts: corpus.TemplateSet, tmp_path: Path
) -> None:
    first = corpus.filled(
        ts, "PEN", tmp_path / "a_pertama.xlsx", catalogue, **{"PEN.PENEMPATAN|TW2": 5}
    )
    second = corpus.filled(
        ts, "PEN", tmp_path / "z_kedua.xlsx", catalogue, **{"PEN.PENEMPATAN|TW2": 7}
    )
    broken = corpus.filled(
        ts, "PEN", tmp_path / "m_ketiga.xlsx", catalogue, **{"PEN.PENEMPATAN|TW2": "x"}
    )
    _put(first, T0 + dt.timedelta(days=2))  # the newest by time, though first by name
    _put(second, T0)
    _put(broken, T0 + dt.timedelta(days=3))  # newest of all, but rejected: it cannot count
    scan = scan_inbox(tmp_path, catalogue, Config())
    status = {f.path: f.status for f in scan.files}
    assert status == {
        "a_pertama.xlsx": FileStatus.ACCEPTED,
        "z_kedua.xlsx": FileStatus.SUPERSEDED,
        "m_ketiga.xlsx": FileStatus.REJECTED,
    }
    value = scan.values.set_index("variable").loc["PEN.PENEMPATAN"]
    assert (value["value"], value["file"]) == (5.0, "a_pertama.xlsx")
    superseded = next(f for f in scan.files if f.status == FileStatus.SUPERSEDED)
    assert "a_pertama.xlsx" in superseded.reason


def test_mail_date_beats_file_time_and_ties_go_by_name(
    catalogue: Catalogue, ts: corpus.TemplateSet, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    a = corpus.filled(ts, "PYP", inbox / "a.xlsx", catalogue, **{"PYP.MASY_DAFTAR|TW2": 1})
    b = corpus.filled(ts, "PYP", inbox / "b.xlsx", catalogue, **{"PYP.MASY_DAFTAR|TW2": 2})
    c = corpus.filled(ts, "PMD", inbox / "c.xlsx", catalogue)
    d = corpus.filled(ts, "PMD", inbox / "d.xlsx", catalogue, **{"PMD.TRANS_KUOTA|TW2": 30})
    for path in (a, b, c, d):
        _put(path, T0 + dt.timedelta(days=30))  # copied into the inbox much later
    sha = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (a, b, c, d)}
    mails = [("a.xlsx", "2018-07-03T10:00:00+07:00"), ("b.xlsx", "2018-07-02T10:00:00+07:00")]
    mails += [("c.xlsx", "2018-07-04T10:00:00+07:00"), ("d.xlsx", "2018-07-04T03:00:00+00:00")]
    write_manifest(
        inbox,
        [ManifestEntry(n, sha[n], "pyp@example.org", when, "IKI", f"<{n}@x>") for n, when in mails],
    )
    scan = scan_inbox(inbox, catalogue, Config())
    status = {f.path: (f.status, f.received_source) for f in scan.files}
    assert status == {
        "a.xlsx": (FileStatus.ACCEPTED, "email"),
        "b.xlsx": (FileStatus.SUPERSEDED, "email"),
        "c.xlsx": (
            FileStatus.SUPERSEDED,
            "email",
        ),  # same instant as d (03:00 UTC): the name decides
        "d.xlsx": (FileStatus.ACCEPTED, "email"),
        "manifest.csv": (FileStatus.IGNORED, "unknown"),
    }
    received = {f.path: f.received_at for f in scan.files}
    assert received["a.xlsx"].isoformat() == "2018-07-03T10:00:00+07:00"


def test_duplicates_lock_files_and_manifest_are_ignored_and_inbox_untouched(
    catalogue: Catalogue, ts: corpus.TemplateSet, tmp_path: Path
) -> None:
    good = corpus.filled(ts, "SKP", tmp_path / "skp.xlsx", catalogue)
    corpus.copy(good, tmp_path / "sub" / "salinan.xlsx")
    (tmp_path / "~$skp.xlsx").write_bytes(b"owner")
    (tmp_path / "catatan.txt").write_text("bukan kiriman", encoding="utf-8")
    before = _digest(tmp_path)
    progress: list[tuple[int, int]] = []
    scan = scan_inbox(tmp_path, catalogue, Config(), progress=lambda d, t: progress.append((d, t)))
    assert _digest(tmp_path) == before
    status = {f.path: (f.status, f.reason) for f in scan.files}
    assert status == {
        "catatan.txt": (FileStatus.REJECTED, ""),
        "skp.xlsx": (FileStatus.ACCEPTED, ""),
        "sub/salinan.xlsx": (FileStatus.IGNORED, "salinan persis dari skp.xlsx"),
        "~$skp.xlsx": (FileStatus.IGNORED, "berkas kunci sementara Excel, bukan kiriman"),
    }
    assert progress == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_warnings_keep_the_file_accepted(
    catalogue: Catalogue, ts: corpus.TemplateSet, tmp_path: Path
) -> None:
    inbox = tmp_path / "inbox"
    changes = {
        "UMP.PNS_LAYANAN_TEPAT|TW2": 30,  # above UMP.PNS_AJU_LAYANAN (20): part above whole
        "UMP.PNS_KGB|TW2": 500,  # TW1 was 18: far from history
        "UMP.PEGAWAI|TW2": None,  # empty, but explained in the remarks
        "UMP.PEGAWAI|note": "data BKD belum turun",
    }
    path = corpus.filled(ts, "UMP", inbox / "ump.xlsx", catalogue, **changes)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    write_manifest(
        inbox,
        [ManifestEntry("ump.xlsx", sha, "orang@lain.id", "2018-07-03T10:00:00+07:00", "", "")],
    )
    config = Config(senders={"UMP": ("umpeg@malangkab.go.id",)})
    scan = scan_inbox(inbox, catalogue, config)
    record = next(f for f in scan.files if f.path == "ump.xlsx")
    assert record.status == FileStatus.ACCEPTED
    cell = ts.meta("UMP").cell_of
    got = sorted((p.cell, p.code) for p in record.problems)
    assert got == sorted(
        [
            (cell("UMP.PNS_LAYANAN_TEPAT", "TW2").cell, "numerator-above-denominator"),  # type: ignore[union-attr]
            (cell("UMP.PNS_KGB", "TW2").cell, "far-from-history"),  # type: ignore[union-attr]
            (cell("UMP.PEGAWAI", "TW2").cell, "missing-explained"),  # type: ignore[union-attr]
            ("", "sender-not-allowed"),
        ]
    )
    assert {p.severity for p in record.problems} == {Severity.WARNING}
    pegawai = scan.values.set_index("variable").loc["UMP.PEGAWAI", "value"]
    assert pegawai != pegawai  # NaN: missing is not zero


def test_history_comes_from_earlier_accepted_submissions(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    """TW1 of 2018 in the inbox is history for TW2, even when the template shows no TW1."""
    from pipeline.periods import Period
    from pipeline.templates import generate_templates

    tw1 = generate_templates(
        catalogue, Period(2018, 1), tmp_path / "t1", generated_at="2018-03-01T00:00:00+00:00"
    )
    tw2 = generate_templates(
        catalogue, Period(2018, 2), tmp_path / "t2", generated_at="2018-06-01T00:00:00+00:00"
    )
    pick = {p.name: p for p in tw1 + tw2}
    name1 = next(n for n in pick if "2018_TW1" in n and "Penyiapan" in n)
    name2 = name1.replace("TW1", "TW2")
    inbox = tmp_path / "inbox"
    corpus.fill(
        pick[name1],
        inbox / "tw1.xlsx",
        {("PYP.MASY_DAFTAR", "TW1"): 40, ("PYP.MASY_PENYULUHAN", "TW1"): 40},
    )
    corpus.fill(
        pick[name2],
        inbox / "tw2.xlsx",
        {("PYP.MASY_DAFTAR", "TW2"): 45, ("PYP.MASY_PENYULUHAN", "TW2"): 900},
    )
    scan = scan_inbox(inbox, catalogue, Config())
    codes = {f.path: [(p.code, p.value) for p in f.problems] for f in scan.files}
    assert codes == {"tw1.xlsx": [], "tw2.xlsx": [("far-from-history", "900")]}
    assert {f.status for f in scan.files} == {FileStatus.ACCEPTED}
    assert sorted(zip(scan.values["quarter"], scan.values["value"], strict=True)) == [
        (1, 40.0),
        (1, 40.0),
        (2, 45.0),
        (2, 900.0),
    ]


def test_values_hold_current_quarter_cells_only(
    catalogue: Catalogue, ts: corpus.TemplateSet, tmp_path: Path
) -> None:
    corpus.filled(ts, "KLP", tmp_path / "klp.xlsx", catalogue)
    scan = scan_inbox(tmp_path, catalogue, Config())
    rows = scan.values.to_dict("records")
    assert [(r["variable"], r["quarter"], r["value"], r["cell"]) for r in rows] == [
        (v.code, 2, 20.0, ts.cell("KLP", v.code, "TW2"))
        for v in sorted(catalogue.variables_of("KLP"), key=lambda v: v.code)
    ]
    assert all(r["received_at"] == "" and r["sheet"] == "Isian" for r in rows)  # by hand
    assert scan.targets.empty


def test_missing_inbox_is_a_usage_error(catalogue: Catalogue, tmp_path: Path) -> None:
    from pipeline.errors import UsageError

    with pytest.raises(UsageError):
        scan_inbox(tmp_path / "tidak-ada", catalogue, Config())


def test_links_devices_and_pipes_are_listed_but_never_read(
    catalogue: Catalogue, ts: corpus.TemplateSet, tmp_path: Path
) -> None:
    """A symlink (to a file or a folder outside) and a FIFO: accounted for, not followed."""
    outside = tmp_path / "outside"
    secret = corpus.filled(ts, "PEN", outside / "rahasia.xlsx", catalogue)
    inbox = tmp_path / "inbox"
    corpus.filled(ts, "PKK", inbox / "pkk.xlsx", catalogue)
    (inbox / "tautan.xlsx").symlink_to(secret)
    (inbox / "folder_luar").symlink_to(outside, target_is_directory=True)
    os.mkfifo(inbox / "pipa.xlsx")  # reading it would block forever
    scan = scan_inbox(inbox, catalogue, Config())
    found = {f.path: (f.status, f.reason) for f in scan.files}
    not_read = "bukan berkas biasa (tautan/symlink, perangkat atau pipa): tidak dibaca"
    assert found == {
        "folder_luar": (FileStatus.IGNORED, not_read),
        "pipa.xlsx": (FileStatus.IGNORED, not_read),
        "pkk.xlsx": (FileStatus.ACCEPTED, ""),
        "tautan.xlsx": (FileStatus.IGNORED, not_read),
    }
    assert set(scan.values["unit"]) == {"PKK"}


def test_names_alike_once_shown_stay_apart(
    catalogue: Catalogue, ts: corpus.TemplateSet, tmp_path: Path
) -> None:
    """Two names that differ only in bytes that are not UTF-8 are shown as two names."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for byte, unit in ((b"\xff", "PEN"), (b"\xfe", "PKK")):
        source = corpus.filled(ts, unit, tmp_path / f"{unit}.xlsx", catalogue)
        target = os.fsencode(inbox) + b"/isian" + byte + b".xlsx"
        Path(os.fsdecode(target)).write_bytes(source.read_bytes())
    scan = scan_inbox(inbox, catalogue, Config())
    assert sorted(f.path for f in scan.files) == ["isian\ufffd (2).xlsx", "isian\ufffd.xlsx"]
    assert {f.status for f in scan.files} == {FileStatus.ACCEPTED}


def test_receipt_times_are_shown_in_the_office_zone_whatever_the_machine() -> None:
    """A mail stamped 07:00 UTC arrived at 14:00 WIB; a hand-saved file has no receipt time."""
    from zoneinfo import ZoneInfo

    from pipeline.inbox.receipt import received_at
    from pipeline.indonesian import waktu

    entry = ManifestEntry("a.xlsx", "", "x@y.id", "2018-07-09T07:00:00+00:00", "IKI", "")
    moment = received_at(entry, ZoneInfo("Asia/Jakarta"))
    assert moment is not None and waktu(moment) == "9 Juli 2018 14:00"
    assert received_at(None, ZoneInfo("Asia/Jakarta")) is None
    makassar = received_at(entry, ZoneInfo("Asia/Makassar"))
    assert makassar is not None and waktu(makassar) == "9 Juli 2018 15:00"
