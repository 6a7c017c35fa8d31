"""The cache of files already read: the same scan with it, without it, cold and warm."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import pickle
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from pipeline import paths
from pipeline.catalogue import Catalogue
from pipeline.cli import main
from pipeline.config import Config
from pipeline.contract import MappedCell, TemplateMeta
from pipeline.inbox.read import Address, Raw, ReadResult, read_workbook
from pipeline.inbox.readcache import FILE_NAME, ReadCache, decode, encode, fingerprint
from pipeline.problems import problem
from pipeline.run.scan import scan_inbox
from pipeline.submission import InboxScan

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "inbox"


@pytest.fixture()
def inbox(tmp_path: Path) -> Path:
    """The example inbox with one file that is no workbook (never kept in the cache)."""
    folder = shutil.copytree(EXAMPLE, tmp_path / "inbox")
    (folder / "IKI_2018_TW2_bukan_excel.xlsx").write_bytes(b"bukan berkas excel")
    return folder


def _meta(cells: tuple[MappedCell, ...]) -> TemplateMeta:
    return TemplateMeta("unit", "3", "kat", "abc", 2018, 2, "BIM", "2018-04-01", cells, "seal")


def test_every_kind_of_value_comes_back_as_it_was_read() -> None:
    cells = (
        MappedCell("V1", "tw2", "Isian", "G7", True, ""),
        MappedCell("V2", "tw1", "Isian", "F7", False, "18"),
    )
    values: dict[Address, Raw] = {
        ("Isian", "A1"): 12.0,
        ("Isian", "A2"): -0.0,
        ("Isian", "A3"): 0.1 + 0.2,
        ("Isian", "A4"): math.inf,
        ("Isian", "A5"): -math.inf,
        ("Isian", "A6"): "12 orang · ✓",
        ("Isian", "A7"): True,
        ("Isian", "A8"): None,
        ("Isian", "A9"): dt.datetime(2018, 2, 1, 13, 5, 7, 250),
        ("Isian", "A10"): dt.date(2018, 2, 1),
        ("Isian", "A11"): dt.time(7, 30),
        ("Isian", "A12"): dt.timedelta(days=2, seconds=5, microseconds=3),
        ("Isian", "A13"): 7,
        ("Isian", "A14"): "",
    }
    result = ReadResult(_meta(cells), values, {("Isian", "A1"): "=1+2"})
    back = decode(encode(result))
    assert back == result
    for address, value in values.items():
        assert type(back.cells[address]) is type(value)
    assert math.copysign(1.0, back.cells[("Isian", "A2")]) == -1.0  # type: ignore[arg-type]
    nan = decode(encode(ReadResult(_meta(cells), {("Isian", "A1"): math.nan})))
    assert math.isnan(nan.cells[("Isian", "A1")])  # type: ignore[arg-type]


def _clean() -> list[Path]:
    """The example inbox's files that read without a problem (others are never kept)."""
    found = [p for p in sorted(EXAMPLE.iterdir()) if not read_workbook(p).problems]
    assert len(found) >= 20
    return found


def test_reads_of_the_example_inbox_come_back_equal() -> None:
    for path in _clean():
        result = read_workbook(path)
        assert decode(encode(result)) == result


def _same(one: InboxScan, other: InboxScan) -> None:
    assert one.files == other.files
    for name in ("values", "targets", "notes", "revisions", "factors", "roster"):
        pd.testing.assert_frame_equal(getattr(one, name), getattr(other, name))


def _rows(folder: Path) -> list[tuple[bytes, int]]:
    with sqlite3.connect(folder / FILE_NAME) as db:
        return list(db.execute("SELECT kunci, sidik FROM baca ORDER BY kunci"))


def test_a_scan_with_the_cache_cold_or_warm_equals_one_without(
    inbox: Path, tmp_path: Path, catalogue: Catalogue
) -> None:
    config = Config()
    plain = scan_inbox(inbox, catalogue, config)
    cold = scan_inbox(inbox, catalogue, config, cache=ReadCache(tmp_path / "c"))
    kept = _rows(tmp_path / "c")
    warm = scan_inbox(inbox, catalogue, config, cache=ReadCache(tmp_path / "c"))
    _same(plain, cold)
    _same(plain, warm)
    assert len(kept) == len(_clean())  # every clean read, not the refused files
    assert len({sidik for _, sidik in kept}) == 1  # one reader's rows
    assert _rows(tmp_path / "c") == kept  # the warm run added nothing


