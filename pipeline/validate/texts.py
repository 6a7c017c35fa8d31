"""Rules of the free-text cells: factors in unit files, the roster in the targets workbook.

Text is never a number and never evaluated. Too long: a warning (the forms print the first
`TEXT_LIMITS[field]` characters). The roster: a NIP is 18 digits (an error otherwise: it
would be printed on a signed form), laid out as a NIP is (a warning when its dates or its
gender digit cannot be), told only once per person (a warning); a position without a
holder is a warning (its forms print an empty line to write the name by hand).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from pipeline.catalogue.model import Catalogue
from pipeline.contract import (
    HEAD_KEY,
    KIND_TARGETS,
    NAME_FIELD,
    NIP_FIELD,
    ROSTER_FIELDS,
    TEXT_LIMITS,
)
from pipeline.problems import Problem, problem
from pipeline.submission import NUMBER, CellReading, Submission

NIP_DIGITS = 18
HEAD_TITLE = "Kepala Dinas"


def nip_digits(text: str) -> str:
    """A NIP as its digits alone: spaces (and dots or dashes between groups) dropped."""
    return "".join(ch for ch in text if ch not in " .-\t\n")


def text_problems(sub: Submission, catalogue: Catalogue) -> list[Problem]:
    """Problems of a submission's free-text cells (factors, roster)."""
    found = list(_too_long(sub))
    if sub.meta.kind == KIND_TARGETS and any(c.field in ROSTER_FIELDS for c in sub.cells):
        found.extend(_roster(sub, catalogue))
    return [sub.located(p) for p in found]


def _where(cell: CellReading) -> dict[str, str]:
    return {"sheet": cell.sheet, "cell": cell.cell, "key": cell.key, "field": cell.field}


def _too_long(sub: Submission) -> Iterator[Problem]:
    for cell in sub.inputs():
        limit = TEXT_LIMITS.get(cell.field)
        if limit is not None and len(cell.text) > limit:
            yield problem(
                "text-too-long",
                value=cell.text[:40] + "…",
                length=len(cell.text),
                limit=limit,
                **_where(cell),
            )


def _roster(sub: Submission, catalogue: Catalogue) -> Iterator[Problem]:
    cells = {(c.key, c.field): c for c in sub.cells}
    titles = {HEAD_KEY: HEAD_TITLE, **{p.code: p.nama for p in catalogue.positions}}
    seen: dict[str, tuple[str, str]] = {}  # NIP -> (key, name)
    for key, title in titles.items():
        name, nip = cells.get((key, NAME_FIELD)), cells.get((key, NIP_FIELD))
        if name is not None and not name.text:
            yield problem("roster-missing", position=title, **_where(name))
        if nip is None or not nip.text:
            continue
        bad = _nip_defect(nip)
        if bad:
            yield problem("nip-invalid", value=nip.text, detail=bad, **_where(nip))
            continue
        digits = nip_digits(nip.text)
        odd = nip_oddity(digits)
        if odd:
            yield problem("nip-implausible", value=nip.text, detail=odd, **_where(nip))
        person = name.text if name is not None else ""
        earlier = seen.setdefault(digits, (key, person))
        if earlier[0] != key and earlier[1] != person:
            other = f"{titles[earlier[0]]} ({earlier[1]})"
            yield problem("nip-duplicate", value=nip.text, other=other, **_where(nip))


def _nip_defect(cell: CellReading) -> str:
    if cell.kind == NUMBER:
        return "diketik sebagai angka, sehingga angka terakhirnya dapat berubah"
    digits = nip_digits(cell.text)
    if not digits.isascii() or not digits.isdigit():
        return "memuat huruf atau tanda lain"
    if len(digits) != NIP_DIGITS:
        return f"{len(digits)} angka"
    return ""


def nip_oddity(digits: str) -> str:
    """Why 18 digits cannot be a NIP (birth date, appointment month, gender), or ''."""
    try:
        dt.date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return f"tanggal lahir {digits[6:8]}-{digits[4:6]}-{digits[0:4]} tidak ada"
    if not 1 <= int(digits[12:14]) <= 12:
        return f"bulan pengangkatan {digits[12:14]} tidak ada"
    if digits[14] not in "12":
        return f"angka jenis kelamin {digits[14]} (seharusnya 1 atau 2)"
    return ""
