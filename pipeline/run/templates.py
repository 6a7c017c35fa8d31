"""The `templates` and `fill-example` use cases: workbooks for staff, filled examples."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.catalogue.model import Catalogue
from pipeline.config import Config
from pipeline.contract import ContractError
from pipeline.errors import UsageError
from pipeline.fill import example_values, fill_workbook, read_meta
from pipeline.periods import Period
from pipeline.run.scan import scan_inbox
from pipeline.templates import (
    baselines_from_values,
    generate_templates,
    prefill_from_values,
    targets_from_frame,
)


@dataclass(frozen=True)
class TemplatesResult:
    """The templates written, and what the inbox gave them."""

    written: tuple[Path, ...]
    out_dir: Path
    inbox: Path | None = None
    earlier_values: int = 0  # earlier quarters' numbers shown locked
    targets: int = 0  # annual targets shown
    last_year: int = 0  # last year's values shown for growth indicators


def make_templates(
    catalogue: Catalogue, config: Config, period: Period, out_dir: Path, inbox: Path | None
) -> TemplatesResult:
    """One template per reporting unit, pre-filled from the accepted files of `inbox`."""
    prefill: dict[str, dict[tuple[str, int], float]] = {}
    targets: dict[str, float] = {}
    baselines: dict[str, dict[int, float]] = {}
    if inbox is not None:
        scan = scan_inbox(inbox, catalogue, config)
        prefill = prefill_from_values(scan.values, period)
        targets = targets_from_frame(scan.targets, period.year)
        baselines = baselines_from_values(scan.values, catalogue, period.year)
    written = generate_templates(
        catalogue,
        period,
        out_dir,
        prefill=prefill,
        targets=targets,
        baselines=baselines,
        config=config,
    )
    return TemplatesResult(
        written=tuple(written),
        out_dir=out_dir,
        inbox=inbox,
        earlier_values=sum(len(v) for v in prefill.values()),
        targets=len(targets),
        last_year=sum(len(v) for v in baselines.values()),
    )


def fill_examples(
    sources: Sequence[Path], seed: int, out: Path, catalogue: Catalogue
) -> list[tuple[Path, int]]:
    """Fill each template with plausible values through the contract; (file, cells filled)."""
    filled = []
    for src in _workbooks(sources):
        dst = out / src.name
        if dst.resolve() == src.resolve():
            raise UsageError(f"{src} akan tertimpa: pilih folder --out lain")
        try:
            meta = read_meta(src)
        except ContractError as exc:
            raise UsageError(f"{src} bukan template IKI: {exc}") from exc
        rng = random.Random(f"{seed}:{meta.kind}:{meta.unit_code}:{meta.period}")
        values = example_values(meta, catalogue, rng)
        fill_workbook(src, dst, values)
        filled.append((dst, len(values)))
    return filled


def _workbooks(sources: Sequence[Path]) -> list[Path]:
    files: list[Path] = []
    for source in sources:
        if source.is_dir():
            files.extend(
                p for p in sorted(source.glob("*.xlsx")) if not p.name.startswith(("~$", "."))
            )
        else:
            files.append(source)
    if not files:
        raise UsageError("tidak ada berkas .xlsx untuk diisi")
    return files
