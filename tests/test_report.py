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
from pipeline.report.person import ANNUAL_MARK
from pipeline.report.styles import BAND_FILLS, LOWEST_FILL
from pipeline.report.words import ANNUAL_BASIS
from pipeline.report.workbook import sheet_names
from pipeline.run.report import RunResult, build_report, write_report
from tests.libreoffice import convert, requires_libreoffice
from tests.test_example_inbox import EXAMPLE
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


def test_sheets_in_order(book: openpyxl.Workbook, result: RunResult) -> None:
    assert book.sheetnames == list(sheet_names(result.data))
    assert book.sheetnames[:3] == ["Ringkasan", "Evaluasi", "IKI Pegawai"]


def test_achievement_sheet_layout(book: openpyxl.Workbook) -> None:
    ws = book["Capaian IKI"]
    header = [c.value for c in ws[4]]
    assert header[:3] == ["Kode", "Bidang / Unit / Jabatan / Indikator", "Satuan"]
    assert header[3:6] == ["Perhitungan", "Target tahunan", "Target s.d. TW II"]
    assert header[6:11] == ["TW I", "TW II", "TW III", "TW IV", "Realisasi s.d. TW II"]
    assert header[12:] == [
        "Capaian (%)",
        "Predikat",
        "Capaian tahunan (%)",
        "Keterangan",
        "Sumber data (berkas dan sel)",
    ]
    assert ws.freeze_panes == "C5"
    assert ws.auto_filter.ref is not None and ws.auto_filter.ref.startswith("A4:Q")
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
    for code in ("SEK-SEKDIN.1", "KLP-DATA.1", "PTK-KABID.2", "UMP-KA.1", "UMP-KA.2"):
        r = by_code[code]
        expected = results.loc[code]
        for col, name in ((6, "target_sd"), (13, "capaian"), (15, "capaian_tahunan")):
            got = ws.cell(r, col).value
            if math.isnan(expected[name]):
                assert got is None, (code, name)
            else:
                assert got == pytest.approx(expected[name]), (code, name)
        assert (ws.cell(r, 14).value or "") == expected["predikat"]
    ump = by_code["UMP-KA.1"]  # target missing in the scenario
    assert ws.cell(ump, 5).value is None and ws.cell(ump, 13).value is None
    assert ws.cell(ump, 16).value == "Target belum ditetapkan"
    assert ws.cell(by_code["UMP-KA.2"], 4).value == "Kumulatif"
    assert ws.cell(by_code["SEK-SEKDIN.1"], 4).value == "Nilai akhir"
    fills = {ws.cell(by_code[c], 14).fill.fgColor.rgb[-6:] for c in by_code if c}
    allowed = {f.lstrip("#").upper() for f in (*BAND_FILLS, LOWEST_FILL)}
    assert fills & allowed  # predikat cells are coloured with the band colours
    source = ws.cell(by_code["SEK-SEKDIN.1"], 17).value
    assert source.startswith("UMP.PNS_LAYANAN_TEPAT: Isian!F6, G6\n")
    assert source.endswith("Target tahunan: Target!M8\nTarget s.d. triwulan: Target!J8")
    kumulatif = ws.cell(by_code["UMP-KA.2"], 17).value
    assert kumulatif.endswith("Target s.d. triwulan: Target!I12, J12")
    assert ws.cell(by_code["SEK-SEKDIN.1"], 5).number_format == "#,##0.0"
    assert ws.cell(by_code["UMP-KA.2"], 5).number_format == "#,##0"
    assert ws.cell(by_code["UMP-KA.2"], 6).number_format == "#,##0"


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


def test_capaian_is_against_the_target_to_date_and_says_so(
    book: openpyxl.Workbook, result: RunResult
) -> None:
    results = result.data.results
    assert set(results["dasar"]) == {"triwulan", "tahunan", ""}
    assert list(results.index[results["dasar"] == "tahunan"]) == ["IPK-KASI.1"]
    assert result.data.rated_on_annual == 1
    for sheet, cell in (("Ringkasan", "A5"), ("Capaian IKI", "A3")):
        text = book[sheet][cell].value
        assert "dibanding target s.d. TW II menurut Rencana Aksi" in text
        assert "Capaian tahunan = realisasi s.d. triwulan ini dibanding target tahunan" in text
        assert "1 dari 67 indikator belum memiliki target triwulan" in text
        assert "TAHUNAN" not in text and "wajar" not in text  # no apology any more
    versions = book["Ringkasan"]["A6"].value
    assert versions.startswith("Target 2018 (Rencana Aksi): murni: Target_IKI_2018.xlsx")
    assert "(dipakai laporan ini); perubahan berlaku mulai TW III" in versions
    # The data's date: the revision from TW III bears on later reports only.
    assert book["Ringkasan"]["A4"].value == "Kiriman terakhir yang dihitung: 13 Juli 2018 09:00."
    # The row rated against the annual target says so.
    ws = book["Capaian IKI"]
    row = next(r for r in range(5, ws.max_row + 1) if ws.cell(r, 1).value == "IPK-KASI.1")
    assert ws.cell(row, 16).value.startswith("Dinilai terhadap target tahunan")
    assert ws.cell(row, 6).value is None


