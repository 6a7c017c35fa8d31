"""Generated templates, read back with openpyxl: structure, protection, validation, formulas."""

from __future__ import annotations

import dataclasses
import functools
import math
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl.worksheet.worksheet import Worksheet

from pipeline.catalogue.model import Catalogue
from pipeline.cli import main
from pipeline.compute.targets import plans_in_effect
from pipeline.config import Config
from pipeline.contract import (
    BASELINE_FIELDS,
    CALCULATION_FIELD,
    EFFECTIVE_FIELD,
    FACTOR_FIELDS,
    FACTOR_SHEET,
    GUIDE_SHEET,
    IKI_SHEET,
    INPUT_SHEET,
    KIND_TARGETS,
    KIND_UNIT,
    META_SHEET,
    POLARITY_FIELD,
    ROSTER_SHEET,
    TARGET_QUARTER_FIELDS,
    TARGET_SHEET,
    WORKBOOK_KEY,
    TemplateMeta,
    parse_meta,
)
from pipeline.periods import Period
from pipeline.rencana import TargetPlan
from pipeline.templates import (
    baselines_from_values,
    formulas,
    generate_templates,
    prefill_from_values,
    styles,
    targets_filename,
    template_filename,
    write_targets_template,
)
from pipeline.templates.iki import last_year_to_date

PERIOD = Period(2018, 2)
STAMP = "2018-07-01T08:00:00+00:00"
# ROUND: the predikat's bands read the capaian to measure.BAND_DECIMALS places.
ALLOWED_FUNCTIONS = {"IF", "AND", "OR", "COUNT", "COUNTBLANK", "SUM", "ISNUMBER", "ROUND"}
# Reading digits typed as text (Excel 2010 and LibreOffice have all of them).
TEXT_FUNCTIONS = {"ISTEXT", "TRIM", "SUBSTITUTE", "CHAR", "MID", "LEFT", "LEN", "VALUE"}


def growth_catalogue(catalogue: Catalogue) -> Catalogue:
    """The catalogue with a growth indicator and a negative one inside unit PEN's template."""
    indicators = []
    for i in catalogue.indicators:
        if i.code == "PTK-KABID.2":
            i = dataclasses.replace(i, position="PEN-KASI", order=9)
        elif i.code == "PEN-DATATK.1":
            i = dataclasses.replace(i, polaritas="negatif")
        indicators.append(i)
    return dataclasses.replace(catalogue, indicators=tuple(indicators))


def sample_prefill(catalogue: Catalogue) -> dict[str, dict[tuple[str, int], float]]:
    """TW I values for every variable but one (so one flow stays incomplete)."""
    prefill: dict[str, dict[tuple[str, int], float]] = {}
    for n, v in enumerate(catalogue.variables):
        if v.code != "UMP.SURAT_MASUK":
            prefill.setdefault(v.unit, {})[(v.code, 1)] = float(min(3 + n, v.maksimum or 999))
    return prefill


def sample_targets(catalogue: Catalogue) -> dict[str, float]:
    """A target for every indicator but one; one target is 0."""
    targets = {i.code: 50.0 + 7.5 * n for n, i in enumerate(catalogue.indicators)}
    del targets["UMP-KA.2"]
    targets["UMP-ADMPEG.1"] = 0.0
    return targets


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue) -> list[Path]:
    out = tmp_path_factory.mktemp("templates")
    return generate_templates(
        catalogue,
        PERIOD,
        out,
        prefill=sample_prefill(catalogue),
        targets=sample_targets(catalogue),
        generated_at=STAMP,
    )


@functools.cache
def _load(path: Path) -> openpyxl.Workbook:
    """Each generated file is read once; tests only look."""
    return openpyxl.load_workbook(path)


def meta_of(workbook: openpyxl.Workbook) -> TemplateMeta:
    return parse_meta(list(workbook[META_SHEET].iter_rows(values_only=True)))


def test_one_file_per_unit_named_for_people(generated: list[Path], catalogue: Catalogue) -> None:
    assert len(generated) == 15
    assert template_filename(catalogue, "PEN", PERIOD) == (
        "IKI_2018_TW2_Seksi_Penempatan_Tenaga_Kerja.xlsx"
    )
    assert {p.name for p in generated} == {
        template_filename(catalogue, u.code, PERIOD) for u in catalogue.reporting_units()
    }
    assert not [p for p in generated[0].parent.iterdir() if p.name.startswith(".")]


