"""Extract the decree's attachment (positions, tasks, indicator tables) verbatim.

Run once when the decree text changes:

    python tools/extract_decree.py ../shared/seed/000_2148871135e256c8.txt \
        > schemas/catalogue/decree_2018.yaml

The output keeps the decree's own words and spelling; only the markdown
artefacts of the text conversion (``**`` bold markers, list dashes, tabs) go.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import yaml

_BOLD = re.compile(r"\*\*")
_HEADER = "KINERJA\tINDIKATOR KINERJA"


def _clean(text: str) -> str:
    return " ".join(_BOLD.sub("", text).split())


def _after_colon(line: str) -> str:
    return _clean(line.split(":", 1)[1]) if ":" in line else ""


def _task(text: str) -> str:
    text = _clean(text)
    while text.startswith("-"):
        text = text[1:].strip()
    return text


def extract(text: str) -> list[dict[str, Any]]:
    """Return the decree's positions in order, each with its tasks and indicator rows."""
    positions: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    in_tasks = False
    kinerja = ""
    for raw in text.splitlines():
        line = raw.strip()
        if "JABATAN" in line and ":" in line:
            current = {"jabatan": _after_colon(line), "tugas": [], "indikator": []}
            positions.append(current)
            in_tasks, kinerja = False, ""
            continue
        if current is None:
            continue
        if "TUGAS" in line and ":" in line and not current["tugas"] and not in_tasks:
            in_tasks = True
            first = _task(_after_colon(line))
            if first:
                current["tugas"].append(first)
            continue
        if "FUNGSI" in line and ":" in line:
            in_tasks = False
            continue
        if in_tasks:
            task = _task(line)
            if task:
                current["tugas"].append(task)
            continue
        if "\t" in raw and not raw.startswith(_HEADER):
            row = _row(raw, kinerja)
            kinerja = row["kinerja"]
            current["indikator"].append(row)
    return positions


def _row(raw: str, kinerja: str) -> dict[str, str]:
    """One indicator row; an empty KINERJA cell continues the one above, as the decree prints."""
    cells = [c.strip() for c in raw.split("\t")]
    if len(cells) != 4:
        raise ValueError(f"table row without 4 cells: {raw!r}")
    return {
        "kinerja": cells[0] or kinerja,
        "indikator": cells[1],
        "formula": cells[2],
        "sumber_data": cells[3],
    }


def main(argv: list[str]) -> int:
    """Print the extracted attachment as YAML."""
    source = Path(argv[1])
    data = {
        "source": source.name,
        "title": "Lampiran Keputusan Kepala Dinas Tenaga Kerja Kabupaten Malang "
        "Nomor 180/ /KEP/35.07.105/2018 tentang Indikator Kinerja Individu",
        "jabatan": extract(source.read_text(encoding="utf-8")),
    }
    yaml.safe_dump(data, sys.stdout, allow_unicode=True, sort_keys=False, width=4096)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
