"""Just enough of OOXML to read named cells: one XML parse per part, no grid ever built.

A spreadsheet library builds a sheet's whole grid from the cells it finds, so one cell at
XFD1048576 makes it allocate hundreds of gigabytes (FACTS.md). This reader never does: it
walks the `<c>` elements of a sheet once, with the standard library's C parser, and keeps only
the cells it is asked for, each with its value and, from the same element, its formula. Parts
are parsed only after the guard has checked their size and refused any DOCTYPE in them.

Values as the pipeline needs them: numbers as float, text as str (shared, inline or a
formula's string result), booleans, errors as their text ('#DIV/0!'), and numbers whose cell
style is a date format as datetime (Excel turns a typed `1/2` into a date).
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Container, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from pipeline.contract import split_ref
from pipeline.inbox.guard import XML_SUFFIXES as _XML_PARTS

Raw = float | int | str | bool | dt.date | dt.datetime | dt.time | dt.timedelta | None

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
MAX_ROW, MAX_COLUMN = 1_048_576, 16_384  # the largest sheet Excel allows
_IS, _V, _T, _R = f"{MAIN}is", f"{MAIN}v", f"{MAIN}t", f"{MAIN}r"
_DIGITS = "0123456789"


class WorkbookError(ValueError):
    """The package is not a workbook this reader can make sense of (message in Indonesian)."""


@dataclass(frozen=True)
class Cell:
    """One cell as found: its value (None when empty) and its formula ('' when none)."""

    value: Raw
    formula: str


class Package:
    """An opened .xlsx: sheet names and parts, shared strings and date styles, read lazily."""

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.sheets = _sheet_parts(archive)
        self._strings: list[str] | None = None
        self._dates: frozenset[int] | None = None
        self._epoch: dt.datetime | None = None

    def sheet_cells(self, sheet: str, wanted: set[str]) -> dict[str, Cell]:
        """The wanted cells of a sheet (A1 references) that the sheet holds."""
        root = self._parse(self.sheets[sheet])
        found: dict[str, Cell] = {}
        for ref, _, element in _cells(root, wanted):
            if ref not in wanted:
                continue
            if ref in found:
                raise WorkbookError(f"sel {sheet}!{ref} tertulis dua kali")
            found[ref] = Cell(self._value(element), _formula(element))
        return found

    def sheet_rows(self, sheet: str, columns: int, max_rows: int) -> list[list[Raw]]:
        """The first `columns` columns of a sheet as rows, empty rows kept; at most max_rows."""
        root = self._parse(self.sheets[sheet])
        rows: dict[int, list[Raw]] = {}
        first = {column_letters(c + 1): c for c in range(columns)}
        for ref, in_row, element in _cells(root, ()):
            letters = ref.rstrip(_DIGITS)
            column = first.get(letters, -1)
            if column < 0:
                continue
            if ref[len(letters) :] != str(in_row):
                _checked_ref(ref, in_row)  # raises: the cell says it is in another row
            if in_row > max_rows:
                raise WorkbookError(f"lembar {sheet} melebihi {max_rows} baris")
            rows.setdefault(in_row - 1, [None] * columns)[column] = self._value(element)
        last = max(rows, default=-1)
        return [rows.get(r, [None] * columns) for r in range(last + 1)]

    def _value(self, element: ET.Element) -> Raw:
        kind = element.get("t", "n")
        if kind == "inlineStr":
            inline = element.find(_IS)
            return None if inline is None else _text(inline)
        text = element.findtext(_V)
        if text is None or text == "":
            return None
        if kind == "s":
            return self._shared(text)
        if kind in ("str", "e"):
            return text
        if kind == "b":
            return text.strip() == "1"
        if kind == "d":
            return _iso_date(text)
        return self._number(text, element.get("s"))

    def _number(self, text: str, style: str | None) -> Raw:
        try:
            number = float(text)
        except ValueError as exc:
            raise WorkbookError(f"angka sel tidak terbaca: {text[:40]!r}") from exc
        if style is not None and style.isdigit() and int(style) in self._date_styles():
            try:
                moment: dt.datetime = from_excel(number, self._date_epoch())
            except (OverflowError, ValueError):
                return number
            return moment
        return number

    def _shared(self, text: str) -> str:
        if self._strings is None:
            self._strings = _shared_strings(self)
        try:
            return self._strings[int(text)]
        except (ValueError, IndexError) as exc:
            raise WorkbookError(f"teks bersama nomor {text[:20]!r} tidak ada") from exc

    def _date_styles(self) -> frozenset[int]:
        if self._dates is None:
            self._dates = _date_styles(self.archive)
        return self._dates

    def _date_epoch(self) -> dt.datetime:
        if self._epoch is None:
            book = self._parse("xl/workbook.xml")
            pr = book.find(f"{MAIN}workbookPr")
            date1904 = pr is not None and pr.get("date1904", "0") in ("1", "true")
            self._epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
        return self._epoch

    def _parse(self, part: str) -> ET.Element:
        if not part.lower().endswith(_XML_PARTS):
            raise WorkbookError(f"bagian {part[:60]} bukan XML")  # the guard checked only XML
        try:
            return ET.fromstring(self.archive.read(part))
        except KeyError as exc:
            raise WorkbookError(f"bagian {part} tidak ada") from exc
        except ET.ParseError as exc:
            raise WorkbookError(f"XML {part} rusak ({exc})") from exc

    def part(self, name: str) -> ET.Element | None:
        """A part's parsed root, or None when the package has no such part."""
        if name not in self.archive.NameToInfo:
            return None
        return self._parse(name)