def test_sheets_meta_and_protection(generated: list[Path], catalogue: Catalogue) -> None:
    units = set()
    for path in generated:
        wb = _load(path)
        assert wb.sheetnames == [GUIDE_SHEET, INPUT_SHEET, IKI_SHEET, FACTOR_SHEET, META_SHEET]
        assert [wb[s].sheet_state for s in wb.sheetnames] == [
            "visible",
            "visible",
            "visible",
            "visible",
            "veryHidden",
        ]
        assert wb.active.title == GUIDE_SHEET
        meta = meta_of(wb)
        assert (meta.kind, meta.year, meta.quarter) == (KIND_UNIT, 2018, 2)
        assert meta.catalogue_id == catalogue.catalogue_id
        assert meta.catalogue_hash == catalogue.content_hash
        assert meta.generated_at == STAMP
        units.add(meta.unit_code)
        for name in wb.sheetnames:
            assert wb[name].protection.sheet, name
            assert not wb[name].protection.password, name
    assert units == {u.code for u in catalogue.reporting_units()}


def _editable(meta: TemplateMeta, sheet: str) -> set[str]:
    return {c.cell for c in meta.inputs() if c.sheet == sheet}


def _validated(ws: Worksheet) -> set[str]:
    cells = set()
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            assert rng.min_row == rng.max_row and rng.min_col == rng.max_col
            cells.add(rng.coord)
    return cells


def test_validation_on_exactly_the_quarter_inputs(
    generated: list[Path], catalogue: Catalogue
) -> None:
    for path in generated:
        wb = _load(path)
        meta = meta_of(wb)
        quarter_inputs = {c.cell for c in meta.inputs() if c.field == "TW2"}
        # TW I is open only where no value was accepted (back-filling): UMP.SURAT_MASUK.
        backfill = {c.key: c.cell for c in meta.inputs() if c.field == "TW1"}
        assert backfill.keys() == ({"UMP.SURAT_MASUK"} if meta.unit_code == "UMP" else set())
        assert {c.field for c in meta.inputs()} - {"TW1"} == {"TW2", "note", *FACTOR_FIELDS}
        assert _validated(wb[INPUT_SHEET]) == quarter_inputs | set(backfill.values())
        assert len(quarter_inputs) == len(catalogue.variables_of(meta.unit_code or ""))
        for name in (GUIDE_SHEET, IKI_SHEET):
            assert not wb[name].data_validations.dataValidation
        for dv in wb[INPUT_SHEET].data_validations.dataValidation:
            assert dv.type == "whole"
            assert dv.errorStyle in (None, "stop")
            assert dv.showErrorMessage and dv.showInputMessage
            assert dv.prompt and "Isi bilangan bulat" in dv.prompt
            assert dv.error and "tulis alasannya di Keterangan" in dv.error
            assert dv.formula1 == "0"


def test_upper_bound_from_catalogue(generated: list[Path]) -> None:
    path = next(p for p in generated if "Informasi_Pasar_Kerja" in p.name)
    wb = _load(path)
    meta = meta_of(wb)
    cell = meta.cell_of("IPK.KEC_LAPOR_AK1", "TW2")
    assert cell is not None
    (dv,) = [
        d for d in wb[INPUT_SHEET].data_validations.dataValidation if cell.cell in str(d.sqref)
    ]
    assert (dv.operator or "between", dv.formula1, dv.formula2) == ("between", "0", "33")
    others = [d for d in wb[INPUT_SHEET].data_validations.dataValidation if d is not dv]
    # Every other count has the catalogue's default upper bound (maks_bawaan): a million.
    assert {(d.operator or "between", d.formula1, d.formula2) for d in others} == {
        ("between", "0", "1000000")
    }


