"""One office's quarter: `iki report` on the example inbox against importing its libraries.

Both commands run as fresh processes, interleaved so the machine's load falls on both alike;
the medians of several repetitions are compared.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from pipeline import paths

IMPORTS = "import pandas, pandera.pandas, openpyxl, xlsxwriter"
EXAMPLE_PERIOD = "2018-TW2"


@dataclass(frozen=True)
class SingleOffice:
    """Medians (seconds) of the report and of the bare imports, and every repetition."""

    report: tuple[float, ...]
    imports: tuple[float, ...]

    @property
    def report_median(self) -> float:
        """Median seconds of `iki report`."""
        return statistics.median(self.report)

    @property
    def imports_median(self) -> float:
        """Median seconds of the bare imports."""
        return statistics.median(self.imports)

    @property
    def ratio(self) -> float:
        """How many times the imports the report takes."""
        return self.report_median / self.imports_median


def _timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=False, capture_output=True)
    return time.perf_counter() - start


def iki_command() -> list[str]:
    """The `iki` entry point of this interpreter's environment."""
    script = Path(sys.executable).with_name("iki")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from pipeline.cli import main; main()"]


def single_office(
    out: Path, repeat: int = 5, inbox: Path = paths.EXAMPLE_INBOX_DIR
) -> SingleOffice:
    """Time the report on the example inbox and the imports, `repeat` times each, interleaved."""
    report = [*iki_command(), "report", "--inbox", str(inbox), "--period", EXAMPLE_PERIOD]
    report += ["--out", str(out)]
    imports = [sys.executable, "-c", IMPORTS]
    _timed(imports)  # warm the file cache for both before measuring
    _timed(report)
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        times[0].append(_timed(report))
        times[1].append(_timed(imports))
    return SingleOffice(tuple(times[0]), tuple(times[1]))
