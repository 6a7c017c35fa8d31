"""Is a workbook an official template of this catalogue, with its cell map intact?

Every check here is fatal: a file that fails cannot be trusted to say what its cells mean.
"""

from __future__ import annotations

from collections import Counter

from pipeline.catalogue.model import Catalogue
from pipeline.contract import (
    BASELINE_FIELDS,
    CALCULATION_FIELD,
    EFFECTIVE_FIELD,
    KIND_TARGETS,
    KIND_UNIT,
    POLARITY_FIELD,
    TARGET_QUARTER_FIELDS,
    TARGET_TO_DATE_FIELD,
    TEMPLATE_VERSION,
    WORKBOOK_KEY,
    TemplateMeta,
)
from pipeline.problems import Problem
from pipeline.read import split_ref
from pipeline.validate.codes import problem

NOTE_FIELD = "note"
CODE_FIELD = "code"
TARGET_FIELD = "target"
BASELINE_FIELD = "baseline"  # unit templates: last year's value to date, locked


def check_identity(meta: TemplateMeta, catalogue: Catalogue) -> list[Problem]:
    """Fatal problems with what `_meta` claims: kind, version, catalogue, unit, cell map."""
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
    if meta.kind == KIND_UNIT:
        reporting = {u.code for u in catalogue.reporting_units()}
        if meta.unit_code not in reporting:
            return [problem("unknown-unit", value=meta.unit_code or "")]
        if meta.quarter not in (1, 2, 3, 4):
            return [problem("template-meta-invalid", detail=f"triwulan {meta.quarter}")]
    detail = _map_defect(meta, catalogue)
    return [problem("template-tampered", detail=detail)] if detail else []


def _map_defect(meta: TemplateMeta, catalogue: Catalogue) -> str:
    """What is wrong with the cell map, or '' when it is what the generator writes."""
    places = Counter((c.sheet, c.cell) for c in meta.cells)
    doubled = [f"{s}!{c}" for (s, c), n in places.items() if n > 1]
    if doubled:
        return f"sel {doubled[0]} dipetakan dua kali"
    for cell in meta.cells:
        try:
            split_ref(cell.cell)
        except ValueError:
            return f"alamat sel '{cell.cell}' tidak sah"
    if meta.kind == KIND_TARGETS:
        return _targets_defect(meta, catalogue)
    return _unit_defect(meta, catalogue)


def _unit_defect(meta: TemplateMeta, catalogue: Catalogue) -> str:
    own = {v.code for v in catalogue.variables_of(meta.unit_code or "")}
    indicators = {i.code for i in catalogue.indicators}
    current = f"TW{meta.quarter}"
    for cell in meta.cells:
        given = cell.key in indicators and cell.field in _GIVEN
        if cell.key not in own and not given:
            return f"kunci '{cell.key}' bukan variabel unit ini"
        if cell.editable != (cell.field in (current, NOTE_FIELD)):
            state = "terbuka" if cell.editable else "terkunci"
            return f"sel {cell.sheet}!{cell.cell} ({cell.key} {cell.field}) {state}"
    mapped = {c.key for c in meta.cells if c.field == current}
    absent = sorted(own - mapped)
    return f"variabel {absent[0]} tidak ada di peta sel" if absent else ""


_GIVEN = (TARGET_FIELD, TARGET_TO_DATE_FIELD, BASELINE_FIELD)  # locked, set by Renvapor
_PLAN_FIELDS = (TARGET_FIELD, *TARGET_QUARTER_FIELDS, CALCULATION_FIELD, POLARITY_FIELD)


def _targets_defect(meta: TemplateMeta, catalogue: Catalogue) -> str:
    growth = {i.code for i in catalogue.indicators if i.kind == "growth"}
    indicators = {i.code for i in catalogue.indicators}
    for cell in meta.cells:
        whole = (cell.key, cell.field) == (WORKBOOK_KEY, EFFECTIVE_FIELD)
        baseline = cell.field in BASELINE_FIELDS and cell.key in growth
        known = cell.key in indicators and (cell.field in _PLAN_FIELDS or baseline)
        if not (known or whole):
            return f"kunci '{cell.key}' ({cell.field}) tidak dikenal"
        if not cell.editable:
            return f"sel {cell.sheet}!{cell.cell} terkunci"
    return ""
