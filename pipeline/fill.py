"""Fill a template through its contract: read `_meta`, write into the cells it maps.

This is how any program (tests, the example inbox, another office system) fills a template
without knowing its layout. openpyxl keeps protection, validation, formulas and the very
hidden `_meta` sheet when it saves.
"""

from __future__ import annotations

import math
import random
import zlib
from collections.abc import Mapping
from pathlib import Path

import openpyxl

from pipeline.atomic import atomic_bytes
from pipeline.catalogue.bounds import target_bounds
from pipeline.catalogue.model import Catalogue, Indicator, Variable
from pipeline.contract import (
    BASELINE_FIELDS,
    CALCULATION_FIELD,
    CHOICE_FIELDS,
    HEAD_KEY,
    KIND_TARGETS,
    META_SHEET,
    NAME_FIELD,
    NIP_FIELD,
    PLACE_FIELD,
    QUARTER_FIELDS,
    RANK_FIELD,
    ROSTER_FIELDS,
    TARGET_FIELD,
    TARGET_QUARTER_FIELDS,
    TEXT_FIELDS,
    WORKBOOK_KEY,
    ContractError,
    TemplateMeta,
    parse_meta,
)
from pipeline.errors import UsageError
from pipeline.measure import KUMULATIF

Value = float | int | str | None

# Typical size of one quarter's number, by measure: (low, high).
_MAGNITUDE: dict[str, tuple[int, int]] = {
    "orang": (20, 300),
    "dokumen": (3, 30),
    "surat": (60, 400),
    "kali": (3, 12),
    "kegiatan": (4, 20),
    "ruangan": (10, 30),
    "perusahaan": (5, 60),
    "lembaga": (5, 40),
    "kasus": (2, 15),
    "KK": (5, 50),
    "kecamatan": (15, 33),
}
_DEFAULT_MAGNITUDE = (5, 50)


class UnmappedCellError(UsageError):
    """A value was given for a (key, field) the template's `_meta` does not map."""


def read_meta(path: Path) -> TemplateMeta:
    """The `_meta` of a workbook (openpyxl); raise ContractError when it has none."""
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        if META_SHEET not in workbook.sheetnames:
            raise ContractError(f"{path.name}: sheet _meta tidak ada")
        rows = list(workbook[META_SHEET].iter_rows(values_only=True))
    finally:
        workbook.close()
    return parse_meta(rows)


def fill_workbook(src: Path, dst: Path, values: Mapping[tuple[str, str], Value]) -> None:
    """Copy src to dst with each (key, field) value written into the cell `_meta` maps.

    Numbers that are whole are written as integers; None empties the cell. Any mapped cell
    can be written (tests write locked ones to simulate tampering); an unmapped key raises.
    """
    workbook = openpyxl.load_workbook(src)
    if META_SHEET not in workbook.sheetnames:
        raise ContractError(f"{src.name}: sheet _meta tidak ada")
    meta = parse_meta(list(workbook[META_SHEET].iter_rows(values_only=True)))
    unmapped = [key for key in values if meta.cell_of(*key) is None]
    if unmapped:
        shown = ", ".join(f"{k}/{f}" for k, f in unmapped[:5])
        raise UnmappedCellError(f"{src.name}: {len(unmapped)} sel tidak ada di peta _meta: {shown}")
    for (key, field), value in values.items():
        mapped = meta.cell_of(key, field)
        assert mapped is not None
        cell = workbook[mapped.sheet][mapped.cell]
        cell.value = _cell_value(value)
        if isinstance(value, str):
            cell.data_type = "s"  # text is text: openpyxl would store '=...' as a formula
    with atomic_bytes(dst) as buffer:
        workbook.save(buffer)


def _cell_value(value: Value) -> Value:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def example_values(
    meta: TemplateMeta, catalogue: Catalogue, rng: random.Random
) -> dict[tuple[str, str], float | str]:
    """Plausible values for every editable number cell of a template (notes and factors stay
    empty), and for a targets workbook a roster (`example_roster`, drawn without `rng`)."""
    if meta.kind == KIND_TARGETS:
        return {**_example_targets(meta, catalogue, rng), **example_roster(meta, catalogue)}
    values: dict[tuple[str, str], float] = {}
    inputs = [c for c in meta.inputs() if c.field in QUARTER_FIELDS]
    for cell in inputs:
        variable = catalogue.variable(cell.key)
        previous = _previous(meta, cell.key, cell.field)
        values[(cell.key, cell.field)] = float(_quarter_value(variable, previous, rng))
    for indicator in catalogue.indicators:
        if indicator.kind == "difference" or (indicator.kind == "ratio" and indicator.bagian):
            _keep_part(values, indicator, rng)
    return dict(values)


