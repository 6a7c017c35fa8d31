"""Names for files that come by mail: safe to create on Linux and Windows, whatever was sent."""

from __future__ import annotations

import re
import unicodedata

from pipeline.mail.message import SPREADSHEET_SUFFIXES

MAX_NAME = 120
_UNSAFE = re.compile(r"[^A-Za-z0-9._ ()+-]+")
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(10)),
    *(f"LPT{i}" for i in range(10)),
}


def safe_name(name: str, suffix: str = ".xlsx") -> str:
    """A base name safe to create on Linux and Windows.

    No folders, no control characters, no leading dot or formula character (= + - @: the name
    is a cell of manifest.csv and an argument in a shell), no trailing dot or space, no Windows
    device name (`CON`, `COM1`, ... also before a further dot, as in `CON.tar.xlsx`). A name
    without a spreadsheet suffix gets `suffix`.
    """
    base = re.split(r"[\\/]", name or "")[-1].rstrip(". ")
    known = next((s for s in SPREADSHEET_SUFFIXES if base.lower().endswith(s)), "")
    stem = base[: -len(known)] if known else base
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    stem = "".join(ch for ch in stem if ch.isprintable())
    stem = _UNSAFE.sub("_", stem).lstrip(" ._=+-@").rstrip(" ._")[:MAX_NAME].rstrip(" .")
    stem = stem or "lampiran"
    head, dot, rest = stem.partition(".")
    if head.rstrip(" ").upper() in _RESERVED:
        stem = f"{head}_{dot}{rest}"
    return f"{stem}{known or suffix.lower()}"
