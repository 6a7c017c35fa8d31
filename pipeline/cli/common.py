"""Shared CLI plumbing: turning program failures into one clean message and an exit code."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from pipeline import paths
from pipeline.catalogue import Catalogue, load_catalogue
from pipeline.errors import IkiError

EXIT_OK, EXIT_DATA_PROBLEMS, EXIT_USAGE = 0, 1, 2

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(func: F) -> F:
    """Print an IkiError as a message (traceback only with --debug) and exit with code 2."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except IkiError as exc:
            ctx = click.get_current_context()
            if ctx.find_root().obj and ctx.find_root().obj.get("debug"):
                raise
            click.echo(f"Galat: {exc}", err=True)
            ctx.exit(EXIT_USAGE)

    return wrapper  # type: ignore[return-value]


def catalogue_from_context() -> Catalogue:
    """Load the catalogue chosen with `iki --katalog FILE`, or the bundled one."""
    obj = click.get_current_context().find_root().obj or {}
    path = obj.get("catalogue")
    cache = None if obj.get("no_cache") else paths.cache_dir()
    if path is None:
        return load_catalogue(cache=cache)
    return load_catalogue(path, path.parent / paths.DECREE_FILE.name, cache=cache)


def inbox_option(help_text: str) -> Callable[[F], F]:
    """The `--inbox` option that reads or fills the inbox folder (default `inbox/`)."""
    return click.option(
        "--inbox",
        type=click.Path(file_okay=False, path_type=Path),
        default=paths.INBOX_DIR,
        show_default=True,
        help=help_text,
    )
