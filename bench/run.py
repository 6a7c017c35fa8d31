"""Benchmark the pipeline from an office to a country: `python -m bench.run --n 100000 [--jobs 2]`.

1. Build (or reuse) a corpus of N filled submissions (bench/corpus.py); the inboxes of
   1,000, 10,000, ... files are its first files (hard links, so every size reads the same
   bytes).
2. Read a sample of the files side by side: the unzip floor, python-calamine direct, the
   pipeline's guard alone and its reader (guard + read), openpyxl.
3. For each inbox size, run the whole report (read, validate, merge, compute, write) in a
   fresh process: serially and with --jobs workers. CPU per file of each stage, relative to
   the 1,000-file inbox, peak memory, and a digest of the scan and of the CSV files written
   (every run of a size must agree).
4. For each size, the naive scripts a user might write instead (`pandas.read_excel` per file
   + concat, no checks; bench/naive.py) with calamine and with openpyxl, in fresh processes.
5. One office's quarter (`iki report` on the example inbox) against bare imports.

Prints the figures with the machine's load and writes them as Markdown to
bench/out/results-n<N>.md. Only ratios within one run mean anything on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from bench.corpus import OUT_DIR, Corpus, build_corpus, prefix_inbox
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
STAGES = ("read", "validate", "merge", "compute", "write")
Run = dict[str, Any]
# The naive scripts: (engine, sheets); the first reads every file of each inbox up to
# `--naive-all` files (an even sample of that many above: holding 100,000 frames before the
# concat took 22 GB and was stopped), the others an even sample (`--naive-sample`): their
# cost is per file, openpyxl is slow.
NAIVE = (("calamine", "data"), ("calamine", "all"), ("openpyxl", "data"))


@dataclass(frozen=True)
class Readers:
    """The side-by-side reading of the same sample of files."""

    floor: Timing
    calamine: Timing
    guard: Timing
    pipeline: Timing
    openpyxl: Timing
    agree: int  # files on which calamine, openpyxl and the pipeline found the same values


@dataclass(frozen=True)
class Size:
    """Everything measured on one inbox size."""

    files: int
    runs: dict[int, list[Run]]  # jobs -> runs
    naive: dict[tuple[str, str], Run]
    cold: Run  # serial, filling an empty cache of files read
    warm: list[Run]  # serial, every file found in that cache

    def median(self, jobs: int) -> Run:
        """The run with the median total CPU (the upper one of an even count)."""
        ordered = sorted(self.runs[jobs], key=lambda r: r["cpu_total"])
        return ordered[len(ordered) // 2]

    def cpu_ms(self, stage: str) -> float:
        """CPU milliseconds per file of a stage, serial median run ('total': all stages)."""
        run = self.median(1)
        seconds = run["cpu_total"] if stage == "total" else run["cpu"][stage]
        return 1000 * seconds / run["files"]

    def warm_ms(self, stage: str) -> float:
        """CPU milliseconds per file of a stage, serial median run with a warm cache."""
        run = sorted(self.warm, key=lambda r: r["cpu_total"])[len(self.warm) // 2]
        seconds = run["cpu_total"] if stage == "total" else run["cpu"][stage]
        return 1000 * seconds / run["files"]

    def naive_ms(self, key: tuple[str, str]) -> float:
        """CPU milliseconds per file of a naive script."""
        found = self.naive[key]
        return 1000 * found["cpu"] / found["files"]

    @property
    def digests(self) -> set[tuple[str, str]]:
        """(scan, outputs) digests of every run of this size."""
        runs = [*(r for rs in self.runs.values() for r in rs), self.cold, *self.warm]
        return {(r["digest"], r["output_digest"]) for r in runs}


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


def load() -> str:
    """The machine's load now, as `uptime` prints it."""
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "load average: " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def sizes(n: int) -> list[int]:
    """The inbox sizes measured: 1,000, 10,000, ... below n, and n."""
    found = []
    size = 1000
    while size < n:
        found.append(size)
        size *= 10
    return [*found, n]


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
    piped, by_pipeline = time_reader("pipeline (guard + read)", pipeline_cells, paths, repeat)
    slow, by_openpyxl = time_reader("openpyxl", openpyxl_cells, paths, 1)
    agree = sum(
        same_cells(a, b) and same_cells(a, c)
        for a, b, c in zip(by_calamine, by_openpyxl, by_pipeline, strict=True)
    )
    return Readers(floor, calamine, guard, piped, slow, agree)


