"""The achievement workbook and CSVs, read back: sheets, headers, values, formats, safety."""

from __future__ import annotations

import math
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from pipeline.catalogue import load_catalogue
from pipeline.config import Config
from pipeline.periods import Period
from pipeline.report.exports import CAPAIAN_COLUMNS
from pipeline.report.styles import BAND_FILLS, LOWEST_FILL
from pipeline.report.workbook import SHEETS
from pipeline.run.report import RunResult, build_report, write_report
from tests.libreoffice import convert, requires_libreoffice
from tests.test_report_scenario import office_scan

TW2 = Period(2018, 2)


@pytest.fixture(name="result", scope="module")
def _result(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    data = build_report(office_scan(), load_catalogue(), Config(), TW2)
    return write_report(data, tmp_path_factory.mktemp("out"))


@pytest.fixture(name="book", scope="module")
def _book(result: RunResult) -> openpyxl.Workbook:
    return openpyxl.load_workbook(result.workbook)


def _rows(ws: object, first: int) -> list[tuple[object, ...]]:
    return [r for r in ws.iter_rows(min_row=first, values_only=True)]  # type: ignore[attr-defined]


def test_files_are_where_the_issue_says(result: RunResult) -> None:
    folder = result.workbook.parent
    assert result.workbook.name == "Capaian_IKI_2018_TW2.xlsx"
    assert folder.name == "2018-TW2"
    assert sorted(p.name for p in folder.iterdir()) == [
        "Capaian_IKI_2018_TW2.xlsx",
        "capaian.csv",
        "problems.csv",
        "revisions.csv",
    ]


def test_sheets_in_order(book: openpyxl.Workbook) -> None:
    assert book.sheetnames == list(SHEETS)


def test_achievement_sheet_layout(book: openpyxl.Workbook) -> None:
    ws = book["Capaian IKI"]
    header = [c.value for c in ws[4]]
    assert header[:4] == ["Kode", "Bidang / Unit / Jabatan / Indikator", "Satuan", "Target tahunan"]
    assert header[4:9] == ["TW I", "TW II", "TW III", "TW IV", "Realisasi s.d. TW II"]
    assert header[10:] == ["Capaian (%)", "Predikat", "Keterangan", "Sumber data (berkas dan sel)"]
    assert ws.freeze_panes == "C5"
    assert ws.auto_filter.ref is not None and ws.auto_filter.ref.startswith("A4:N")
    assert ws.print_title_rows == "$4:$4"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage


def test_achievement_rows_follow_the_hierarchy(book: openpyxl.Workbook, result: RunResult) -> None:
    ws = book["Capaian IKI"]
    codes = [r[0] for r in _rows(ws, 5)]
    cat = load_catalogue()
    assert [c for c in codes if c in {i.code for i in cat.indicators}] == [
        i.code for i in cat.indicators
    ]
    assert codes[:3] == ["SEK", "SEK-SEKDIN", "SEK-SEKDIN.1"]
    # Outline: bidang 0, unit 1, jabatan 2, indikator 3; the bidang head's jabatan 1.
    levels = {ws.cell(r, 1).value: ws.row_dimensions[r].outline_level for r in range(5, 20)}
    assert (levels["SEK"], levels["SEK-SEKDIN"], levels["SEK-SEKDIN.1"]) == (0, 1, 2)
    assert (levels["UMP"], levels["UMP-KA"], levels["UMP-KA.1"]) == (1, 2, 3)


def test_indicator_values_and_colours(book: openpyxl.Workbook, result: RunResult) -> None:
    ws = book["Capaian IKI"]
    by_code = {ws.cell(r, 1).value: r for r in range(5, ws.max_row + 1)}
    results = result.data.results
    for code in ("SEK-SEKDIN.1", "KLP-DATA.1", "PTK-KABID.2", "UMP-KA.1"):
        r = by_code[code]
        expected = results.loc[code]
        capaian = ws.cell(r, 11).value
        if math.isnan(expected["capaian"]):
            assert capaian is None
        else:
            assert capaian == pytest.approx(expected["capaian"])
        assert (ws.cell(r, 12).value or "") == expected["predikat"]
    ump = by_code["UMP-KA.1"]  # target missing in the scenario
    assert ws.cell(ump, 4).value is None and ws.cell(ump, 11).value is None
    assert ws.cell(ump, 13).value == "Target belum ditetapkan"
    fills = {ws.cell(by_code[c], 12).fill.fgColor.rgb[-6:] for c in by_code if c}
    allowed = {f.lstrip("#").upper() for f in (*BAND_FILLS, LOWEST_FILL)}
    assert fills & allowed  # predikat cells are coloured with the band colours
    source = ws.cell(by_code["SEK-SEKDIN.1"], 14).value
    assert source.startswith("UMP.PNS_LAYANAN_TEPAT: Isian!F6, G6\n")
    assert ws.cell(by_code["SEK-SEKDIN.1"], 5).number_format == "#,##0.0"
    assert ws.cell(by_code["UMP-KA.2"], 5).number_format == "#,##0"


def test_summary_counts_and_charts(book: openpyxl.Workbook, result: RunResult) -> None:
    ws = book["Ringkasan"]
    cells = {r[0]: r[1] for r in _rows(ws, 1) if r and isinstance(r[0], str)}
    assert cells["Unit pelapor"] == 15
    assert (cells["Tepat waktu"], cells["Terlambat"], cells["Ditolak"]) == (12, 1, 1)
    assert cells["Belum mengirim"] == 1
    assert cells["Masalah data yang masih terbuka"] == len(result.data.remaining) == 2
    assert cells["Sekretariat"] == 27  # indicators in the bidang table
    names = ("Sangat Tinggi", "Tinggi", "Sedang", "Rendah", "Sangat Rendah", "Tanpa capaian")
    total = sum(v for k, v in cells.items() if k in names)
    assert total == 67
    with zipfile.ZipFile(result.workbook) as zf:
        charts = [n for n in zf.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 2
    assert book.active.title == "Ringkasan"


def test_mid_year_capaian_says_it_is_against_the_annual_target(
    book: openpyxl.Workbook, result: RunResult
) -> None:
    cat = load_catalogue()
    flows = {v.code for v in cat.variables if v.agregasi == "sum"}
    cumulative = [
        i.code
        for i in cat.indicators
        if i.kind in ("count", "difference") and set(i.variables) <= flows
    ]
    assert result.data.cumulative == len(cumulative) and 0 < len(cumulative) < 67
    for sheet, cell in (("Ringkasan", "A5"), ("Capaian IKI", "A3")):
        text = book[sheet][cell].value
        assert "target TAHUNAN" in text and f"{len(cumulative)} dari 67 indikator" in text
        assert "sekitar 50%" in text  # TW II: half the year


def test_completeness_sheet(book: openpyxl.Workbook) -> None:
    rows = _rows(book["Kelengkapan"], 3)
    assert rows[0][:4] == ("Kode", "Unit pelapor", "Status", "Diterima")
    status = {r[0]: r[2] for r in rows[1:]}
    assert (status["KEU"], status["PHI"], status["PMD"], status["PEN"]) == (
        "Terlambat",
        "Ditolak",
        "Belum mengirim",
        "Tepat waktu",
    )
    ipk = next(r for r in rows if r[0] == "IPK")
    assert ipk[7] == 1  # one superseded file


def test_problems_are_text_never_formulas(book: openpyxl.Workbook) -> None:
    ws = book["Masalah Data"]
    rows = _rows(ws, 4)
    assert len(rows) == 2
    hostile = next(c for r in ws.iter_rows(min_row=4) for c in r if str(c.value).startswith("="))
    assert hostile.data_type == "s"
    assert hostile.value == '=HYPERLINK("http://x","12 orang")'
    assert rows[1][1] == "Ditolak" and rows[1][6] == "Galat"


def test_data_sheet_is_the_long_table(book: openpyxl.Workbook, result: RunResult) -> None:
    rows = _rows(book["Data"], 3)
    assert rows[0] == ("Unit", "Tahun", "Triwulan", "Variabel", "Uraian", "Satuan", "Nilai",
                       "Keterangan unit", "Berkas", "Sel", "Diterima")  # fmt: skip
    assert len(rows) - 1 == len(result.data.data)
    first = rows[1]
    assert first[:4] == ("UMP", 2018, "TW I", "UMP.PNS_LAYANAN_TEPAT")
    assert first[9] == "Isian!F6"
    assert {r[1] for r in rows[1:]} == {2017, 2018}


def test_findings_sheet(book: openpyxl.Workbook) -> None:
    rows = _rows(book["Catatan Katalog"], 3)
    assert len(rows) - 1 == len(load_catalogue().findings)
    assert rows[1][0] == "formula-divides-by-itself"


def test_capaian_csv(result: RunResult) -> None:
    frame = pd.read_csv(result.capaian_csv, keep_default_na=False)
    assert tuple(frame.columns) == CAPAIAN_COLUMNS
    assert len(frame) == 67 and set(frame["periode"]) == {"2018-TW2"}
    row = frame.set_index("kode_indikator").loc["UMP-KA.1"]
    assert (row["capaian"], row["status"], row["alasan"]) == (
        "",
        "no-target",
        "Target belum ditetapkan",
    )
    growth = frame.set_index("kode_indikator").loc["PTK-KABID.2"]
    assert growth["pembanding"] == "inbox"
    growth = frame.set_index("kode_indikator").loc["PTK-KABID.3"]
    assert (growth["pembanding"], float(growth["penyebut"])) == ("baseline", 50.0)


def test_problems_csv(result: RunResult) -> None:
    frame = pd.read_csv(result.problems_csv, keep_default_na=False)
    assert list(frame["code"]) == ["numerator-above-denominator", "not-a-number"]
    assert list(frame["file_status"]) == ["accepted", "rejected"]


def test_rerun_gives_the_same_content(result: RunResult, tmp_path: Path) -> None:
    again = write_report(result.data, tmp_path)
    first, second = (openpyxl.load_workbook(r.workbook) for r in (result, again))
    for sheet in SHEETS:
        assert list(first[sheet].values) == list(second[sheet].values), sheet
    assert again.capaian_csv.read_text() == result.capaian_csv.read_text()
    assert first.properties.created == second.properties.created


def test_a_failed_write_keeps_the_last_good_report(result: RunResult, tmp_path: Path) -> None:
    good = write_report(result.data, tmp_path)
    before = good.workbook.read_bytes()
    broken = build_report(office_scan(), load_catalogue(), Config(), TW2)
    object.__setattr__(broken, "completeness", broken.completeness.drop(columns=["status"]))
    with pytest.raises(KeyError):
        write_report(broken, tmp_path)
    assert good.workbook.read_bytes() == before
    assert sorted(p.name for p in good.workbook.parent.iterdir()) == [
        "Capaian_IKI_2018_TW2.xlsx",
        "capaian.csv",
        "problems.csv",
        "revisions.csv",
    ]


@pytest.mark.libreoffice
@requires_libreoffice
def test_libreoffice_converts_the_workbook_to_pdf(result: RunResult, tmp_path: Path) -> None:
    [pdf] = convert([result.workbook], "pdf", tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert pdf.stat().st_size > 20_000
