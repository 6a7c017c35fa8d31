"""The `iki` command: a thin shell over the pipeline's stages."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline import __version__
from pipeline.cli.catalog import catalog
from pipeline.cli.collect import collect
from pipeline.cli.report import report
from pipeline.cli.templates import fill_example, targets_template, templates
from pipeline.cli.validate import validate


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="iki")
@click.option("--debug", is_flag=True, help="Tampilkan traceback lengkap saat terjadi galat.")
@click.option(
    "--katalog",
    "catalogue",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Berkas katalog lain (bawaan: katalog keputusan 2018).",
)
@click.pass_context
def main(ctx: click.Context, debug: bool, catalogue: Path | None) -> None:
    """IKI Pipeline: Indikator Kinerja Individu Dinas Tenaga Kerja Kabupaten Malang."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    ctx.obj["catalogue"] = catalogue


main.add_command(catalog)
main.add_command(report)
main.add_command(templates)
main.add_command(targets_template)
main.add_command(fill_example)
main.add_command(collect)
main.add_command(validate)