def _fresh(module: str, *args: str) -> Run:
    """Run a bench module in a fresh process; its JSON line, with the process wall time."""
    command = [sys.executable, "-m", module, *args]
    start = time.perf_counter()
    done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    result: Run = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_seconds"] = time.perf_counter() - start
    return result


def run_stages(
    inbox: Path, out: Path, jobs: int, years: tuple[int, int], cache: Path | None = None
) -> Run:
    """One measured report run in a fresh process (bench/stages.py)."""
    args = ["--inbox", str(inbox), "--out", str(out), "--jobs", str(jobs)]
    if cache is not None:
        args += ["--cache", str(cache)]
    return _fresh("bench.stages", *args, "--years", f"{years[0]},{years[1]}")


def run_naive(inbox: Path, engine: str, sheets: str, files: int) -> Run:
    """One naive script over the inbox in a fresh process (bench/naive.py)."""
    args = ["--inbox", str(inbox), "--engine", engine, "--sheets", sheets]
    return _fresh("bench.naive", *args, "--files", str(files))


def naive_files(files: int, index: int, args: argparse.Namespace) -> int:
    """How many files a naive script reads (0: every file of the inbox)."""
    if index > 0:
        return int(args.naive_sample)
    return 0 if files <= args.naive_all else int(args.naive_all)


def measure_size(args: argparse.Namespace, corpus: Corpus, files: int, say: Any) -> Size:
    """Every run on the inbox of the first `files` files of the corpus."""
    inbox = prefix_inbox(corpus, files)
    repeat = args.repeat if files <= 10_000 else args.repeat_large
    runs: dict[int, list[Run]] = {}
    for jobs in sorted({1, args.jobs}):
        say(f"  {files:,} files, report with jobs={jobs}, {repeat} run(s) ...")
        out = args.out / f"report-n{files}-j{jobs}"
        runs[jobs] = [run_stages(inbox, out, jobs, corpus.years) for _ in range(repeat)]
    cache = args.out / f"cache-n{files}"
    shutil.rmtree(cache, ignore_errors=True)
    say(f"  {files:,} files, report filling an empty cache, then {repeat} run(s) with it ...")
    out = args.out / f"report-n{files}-cache"
    cold = run_stages(inbox, out, 1, corpus.years, cache)
    warm = [run_stages(inbox, out, 1, corpus.years, cache) for _ in range(repeat)]
    shutil.rmtree(cache, ignore_errors=True)
    naive = {}
    for index, (engine, sheets) in enumerate(NAIVE):
        count = naive_files(files, index, args)
        say(f"  {files:,} files, naive {engine} ({sheets}) ...")
        naive[(engine, sheets)] = run_naive(inbox, engine, sheets, count)
    return Size(files, runs, naive, cold, warm)


def _ms(timing: Timing) -> str:
    return f"{timing.ms_per_file:.2f} ms/file ({timing.per_second:,.0f} files/s)"


def _mb(kb: float) -> str:
    return f"{kb / 1024:,.0f} MB"


def report_lines(
    args: argparse.Namespace,
    corpus: Corpus,
    readers: Readers,
    measured: list[Size],
    single: SingleOffice | None,
    loads: tuple[str, str],
) -> list[str]:
    """The figures as Markdown."""
    lines = [f"Command: `python -m bench.run {' '.join(sys.argv[1:]) or ''}`".rstrip(), ""]
    lines += ["## Machine", ""]
    lines += [f"- {k}: {v}" for k, v in machine().items()]
    lines += [f"- load before: `{loads[0]}`", f"- load after: `{loads[1]}`"]
    lines += ["", "## Corpus", ""]
    built = f"built in {corpus.seconds:.1f} s" if corpus.seconds else "from the cache"
    lines.append(
        f"- {corpus.n:,} files (seed {corpus.seed}), years {corpus.years[0]}-{corpus.years[1]}, "
        f"{len(corpus.bad)} with a text in a number cell; {built}; smaller inboxes are its "
        "first files"
    )
    lines += _reader_lines(readers)
    lines += _scaling_lines(measured, readers)
    lines += _cache_lines(measured)
    lines += _jobs_lines(measured, args.jobs)
    lines += _naive_lines(measured, args.naive_sample, args.naive_all)
    if single is not None:
        lines += _single_lines(single)
    return lines


