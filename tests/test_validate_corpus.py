"""The corpus of bad submissions: exact problems per file, every other file still accepted."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.catalogue.model import Catalogue
from pipeline.config import Config
from pipeline.problems import Severity
from pipeline.run.scan import scan_inbox
from pipeline.submission import FileStatus, InboxScan
from tests import corpus

GOOD_TIME = dt.datetime(2018, 7, 5, 9, 0, tzinfo=dt.UTC)
BAD_TIME = dt.datetime(2018, 7, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def templates(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> corpus.TemplateSet:
    return corpus.make_templates(catalogue, tmp_path_factory.mktemp("templates"))


@pytest.fixture(scope="module")
def run(
    catalogue: Catalogue, templates: corpus.TemplateSet, tmp_path_factory: pytest.TempPathFactory
) -> InboxScan:
    inbox = tmp_path_factory.mktemp("inbox")
    for unit in templates.units:
        good = corpus.filled(templates, unit, inbox / "baik" / f"{unit}.xlsx", catalogue)
        corpus.set_time(good, GOOD_TIME)
    target = corpus.filled(templates, "targets", inbox / "baik" / "target.xlsx", catalogue)
    corpus.set_time(target, GOOD_TIME)
    (inbox / "buruk").mkdir()
    for case in corpus.BAD:
        bad = case.build(templates, catalogue, inbox / "buruk" / f"{case.name}.xlsx")
        corpus.set_time(bad, BAD_TIME)
    return scan_inbox(inbox, catalogue, Config())


def test_corpus_is_large_enough() -> None:
    assert len(corpus.BAD) >= 30


@pytest.mark.parametrize("case", corpus.BAD, ids=lambda c: c.name)
def test_bad_submission_exact_problems(
    case: corpus.Case, run: InboxScan, templates: corpus.TemplateSet
) -> None:
    record = next(f for f in run.files if f.path == f"buruk/{case.name}.xlsx")
    assert [(p.cell, p.code) for p in record.problems] == case.expected(templates)
    assert record.status == FileStatus.REJECTED
    assert all(p.message and p.file == record.path for p in record.problems)


def test_every_good_file_still_accepted(run: InboxScan) -> None:
    good = [f for f in run.files if f.path.startswith("baik/")]
    assert len(good) == 16
    assert [(f.path, f.status, f.problems) for f in good if f.status != FileStatus.ACCEPTED] == []
    assert {f.status for f in run.files if f.path.startswith("buruk/")} == {FileStatus.REJECTED}


def test_severity_tiers(run: InboxScan) -> None:
    by_name = {f.path.split("/")[-1]: f for f in run.files}
    assert {p.severity for p in by_name["zip-bomb.xlsx"].problems} == {Severity.FATAL}
    assert {p.severity for p in by_name["word.xlsx"].problems} == {Severity.ERROR}


def test_values_come_from_counted_files_only(run: InboxScan, catalogue: Catalogue) -> None:
    this_year = run.values[run.values["year"] == 2018]
    assert len(this_year) == len(catalogue.variables)
    assert set(run.values["file"].str.split("/").str[0]) == {"baik"}
    assert set(this_year["quarter"]) == {2}
    assert run.values["value"].notna().all()
    # No unit sent anything for 2017: every quarter of the two growth variables comes from
    # the counted targets workbook's baselines.
    last_year = run.values[run.values["year"] == 2017]
    assert set(last_year["file"]) == {"baik/target.xlsx"}
    found = last_year[["unit", "variable", "quarter"]].itertuples(index=False, name=None)
    assert sorted(found) == [
        (unit, variable, q)
        for unit, variable in (("PEN", "PEN.PENEMPATAN"), ("PKK", "PKK.PENYERAPAN_TK"))
        for q in (1, 2, 3, 4)
    ]
    assert set(run.targets["file"]) == {"baik/target.xlsx"}
    assert len(run.targets) == len(catalogue.indicators)
