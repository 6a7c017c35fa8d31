"""The benchmark harness on a tiny corpus: valid distinct files, agreeing readers, a smoke run.

No test here asserts a time: only that the harness measures what it says it measures.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from bench import naive, run
from bench.corpus import BAD_TEXT, Corpus, build_corpus, prefix_inbox, slots
from bench.readers import (
    calamine_cells,
    needed_members,
    openpyxl_cells,
    pipeline_cells,
    same_cells,
    unzip_floor,
)
from bench.stages import measure
from pipeline.catalogue import load_catalogue
from pipeline.config import Config
from pipeline.inbox.read import read_workbook
from pipeline.periods import Year
from pipeline.run.scan import scan_inbox
from pipeline.submission import FileStatus

UNITS = ("UMP", "KEU")  # 9 files a year: targets + 2 units x 4 quarters
N, SEED, BAD = 20, 7, 0.1


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    root = tmp_path_factory.mktemp("bench")
    return build_corpus(N, SEED, bad=BAD, units=UNITS, root=root)


def test_slots_give_each_file_its_own_unit_year_and_quarter() -> None:
    plan = slots(130, ["A", "B"])
    keys = {(s.unit, s.year, s.quarter) for s in plan}
    assert len(keys) == 130
    assert [(s.unit, s.year, s.quarter) for s in plan[:3]] == [
        ("", 2018, 0),
        ("A", 2018, 1),
        ("B", 2018, 1),
    ]
    assert plan[9].unit == "" and plan[9].year == 2019
    assert plan[-1].year == 2018 + 129 // 9


def test_corpus_files_are_distinct_submissions_valid_unless_made_bad(corpus: Corpus) -> None:
    scan = scan_inbox(corpus.inbox, load_catalogue(), Config())
    assert len(scan.files) == N
    assert len({(f.kind, f.unit, f.period) for f in scan.files}) == N
    assert {f.period for f in scan.files if f.kind == "targets"} == {
        Year(2018),
        Year(2019),
        Year(2020),
    }
    bad_names = {slot.name for slot in slots(N, list(UNITS)) if slot.index in corpus.bad}
    assert len(bad_names) == round(BAD * N)
    for record in scan.files:
        if record.path in bad_names:
            assert record.status == FileStatus.REJECTED
            assert [p.value for p in record.problems] == [BAD_TEXT]
        else:
            assert (record.status, record.problems) == (FileStatus.ACCEPTED, ())
    typed = scan.values[scan.values["file"].str.startswith("IKI_")]
    assert set(typed["year"]) == {2018, 2019, 2020}
    assert typed["value"].notna().all()


def test_visible_texts_name_the_files_own_period(corpus: Corpus) -> None:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(corpus.inbox / "IKI_2020_TW1_UMP.xlsx"))
    guide = book.get_sheet_by_name("Petunjuk").to_python()
    text = " ".join(str(v) for row in guide for v in row)
    assert "Triwulan I 2020" in text
    assert "2018" not in text.replace("/2018", "")  # the decree's number keeps its year


def test_templates_show_earlier_accepted_quarters_and_the_years_targets(corpus: Corpus) -> None:
    tw3 = read_workbook(corpus.inbox / "IKI_2019_TW3_UMP.xlsx")
    tw1 = read_workbook(corpus.inbox / "IKI_2019_TW1_UMP.xlsx")
    targets = read_workbook(corpus.inbox / "Target_IKI_2019.xlsx")
    assert tw3.meta and tw1.meta and targets.meta
    shown = [c for c in tw3.meta.cells if c.field == "TW1"]
    typed = {c.key: tw1.cells[(c.sheet, c.cell)] for c in tw1.meta.cells if c.field == "TW1"}
    assert shown and all(c.expected for c in shown)
    for cell in shown:
        assert float(cell.expected) == typed[cell.key] == tw3.cells[(cell.sheet, cell.cell)]
    set_for_year = {c.key: targets.cells[(c.sheet, c.cell)] for c in targets.meta.cells}
    shown_targets = [c for c in tw3.meta.cells if c.field == "target"]
    assert shown_targets
    for cell in shown_targets:
        assert float(cell.expected) == set_for_year[cell.key]


def test_corpus_comes_from_the_cache_the_second_time(corpus: Corpus) -> None:
    before = {p.name: p.stat().st_mtime_ns for p in corpus.inbox.iterdir()}
    again = build_corpus(N, SEED, bad=BAD, units=UNITS, root=corpus.inbox.parents[1])
    assert again.seconds == 0
    assert again.bad == corpus.bad
    assert {p.name: p.stat().st_mtime_ns for p in again.inbox.iterdir()} == before


def test_readers_find_the_same_mapped_values(corpus: Corpus) -> None:
    for path in sorted(corpus.inbox.iterdir()):
        by_calamine = calamine_cells(path)
        assert by_calamine
        assert same_cells(by_calamine, openpyxl_cells(path))
        assert same_cells(by_calamine, pipeline_cells(path))
        members = needed_members(path)
        assert "xl/workbook.xml" in members and len(members) >= 4
        assert unzip_floor(path, members) > 0


def test_parallel_scan_gives_the_serial_results(
    corpus: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("pipeline.inbox.files.POOL_MIN_FILES", 2)  # a pool for a few files
    inbox = tmp_path / "inbox"
    shutil.copytree(corpus.inbox, inbox)
    first = sorted(inbox.iterdir())[3]
    shutil.copy(first, inbox / ("copy_" + first.name))  # an exact duplicate: ignored
    (inbox / "notes.xlsx").write_bytes(b"not a workbook")  # fatal
    catalogue, config = load_catalogue(), Config()
    serial = scan_inbox(inbox, catalogue, config)
    pooled: list[int] = []
    parallel = scan_inbox(inbox, catalogue, config, jobs=2, progress=lambda d, t: pooled.append(d))
    assert len(pooled) < len(serial.files)  # progress came by chunks: the pool did read
    assert parallel.files == serial.files
    pd.testing.assert_frame_equal(parallel.values, serial.values)
    pd.testing.assert_frame_equal(parallel.targets, serial.targets)
    statuses = {f.status for f in serial.files}
    assert {FileStatus.ACCEPTED, FileStatus.REJECTED, FileStatus.IGNORED} <= statuses


def test_stage_runner_times_every_stage_alike_for_any_jobs(
    corpus: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("pipeline.inbox.files.POOL_MIN_FILES", 2)
    monkeypatch.setattr("pipeline.run.scan.BATCH_FILES", 3)  # several batches
    one = measure(corpus.inbox, tmp_path / "one", 1)
    two = measure(corpus.inbox, tmp_path / "two", 2)
    assert set(one["stages"]) == set(one["cpu"]) == set(run.STAGES)
    assert (one["digest"], one["output_digest"]) == (two["digest"], two["output_digest"])
    assert one["files"] == N and one["period"] == "2020-TW1"
    assert one["maxrss_kb"] > 0
    assert list((tmp_path / "one" / "2020-TW1").glob("*.xlsx"))
    cold = measure(corpus.inbox, tmp_path / "cold", 2, cache=tmp_path / "cache")
    warm = measure(corpus.inbox, tmp_path / "warm", 1, cache=tmp_path / "cache")
    assert {(r["digest"], r["output_digest"]) for r in (one, cold, warm)} == {
        (one["digest"], one["output_digest"])
    }
    assert cold["cache_bytes"] > 0 and one["cache_bytes"] == 0
    years = measure(corpus.inbox, tmp_path / "years", 1, years=(2019, 2020))
    assert years["statuses"]["rejected"] >= 9  # the files of 2018 are out of the years


def test_smaller_inboxes_are_the_first_files_of_the_corpus(corpus: Corpus) -> None:
    first = prefix_inbox(corpus, 9)
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(slot.name for slot in slots(9, list(UNITS)))
    for name in names:
        assert (first / name).stat().st_ino == (corpus.inbox / name).stat().st_ino
    assert prefix_inbox(corpus, 9) == first  # made once
    assert prefix_inbox(corpus, N) == corpus.inbox
    assert run.sizes(20) == [20] and run.sizes(100_000) == [1_000, 10_000, 100_000]
    assert run.sizes(30_000) == [1_000, 10_000, 30_000]


def test_naive_script_reads_the_data_sheet_or_every_sheet(
    corpus: Corpus, capsys: pytest.CaptureFixture[str]
) -> None:
    files = sorted(corpus.inbox.iterdir())
    data = naive.read_all(files, "calamine", "data")
    every = naive.read_all(files[:3], "calamine", "all")
    assert len(data) > N and len(every) > len(naive.read_all(files[:3], "calamine", "data"))
    assert naive.data_sheet(corpus.inbox / "Target_IKI_2019.xlsx") == "Target"
    assert naive.spread(files, 4) == [files[0], files[5], files[10], files[15]]
    assert naive.main(["--inbox", str(corpus.inbox), "--engine", "openpyxl", "--files", "2"]) == 0
    printed = capsys.readouterr().out
    assert '"files": 2' in printed and '"cpu"' in printed


def test_bench_run_smoke(corpus: Corpus, capsys: pytest.CaptureFixture[str]) -> None:
    root = corpus.inbox.parents[1]
    argv = ["--n", str(N), "--seed", str(SEED), "--bad", str(BAD), "--units", ",".join(UNITS)]
    argv += ["--jobs", "2", "--sample", "5", "--repeat", "1", "--single", "0"]
    assert run.main([*argv, "--naive-sample", "3", "--out", str(root)]) == 0
    printed = capsys.readouterr().out
    written = (root / f"results-n{N}.md").read_text()
    for text in ("unzip", "calamine", "openpyxl", "--jobs 2", "x floor", "identical", "load"):
        assert text in written
    for text in ("filling the cache: read stage", "warm cache: all stages", "warm pipeline"):
        assert text in written
    assert "from the cache" in written
    assert written in printed


def test_iki_report_with_jobs_writes_what_one_process_writes(
    corpus: Corpus, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from pipeline.cli import main

    monkeypatch.setattr("pipeline.inbox.files.POOL_MIN_FILES", 2)
    outputs = {}
    for jobs in ("1", "2"):
        out = tmp_path / jobs
        args = ["report", "--inbox", str(corpus.inbox), "--out", str(out), "--jobs", jobs]
        result = CliRunner().invoke(main, args)
        assert result.exit_code in (0, 1), result.output
        folder = out / "2020-TW1"
        outputs[jobs] = (
            result.output.replace(str(out), "OUT"),
            (folder / "capaian.csv").read_text(),
            (folder / "problems.csv").read_text(),
        )
    assert outputs["1"] == outputs["2"]
    assert "2020" in outputs["1"][1]
