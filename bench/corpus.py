"""A province-sized inbox: N filled submissions, each a distinct (unit, year, quarter).

Filling thousands of files through openpyxl takes minutes, so the project's own tools make
one prototype per (unit, quarter) and one targets workbook (`generate_templates`,
`write_targets_template`, `example_values`, `fill_workbook`); every file of the corpus is
then a prototype whose XML is rewritten: the year in `_meta` and in the visible texts, and
fresh numbers drawn by `example_values` in every input cell. Each year holds the targets
workbook and the 60 unit files of its four quarters, so N files span about N / 61 years
from BASE_YEAR on. The corpus is cached under bench/out/ by N, seed and bad share.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import random
import shutil
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bench.xlsx_edit import read_members, replace_text, set_cells, sheet_members, write_members
from pipeline.catalogue import Catalogue, load_catalogue
from pipeline.contract import KIND_TARGETS, META_SHEET, TEMPLATE_VERSION, TemplateMeta
from pipeline.fill import example_values, fill_workbook, read_meta
from pipeline.periods import QUARTERS, Period
from pipeline.templates import generate_templates, targets_filename, write_targets_template
from pipeline.templates.common import tanggal

BASE_YEAR = 2018
OUT_DIR = Path(__file__).resolve().parent / "out"
STAMP = "corpus.json"
CORPUS_VERSION = "1"  # bump when the way files are made changes
BAD_TEXT = "5 kasus"
WIB = dt.timezone(dt.timedelta(hours=7))


@dataclass(frozen=True)
class Slot:
    """What the i-th file of the corpus is: targets of a year, or a unit's quarter."""

    index: int
    year: int
    unit: str  # '' for the targets workbook
    quarter: int  # 0 for the targets workbook

    @property
    def name(self) -> str:
        """File name in the inbox."""
        if not self.unit:
            return targets_filename(self.year)
        return f"IKI_{self.year}_TW{self.quarter}_{self.unit}.xlsx"


@dataclass(frozen=True)
class Corpus:
    """A generated inbox and how it was made."""

    inbox: Path
    n: int
    seed: int
    bad: tuple[int, ...]  # indexes of files with a text in a number cell
    years: tuple[int, int]  # first and last
    seconds: float  # time it took to build (0 when it came from the cache)


def slots(n: int, units: Sequence[str]) -> list[Slot]:
    """The first n files: per year the targets workbook, then each quarter's unit files."""
    per_year = 1 + len(QUARTERS) * len(units)
    found = []
    for index in range(n):
        year, place = BASE_YEAR + index // per_year, index % per_year
        if place == 0:
            found.append(Slot(index, year, "", 0))
        else:
            quarter, unit = divmod(place - 1, len(units))
            found.append(Slot(index, year, units[unit], quarter + 1))
    return found


def corpus_dir(
    n: int, seed: int, bad: float, units: Sequence[str] = (), root: Path = OUT_DIR
) -> Path:
    """Where the corpus of these parameters lives."""
    some = f"-u{'_'.join(units)}" if units else ""
    return root / f"corpus-n{n}-s{seed}-b{bad:g}{some}"


def fingerprint(catalogue: Catalogue) -> str:
    """What makes a cached corpus stale: the catalogue, the template and corpus versions."""
    text = f"{catalogue.content_hash} {TEMPLATE_VERSION} {CORPUS_VERSION}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def build_corpus(
    n: int,
    seed: int = 1,
    *,
    bad: float = 0.0,
    jobs: int = 1,
    units: Sequence[str] = (),
    root: Path = OUT_DIR,
) -> Corpus:
    """The corpus of n files (from the cache when it is there and current).

    units: reporting unit codes to use (default all); fewer units reach more years sooner.
    """
    catalogue = load_catalogue()
    folder = corpus_dir(n, seed, bad, units, root)
    stamp = folder / STAMP
    mark = fingerprint(catalogue)
    if stamp.exists():
        saved = json.loads(stamp.read_text())
        if saved.get("fingerprint") == mark:
            return Corpus(folder / "inbox", n, seed, tuple(saved["bad"]), tuple(saved["years"]), 0)
    start = dt.datetime.now()
    if folder.exists():
        shutil.rmtree(folder)
    plan = slots(n, list(units) or [u.code for u in catalogue.reporting_units()])
    protos = _prototypes(catalogue, folder / "prototypes", seed, plan)
    picker = random.Random(f"{seed}-bad")
    wrong = sorted(picker.sample([s.index for s in plan if s.unit], round(bad * n))) if bad else []
    inbox = folder / "inbox"
    inbox.mkdir(parents=True)
    chunks = [plan[i : i + 200] for i in range(0, len(plan), 200)]
    args = [(chunk, protos, inbox, seed, set(wrong)) for chunk in chunks]
    if jobs > 1 and len(chunks) > 1:
        with ProcessPoolExecutor(jobs) as pool:
            list(pool.map(_write_chunk, *zip(*args, strict=True)))
    else:
        for arg in args:
            _write_chunk(*arg)
    years = (plan[0].year, plan[-1].year) if plan else (BASE_YEAR, BASE_YEAR)
    stamp.write_text(json.dumps({"fingerprint": mark, "bad": wrong, "years": years, "n": n}))
    seconds = (dt.datetime.now() - start).total_seconds()
    return Corpus(inbox, n, seed, tuple(wrong), years, seconds)


