"""The units' remarks (Keterangan in Isian): scanned from counted files, shown in the report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from pipeline.catalogue.model import Catalogue
from pipeline.config import Config
from pipeline.run.report import build_report, write_report
from pipeline.run.scan import scan_inbox
from pipeline.submission import InboxScan
from tests import corpus

T0 = dt.datetime(2018, 7, 2, 8, 0, tzinfo=dt.UTC)
HOSTILE = '=HYPERLINK("http://x","klik")'


@pytest.fixture(scope="module")
def ts(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> corpus.TemplateSet:
    return corpus.make_templates(catalogue, tmp_path_factory.mktemp("templates"))


@pytest.fixture(scope="module")
def inbox(
    catalogue: Catalogue, ts: corpus.TemplateSet, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """PEN explains an empty cell; IPK types text starting with '=' and UMP a real formula;
    KLP's remark is in a file a later one superseded, PKK's in a rejected file."""
    folder = tmp_path_factory.mktemp("inbox")
    pen = corpus.filled(
        ts,
        "PEN",
        folder / "pen.xlsx",
        catalogue,
        **{"PEN.PENCAKER_LN|TW2": None, "PEN.PENCAKER_LN|note": "data dari SISNAKER belum ada"},
    )
    ipk = corpus.filled(
        ts, "IPK", folder / "ipk.xlsx", catalogue, **{f"{_first(catalogue, 'IPK')}|note": HOSTILE}
    )
    ump_note = ts.meta("UMP").cell_of(_first(catalogue, "UMP"), "note")
    assert ump_note is not None

    def formula(book: Any) -> None:
        book[ump_note.sheet][ump_note.cell].value = "=1+1"  # a real formula, not text

    ump = corpus.fill(
        ts.units["UMP"], folder / "ump.xlsx", corpus.good_values(ts.meta("UMP"), catalogue), formula
    )
    old = corpus.filled(
        ts,
        "KLP",
        folder / "klp_lama.xlsx",
        catalogue,
        **{f"{_first(catalogue, 'KLP')}|note": "versi lama"},
    )
    new = corpus.filled(ts, "KLP", folder / "klp_baru.xlsx", catalogue)
    bad = corpus.filled(
        ts,
        "PKK",
        folder / "pkk.xlsx",
        catalogue,
        **{f"{_first(catalogue, 'PKK')}|TW2": "x", f"{_first(catalogue, 'PKK')}|note": "ditolak"},
    )
    for offset, path in enumerate((pen, ipk, ump, old, new, bad)):
        corpus.set_time(path, T0 + dt.timedelta(hours=offset))
    return folder


@pytest.fixture(scope="module")
def scan(inbox: Path, catalogue: Catalogue) -> InboxScan:
    return scan_inbox(inbox, catalogue, Config())


def _first(catalogue: Catalogue, unit: str) -> str:
    return catalogue.variables_of(unit)[0].code


def test_notes_come_from_counted_files_only(
    scan: InboxScan, ts: corpus.TemplateSet, catalogue: Catalogue
) -> None:
    rows = [tuple(r) for r in scan.notes.itertuples(index=False)]
    ipk, ump = _first(catalogue, "IPK"), _first(catalogue, "UMP")
    pen = "PEN.PENCAKER_LN"
    assert rows == [  # by year, quarter, unit code, variable
        ("IPK", 2018, 2, ipk, HOSTILE, "ipk.xlsx", "Isian", ts.cell("IPK", ipk, "note")),
        ("PEN", 2018, 2, pen, "data dari SISNAKER belum ada", "pen.xlsx", "Isian",
         ts.cell("PEN", pen, "note")),
        ("UMP", 2018, 2, ump, "=1+1", "ump.xlsx", "Isian", ts.cell("UMP", ump, "note")),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def book(scan: InboxScan, catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> Any:
    data = build_report(scan, catalogue, Config(), corpus.PERIOD)
    result = write_report(data, tmp_path_factory.mktemp("out"))
    return openpyxl.load_workbook(result.workbook)


def _column(book: Any, header: str) -> int:
    """0-based column of a header on the sheet Capaian IKI."""
    return [c.value for c in book["Capaian IKI"][4]].index(header)


def _data_notes(book: Any) -> dict[tuple[str, str], Any]:
    ws = book["Data"]
    header = [c.value for c in ws[3]]
    col = header.index("Keterangan unit")
    return {
        (row[0].value, row[3].value): row[col]
        for row in ws.iter_rows(min_row=4)
        if row[2].value == "TW II"
    }


def test_data_sheet_shows_each_value_with_its_remark(book: Any, catalogue: Catalogue) -> None:
    notes = _data_notes(book)
    assert notes[("PEN", "PEN.PENCAKER_LN")].value == "data dari SISNAKER belum ada"
    assert notes[("PEN", "PEN.PENEMPATAN")].value is None
    assert notes[("KLP", _first(catalogue, "KLP"))].value is None  # the superseded file's remark
    assert ("PKK", _first(catalogue, "PKK")) not in notes  # rejected: nothing of it is data


def test_text_from_a_remark_is_never_a_formula(book: Any, catalogue: Catalogue) -> None:
    notes = _data_notes(book)
    for unit, expected in (("IPK", HOSTILE), ("UMP", "=1+1")):
        cell = notes[(unit, _first(catalogue, unit))]
        assert (cell.value, cell.data_type) == (expected, "s")
    column = _column(book, "Keterangan") + 1
    remarks = [c for r in book["Capaian IKI"].iter_rows(min_row=5) for c in r if c.column == column]
    hostile = [c for c in remarks if c.value and HOSTILE in c.value]
    assert hostile and all(c.data_type == "s" for c in hostile)


def test_achievement_remarks_quote_the_units_notes(book: Any, catalogue: Catalogue) -> None:
    ws = book["Capaian IKI"]
    column = _column(book, "Keterangan")
    remarks = {r[0].value: r[column].value or "" for r in ws.iter_rows(min_row=5)}
    note = "Catatan unit (TW II): data dari SISNAKER belum ada"
    users = {i.code for i in catalogue.users_of("PEN.PENCAKER_LN")}
    assert users and all(note in remarks[code] for code in users)
    # The empty cell still gives its reason first; indicators without the variable stay quiet.
    assert all(remarks[code].startswith("Data triwulan belum lengkap") for code in users)
    others = {i.code for i in catalogue.indicators} - users
    assert not any("PEN.PENCAKER_LN" in remarks[code] for code in others)
    assert not any("versi lama" in text or "ditolak" in text for text in remarks.values())
