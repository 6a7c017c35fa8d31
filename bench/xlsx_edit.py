"""Rewrite a filled workbook's XML in place of refilling it with openpyxl (~100x cheaper).

Only what openpyxl itself writes is handled: inline strings, numbers in `<v>`, one `<c>`
element per cell. The result is a normal .xlsx any reader opens.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Mapping
from html import escape
from pathlib import PurePosixPath

CellValue = float | int | str | None

_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_STYLE = re.compile(rb'\bs="(\d+)"')


def read_members(data: bytes) -> dict[str, bytes]:
    """Every member of a zip, inflated, in archive order."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write_members(members: Mapping[str, bytes]) -> bytes:
    """A deflated zip of the members, in the given order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def sheet_members(members: Mapping[str, bytes]) -> dict[str, str]:
    """Sheet name -> zip member holding its XML."""
    book = ET.fromstring(members["xl/workbook.xml"])
    rels = ET.fromstring(members["xl/_rels/workbook.xml.rels"])
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    found = {}
    for sheet in book.iter():
        if sheet.tag.endswith("}sheet"):
            target = targets.get(sheet.get(f"{{{_NS_REL}}}id"), "")
            name = sheet.get("name", "")
            if target.startswith("/"):
                found[name] = target.lstrip("/")
            else:
                found[name] = str(PurePosixPath("xl") / target)
    return found


def set_cells(xml: bytes, values: Mapping[str, CellValue]) -> bytes:
    """The sheet XML with each cell (A1 reference) holding its new value; style kept.

    A cell the sheet does not contain yet raises KeyError: templates write every mapped cell.
    """
    for ref, value in values.items():
        pattern = re.compile(rb'<c r="' + ref.encode() + rb'"(?:\s[^>]*?)?(?:/>|>.*?</c>)', re.S)
        match = pattern.search(xml)
        if match is None:
            raise KeyError(ref)
        style = _STYLE.search(match.group(0).split(b">", 1)[0])
        xml = xml[: match.start()] + _cell(ref, style, value) + xml[match.end() :]
    return xml


def _cell(ref: str, style: re.Match[bytes] | None, value: CellValue) -> bytes:
    head = f'<c r="{ref}"' + (f' s="{style.group(1).decode()}"' if style else "")
    if value is None:
        return (head + "/>").encode()
    if isinstance(value, str):
        return (head + f' t="inlineStr"><is><t>{escape(value, quote=False)}</t></is></c>').encode()
    number = int(value) if isinstance(value, float) and value.is_integer() else value
    return (head + f' t="n"><v>{number}</v></c>').encode()


def replace_text(xml: bytes, replacements: Mapping[str, str]) -> bytes:
    """The XML with each text replaced (as escaped in XML) by another."""
    for old, new in replacements.items():
        xml = xml.replace(escape(old, quote=False).encode(), escape(new, quote=False).encode())
    return xml