def test_colours_locks_and_prefill(generated: list[Path], catalogue: Catalogue) -> None:
    prefill = sample_prefill(catalogue)
    for path in generated:
        wb = _load(path)
        meta = meta_of(wb)
        ws = wb[INPUT_SHEET]
        editable = _editable(meta, INPUT_SHEET)
        mapped = {c.cell for c in meta.cells if c.sheet == INPUT_SHEET}
        data_rows = {ws[c].row for c in mapped}
        for row in ws.iter_rows(min_row=min(data_rows), max_row=max(data_rows)):
            for cell in row:
                assert cell.protection.locked == (cell.coordinate not in editable)
                yellow = cell.fill.fgColor.rgb == "FF" + styles.YELLOW[1:]
                assert yellow == (cell.coordinate in editable and cell.column_letter in "GH")
        for c in meta.cells:
            if c.field == "TW1":
                value = prefill.get(meta.unit_code or "", {}).get((c.key, 1))
                assert ws[c.cell].value == value
                assert c.expected == ("" if value is None else str(int(value)))
                # Accepted: locked, light blue; none accepted: open for back-filling, yellow.
                fill = styles.DONE if value is not None else styles.YELLOW
                assert ws[c.cell].fill.fgColor.rgb == "FF" + fill[1:]
                assert c.editable == (value is None)
            if c.field in ("TW3", "TW4"):
                assert ws[c.cell].value is None and c.expected == ""
                assert ws[c.cell].fill.fgColor.rgb == "FF" + styles.LATER[1:]
            if c.field == "TW2":
                assert ws[c.cell].number_format == styles.WHOLE
            if c.field == "code":
                assert ws[c.cell].value == c.key == c.expected


def _functions(formula: str) -> set[str]:
    return set(re.findall(r"([A-Z][A-Z0-9.]*)\(", formula))


def test_iki_rows_targets_and_formulas(generated: list[Path], catalogue: Catalogue) -> None:
    targets = sample_targets(catalogue)
    for path in generated:
        wb = _load(path)
        meta = meta_of(wb)
        ws = wb[IKI_SHEET]
        header = [c.value for c in ws[6]]
        assert header[:3] == ["No", "Kode", "Kinerja"]
        rows = {r[1].value: r for r in ws.iter_rows(min_row=7) if r[1].value}
        unit = meta.unit_code or ""
        expected = [
            i.code for p in catalogue.positions_of(unit) for i in catalogue.indicators_of(p.code)
        ]
        assert list(rows) == expected
        for code, row in rows.items():
            target = meta.cell_of(code, "target")
            assert target is not None and not target.editable
            assert ws[target.cell].value == targets.get(code)
            assert ws[target.cell].protection.locked
            to_date = meta.cell_of(code, "target_sd")
            assert to_date is not None and not to_date.editable
            assert ws[to_date.cell].protection.locked
            for name in (
                "Realisasi s.d. TW II",
                "Capaian (%)",
                "Predikat",
                "Capaian Tahunan (%)",
                "Keterangan",
            ):
                value = row[header.index(name)].value
                assert isinstance(value, str) and value.startswith("=")
                assert _functions(value) <= ALLOWED_FUNCTIONS
        formulas_isian = [
            c.value
            for row in wb[INPUT_SHEET].iter_rows()
            for c in row
            if str(c.value).startswith("=")
        ]
        # Per variable: each quarter so far as the report reads it, and the value to date.
        assert len(formulas_isian) == (PERIOD.quarter + 1) * len(catalogue.variables_of(unit))
        assert all(_functions(f) <= ALLOWED_FUNCTIONS | TEXT_FUNCTIONS for f in formulas_isian)
        hidden = [k for k, d in wb[INPUT_SHEET].column_dimensions.items() if d.hidden]
        assert hidden == ["M"]  # M:P, the four reading columns, stored as one range


def test_print_setup_and_frozen_headers(generated: list[Path], catalogue: Catalogue) -> None:
    wb = _load(generated[0])
    meta = meta_of(wb)
    unit = catalogue.unit(meta.unit_code or "").nama
    for name in (INPUT_SHEET, IKI_SHEET):
        ws = wb[name]
        assert ws.page_setup.paperSize == 9
        assert ws.page_setup.orientation == "landscape"
        assert (ws.page_setup.fitToWidth or 1, ws.page_setup.fitToHeight) == (1, 0)
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        header = f"{ws.oddHeader.left.text}|{ws.oddHeader.center.text}|{ws.oddHeader.right.text}"
        assert catalogue.office in header and unit in header and PERIOD.label in header
        assert ws.freeze_panes == "A7"
        assert ws.print_title_rows == "$6:$6"
        assert ws.column_dimensions["C"].width > 20
    assert wb[GUIDE_SHEET].page_setup.paperSize == 9