def _prototypes(
    catalogue: Catalogue, folder: Path, seed: int, plan: Sequence[Slot]
) -> dict[str, Path]:
    """One filled file per (unit, quarter) of BASE_YEAR the plan uses, and the targets one."""
    rng = random.Random(seed)
    found = {}
    stamp = f"{BASE_YEAR}-01-02T08:00:00"
    wanted = {_key(slot) for slot in plan}
    for quarter in sorted({s.quarter for s in plan if s.unit}):
        period = Period(BASE_YEAR, quarter)
        blanks = generate_templates(catalogue, period, folder / "blank", generated_at=stamp)
        for unit, blank in zip(catalogue.reporting_units(), blanks, strict=True):
            key = f"{unit.code}-TW{quarter}"
            if key in wanted:
                found[key] = _filled(catalogue, blank, folder / f"{key}.xlsx", rng)
    if "targets" in wanted:
        blank = folder / "blank" / targets_filename(BASE_YEAR)
        write_targets_template(blank, catalogue, BASE_YEAR, generated_at=stamp)
        found["targets"] = _filled(catalogue, blank, folder / "targets.xlsx", rng)
    return found


def _filled(catalogue: Catalogue, blank: Path, filled: Path, rng: random.Random) -> Path:
    fill_workbook(blank, filled, example_values(read_meta(blank), catalogue, rng))
    return filled


def _key(slot: Slot) -> str:
    return f"{slot.unit}-TW{slot.quarter}" if slot.unit else "targets"


def _write_chunk(
    chunk: list[Slot], protos: dict[str, Path], inbox: Path, seed: int, wrong: set[int]
) -> None:
    """Write the files of some slots (one process of the pool)."""
    catalogue = load_catalogue()
    cache: dict[str, tuple[dict[str, bytes], TemplateMeta, dict[str, str]]] = {}
    for slot in chunk:
        key = _key(slot)
        if key not in cache:
            members = read_members(protos[key].read_bytes())
            cache[key] = (members, read_meta(protos[key]), sheet_members(members))
        members, meta, sheets = cache[key]
        rng = random.Random(f"{seed}-{slot.index}")
        values: dict[tuple[str, str], float | str] = dict(example_values(meta, catalogue, rng))
        if slot.index in wrong:
            first = sorted(values)[rng.randrange(len(values))]
            values[first] = BAD_TEXT
        data = _rewrite(members, meta, sheets, slot, values)
        path = inbox / slot.name
        path.write_bytes(data)
        moment = _received(slot, catalogue).timestamp()
        os.utime(path, (moment, moment))


def _rewrite(
    members: dict[str, bytes],
    meta: TemplateMeta,
    sheets: dict[str, str],
    slot: Slot,
    values: dict[tuple[str, str], float | str],
) -> bytes:
    """The prototype's members with the slot's year and values."""
    by_sheet: dict[str, dict[str, float | str | None]] = {}
    for (key, field), value in values.items():
        cell = meta.cell_of(key, field)
        assert cell is not None, (key, field)
        by_sheet.setdefault(cell.sheet, {})[cell.cell] = value
    texts = _year_texts(meta, slot.year)
    out = dict(members)
    for sheet, member in sheets.items():
        xml = out[member]
        if sheet == META_SHEET:
            xml = set_cells(xml, {"B6": str(slot.year), "B9": f"{slot.year}-01-02T08:00:00"})
        else:
            xml = replace_text(xml, texts)
        if sheet in by_sheet:
            xml = set_cells(xml, by_sheet[sheet])
        out[member] = xml
    return write_members(out)


def _year_texts(meta: TemplateMeta, year: int) -> dict[str, str]:
    """Visible texts that name the prototype's year, and what they say for `year`."""
    if meta.kind == KIND_TARGETS:
        phrases = ("Target IKI {}", "TARGET IKI TAHUN {}", "(IKI) {}", "Tahunan {}", "tahun {}")
        texts = {p.format(BASE_YEAR): p.format(year) for p in phrases}
        texts[f"setahun ({BASE_YEAR})"] = f"setahun ({year})"
        return texts
    quarter = meta.quarter or 1
    old, new = Period(BASE_YEAR, quarter), Period(year, quarter)
    return {
        old.label: new.label,
        tanggal(old.deadline()): tanggal(new.deadline()),
    }


def _received(slot: Slot, catalogue: Catalogue) -> dt.datetime:
    """When the file came in: days after the quarter ends (or January for targets)."""
    if not slot.unit:
        return dt.datetime(slot.year, 1, 15, 9, 0, tzinfo=WIB)
    units = [u.code for u in catalogue.reporting_units()]
    index = units.index(slot.unit)
    day = Period(slot.year, slot.quarter).end + dt.timedelta(days=2 + index % 7)
    return dt.datetime.combine(day, dt.time(8 + index % 8, 5 * index % 60), WIB)