def _reader_lines(readers: Readers) -> list[str]:
    floor = readers.floor.ms_per_file
    lines = ["", f"## Readers side by side ({readers.floor.files} files, one process)", ""]
    lines += ["| reader | per file | x floor |", "|---|---|---|"]
    shown = (readers.floor, readers.calamine, readers.guard, readers.pipeline, readers.openpyxl)
    for timing in shown:
        lines.append(f"| {timing.name} | {_ms(timing)} | {timing.ms_per_file / floor:.1f} |")
    lines.append("")
    lines.append(
        f"- calamine, openpyxl and the pipeline found the same mapped values in "
        f"{readers.agree} of {readers.floor.files} files"
    )
    return lines


def _scaling_lines(measured: list[Size], readers: Readers) -> list[str]:
    first, last = measured[0], measured[-1]
    lines = ["", "## CPU per file by inbox size (serial, median run, fresh process each)", ""]
    head = " | ".join(f"{s.files:,} files" for s in measured)
    lines += [f"| stage | {head} | {last.files:,} vs {first.files:,} |"]
    lines.append("|---" * (len(measured) + 2) + "|")
    for stage in (*STAGES, "total"):
        cells = " | ".join(f"{s.cpu_ms(stage):.3f} ms" for s in measured)
        ratio = last.cpu_ms(stage) / first.cpu_ms(stage)
        lines.append(f"| {stage} | {cells} | **{ratio:.2f}x** |")
    memory = " | ".join(_mb(s.median(1)["maxrss_kb"]) for s in measured)
    lines.append(f"| peak memory | {memory} | |")
    lines.append("")
    floor = readers.floor.ms_per_file
    for size in measured:
        lines.append(
            f"- {size.files:,} files: read stage {size.cpu_ms('read'):.2f} ms/file CPU = "
            f"**{size.cpu_ms('read') / floor:.1f}x** the unzip floor; results "
            + ("identical in all runs" if len(size.digests) == 1 else "DIFFERENT between runs")
            + f" (scan {next(iter(size.digests))[0][:12]}, CSV {next(iter(size.digests))[1][:12]})"
        )
    run = last.median(1)
    lines.append(f"- file statuses at {last.files:,}: {run['statuses']}; period {run['period']}")
    return lines


def _cache_lines(measured: list[Size]) -> list[str]:
    lines = ["", "## With the cache of files read (serial, fresh process each)", ""]
    head = " | ".join(f"{s.files:,} files" for s in measured)
    lines += [f"| CPU per file | {head} |", "|---" * (len(measured) + 1) + "|"]
    rows = (
        ("no cache: read stage", lambda s: s.cpu_ms("read")),
        ("filling the cache: read stage", lambda s: 1000 * s.cold["cpu"]["read"] / s.files),
        ("warm cache: read stage", lambda s: s.warm_ms("read")),
        ("no cache: all stages", lambda s: s.cpu_ms("total")),
        ("filling the cache: all stages", lambda s: 1000 * s.cold["cpu_total"] / s.files),
        ("warm cache: all stages", lambda s: s.warm_ms("total")),
    )
    for name, value in rows:
        lines.append(f"| {name} | " + " | ".join(f"{value(s):.3f} ms" for s in measured) + " |")
    size = " | ".join(f"{s.cold['cache_bytes'] / s.files:,.0f} B" for s in measured)
    lines.append(f"| cache file per file read | {size} |")
    memory = " | ".join(_mb(max(r["maxrss_kb"] for r in s.warm)) for s in measured)
    lines.append(f"| peak memory, warm | {memory} |")
    lines.append("")
    lines.append(
        "- Filling: the first run of an inbox with an empty cache (`iki report` keeps every "
        "clean read under the file's SHA-256). Warm: a later run in which no file changed; "
        "each file is still read from disk, hashed, identified against the catalogue, "
        "validated and merged. Every run gave the digests of the runs without the cache."
    )
    return lines


def _jobs_lines(measured: list[Size], jobs: int) -> list[str]:
    if jobs <= 1:
        return []
    lines = ["", f"## The report with --jobs {jobs} (wall, median run)", ""]
    lines += ["| inbox | serial | jobs | speed-up | peak main | peak worker |", "|---" * 6 + "|"]
    for size in measured:
        one, many = size.median(1), size.median(jobs)
        lines.append(
            f"| {size.files:,} | {one['total']:.1f} s | {many['total']:.1f} s | "
            f"{one['total'] / many['total']:.2f}x | {_mb(many['maxrss_kb'])} | "
            f"{_mb(many['maxrss_children_kb'])} |"
        )
    return lines


