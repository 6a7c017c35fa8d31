"""Back-filling: an earlier quarter with no accepted value is open in later templates."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from pipeline.catalogue.model import Catalogue
from pipeline.config import Config
from pipeline.fill import fill_workbook, read_meta
from pipeline.periods import Period
from pipeline.run.scan import scan_inbox
from pipeline.submission import FileStatus
from pipeline.templates import generate_templates, template_filename

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
