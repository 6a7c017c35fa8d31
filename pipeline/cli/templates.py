"""`iki templates`, `iki targets-template`, `iki fill-example`: workbooks staff fill."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline import paths
from pipeline.cli.common import (
    catalogue_from_context,
    handle_errors,
    ledger_option,
    read_cache_from_context,
)
from pipeline.config import load_config
from pipeline.periods import Period
from pipeline.run.templates import fill_examples, make_targets_template, make_templates


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
@click.option(
    "--tanpa-data-sebelumnya",
    "empty_year",
    is_flag=True,
    help="Tahun ini memang dimulai tanpa target atau data triwulan sebelumnya: buat juga.",
)
@ledger_option
@handle_errors
def templates(
    period_text: str, out: Path | None, inbox: Path | None, empty_year: bool, ledger: Path
) -> None:
    """Buat template isian triwulan: satu berkas Excel per unit kerja."""
    period = Period.parse(period_text)
    out_dir = out or paths.TEMPLATES_DIR / str(period)
    result = make_templates(
        catalogue_from_context(),
        load_config(),
        period,
        out_dir,
        inbox,
        empty_year=empty_year,
        ledger=ledger,
        cache=read_cache_from_context(),
    )
    if result.inbox is not None:
        click.echo(
            f"Dari {result.inbox}: {result.earlier_values} angka triwulan sebelumnya, "
            f"{result.targets} target, {result.last_year} angka tahun lalu untuk indikator "
            "pertumbuhan.",
            err=True,
        )
    for path in result.written:
        click.echo(str(path))
    click.echo(f"{len(result.written)} template {period.label} ditulis ke {out_dir}", err=True)


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
    result = make_targets_template(
        catalogue_from_context(), load_config(), year, effective, inbox, out
    )
    if result.inbox is not None:
        click.echo(
            f"Dari {result.inbox}: target {result.targets} indikator yang berlaku.", err=True
        )
    click.echo(str(result.path))
    click.echo(f"Template target {year}: {result.inputs} sel isian.", err=True)


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
    for dst, count in fill_examples(sources, seed, out, catalogue_from_context()):
        click.echo(f"{dst} ({count} sel)")
