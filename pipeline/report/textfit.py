"""How much room printed text takes: character widths, wrapped lines, row heights.

The printed forms (Evaluasi, IKI Pegawai) set every row's height and every page break
themselves, so a signature block never leaves its table and no cell is clipped. The widths
are Calibri's (the workbook's font), read from Carlito, its metric-compatible twin that
LibreOffice uses where Calibri is not installed: advance widths in 1/1000 em for the ASCII
printable characters and a few more, regular and bold.
"""

from __future__ import annotations

import math

_CHARS = (
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz"
    "{|}~·–—…’“”÷×≥≤"
)
_REGULAR = (
    226, 326, 401, 498, 507, 715, 682, 221, 303, 303, 498, 498, 250, 306, 252, 386, 507, 507,
    507, 507, 507, 507, 507, 507, 507, 507, 268, 268, 498, 498, 498, 463, 894, 579, 544, 533,
    615, 488, 459, 631, 623, 252, 319, 520, 420, 855, 646, 662, 517, 673, 543, 459, 487, 642,
    567, 890, 519, 487, 468, 307, 386, 307, 498, 498, 291, 479, 525, 423, 525, 498, 305, 471,
    525, 229, 239, 455, 229, 799, 525, 527, 525, 525, 349, 391, 335, 525, 452, 715, 433, 453,
    395, 314, 460, 314, 498, 252, 498, 905, 690, 250, 418, 418, 498, 498, 498, 498,
)  # fmt: skip
_BOLD = (
    226, 326, 438, 498, 507, 729, 705, 233, 312, 312, 498, 498, 258, 306, 267, 430, 507, 507,
    507, 507, 507, 507, 507, 507, 507, 507, 276, 276, 498, 498, 498, 463, 898, 606, 561, 529,
    630, 488, 459, 637, 631, 267, 331, 547, 423, 874, 659, 676, 532, 686, 563, 473, 495, 653,
    591, 906, 551, 520, 478, 325, 430, 325, 498, 498, 300, 494, 537, 418, 537, 503, 316, 474,
    537, 246, 255, 480, 246, 813, 537, 538, 537, 537, 355, 399, 347, 537, 473, 745, 459, 474,
    397, 344, 475, 344, 498, 268, 498, 905, 711, 258, 435, 435, 498, 498, 498, 498,
)  # fmt: skip
WIDTHS = dict(zip(_CHARS, _REGULAR, strict=True))
BOLD_WIDTHS = dict(zip(_CHARS, _BOLD, strict=True))
OTHER = 600  # any other character (accented letters are about as wide as their base)
SAFETY = 1.02  # renderers differ a little in kerning and hinting: keep a margin
LINE = 1.221  # Calibri's line height (ascent + descent) in em
PADDING = 1.5  # points of cell padding on each side (LibreOffice)
# xlsxwriter column widths are in characters of the default font (Calibri 11): points =
# width x its digit width (0.507 em x 11 pt) + padding, as LibreOffice lays them out.
DIGIT = 0.507 * 11
COLUMN_PADDING = 3.8


def column_points(width: float) -> float:
    """Points a column of `width` characters takes on paper."""
    return width * DIGIT + COLUMN_PADDING


def text_points(text: str, size: float, bold: bool = False) -> float:
    """Points a line of text takes at a font size."""
    table = BOLD_WIDTHS if bold else WIDTHS
    return sum(table.get(ch, OTHER) for ch in text) * size / 1000 * SAFETY


def lines(text: str, points: float, size: float, bold: bool = False) -> int:
    """Lines a text wraps to in a cell `points` wide (words break where they must)."""
    room = max(points - 2 * PADDING, size)
    count = 0
    for paragraph in text.split("\n"):
        count += _paragraph_lines(paragraph, room, size, bold)
    return max(count, 1)


def _paragraph_lines(paragraph: str, room: float, size: float, bold: bool) -> int:
    used, count = 0.0, 1
    space = text_points(" ", size, bold)
    for word in paragraph.split(" "):
        width = text_points(word, size, bold)
        if width > room:  # a word longer than the line is broken anywhere
            count += (0 if used == 0 else 1) + math.ceil(width / room) - 1
            used = width % room
            continue
        if used and used + space + width > room:
            count, used = count + 1, width
        else:
            used += (space if used else 0) + width
    return count


def height(line_count: int, size: float) -> float:
    """Row height in points for a number of lines at a font size (with padding)."""
    return math.ceil(line_count * size * LINE + 2 * PADDING)
