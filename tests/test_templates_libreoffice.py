"""Real LibreOffice: filled templates recalculate to what pipeline.measure computes.

One batched soffice call converts every filled template (and the targets workbook) with a
profile that forces full recalculation on load; the saved files are then read back.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from pipeline import measure
from pipeline.catalogue import load_catalogue
from pipeline.catalogue.model import Catalogue
from pipeline.contract import (
    BASELINE_FIELDS,
    IKI_SHEET,
    INPUT_SHEET,
    META_SHEET,
    TemplateMeta,
    parse_meta,
)
from pipeline.fill import example_values, fill_workbook, read_meta
from pipeline.periods import Period
from pipeline.templates import generate_templates, write_targets_template
from pipeline.templates.formulas import expected_reason
from tests.libreoffice import convert, requires_libreoffice
from tests.test_templates import growth_catalogue, sample_prefill, sample_targets

pytestmark = [pytest.mark.libreoffice, requires_libreoffice]

PERIOD = Period(2018, 2)
BASELINES = {"PTK-KABID.2": {1: 180.0, 2: 220.0, 3: 999.0}}  # last year's quarters
RAW_UNIT = "PYP"  # sent through LibreOffice unfilled: every result must be empty
# Edge cases written into the Sub Bagian Umum template over the example values.
EDGES: dict[tuple[str, str], float | None] = {
    ("UMP.SERVIS_REALISASI", "TW2"): 0,  # 0/0
    ("UMP.SERVIS_RENCANA", "TW2"): 0,
    ("UMP.DATA_PEG_DISUSUN", "TW2"): 5,  # n/0
    ("UMP.PEGAWAI", "TW2"): 0,
    ("UMP.PNS_KGB", "TW2"): None,  # left empty
}


@pytest.fixture(scope="module")
def roundtrip(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Generate, fill, convert once; hand every test the inputs and LibreOffice's outputs."""
    root = tmp_path_factory.mktemp("lo")
    cat = growth_catalogue(load_catalogue())
    prefill = sample_prefill(cat)
    for code in ("UMP.SERVIS_REALISASI", "UMP.SERVIS_RENCANA"):  # TW I 0 too: 0/0 to date
        prefill["UMP"][(code, 1)] = 0.0
    sources = generate_templates(
        cat,
        PERIOD,
        root / "src",
        prefill=prefill,
        targets=sample_targets(cat),
        baselines=BASELINES,
    )
    targets_src = root / "src" / "Target_IKI_2018.xlsx"
    write_targets_template(targets_src, cat, 2018)
    filled: dict[str, dict[tuple[str, str], Any]] = {}
    to_convert = []
    for n, src in enumerate([*sources, targets_src]):
        meta = read_meta(src)
        values: dict[tuple[str, str], Any] = {}
        if meta.unit_code != RAW_UNIT:
            values = dict(example_values(meta, cat, random.Random(n)))
        if meta.unit_code == "UMP":
            values.update(EDGES)
            values[("UMP.PNS_KGB", "note")] = "belum ada data dari BKD"
        dst = root / "filled" / src.name
        fill_workbook(src, dst, values)
        filled[meta.unit_code or "targets"] = values
        to_convert.append(dst)
    outputs = convert(to_convert, "xlsx", root / "out")
    return {
        "catalogue": cat,
        "prefill": prefill,
        "filled": filled,
        "pairs": list(zip(to_convert, outputs, strict=True)),
    }


def _value(raw: Any) -> Any:
    return None if raw in (None, "") else raw


def _expected_to_date(
    cat: Catalogue, unit: str, prefill: dict[str, dict[tuple[str, int], float]], filled: Any
) -> dict[str, float | None]:
    result = {}
    for variable in cat.variables_of(unit):
        by_quarter = {
            # TW I accepted earlier, else what the unit back-filled in its open TW I cell
            1: prefill.get(unit, {}).get((variable.code, 1), filled.get((variable.code, "TW1"))),
            2: filled.get((variable.code, "TW2")),
        }
        result[variable.code] = measure.aggregate(by_quarter, variable.agregasi, 2)
    return result