def test_a_warm_scan_takes_its_cells_from_the_cache(
    inbox: Path, tmp_path: Path, catalogue: Catalogue
) -> None:
    """Proof that hits are used (and of what the cache is trusted with): an entry changed
    in the cache changes the scan; the same file without the cache reads as before."""
    folder, config = tmp_path / "c", Config()
    scan_inbox(inbox, catalogue, config, cache=ReadCache(folder))
    path = inbox / "IKI_2018_TW2_Seksi_Penyiapan.xlsx"
    found = read_workbook(path)
    assert found.meta is not None
    mapped = next(c for c in found.meta.inputs() if c.field == "TW2")
    changed = {**found.cells, (mapped.sheet, mapped.cell): 987654.0}
    cache = ReadCache(folder)
    cache.put(_sha(path), ReadResult(found.meta, changed, found.formulas))
    cache.close()
    warm = scan_inbox(inbox, catalogue, config, cache=ReadCache(folder))
    plain = scan_inbox(inbox, catalogue, config)
    assert 987654.0 in set(warm.values["value"]) - set(plain.values["value"])


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("layout", ["other-opened-last", "this-opened-last", "older"])
def test_entries_of_another_reader_are_never_used_and_dropped(
    layout: str, inbox: Path, tmp_path: Path, catalogue: Catalogue
) -> None:
    """A row another version of the reader wrote for the same bytes (other fingerprint) is
    never read; it is dropped when that version was the last to open the cache (else at the
    next change of reader). A cache of an older layout is dropped whole."""
    folder = tmp_path / "c"
    path = inbox / "IKI_2018_TW2_Seksi_Penyiapan.xlsx"
    found = read_workbook(path)
    other = encode(ReadResult(found.meta, {k: 5.0 for k in found.cells}, {}))
    folder.mkdir()
    with sqlite3.connect(folder / FILE_NAME) as db:
        if layout != "older":
            made = ReadCache(folder)  # in this layout, this reader the last to open it
            assert made.open()
            made.close()
            key = hashlib.sha256(bytes(32) + _sha(path).encode()).digest()  # another fingerprint
            db.execute("INSERT INTO baca VALUES (?, ?, ?)", (key, 12345, other))
            if layout == "other-opened-last":
                db.execute("UPDATE pembaca SET sidik = 12345")
        else:
            db.execute(
                "CREATE TABLE baca (sidik TEXT NOT NULL, sha256 TEXT NOT NULL, "
                "isi BLOB NOT NULL, PRIMARY KEY (sidik, sha256)) WITHOUT ROWID"
            )
            db.execute("INSERT INTO baca VALUES (?, ?, ?)", (fingerprint(), _sha(path), other))
    config = Config()
    _same(
        scan_inbox(inbox, catalogue, config),
        scan_inbox(inbox, catalogue, config, cache=ReadCache(folder)),
    )
    kept = _rows(folder)
    assert (12345 in {sidik for _, sidik in kept}) == (layout == "this-opened-last")
    assert len(kept) == len(_clean()) + (layout == "this-opened-last")


