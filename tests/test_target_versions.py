"""Versions of the Rencana Aksi in the scan: which targets workbooks count, for which quarters."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from pipeline.catalogue.model import Catalogue
from pipeline.config import Config
from pipeline.run.scan import scan_inbox
from pipeline.status import superseded_by
from pipeline.submission import FileStatus
from tests import corpus

WIB = dt.timezone(dt.timedelta(hours=7))


@pytest.fixture(scope="module")
def ts(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> corpus.TemplateSet:
    return corpus.make_templates(catalogue, tmp_path_factory.mktemp("templates"))


@pytest.mark.parametrize(
    ("starts", "expected"),
    [
        ([1, 1, 1], [2, 2, None]),  # unit files: the latest replaces every earlier one
        ([1, 3], [None, None]),  # murni, then perubahan from TW III: both count
        ([1, 3, 1], [2, 2, None]),  # a new murni after the perubahan replaces both
        ([1, 3, 2], [None, 2, None]),  # from TW II: murni keeps TW I only
        ([1, 3, 3], [None, 2, None]),  # a corrected perubahan
        ([2, 1], [1, None]),
    ],
)
def test_which_version_replaces_which(starts: list[int], expected: list[int | None]) -> None:
    """Files received in this order, each with its first quarter: who supersedes whom."""
    day = dt.datetime(2018, 1, 1, tzinfo=dt.UTC)
    group = [(day + dt.timedelta(days=i), f"{i}.xlsx", i) for i in range(len(starts))]
    replaced = superseded_by(reversed(group), dict(enumerate(starts)))
    assert [replaced.get(i) for i in range(len(starts))] == expected


def _put(
    ts: corpus.TemplateSet,
    catalogue: Catalogue,
    path: Path,
    when: dt.datetime,
    **changes: Any,
) -> None:
    corpus.filled(ts, "targets", path, catalogue, **changes)
    corpus.set_time(path, when)


def test_every_version_that_governs_a_quarter_counts(
    ts: corpus.TemplateSet, catalogue: Catalogue, tmp_path: Path
) -> None:
    jan, feb = dt.datetime(2018, 1, 15, 9, tzinfo=WIB), dt.datetime(2018, 2, 1, 9, tzinfo=WIB)
    jul, aug = dt.datetime(2018, 7, 20, 9, tzinfo=WIB), dt.datetime(2018, 8, 2, 9, tzinfo=WIB)
    _put(ts, catalogue, tmp_path / "a_murni.xlsx", jan, **{"UMP-KA.1|target": 41})
    _put(ts, catalogue, tmp_path / "b_murni_koreksi.xlsx", feb)
    _put(
        ts,
        catalogue,
        tmp_path / "c_perubahan.xlsx",
        jul,
        **{"workbook|effective_from": "TW III", "UMP-KA.1|target_TW3": 20, "UMP-KA.1|target": 60},
    )
    _put(ts, catalogue, tmp_path / "d_rusak.xlsx", aug, **{"workbook|effective_from": "Agustus"})
    scan = scan_inbox(tmp_path, catalogue, Config())
    status = {f.path: (f.status, f.reason) for f in scan.files}
    assert status == {
        "a_murni.xlsx": (
            FileStatus.SUPERSEDED,
            "digantikan oleh kiriman yang lebih baru: b_murni_koreksi.xlsx",
        ),
        "b_murni_koreksi.xlsx": (FileStatus.ACCEPTED, ""),  # TW I and TW II
        "c_perubahan.xlsx": (FileStatus.ACCEPTED, ""),  # TW III and TW IV
        "d_rusak.xlsx": (FileStatus.REJECTED, ""),
    }
    # The frame holds both counted versions, numbered in the order received.
    frame = scan.targets
    rows = frame[frame["indicator"] == "UMP-KA.1"]
    assert rows[["version", "effective_from", "file", "target", "target_tw3"]].values.tolist() == [
        [1, 1, "b_murni_koreksi.xlsx", 40.0, 10.0],
        [2, 3, "c_perubahan.xlsx", 60.0, 20.0],
    ]
    assert set(frame["perhitungan"]) == {"kumulatif", ""}  # a choice only where it adds up
    # The revision's quarters (10 + 10 + 20 + 10) do not make its year: both numbers stated.
    (warning,) = next(f for f in scan.files if f.path == "c_perubahan.xlsx").problems
    assert warning.code == "target-quarters-sum"
    assert "berjumlah 50, tidak sama dengan target tahunan 60" in warning.message


def test_a_workbook_without_berlaku_mulai_is_a_murni(
    ts: corpus.TemplateSet, catalogue: Catalogue, tmp_path: Path
) -> None:
    """Targets workbooks made before Berlaku mulai existed map no such cell: TW I."""
    path = tmp_path / "lama.xlsx"
    corpus.filled(ts, "targets", path, catalogue)
    scan = scan_inbox(tmp_path, catalogue, Config())
    assert set(scan.targets["effective_from"]) == {1}
