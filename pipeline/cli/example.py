"""The `--contoh` option: run a command on the example inbox shipped inside the package."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from click.core import ParameterSource

from pipeline import paths
from pipeline.errors import UsageError

F = TypeVar("F", bound=Callable[..., Any])


def example_option(func: F) -> F:
    """Add `--contoh` to a command that also has `--inbox`."""
    return click.option(
        "--contoh",
        "example",
        is_flag=True,
        help="Pakai kotak masuk contoh bawaan (kantor contoh tahun 2018), dari folder mana pun.",
    )(func)


def chosen_inbox(inbox: Path, example: bool) -> Path:
    """The example inbox when `--contoh` is given (never together with `--inbox`)."""
    if not example:
        return inbox
    if click.get_current_context().get_parameter_source("inbox") == ParameterSource.COMMANDLINE:
        raise UsageError("pilih salah satu: --inbox atau --contoh")
    return paths.EXAMPLE_INBOX_DIR
