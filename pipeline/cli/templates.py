"""`iki templates`, `iki targets-template`, `iki fill-example`: workbooks staff fill."""

from __future__ import annotations

import random
from pathlib import Path

import click

from pipeline import paths
from pipeline.cli.common import catalogue_from_context, handle_errors
from pipeline.config import load_config
from pipeline.contract import ContractError
from pipeline.errors import UsageError
from pipeline.fill import example_values, fill_workbook, read_meta
from pipeline.periods import Period
from pipeline.rencana import TargetPlan, parse_quarter
from pipeline.templates import (
    baselines_from_values,
    generate_templates,
    prefill_from_values,
    targets_filename,
    targets_from_frame,
    write_targets_template,
)


@click.command()
@click.option("--period", "period_text", required=True, help="Periode, misalnya 2018-TW2.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder keluaran (bawaan: input_templates/PERIODE/).",
)
@click.option(
    "--inbox",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Isi triwulan sebelumnya dan target dari kiriman yang diterima di folder ini.",
)
@handle_errors
def templates(period_text: str, out: Path | None, inbox: Path | None) -> None:
    """Buat template isian triwulan: satu berkas Excel per unit kerja."""
    period = Period.parse(period_text)
    catalogue = catalogue_from_context()
    config = load_config()
    prefill: dict[str, dict[tuple[str, int], float]] = {}
    targets: dict[str, TargetPlan] = {}
    baselines: dict[str, dict[int, float]] = {}
    if inbox is not None:
        from pipeline.inbox import scan_inbox  # the inbox scan is only needed here

        scan = scan_inbox(inbox, catalogue, config)
        prefill = prefill_from_values(scan.values, period)
        targets = targets_from_frame(scan.targets, catalogue, period)
        baselines = baselines_from_values(scan.values, catalogue, period.year)
        count = sum(len(v) for v in prefill.values())
        previous = sum(len(v) for v in baselines.values())
        click.echo(
            f"Dari {inbox}: {count} angka triwulan sebelumnya, {len(targets)} target, "
            f"{previous} angka tahun lalu untuk indikator pertumbuhan.",
            err=True,
        )
    out_dir = out or paths.TEMPLATES_DIR / str(period)
    written = generate_templates(
        catalogue,
        period,
        out_dir,
        prefill=prefill,
        targets=targets,
        baselines=baselines,
        config=config,
    )
    for path in written:
        click.echo(str(path))
    click.echo(f"{len(written)} template {period.label} ditulis ke {out_dir}", err=True)


@click.command("targets-template")
@click.option("--year", type=int, required=True, help="Tahun target, misalnya 2018.")
@click.option(
    "--berlaku-mulai",
    "effective",
    default="TW1",
    show_default=True,
    help="Triwulan pertama yang memakai target berkas ini: TW1 untuk target murni, TW2-TW4 "
    "untuk target perubahan.",
)
@click.option(
    "--inbox",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Isi dengan target yang kini berlaku untuk tiap triwulan dan realisasi tahun lalu "
    "dari kiriman di folder ini (untuk membuat target perubahan).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Berkas keluaran (bawaan: input_templates/Target_IKI_TAHUN.xlsx, atau "
    "Target_IKI_TAHUN_perubahan_TWn.xlsx).",
)
@handle_errors
def targets_template(year: int, effective: str, inbox: Path | None, out: Path | None) -> None:
    """Buat buku kerja Rencana Aksi (target triwulan dan tahunan IKI) untuk diisi Renvapor."""
    quarter = parse_quarter(effective)
    if quarter is None:
        raise UsageError(
            f"--berlaku-mulai '{effective}' tidak dikenal: tulis TW1, TW2, TW3 atau TW4."
        )
    catalogue = catalogue_from_context()
    config = load_config()
    targets: dict[str, TargetPlan] = {}
    baselines: dict[str, dict[int, float]] = {}
    if inbox is not None:
        from pipeline.inbox import scan_inbox  # the inbox scan is only needed here

        scan = scan_inbox(inbox, catalogue, config)
        # Every quarter's target as it stands: Renvapor changes only what the revision changes.
        targets = targets_from_frame(scan.targets, catalogue, Period(year, 4))
        baselines = baselines_from_values(scan.values, catalogue, year)
        click.echo(f"Dari {inbox}: target {len(targets)} indikator yang berlaku.", err=True)
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
    click.echo(str(path))
    click.echo(f"Template target {year}: {len(meta.inputs())} sel isian.", err=True)


def _sources(sources: tuple[Path, ...]) -> list[Path]:
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


@click.command("fill-example")
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--seed", type=int, default=0, show_default=True, help="Benih angka acak.")
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder tujuan berkas yang sudah diisi.",
)
@handle_errors
def fill_example(sources: tuple[Path, ...], seed: int, out: Path) -> None:
    """Isi template dengan angka contoh yang masuk akal, lewat kontrak _meta."""
    catalogue = catalogue_from_context()
    for src in _sources(sources):
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
        click.echo(f"{dst} ({len(values)} sel)")
