"""Reading workbooks: mapped cells raw, formulas found in the XML, LibreOffice-saved files."""

from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from pipeline.catalogue import load_catalogue
from pipeline.config import Config
from pipeline.contract import split_ref
from pipeline.inbox.read import read_workbook
from pipeline.inbox.xlsx import Package, WorkbookError, column_letters
from pipeline.run.scan import scan_inbox
from pipeline.submission import FileStatus
from tests import corpus
from tests.libreoffice import convert, requires_libreoffice


def test_split_ref() -> None:
    assert split_ref("A1") == (0, 0)
    assert split_ref("H7") == (6, 7)
    assert split_ref("AA10") == (9, 26)
    with pytest.raises(ValueError):
        split_ref("7H")


def _sheet(cells: str, prefix: str = "") -> bytes:
    """A sheet part with the given <row>/<c> elements (optionally namespace-prefixed)."""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns:{prefix}="{ns}"' if prefix else f'xmlns="{ns}"'
    body = cells.replace("<", f"<{p}").replace(f"<{p}/", f"</{p}")
    return f"<{p}worksheet {xmlns}><{p}sheetData>{body}</{p}sheetData></{p}worksheet>".encode()


def _cells_of(xml: bytes, wanted: set[str]) -> dict[str, tuple[object, str]]:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "xl/workbook.xml",
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="worksheets/s.xml"/></Relationships>',
        )
        archive.writestr("xl/worksheets/s.xml", xml)
    with zipfile.ZipFile(buffer) as archive:
        found = Package(archive).sheet_cells("S", wanted)
    return {ref: (cell.value, cell.formula) for ref, cell in found.items()}


@pytest.mark.parametrize("prefix", ["", "x"])
def test_values_and_formulas_from_one_walk_any_prefix_and_shared(prefix: str) -> None:
    xml = _sheet(
        '<row r="7"><c r="H7"><f>SUM(A1:A2)</f><v>3</v></c>'
        '<c r="I7" t="inlineStr"><is><t>12 orang</t></is></c>'
        '<c s="2" r="J7"><f t="shared" si="0"/><v>1</v></c>'
        '<c r="K7"><f>A1&amp;&quot;x&quot;</f></c><c r="L7"><v>5</v></c></row>',
        prefix,
    )
    assert _cells_of(xml, {"H7", "I7", "J7", "K7", "L7", "M7"}) == {
        "H7": (3.0, "=SUM(A1:A2)"),
        "I7": ("12 orang", ""),
        "J7": (1.0, "rumus bersama"),
        "K7": (None, '=A1&"x"'),
        "L7": (5.0, ""),
    }


def test_no_xml_trick_hides_a_formula() -> None:
    """What fooled the old regex scan: '>' in an attribute, a <c> without r=, odd spacing."""
    tricks = _sheet(
        '<row r="8"><c r="G8" s="1" x-note="a>b"><f>10+5</f><v>15</v></c>'
        "<c><f>1+1</f><v>2</v></c>"  # no r=: it is H8, after G8
        '<c r="I8"\n ><f\n>2*3</f\n><v>6</v></c></row>'
    )
    found = _cells_of(tricks, {"G8", "H8", "I8"})
    assert {ref: formula for ref, (_, formula) in found.items()} == {
        "G8": "=10+5",
        "H8": "=1+1",
        "I8": "=2*3",
    }


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ('<row r="8"><c r="H8"><v>1</v></c><c r="H8"><v>2</v></c></row>', "dua kali"),
        ('<row r="7"><c r="H8"><v>1</v></c></row>', "tidak berada di baris"),
        ('<row r="8"><c r="XFE8"><v>1</v></c></row>', "di luar lembar kerja"),
        ('<row r="0"><c><v>1</v></c></row>', "nomor baris"),
    ],
)
def test_contradictory_cell_positions_are_refused(cells: str, message: str) -> None:
    with pytest.raises(WorkbookError, match=message):
        _cells_of(_sheet(cells), {"H8", "XFE8"})


def test_a_far_cell_costs_nothing() -> None:
    """XFD1048576 once made calamine allocate 512 GB; only wanted cells are ever kept."""
    xml = _sheet(
        '<row r="8"><c r="H8"><v>4</v></c></row><row r="1048576"><c r="XFD1048576">'
        "<v>1</v></c></row>"
    )
    assert _cells_of(xml, {"H8"}) == {"H8": (4.0, "")}


FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_files_saved_by_libreoffice_read_cells_and_typed_formulas(name: str) -> None:
    """Committed fixtures saved by real LibreOffice (tests/fixtures/make.py makes them)."""
    expected = EXPECTED[name]
    result = read_workbook(FIXTURES / name)
    assert result.problems == ()
    assert result.meta is not None and result.meta.unit_code == expected["unit"]
    for cell, value in expected["cells"].items():
        assert result.cells[("Isian", cell)] == value
    assert result.formulas == {("Isian", c): f for c, f in expected["formulas"].items()}


def test_formula_scan_of_libreoffice_xml_finds_every_formula() -> None:
    """The walk sees the typed formula and every live formula LibreOffice wrote in IKI."""
    path = FIXTURES / "libreoffice_kjs_formula.xlsx"
    every = {f"{column_letters(c)}{r}" for c in range(1, 30) for r in range(1, 200)}
    for sheet in ("Isian", "IKI"):
        xml = corpus.member(path, corpus.sheet_part(path, sheet))
        with zipfile.ZipFile(path) as archive:
            cells = Package(archive).sheet_cells(sheet, every)
        found = {ref: cell.formula for ref, cell in cells.items() if cell.formula}
        assert len(found) == len(re.findall(rb"<f[\s/>]", xml)) > 3  # every <f>, none missed
        assert all(formula.startswith("=") for formula in found.values())
        if sheet == "Isian":
            assert EXPECTED[path.name]["formulas"].items() <= found.items()


def test_reads_meta_and_raw_mapped_cells(tmp_path: Path) -> None:
    cat = load_catalogue()
    ts = corpus.make_templates(cat, tmp_path / "t")
    path = corpus.filled(
        ts, "PKK", tmp_path / "pkk.xlsx", cat, **{"PKK.PENYERAPAN_TK|TW2": "12 orang"}
    )
    result = read_workbook(path)
    assert result.meta is not None and result.meta.unit_code == "PKK"
    cell = ts.cell("PKK", "PKK.PENYERAPAN_TK", "TW2")
    assert result.cells[("Isian", cell)] == "12 orang"
    assert (
        result.cells[("Isian", ts.cell("PKK", "PKK.PENYERAPAN_TK", "TW1"))] == corpus.PREFILL_VALUE
    )
    assert result.formulas == {}
    assert result.problems == ()


@pytest.mark.libreoffice
@requires_libreoffice
def test_libreoffice_saved_files_read_like_excel_ones(tmp_path: Path) -> None:
    """Files saved by LibreOffice: values, typed formulas and text read exactly; .xls refused."""
    cat = load_catalogue()
    ts = corpus.make_templates(cat, tmp_path / "t")
    src = tmp_path / "src"
    good = corpus.filled(
        ts, "IPK", src / "ipk_baik.xlsx", cat, **{"IPK.PENCAKER_TERDAFTAR|TW2": 23}
    )
    formula_cell = ts.cell("KJS", "KJS.PRSH_DIBINA", "TW2")

    def typed_formula(book: object, _: corpus.TemplateSet) -> None:
        book["Isian"][formula_cell] = "=10+5"  # type: ignore[index]

    values = {**corpus.good_values(ts.meta("KJS"), cat), ("KJS.PRSH_LKS_SUSU", "TW2"): "1.234"}
    bad = corpus.fill(
        ts.units["KJS"], src / "kjs_buruk.xlsx", values, lambda b: typed_formula(b, ts)
    )
    inbox = tmp_path / "inbox"
    saved = convert([good, bad], "xlsx", inbox)
    legacy = convert([good], "xls:MS Excel 97", tmp_path / "xls")
    shutil.copyfile(legacy[0], inbox / "ipk_lama.xls")
    scan = scan_inbox(inbox, cat, Config())
    by_name = {f.path: f for f in scan.files}
    assert {f.path for f in scan.files} == {"ipk_baik.xlsx", "kjs_buruk.xlsx", "ipk_lama.xls"}
    assert (by_name["ipk_baik.xlsx"].status, by_name["ipk_baik.xlsx"].problems) == (
        FileStatus.ACCEPTED,
        (),
    )
    value = scan.values.set_index("variable").loc["IPK.PENCAKER_TERDAFTAR", "value"]
    assert value == 23.0
    bad_problems = [(p.cell, p.code) for p in by_name["kjs_buruk.xlsx"].problems]
    assert by_name["kjs_buruk.xlsx"].status == FileStatus.REJECTED
    assert bad_problems == [
        (ts.cell("KJS", "KJS.PRSH_LKS_SUSU", "TW2"), "thousand-separator"),
        (formula_cell, "formula-in-input"),
    ]
    assert [p.code for p in by_name["ipk_lama.xls"].problems] == ["legacy-xls"]
    assert saved[0].name == "ipk_baik.xlsx"
