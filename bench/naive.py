"""The script a user might write instead of the pipeline, timed in a fresh process.

`python -m bench.naive --inbox DIR --engine calamine [--sheets data|all] [--files N]`

For each file, `pandas.read_excel(path, sheet_name=..., engine=...)`, then one `pandas.concat`
of everything: no guard, no identity, no check of any kind. `--sheets data` reads the one
sheet with the numbers (Isian of a unit file, Target of the targets workbook, told apart by
the file name as such a user would); `--sheets all` reads every sheet (`sheet_name=None`,
what one writes without knowing the layout). `--files N` reads N files spread evenly over
the inbox (all by default). Prints one JSON object: files, rows, CPU and wall seconds of the
loop and the concat (imports excluded).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from pathlib import Path

import pandas as pd

from pipeline import paths

DATA_SHEET, TARGET_SHEET = "Isian", "Target"


def spread(files: list[Path], count: int) -> list[Path]:
    """`count` files spread evenly over the list (all when count is 0 or larger)."""
    if not count or count >= len(files):
        return files
    step = len(files) / count
    return [files[int(i * step)] for i in range(count)]


def data_sheet(path: Path) -> str:
    """The sheet with the numbers, by the file's name."""
    return TARGET_SHEET if path.name.startswith(paths.TARGETS_PREFIX) else DATA_SHEET


def read_all(files: list[Path], engine: str, sheets: str) -> pd.DataFrame:
    """Every file read with pandas and concatenated."""
    frames: list[pd.DataFrame] = []
    for path in files:
        if sheets == "all":
            frames.extend(pd.read_excel(path, sheet_name=None, engine=engine).values())
        else:
            frames.append(pd.read_excel(path, sheet_name=data_sheet(path), engine=engine))
    return pd.concat(frames, ignore_index=True)


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> int:
    """Read the inbox the naive way once and print what it cost."""
    parser = argparse.ArgumentParser(prog="python -m bench.naive", description=__doc__)
    parser.add_argument("--inbox", type=Path, required=True)
    parser.add_argument("--engine", choices=("calamine", "openpyxl"), required=True)
    parser.add_argument("--sheets", choices=("data", "all"), default="data")
    parser.add_argument("--files", type=int, default=0, help="files spread evenly (0: all)")
    args = parser.parse_args(argv)
    inbox = sorted(p for p in args.inbox.iterdir() if p.suffix == ".xlsx")
    files = spread(inbox, args.files)
    cpu, wall = _cpu(), time.perf_counter()
    frame = read_all(files, args.engine, args.sheets)
    result = {
        "engine": args.engine,
        "sheets": args.sheets,
        "files": len(files),
        "rows": len(frame),
        "cpu": _cpu() - cpu,
        "wall": time.perf_counter() - wall,
    }
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
