"""One measured pipeline run, meant to be started as a fresh process (`python -m bench.stages`).

Times each stage of `iki report` as the pipeline runs it (the scan's stage functions composed
as `scan_inbox` composes them: batches of files from read_inbox, each checked as it comes,
then judge and merge; then compute and write), and prints one
JSON object: the wall and CPU times, peak memory (ru_maxrss of this process and of its largest
worker), a digest of the scan's results and one of the CSV files the report wrote (capaian.csv
and problems.csv), so runs with different --jobs, and runs before and after a change of the
pipeline, can be compared.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import sys
import time
from pathlib import Path
from typing import Any

STARTED = time.perf_counter()

from pipeline.catalogue import load_catalogue  # noqa: E402  (imports are part of the run)
from pipeline.collector import collector_paused  # noqa: E402
from pipeline.config import Config  # noqa: E402
from pipeline.inbox.readcache import FILE_NAME, ReadCache  # noqa: E402
from pipeline.merge.kept import KeptCells  # noqa: E402
from pipeline.run.report import (  # noqa: E402
    RunResult,
    build_report,
    latest_period,
    write_report,
)
from pipeline.run.scan import Checked, check, judge, merge, read_inbox  # noqa: E402
from pipeline.submission import InboxScan  # noqa: E402

IMPORTED = time.perf_counter()


def digest(scan: InboxScan) -> str:
    """A hash of everything a scan found: values, targets, every file's record and problems."""
    sha = hashlib.sha256()
    sha.update(scan.values.to_csv(index=False).encode())
    sha.update(scan.targets.to_csv(index=False).encode())
    for record in scan.files:
        sha.update(repr(record).encode())
    return sha.hexdigest()


def output_digest(written: RunResult) -> str:
    """A hash of the bytes of capaian.csv and problems.csv as the report wrote them."""
    sha = hashlib.sha256()
    for path in (written.capaian_csv, written.problems_csv):
        sha.update(path.read_bytes())
    return sha.hexdigest()


class _Clock:
    """Wall and CPU seconds of each stage; a stage's laps add up."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self._last = (time.perf_counter(), time.process_time())

    def lap(self, stage: str) -> None:
        now = (time.perf_counter(), time.process_time())
        self.wall[stage] = self.wall.get(stage, 0.0) + now[0] - self._last[0]
        self.cpu[stage] = self.cpu.get(stage, 0.0) + now[1] - self._last[1]
        self._last = now


def measure(
    inbox: Path,
    out: Path,
    jobs: int,
    years: tuple[int, int] | None = None,
    cache: Path | None = None,
) -> dict[str, Any]:
    """Run the report on the inbox once; every stage's seconds and the run's figures.

    years: the years a template may be for (iki.toml `tahun`), so that a corpus spanning
    centuries is read as valid submissions; default the office's setting. cache: the folder
    of the cache of files read (pipeline.inbox.readcache), as `iki report` uses it; None:
    no cache, every file guarded and parsed.
    """
    catalogue = load_catalogue()
    config = Config() if years is None else Config(years=years)
    clock = _Clock()
    with collector_paused():  # as scan_inbox does
        kept = KeptCells()
        checked: list[Checked] = []
        reads = None if cache is None else ReadCache(cache)
        batches = read_inbox(inbox, catalogue, config, jobs=jobs, cache=reads)
        while (batch := next(batches, None)) is not None:
            clock.lap("read")
            checked.extend(check(batch, catalogue, config, kept))
            clock.lap("validate")
        clock.lap("read")
        judged = judge(checked, kept, catalogue)
        del checked
        clock.lap("validate")
        scan = merge(judged, catalogue)
        clock.lap("merge")
    period = latest_period(scan.files)
    data = build_report(scan, catalogue, config, period)
    clock.lap("compute")
    written = write_report(data, out)
    clock.lap("write")
    return {
        "files": len(scan.files),
        "period": str(period),
        "jobs": jobs,
        "import_seconds": IMPORTED - STARTED,
        "stages": clock.wall,
        "cpu": clock.cpu,
        "total": sum(clock.wall.values()),
        "cpu_total": sum(clock.cpu.values()),
        "cpu_children": _children_cpu(),
        "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "maxrss_children_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        "digest": digest(scan),
        "output_digest": output_digest(written),
        "statuses": _statuses(scan),
        "cache_bytes": (cache / FILE_NAME).stat().st_size if cache is not None else 0,
    }


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _statuses(scan: InboxScan) -> dict[str, int]:
    counts: dict[str, int] = {}
    for record in scan.files:
        counts[record.status] = counts.get(record.status, 0) + 1
    return counts


def parse_years(text: str) -> tuple[int, int] | None:
    """'2018,2181' -> (2018, 2181); '' -> None."""
    if not text:
        return None
    first, last = text.split(",")
    return int(first), int(last)


def main(argv: list[str] | None = None) -> int:
    """Measure one run and print it as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--inbox", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--years", default="", help="first,last year a template may be for")
    parser.add_argument("--cache", type=Path, default=None, help="folder of the read cache")
    args = parser.parse_args(argv)
    found = measure(args.inbox, args.out, args.jobs, parse_years(args.years), args.cache)
    json.dump(found, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
