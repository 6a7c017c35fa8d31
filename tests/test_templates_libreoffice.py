"""Real LibreOffice: filled templates recalculate to what pipeline.measure computes.

One batched soffice call converts every filled template (and the targets workbook) with a
profile that forces full recalculation on load; the saved files are then read back. The
templates carry a Rencana Aksi (quarterly targets of both calculation types, annual-only
targets, a target to date of 0, a polarity chosen in the targets workbook), and some values
are typed as text ('129): the live sheets must read them as the report does.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from pipeline import measure
from pipeline.catalogue import load_catalogue
from pipeline.catalogue.model import Catalogue, Indicator
from pipeline.contract import (
    BASELINE_FIELDS,
    IKI_SHEET,
    INPUT_SHEET,
    META_SHEET,
    TARGET_QUARTER_FIELDS,
    TemplateMeta,
    parse_meta,
)
from pipeline.fill import example_values, fill_workbook, read_meta
from pipeline.inbox.cells import classify
from pipeline.periods import Period
from pipeline.rencana import TargetPlan, as_plan
from pipeline.submission import NUMBER
from pipeline.templates import generate_templates, write_targets_template
from pipeline.templates.formulas import expected_reason
from tests.libreoffice import convert, requires_libreoffice
from tests.test_templates import growth_catalogue, sample_prefill, sample_targets

pytestmark = [pytest.mark.libreoffice, requires_libreoffice]

PERIOD = Period(2018, 2)
BASELINES = {"PTK-KABID.2": {1: 180.0, 2: 220.0, 3: 999.0}}  # last year's quarters
RAW_UNIT = "PYP"  # sent through LibreOffice unfilled: every result must be empty
# Edge cases written into the Sub Bagian Umum template over the example values.
EDGES: dict[tuple[str, str], float | str | None] = {
    ("UMP.SERVIS_REALISASI", "TW2"): 0,  # 0/0
    ("UMP.SERVIS_RENCANA", "TW2"): 0,
    ("UMP.DATA_PEG_DISUSUN", "TW2"): 5,  # n/0
    ("UMP.PEGAWAI", "TW2"): 0,
    ("UMP.PNS_KGB", "TW2"): None,  # left empty
    # Numbers typed as text: the report reads them, so must the live sheets.
    ("UMP.PNS_AJU_LAYANAN", "TW2"): "129",
    ("UMP.PNS_LAYANAN_TEPAT", "TW2"): " 101 ",
    ("UMP.SURAT_KELUAR", "TW2"): "+42",
    ("UMP.DOK_ADM_UMUM", "TW2"): "0012",
    ("UMP.SURAT_MAILTRACK", "TW2"): "15\n",
    ("UMP.KEGIATAN_DOKUMENTASI", "TW2"): "7 kegiatan",  # not a number: read by neither
    ("UMP.SURAT_MASUK", "TW1"): " 55",  # back-filled (TW I had no accepted value), as text
}
TEXT_UNITS = {"KEU": "\t33", "PEN": "'8"}  # first TW2 cell of these units, as text


def sample_plans(catalogue: Catalogue) -> dict[str, TargetPlan | float]:
    """A Rencana Aksi for most indicators; annual targets alone (and none) for some."""
    plans: dict[str, TargetPlan | float] = {}
    for code, annual in sample_targets(catalogue).items():
        indicator = catalogue.indicator(code)
        if indicator.order == 2:
            plans[code] = annual  # no quarterly targets: rated against the annual target
        elif catalogue.perhitungan(indicator) == "kumulatif":
            plans[code] = TargetPlan(annual, {1: annual / 5, 2: annual / 4}, "", "")
        else:
            plans[code] = TargetPlan(annual, {1: annual - 5, 2: annual - 2.5}, "", "")
    plans["UMP-ADMUMUM.1"] = TargetPlan(40.0, {1: 0.0, 2: 0.0}, "", "")  # nothing planned yet
    plans["UMP-ADMPEG.1"] = 0.0  # an annual target of 0 and no quarterly ones
    plans["UMP-ADMSURAT.2"] = TargetPlan(400.0, {1: 30.0, 2: 30.0}, "", "negatif")
    return plans


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
        targets=sample_plans(cat),
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
        if meta.unit_code in TEXT_UNITS:
            first = next(c for c in meta.inputs() if c.field == "TW2")
            values[(first.key, first.field)] = TEXT_UNITS[meta.unit_code]
        dst = root / "filled" / src.name
        fill_workbook(src, dst, values)
        filled[meta.unit_code or "targets"] = values
        to_convert.append(dst)
    outputs = convert(to_convert, "xlsx", root / "out")
    return {
        "catalogue": cat,
        "prefill": prefill,
        "plans": sample_plans(cat),
        "filled": filled,
        "pairs": list(zip(to_convert, outputs, strict=True)),
        "seen": set(),
    }


def _value(raw: Any) -> Any:
    return None if raw in (None, "") else raw


def _read(raw: Any) -> float | None:
    """A cell as the report reads it (pipeline.validate.numbers): digits as text count."""
    reading = classify(raw)
    return reading.number if reading.kind == NUMBER else None


def _expected_to_date(
    cat: Catalogue, unit: str, prefill: dict[str, dict[tuple[str, int], float]], filled: Any
) -> dict[str, float | None]:
    result = {}
    for variable in cat.variables_of(unit):
        by_quarter = {
            # TW I accepted earlier, else what the unit back-filled in its open TW I cell
            1: prefill.get(unit, {}).get(
                (variable.code, 1), _read(filled.get((variable.code, "TW1")))
            ),
            2: _read(filled.get((variable.code, "TW2"))),
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
        target, target_sd, polaritas = _plan(cat, rt["plans"].get(code), indicator)
        real = measure.indicator_value(indicator.kind, inputs, indicator.factor)
        cap, _ = measure.capaian_to_date(real.value, target_sd, target, polaritas)
        annual = measure.capaian(real.value, target, polaritas)
        for header, expected in (
            ("Target Tahunan", target),
            ("Target s.d. TW II", target_sd),
            ("Realisasi s.d. TW II", real.value),
            ("Capaian (%)", cap.value),
            ("Capaian Tahunan (%)", annual.value),
        ):
            got = _value(row[col[header]].value)
            assert got == (None if expected is None else pytest.approx(expected)), (code, header)
        assert (_value(row[col["Predikat"]].value) or "") == measure.predikat(cap.value), code
        reason = expected_reason(
            indicator.kind, inputs, indicator.factor, target_sd, target, polaritas
        )
        assert (_value(row[col["Keterangan"]].value) or "") == reason, code
        rt["seen"].add((cap.reason, annual.value is not None, polaritas))
        seen += 1
    for sheet in (isian, ws):
        for r in sheet.iter_rows():
            for c in r:
                assert not (isinstance(c.value, str) and c.value.startswith(("#", "Err:"))), c
    return seen


def _plan(
    cat: Catalogue, given: TargetPlan | float | None, indicator: Indicator
) -> tuple[float | None, float | None, str]:
    """Annual target, target to date at TW II and polarity, as pipeline.measure has them."""
    plan = as_plan(given)
    perhitungan = plan.perhitungan or cat.perhitungan(indicator)
    to_date = measure.target_to_date(dict(plan.quarterly), perhitungan, 2)
    return plan.target, to_date, plan.polaritas or indicator.polaritas


def test_recalculated_formulas_equal_reference_measures(roundtrip: dict[str, Any]) -> None:
    rows = 0
    reasons = set()
    for src, out in roundtrip["pairs"]:
        meta = read_meta(src)
        if meta.unit_code:
            rows += _check_unit(out, meta, roundtrip)
            ws = openpyxl.load_workbook(out, data_only=True)[IKI_SHEET]
            reasons |= {r[-1].value or "" for r in ws.iter_rows(min_row=7) if r[1].value}
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
        measure.ZERO_TARGET_TO_DATE,
        measure.ON_ANNUAL_TARGET,
        "",
    } <= reasons
    assert ("", True, "negatif") in roundtrip["seen"]


def test_numbers_typed_as_text_count_in_the_live_sheet(roundtrip: dict[str, Any]) -> None:
    (src, out) = next(p for p in roundtrip["pairs"] if "Umum_dan_Kepegawaian" in p[0].name)
    meta = read_meta(src)
    isian = openpyxl.load_workbook(out, data_only=True)[INPUT_SHEET]
    shown = {}
    for (key, field), typed in EDGES.items():
        cell = meta.cell_of(key, field)
        assert cell is not None
        raw = isian[cell.cell].value
        if isinstance(typed, str):
            assert isinstance(raw, str), (key, raw)  # still text after LibreOffice saved it
        shown[key] = _value(isian[f"K{isian[cell.cell].row}"].value)
    prefill = roundtrip["prefill"]["UMP"]
    assert shown["UMP.PNS_AJU_LAYANAN"] == prefill[("UMP.PNS_AJU_LAYANAN", 1)] + 129
    assert shown["UMP.SURAT_KELUAR"] == prefill[("UMP.SURAT_KELUAR", 1)] + 42
    assert shown["UMP.DOK_ADM_UMUM"] == prefill[("UMP.DOK_ADM_UMUM", 1)] + 12
    assert shown["UMP.SURAT_MAILTRACK"] == prefill[("UMP.SURAT_MAILTRACK", 1)] + 15
    assert shown["UMP.KEGIATAN_DOKUMENTASI"] is None  # '7 kegiatan' is an error in the report
    back_filled = roundtrip["filled"]["UMP"][("UMP.SURAT_MASUK", "TW2")]
    assert shown["UMP.SURAT_MASUK"] == 55 + back_filled  # ' 55' typed in the open TW I cell


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


def test_a_filled_revision_round_trips_through_libreoffice(tmp_path: Path) -> None:
    """`iki targets-template --year 2018`, filled as a revision from TW III, saved by
    LibreOffice, read back by the scan: the same Rencana Aksi, counted from TW III."""
    from click.testing import CliRunner

    from pipeline.cli import main
    from pipeline.config import Config
    from pipeline.run.scan import scan_inbox

    cat = load_catalogue()
    blank = tmp_path / "Target_IKI_2018.xlsx"
    result = CliRunner().invoke(main, ["targets-template", "--year", "2018", "--out", str(blank)])
    assert result.exit_code == 0, result.output
    meta = read_meta(blank)
    assert {c.field for c in meta.cells} >= {*TARGET_QUARTER_FIELDS, "target", "calculation"}
    values: dict[tuple[str, str], Any] = dict(example_values(meta, cat, random.Random(5)))
    values[("workbook", "effective_from")] = "TW III"
    values[("UMP-KA.1", "calculation")] = "nilai-akhir"
    values[("UMP-KA.1", "target_TW1")], values[("UMP-KA.1", "target_TW4")] = 10, 40
    values[("UMP-KA.1", "target_TW2")], values[("UMP-KA.1", "target_TW3")] = 20, 30
    values[("UMP-KA.1", "target")] = 40
    values[("PKP-KASI.1", "polarity")] = "negatif"
    filled = tmp_path / "filled" / blank.name
    fill_workbook(blank, filled, values)
    (saved,) = convert([filled], "xlsx", tmp_path / "inbox")
    scan = scan_inbox(tmp_path / "inbox", cat, Config())
    (record,) = scan.files
    assert (record.status, record.problems) == ("accepted", ())
    rows = scan.targets.set_index("indicator")
    assert set(rows["effective_from"]) == {3}
    ump = rows.loc["UMP-KA.1"]
    assert [ump[f"target_tw{q}"] for q in range(1, 5)] + [ump["target"]] == [10, 20, 30, 40, 40]
    assert (ump["perhitungan"], rows.loc["PKP-KASI.1", "polaritas"]) == ("nilai-akhir", "negatif")
    for (key, field), value in values.items():
        if key == "workbook" or field not in (*TARGET_QUARTER_FIELDS, "target"):
            continue
        column = "target" if field == "target" else f"target_tw{field[-1]}"
        assert rows.loc[key, column] == pytest.approx(value), (key, field)
    lists = {
        str(dv.sqref): dv.formula1
        for dv in openpyxl.load_workbook(saved)["Target"].data_validations.dataValidation
        if dv.type == "list"
    }
    effective = meta.cell_of("workbook", "effective_from")
    assert effective is not None and lists[effective.cell] == '"TW I,TW II,TW III,TW IV"'


def test_a_capaian_exactly_on_a_band_bound_gets_that_band(tmp_path: Path) -> None:
    """57 of 100 (57 %) against a target of 75 % is a capaian of 76 % exactly, 91 of 125
    (72.8 %) against 80 % one of 91 %; in binary floating point both come out a hair below
    (75.99999999999999, 90.99999999999999). LibreOffice, the template's formula and the
    report must all rate them Tinggi and Sangat Tinggi."""
    cat = load_catalogue()
    plans: dict[str, TargetPlan | float] = {
        "UMP-KA.3": TargetPlan(80.0, {1: 70.0, 2: 75.0}, "", ""),  # nilai-akhir: 75 at TW II
        "UMP-PENGEMUDI.1": TargetPlan(85.0, {1: 80.0, 2: 80.0}, "", ""),
    }
    prefill = {"UMP": {("UMP.SERVIS_REALISASI", 1): 40.0, ("UMP.SERVIS_RENCANA", 1): 60.0}}
    sources = generate_templates(cat, PERIOD, tmp_path / "src", prefill=prefill, targets=plans)
    (source,) = [s for s in sources if read_meta(s).unit_code == "UMP"]
    values = {
        ("UMP.DATA_PEG_DISUSUN", "TW2"): 57,
        ("UMP.PEGAWAI", "TW2"): 100,
        ("UMP.SERVIS_REALISASI", "TW2"): 51,  # 40 + 51 = 91 to date
        ("UMP.SERVIS_RENCANA", "TW2"): 65,  # 60 + 65 = 125 to date
    }
    filled = tmp_path / "filled" / source.name
    fill_workbook(source, filled, values)
    (saved,) = convert([filled], "xlsx", tmp_path / "out")
    ws = openpyxl.load_workbook(saved, data_only=True)[IKI_SHEET]
    header = [c.value for c in ws[6]]
    rows = {r[header.index("Kode")].value: r for r in ws.iter_rows(min_row=7)}
    reference = {
        "UMP-KA.3": measure.capaian(measure.ratio(57, 100, 100.0).value, 75.0),
        "UMP-PENGEMUDI.1": measure.capaian(measure.ratio(91, 125, 100.0).value, 80.0),
    }
    assert [r.value for r in reference.values()] == [75.99999999999999, 90.99999999999999]
    for code, expected in (("UMP-KA.3", "Tinggi"), ("UMP-PENGEMUDI.1", "Sangat Tinggi")):
        row = rows[code]
        assert row[header.index("Capaian (%)")].value == pytest.approx(reference[code].value)
        assert row[header.index("Predikat")].value == expected, code
        assert measure.predikat(reference[code].value) == expected, code
