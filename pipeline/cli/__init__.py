"""The `iki` command: a thin shell over the pipeline's stages."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import click

from pipeline import __version__
from pipeline.cli import click_indonesian
from pipeline.cli.common import guarded

# click's own messages (usage, help, errors) in Indonesian, before any command is defined.
click_indonesian.install()

# Each command is imported only when it runs: `iki report` does not pay for the template
# writer's imports (click's documented lazy-group pattern).
COMMANDS = {
    "catalog": "pipeline.cli.catalog:catalog",
    "close": "pipeline.cli.ledger:close",
    "collect": "pipeline.cli.collect:collect",
    "fill-example": "pipeline.cli.templates:fill_example",
    "reopen": "pipeline.cli.ledger:reopen",
    "report": "pipeline.cli.report:report",
    "send": "pipeline.cli.send:send",
    "targets-template": "pipeline.cli.templates:targets_template",
    "terima": "pipeline.cli.by_hand:terima",
    "templates": "pipeline.cli.templates:templates",
    "validate": "pipeline.cli.validate:validate",
}


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command name, sorted."""
        return sorted([*super().list_commands(ctx), *COMMANDS])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Import the command's module when it is asked for."""
        if cmd_name not in COMMANDS:
            return super().get_command(ctx, cmd_name)
        module, _, attribute = COMMANDS[cmd_name].partition(":")
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command)
        return click_indonesian.localize(command)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command under the one guard: a message and a truthful exit code."""
        with guarded():
            return super().invoke(ctx)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="iki")
@click.option("--debug", is_flag=True, help="Tampilkan traceback lengkap saat terjadi galat.")
@click.option(
    "--katalog",
    "catalogue",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Berkas katalog lain (bawaan: katalog keputusan 2018).",
)
@click.option(
    "--tanpa-cache",
    "no_cache",
    is_flag=True,
    help="Periksa katalog lengkap setiap kali, tanpa mengingat pemeriksaan yang sudah lolos "
    "(cache di $XDG_CACHE_HOME/iki-pipeline, bawaan ~/.cache/iki-pipeline).",
)
@click.pass_context
def main(ctx: click.Context, debug: bool, catalogue: Path | None, no_cache: bool) -> None:
    """IKI Pipeline: Indikator Kinerja Individu Dinas Tenaga Kerja Kabupaten Malang."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    ctx.obj["catalogue"] = catalogue
    ctx.obj["no_cache"] = no_cache


click_indonesian.localize(main)