def test_summary_shows_progress_towards_the_year(book: openpyxl.Workbook) -> None:
    ws = book["Ringkasan"]
    cells = {r[0]: r[1] for r in _rows(ws, 1) if r and isinstance(r[0], str)}
    assert isinstance(cells["Rata-rata capaian tahunan (%)"], float)
    rule = next(v for r in _rows(ws, 1) for v in r if isinstance(v, str) and "skema" in v)
    assert "permendagri-86-2017: Sangat Tinggi ≥ 91, Tinggi ≥ 76" in rule


def test_history_of_target_versions(book: openpyxl.Workbook) -> None:
    rows = _rows(book["Riwayat Target"], 4)
    assert rows[0] == ("Versi", "Berkas", "Diterima", "Berlaku mulai", "Dipakai untuk triwulan",
                       "Status")  # fmt: skip
    assert rows[1][:5] == (
        "1 (murni)",
        "Target_IKI_2018.xlsx",
        "10 Januari 2018 08:00",
        "TW I",
        "TW I s.d. TW II (termasuk TW II laporan ini)",
    )
    assert rows[2][:5] == (
        "2 (perubahan)",
        "Target_IKI_2018_perubahan_TW3.xlsx",
        "20 Juli 2018 08:00",
        "TW III",
        "TW III s.d. TW IV",
    )
    start = next(i for i, r in enumerate(rows) if r[0] == "Kode")
    changed = [r for r in rows[start + 1 :] if r[0]]
    assert [(r[0], r[2]) for r in changed] == [
        ("UMP-KA.2", "Target TW III"),
        ("UMP-KA.2", "Target TW IV"),
        ("UMP-KA.2", "Target tahunan"),
    ]
    assert changed[0][3].endswith("(Target!K12)") and changed[0][4].endswith("(Target!K12)")
    assert changed[0][5] == "2 (perubahan, mulai TW III): Target_IKI_2018_perubahan_TW3.xlsx"


def test_a_revision_shows_both_targets_from_its_quarter(tmp_path: Path) -> None:
    data = build_report(office_scan(), load_catalogue(), Config(), Period(2018, 3))
    result = write_report(data, tmp_path)
    row = result.data.results.loc["UMP-KA.2"]
    murni = float(row["target_murni"])
    assert (row["versi_target"], row["target"]) == ("perubahan", murni + 20)
    ws = openpyxl.load_workbook(result.workbook)["Capaian IKI"]
    r = next(r for r in range(5, ws.max_row + 1) if ws.cell(r, 1).value == "UMP-KA.2")
    assert ws.cell(r, 16).value.startswith(
        "Target perubahan berlaku mulai TW III (Target_IKI_2018_perubahan_TW3.xlsx): target "
        f"tahunan {murni + 20:.0f}, target murni {murni:.0f}."
    )
    frame = pd.read_csv(result.capaian_csv, keep_default_na=False).set_index("kode_indikator")
    line = frame.loc["UMP-KA.2"]
    assert (float(line["target"]), float(line["target_murni"])) == (murni + 20, murni)
    assert line["versi_target"] == "perubahan"
    assert line["sumber_target"] == "Target_IKI_2018_perubahan_TW3.xlsx Target!M12"
    assert line["sumber_target_sd"].endswith(
        "TW III: Target_IKI_2018_perubahan_TW3.xlsx Target!K12"
    )
    assert line["sumber_target_sd"].startswith("TW I: Target_IKI_2018.xlsx Target!I12")
    same = frame.loc["UMP-KA.3"]
    assert (same["versi_target"], same["target"]) == ("murni", same["target_murni"])


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


def test_every_file_has_one_row_in_the_file_list(
    book: openpyxl.Workbook, result: RunResult
) -> None:
    ws = book["Daftar Berkas"]
    rows = _rows(ws, 3)
    assert rows[0] == (
        "Berkas",
        "Jenis",
        "Unit",
        "Periode",
        "Diterima",
        "Pengirim",
        "Status berkas",
        "Masalah",
        "Keterangan",
        "SHA-256",
    )
    files = result.data.files
    assert [r[0] for r in rows[1:]] == [f.path for f in files]
    for row, f in zip(rows[1:], files, strict=True):
        assert (row[6], row[7], row[9]) == (f.status.description, len(f.problems), f.sha256[:12])
    assert {f.status for f in files} >= {"accepted", "superseded", "rejected"}
    assert f"{len(files)} berkas (" in str(ws["A2"].value)


