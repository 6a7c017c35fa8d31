"""Reading workbooks: mapped cells raw, formulas found in the XML, LibreOffice-saved files."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from pipeline.catalogue import load_catalogue
from pipeline.config import Config
from pipeline.inbox.read import _formula_cells, read_workbook, split_ref
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


def test_formula_cells_any_prefix_and_shared() -> None:
    xml = (
        b'<x:sheetData><x:row r="7"><x:c r="H7"><x:f>SUM(A1:A2)</x:f><x:v>3</x:v></x:c>'
        b'<x:c r="I7" t="s"><x:v>0</x:v></x:c>'
        b'<x:c s="2" r="J7"><x:f t="shared" si="0"/><x:v>1</x:v></x:c>'
        b'<x:c r="K7"><x:f>A1&amp;&quot;x&quot;</x:f></x:c></x:row></x:sheetData>'
    )
    assert _formula_cells(xml) == [
        ("H7", "=SUM(A1:A2)"),
        ("J7", "rumus bersama"),
        ("K7", '=A1&"x"'),
    ]


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
    """The scan sees the typed formula and every live formula LibreOffice wrote in IKI."""
    path = FIXTURES / "libreoffice_kjs_formula.xlsx"
    for sheet in ("Isian", "IKI"):
        xml = corpus.member(path, corpus.sheet_part(path, sheet))
        found = dict(_formula_cells(xml))
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
