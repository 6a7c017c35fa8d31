"""Builders of submissions for the tests: valid ones from the real templates, and bad ones.

Every bad submission is built by code from a real generated template (or, for the file-level
cases, from raw bytes), together with the exact (cell, code) problems it must produce.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl

from pipeline.catalogue.bounds import target_bounds
from pipeline.catalogue.model import Catalogue
from pipeline.contract import BASELINE_FIELDS, META_SHEET, TARGET_QUARTER_FIELDS, TemplateMeta
from pipeline.fill import example_roster, fill_workbook
from pipeline.inbox.read import read_workbook
from pipeline.periods import Period
from pipeline.templates import generate_templates, write_targets_template

PERIOD = Period(2018, 2)
# Earlier quarter shown locked in every template, and the value typed this quarter.
PREFILL_VALUE, GOOD_VALUE, PART_VALUE = 18.0, 20, 15
TARGETS = {"UMP-KA.1": 20.0, "IPK-KASI.1": 30.0}

Edit = Callable[[Any], None]  # receives an openpyxl workbook


@dataclass
class TemplateSet:
    """Generated templates of one period and the targets workbook, with their metas."""

    folder: Path
    units: dict[str, Path]
    targets: Path
    metas: dict[str, TemplateMeta] = field(default_factory=dict)

    def meta(self, unit: str) -> TemplateMeta:
        """`_meta` of a unit's template (or 'targets')."""
        if unit not in self.metas:
            path = self.targets if unit == "targets" else self.units[unit]
            meta = read_workbook(path).meta
            assert meta is not None
            self.metas[unit] = meta
        return self.metas[unit]

    def cell(self, unit: str, key: str, field_name: str) -> str:
        """Address of a mapped cell, e.g. 'H7'."""
        mapped = self.meta(unit).cell_of(key, field_name)
        assert mapped is not None, (unit, key, field_name)
        return mapped.cell


def part_variables(catalogue: Catalogue) -> set[str]:
    """Numerators of indicators whose numerator is a part of the denominator."""
    return {i.var("numerator") for i in catalogue.indicators if i.bagian and i.kind == "ratio"}


def make_templates(catalogue: Catalogue, folder: Path) -> TemplateSet:
    """Templates of PERIOD for every unit, TW1 pre-filled, and the year's targets workbook."""
    parts = part_variables(catalogue)
    prefill = {
        u.code: {
            (v.code, 1): PREFILL_VALUE - (4 if v.code in parts else 0)
            for v in catalogue.variables_of(u.code)
        }
        for u in catalogue.reporting_units()
    }
    paths = generate_templates(
        catalogue,
        PERIOD,
        folder,
        prefill=prefill,
        targets=TARGETS,
        generated_at="2018-06-01T00:00:00+00:00",
    )
    units = {}
    for path in paths:
        meta = read_workbook(path).meta
        assert meta is not None and meta.unit_code
        units[meta.unit_code] = path
    targets = folder / "Target_IKI_2018.xlsx"
    write_targets_template(
        targets, catalogue, PERIOD.year, generated_at="2018-01-01T00:00:00+00:00"
    )
    return TemplateSet(folder, units, targets)


def good_values(meta: TemplateMeta, catalogue: Catalogue) -> dict[tuple[str, str], Any]:
    """A plausible number in every input cell of the current quarter (targets: every target)."""
    if meta.kind == "targets":
        return good_targets(meta, catalogue)
    parts = part_variables(catalogue)
    field_name = f"TW{meta.quarter}"
    return {
        (c.key, c.field): PART_VALUE if c.key in parts else GOOD_VALUE
        for c in meta.inputs()
        if c.field == field_name
    }


