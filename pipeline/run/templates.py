"""The `templates` and `fill-example` use cases: workbooks for staff, filled examples."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline import paths
from pipeline.catalogue.model import Catalogue
from pipeline.compute.targets import plans_in_effect
from pipeline.config import Config
from pipeline.contract import ContractError
from pipeline.errors import UsageError
from pipeline.fill import example_values, fill_workbook, read_meta
from pipeline.inbox.readcache import ReadCache
from pipeline.periods import ROMAN, Period
from pipeline.rencana import TargetPlan, parse_quarter
from pipeline.run.ledger import scan_in_force
from pipeline.run.scan import scan_inbox
from pipeline.templates import (
    baselines_from_values,
    generate_templates,
    prefill_from_values,
    targets_filename,
    write_targets_template,
)


@dataclass(frozen=True)
class TemplatesResult:
    """The templates written, and what the inbox gave them."""

    written: tuple[Path, ...]
    out_dir: Path
    inbox: Path | None = None
    earlier_values: int = 0  # earlier quarters' numbers shown locked
    targets: int = 0  # indicators with a target shown
    last_year: int = 0  # last year's values shown for growth indicators


def make_templates(
    catalogue: Catalogue,
    config: Config,
    period: Period,
    out_dir: Path,
    inbox: Path | None,
    *,
    empty_year: bool = False,
    ledger: Path = paths.LEDGER_DIR,
    cache: ReadCache | None = None,
) -> TemplatesResult:
    """One template per reporting unit, pre-filled from the accepted files of `inbox`.

    Refuses (UsageError) when the inbox holds no targets of the year, or no accepted file of
    an earlier quarter, unless `empty_year` says the year really starts without them:
    templates made without the year's data would lock earlier quarters empty.
    """
    prefill: dict[str, dict[tuple[str, int], float]] = {}
    targets: dict[str, TargetPlan] = {}
    baselines: dict[str, dict[int, float]] = {}
    if inbox is None and not empty_year:
        raise UsageError(_WITHOUT_INBOX.format(period=period))
    if inbox is not None:
        # The values in force: closed quarters as recorded in the ledger.
        scan = scan_in_force(inbox, catalogue, config, ledger, period, cache=cache).scan
        prefill = prefill_from_values(scan.values, period)
        targets = plans_in_effect(scan.targets, catalogue, period)
        baselines = baselines_from_values(scan.values, catalogue, period.year)
        lacking = _lacking(scan.values, period, bool(targets))
        if lacking and not empty_year:
            raise UsageError(_LACKING.format(inbox=inbox, period=period, lacking=lacking))
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


_WITHOUT_INBOX = (
    "Template {period} dibuat dari kiriman yang sudah diterima: sebutkan folder kotak masuk "
    "dengan --inbox FOLDER (make templates memakai INBOX). Bila tahun ini memang dimulai tanpa "
    "target dan tanpa data, tambahkan --tanpa-data-sebelumnya."
)
_LACKING = (
    "Di {inbox} tidak ada {lacking}, jadi template {period} akan menampilkan triwulan "
    "sebelumnya kosong dan terkunci. Periksa folder --inbox (atau INBOX pada make), atau bila "
    "memang belum ada datanya, tambahkan --tanpa-data-sebelumnya: sel triwulan sebelumnya yang "
    "kosong lalu dapat diisi unit (isian susulan)."
)


def _lacking(values: pd.DataFrame, period: Period, has_targets: bool) -> str:
    """What the inbox lacks for a quarter's templates ('' when nothing), in Indonesian."""
    reported = set(values.loc[values["year"] == period.year, "quarter"].astype(int))
    missing = [q for q in range(1, period.quarter) if q not in reported]
    parts = [] if has_targets else [f"target tahun {period.year}"]
    if missing:
        quarters = ", ".join(f"TW {ROMAN[q]}" for q in missing)
        parts.append(f"kiriman diterima untuk {quarters} {period.year}")
    return " dan ".join(parts)


@dataclass(frozen=True)
class TargetsTemplateResult:
    """The targets workbook written, and what the inbox gave it."""

    path: Path
    inputs: int  # cells to fill
    inbox: Path | None = None
    targets: int = 0  # indicators pre-filled with the targets in effect


def make_targets_template(
    catalogue: Catalogue,
    config: Config,
    year: int,
    effective: str,
    inbox: Path | None,
    out: Path | None,
) -> TargetsTemplateResult:
    """The year's targets workbook from `effective` (TW1: murni; TW2-TW4: a revision).

    With an inbox, every cell starts from the targets in effect now for each quarter (and
    last year's quarters for growth): Renvapor changes only what the revision changes.
    """
    quarter = parse_quarter(effective)
    if quarter is None:
        raise UsageError(
            f"--berlaku-mulai '{effective}' tidak dikenal: tulis TW1, TW2, TW3 atau TW4."
        )
    targets: dict[str, TargetPlan] = {}
    baselines: dict[str, dict[int, float]] = {}
    if inbox is not None:
        scan = scan_inbox(inbox, catalogue, config)
        targets = plans_in_effect(scan.targets, catalogue, Period(year, 4))
        baselines = baselines_from_values(scan.values, catalogue, year)
    path = out or paths.TEMPLATES_DIR / targets_filename(year, quarter)
    meta = write_targets_template(
        path,
        catalogue,
        year,
        targets=targets,
        baselines=baselines,
        effective_from=quarter,
        config=config,
    )
    return TargetsTemplateResult(path, len(meta.inputs()), inbox, len(targets))


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
