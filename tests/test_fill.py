"""Filling templates through the `_meta` contract, and the example values it fills with."""

from __future__ import annotations

import random
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from pipeline.catalogue import load_catalogue
from pipeline.catalogue.model import Catalogue
from pipeline.cli import main
from pipeline.contract import (
    BASELINE_FIELDS,
    CHOICE_FIELDS,
    INPUT_SHEET,
    META_SHEET,
    QUARTER_FIELDS,
    TARGET_QUARTER_FIELDS,
    TEXT_FIELDS,
    ContractError,
)
from pipeline.fill import UnmappedCellError, example_values, fill_workbook, read_meta
from pipeline.periods import Period
from pipeline.templates import generate_templates, write_targets_template

CATALOGUE = load_catalogue()


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("tpl")
    prefill: dict[str, dict[tuple[str, int], float]] = {}
    for v in CATALOGUE.variables:
        prefill.setdefault(v.unit, {}).update({(v.code, 1): 10.0, (v.code, 2): 10.0})
    paths = generate_templates(CATALOGUE, Period(2018, 3), out, prefill=prefill)
    write_targets_template(out / "Target_IKI_2018.xlsx", CATALOGUE, 2018)
    return [*paths, out / "Target_IKI_2018.xlsx"]


def _unit_template(templates: list[Path], name: str) -> Path:
    return next(p for p in templates if name in p.name)


def test_fill_writes_mapped_cells_and_keeps_everything_else(
    templates: list[Path], tmp_path: Path
) -> None:
    src = _unit_template(templates, "Umum_dan_Kepegawaian")
    dst = tmp_path / "out" / src.name
    fill_workbook(
        src,
        dst,
        {
            ("UMP.PNS_KGB", "TW3"): 12.0,
            ("UMP.PEGAWAI", "TW3"): 48,
            ("UMP.PNS_KGB", "note"): '=HYPERLINK("x")  angka dari SIMPEG',
            ("UMP.PNS_KGB", "TW1"): 99,  # a locked cell: allowed, as tampering tests need it
        },
    )
    before, after = openpyxl.load_workbook(src), openpyxl.load_workbook(dst)
    meta = read_meta(dst)
    assert meta == read_meta(src)
    ws = after[INPUT_SHEET]
    cell = meta.cell_of("UMP.PNS_KGB", "TW3")
    assert cell is not None and ws[cell.cell].value == 12
    assert isinstance(ws[cell.cell].value, int)
    note = meta.cell_of("UMP.PNS_KGB", "note")
    assert note is not None
    assert ws[note.cell].data_type == "s"  # text stays text, never a formula
    tw1 = meta.cell_of("UMP.PNS_KGB", "TW1")
    assert tw1 is not None and ws[tw1.cell].value == 99
    assert after.sheetnames == before.sheetnames
    assert after[META_SHEET].sheet_state == "veryHidden"
    for name in before.sheetnames:
        assert after[name].protection.sheet
        assert len(after[name].data_validations.dataValidation) == len(
            before[name].data_validations.dataValidation
        )
    iki_formulas = [c.value for r in after["IKI"].iter_rows() for c in r if str(c.value)[:1] == "="]
    assert iki_formulas == [
        c.value for r in before["IKI"].iter_rows() for c in r if str(c.value)[:1] == "="
    ]
    assert not ws[cell.cell].protection.locked


def test_unmapped_key_is_a_clear_error(templates: list[Path], tmp_path: Path) -> None:
    src = _unit_template(templates, "Umum_dan_Kepegawaian")
    with pytest.raises(UnmappedCellError, match=r"UMP\.TIDAK_ADA/TW3"):
        fill_workbook(src, tmp_path / "x.xlsx", {("UMP.TIDAK_ADA", "TW3"): 1})
    assert not (tmp_path / "x.xlsx").exists()


def test_not_a_template(tmp_path: Path) -> None:
    path = tmp_path / "plain.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(ContractError):
        read_meta(path)
    with pytest.raises(ContractError):
        fill_workbook(path, tmp_path / "y.xlsx", {})


def _check_unit_values(values: dict[tuple[str, str], float], catalogue: Catalogue) -> None:
    for (code, field), value in values.items():
        variable = catalogue.variable(code)
        assert field in QUARTER_FIELDS
        assert value == int(value) and value >= variable.minimum
        assert variable.maksimum is None or value <= variable.maksimum
    for indicator in catalogue.indicators:
        if indicator.kind == "ratio" and indicator.bagian:
            num, den = indicator.variables
            for field in QUARTER_FIELDS:
                if (num, field) in values and (den, field) in values:
                    assert values[(num, field)] <= values[(den, field)]