def good_targets(meta: TemplateMeta, catalogue: Catalogue) -> dict[tuple[str, str], Any]:
    """A Rencana Aksi without a problem: 40 a year (or the bound), quarters that agree, and
    every position's holder in the roster."""
    values: dict[tuple[str, str], Any] = dict(example_roster(meta, catalogue))
    for cell in meta.inputs():
        if cell.field == "target":
            indicator = catalogue.indicator(cell.key)
            top = target_bounds(indicator, catalogue).maximum
            annual = 40 if top is None else min(40, int(top))
            values[(cell.key, cell.field)] = annual
            split = catalogue.perhitungan(indicator) == "kumulatif"
            for quarter, field_name in enumerate(TARGET_QUARTER_FIELDS, start=1):
                if meta.cell_of(cell.key, field_name) is not None:
                    part = annual // 4 + (annual % 4 if quarter == 4 else 0)
                    values[(cell.key, field_name)] = part if split else annual
        elif cell.field in BASELINE_FIELDS:
            values[(cell.key, cell.field)] = 50
    return values


def fill(
    template: Path,
    target: Path,
    values: Mapping[tuple[str, str], Any],
    edit: Edit | None = None,
) -> Path:
    """Copy a template and type values into its mapped cells, then apply an optional edit.

    Plain values go through the project's filler (`pipeline.fill`); dates and free edits
    (renaming sheets, tampering with `_meta`) through openpyxl directly.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    plain = all(v is None or isinstance(v, int | float | str) for v in values.values())
    if edit is None and plain:
        fill_workbook(template, target, values)
        return target
    meta = read_workbook(template).meta
    assert meta is not None
    book = openpyxl.load_workbook(template)
    for (key, field_name), value in values.items():
        mapped = meta.cell_of(key, field_name)
        assert mapped is not None, (key, field_name)
        book[mapped.sheet][mapped.cell].value = value
    if edit is not None:
        edit(book)
    book.save(target)
    return target


def filled(ts: TemplateSet, unit: str, target: Path, catalogue: Catalogue, **changes: Any) -> Path:
    """A unit's template filled with good values, some replaced: changes maps 'KEY|FIELD'."""
    meta = ts.meta(unit)
    values = good_values(meta, catalogue)
    for spec, value in changes.items():
        key, field_name = spec.split("|")
        values[(key, field_name)] = value
    source = ts.targets if unit == "targets" else ts.units[unit]
    return fill(source, target, values)


def set_meta(book: Any, name: str, value: str) -> None:
    """Change one scalar of `_meta` (as someone tampering with the hidden sheet would)."""
    sheet = book[META_SHEET]
    for row in sheet.iter_rows(min_row=2, max_col=2):
        if row[0].value == name:
            row[1].value = value
            return
    raise KeyError(name)


