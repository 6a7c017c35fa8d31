"""Quarterly baselines of the targets workbook become last year's values unless a unit sent them.

A real submission of that unit and quarter always wins.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import os
import random
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.catalogue import load_catalogue
from pipeline.compute import compute_indicators
from pipeline.config import Config
from pipeline.contract import BASELINE_FIELDS, KIND_TARGETS, KIND_UNIT, TemplateMeta
from pipeline.contract import MappedCell as Cell
from pipeline.fill import example_values, fill_workbook, read_meta
from pipeline.inbox.cells import annotate
from pipeline.measure import DEFAULT_BANDS
from pipeline.merge.baselines import baseline_rows, with_baselines
from pipeline.periods import Period
from pipeline.run.scan import scan_inbox
from pipeline.submission import FileStatus, Submission
from pipeline.templates import generate_templates, write_targets_template
from pipeline.validate.cells import cell_problems
from schemas.frames import VALUES

CATALOGUE = load_catalogue()
GROWTH = {"PTK-KABID.2": ("PEN", "PEN.PENEMPATAN"), "PTK-KABID.3": ("PKK", "PKK.PENYERAPAN_TK")}
RECEIVED = {"Target_IKI_2018.xlsx": "2018-01-15T09:30:00+07:00"}


def _targets(baselines: dict[tuple[str, int], float | str | None], year: int = 2018) -> Submission:
    """A targets workbook submission with the given (indicator, quarter) baselines."""
    cells, raw = [], {}
    for row, code in enumerate(GROWTH, start=76):
        cells.append(Cell(code, "target", "Target", f"G{row}", True))
        for q, field in enumerate(BASELINE_FIELDS, start=1):
            ref = f"{'HIJK'[q - 1]}{row}"
            cells.append(Cell(code, field, "Target", ref, True))
            if baselines.get((code, q)) is not None:
                raw[("Target", ref)] = baselines[(code, q)]
    meta = TemplateMeta(KIND_TARGETS, "1", "c", "h", year, None, None, "", tuple(cells))
    return Submission(f"Target_IKI_{year}.xlsx", meta, annotate(meta, raw, {}))


def _unit(unit: str, year: int, quarter: int) -> Submission:
    """A counted unit submission (its cells do not matter here)."""
    meta = TemplateMeta(KIND_UNIT, "1", "c", "h", year, quarter, unit, "", ())
    return Submission(f"{unit}_{year}_TW{quarter}.xlsx", meta, annotate(meta, {}, {}))


def test_baselines_become_last_years_rows_where_no_submission_exists() -> None:
    targets = _targets({("PTK-KABID.2", q): 100.0 + q for q in (1, 2, 3, 4)})
    rows = baseline_rows(
        [_unit("PEN", 2017, 1), _unit("PEN", 2018, 2), targets], RECEIVED, CATALOGUE
    )
    assert [(r["unit"], r["year"], r["quarter"], r["variable"], r["value"]) for r in rows] == [
        ("PEN", 2017, q, "PEN.PENEMPATAN", 100.0 + q) for q in (2, 3, 4)
    ]
    assert rows[0] | {"value": 0} == {
        "unit": "PEN",
        "year": 2017,
        "quarter": 2,
        "variable": "PEN.PENEMPATAN",
        "value": 0,
        "file": "Target_IKI_2018.xlsx",
        "sheet": "Target",
        "cell": "I76",
        "received_at": "2018-01-15T09:30:00+07:00",
    }


def test_empty_baselines_and_other_units_submissions() -> None:
    """An empty cell adds nothing; another unit's 2017 submission does not hide PEN's baseline."""
    targets = _targets({("PTK-KABID.2", 1): 0.0, ("PTK-KABID.3", 2): 7.0})
    rows = baseline_rows([_unit("PKK", 2017, 1), targets], RECEIVED, CATALOGUE)
    assert [(r["unit"], r["quarter"], r["value"]) for r in rows] == [
        ("PEN", 1, 0.0),
        ("PKK", 2, 7.0),
    ]


def test_with_baselines_keeps_the_values_frame_valid() -> None:
    targets = _targets({("PTK-KABID.3", 4): 9.0}, year=2019)
    empty = VALUES.validate(VALUES.example(size=0))
    frame = with_baselines(empty, [targets], {}, CATALOGUE)
    assert list(frame[["unit", "year", "quarter", "value"]].itertuples(index=False, name=None)) == [
        ("PKK", 2018, 4, 9.0)
    ]
    assert with_baselines(empty, [], {}, CATALOGUE) is empty


baseline = st.one_of(st.none(), st.integers(0, 500).map(float))


@given(
    sent=st.sets(st.tuples(st.sampled_from(["PEN", "PKK", "UMP"]), st.integers(1, 4))),
    given_values=st.lists(baseline, min_size=8, max_size=8),
)
def test_a_submission_wins_every_quarter(
    sent: set[tuple[str, int]], given_values: list[float | None]
) -> None:
    cells = {(code, q): v for (code, q), v in zip(_grid(), given_values, strict=True)}
    counted = [_unit(unit, 2017, q) for unit, q in sorted(sent)] + [_targets(cells)]
    rows = baseline_rows(counted, RECEIVED, CATALOGUE)
    expected = {
        (GROWTH[code][0], q, v)
        for (code, q), v in cells.items()
        if v is not None and (GROWTH[code][0], q) not in sent
    }
    assert {(r["unit"], r["quarter"], r["value"]) for r in rows} == expected
    assert len(rows) == len(expected)


def _grid() -> list[tuple[str, int]]:
    return [(code, q) for code in GROWTH for q in (1, 2, 3, 4)]


def test_baseline_cells_are_validated_like_numbers(tmp_path: Path) -> None:
    """Whole numbers within the variable's bounds; the workbook's own validation says so."""
    variables = tuple(
        dataclasses.replace(v, maksimum=100) if v.code == "PEN.PENEMPATAN" else v
        for v in CATALOGUE.variables
    )
    cat = dataclasses.replace(CATALOGUE, variables=variables)
    path = tmp_path / "Target_IKI_2018.xlsx"
    meta = write_targets_template(path, cat, 2018)
    cell = meta.cell_of("PTK-KABID.2", "baseline_TW1")
    assert cell is not None
    ws = openpyxl.load_workbook(path)["Target"]
    (rule,) = [dv for dv in ws.data_validations.dataValidation if str(dv.sqref) == cell.cell]
    # openpyxl reads the default operator, between, as None.
    assert (rule.type, rule.operator, rule.formula1, rule.formula2) == ("whole", None, "0", "100")
    raw = {
        ("Target", cell.cell): 150,
        ("Target", _ref(meta, "PTK-KABID.2", "baseline_TW2")): "12,5",
        ("Target", _ref(meta, "PTK-KABID.3", "baseline_TW3")): 999_999,  # below maks_bawaan
    }
    (found,) = cell_problems([Submission(path.name, meta, annotate(meta, raw, {}))], cat)
    assert [(p.cell, p.code) for p in found] == [
        (cell.cell, "above-maximum"),
        (_ref(meta, "PTK-KABID.2", "baseline_TW2"), "decimal-comma"),
    ]


def _ref(meta: TemplateMeta, key: str, field: str) -> str:
    cell = meta.cell_of(key, field)
    assert cell is not None
    return cell.cell


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """PEN reported 2017 TW I; the 2018 targets workbook gives every quarter of 2017."""
    root = tmp_path_factory.mktemp("baselines")
    folder = root / "inbox"
    folder.mkdir()
    (pen_2017,) = [
        p
        for p in generate_templates(CATALOGUE, Period(2017, 1), root / "t17")
        if "Penempatan_Tenaga_Kerja" in p.name
    ]
    pen_2018 = [
        p
        for p in generate_templates(CATALOGUE, Period(2018, 1), root / "t18")
        if "Penempatan_Tenaga_Kerja" in p.name or "Perluasan" in p.name
    ]
    targets = root / "Target_IKI_2018.xlsx"
    write_targets_template(targets, CATALOGUE, 2018)
    for n, src in enumerate([pen_2017, *pen_2018, targets]):
        values = dict(example_values(read_meta(src), CATALOGUE, random.Random(n)))
        if src == pen_2017:
            values[("PEN.PENEMPATAN", "TW1")] = 90.0
        if src == targets:
            values.update({("PTK-KABID.2", f): 500.0 + q for q, f in enumerate(BASELINE_FIELDS)})
            values[("PTK-KABID.3", "baseline_TW1")] = 40.0
        dst = folder / f"{n}_{src.name}"
        fill_workbook(src, dst, values)
        moment = dt.datetime(2018, 4, 5, 9, 0).timestamp()
        os.utime(dst, (moment, moment))
    return folder


def test_scan_reads_baselines_where_the_inbox_has_no_submission(inbox: Path) -> None:
    scan = scan_inbox(inbox, CATALOGUE, Config())
    assert {f.status for f in scan.files} == {FileStatus.ACCEPTED}
    last_year = scan.values[scan.values["year"] == 2017]
    pen = last_year[last_year["variable"] == "PEN.PENEMPATAN"].set_index("quarter")
    assert list(pen["value"]) == [90.0, 501.0, 502.0, 503.0]
    assert pen.loc[1, "sheet"] == "Isian" and set(pen.loc[2:, "sheet"]) == {"Target"}
    assert set(pen.loc[2:, "file"]) == {"3_Target_IKI_2018.xlsx"}
    pkk = last_year[last_year["variable"] == "PKK.PENYERAPAN_TK"].set_index("quarter")
    assert list(pkk.index) == [1, 2, 3, 4] and pkk.loc[1, "value"] == 40.0
    assert set(pkk["sheet"]) == {"Target"} and set(pkk["unit"]) == {"PKK"}
    assert "baseline" not in scan.targets.columns


def test_growth_at_tw1_compares_with_the_submission_not_the_baseline(inbox: Path) -> None:
    scan = scan_inbox(inbox, CATALOGUE, Config())
    results = compute_indicators(
        scan.values, scan.targets, CATALOGUE, Period(2018, 1), DEFAULT_BANDS
    )
    pen = results.loc["PTK-KABID.2"]
    this_year = scan.values.query("year == 2018 and variable == 'PEN.PENEMPATAN'")["value"].iloc[0]
    assert (pen["denominator"], pen["comparison"]) == (90.0, "inbox")
    assert pen["realisasi"] == pytest.approx((this_year - 90.0) / 90.0 * 100)
    pkk = results.loc["PTK-KABID.3"]
    assert (pkk["denominator"], pkk["comparison"]) == (40.0, "baseline")
    assert not math.isnan(pkk["realisasi"])
