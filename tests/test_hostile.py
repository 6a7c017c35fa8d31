"""Hostile files from the hardening issue: each gives a clear problem, never a crash or abort.

Every case is a real template changed the way the issue's reproduction changed it. The whole
corpus goes into one inbox; `iki validate` and `iki report` run on it as a user would, and one
`iki validate` in a fresh process is measured for memory.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pipeline.catalogue.model import Catalogue
from pipeline.cli import main
from pipeline.config import Config
from pipeline.contract import META_SHEET
from pipeline.run.scan import scan_inbox
from pipeline.submission import FileStatus
from tests import corpus

# Building the file with a part named twice is the point of one case.
pytestmark = pytest.mark.filterwarnings("ignore:Duplicate name:UserWarning")
FAR_ROW = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'


@dataclass(frozen=True)
class Hostile:
    """One hostile file: how to make it from a good one, and the codes it must raise."""

    name: str
    make: Callable[[corpus.TemplateSet, Catalogue, Path], Path]
    codes: tuple[str, ...]  # () = accepted without a problem


def _part_edit(unit: str, sheet: str, edit: Callable[[bytes], bytes]) -> Any:
    def make(ts: corpus.TemplateSet, cat: Catalogue, out: Path) -> Path:
        good = corpus.filled(ts, unit, out.with_suffix(".good.xlsx"), cat)
        part = corpus.sheet_part(good, sheet)
        result = corpus.rezip(good, out, replace={part: edit(corpus.member(good, part))})
        good.unlink()
        return result

    return make


def _before_end_of_data(extra: bytes) -> Callable[[bytes], bytes]:
    return lambda xml: xml.replace(b"</sheetData>", extra + b"</sheetData>")


def _values(unit: str, **changes: Any) -> Any:
    return lambda ts, cat, out: corpus.filled(ts, unit, out, cat, **changes)


def _book_edit(unit: str, edit: Callable[[Any, corpus.TemplateSet], None]) -> Any:
    def make(ts: corpus.TemplateSet, cat: Catalogue, out: Path) -> Path:
        values = corpus.good_values(ts.meta(unit), cat)
        return corpus.fill(ts.units[unit], out, values, lambda book: edit(book, ts))

    return make


def _meta_scalar(unit: str, name: str, value: str) -> Any:
    return _book_edit(unit, lambda book, ts: corpus.set_meta(book, name, value))


def _duplicate_mapping(book: Any, ts: corpus.TemplateSet) -> None:
    """A second map row for PEN.PENEMPATAN TW2 pointing at another (unlocked) cell."""
    mapped = ts.meta("PEN").cell_of("PEN.PENEMPATAN", "TW2")
    assert mapped is not None
    book[META_SHEET].append(["PEN.PENEMPATAN", "TW2", "Isian", "M40", "1", ""])


def _locked_and_expected(book: Any, ts: corpus.TemplateSet) -> None:
    """The locked target shown in IKI changed, and its `expected` in `_meta` changed to match."""
    target = ts.meta("UMP").cell_of("UMP-KA.1", "target")
    assert target is not None
    book["IKI"][target.cell] = 5
    for row in book[META_SHEET].iter_rows():
        if row[0].value == "UMP-KA.1" and row[1].value == "target":
            row[5].value = "5"


def _zip_edit(unit: str, change: Callable[[Path, Path], Path]) -> Any:
    def make(ts: corpus.TemplateSet, cat: Catalogue, out: Path) -> Path:
        good = corpus.filled(ts, unit, out.with_suffix(".good.xlsx"), cat)
        result = change(good, out)
        good.unlink()
        return result

    return make


def _late_doctype(good: Path, out: Path) -> Path:
    """A DTD after 4 kB of a sheet part (the guard once looked at the first 4 kB only)."""
    part = corpus.sheet_part(good, "Isian")
    xml = corpus.member(good, part)
    comment = b"<!--" + b"x" * 5000 + b"-->"
    head, _, body = xml.partition(b"?>") if xml.startswith(b"<?xml") else (b"", b"", xml)
    bad = (head + b"?>" if head else b"") + comment + b'<!DOCTYPE a [<!ENTITY b "c">]>' + body
    return corpus.rezip(good, out, replace={part: bad})


def _utf16_doctype(good: Path, out: Path) -> Path:
    text = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>'
    return corpus.rezip(good, out, add={"customXml/item1.xml": text.encode("utf-16")})


def _twice_named(good: Path, out: Path) -> Path:
    """The Isian part twice: once as the template wrote it, once with a formula."""
    part = corpus.sheet_part(good, "Isian")
    return corpus.rezip(good, out, add={part: corpus.member(good, part)})


HOSTILE: tuple[Hostile, ...] = (
    Hostile("far_isian", _part_edit("PEN", "Isian", _before_end_of_data(FAR_ROW)), ()),
    Hostile(
        "far_isian_3000",
        _part_edit("PKK", "Isian", _before_end_of_data(b'<row r="3000"><c r="XFD3000"/></row>')),
        (),
    ),
    Hostile("far_meta_column", _part_edit("IPK", META_SHEET, _before_end_of_data(FAR_ROW)), ()),
    Hostile(
        "far_meta_row",
        _part_edit(
            "KJS",
            META_SHEET,
            _before_end_of_data(
                b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'
            ),
        ),
        ("template-meta-invalid",),
    ),
    Hostile("duplicate_mapping", _book_edit("PEN", _duplicate_mapping), ("template-tampered",)),
    Hostile(
        "count_1e308",
        _values("SKU", **{"SKU.PRSH_DAFTAR_BIMBINGAN|TW2": 1e308}),
        ("above-maximum",),
    ),
    Hostile("count_1e15", _values("PHI", **{"PHI.KASUS_TERDAFTAR|TW2": 1e15}), ("above-maximum",)),
    Hostile("year_9999", _meta_scalar("KLP", "year", "9999"), ("template-meta-invalid",)),
    Hostile("year_0", _meta_scalar("SKP", "year", "0"), ("template-meta-invalid",)),
    Hostile("quarter_5", _meta_scalar("PKP", "quarter", "5"), ("template-meta-invalid",)),
    Hostile("locked_and_expected", _book_edit("UMP", _locked_and_expected), ("template-tampered",)),
    Hostile("late_doctype", _zip_edit("KEU", _late_doctype), ("xml-doctype",)),
    Hostile("utf16_doctype", _zip_edit("RVP", _utf16_doctype), ("xml-doctype",)),
    Hostile("twice_named", _zip_edit("PYP", _twice_named), ("duplicate-part",)),
)


@pytest.fixture(scope="module", name="hostile_inbox")
def _hostile_inbox(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> Path:
    ts = corpus.make_templates(catalogue, tmp_path_factory.mktemp("templates"))
    inbox = tmp_path_factory.mktemp("hostile")
    for case in HOSTILE:
        case.make(ts, catalogue, inbox / f"{case.name}.xlsx")
    return inbox


def test_each_hostile_file_gives_its_problem_and_nothing_else(
    hostile_inbox: Path, catalogue: Catalogue
) -> None:
    scan = scan_inbox(hostile_inbox, catalogue, Config())
    found = {f.path: tuple(sorted({p.code for p in f.problems})) for f in scan.files}
    assert found == {f"{c.name}.xlsx": c.codes for c in HOSTILE}
    for record in scan.files:
        expected = FileStatus.ACCEPTED if not record.problems else FileStatus.REJECTED
        assert record.status == expected, record.path


def test_the_huge_number_is_named_plainly(hostile_inbox: Path, catalogue: Catalogue) -> None:
    scan = scan_inbox(hostile_inbox, catalogue, Config())
    (huge,) = [p for f in scan.files if f.path == "count_1e308.xlsx" for p in f.problems]
    assert huge.value == "1e+308"
    assert "melebihi batas maksimum 1000000" in huge.message


def test_report_and_validate_run_to_the_end_with_exit_1(
    hostile_inbox: Path, tmp_path: Path
) -> None:
    """No traceback: the quarter's report is written (without --period: the latest quarter)."""
    runner = CliRunner()
    report = runner.invoke(main, ["report", "--inbox", str(hostile_inbox), "--out", str(tmp_path)])
    assert report.exit_code == 1, report.output
    assert (tmp_path / "2018-TW2" / "Capaian_IKI_2018_TW2.xlsx").is_file()
    validate = runner.invoke(main, ["validate", "--inbox", str(hostile_inbox)])
    assert validate.exit_code == 1, validate.output
    assert "Traceback" not in report.output + validate.output


def test_validate_of_the_hostile_inbox_stays_under_200_mb(hostile_inbox: Path) -> None:
    """Peak memory of a fresh `iki validate` process over every hostile file."""
    probe = (
        "import json, resource, subprocess, sys\n"
        "run = 'from pipeline.cli import main; main()'\n"
        "done = subprocess.run([sys.executable, '-c', run, 'validate', '--inbox', sys.argv[1]],"
        " capture_output=True)\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(json.dumps([done.returncode, peak]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, str(hostile_inbox)],
        capture_output=True,
        text=True,
        check=True,
    )
    code, peak_kb = json.loads(out.stdout)
    assert code == 1
    assert peak_kb < 200 * 1024, f"{peak_kb / 1024:.0f} MB"
