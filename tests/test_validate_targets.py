"""Rules of the targets workbook: Berlaku mulai, choices, bounds, quarters against the year."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pipeline.catalogue.model import Catalogue
from pipeline.config import Config
from pipeline.problems import Severity
from pipeline.run.scan import scan_inbox
from pipeline.submission import FileStatus
from tests import corpus


@pytest.fixture(scope="module")
def ts(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> corpus.TemplateSet:
    return corpus.make_templates(catalogue, tmp_path_factory.mktemp("templates"))


def _scan(
    ts: corpus.TemplateSet, catalogue: Catalogue, tmp_path: Path, **changes: Any
) -> tuple[str, list[tuple[str, str, Severity]]]:
    corpus.filled(ts, "targets", tmp_path / "Target_IKI_2018.xlsx", catalogue, **changes)
    (record,) = scan_inbox(tmp_path, catalogue, Config()).files
    return record.status, [(p.cell, p.code, p.severity) for p in record.problems]


def test_a_good_rencana_aksi_has_no_problem(
    ts: corpus.TemplateSet, catalogue: Catalogue, tmp_path: Path
) -> None:
    assert _scan(ts, catalogue, tmp_path) == (FileStatus.ACCEPTED, [])


def test_quarters_that_disagree_with_the_year_are_warnings_stating_both(
    ts: corpus.TemplateSet, catalogue: Catalogue, tmp_path: Path
) -> None:
    status, problems = _scan(
        ts,
        catalogue,
        tmp_path,
        **{
            "UMP-KA.1|target_TW2": 25,  # kumulatif: 10 + 25 + 10 + 10 = 55, not 40
            "SEK-SEKDIN.1|target_TW4": 35,  # nilai-akhir: TW IV 35, the year 40
            "UMP-KA.2|target_TW3": None,  # only TW I, II and IV
            "UMP-KA.2|target_TW4": None,
            "PKP-KASI.1|target": None,  # quarters without a year
        },
    )
    cell = ts.cell
    assert status == FileStatus.ACCEPTED
    assert problems == [  # in the catalogue's order
        (cell("targets", "SEK-SEKDIN.1", "target_TW4"), "target-year-end", Severity.WARNING),
        (cell("targets", "UMP-KA.1", "target"), "target-quarters-sum", Severity.WARNING),
        (cell("targets", "UMP-KA.2", "target_TW3"), "target-quarters-partial", Severity.WARNING),
        (cell("targets", "PKP-KASI.1", "target"), "annual-target-missing", Severity.WARNING),
    ]
    scan = scan_inbox(tmp_path, catalogue, Config())
    messages = [p.message for p in scan.files[0].problems]
    assert messages[1].startswith(
        "Target TW I s.d. TW IV indikator UMP-KA.1 berjumlah 55, tidak sama dengan target "
        "tahunan 40 (perhitungan kumulatif"
    )
    assert "adalah 35, tidak sama dengan target tahunan 40" in messages[0]
    assert "hanya diisi untuk TW I, TW II." in messages[2]


def test_every_target_within_its_indicators_bounds(
    ts: corpus.TemplateSet, catalogue: Catalogue, tmp_path: Path
) -> None:
    status, problems = _scan(
        ts,
        catalogue,
        tmp_path,
        **{
            "SEK-SEKDIN.1|target_TW1": 101,  # a percentage of a part of a whole
            "IPK-DATA.1|target": 40,  # at most 33 kecamatan
            "UMP-KA.1|target_TW1": 9.5,  # a count of people
            "PTK-KABID.2|target_TW2": -120,  # growth: -100 at the lowest
            "PKP-KASI.1|target_TW3": -1,
        },
    )
    cell = ts.cell
    assert status == FileStatus.REJECTED
    assert sorted(problems) == sorted(
        [
            (cell("targets", "SEK-SEKDIN.1", "target_TW1"), "above-maximum", Severity.ERROR),
            (cell("targets", "IPK-DATA.1", "target"), "above-maximum", Severity.ERROR),
            (cell("targets", "UMP-KA.1", "target_TW1"), "not-whole-number", Severity.ERROR),
            (cell("targets", "PTK-KABID.2", "target_TW2"), "below-minimum", Severity.ERROR),
            (cell("targets", "PKP-KASI.1", "target_TW3"), "negative-number", Severity.ERROR),
            # The rows also disagree with their year (said once each, as a warning).
            (cell("targets", "UMP-KA.1", "target"), "target-quarters-sum", Severity.WARNING),
            (cell("targets", "PKP-KASI.1", "target"), "target-quarters-sum", Severity.WARNING),
            (cell("targets", "IPK-DATA.1", "target_TW4"), "target-year-end", Severity.WARNING),
        ]
    )


def test_choices_and_berlaku_mulai_are_words_from_the_list(
    ts: corpus.TemplateSet, catalogue: Catalogue, tmp_path: Path
) -> None:
    status, problems = _scan(
        ts,
        catalogue,
        tmp_path,
        **{
            "workbook|effective_from": "Juli",
            "UMP-KA.1|calculation": "rata-rata",
            "UMP-KA.2|polarity": "Negatif ",  # forgiven: case and spaces
            "PKP-KASI.1|polarity": "turun",
            "UMP-ADMPEG.1|calculation": "Nilai Akhir",  # forgiven: nilai-akhir
            "UMP-ADMPEG.1|target_TW4": 40,  # nilai-akhir: TW IV is the year, no warning
        },
    )
    cell = ts.cell
    assert status == FileStatus.REJECTED
    assert sorted(problems) == sorted(
        [
            (
                cell("targets", "workbook", "effective_from"),
                "invalid-effective-quarter",
                Severity.ERROR,
            ),
            (cell("targets", "UMP-KA.1", "calculation"), "invalid-choice", Severity.ERROR),
            (cell("targets", "PKP-KASI.1", "polarity"), "invalid-choice", Severity.ERROR),
        ]
    )


@pytest.mark.parametrize("word", ["TW III", "tw3", "Triwulan III", "3", 3])
def test_berlaku_mulai_is_read_forgivingly(
    ts: corpus.TemplateSet, catalogue: Catalogue, tmp_path: Path, word: object
) -> None:
    assert _scan(ts, catalogue, tmp_path, **{"workbook|effective_from": word}) == (
        FileStatus.ACCEPTED,
        [],
    )


def test_text_in_a_target_is_named_once(
    ts: corpus.TemplateSet, catalogue: Catalogue, tmp_path: Path
) -> None:
    status, problems = _scan(ts, catalogue, tmp_path, **{"UMP-KA.1|target_TW2": "12 orang"})
    assert status == FileStatus.REJECTED
    assert problems == [
        (ts.cell("targets", "UMP-KA.1", "target_TW2"), "number-with-unit", Severity.ERROR)
    ]
