"""Generate the quarter's templates: one workbook per reporting unit."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from pipeline.atomic import atomic_bytes
from pipeline.catalogue.model import Catalogue
from pipeline.config import Config
from pipeline.periods import Period
from pipeline.rencana import TargetPlan
from pipeline.templates.common import now_text
from pipeline.templates.unit import write_unit_template

Prefill = Mapping[str, Mapping[tuple[str, int], float]]


def file_part(text: str) -> str:
    """Text as a file-name part: words joined by '_', only letters, digits and '-'."""
    return "_".join(re.sub(r"[^0-9A-Za-z-]+", " ", text).split())


def template_filename(catalogue: Catalogue, unit_code: str, period: Period) -> str:
    """A name a person recognises, e.g. IKI_2018_TW2_Seksi_Penempatan_Tenaga_Kerja.xlsx."""
    return f"IKI_{period.slug}_{file_part(catalogue.unit(unit_code).nama)}.xlsx"


def generate_templates(
    catalogue: Catalogue,
    period: Period,
    out_dir: Path,
    *,
    prefill: Prefill | None = None,
    targets: Mapping[str, float | TargetPlan] | None = None,
    config: Config | None = None,
    generated_at: str | None = None,
    baselines: Mapping[str, Mapping[int, float]] | None = None,
) -> list[Path]:
    """Write one template per reporting unit into out_dir; return their paths.

    prefill: unit code -> {(variable code, quarter): value} for earlier quarters.
    targets: indicator code -> its plan in effect (pipeline.compute.targets.plans_in_effect)
    or an annual target alone. baselines: growth indicator -> {quarter: last
    year's value of its variable in that quarter}; the IKI sheet shows last year's to date.
    """
    config = config or Config()
    stamp = generated_at or now_text()
    written = []
    for unit in catalogue.reporting_units():
        path = out_dir / template_filename(catalogue, unit.code, period)
        with atomic_bytes(path) as buffer:
            write_unit_template(
                buffer,
                catalogue,
                unit.code,
                period,
                prefill=(prefill or {}).get(unit.code, {}),
                targets=targets or {},
                baselines=baselines or {},
                config=config,
                generated_at=stamp,
            )
        written.append(path)
    return written