def _cells(
    root: ET.Element, wanted: Container[str] | None = None
) -> Iterator[tuple[str, int, ET.Element]]:
    """(A1 reference, 1-based row, element) of every `<c>`, implied where `r` is left out.

    A cell's position is checked (a valid reference, in its row) when it is wanted (all are
    when `wanted` is None) or when the next cell's position is implied from it.
    """
    data = root.find(f"{MAIN}sheetData")
    if data is None:
        return
    row = 0
    for row_element in data.iter(f"{MAIN}row"):
        given = row_element.get("r")
        row = _number_attr(given, MAX_ROW, "baris") if given is not None else row + 1
        previous = ""  # reference of the previous cell in the row, '' before the first
        for cell in row_element.iter(f"{MAIN}c"):
            ref = cell.get("r")
            if ref is None:
                column = _checked_ref(previous, row)[1] + 1 if previous else 0
                ref = f"{column_letters(column + 1)}{row}"
            elif wanted is None or ref in wanted:
                _checked_ref(ref, row)
            previous = ref
            yield ref, row, cell


def column_letters(column: int) -> str:
    """Letters of a 1-based column number: 1 -> A, 27 -> AA."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _checked_ref(ref: str, row: int) -> tuple[int, int]:
    """Zero-based (row, column) of a cell's reference, which must lie in its 1-based row."""
    try:
        cell_row, column = split_ref(ref)
    except ValueError as exc:
        raise WorkbookError(f"alamat sel {ref[:20]!r} tidak sah") from exc
    if cell_row >= MAX_ROW or column >= MAX_COLUMN:
        raise WorkbookError(f"alamat sel {ref} di luar lembar kerja")
    if cell_row != row - 1:
        raise WorkbookError(f"sel {ref} tidak berada di baris {row}")
    return cell_row, column


def _number_attr(text: str, limit: int, what: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= limit:
        raise WorkbookError(f"nomor {what} {text[:20]!r} tidak sah")
    return int(text)


def _formula(element: ET.Element) -> str:
    formula = element.find(f"{MAIN}f")
    if formula is None:
        return ""
    text = (formula.text or "").strip()
    return f"={text}" if text else "rumus bersama"


def _text(element: ET.Element) -> str:
    """A string item's text: its `<t>` and rich-text runs, never the phonetic hints."""
    text = element.findtext(_T) or ""
    if element.find(_R) is None:
        return text
    return text + "".join(run.findtext(_T) or "" for run in element.iter(_R))


def _iso_date(text: str) -> Raw:
    try:
        return dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return text


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> its XML part, from workbook.xml and its relationships."""
    try:
        book = ET.fromstring(archive.read("xl/workbook.xml"))
        rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except KeyError as exc:
        raise WorkbookError("daftar lembar kerja tidak ada") from exc
    except ET.ParseError as exc:
        raise WorkbookError(f"daftar lembar kerja rusak ({exc})") from exc
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(_PKG_REL)}
    parts: dict[str, str] = {}
    for sheet in book.iter(f"{MAIN}sheet"):
        name, target = sheet.get("name", ""), targets.get(sheet.get(_REL_ID), "")
        if name in parts:
            raise WorkbookError(f"lembar '{name}' ada dua kali")
        if target:
            parts[name] = _resolve(target)
    return parts


def _resolve(target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return str(PurePosixPath("xl") / target)


def _shared_strings(package: Package) -> list[str]:
    root = package.part("xl/sharedStrings.xml")
    if root is None:
        return []
    return [_text(item) for item in root.iter(f"{MAIN}si")]


def _date_styles(archive: zipfile.ZipFile) -> frozenset[int]:
    """Indexes of the cell styles whose number format shows a date or time.

    Files made from one template share their styles part byte for byte, so each distinct
    part is parsed once (a bounded cache of parts of at most a few hundred kB).
    """
    if "xl/styles.xml" not in archive.NameToInfo:
        return frozenset()
    part = archive.read("xl/styles.xml")
    if len(part) > _STYLES_CACHE_BYTES:
        return _parse_date_styles(part)
    found = _STYLES_CACHE.get(part)
    if found is None:
        if len(_STYLES_CACHE) >= _STYLES_CACHE_SIZE:
            _STYLES_CACHE.clear()
        found = _STYLES_CACHE[part] = _parse_date_styles(part)
    return found


_STYLES_CACHE: dict[bytes, frozenset[int]] = {}
_STYLES_CACHE_SIZE, _STYLES_CACHE_BYTES = 32, 262_144


def _parse_date_styles(part: bytes) -> frozenset[int]:
    try:
        root = ET.fromstring(part)
    except ET.ParseError as exc:
        raise WorkbookError(f"XML xl/styles.xml rusak ({exc})") from exc
    custom = {
        int(f.get("numFmtId", "-1")): f.get("formatCode", "")
        for f in root.iter(f"{MAIN}numFmt")
        if f.get("numFmtId", "").isdigit()
    }
    xfs = root.find(f"{MAIN}cellXfs")
    found = set()
    for index, xf in enumerate(() if xfs is None else xfs.iter(f"{MAIN}xf")):
        number_format = xf.get("numFmtId", "0")
        if not number_format.isdigit():
            continue
        code = custom.get(int(number_format)) or BUILTIN_FORMATS.get(int(number_format), "")
        if code and is_date_format(code):
            found.add(index)
    return frozenset(found)