def test_example_values_cover_every_input_within_bounds(templates: list[Path]) -> None:
    for path in templates[:-1]:
        meta = read_meta(path)
        values = example_values(meta, CATALOGUE, random.Random(7))
        assert set(values) == {(c.key, c.field) for c in meta.inputs() if c.field == "TW3"}
        _check_unit_values(values, CATALOGUE)
        assert values == example_values(meta, CATALOGUE, random.Random(7))


def test_example_stocks_move_slowly_from_last_quarter(templates: list[Path]) -> None:
    meta = read_meta(_unit_template(templates, "Umum_dan_Kepegawaian"))
    values = example_values(meta, CATALOGUE, random.Random(1))
    assert 9 <= values[("UMP.PEGAWAI", "TW3")] <= 11  # TW II was 10


def test_example_targets_fit_the_indicator(templates: list[Path]) -> None:
    meta = read_meta(templates[-1])
    values = example_values(meta, CATALOGUE, random.Random(3))
    numbers = {
        (c.key, c.field)
        for c in meta.inputs()
        if c.field not in CHOICE_FIELDS and c.field not in TEXT_FIELDS
    }
    assert {k for k in values if k[1] not in TEXT_FIELDS} == numbers
    for (code, field), value in values.items():
        if field in TEXT_FIELDS:
            continue
        indicator = CATALOGUE.indicator(code)
        if field in BASELINE_FIELDS:
            # Last year's quarter of the variable: a whole number of its typical quarterly size.
            assert indicator.kind == "growth" and value == int(value)
            assert CATALOGUE.variable(indicator.variables[0]).satuan == "orang"
            assert 16 <= value <= 315  # 0.8 to 1.05 x a typical quarter of 20 to 300 orang
        elif field in TARGET_QUARTER_FIELDS:
            assert value >= 0
        elif indicator.kind == "ratio":
            assert 60 <= value <= 100
        elif indicator.kind == "count":
            assert value >= 1 and value == int(value)
    # A Rencana Aksi that adds up: kumulatif quarters sum to the year, nilai-akhir ends on it.
    for indicator in CATALOGUE.indicators:
        quarters = [values[(indicator.code, f)] for f in TARGET_QUARTER_FIELDS]
        annual = values[(indicator.code, "target")]
        if indicator.perhitungan == "kumulatif":
            assert sum(quarters) == annual and all(q == int(q) for q in quarters)
        else:
            assert quarters[-1] == annual and quarters == sorted(quarters)


@given(numbers=st.lists(st.integers(min_value=0, max_value=33), min_size=5, max_size=5))
def test_filled_values_read_back(
    templates: list[Path], tmp_path_factory: pytest.TempPathFactory, numbers: list[int]
) -> None:
    src = _unit_template(templates, "Informasi_Pasar_Kerja")
    meta = read_meta(src)
    keys = [(c.key, c.field) for c in meta.inputs() if c.field == "TW3"]
    dst = tmp_path_factory.mktemp("h") / "f.xlsx"
    fill_workbook(src, dst, dict(zip(keys, numbers, strict=True)))
    wb = openpyxl.load_workbook(dst, read_only=True)
    got = []
    for key, field in keys:
        cell = meta.cell_of(key, field)
        assert cell is not None
        got.append(wb[cell.sheet][cell.cell].value)
    wb.close()
    assert got == numbers


def test_cli_fill_example_is_reproducible(templates: list[Path], tmp_path: Path) -> None:
    runner = CliRunner()
    src = _unit_template(templates, "Penempatan_Tenaga")
    for out in ("a", "b"):
        result = runner.invoke(
            main,
            [
                "fill-example",
                str(src),
                str(templates[-1]),
                "--seed",
                "5",
                "--out",
                str(tmp_path / out),
            ],
        )
        assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == f"{tmp_path / 'b' / src.name} (2 sel)"
    meta = read_meta(src)
    cells = [(c.sheet, c.cell) for c in meta.inputs() if c.field == "TW3"]
    a = openpyxl.load_workbook(tmp_path / "a" / src.name)
    b = openpyxl.load_workbook(tmp_path / "b" / src.name)
    assert [a[s][c].value for s, c in cells] == [b[s][c].value for s, c in cells]
    assert all(isinstance(a[s][c].value, int) for s, c in cells)
    result = runner.invoke(main, ["fill-example", str(src), "--out", str(src.parent)])
    assert result.exit_code == 2 and "tertimpa" in result.stderr
