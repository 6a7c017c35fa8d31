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
from dataclasses import dataclass, replace
from pathlib import Path

import python_calamine

from bench.xlsx_edit import read_members, replace_text, set_cells, sheet_members, write_members
from pipeline.catalogue import Catalogue, load_catalogue
from pipeline.config import Config
from pipeline.contract import (
    KIND_TARGETS,
    MAP_HEADER,
    META_SHEET,
    TemplateMeta,
    field_quarter,
    seal_of,
)
from pipeline.fill import example_values, fill_workbook, read_meta
from pipeline.indonesian import tanggal
from pipeline.periods import QUARTERS, Period
from pipeline.templates import generate_templates, targets_filename, write_targets_template
from pipeline.templates.common import number_text

BASE_YEAR = 2018
OUT_DIR = Path(__file__).resolve().parent / "out"
STAMP = "corpus.json"
CORPUS_VERSION = "2"  # bump when the way files are made changes
PIPELINE = Path(__file__).resolve().parents[1] / "pipeline"
# The code that makes templates and fills them: when it changes, the corpus is made again.
TEMPLATE_SOURCES = (
    *PIPELINE.joinpath("templates").glob("*.py"),
    PIPELINE / "contract.py",
    PIPELINE / "fill.py",
)
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
    """What makes a cached corpus stale: the catalogue, the template code, CORPUS_VERSION."""
    digest = hashlib.sha256(f"{catalogue.content_hash} {CORPUS_VERSION}".encode())
    for source in sorted(TEMPLATE_SOURCES):
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


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
    codes = tuple(units) or tuple(u.code for u in catalogue.reporting_units())
    plan = slots(n, codes)
    protos = _prototypes(catalogue, folder / "prototypes", seed, plan)
    picker = random.Random(f"{seed}-bad")
    wrong = sorted(picker.sample([s.index for s in plan if s.unit], round(bad * n))) if bad else []
    inbox = folder / "inbox"
    inbox.mkdir(parents=True)
    chunks = [plan[i : i + 200] for i in range(0, len(plan), 200)]
    args = [(chunk, protos, inbox, _Plan(n, codes, seed), set(wrong)) for chunk in chunks]
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
        # Earlier quarters locked, as accepted (each file's own values are written in later;
        # a quarter whose file was rejected is opened again for back-filling).
        prefill = {
            unit.code: {
                (variable.code, q): 0.0
                for variable in catalogue.variables_of(unit.code)
                for q in range(1, quarter)
            }
            for unit in catalogue.reporting_units()
        }
        blanks = generate_templates(
            catalogue, period, folder / "blank", prefill=prefill, generated_at=stamp
        )
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
    chunk: list[Slot], protos: dict[str, Path], inbox: Path, plan: _Plan, wrong: set[int]
) -> None:
    """Write the files of some slots (one process of the pool)."""
    maker = _Maker(protos, plan, wrong)
    for slot in chunk:
        path = inbox / slot.name
        path.write_bytes(maker.file(slot))
        moment = _received(slot, plan.units).timestamp()
        os.utime(path, (moment, moment))


@dataclass(frozen=True)
class _Plan:
    """What every worker needs to find any slot: the units, the file count and the seed."""

    n: int
    units: tuple[str, ...]
    seed: int

    def slot(self, year: int, unit: str, quarter: int) -> Slot:
        """The slot of a unit's quarter, or of a year's targets (unit '')."""
        per_year = 1 + len(QUARTERS) * len(self.units)
        index = (year - BASE_YEAR) * per_year
        if unit:
            index += 1 + (quarter - 1) * len(self.units) + self.units.index(unit)
        return Slot(index, year, unit, quarter)


@dataclass(frozen=True)
class _Prototype:
    members: dict[str, bytes]
    meta: TemplateMeta
    sheets: dict[str, str]  # sheet name -> member
    first_map_row: int  # 1-based `_meta` row of the first mapped cell


