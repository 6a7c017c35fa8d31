"""Signature blocks of the printed forms: who signs, where and when, with name and NIP.

A person the roster does not name gets dotted lines to write by hand, never a made-up name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.compute.texts import Holder
from pipeline.indonesian import tanggal
from pipeline.report.printed import Layout, PrintStyles
from pipeline.report.textfit import height, lines

SIGNATURE_SPACE = 44.0  # points left empty to sign in
SIZE = 9.0
DOTS = "...................................."


@dataclass(frozen=True)
class Signer:
    """One side of a signature block: the role ('Disusun oleh,'), the title and the holder."""

    role: str
    title: str
    holder: Holder


def date_line(place: str, signed_on: dt.date | None, year: int) -> str:
    """'Malang, 12 Juli 2018', or dotted where the place or the date is not known."""
    where = place or "......................."
    when = tanggal(signed_on) if signed_on else f"........................ {year}"
    return f"{where}, {when}"


Span = tuple[int, int]  # first and last column of one side


def add_signatures(
    layout: Layout,
    styles: PrintStyles,
    sides: Sequence[tuple[Span, Signer | None]],
    dated: str,
    width: float,
    *,
    block: bool = False,
) -> None:
    """Rows of a signature block (kept with the row above unless `block`).

    sides: (columns, signer) for the left and right side; the date line stands above the
    right one. width: points of the widest side, to size the title rows.
    """
    plain = styles.get(font_size=SIZE, align="center", text_wrap=True)
    name = styles.get(font_size=SIZE, align="center", bold=True, underline=1)
    right = sides[-1][0]

    def texts(pick: Any) -> list[tuple[Span, str]]:
        return [(span, pick(signer)) for span, signer in sides if signer is not None]

    rows: list[tuple[float, list[tuple[Span, str]], Any]] = [
        (height(1, SIZE), [(right, dated)], plain),
        (height(1, SIZE), texts(lambda s: s.role), plain),
        (_title_height(sides, width), texts(lambda s: s.title), plain),
        (SIGNATURE_SPACE, [], plain),
        (height(1, SIZE), texts(lambda s: s.holder.name or f"( {DOTS} )"), name),
        (height(1, SIZE), texts(lambda s: s.holder.rank), plain),
        (height(1, SIZE), texts(lambda s: f"NIP. {s.holder.nip or DOTS}"), plain),
    ]
    first = True
    for row_height, cells, fmt in rows:
        layout.add(row_height, _draw(cells, fmt), block=block and first)
        first = False


def _title_height(sides: Sequence[tuple[Span, Signer | None]], width: float) -> float:
    count = max((lines(s.title, width, SIZE) for _, s in sides if s is not None), default=1)
    return height(count, SIZE)


def _draw(cells: list[tuple[Span, str]], fmt: Any) -> Any:
    def draw(ws: Any, row: int) -> None:
        for (first, last), text in cells:
            if first == last:
                ws.write_string(row, first, text, fmt)
            else:
                ws.merge_range(row, first, row, last, text, fmt)

    return draw