def _check_unit(out: Path, meta: TemplateMeta, rt: dict[str, Any]) -> int:
    """Compare one recalculated unit workbook with the reference measures; return rows seen."""
    cat: Catalogue = rt["catalogue"]
    unit = meta.unit_code or ""
    to_date = _expected_to_date(cat, unit, rt["prefill"], rt["filled"][unit])
    wb = openpyxl.load_workbook(out, data_only=True)
    isian = wb[INPUT_SHEET]
    for code, value in to_date.items():
        cell = meta.cell_of(code, "code")
        assert cell is not None
        got = _value(isian[f"K{isian[cell.cell].row}"].value)
        assert got == (None if value is None else pytest.approx(value)), (unit, code)
    ws = wb[IKI_SHEET]
    header = [c.value for c in ws[6]]
    col = {name: header.index(name) for name in header if name}
    seen = 0
    for row in ws.iter_rows(min_row=7):
        code = row[col["Kode"]].value
        if not code:
            continue
        indicator = cat.indicator(code)
        inputs: list[float | None] = [to_date[v] for v in indicator.variables]
        if indicator.kind == "growth":
            variable = cat.variable(indicator.variables[0])
            inputs.append(measure.aggregate(BASELINES[code], variable.agregasi, 2))
        target_cell = meta.cell_of(code, "target")
        assert target_cell is not None
        target = float(target_cell.expected) if target_cell.expected else None
        real = measure.indicator_value(indicator.kind, inputs, indicator.factor)
        cap = measure.capaian(real.value, target, indicator.polaritas)
        got_real = _value(row[col["Realisasi s.d. TW II"]].value)
        got_cap = _value(row[col["Capaian (%)"]].value)
        assert got_real == (None if real.value is None else pytest.approx(real.value)), code
        assert got_cap == (None if cap.value is None else pytest.approx(cap.value)), code
        assert (_value(row[col["Predikat"]].value) or "") == measure.predikat(cap.value), code
        reason = expected_reason(
            indicator.kind, inputs, indicator.factor, target, indicator.polaritas
        )
        assert (_value(row[col["Keterangan"]].value) or "") == reason, code
        seen += 1
    for sheet in (isian, ws):
        for r in sheet.iter_rows():
            for c in r:
                assert not (isinstance(c.value, str) and c.value.startswith(("#", "Err:"))), c
    return seen


def test_recalculated_formulas_equal_reference_measures(roundtrip: dict[str, Any]) -> None:
    rows = 0
    reasons = set()
    for src, out in roundtrip["pairs"]:
        meta = read_meta(src)
        if meta.unit_code:
            rows += _check_unit(out, meta, roundtrip)
            ws = openpyxl.load_workbook(out, data_only=True)[IKI_SHEET]
            reasons |= {r[-1].value for r in ws.iter_rows(min_row=7) if r[1].value}
    cat: Catalogue = roundtrip["catalogue"]
    assert rows == sum(
        len(cat.indicators_of(p.code))
        for u in cat.reporting_units()
        for p in cat.positions_of(u.code)
    )
    # The edge cases really happened, so the comparisons above covered them.
    assert {
        measure.ZERO_OVER_ZERO,
        measure.DIVISION_BY_ZERO,
        measure.NO_DATA,
        measure.NO_TARGET,
        measure.ZERO_TARGET,
    } <= reasons


def test_structure_survives_a_libreoffice_save(roundtrip: dict[str, Any]) -> None:
    for src, out in roundtrip["pairs"]:
        before, after = openpyxl.load_workbook(src), openpyxl.load_workbook(out)
        assert after.sheetnames == before.sheetnames
        # LibreOffice 7.4 saves a very hidden sheet as hidden (measured; it also drops the
        # structure lock). Hidden is what survives; the reader checks content, not visibility.
        assert before[META_SHEET].sheet_state == "veryHidden"
        assert after[META_SHEET].sheet_state in ("hidden", "veryHidden")
        meta = parse_meta(list(after[META_SHEET].iter_rows(values_only=True)))
        assert meta == read_meta(src)
        for name in before.sheetnames:
            assert after[name].protection.sheet, (out.name, name)
            kept = {
                (str(dv.sqref), dv.type, dv.formula1, dv.prompt, dv.error)
                for dv in after[name].data_validations.dataValidation
            }
            made = {
                (str(dv.sqref), dv.type, dv.formula1, dv.prompt, dv.error)
                for dv in before[name].data_validations.dataValidation
            }
            assert kept == made, (out.name, name)
        for cell in meta.inputs():
            assert not after[cell.sheet][cell.cell].protection.locked
        for cell in meta.cells:
            if not cell.editable:
                assert after[cell.sheet][cell.cell].protection.locked


def test_filled_values_and_notes_survive(roundtrip: dict[str, Any]) -> None:
    for name, filled in (("Umum_dan_Kepegawaian", "UMP"), ("Target_IKI", "targets")):
        (src, out) = next(p for p in roundtrip["pairs"] if name in p[0].name)
        meta = read_meta(src)
        wb = openpyxl.load_workbook(out)
        values = roundtrip["filled"][filled]
        assert values
        for (key, field), value in values.items():
            cell = meta.cell_of(key, field)
            assert cell is not None
            assert wb[cell.sheet][cell.cell].value == value, (name, key, field)
    # The targets workbook's quarterly baselines were filled and came back as numbers.
    assert {f for _, f in roundtrip["filled"]["targets"]} >= set(BASELINE_FIELDS)