class _Maker:
    """Makes corpus files as the office would get them, each slot's numbers drawn once.

    A unit's quarter template shows the earlier quarters of its year as accepted (locked
    copies, `expected` in `_meta`) and the year's targets, as `iki templates --inbox` does.
    """

    def __init__(self, protos: dict[str, Path], plan: _Plan, wrong: set[int]) -> None:
        self.catalogue = load_catalogue()
        self.protos = protos
        self.plan = plan
        self.wrong = wrong
        self.loaded: dict[str, _Prototype] = {}
        self.drawn: dict[int, dict[tuple[str, str], float]] = {}

    def prototype(self, slot: Slot) -> _Prototype:
        key = _key(slot)
        if key not in self.loaded:
            data = self.protos[key].read_bytes()
            members = read_members(data)
            meta = read_meta(self.protos[key])
            rows = _meta_rows(self.protos[key])
            header = next(i for i, row in enumerate(rows) if tuple(row[:6]) == MAP_HEADER)
            self.loaded[key] = _Prototype(members, meta, sheet_members(members), header + 2)
        return self.loaded[key]

    def shown(self, slot: Slot) -> dict[tuple[str, str], float]:
        """Locked cells of the slot's template: earlier accepted quarters, the year's targets."""
        if not slot.unit:
            return {}
        found: dict[tuple[str, str], float] = {}
        for quarter in range(1, slot.quarter):
            earlier = self.plan.slot(slot.year, slot.unit, quarter)
            if earlier.index not in self.wrong:  # a rejected file is never shown as accepted
                found.update(self.values(earlier))
        target_keys = {(c.key, c.field) for c in self.prototype(slot).meta.cells}
        targets = self.values(self.plan.slot(slot.year, "", 0))
        found.update({k: v for k, v in targets.items() if k in target_keys})
        return found

    def values(self, slot: Slot) -> dict[tuple[str, str], float]:
        """The numbers the slot's sender types (drawn once, from the slot's own seed)."""
        if slot.index not in self.drawn:
            shown = self.shown(slot)
            meta = self.prototype(slot).meta
            cells = tuple(
                replace(c, expected=number_text(shown[(c.key, c.field)]))
                if (c.key, c.field) in shown
                else replace(c, expected="")
                if (field_quarter(c.field) or 5) < (slot.quarter or 0)
                else c
                for c in meta.cells
            )
            rng = random.Random(f"{self.plan.seed}-{slot.index}")
            drawn = example_values(replace(meta, cells=cells), self.catalogue, rng)
            self.drawn[slot.index] = drawn
        return self.drawn[slot.index]

    def file(self, slot: Slot) -> bytes:
        """The slot's workbook."""
        proto = self.prototype(slot)
        typed: dict[tuple[str, str], float | str] = dict(self.values(slot))
        if slot.index in self.wrong:
            rng = random.Random(f"{self.plan.seed}-{slot.index}-bad")
            typed[sorted(typed)[rng.randrange(len(typed))]] = BAD_TEXT
        shown = self.shown(slot)
        by_sheet: dict[str, dict[str, float | str | None]] = {META_SHEET: {}}
        meta_cells = by_sheet[META_SHEET]
        cells = []
        for row, cell in enumerate(proto.meta.cells, start=proto.first_map_row):
            address = (cell.key, cell.field)
            if address in typed:
                by_sheet.setdefault(cell.sheet, {})[cell.cell] = typed[address]
            elif address in shown:
                by_sheet.setdefault(cell.sheet, {})[cell.cell] = shown[address]
                meta_cells[f"F{row}"] = number_text(shown[address])
                cell = replace(cell, expected=number_text(shown[address]))
            elif (field_quarter(cell.field) or 5) < (slot.quarter or 0):
                # No accepted value for this earlier quarter (its file was rejected): the
                # template opens the cell for back-filling, as `iki templates` does.
                by_sheet.setdefault(cell.sheet, {})[cell.cell] = None
                meta_cells[f"E{row}"], meta_cells[f"F{row}"] = "1", ""
                cell = replace(cell, editable=True, expected="")
            cells.append(cell)
        stamp = f"{slot.year}-01-02T08:00:00"
        meta = replace(proto.meta, year=slot.year, generated_at=stamp, cells=tuple(cells))
        meta_cells["B6"] = str(slot.year)
        meta_cells["B9"] = stamp
        meta_cells["B10"] = seal_of(meta, Config().template_key)  # the corpus is re-sealed
        texts = _year_texts(proto.meta, slot.year)
        out = dict(proto.members)
        for sheet, member in proto.sheets.items():
            xml = out[member] if sheet == META_SHEET else replace_text(out[member], texts)
            out[member] = set_cells(xml, by_sheet.get(sheet, {}))
        return write_members(out)


def _meta_rows(path: Path) -> list[list[str]]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_name(META_SHEET).to_python(skip_empty_area=False)
    return [[str(v) for v in row] for row in rows]


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


def _received(slot: Slot, units: Sequence[str]) -> dt.datetime:
    """When the file came in: days after the quarter ends (or January for targets)."""
    if not slot.unit:
        return dt.datetime(slot.year, 1, 15, 9, 0, tzinfo=WIB)
    index = list(units).index(slot.unit)
    day = Period(slot.year, slot.quarter).end + dt.timedelta(days=2 + index % 7)
    return dt.datetime.combine(day, dt.time(8 + index % 8, 5 * index % 60), WIB)