def test_guide_tells_deadline_and_where_to_send(generated: list[Path]) -> None:
    wb = _load(generated[0])
    text = " ".join(str(c.value) for row in wb[GUIDE_SHEET].iter_rows() for c in row if c.value)
    assert "Selasa, 10 Juli 2018" in text  # 10 days after 30 June 2018
    assert Config().send_email in text and "sel berwarna kuning" in text
    assert "Triwulan II 2018" in text


def test_deadline_and_bands_follow_config(tmp_path: Path, catalogue: Catalogue) -> None:
    config = Config(deadline_days=5, bands=((80.0, "Baik"), (60.0, "Cukup")))
    (path,) = [
        p
        for p in generate_templates(catalogue, Period(2018, 4), tmp_path, config=config)
        if "Penempatan" in p.name
    ]
    wb = openpyxl.load_workbook(path)
    text = " ".join(str(c.value) for row in wb[GUIDE_SHEET].iter_rows() for c in row if c.value)
    assert "Sabtu, 5 Januari 2019" in text
    ws = wb[IKI_SHEET]
    header = [c.value for c in ws[6]]
    row = next(r for r in ws.iter_rows(min_row=7) if r[1].value == "PEN-KASI.1")
    capaian = row[header.index("Capaian (%)")].coordinate
    predikat = row[header.index("Predikat")].value
    assert predikat == formulas.predikat(capaian, config.bands)
    assert '"Cukup"' in predikat and "Tinggi" not in predikat


def test_first_quarter_has_nothing_locked_before_it(tmp_path: Path, catalogue: Catalogue) -> None:
    path = generate_templates(catalogue, Period(2018, 1), tmp_path, generated_at=STAMP)[0]
    wb = openpyxl.load_workbook(path)
    meta = meta_of(wb)
    assert {c.field for c in meta.inputs()} == {"TW1", "note", *FACTOR_FIELDS}
    assert {c.expected for c in meta.cells if c.field.startswith("TW")} == {""}


