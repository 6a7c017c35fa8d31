"""The report's CSVs opened as Indonesian Excel opens them: ';', decimal comma, a BOM.

Read twice: by Python's csv module with those settings, and by real LibreOffice told the
same (field separator ';', UTF-8, Indonesian number recognition), as Excel set to
Indonesian does on a double-click. Both give the report's own numbers back.
"""

from __future__ import annotations

import csv
import dataclasses
import math
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pipeline.catalogue import load_catalogue
from pipeline.config import Config
from pipeline.periods import Period
from pipeline.report.exports import capaian_frame
from pipeline.run.report import RunResult, build_report, write_report
from pipeline.run.scan import scan_inbox
from tests.libreoffice import convert, requires_libreoffice

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "inbox"
NUMBERS = ("realisasi", "target", "capaian", "target_sd", "capaian_tahunan", "pembilang")
# LibreOffice CSV import: ';' (59), '"' (34), UTF-8 (76), from line 1, no column formats,
# Indonesian (1057) number recognition, quoted fields not forced to text, special numbers.
INDONESIAN_EXCEL = "CSV:59,34,76,1,,1057,false,true"


@pytest.fixture(name="result", scope="module")
def _result(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    catalogue = load_catalogue()
    config = dataclasses.replace(Config(), csv_indonesia=True)
    data = build_report(scan_inbox(EXAMPLE, catalogue, config), catalogue, config, Period(2018, 2))
    return write_report(data, tmp_path_factory.mktemp("out"))


def _expected(result: RunResult) -> pd.DataFrame:
    return capaian_frame(result.data).set_index("kode_indikator")


def _same(found: object, expected: float) -> bool:
    if isinstance(expected, float) and math.isnan(expected):
        return found in (None, "")
    return isinstance(found, int | float) and math.isclose(float(found), expected, rel_tol=1e-12)


def test_csvs_start_with_a_bom_and_use_semicolons(result: RunResult) -> None:
    for path in (result.capaian_csv, result.problems_csv, result.revisions_csv):
        assert path is not None
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        header = raw[3:].split(b"\n", 1)[0].decode("utf-8")
        assert header.count(";") >= 3 and "," not in header


def test_python_reads_the_same_numbers_with_decimal_comma(result: RunResult) -> None:
    with result.capaian_csv.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    expected = _expected(result)
    assert len(rows) == len(expected)
    for row in rows:
        for column in NUMBERS:
            text = row[column]
            value = float(text.replace(",", ".")) if text else None
            want = float(expected.loc[row["kode_indikator"], column])
            assert _same(value if value is not None else "", want), (row["kode_indikator"], column)


@pytest.mark.libreoffice
@requires_libreoffice
def test_libreoffice_as_indonesian_excel_reads_the_same_numbers(
    result: RunResult, tmp_path: Path
) -> None:
    (book,) = convert([result.capaian_csv], "xlsx", tmp_path / "lo", infilter=INDONESIAN_EXCEL)
    sheet = openpyxl.load_workbook(book).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    expected = _expected(result)
    assert len(rows) - 1 == len(expected)
    checked = 0
    for values in rows[1:]:
        row = dict(zip(header, values, strict=True))
        for column in NUMBERS:
            want = float(expected.loc[str(row["kode_indikator"]), column])
            assert _same(row[column], want), (row["kode_indikator"], column, row[column], want)
            checked += not math.isnan(want)
    assert checked > 200
