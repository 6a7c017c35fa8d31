"""One measured pipeline run, meant to be started as a fresh process (`python -m bench.stages`).

Times each stage of `iki report` as the pipeline runs it (the scan's three stage functions,
read_inbox, judge and merge, one after the other; then compute and write), and prints one
JSON object: the times, peak memory (ru_maxrss of this process and of its largest worker)
and a digest of the scan's results, so runs with different --jobs can be compared.
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
from pipeline.config import Config  # noqa: E402
from pipeline.run.report import build_report, latest_period, write_report  # noqa: E402
from pipeline.run.scan import judge, merge, read_inbox  # noqa: E402
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


def measure(inbox: Path, out: Path, jobs: int) -> dict[str, Any]:
    """Run the report on the inbox once; every stage's seconds and the run's figures."""
    catalogue = load_catalogue()
    config = Config()
    start = time.perf_counter()
    found = read_inbox(inbox, catalogue, config, jobs=jobs)
    read = time.perf_counter()
    judged = judge(found, catalogue, config)
    validated = time.perf_counter()
    scan = merge(judged, catalogue)
    scanned = time.perf_counter()
    period = latest_period(scan.files)
    data = build_report(scan, catalogue, config, period)
    computed = time.perf_counter()
    write_report(data, out)
    written = time.perf_counter()
    stages = {
        "read": read - start,
        "validate": validated - read,
        "merge": scanned - validated,
        "compute": computed - scanned,
        "write": written - computed,
    }
    return {
        "files": len(scan.files),
        "period": str(period),
        "jobs": jobs,
        "import_seconds": IMPORTED - STARTED,
        "stages": stages,
        "total": written - start,
        "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "maxrss_children_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        "digest": digest(scan),
        "statuses": _statuses(scan),
    }


def _statuses(scan: InboxScan) -> dict[str, int]:
    counts: dict[str, int] = {}
    for record in scan.files:
        counts[record.status] = counts.get(record.status, 0) + 1
    return counts


def main(argv: list[str] | None = None) -> int:
    """Measure one run and print it as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--inbox", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args(argv)
    json.dump(measure(args.inbox, args.out, args.jobs), sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
