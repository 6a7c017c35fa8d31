"""Printed forms: paper, formats, and a layout that sets every row height and page break.

A form is written as rows grouped in blocks (an indicator with its factors; a closing row
with the signature block under it). Blocks never split across pages unless one is taller
than a page; a block may start a new page (each bidang of the Evaluasi, each pegawai).
The print scale is 100%: the columns are chosen to fit A4 landscape (the narrower of the
two papers) and fonts print at their size, never shrunk (Excel also ignores manual page
breaks when a sheet is fitted to pages).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pipeline.measure import LOWEST_BAND
from pipeline.report.styles import BAND_FILLS, DECIMAL, HEADER_FILL, INTEGER, LOWEST_FILL

FONT = "Calibri"
BODY = 8.5  # points: the smallest text of a printed form
SMALL_TITLE = 9.0


@dataclass(frozen=True)
class Paper:
    """A paper size: xlsxwriter's paper index and the sides in points."""

    name: str
    index: int
    long: float
    short: float


PAPERS = {
    "A4": Paper("A4", 9, 841.89, 595.28),  # 297 x 210 mm
    "F4": Paper("F4", 14, 935.43, 612.0),  # folio, 8.5 x 13 in (216 x 330 mm)
}
SIDE, TOP, BOTTOM, HEADER_MARGIN = 0.4, 0.6, 0.55, 0.3  # inches
FILL = 0.97  # of a page's height the layout fills (renderers round row heights)


def printable(paper: Paper, landscape: bool) -> tuple[float, float]:
    """Width and height (points) inside the margins."""
    width, tall = (paper.long, paper.short) if landscape else (paper.short, paper.long)
    return width - 2 * SIDE * 72, tall - (TOP + BOTTOM) * 72


def page_setup(ws: Any, paper: Paper, landscape: bool, header: str) -> None:
    """Paper, orientation, 100% scale, margins, running header and page numbers."""
    ws.set_paper(paper.index)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_print_scale(100)
    ws.set_margins(left=SIDE, right=SIDE, top=TOP, bottom=BOTTOM)
    ws.set_header(f"&L&9{header.replace('&', '&&')}", {"margin": HEADER_MARGIN})
    ws.set_footer("&R&9Halaman &P dari &N", {"margin": HEADER_MARGIN})
    ws.center_horizontally()
    ws.hide_gridlines(2)


Draw = Callable[[Any, int], None]


@dataclass
class Layout:
    """Rows of a printed sheet with their heights, in blocks; computes the page breaks."""

    page_height: float
    repeated: float = 0.0  # height of the header rows repeated on every page
    rows: list[tuple[float, Draw]] = field(default_factory=list)
    blocks: list[tuple[int, bool]] = field(default_factory=list)  # (first row, new page)

    def add(self, height: float, draw: Draw, *, block: bool = True, page: bool = False) -> int:
        """Append a row; `block` starts a new unbreakable block, `page` a new page."""
        if block or page or not self.blocks:
            self.blocks.append((len(self.rows), page))
        self.rows.append((height, draw))
        return len(self.rows) - 1

    def breaks(self, content_from: int) -> list[int]:
        """Rows that start a new page (rows before `content_from` are on page one)."""
        capacity = self.page_height * FILL
        used = sum(h for h, _ in self.rows[:content_from])
        found: list[int] = []
        ends = [start for start, _ in self.blocks[1:]] + [len(self.rows)]
        for (start, new_page), end in zip(self.blocks, ends, strict=True):
            if end <= content_from:
                continue
            start = max(start, content_from)
            size = sum(h for h, _ in self.rows[start:end])
            if (new_page and start > content_from) or (
                used + size > capacity and used > self.repeated
            ):
                found.append(start)
                used = self.repeated
            if used + size <= capacity:
                used += size
                continue
            for row in range(start, end):  # taller than a page: break between its rows
                height = self.rows[row][0]
                if used + height > capacity and used > self.repeated:
                    found.append(row)
                    used = self.repeated
                used += height
        return sorted(set(found))

    def write(self, ws: Any, content_from: int) -> list[int]:
        """Write every row with its height; set and return the page breaks."""
        for index, (height, draw) in enumerate(self.rows):
            ws.set_row(index, height)
            draw(ws, index)
        breaks = self.breaks(content_from)
        if breaks:
            ws.set_h_pagebreaks(breaks)
        return breaks


class PrintStyles:
    """Formats of the printed forms (font size BODY and up)."""

    def __init__(self, workbook: Any, bands: tuple[tuple[float, str], ...]) -> None:
        self._wb = workbook
        self._cache: dict[tuple[tuple[str, Any], ...], Any] = {}
        self.band_fill = {name: BAND_FILLS[min(i, len(BAND_FILLS) - 1)] for i, (_, name) in
                          enumerate(bands)}  # fmt: skip
        self.band_fill[LOWEST_BAND] = LOWEST_FILL

    def get(self, **props: Any) -> Any:
        """A format with these properties over the base (font, size, top alignment)."""
        spec = {"font_name": FONT, "font_size": BODY, "valign": "top", **props}
        key = tuple(sorted(spec.items()))
        if key not in self._cache:
            self._cache[key] = self._wb.add_format(spec)
        return self._cache[key]

    def cell(self, kind: str = "text", **props: Any) -> Any:
        """A bordered table cell: text (wrapped), integer, decimal or centre."""
        base: dict[str, Any] = {"border": 1, "border_color": "#808080", "text_wrap": True}
        if kind == "integer":
            base |= {"num_format": INTEGER, "align": "right"}
        elif kind == "decimal":
            base |= {"num_format": DECIMAL, "align": "right"}
        elif kind == "centre":
            base |= {"align": "center"}
        return self.get(**base, **props)

    def header(self) -> Any:
        """Table header: bold white on dark blue, centred, wrapped."""
        return self.get(
            bold=True,
            font_color="#FFFFFF",
            bg_color=HEADER_FILL,
            align="center",
            valign="vcenter",
            text_wrap=True,
            border=1,
            border_color="#808080",
        )

    def band(self, name: str, **props: Any) -> Any:
        """A predikat cell, filled with its band's colour."""
        fill = self.band_fill.get(name)
        return self.cell("centre", **({"bg_color": fill} if fill else {}), **props)