@pytest.fixture(name="example", scope="module")
def _example(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    """The report `make report` writes: the bundled example inbox, TW II."""
    from pipeline.run.scan import scan_inbox

    cat = load_catalogue()
    scan = scan_inbox(EXAMPLE, cat, Config())
    return write_report(build_report(scan, cat, Config(), TW2), tmp_path_factory.mktemp("ex"))


def test_every_file_in_the_example_inbox_is_accounted_for(example: RunResult) -> None:
    """What `make report` runs on: each file in the folder, the manifest too, has its row."""
    rows = _rows(openpyxl.load_workbook(example.workbook)["Daftar Berkas"], 4)
    listed = sorted(str(r[0]) for r in rows)
    assert listed == sorted(p.name for p in EXAMPLE.iterdir())
    statuses = {str(r[0]): r[6] for r in rows}
    assert statuses["manifest.csv"] == "Diabaikan (bukan kiriman)"


def test_a_signed_form_says_when_a_capaian_is_against_the_annual_target(
    example: RunResult,
) -> None:
    """IPK-KASI.1 has no quarterly targets: its IKI Pegawai row marks the empty target to
    date, and a note under that pegawai's table (and no other) says why."""
    annual = example.data.results[example.data.results["dasar"] == "tahunan"]
    assert list(annual.index) == ["IPK-KASI.1"]
    indicator = example.data.catalogue.indicator("IPK-KASI.1")
    rows = _rows(openpyxl.load_workbook(example.workbook)["IKI Pegawai"], 1)
    (row,) = [r for r in rows if r[2] in (indicator.nama, indicator.indikator)]
    assert (row[5], row[8]) == (ANNUAL_MARK, "Sangat Rendah")
    notes = [r[0] for r in rows if r[0] == f"{ANNUAL_MARK} {ANNUAL_BASIS}"]
    assert len(notes) == 1


def test_problems_are_text_never_formulas(book: openpyxl.Workbook) -> None:
    ws = book["Masalah Data"]
    rows = _rows(ws, 4)
    assert len(rows) == 2
    hostile = next(c for r in ws.iter_rows(min_row=4) for c in r if str(c.value).startswith("="))
    assert hostile.data_type == "s"
    assert hostile.value == '=HYPERLINK("http://x","12 orang")'
    assert rows[1][1] == "Ditolak" and rows[1][7] == "Galat"
    assert rows[1][5:7] == ("Bukan angka", "not-a-number")  # a name to read, the code beside


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
    assert rows[1][:2] == ("Rumus membagi angka dengan dirinya", "formula-divides-by-itself")


def test_capaian_csv(result: RunResult) -> None:
    frame = pd.read_csv(result.capaian_csv, keep_default_na=False)
    assert tuple(frame.columns) == CAPAIAN_COLUMNS
    assert CAPAIAN_COLUMNS[-11:-4] == (
        "target_sd",
        "capaian_tahunan",
        "dasar_capaian",
        "jenis_perhitungan",
        "target_murni",
        "versi_target",
        "sumber_target_sd",
    )
    assert len(frame) == 67 and set(frame["periode"]) == {"2018-TW2"}
    results = result.data.results
    line = frame.set_index("kode_indikator").loc["UMP-KA.2"]
    expected = results.loc["UMP-KA.2"]
    assert (line["dasar_capaian"], line["jenis_perhitungan"]) == ("triwulan", "kumulatif")
    assert float(line["target_sd"]) == expected["target_sd"]
    assert float(line["capaian"]) == pytest.approx(
        expected["realisasi"] / expected["target_sd"] * 100
    )
    assert float(line["capaian_tahunan"]) == pytest.approx(
        expected["realisasi"] / expected["target"] * 100
    )
    assert line["versi_target"] == "murni"
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
    for sheet in sheet_names(result.data):
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


def test_annual_comparison_shows_counts_as_whole_numbers(example: RunResult) -> None:
    """Perbandingan Tahunan: a count's realisation and targets without a decimal, as in the
    other sheets; a percentage and every capaian with one."""
    ws = openpyxl.load_workbook(example.workbook)["Perbandingan Tahunan"]
    cat = example.data.catalogue
    rows = {r[1].value: r for r in ws.iter_rows() if len(r) > 8}
    count = rows[cat.indicator("UMP-KA.1").nama or cat.indicator("UMP-KA.1").indikator]
    share = rows[cat.indicator("UMP-KA.3").nama or cat.indicator("UMP-KA.3").indikator]
    assert [count[c].number_format for c in (5, 6, 7, 8)] == ["#,##0"] * 3 + ["#,##0.0"]
    assert [share[c].number_format for c in (5, 6, 7, 8)] == ["#,##0.0"] * 4
    assert count[7].value == 447  # 214 + 233, the unit's TW I and TW II