def rezip(
    source: Path,
    target: Path,
    *,
    replace: Mapping[str, bytes] | None = None,
    add: Mapping[str, bytes] | None = None,
    drop: tuple[str, ...] = (),
) -> Path:
    """Rewrite a workbook's zip with members replaced, added or dropped."""
    replace, add = dict(replace or {}), dict(add or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename in drop:
                continue
            new.writestr(info.filename, replace.pop(info.filename, None) or old.read(info))
        for name, data in add.items():
            new.writestr(name, data)
    target.write_bytes(buffer.getvalue())
    return target


def member(path: Path, name: str) -> bytes:
    """One zip member's bytes."""
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


def sheet_part(path: Path, sheet: str) -> str:
    """Zip member holding a sheet's XML."""
    from pipeline.inbox.xlsx import Package

    with zipfile.ZipFile(path) as archive:
        return Package(archive).sheets[sheet]


def set_time(path: Path, when: dt.datetime) -> None:
    """Set a file's modification time (the received time of a file placed by hand)."""
    stamp = when.timestamp()
    os.utime(path, (stamp, stamp))


def copy(source: Path, target: Path) -> Path:
    """Copy a file, creating folders."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


# --- The corpus of bad submissions -------------------------------------------------------

Build = Callable[[TemplateSet, Catalogue, Path], Path]
Expect = Callable[[TemplateSet], list[tuple[str, str]]]


@dataclass(frozen=True)
class Case:
    """A bad submission: how to build it and the exact (cell, code) problems it must raise."""

    name: str
    build: Build
    expected: Expect


def _fatal(code: str) -> Expect:
    return lambda ts: [("", code)]


def _cells(unit: str, *spec: tuple[str, str, str]) -> Expect:
    """Expected problems at mapped cells: (key, field, code)."""
    return lambda ts: [(ts.cell(unit, key, f), code) for key, f, code in spec]


def _values(unit: str, **changes: Any) -> Build:
    def build(ts: TemplateSet, cat: Catalogue, out: Path) -> Path:
        return filled(ts, unit, out, cat, **changes)

    return build


def _edited(unit: str, edit: Callable[[Any, TemplateSet], None]) -> Build:
    def build(ts: TemplateSet, cat: Catalogue, out: Path) -> Path:
        values = good_values(ts.meta(unit), cat)
        return fill(ts.units[unit], out, values, lambda book: edit(book, ts))

    return build


def _bytes(make: Callable[[TemplateSet, Catalogue, Path], bytes]) -> Build:
    def build(ts: TemplateSet, cat: Catalogue, out: Path) -> Path:
        out.write_bytes(make(ts, cat, out))
        return out

    return build


def _zipped(unit: str, change: Callable[[Path, Path], Path]) -> Build:
    def build(ts: TemplateSet, cat: Catalogue, out: Path) -> Path:
        good = filled(ts, unit, out.with_suffix(".tmp"), cat)
        change(good, out)
        good.unlink()
        return out

    return build


def _meta_change(unit: str, name: str, value: str) -> Build:
    return _edited(unit, lambda book, ts: set_meta(book, name, value))


def _plain_workbook(ts: TemplateSet, cat: Catalogue, out: Path) -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "Jumlah pencari kerja"
    book.active["B1"] = 20
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _broken_meta(book: Any, ts: TemplateSet) -> None:
    sheet = book[META_SHEET]
    for row in sheet.iter_rows(min_row=2, max_row=9, max_col=2):
        if row[0].value == "catalogue_hash":
            row[0].value = None
            row[1].value = None


def _open_earlier_quarter(book: Any, ts: TemplateSet) -> None:
    sheet = book[META_SHEET]
    cell = ts.cell("PEN", "PEN.PENEMPATAN", "TW1")
    for row in sheet.iter_rows():
        if row[3].value == cell and row[2].value == "Isian":
            row[4].value = "1"


def _rename_input_sheet(book: Any, ts: TemplateSet) -> None:
    book["Isian"].title = "Isian (2)"


def _shared_member_bomb(good: Path, out: Path) -> Path:
    return rezip(good, out, add={"xl/media/image1.png": b"\0" * 30_000_000})


def _doctype(good: Path, out: Path) -> Path:
    xml = member(good, "xl/workbook.xml")
    bomb = b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">]>\n'
    body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
    return rezip(good, out, replace={"xl/workbook.xml": bomb + body})


def _macro(good: Path, out: Path) -> Path:
    return rezip(good, out, add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"})


def _macro_type(good: Path, out: Path) -> Path:
    types = member(good, "[Content_Types].xml").replace(
        b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml"
    )
    return rezip(good, out, replace={"[Content_Types].xml": types})


def _many_parts(good: Path, out: Path) -> Path:
    return rezip(good, out, add={f"customXml/item{i}.xml": b"<a/>" for i in range(300)})


def _garbage_workbook_xml(good: Path, out: Path) -> Path:
    return rezip(good, out, replace={"xl/workbook.xml": b"<workbook><sheets><sheet"})


def _truncate(ts: TemplateSet, cat: Catalogue, out: Path) -> bytes:
    data = filled(ts, "PHI", out, cat).read_bytes()
    return data[: len(data) // 2]


def _formula_typed(unit: str, key: str) -> Build:
    def edit(book: Any, ts: TemplateSet) -> None:
        book["Isian"][ts.cell(unit, key, "TW2")] = "=10+5"

    return _edited(unit, edit)


BAD: tuple[Case, ...] = (
    # Fatal: the file cannot be read safely or is not an official template.
    Case("empty", _bytes(lambda ts, cat, out: b""), _fatal("empty-file")),
    Case("pdf", _bytes(lambda ts, cat, out: b"%PDF-1.4\n" + b"x" * 500), _fatal("not-xlsx")),
    Case("truncated", _bytes(_truncate), _fatal("truncated-file")),
    Case(
        "legacy-xls",
        _bytes(lambda ts, cat, out: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"W\0o\0r\0k\0" * 300),
        _fatal("legacy-xls"),
    ),
    Case(
        "encrypted",
        _bytes(
            lambda ts, cat, out: (
                b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
                + b"\0" * 200
                + "EncryptedPackage".encode("utf-16-le")
                + b"\0" * 200
            )
        ),
        _fatal("encrypted-file"),
    ),
    Case(
        "too-large",
        _bytes(lambda ts, cat, out: b"PK\x03\x04" + b"\0" * 5_100_000),
        _fatal("file-too-large"),
    ),
    Case("zip-bomb", _zipped("PKK", _shared_member_bomb), _fatal("zip-bomb")),
    Case("too-many-parts", _zipped("PKK", _many_parts), _fatal("too-many-parts")),
    Case("vba-project", _zipped("SKP", _macro), _fatal("macro-content")),
    Case("macro-content-type", _zipped("SKP", _macro_type), _fatal("macro-content")),
    Case("doctype", _zipped("PYP", _doctype), _fatal("xml-doctype")),
    Case("garbage-xml", _zipped("PYP", _garbage_workbook_xml), _fatal("unreadable-workbook")),
    Case("plain-workbook", _bytes(_plain_workbook), _fatal("not-a-template")),
    Case("meta-broken", _edited("PMD", _broken_meta), _fatal("template-meta-invalid")),
    Case(
        "old-version",
        _meta_change("PMD", "template_version", "0"),
        _fatal("unknown-template-version"),
    ),
    Case(
        "other-catalogue",
        _meta_change("BIM", "catalogue_hash", "0" * 64),
        _fatal("other-catalogue"),
    ),
    Case("unknown-unit", _meta_change("BIM", "unit_code", "XYZ"), _fatal("unknown-unit")),
    Case("unknown-kind", _meta_change("KLP", "kind", "laporan"), _fatal("unknown-template-kind")),
    Case("map-opened", _edited("PEN", _open_earlier_quarter), _fatal("template-tampered")),
    Case("sheet-renamed", _edited("PEN", _rename_input_sheet), _fatal("template-tampered")),
    # Error: the submission is rejected, the unit corrects a cell.
    Case(
        "word",
        _values("IPK", **{"IPK.PENCAKER_BIMJAB|TW2": "banyak"}),
        _cells("IPK", ("IPK.PENCAKER_BIMJAB", "TW2", "not-a-number")),
    ),
    Case(
        "thousand-dot",
        _values("IPK", **{"IPK.PENCAKER_TERDAFTAR|TW2": "1.234"}),
        _cells("IPK", ("IPK.PENCAKER_TERDAFTAR", "TW2", "thousand-separator")),
    ),
    Case(
        "decimal-comma",
        _values("UMP", **{"UMP.PNS_KGB|TW2": "12,5"}),
        _cells("UMP", ("UMP.PNS_KGB", "TW2", "decimal-comma")),
    ),
    Case(
        "number-with-unit",
        _values("UMP", **{"UMP.PEGAWAI|TW2": "12 orang"}),
        _cells("UMP", ("UMP.PEGAWAI", "TW2", "number-with-unit")),
    ),
    Case(
        "dash",
        _values("KEU", **{"KEU.SPP_AJU|TW2": "-"}),
        _cells("KEU", ("KEU.SPP_AJU", "TW2", "text-for-zero")),
    ),
    Case(
        "date",
        _values("KEU", **{"KEU.LAP_GAJI|TW2": dt.datetime(2018, 1, 2)}),
        _cells("KEU", ("KEU.LAP_GAJI", "TW2", "date-in-number-cell")),
    ),
    Case(
        "negative",
        _values("RVP", **{"RVP.DOKREN_BAIK|TW2": -3}),
        _cells("RVP", ("RVP.DOKREN_BAIK", "TW2", "negative-number")),
    ),
    Case(
        "fraction",
        _values("RVP", **{"RVP.DOKLAP_BAIK|TW2": 2.5}),
        _cells("RVP", ("RVP.DOKLAP_BAIK", "TW2", "not-whole-number")),
    ),
    Case(
        "above-maximum",
        _values("IPK", **{"IPK.KEC_LAPOR_AK1|TW2": 40}),
        _cells("IPK", ("IPK.KEC_LAPOR_AK1", "TW2", "above-maximum")),
    ),
    Case(
        "empty-cell",
        _values("PKP", **{"PKP.TK_DILATIH|TW2": None}),
        _cells("PKP", ("PKP.TK_DILATIH", "TW2", "required-missing")),
    ),
    Case(
        "nothing-filled",
        lambda ts, cat, out: fill(ts.units["PMD"], out, {}),
        lambda ts: [
            (c.cell, "required-missing") for c in ts.meta("PMD").inputs() if c.field == "TW2"
        ],
    ),
    Case(
        "formula",
        _formula_typed("KJS", "KJS.PRSH_DIBINA"),
        _cells("KJS", ("KJS.PRSH_DIBINA", "TW2", "formula-in-input")),
    ),
    Case(
        "code-changed",
        _values("SKU", **{"SKU.PP_PKB_TERBIT|code": "SKU.PP_PKB"}),
        _cells("SKU", ("SKU.PP_PKB_TERBIT", "code", "variable-code-changed")),
    ),
    Case(
        "earlier-quarter",
        _values("SKU", **{"SKU.PRSH_IKUT_BIMBINGAN|TW1": 99}),
        _cells("SKU", ("SKU.PRSH_IKUT_BIMBINGAN", "TW1", "earlier-quarter-changed")),
    ),
    Case(
        "later-quarter",
        _values("KLP", **{"KLP.LPS_DIBINA|TW3": 7}),
        _cells("KLP", ("KLP.LPS_DIBINA", "TW3", "later-quarter-filled")),
    ),
    Case(
        "target-changed",
        _values("UMP", **{"UMP-KA.1|target": 5}),
        _cells("UMP", ("UMP-KA.1", "target", "target-changed")),
    ),
    Case(
        "several",
        _values(
            "PHI",
            **{"PHI.KASUS_SELESAI|TW2": "3 kasus", "PHI.KASUS_TERDAFTAR|TW2": None},
        ),
        _cells(
            "PHI",
            ("PHI.KASUS_SELESAI", "TW2", "number-with-unit"),
            ("PHI.KASUS_TERDAFTAR", "TW2", "required-missing"),
        ),
    ),
    Case(
        "target-text",
        _values("targets", **{"UMP-KA.1|target": "1.500"}),
        lambda ts: [(ts.cell("targets", "UMP-KA.1", "target"), "thousand-separator")],
    ),
    Case(
        "target-baseline-text",
        _values(
            "targets",
            **{"PTK-KABID.2|baseline_TW1": "12 orang", "PTK-KABID.3|baseline_TW4": "1.234"},
        ),
        _cells(
            "targets",
            ("PTK-KABID.2", "baseline_TW1", "number-with-unit"),
            ("PTK-KABID.3", "baseline_TW4", "thousand-separator"),
        ),
    ),
    Case(
        "target-baseline-numbers",
        _values(
            "targets",
            **{"PTK-KABID.2|baseline_TW2": -3, "PTK-KABID.2|baseline_TW3": 12.5},
        ),
        _cells(
            "targets",
            ("PTK-KABID.2", "baseline_TW2", "negative-number"),
            ("PTK-KABID.2", "baseline_TW3", "not-whole-number"),
        ),
    ),
)