def test_growth_and_negative_indicators_handled_generically(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    catalogue = growth_catalogue(catalogue)
    (path,) = [
        p
        for p in generate_templates(
            catalogue,
            PERIOD,
            tmp_path,
            # Last year's quarters: TW I + TW II to date at TW II; TW III must not count.
            baselines={"PTK-KABID.2": {1: 180.0, 2: 220.0, 3: 999.0}},
            generated_at=STAMP,
        )
        if "Penempatan_Tenaga" in p.name
    ]
    wb = openpyxl.load_workbook(path)
    meta = meta_of(wb)
    baseline = meta.cell_of("PTK-KABID.2", "baseline")
    assert baseline is not None and not baseline.editable and baseline.expected == "400"
    ws = wb[IKI_SHEET]
    assert ws[baseline.cell].value == 400
    assert "Nilai 2017 s.d. TW II" in [c.value for c in ws[6]]
    header = [c.value for c in ws[6]]
    row = ws[ws[baseline.cell].row]
    isian = meta.cell_of("PEN.PENEMPATAN", "code")
    assert isian is not None
    to_date = f"Isian!$K${isian.cell[1:]}"
    assert row[header.index("Realisasi s.d. TW II")].value == formulas.realisation(
        "growth", [to_date, baseline.cell], 100.0
    )
    assert any("(2*" in str(c.value) for r in ws.iter_rows() for c in r)


def test_last_year_to_date_follows_the_aggregation(catalogue: Catalogue) -> None:
    """Flows add quarters 1..q (empty when one is missing); stocks take quarter q."""
    quarters = {"PTK-KABID.2": {1: 5.0, 2: 7.0, 4: 100.0}}
    assert last_year_to_date(catalogue, quarters, 1) == {"PTK-KABID.2": 5.0}
    assert last_year_to_date(catalogue, quarters, 2) == {"PTK-KABID.2": 12.0}
    assert last_year_to_date(catalogue, quarters, 3) == {"PTK-KABID.2": None}
    stock = dataclasses.replace(catalogue.variable("PEN.PENEMPATAN"), agregasi="last")
    variables = tuple(stock if v.code == stock.code else v for v in catalogue.variables)
    stocks = dataclasses.replace(catalogue, variables=variables)
    assert last_year_to_date(stocks, quarters, 2) == {"PTK-KABID.2": 7.0}
    assert last_year_to_date(stocks, quarters, 3) == {"PTK-KABID.2": None}
    assert last_year_to_date(stocks, quarters, 4) == {"PTK-KABID.2": 100.0}


def test_growth_without_all_of_last_years_quarters_shows_nothing(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    catalogue = growth_catalogue(catalogue)
    paths = generate_templates(
        catalogue, PERIOD, tmp_path, baselines={"PTK-KABID.2": {2: 220.0}}, generated_at=STAMP
    )
    (path,) = [p for p in paths if "Penempatan_Tenaga" in p.name]
    wb = openpyxl.load_workbook(path)
    baseline = meta_of(wb).cell_of("PTK-KABID.2", "baseline")
    assert baseline is not None and baseline.expected == ""
    assert wb[IKI_SHEET][baseline.cell].value is None


def test_formula_text() -> None:
    assert formulas.to_date("sum", ["M7", "N7"]) == '=IF(COUNT(M7:N7)=2,SUM(M7:N7),"")'
    assert formulas.to_date("last", ["M7", "N7"]) == '=IF(ISNUMBER(N7),N7,"")'
    read = formulas.read_number("H7")
    text = 'TRIM(SUBSTITUTE(SUBSTITUTE(SUBSTITUTE(H7,CHAR(9)," "),CHAR(10)," "),CHAR(13)," "))'
    digits = f'MID({text},1+(LEFT({text},1)="+"),LEN({text}))'
    assert read.startswith(f"=IF(ISNUMBER(H7),H7,IF(ISTEXT(H7),IF(AND(LEN({digits})>0,")
    assert read.endswith(f'VALUE({digits}),""),""))')
    assert formulas.capaian_to_date("J8", "H8", "G8", "positif") == (
        '=IF(ISNUMBER(H8),IF(AND(ISNUMBER(J8),ISNUMBER(H8)),IF(H8=0,"",J8/H8*100),""),'
        'IF(AND(ISNUMBER(J8),ISNUMBER(G8)),IF(G8=0,"",J8/G8*100),""))'
    )
    assert formulas.predikat("K8", [(91.0, "Sangat Tinggi")]) == (
        '=IF(ISNUMBER(K8),IF(ROUND(K8,9)>=91,"Sangat Tinggi","Sangat Rendah"),"")'
    )
    assert formulas.realisation("ratio", ["A1", "B1"], 100.0) == (
        '=IF(AND(ISNUMBER(A1),ISNUMBER(B1)),IF(B1=0,"",A1/B1*100),"")'
    )
    assert formulas.capaian("H8", "G8", "negatif") == (
        '=IF(AND(ISNUMBER(H8),ISNUMBER(G8)),IF(G8=0,"",(2*G8-H8)/G8*100),"")'
    )
    with pytest.raises(ValueError, match="unknown indicator kind"):
        formulas.realisation("median", ["A1"], 1.0)


def test_targets_workbook(tmp_path: Path, catalogue: Catalogue) -> None:
    path = tmp_path / "Target_IKI_2018.xlsx"
    meta = write_targets_template(
        path, catalogue, 2018, targets={"UMP-KA.3": 85.5}, generated_at=STAMP
    )
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [GUIDE_SHEET, TARGET_SHEET, ROSTER_SHEET, META_SHEET]
    assert wb[META_SHEET].sheet_state == "veryHidden"
    assert meta_of(wb) == meta
    assert (meta.kind, meta.year, meta.quarter, meta.unit_code) == (KIND_TARGETS, 2018, None, None)
    targets = [c for c in meta.cells if c.field == "target"]
    baselines = [c for c in meta.cells if c.field in BASELINE_FIELDS]
    assert sorted(c.key for c in targets) == sorted(i.code for i in catalogue.indicators)
    assert sorted((c.key, c.field) for c in baselines) == [
        (code, field) for code in ("PTK-KABID.2", "PTK-KABID.3") for field in BASELINE_FIELDS
    ]
    assert all(c.editable for c in meta.cells)
    ws = wb[TARGET_SHEET]
    assert ws.protection.sheet
    assert _validated(ws) == {c.cell for c in meta.cells if c.sheet == TARGET_SHEET}
    assert _validated(wb[ROSTER_SHEET]) == {c.cell for c in meta.cells if c.sheet == ROSTER_SHEET}
    kinds = {}
    for dv in ws.data_validations.dataValidation:
        kinds[str(dv.sqref)] = dv.type
    pct = meta.cell_of("UMP-KA.3", "target")
    count = meta.cell_of("UMP-KA.1", "target")
    assert pct is not None and count is not None
    assert (kinds[pct.cell], kinds[count.cell]) == ("decimal", "whole")
    assert ws[pct.cell].value == 85.5 and pct.expected == "85.5"
    assert not ws[pct.cell].protection.locked
    # Last year's quarters: whole numbers from 0 to the variable's upper bound, in one row
    # beside the target, headed by year and quarter.
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    growth = [c for c in baselines if c.key == "PTK-KABID.2"]
    assert {
        (rules[c.cell].type, rules[c.cell].operator or "between", rules[c.cell].formula1)
        for c in growth
    } == {("whole", "between", "0")}
    target = meta.cell_of("PTK-KABID.2", "target")
    assert target is not None
    assert {ws[c.cell].row for c in growth} == {ws[target.cell].row}
    headers = [ws.cell(7, ws[c.cell].column).value for c in growth]
    assert headers == [f"Realisasi 2017 TW {q}" for q in ("I", "II", "III", "IV")]
    assert "TW II 2017" in str(rules[growth[1].cell].prompt)
    rows = [r[1].value for r in ws.iter_rows(min_row=8)]
    assert rows.index("SEK-SEKDIN.1") < rows.index("UMP-KA.1") < rows.index("PMD-KASI.1")


def test_targets_workbook_holds_the_rencana_aksi(tmp_path: Path, catalogue: Catalogue) -> None:
    path = tmp_path / "Target_IKI_2018.xlsx"
    plan = TargetPlan(40.0, {1: 8.0, 2: 12.0, 3: 10.0, 4: 10.0}, "", "negatif")
    meta = write_targets_template(path, catalogue, 2018, targets={"UMP-KA.1": plan})
    wb = openpyxl.load_workbook(path)
    ws = wb[TARGET_SHEET]
    rules = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    # One row per indicator: Target TW I..IV then Target Tahunan, headed so.
    row = [meta.cell_of("UMP-KA.1", f) for f in (*TARGET_QUARTER_FIELDS, "target")]
    assert all(c is not None and c.editable for c in row)
    headers = [ws.cell(7, ws[c.cell].column).value for c in row if c]
    assert headers == [*(f"Target TW {q}" for q in ("I", "II", "III", "IV")), "Target Tahunan 2018"]
    assert [ws[c.cell].value for c in row if c] == [8, 12, 10, 10, 40]
    assert {rules[c.cell].type for c in row if c} == {"whole"}
    assert "Target TW III 2018" in {rules[c.cell].promptTitle for c in row if c}
    # Calculation type: a choice where quarters add up, pre-filled from the catalogue;
    # fixed (not mapped) for percentages and stocks. Polarity: a choice everywhere.
    flow = meta.cell_of("UMP-KA.1", CALCULATION_FIELD)
    assert flow is not None and ws[flow.cell].value == "kumulatif"
    assert (
        rules[flow.cell].type == "list" and rules[flow.cell].formula1 == '"kumulatif,nilai-akhir"'
    )
    assert meta.cell_of("SEK-SEKDIN.1", CALCULATION_FIELD) is None
    polarity = meta.cell_of("UMP-KA.1", POLARITY_FIELD)
    assert polarity is not None and ws[polarity.cell].value == "negatif"
    assert rules[polarity.cell].formula1 == '"positif,negatif"'
    calculations = [c for c in meta.cells if c.field == CALCULATION_FIELD]
    assert len(calculations) == sum(catalogue.additive(i) for i in catalogue.indicators) == 49
    # Berlaku mulai: one cell for the workbook, TW I by default.
    effective = meta.cell_of(WORKBOOK_KEY, EFFECTIVE_FIELD)
    assert effective is not None and ws[effective.cell].value == "TW I"
    assert rules[effective.cell].formula1 == '"TW I,TW II,TW III,TW IV"'
    assert not ws[effective.cell].protection.locked
    revision = write_targets_template(tmp_path / "r.xlsx", catalogue, 2018, effective_from=3)
    start = revision.cell_of(WORKBOOK_KEY, EFFECTIVE_FIELD)
    assert start is not None and start.expected == "TW III"
    assert targets_filename(2018, 3) == "Target_IKI_2018_perubahan_TW3.xlsx"
    assert targets_filename(2018) == "Target_IKI_2018.xlsx"


def test_prefill_from_inbox_frames(catalogue: Catalogue) -> None:
    values = pd.DataFrame(
        {
            "unit": ["PEN", "PEN", "PEN", "PEN", "UMP"],
            "year": [2018, 2018, 2018, 2017, 2018],
            "quarter": [1, 2, 1, 1, 1],
            "variable": ["PEN.A", "PEN.A", "PEN.B", "PEN.A", "UMP.C"],
            "value": [4.0, 9.0, math.nan, 1.0, 0.0],
        }
    )
    assert prefill_from_values(values, PERIOD) == {
        "PEN": {("PEN.A", 1): 4.0},
        "UMP": {("UMP.C", 1): 0.0},
    }
    targets = pd.DataFrame(
        {
            "indicator": ["UMP-KA.1", "UMP-KA.2", "PTK-KABID.2", "UMP-KA.1"],
            "year": [2018, 2018, 2018, 2017],
            "target": [80.0, math.nan, 5.0, 70.0],
            "target_tw1": [20.0, math.nan, math.nan, 10.0],
            "target_tw2": [25.0, math.nan, math.nan, 10.0],
        }
    )
    assert plans_in_effect(targets, catalogue, PERIOD) == {
        "UMP-KA.1": TargetPlan(80.0, {1: 20.0, 2: 25.0}, "kumulatif", "positif"),
        "PTK-KABID.2": TargetPlan(5.0, {}, "nilai-akhir", "positif"),
    }


def test_baselines_from_last_years_values(catalogue: Catalogue) -> None:
    """Growth indicator -> {quarter: value} of year - 1, only from the variable's own unit."""
    values = pd.DataFrame(
        {
            "unit": ["PEN", "PEN", "PEN", "PEN", "PKK", "UMP"],
            "year": [2017, 2017, 2017, 2018, 2017, 2017],
            "quarter": [1, 2, 3, 1, 1, 1],
            "variable": ["PEN.PENEMPATAN"] * 4 + ["PKK.PENYERAPAN_TK", "PEN.PENEMPATAN"],
            "value": [180.0, 220.0, math.nan, 5.0, 60.0, 1.0],
        }
    )
    assert baselines_from_values(values, catalogue, 2018) == {
        "PTK-KABID.2": {1: 180.0, 2: 220.0},
        "PTK-KABID.3": {1: 60.0},
    }


def test_cli_generates_templates_and_targets(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "tw3"
    refused = runner.invoke(main, ["templates", "--period", "2018-tw3", "--out", str(out)])
    assert refused.exit_code == 2 and "--tanpa-data-sebelumnya" in refused.stderr
    assert not out.exists()  # nothing written: earlier quarters would show locked and empty
    empty = tmp_path / "kosong"
    empty.mkdir()
    refused = runner.invoke(
        main, ["templates", "--period", "2018-TW3", "--inbox", str(empty), "--out", str(out)]
    )
    assert refused.exit_code == 2, refused.output
    assert "tidak ada target tahun 2018 dan kiriman diterima untuk TW I, TW II 2018" in (
        " ".join(refused.stderr.split())
    )
    result = runner.invoke(
        main, ["templates", "--period", "2018-tw3", "--tanpa-data-sebelumnya", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert len(list(out.glob("IKI_2018_TW3_*.xlsx"))) == 15
    assert "15 template Triwulan III 2018 ditulis" in result.stderr
    target = tmp_path / "t.xlsx"
    result = runner.invoke(main, ["targets-template", "--year", "2019", "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{target}\n"
    result = runner.invoke(main, ["templates", "--period", "2018-TW5"])
    assert result.exit_code == 2 and "Periode '2018-TW5' tidak dikenal" in result.stderr


def test_cli_prefills_from_inbox(tmp_path: Path, catalogue: Catalogue) -> None:
    """TW I submissions and the targets workbook in the inbox appear locked in TW II."""
    pytest.importorskip("pipeline.inbox")
    runner = CliRunner()
    tw1 = tmp_path / "tw1"
    generate_templates(catalogue, Period(2018, 1), tw1)
    write_targets_template(tw1 / "Target_IKI_2018.xlsx", catalogue, 2018)
    sources = [
        tw1 / template_filename(catalogue, "PEN", Period(2018, 1)),
        tw1 / template_filename(catalogue, "UMP", Period(2018, 1)),
        tw1 / "Target_IKI_2018.xlsx",
    ]
    inbox = tmp_path / "inbox"
    args = ["fill-example", *map(str, sources), "--seed", "1", "--out", str(inbox)]
    assert runner.invoke(main, args).exit_code == 0
    out = tmp_path / "tw2"
    result = runner.invoke(
        main, ["templates", "--period", "2018-TW2", "--inbox", str(inbox), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert (
        "17 angka triwulan sebelumnya, 67 target, 8 angka tahun lalu untuk indikator pertumbuhan"
        in result.stderr
    )
    sent = openpyxl.load_workbook(inbox / sources[1].name)
    sent_meta = meta_of(sent)
    wb = openpyxl.load_workbook(out / template_filename(catalogue, "UMP", PERIOD))
    meta = meta_of(wb)
    for variable in catalogue.variables_of("UMP"):
        before, now = sent_meta.cell_of(variable.code, "TW1"), meta.cell_of(variable.code, "TW1")
        assert before is not None and now is not None and not now.editable
        value = sent[INPUT_SHEET][before.cell].value
        assert isinstance(value, int)
        assert wb[INPUT_SHEET][now.cell].value == value and now.expected == str(value)
    targets = openpyxl.load_workbook(inbox / "Target_IKI_2018.xlsx")
    target = meta_of(targets).cell_of("UMP-KA.1", "target")
    shown = meta.cell_of("UMP-KA.1", "target")
    assert target is not None and shown is not None
    assert wb[IKI_SHEET][shown.cell].value == targets[TARGET_SHEET][target.cell].value
    # The target to date of a kumulatif indicator: TW I + TW II of the Rencana Aksi.
    quarters = [meta_of(targets).cell_of("UMP-KA.1", f"target_TW{q}") for q in (1, 2)]
    planned = sum(targets[TARGET_SHEET][c.cell].value for c in quarters if c)
    to_date = meta.cell_of("UMP-KA.1", "target_sd")
    assert to_date is not None and wb[IKI_SHEET][to_date.cell].value == planned > 0
    # A revision from TW III starts from the targets in effect.
    revision = tmp_path / "perubahan"
    args = ["targets-template", "--year", "2018", "--berlaku-mulai", "TW3", "--inbox", str(inbox)]
    result = runner.invoke(main, [*args, "--out", str(revision / "p.xlsx")])
    assert result.exit_code == 0, result.output
    again = openpyxl.load_workbook(revision / "p.xlsx")
    again_meta = meta_of(again)
    effective = again_meta.cell_of("workbook", "effective_from")
    assert effective is not None and again[TARGET_SHEET][effective.cell].value == "TW III"
    for code, field in (
        ("UMP-KA.1", "target"),
        ("UMP-KA.1", "target_TW4"),
        ("SEK-SEKDIN.1", "target_TW2"),
    ):
        before, now = meta_of(targets).cell_of(code, field), again_meta.cell_of(code, field)
        assert before is not None and now is not None
        assert again[TARGET_SHEET][now.cell].value == targets[TARGET_SHEET][before.cell].value
    result = runner.invoke(main, ["targets-template", "--year", "2018", "--berlaku-mulai", "Juli"])
    assert result.exit_code == 2 and "--berlaku-mulai 'Juli' tidak dikenal" in result.stderr
