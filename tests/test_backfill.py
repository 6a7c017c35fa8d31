"""Back-filling: an earlier quarter with no accepted value is open in later templates."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

import pytest

from pipeline.catalogue.model import Catalogue
from pipeline.config import Config
from pipeline.fill import example_values, fill_workbook, read_meta
from pipeline.periods import Period
from pipeline.run.scan import scan_inbox
from pipeline.submission import FileStatus
from pipeline.templates import generate_templates, template_filename, write_targets_template

TW2 = Period(2018, 2)


@pytest.fixture(name="pen_tw2")
def _pen_tw2(catalogue: Catalogue, tmp_path: Path) -> Path:
    """PEN's TW II template when PEN's TW I was never accepted (others' TW I was)."""
    prefill = {
        u.code: {(v.code, 1): 10.0 for v in catalogue.variables_of(u.code)}
        for u in catalogue.reporting_units()
        if u.code != "PEN"
    }
    generate_templates(catalogue, TW2, tmp_path / "t", prefill=prefill)
    return tmp_path / "t" / template_filename(catalogue, "PEN", TW2)


def test_the_missing_quarter_is_open_and_the_report_counts_it(
    catalogue: Catalogue, pen_tw2: Path, tmp_path: Path
) -> None:
    meta = read_meta(pen_tw2)
    tw1 = [c for c in meta.cells if c.field == "TW1"]
    assert tw1 and all(c.editable and c.expected == "" for c in tw1)
    variables = [v.code for v in catalogue.variables_of("PEN")]
    values: dict[tuple[str, str], object] = {(v, "TW2"): 7 for v in variables}
    values[(variables[0], "TW1")] = 5  # back-filled
    values[(variables[1], "TW1")] = "lima"  # back-filled wrongly: an error like any input
    inbox = tmp_path / "inbox"
    fill_workbook(pen_tw2, inbox / "pen.xlsx", values)  # type: ignore[arg-type]
    scan = scan_inbox(inbox, catalogue, Config())
    (record,) = scan.files
    assert [(p.cell, p.code) for p in record.problems] == [
        (meta.cell_of(variables[1], "TW1").cell, "not-a-number")  # type: ignore[union-attr]
    ]
    assert record.status == FileStatus.REJECTED
    values[(variables[1], "TW1")] = None  # may stay empty: not required
    fill_workbook(pen_tw2, inbox / "pen.xlsx", values)  # type: ignore[arg-type]
    scan = scan_inbox(inbox, catalogue, Config())
    assert [f.status for f in scan.files] == [FileStatus.ACCEPTED]
    rows = scan.values.set_index(["quarter", "variable"])
    back = rows.loc[(1, variables[0])]
    cell = meta.cell_of(variables[0], "TW1")
    assert cell is not None
    assert (back["value"], back["file"], back["cell"]) == (5.0, "pen.xlsx", cell.cell)
    assert (1, variables[1]) not in rows.index  # nothing supplied: still missing
    assert rows.loc[(2, variables[1]), "value"] == 7.0


def test_a_later_file_of_the_quarter_itself_wins_when_it_has_a_number(
    catalogue: Catalogue, pen_tw2: Path, tmp_path: Path
) -> None:
    """TW I back-filled in the TW II file, then PEN's own TW I file arrives later: it counts."""
    inbox = tmp_path / "inbox"
    variables = [v.code for v in catalogue.variables_of("PEN")]
    tw2_values: dict[tuple[str, str], object] = {(v, "TW2"): 7 for v in variables}
    tw2_values[(variables[0], "TW1")] = 5
    fill_workbook(pen_tw2, inbox / "a_tw2.xlsx", tw2_values)  # type: ignore[arg-type]
    generate_templates(catalogue, Period(2018, 1), tmp_path / "t1")
    tw1 = tmp_path / "t1" / template_filename(catalogue, "PEN", Period(2018, 1))
    own = {(v, "TW1"): 9 for v in variables}
    fill_workbook(tw1, inbox / "b_tw1.xlsx", own)  # type: ignore[arg-type]
    now = time.time()
    os.utime(inbox / "a_tw2.xlsx", (now - 60, now - 60))
    os.utime(inbox / "b_tw1.xlsx", (now, now))
    scan = scan_inbox(inbox, catalogue, Config())
    rows = scan.values.set_index(["quarter", "variable"])
    assert (rows.loc[(1, variables[0]), "value"], rows.loc[(1, variables[0]), "file"]) == (
        9.0,
        "b_tw1.xlsx",
    )


def test_a_back_filled_number_wins_over_last_years_baseline(
    catalogue: Catalogue, pen_tw2: Path, tmp_path: Path
) -> None:
    """PEN's 2018 TW I, back-filled in its TW II file, is not replaced by the baseline the 2019
    targets workbook gives for it; the quarters no file covers take the baselines."""
    inbox = tmp_path / "inbox"
    variables = [v.code for v in catalogue.variables_of("PEN")]
    values: dict[tuple[str, str], object] = {(v, "TW2"): 7 for v in variables}
    values[("PEN.PENEMPATAN", "TW1")] = 5
    fill_workbook(pen_tw2, inbox / "pen.xlsx", values)  # type: ignore[arg-type]
    targets = tmp_path / "Target_IKI_2019.xlsx"
    write_targets_template(targets, catalogue, 2019)
    plan = dict(example_values(read_meta(targets), catalogue, random.Random(1)))
    plan.update({("PTK-KABID.2", f"baseline_TW{q}"): 100.0 + q for q in (1, 2, 3, 4)})
    fill_workbook(targets, inbox / targets.name, plan)
    scan = scan_inbox(inbox, catalogue, Config())
    assert {f.status for f in scan.files} == {FileStatus.ACCEPTED}
    values_2018 = scan.values[scan.values["year"] == 2018]
    pen = values_2018[values_2018["variable"] == "PEN.PENEMPATAN"].set_index("quarter")
    assert list(pen["value"]) == [5.0, 7.0, 103.0, 104.0]
    assert list(pen["file"]) == ["pen.xlsx", "pen.xlsx", targets.name, targets.name]


def test_a_changed_value_is_listed_as_a_revision(
    catalogue: Catalogue, pen_tw2: Path, tmp_path: Path
) -> None:
    """PEN resends TW II with one number changed: old beside new, the new one counted."""
    inbox = tmp_path / "inbox"
    variables = [v.code for v in catalogue.variables_of("PEN")]
    first: dict[tuple[str, str], object] = {(v, "TW2"): 7 for v in variables}
    fill_workbook(pen_tw2, inbox / "a.xlsx", first)  # type: ignore[arg-type]
    fill_workbook(pen_tw2, inbox / "b.xlsx", {**first, (variables[-1], "TW2"): 8})  # type: ignore[arg-type]
    now = time.time()
    os.utime(inbox / "a.xlsx", (now - 60, now - 60))
    scan = scan_inbox(inbox, catalogue, Config())
    rows = scan.revisions[["variable", "old_value", "value", "old_file", "file", "status"]]
    assert rows.to_dict("records") == [
        {
            "variable": variables[-1],
            "old_value": 7.0,
            "value": 8.0,
            "old_file": "a.xlsx",
            "file": "b.xlsx",
            "status": "counted",
        }
    ]
