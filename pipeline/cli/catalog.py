"""`iki catalog`: check and export the catalogue."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import click

from pipeline.atomic import atomic_path
from pipeline.catalogue.export import catalogue_frame, write_catalogue_xlsx
from pipeline.catalogue.model import KIND_LABELS
from pipeline.cli.common import catalogue_from_context, handle_errors
from pipeline.csvsafe import write_csv
from pipeline.errors import UsageError


@click.group()
def catalog() -> None:
    """Katalog IKI: jabatan, variabel, indikator dari keputusan 2018."""


@catalog.command()
@handle_errors
def check() -> None:
    """Muat dan periksa katalog; cetak ringkasan dan temuan atas keputusan."""
    cat = catalogue_from_context()
    kinds = Counter(i.kind for i in cat.indicators)
    click.echo(f"Katalog {cat.catalogue_id} (hash {cat.content_hash[:12]}): valid.")
    click.echo(f"Unit kerja: {len(cat.units)} ({len(cat.reporting_units())} unit pelapor)")
    click.echo(f"Jabatan: {len(cat.positions)}")
    click.echo(f"Indikator: {len(cat.indicators)}")
    for kind, label in KIND_LABELS.items():
        click.echo(f"  {label} ({kind}): {kinds.get(kind, 0)}")
    click.echo(f"Variabel: {len(cat.variables)}")
    for unit in cat.reporting_units():
        click.echo(f"  {unit.code:<4} {unit.nama}: {len(cat.variables_of(unit.code))}")
    click.echo(f"Temuan atas keputusan: {len(cat.findings)}")
    for f in cat.findings:
        click.echo(f"  [{f.code}] {f.ref}: {f.temuan}")


@catalog.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "xlsx"]),
    default="csv",
    show_default=True,
    help="Format keluaran.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Berkas keluaran (CSV: bawaan ke layar).",
)
@handle_errors
def export(fmt: str, output: Path | None) -> None:
    """Ekspor katalog: satu baris per indikator (CSV) atau lampiran berformat (XLSX)."""
    cat = catalogue_from_context()
    if fmt == "csv":
        frame = catalogue_frame(cat)
        if output is None:
            write_csv(frame, sys.stdout)
        else:
            with atomic_path(output) as temp:
                write_csv(frame, temp)
            click.echo(f"Katalog ditulis ke {output}", err=True)
        return
    if output is None:
        raise UsageError("format xlsx memerlukan --output BERKAS.xlsx")
    write_catalogue_xlsx(cat, output)
    click.echo(f"Katalog ditulis ke {output}", err=True)
