"""Cell formats of the achievement workbook, made once per workbook."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pipeline.measure import LOWEST_BAND

FONT = "Calibri"
HEADER_FILL = "#1F4E78"
# Best band first; the lowest band is always red. More bands than colours reuse the last.
BAND_FILLS = ("#63BE7B", "#C6EFCE", "#FFEB9C", "#F8CBAD")
LOWEST_FILL = "#FF9999"
LEVEL_FILLS = {"bidang": "#B4C6E7", "unit": "#DDE5F3", "jabatan": "#F2F2F2"}
# Completeness statuses (pipeline.completeness): on time green, late amber, else red/grey.
STATUS_FILLS = {
    "on-time": "#C6EFCE",
    "late": "#FFEB9C",
    "no-time": "#DDEBF7",
    "rejected": "#FF9999",
    "missing": "#D9D9D9",
}
INTEGER, DECIMAL = "#,##0", "#,##0.0"


class Styles:
    """Named xlsxwriter formats for one workbook."""

    def __init__(self, workbook: Any, bands: Sequence[tuple[float, str]]) -> None:
        self._wb = workbook
        base = {"font_name": FONT, "font_size": 10, "valign": "top"}
        self.base = base
        self.title = self._add(base, bold=True, font_size=14)
        self.subtitle = self._add(base, italic=True, font_color="#404040")
        self.section = self._add(base, bold=True, font_size=11, font_color=HEADER_FILL)
        self.header = self._add(
            base,
            bold=True,
            font_color="#FFFFFF",
            bg_color=HEADER_FILL,
            text_wrap=True,
            valign="vcenter",
            align="center",
            border=1,
        )
        self.text = self._add(base, border=1, border_color="#BFBFBF")
        self.wrap = self._add(base, border=1, border_color="#BFBFBF", text_wrap=True)
        self.centre = self._add(
            base, border=1, border_color="#BFBFBF", text_wrap=True, align="center"
        )
        self.integer = self._add(base, border=1, border_color="#BFBFBF", num_format=INTEGER)
        self.decimal = self._add(base, border=1, border_color="#BFBFBF", num_format=DECIMAL)
        self.note = self._add(base, italic=True, font_color="#595959", text_wrap=True)
        self.notice = self._add(
            base, text_wrap=True, valign="top", bg_color="#FFF2CC", border=1,
            border_color="#BF9000",
        )  # fmt: skip
        self.label = self._add(base, bold=True)
        self.plain = self._add(base)
        self.plain_decimal = self._add(base, num_format=DECIMAL, align="left")
        self.band: dict[str, Any] = {}
        for i, (_, name) in enumerate(bands):
            fill = BAND_FILLS[min(i, len(BAND_FILLS) - 1)]
            self.band[name] = self._add(base, border=1, border_color="#BFBFBF", bg_color=fill)
        self.band[LOWEST_BAND] = self._add(
            base, border=1, border_color="#BFBFBF", bg_color=LOWEST_FILL
        )
        self.status = {
            status: self._add(base, border=1, border_color="#BFBFBF", bg_color=fill)
            for status, fill in STATUS_FILLS.items()
        }
        self._level: dict[tuple[str, str], Any] = {}

    def _add(self, base: dict[str, Any], **props: Any) -> Any:
        return self._wb.add_format({**base, **props})

    def level(self, level: str, kind: str) -> Any:
        """Format of a roll-up row cell: level fill, bold; kind text/wrap/decimal/integer."""
        key = (level, kind)
        if key not in self._level:
            props: dict[str, Any] = {"border": 1, "border_color": "#BFBFBF", "bold": True}
            props["bg_color"] = LEVEL_FILLS[level]
            if kind == "wrap":
                props["text_wrap"] = True
            elif kind in ("decimal", "integer"):
                props["num_format"] = DECIMAL if kind == "decimal" else INTEGER
            self._level[key] = self._add(self.base, **props)
        return self._level[key]

    def band_fill(self, name: str) -> str:
        """Fill colour of a predikat (for chart bars)."""
        names = list(self.band)
        if name == LOWEST_BAND or name not in names:
            return LOWEST_FILL
        return BAND_FILLS[min(names.index(name), len(BAND_FILLS) - 1)]
