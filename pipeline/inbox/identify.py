"""Is a workbook an official template of this catalogue, with its cell map intact?

Every check here is fatal: a file that fails cannot be trusted to say what its cells mean.
"""

from __future__ import annotations

import weakref
from collections import Counter
from dataclasses import dataclass

from pipeline.catalogue.factors import factor_indicators
from pipeline.catalogue.model import Catalogue
from pipeline.config import Config
from pipeline.contract import (
    BASELINE_FIELD,
    BASELINE_FIELDS,
    CALCULATION_FIELD,
    CODE_FIELD,
    EFFECTIVE_FIELD,
    FACTOR_FIELDS,
    FACTOR_SHEET,
    HEAD_KEY,
    IKI_SHEET,
    INPUT_SHEET,
    KIND_TARGETS,
    KIND_UNIT,
    NOTE_FIELD,
    PLACE_FIELD,
    POLARITY_FIELD,
    QUARTER_FIELDS,
    ROSTER_FIELDS,
    ROSTER_SHEET,
    TARGET_FIELD,
    TARGET_QUARTER_FIELDS,
    TARGET_SHEET,
    TARGET_TO_DATE_FIELD,
    TEMPLATE_VERSION,
    WORKBOOK_KEY,
    TemplateMeta,
    field_quarter,
    quarter_field,
    seal_holds,
    split_ref,
)
from pipeline.periods import Period, Year
from pipeline.problems import Problem, problem

# Every mapped cell lies in the sheets and the area the generator writes (with room to spare).
SHEETS = {
    KIND_UNIT: (INPUT_SHEET, IKI_SHEET, FACTOR_SHEET),
    KIND_TARGETS: (TARGET_SHEET, ROSTER_SHEET),
}
MAX_MAPPED_ROW, MAX_MAPPED_COLUMN = 5_000, 52  # row 5000, column AZ


def check_identity(meta: TemplateMeta, catalogue: Catalogue, config: Config) -> list[Problem]:
    """Fatal problems with what `_meta` claims: kind, version, catalogue, unit, period, cell
    map, seal. `_meta` is untrusted input like every other cell of the file."""
    if meta.kind not in (KIND_UNIT, KIND_TARGETS):
        return [problem("unknown-template-kind", value=meta.kind)]
    if meta.template_version != TEMPLATE_VERSION:
        return [
            problem(
                "unknown-template-version", value=meta.template_version, expected=TEMPLATE_VERSION
            )
        ]
    if (meta.catalogue_id, meta.catalogue_hash) != (catalogue.catalogue_id, catalogue.content_hash):
        return [
            problem(
                "other-catalogue",
                value=f"{meta.catalogue_id} {meta.catalogue_hash[:12]}",
                expected=f"{catalogue.catalogue_id} {catalogue.content_hash[:12]}",
            )
        ]
    found = _period_defect(meta, catalogue, config)
    if found:
        return [found]
    detail = _map_defect(meta, catalogue)
    if not detail and not seal_holds(meta, config.template_key):
        detail = (
            "segel _meta tidak cocok: isi lembar identitas diubah, atau template dibuat dengan "
            "kunci lain"
        )
    return [problem("template-tampered", detail=detail)] if detail else []


def trusted_period(
    meta: TemplateMeta, catalogue: Catalogue, config: Config
) -> Period | Year | None:
    """The period `_meta` claims when its unit, year and quarter are plausible, else None."""
    return None if _period_defect(meta, catalogue, config) else meta.period


def _period_defect(meta: TemplateMeta, catalogue: Catalogue, config: Config) -> Problem | None:
    """The unit, year and quarter `_meta` claims, checked against the catalogue and config."""
    first, last = config.years
    if not first <= meta.year <= last:
        return problem(
            "template-meta-invalid",
            detail=f"tahun {meta.year} di luar {first}-{last} (iki.toml: tahun)",
        )
    if meta.kind == KIND_TARGETS:
        if meta.quarter is not None or meta.unit_code is not None:
            return problem("template-meta-invalid", detail="template target tanpa unit/triwulan")
        return None
    if meta.unit_code not in _known(catalogue).reporting:
        return problem("unknown-unit", value=meta.unit_code or "")
    if meta.quarter not in (1, 2, 3, 4):
        return problem("template-meta-invalid", detail=f"triwulan {meta.quarter}")
    return None


def _map_defect(meta: TemplateMeta, catalogue: Catalogue) -> str:
    """What is wrong with the cell map, or '' when it is what the generator writes."""
    places = Counter((c.sheet, c.cell) for c in meta.cells)
    doubled = [f"{s}!{c}" for (s, c), n in places.items() if n > 1]
    if doubled:
        return f"sel {doubled[0]} dipetakan dua kali"
    meanings = Counter((c.key, c.field) for c in meta.cells)
    twice = [f"{k} {f}" for (k, f), n in meanings.items() if n > 1]
    if twice:
        return f"{twice[0]} dipetakan ke dua sel"
    for cell in meta.cells:
        outside = _outside(cell.sheet, cell.cell, SHEETS[meta.kind])
        if outside:
            return outside
    if meta.kind == KIND_TARGETS:
        return _targets_defect(meta, catalogue)
    return _unit_defect(meta, catalogue)