def _base(variable: Variable) -> int:
    """A stable typical size per variable, so every quarter and year looks alike."""
    low, high = _MAGNITUDE.get(variable.satuan, _DEFAULT_MAGNITUDE)
    if variable.maksimum is not None:
        high = min(high, variable.maksimum)
        low = min(low, high)
    return low + zlib.crc32(variable.code.encode()) % (high - low + 1)


def _previous(meta: TemplateMeta, key: str, field: str) -> float | None:
    quarter = QUARTER_FIELDS.index(field) + 1
    if quarter == 1:
        return None
    cell = meta.cell_of(key, QUARTER_FIELDS[quarter - 2])
    return float(cell.expected) if cell is not None and cell.expected else None


def _quarter_value(variable: Variable, previous: float | None, rng: random.Random) -> int:
    base = _base(variable)
    if variable.agregasi == "last" and previous is not None:
        value = round(previous * rng.uniform(0.95, 1.08))  # stocks move slowly
    else:
        value = round(base * rng.uniform(0.7, 1.3))
    top = variable.maksimum if variable.maksimum is not None else math.inf
    return int(min(max(value, variable.minimum), top))


def _keep_part(
    values: dict[tuple[str, str], float], indicator: Indicator, rng: random.Random
) -> None:
    """Keep a part at most its whole: numerator <= denominator, subtrahend <= minuend."""
    whole, part = indicator.variables
    if indicator.kind == "ratio":
        whole, part = part, whole
    low, high = (0.6, 1.0) if indicator.kind == "ratio" else (0.05, 0.3)
    for field in QUARTER_FIELDS:
        total = values.get((whole, field))
        if (part, field) in values and total is not None:
            values[(part, field)] = float(round(total * rng.uniform(low, high)))


def _example_targets(
    meta: TemplateMeta, catalogue: Catalogue, rng: random.Random
) -> dict[tuple[str, str], float]:
    """Annual and quarterly targets that fit each indicator, and last year's quarters."""
    values: dict[tuple[str, str], float] = {}
    for cell in meta.inputs():
        if cell.field in (*CHOICE_FIELDS, *TEXT_FIELDS) or cell.field in TARGET_QUARTER_FIELDS:
            continue
        indicator = catalogue.indicator(cell.key)
        if cell.field == TARGET_FIELD:
            values[(cell.key, cell.field)] = _target(indicator, catalogue, rng)
        elif cell.field in BASELINE_FIELDS:
            variable = catalogue.variable(indicator.variables[0])
            quarter = BASELINE_FIELDS.index(cell.field) + 1
            earlier = values.get((cell.key, BASELINE_FIELDS[quarter - 2])) if quarter > 1 else None
            values[(cell.key, cell.field)] = float(_last_year_value(variable, earlier, rng))
    for (code, field), annual in list(values.items()):
        if field == TARGET_FIELD and meta.cell_of(code, TARGET_QUARTER_FIELDS[0]) is not None:
            chosen = meta.cell_of(code, CALCULATION_FIELD)
            indicator = catalogue.indicator(code)
            perhitungan = (chosen.expected if chosen else "") or catalogue.perhitungan(indicator)
            whole = target_bounds(indicator, catalogue).whole
            for quarter, target in enumerate(_quarterly(annual, perhitungan, whole, rng), start=1):
                values[(code, TARGET_QUARTER_FIELDS[quarter - 1])] = target
    return values


def _quarterly(annual: float, perhitungan: str, whole: bool, rng: random.Random) -> list[float]:
    """A Rencana Aksi for the year: kumulatif quarters that add up to the annual target
    (cumulative shares rounded, so each quarter is whole and the sum exact); nilai-akhir
    levels that rise to the annual target at TW IV."""
    if perhitungan == KUMULATIF:
        weights = [rng.uniform(0.8, 1.25) for _ in range(4)]
        total, cumulative, shares = sum(weights), 0.0, []
        for weight in weights:
            cumulative += weight
            shares.append(round(annual * cumulative / total))
        shares[-1] = round(annual)
        return [float(b - a) for a, b in zip([0, *shares[:-1]], shares, strict=True)]
    step = rng.choice((0.0, 0.02, 0.04))
    digits = 0 if whole else 1
    return [float(round(annual * (1 - (4 - q) * step), digits)) for q in range(1, 5)]


