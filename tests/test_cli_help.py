"""Every command explains itself (sqlite-utils' test_docs idea)."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from pipeline.cli import main


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        path = (*prefix, name)
        found.append(path)
        if isinstance(command, click.Group):
            found += _commands(command, path)
    return found


COMMANDS = _commands(main)


def test_the_main_commands_exist() -> None:
    names = {" ".join(c) for c in COMMANDS}
    assert {
        "catalog check",
        "catalog export",
        "templates",
        "targets-template",
        "fill-example",
        "collect",
        "validate",
        "report",
    } <= names


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help(command: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"])
    assert result.exit_code == 0
    target: click.Command | None = main
    for name in command:
        assert isinstance(target, click.Group)
        target = target.get_command(click.Context(target), name)
    assert target is not None
    assert target.help, f"{' '.join(command)} has no help text"
    first_line = target.help.strip().splitlines()[0]
    assert " ".join(first_line.split()) in " ".join(result.output.split())


def test_unknown_command_is_a_usage_error() -> None:
    assert CliRunner().invoke(main, ["laporan"]).exit_code == 2