@pytest.mark.parametrize("damage", ["garbage", "bad-entry", "no-folder"])
def test_a_cache_that_cannot_be_used_changes_nothing(
    damage: str, inbox: Path, tmp_path: Path, catalogue: Catalogue
) -> None:
    folder, config = tmp_path / "c", Config()
    if damage == "garbage":  # not a database: replaced by a new one
        folder.mkdir()
        (folder / FILE_NAME).write_bytes(b"rusak" * 1000)
    elif damage == "bad-entry":  # entries that do not decode: read again, and kept anew
        scan_inbox(inbox, catalogue, config, cache=ReadCache(folder))
        with sqlite3.connect(folder / FILE_NAME) as db:
            db.execute("UPDATE baca SET isi = ?", (b"bukan json",))
    else:  # the cache's folder cannot be made (a file is in the way)
        folder = tmp_path / "berkas" / "c"
        folder.parent.write_text("bukan folder")
    plain = scan_inbox(inbox, catalogue, config)
    first = ReadCache(folder)
    _same(plain, scan_inbox(inbox, catalogue, config, cache=first))
    assert ("given up" in first.trouble) == (damage == "no-folder")
    assert ("damaged" in first.trouble) == (damage == "bad-entry")
    _same(plain, scan_inbox(inbox, catalogue, config, cache=ReadCache(folder)))
    if damage != "no-folder":
        assert len(_rows(folder)) == len(_clean())
        assert {decode(blob).meta is not None for blob in _blobs(folder)} == {True}


def _blobs(folder: Path) -> list[bytes]:
    with sqlite3.connect(folder / FILE_NAME) as db:
        return [row[0] for row in db.execute("SELECT isi FROM baca")]


def test_reader_processes_fill_and_use_one_cache(
    inbox: Path, tmp_path: Path, catalogue: Catalogue, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("pipeline.inbox.files.POOL_MIN_FILES", 2)
    folder, config = tmp_path / "c", Config()
    plain = scan_inbox(inbox, catalogue, config)
    cold = scan_inbox(inbox, catalogue, config, jobs=2, cache=ReadCache(folder))
    assert len(_rows(folder)) == len(_clean())
    warm = scan_inbox(inbox, catalogue, config, jobs=2, cache=ReadCache(folder))
    _same(plain, cold)
    _same(plain, warm)


def test_the_commands_keep_the_cache_in_the_cache_folder_unless_told_not_to(
    inbox: Path, tmp_path: Path
) -> None:
    folder = paths.cache_dir()
    args = ["report", "--inbox", str(inbox), "--out", str(tmp_path / "out")]
    without = CliRunner().invoke(main, ["--tanpa-cache", *args])
    assert without.exit_code == 1, without.output
    assert not (folder / FILE_NAME).exists()
    first = CliRunner().invoke(main, args)
    assert (folder / FILE_NAME).exists()
    second = CliRunner().invoke(main, args)
    assert without.output == first.output == second.output
    assert len(_rows(folder)) == len(_clean())


def test_a_refused_read_is_not_kept(tmp_path: Path) -> None:
    cache = ReadCache(tmp_path)
    cache.put("a" * 64, ReadResult(None, problems=(problem("not-xlsx"),)))
    cache.close()
    assert not (tmp_path / FILE_NAME).exists() or _rows(tmp_path) == []


def test_a_cache_handed_to_a_fresh_process_opens_its_own_connection(tmp_path: Path) -> None:
    """What a reader process started afresh (Windows) receives: the place, no connection."""
    path = _clean()[0]
    found = read_workbook(path)
    cache = ReadCache(tmp_path)
    cache.put(_sha(path), found)
    cache.flush()
    assert cache.open()
    clone = pickle.loads(pickle.dumps(cache))
    assert clone.get(_sha(path)) == found
    clone.close()
    cache.close()


def test_two_runs_at_once_share_one_cache(inbox: Path, tmp_path: Path) -> None:
    """Renvapor may validate while a report runs: both fill the same cache at the same time
    (SQLite's locks), and both write what a run without the cache writes."""
    iki = Path(sys.executable).with_name("iki")
    outs = [tmp_path / name for name in ("tanpa", "satu", "dua")]
    plain = [str(iki), "--tanpa-cache", "report", "--inbox", str(inbox), "--out", str(outs[0])]
    assert subprocess.run(plain, capture_output=True, check=False).returncode == 1
    runs = [
        subprocess.Popen(
            [str(iki), "report", "--inbox", str(inbox), "--out", str(out)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for out in outs[1:]
    ]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 1, err.decode()
        assert not err  # the cache says nothing to the user
    for name in ("capaian.csv", "problems.csv", "revisions.csv"):
        texts = {(out / "2018-TW2" / name).read_bytes() for out in outs}
        assert len(texts) == 1, name
    assert len(_rows(paths.cache_dir())) == len(_clean())
