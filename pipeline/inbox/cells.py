"""What each mapped cell holds, decided once: a number, nothing, or text that is no number.

Indonesian habits (`1.234` for a thousand, `12,5` for a decimal, `12 orang`, `-` for nil)
are named, never guessed at: `1.234` could be 1234 or 1.234 depending on who typed it.
Digits typed as text (`'12`) are unambiguous and read as the number, exactly as the
templates' live formulas read them (pipeline.templates.formulas.read_number): ASCII digits
with an optional sign, padded only by spaces, tabs or line breaks.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

from pipeline.contract import TemplateMeta
from pipeline.inbox.read import Address, Raw
from pipeline.submission import EMPTY, FORMULA, NUMBER, CellReading

_DIGITS = re.compile(r"^[+-]?[0-9]+$")
_LIVE_PADDING = " \t\r\n"  # what the live formulas trim too (other spaces they cannot see)
_THOUSANDS_DOT = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
_COMMA = re.compile(r"^\d{1,3}(?:\.\d{3})*,\d+$|^\d+,\d+$")
_WITH_UNIT = re.compile(r"^(\d[\d.,]*)\s*[^\d\s.,].*$", re.S)
_NIL = {"-", "--", "–", "—", "nihil", "nol", "tidak ada", "tdk ada", "kosong", "n/a", "na"}


@dataclass(frozen=True)
class Reading:
    """How a raw cell was understood: a kind (EMPTY, NUMBER or a text code) and a hint."""

    kind: str
    number: float | None = None
    hint: str = ""  # what to type instead, shown in the message


def classify(raw: Raw) -> Reading:
    """Understand a raw cell value without guessing."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return Reading(EMPTY)
    if isinstance(raw, bool):
        return Reading("not-a-number")
    if isinstance(raw, int | float):
        value = float(raw)
        return Reading(NUMBER, value) if math.isfinite(value) else Reading("not-a-number")
    if isinstance(raw, dt.date | dt.datetime | dt.time | dt.timedelta):
        return Reading("date-in-number-cell")
    digits = str(raw).strip(_LIVE_PADDING)
    if _DIGITS.match(digits):
        return Reading(NUMBER, float(digits))
    return _classify_text(str(raw).strip())


def _classify_text(text: str) -> Reading:
    if _THOUSANDS_DOT.match(text):
        return Reading("thousand-separator", hint=text.replace(".", ""))
    if _COMMA.match(text):
        whole = text.split(",")[0].replace(".", "")
        return Reading("decimal-comma", hint=whole)
    if text.lower() in _NIL:
        return Reading("text-for-zero")
    unit = _WITH_UNIT.match(text)
    if unit:
        digits = unit.group(1)
        return Reading("number-with-unit", hint=digits if digits.isdigit() else "angkanya saja")
    return Reading("not-a-number")


def annotate(
    meta: TemplateMeta, cells: dict[Address, Raw], formulas: dict[Address, str]
) -> tuple[CellReading, ...]:
    """Every mapped cell of a workbook as read, in the order of its `_meta` map."""
    found = []
    for mapped in meta.cells:
        address = (mapped.sheet, mapped.cell)
        formula = formulas.get(address)
        raw = cells.get(address)
        reading = Reading(FORMULA) if formula else classify(raw)
        found.append(
            CellReading(
                key=mapped.key,
                field=mapped.field,
                sheet=mapped.sheet,
                cell=mapped.cell,
                editable=mapped.editable,
                expected=mapped.expected,
                shown=formula or show(raw),
                kind=reading.kind,
                number=math.nan if reading.number is None else reading.number,
                hint=reading.hint,
            )
        )
    return tuple(found)


def show(raw: Raw) -> str:
    """A cell value as the user would see it: 12 not 12.0, empty as ''."""
    if raw is None:
        return ""
    if isinstance(raw, float):
        if not math.isfinite(raw) or abs(raw) >= 1e15:
            return f"{raw:.6g}"  # 1e+308, not a 309-digit number
        return str(int(raw)) if raw.is_integer() else repr(raw)
    return str(raw)