def _outside(sheet: str, ref: str, sheets: tuple[str, ...]) -> str:
    if sheet not in sheets:
        return f"lembar '{sheet}' bukan lembar isian template ini"
    try:
        row, column = split_ref(ref)
    except ValueError:
        return f"alamat sel '{ref}' tidak sah"
    if row >= MAX_MAPPED_ROW or column >= MAX_MAPPED_COLUMN:
        return f"sel {sheet}!{ref} di luar area template"
    return ""


def _unit_defect(meta: TemplateMeta, catalogue: Catalogue) -> str:
    codes = _known(catalogue)
    own = codes.variables.get(meta.unit_code or "", frozenset())
    indicators = codes.indicators
    explained = codes.explained.get(meta.unit_code or "", frozenset())
    current = quarter_field(meta.quarter) if meta.quarter in (1, 2, 3, 4) else ""
    for cell in meta.cells:
        given = cell.key in indicators and cell.field in _GIVEN
        factor = cell.key in explained and cell.field in FACTOR_FIELDS
        variable = cell.key in own and cell.field in _VARIABLE_FIELDS
        if not (variable or given or factor):
            return f"kunci '{cell.key}' bukan variabel unit ini"
        if cell.editable != _may_edit(cell.field, cell.expected, meta.quarter or 0):
            state = "terbuka" if cell.editable else "terkunci"
            return f"sel {cell.sheet}!{cell.cell} ({cell.key} {cell.field}) {state}"
    mapped = {c.key for c in meta.cells if c.field == current}
    absent = sorted(own - mapped)
    return f"variabel {absent[0]} tidak ada di peta sel" if absent else ""


_VARIABLE_FIELDS = (*QUARTER_FIELDS, NOTE_FIELD, CODE_FIELD)
_GIVEN = (TARGET_FIELD, TARGET_TO_DATE_FIELD, BASELINE_FIELD)  # locked, set by Renvapor
_PLAN_FIELDS = (TARGET_FIELD, *TARGET_QUARTER_FIELDS, CALCULATION_FIELD, POLARITY_FIELD)


def _may_edit(field: str, expected: str, quarter: int) -> bool:
    """Whether a unit template's cell is open: the quarter's value, a remark, or an earlier
    quarter that had no accepted value when the template was made (back-filling)."""
    if field in (NOTE_FIELD, *FACTOR_FIELDS):
        return True
    if quarter in (1, 2, 3, 4) and field == quarter_field(quarter):
        return True
    earlier = field_quarter(field)
    return earlier is not None and earlier < quarter and expected == ""


def _targets_defect(meta: TemplateMeta, catalogue: Catalogue) -> str:
    codes = _known(catalogue)
    growth, indicators, holders = codes.growth, codes.indicators, codes.holders
    for cell in meta.cells:
        whole = cell.key == WORKBOOK_KEY and cell.field in (EFFECTIVE_FIELD, PLACE_FIELD)
        baseline = cell.field in BASELINE_FIELDS and cell.key in growth
        known = cell.key in indicators and (cell.field in _PLAN_FIELDS or baseline)
        roster = cell.key in holders and cell.field in ROSTER_FIELDS
        if not (known or whole or roster):
            return f"kunci '{cell.key}' ({cell.field}) tidak dikenal"
        if not cell.editable:
            return f"sel {cell.sheet}!{cell.cell} terkunci"
    return ""


@dataclass(frozen=True)
class _Known:
    """The codes every file of a catalogue is checked against, gathered once per catalogue."""

    reporting: frozenset[str]
    indicators: frozenset[str]
    growth: frozenset[str]
    holders: frozenset[str]
    variables: dict[str, frozenset[str]]  # per reporting unit
    explained: dict[str, frozenset[str]]  # indicators whose factors the unit writes


# By the catalogue object (a catalogue changed in memory is another object), checked through
# a weak reference so that a new catalogue at a freed address is never taken for the old one.
_KNOWN: dict[int, tuple[weakref.ref[Catalogue], _Known]] = {}


def _known(catalogue: Catalogue) -> _Known:
    entry = _KNOWN.get(id(catalogue))
    found = entry[1] if entry is not None and entry[0]() is catalogue else None
    if found is None:
        units = [u.code for u in catalogue.reporting_units()]
        found = _Known(
            reporting=frozenset(units),
            indicators=frozenset(i.code for i in catalogue.indicators),
            growth=frozenset(i.code for i in catalogue.indicators if i.kind == "growth"),
            holders=frozenset({HEAD_KEY, *(p.code for p in catalogue.positions)}),
            variables={u: frozenset(v.code for v in catalogue.variables_of(u)) for u in units},
            explained={
                u: frozenset(i.code for i in factor_indicators(catalogue, u)) for u in units
            },
        )
        if len(_KNOWN) >= 8:
            _KNOWN.clear()
        _KNOWN[id(catalogue)] = (weakref.ref(catalogue), found)
    return found
