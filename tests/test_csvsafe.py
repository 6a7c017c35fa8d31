"""CSV injection (issue 14): no CSV field a spreadsheet would run, and numbers stay numbers."""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from pipeline import paths
from pipeline.catalogue import load_catalogue
from pipeline.cli import main
from pipeline.config import Config
from pipeline.csvsafe import FORMULA_STARTS, neutralise
from pipeline.periods import Period
from pipeline.problems import Problem, Severity
from pipeline.run.report import build_report, write_report
from pipeline.submission import FileStatus
from tests.test_report_scenario import office_scan, record

HOSTILE = ['=HYPERLINK("http://x","klik")', "+1+2", "-2+3", "@SUM(1,1)", "\t=1", "\r=1"]
# Harmless at the start, but a bare CR inside starts a new row in a spreadsheet.
INSIDE = "12 orang\r=1+2"


def _fields(text: str) -> list[str]:
    """Fields as a spreadsheet splits them: a bare CR ends a row (text read with newline='')."""
    return [field for row in csv.reader(io.StringIO(text, newline="")) for field in row]


def _read(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def _number(field: str) -> bool:
    try:
        float(field)
    except ValueError:
        return False
    return True


def _assert_inert(text: str) -> None:
    """No field of a CSV text starts like a formula, except a plain number (-96.0)."""
    assert not [f for f in _fields(text) if f.startswith(FORMULA_STARTS) and not _number(f)]


@pytest.mark.parametrize("value", HOSTILE)
def test_formula_starts_get_a_quote(value: str) -> None:
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["", "abc", "Isian!H9", "'=already text", "1,5", "a=b"])
def test_other_text_unchanged(value: str) -> None:
    assert neutralise(value) == value


@pytest.mark.parametrize("value", [-5, -2.5, 0, float("nan"), None])
def test_numbers_and_missing_unchanged(value: object) -> None:
    assert neutralise(value) is value


def test_report_csvs_inert_and_negative_numbers_stay_numbers(tmp_path: Path) -> None:
    """A real report: growth falls (negative realisasi and capaian), a hostile rejected file."""
    scan = office_scan()
    values = scan.values.copy()
    fallen = (values["variable"] == "PKK.PENYERAPAN_TK") & (values["year"] == 2018)
    values.loc[fallen, "value"] = 1.0  # 25 a quarter last year: growth about -96 %
    hostile = [
        Problem("not-a-number", Severity.ERROR, "Sel berisi teks.", f, u, "2018-TW2", "Isian", c, v)
        for f, u, c, v in zip(HOSTILE, HOSTILE, HOSTILE, HOSTILE, strict=True)
    ]
    hostile.append(Problem("not-a-number", Severity.ERROR, "Sel berisi teks.", value=INSIDE))
    files = (
        *scan.files,
        record(
            "-rusak.xlsx",
            "PEN",
            "2018-TW2",
            FileStatus.REJECTED,
            "2018-07-06T08:00:00+07:00",
            tuple(hostile),
        ),
    )
    scan = dataclasses.replace(scan, values=values, files=files)
    result = write_report(build_report(scan, load_catalogue(), Config(), Period(2018, 2)), tmp_path)
    for path in (result.capaian_csv, result.problems_csv):
        _assert_inert(_read(path))
    capaian = pd.read_csv(result.capaian_csv).set_index("kode_indikator")
    for column in ("pembilang", "penyebut", "realisasi", "target", "capaian"):
        assert pd.api.types.is_float_dtype(capaian[column]), column
    growth = capaian.loc["PTK-KABID.3"]
    assert growth["realisasi"] == pytest.approx(-96.0)
    assert growth["capaian"] < 0
    problems = pd.read_csv(result.problems_csv, keep_default_na=False)
    rows = problems[problems["message"] == "Sel berisi teks."]
    expected = ["'" + v for v in HOSTILE]
    for column in ("file", "unit", "cell"):
        assert list(rows[column])[:-1] == expected, column
    assert list(rows["value"]) == [*expected, INSIDE]


def test_validate_csv_is_inert(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("-rusak.xlsx", "=cmd.xlsx", "@x.xlsx", "+1.xlsx"):
        (inbox / name).write_bytes(f"bukan xlsx: {name}".encode())
    result = CliRunner().invoke(main, ["validate", "--inbox", str(inbox), "--format", "csv"])
    assert result.exit_code == 1
    _assert_inert(result.stdout)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert sorted(r["file"] for r in rows) == ["'+1.xlsx", "'-rusak.xlsx", "'=cmd.xlsx", "'@x.xlsx"]


def test_catalog_export_csv_is_inert(tmp_path: Path) -> None:
    spec = yaml.safe_load(paths.CATALOGUE_FILE.read_text(encoding="utf-8"))
    spec["positions"][0]["nama"] = HOSTILE[0]
    (tmp_path / "iki_2018.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True))
    (tmp_path / paths.DECREE_FILE.name).write_bytes(paths.DECREE_FILE.read_bytes())
    katalog = ["--katalog", str(tmp_path / "iki_2018.yaml"), "catalog", "export"]
    shown = CliRunner().invoke(main, [*katalog, "--format", "csv"])
    assert shown.exit_code == 0, shown.output
    written = CliRunner().invoke(main, [*katalog, "--format", "csv", "-o", str(tmp_path / "k.csv")])
    assert written.exit_code == 0, written.output
    for text in (shown.stdout, _read(tmp_path / "k.csv")):
        _assert_inert(text)
        frame = pd.read_csv(io.StringIO(text))
        assert frame.loc[0, "nama_jabatan"] == "'" + HOSTILE[0]
        assert pd.api.types.is_float_dtype(frame["faktor"])
