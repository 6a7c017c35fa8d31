"""File names from outside (the inbox) made safe to show, and names made safe to write.

A name in the inbox need not be valid text: Linux keeps raw bytes, and Python hands the bytes
that are not UTF-8 back as lone surrogates ('\\udcff'), which no workbook, CSV or mail can
hold. Such a name is shown with each undecodable byte replaced by U+FFFD (the character file
managers show), once, where the inbox is listed; every later message, sheet and file then
shows the same text.
"""

from __future__ import annotations

import re
from pathlib import Path

REPLACEMENT = "\ufffd"
# One path component the pipeline writes: letters, digits, '.', '_', '-'; no leading dot.
SAFE_COMPONENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,119}")


def shown_name(name: str) -> str:
    """name with every byte that is not UTF-8 (a lone surrogate) replaced by U+FFFD."""
    if name.isascii():
        return name
    raw = name.encode("utf-8", "surrogateescape") if _escaped_only(name) else None
    if raw is not None:
        return raw.decode("utf-8", "replace")
    # Lone surrogates that are not escaped bytes (a broken UTF-16 name on Windows).
    return "".join(REPLACEMENT if 0xD800 <= ord(c) <= 0xDFFF else c for c in name)


def _escaped_only(name: str) -> bool:
    """True when every surrogate in name is an escaped byte (U+DC80..U+DCFF)."""
    return all(0xDC80 <= ord(c) <= 0xDCFF for c in name if 0xD800 <= ord(c) <= 0xDFFF)


def child(folder: Path, name: str) -> Path:
    """folder / name, for a name the pipeline made; refuse anything that could leave folder."""
    if not SAFE_COMPONENT.fullmatch(name) or ".." in name:
        raise ValueError(f"unsafe file name {name!r}")
    return folder / name