def _naive_lines(measured: list[Size], sample_size: int, all_size: int) -> list[str]:
    lines = ["", "## Against the naive scripts (CPU per file, fresh process each)", ""]
    head = " | ".join(f"{s.files:,} files" for s in measured)
    lines += [f"| script | {head} |", "|---" * (len(measured) + 1) + "|"]
    pipeline = " | ".join(f"{s.cpu_ms('total'):.2f} ms" for s in measured)
    lines.append(f"| pipeline, every check (all stages, serial) | {pipeline} |")
    warm = " | ".join(f"{s.warm_ms('total'):.2f} ms" for s in measured)
    lines.append(f"| pipeline, every check, warm cache of files read | {warm} |")
    for engine, sheets in NAIVE:
        cells = " | ".join(_against(s, (engine, sheets)) for s in measured)
        warm = " | ".join(_against(s, (engine, sheets), warm=True) for s in measured)
        what = "the data sheet" if sheets == "data" else "every sheet"
        lines.append(f"| `read_excel` {engine}, {what} + concat | {cells} |")
        lines.append(f"| the same against the warm pipeline | {warm} |")
    lines.append("")
    lines.append(
        "- **Nx** = the naive script's CPU per file over the pipeline's: above 1 the pipeline "
        "costs less. The data sheet is Isian (Target for the targets workbook), chosen by "
        f"file name; calamine on the data sheet reads every file of an inbox up to {all_size:,} "
        f"files (an even sample of {all_size:,} in larger ones: it holds every frame until "
        f"the concat), the other two an even sample of at most {sample_size:,} files."
    )
    return lines


def _against(size: Size, key: tuple[str, str], *, warm: bool = False) -> str:
    naive = size.naive_ms(key)
    pipeline = size.warm_ms("total") if warm else size.cpu_ms("total")
    return f"{naive:.2f} ms = **{naive / pipeline:.2f}x**"


def _single_lines(single: SingleOffice) -> list[str]:
    lines = ["", "## One office's quarter (example inbox, fresh processes)", ""]
    lines.append(
        f"- `iki report`: median {single.report_median:.2f} s "
        f"({', '.join(f'{t:.2f}' for t in single.report)})"
    )
    lines.append(
        f'- `python -c "import pandas, pandera.pandas, openpyxl, xlsxwriter"`: median '
        f"{single.imports_median:.2f} s ({', '.join(f'{t:.2f}' for t in single.imports)})"
    )
    lines.append(f"- ratio report / imports: **{single.ratio:.2f}x**")
    return lines


def parse(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--n", type=int, default=10_000, help="files in the largest inbox")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--bad", type=float, default=0.0, help="share of files with an error")
    parser.add_argument("--sample", type=int, default=500, help="files for the reader race")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size up to 10,000")
    parser.add_argument("--repeat-large", type=int, default=1, help="runs per larger size")
    parser.add_argument("--naive-sample", type=int, default=1000, help="files, slow scripts")
    parser.add_argument(
        "--naive-all", type=int, default=10_000, help="files, naive calamine (then a sample)"
    )
    parser.add_argument("--single", type=int, default=5, help="repetitions, 0 to skip")
    parser.add_argument("--units", default="", help="unit codes, comma separated (all)")
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures; exit 1 when runs of one size disagree."""
    args = parse(argv)
    say = print
    before = load()
    say(f"Corpus of {args.n:,} files ...", flush=True)
    units = [u for u in args.units.split(",") if u]
    corpus = build_corpus(
        args.n, args.seed, bad=args.bad, jobs=args.jobs, units=units, root=args.out
    )
    files = sorted(p for p in corpus.inbox.iterdir() if p.suffix == ".xlsx")
    say(f"Readers on {min(args.sample, len(files))} files ...", flush=True)
    readers = compare_readers(sample(files, args.sample))
    measured = [measure_size(args, corpus, n, say) for n in sizes(args.n)]
    single = None
    if args.single:
        say(f"One office, {args.single} runs each ...", flush=True)
        single = single_office(args.out / "single", args.single)
    lines = report_lines(args, corpus, readers, measured, single, (before, load()))
    text = "\n".join(lines) + "\n"
    say("")
    say(text)
    target = args.out / f"results-n{args.n}.md"
    target.write_text(text, encoding="utf-8")
    say(f"Written to {target}")
    return 0 if all(len(size.digests) == 1 for size in measured) else 1


if __name__ == "__main__":
    raise SystemExit(main())