def _last_year_value(variable: Variable, earlier: float | None, rng: random.Random) -> int:
    """One quarter of last year: near the variable's typical quarter, a little smaller."""
    if variable.agregasi == "last" and earlier is not None:
        value = round(earlier * rng.uniform(0.95, 1.05))  # stocks move slowly
    else:
        value = round(_base(variable) * rng.uniform(0.8, 1.05))
    top = variable.maksimum if variable.maksimum is not None else math.inf
    return int(min(max(value, variable.minimum), top))


def _annual(variable: Variable) -> int:
    return _base(variable) * (4 if variable.agregasi == "sum" else 1)


def _target(indicator: Indicator, catalogue: Catalogue, rng: random.Random) -> float:
    if indicator.kind == "growth":
        return float(rng.choice((2, 3, 5, 7.5, 10)))
    if indicator.satuan == "%" or indicator.kind == "ratio":
        return float(round(rng.uniform(60, 100)))
    annual = [_annual(catalogue.variable(code)) for code in indicator.variables]
    if indicator.kind == "difference":
        # Most registered institutions stay active: a target of 70-95% of the minuend.
        return float(max(1, round(annual[0] * rng.uniform(0.7, 0.95))))
    variable = catalogue.variable(indicator.variables[0])
    top = variable.maksimum if variable.agregasi == "last" and variable.maksimum else math.inf
    return float(min(round(annual[0] * rng.uniform(0.9, 1.2)), top))


# Fictional people for example offices: (name, gender digit of the NIP).
_GIVEN_NAMES = (
    ("Budi", "1"), ("Siti", "2"), ("Agus", "1"), ("Dewi", "2"), ("Hadi", "1"), ("Rina", "2"),
    ("Slamet", "1"), ("Yuliana", "2"), ("Bambang", "1"), ("Sri", "2"), ("Eko", "1"),
    ("Lestari", "2"), ("Joko", "1"), ("Ratna", "2"), ("Imam", "1"), ("Wahyuni", "2"),
    ("Teguh", "1"),
)  # fmt: skip
_FAMILY_NAMES = (
    "Santoso", "Rahayu", "Prasetyo", "Wulandari", "Hidayat", "Kusuma", "Susanto", "Handayani",
    "Purnomo", "Setiawati", "Nugroho", "Maharani", "Saputra",
)  # fmt: skip
# Pangkat / golongan by level of the position (a driver and a cleaner are not civil servants).
_RANKS = {
    "head": "Pembina Utama Muda (IV/c)",
    "sekretaris": "Pembina Tingkat I (IV/b)",
    "kepala_bidang": "Pembina (IV/a)",
    "kepala_sub_bagian": "Penata Tingkat I (III/d)",
    "kepala_seksi": "Penata Tingkat I (III/d)",
    "pelaksana": "Penata Muda Tingkat I (III/b)",
}
_NOT_CIVIL_SERVANTS = ("UMP-PENGEMUDI", "UMP-KEBERSIHAN")


def example_roster(meta: TemplateMeta, catalogue: Catalogue) -> dict[tuple[str, str], str]:
    """A plausible roster for every roster cell of a targets workbook (fictional people,
    NIPs laid out as NIPs are: birth date, appointment month, gender digit, number)."""
    levels = {HEAD_KEY: "head", **{p.code: p.level for p in catalogue.positions}}
    keys = list(dict.fromkeys(c.key for c in meta.inputs() if c.field in ROSTER_FIELDS))
    values: dict[tuple[str, str], str] = {}
    for index, key in enumerate(keys):
        given, gender = _GIVEN_NAMES[index % len(_GIVEN_NAMES)]
        family = _FAMILY_NAMES[(index * 5) % len(_FAMILY_NAMES)]
        values[(key, NAME_FIELD)] = f"{given} {family}"
        if key in _NOT_CIVIL_SERVANTS:
            continue
        born = f"{1962 + index % 24}{1 + index % 12:02d}{1 + (index * 7) % 28:02d}"
        appointed = f"{1990 + index % 20}{1 + (index * 5) % 12:02d}"
        values[(key, NIP_FIELD)] = f"{born} {appointed} {gender} {1 + index % 9:03d}"
        values[(key, RANK_FIELD)] = _RANKS.get(levels.get(key, ""), _RANKS["pelaksana"])
    if meta.cell_of(WORKBOOK_KEY, PLACE_FIELD) is not None:
        values[(WORKBOOK_KEY, PLACE_FIELD)] = "Malang"
    return values
