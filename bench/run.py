"""Benchmark the pipeline at province size: `python -m bench.run --n 1000 [--jobs 2]`.

1. Build (or reuse) a corpus of N filled submissions (bench/corpus.py).
2. Read a sample of those files four ways, side by side: the unzip floor, python-calamine
   direct, the pipeline's reader (guard + read_workbook) and openpyxl.
3. Run the whole report (read, validate, merge, compute, write) in a fresh process per run,
   serially and with --jobs workers; check both give the same results.
4. Time one office's quarter (`iki report` on the example inbox) against bare imports.

Prints the figures and writes them as Markdown to bench/out/results-n<N>.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from bench.corpus import OUT_DIR, Corpus, build_corpus
from bench.readers import (
    Timing,
    calamine_cells,
    guard_only,
    needed_members,
    openpyxl_cells,
    pipeline_cells,
    same_cells,
    time_reader,
    unzip_floor,
)
from bench.single import SingleOffice, single_office

ROOT = Path(__file__).resolve().parents[1]
LIBRARIES = ("pandas", "pandera", "openpyxl", "xlsxwriter", "python-calamine", "numpy")
Show = Callable[[dict[str, Any]], str]
STAGES = ("read", "validate", "merge", "compute", "write")


@dataclass(frozen=True)
class Readers:
    """The side-by-side reading of the same sample of files."""

    floor: Timing
    calamine: Timing
    guard: Timing
    pipeline: Timing
    openpyxl: Timing
    agree: int  # files on which calamine and openpyxl found the same mapped values


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    model = "?"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    found = {
        "cpus": str(os.cpu_count()),
        "cpu": model,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
    }
    for name in LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "-"
    return found


def sample(paths: list[Path], size: int) -> list[Path]:
    """`size` files spread evenly over the corpus."""
    if size >= len(paths):
        return paths
    step = len(paths) / size
    return [paths[int(i * step)] for i in range(size)]


def compare_readers(paths: list[Path], repeat: int = 3) -> Readers:
    """Time each reader over the same files (fast ones best of `repeat`, openpyxl once)."""
    members = {p: needed_members(p) for p in paths}
    floor, _ = time_reader("unzip", lambda p: unzip_floor(p, members[p]), paths, repeat)
    calamine, by_calamine = time_reader("calamine", calamine_cells, paths, repeat)
    guard, _ = time_reader("guard only", guard_only, paths, repeat)
    piped, _ = time_reader("pipeline (guard + read_workbook)", pipeline_cells, paths, repeat)
    slow, by_openpyxl = time_reader("openpyxl", openpyxl_cells, paths, 1)
    agree = sum(same_cells(a, b) for a, b in zip(by_calamine, by_openpyxl, strict=True))
    return Readers(floor, calamine, guard, piped, slow, agree)


def run_stages(inbox: Path, out: Path, jobs: int) -> dict[str, Any]:
    """One measured report run in a fresh process; its figures, with the process wall time."""
    command = [sys.executable, "-m", "bench.stages", "--inbox", str(inbox), "--out", str(out)]
    command += ["--jobs", str(jobs)]
    start = time.perf_counter()
    done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - start
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_seconds"] = wall
    return result


def median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median total time (the upper one of an even count)."""
    ordered = sorted(runs, key=lambda r: r["total"])
    return ordered[len(ordered) // 2]


def _ms(timing: Timing) -> str:
    return f"{timing.ms_per_file:.2f} ms/file ({timing.per_second:,.0f} files/s)"


def _mb(kb: float) -> str:
    return f"{kb / 1024:,.0f} MB"


def report_lines(
    args: argparse.Namespace,
    corpus: Corpus,
    readers: Readers,
    runs: dict[int, list[dict[str, Any]]],
    single: SingleOffice | None,
) -> list[str]:
    """The figures as Markdown."""
    lines = [f"Command: `python -m bench.run {' '.join(sys.argv[1:]) or ''}`".rstrip(), ""]
    lines += ["## Machine", ""]
    lines += [f"- {k}: {v}" for k, v in machine().items()]
    lines += ["", "## Corpus", ""]
    built = f"built in {corpus.seconds:.1f} s" if corpus.seconds else "from the cache"
    lines.append(
        f"- {corpus.n} files (seed {corpus.seed}), years {corpus.years[0]}-{corpus.years[1]}, "
        f"{len(corpus.bad)} with a text in a number cell; {built}"
    )
    lines += _reader_lines(readers)
    lines += _stage_lines(runs, readers, args.jobs)
    if single is not None:
        lines += ["", "## One office's quarter (example inbox, fresh processes)", ""]
        lines.append(
            f"- `iki report`: median {single.report_median:.2f} s "
            f"({', '.join(f'{t:.2f}' for t in single.report)})"
        )
        lines.append(
            f'- `python -c "import pandas, pandera.pandas, openpyxl, xlsxwriter"`: median '
            f"{single.imports_median:.2f} s ({', '.join(f'{t:.2f}' for t in single.imports)})"
        )
        lines.append(f"- ratio report / imports: **{single.ratio:.2f}x** (target < 2x)")
    return lines


def _reader_lines(readers: Readers) -> list[str]:
    floor = readers.floor.ms_per_file
    lines = ["", f"## Readers side by side ({readers.floor.files} files, one process)", ""]
    lines.append("| reader | per file | x floor |")
    lines.append("|---|---|---|")
    shown = (readers.floor, readers.calamine, readers.guard, readers.pipeline, readers.openpyxl)
    for timing in shown:
        lines.append(f"| {timing.name} | {_ms(timing)} | {timing.ms_per_file / floor:.1f} |")
    speedup = readers.openpyxl.ms_per_file / readers.calamine.ms_per_file
    lines.append("")
    lines.append(f"- calamine direct is {speedup:.0f}x faster than openpyxl")
    lines.append(
        f"- calamine and openpyxl found the same mapped values in {readers.agree} of "
        f"{readers.floor.files} files"
    )
    return lines


def _stage_lines(runs: dict[int, list[dict[str, Any]]], readers: Readers, jobs: int) -> list[str]:
    lines = ["", "## Whole report, stage by stage (median run, fresh process each)", ""]
    chosen = {j: median_run(rs) for j, rs in runs.items()}
    header = "| stage | " + " | ".join(f"jobs={j}" for j in chosen) + " |"
    lines += [header, "|---" * (len(chosen) + 1) + "|"]
    for stage in STAGES:
        cells = " | ".join(f"{r['stages'][stage]:.2f} s" for r in chosen.values())
        lines.append(f"| {stage} | {cells} |")
    rows: tuple[tuple[str, Show], ...] = (
        ("end to end (stages)", lambda r: f"**{r['total']:.2f} s**"),
        ("files per second", lambda r: f"{r['files'] / r['total']:,.0f}"),
        ("process incl. start + imports", lambda r: f"{r['process_seconds']:.2f} s"),
        ("peak memory, main process", lambda r: _mb(r["maxrss_kb"])),
        ("peak memory, largest worker", lambda r: _mb(r["maxrss_children_kb"])),
        ("peak memory, bound for all", lambda r: _mb(_bound(r))),
    )
    for name, show in rows:
        lines.append(f"| {name} | " + " | ".join(show(r) for r in chosen.values()) + " |")
    lines.append("")
    floor = readers.floor.ms_per_file
    for j, run in chosen.items():
        per_file = 1000 * run["stages"]["read"] / run["files"]
        lines.append(
            f"- read stage, jobs={j}: {per_file:.2f} ms/file wall = "
            f"**{per_file / floor:.1f}x** the unzip floor (target < 2x)"
        )
    digests = {r["digest"] for rs in runs.values() for r in rs}
    same = "identical" if len(digests) == 1 else f"DIFFERENT ({len(digests)} digests)"
    lines.append(
        f"- results of all {sum(len(r) for r in runs.values())} runs "
        f"(jobs {', '.join(map(str, runs))}): {same}"
    )
    statuses = next(iter(chosen.values()))["statuses"]
    lines.append(f"- file statuses: {statuses}; report period {run['period']}")
    return lines


def _bound(run: dict[str, Any]) -> float:
    workers = run["jobs"] if run["jobs"] > 1 else 0
    return float(run["maxrss_kb"] + workers * run["maxrss_children_kb"])


def parse(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--n", type=int, default=1000, help="files in the corpus")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--bad", type=float, default=0.0, help="share of files with an error")
    parser.add_argument("--sample", type=int, default=500, help="files for the reader race")
    parser.add_argument("--repeat", type=int, default=3, help="report runs per jobs setting")
    parser.add_argument("--single", type=int, default=5, help="repetitions, 0 to skip")
    parser.add_argument("--units", default="", help="unit codes, comma separated (all)")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures; exit 1 when runs disagree."""
    args = parse(argv)
    say = print
    say(f"Corpus of {args.n} files ...", flush=True)
    units = [u for u in args.units.split(",") if u]
    corpus = build_corpus(
        args.n, args.seed, bad=args.bad, jobs=args.jobs, units=units, root=args.out
    )
    files = sorted(p for p in corpus.inbox.iterdir() if p.suffix == ".xlsx")
    say(f"Readers on {min(args.sample, len(files))} files ...", flush=True)
    readers = compare_readers(sample(files, args.sample))
    runs: dict[int, list[dict[str, Any]]] = {}
    for jobs in sorted({1, args.jobs}):
        say(f"Report, jobs={jobs}, {args.repeat} runs ...", flush=True)
        report_dir = args.out / f"report-n{args.n}-j{jobs}"
        runs[jobs] = [run_stages(corpus.inbox, report_dir, jobs) for _ in range(args.repeat)]
    single = None
    if args.single:
        say(f"One office, {args.single} runs each ...", flush=True)
        single = single_office(args.out / "single", args.single)
    lines = report_lines(args, corpus, readers, runs, single)
    text = "\n".join(lines) + "\n"
    say("")
    say(text)
    target = args.out / f"results-n{args.n}.md"
    target.write_text(text, encoding="utf-8")
    say(f"Written to {target}")
    digests = {r["digest"] for rs in runs.values() for r in rs}
    return 0 if len(digests) == 1 else 1


if __name__ == "__main__":
    raise SystemExit(main())
