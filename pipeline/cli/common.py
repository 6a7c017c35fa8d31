"""Shared CLI plumbing: every failure becomes one Indonesian message and a truthful exit code.

Exit codes (README, docs/exit-codes.md):
  0 clean; 1 the work was done but data problems remain; 2 wrong command or arguments (also a
  missing inbox folder or a broken catalogue); 3 internal error: a bug, the traceback is in a
  log file; 4 an output cannot be written (full disk, no permission, folder busy);
  130 stopped with Ctrl+C; 143 stopped with SIGTERM.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import platform
import signal
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from pipeline import __version__, paths
from pipeline.errors import IkiError, OutputError
from pipeline.filenames import shown_name
from pipeline.oserrors import os_reason

EXIT_OK, EXIT_DATA_PROBLEMS, EXIT_USAGE, EXIT_INTERNAL, EXIT_OUTPUT = 0, 1, 2, 3, 4
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143  # 128 + the signal, as shells report it
LOG_DIR_ENV = "IKI_LOG_DIR"  # where internal-error logs go (default: logs/)

if TYPE_CHECKING:
    from pipeline.catalogue import Catalogue
    from pipeline.inbox.readcache import ReadCache

F = TypeVar("F", bound=Callable[..., Any])


class Terminated(BaseException):
    """SIGTERM arrived: unwind like Ctrl+C so every temporary file is removed on the way."""


@contextlib.contextmanager
def guarded() -> Iterator[None]:
    """Run a command; turn whatever escapes it into a message and an exit code."""
    previous = _catch_sigterm()
    try:
        yield
    except (click.exceptions.Exit, click.ClickException, click.Abort, BrokenPipeError):
        raise  # click's own endings, and a closed pipe (`iki validate | head`) click handles
    except KeyboardInterrupt:
        _stop("Dihentikan dengan Ctrl+C; keluaran yang belum selesai dibuang.", EXIT_INTERRUPTED)
    except Terminated:
        _stop("Dihentikan (SIGTERM); keluaran yang belum selesai dibuang.", EXIT_TERMINATED)
    except IkiError as exc:
        _debug_traceback(exc)
        _stop(f"Galat: {exc}", EXIT_OUTPUT if isinstance(exc, OutputError) else EXIT_USAGE)
    except OSError as exc:
        _crash(exc, f"Galat sistem berkas: {os_reason(exc)} ({exc.filename or '?'}).", EXIT_OUTPUT)
    except Exception as exc:
        name = type(exc).__name__
        _crash(
            exc, f"Galat internal: kesalahan program yang tidak terduga ({name}).", EXIT_INTERNAL
        )
    finally:
        _restore_sigterm(previous)


def handle_errors(func: F) -> F:
    """Guard one command (the `iki` group guards every command too; nesting is harmless)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with guarded():
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _stop(message: str, code: int) -> NoReturn:
    click.echo(shown_name(message), err=True)
    click.get_current_context().exit(code)
    raise AssertionError("unreachable")  # ctx.exit raises


def _crash(exc: BaseException, message: str, code: int) -> NoReturn:
    """Say what happened in one line, keep the traceback in a log file, exit with code."""
    _debug_traceback(exc)
    log = write_log(exc)
    where = (
        f"Rincian teknis disimpan di {log}; kirim berkas itu ke pengelola aplikasi."
        if log
        else "Rincian teknis tidak dapat disimpan; jalankan ulang dengan `iki --debug ...`."
    )
    _stop(f"{message}\n{where}", code)


def _debug_traceback(exc: BaseException) -> None:
    """With `iki --debug`, the full traceback on stderr (the exit code stays the same)."""
    obj = click.get_current_context().find_root().obj or {}
    if obj.get("debug"):
        click.echo("".join(traceback.format_exception(exc)).rstrip(), err=True)


def log_dir() -> Path:
    """The folder of internal-error logs: $IKI_LOG_DIR, else logs/ in the working folder."""
    return Path(os.environ.get(LOG_DIR_ENV) or paths.LOG_DIR)


def write_log(exc: BaseException) -> Path | None:
    """Write the traceback and the command line to a new log file; None if nothing can."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    text = "\n".join(
        [
            f"iki {__version__}, Python {platform.python_version()}, {platform.platform()}",
            f"waktu: {dt.datetime.now().astimezone().isoformat(timespec='seconds')}",
            f"perintah: {' '.join(sys.argv)}",
            "",
            "".join(traceback.format_exception(exc)),
        ]
    )
    for folder in (log_dir(), Path(tempfile.gettempdir())):
        path = folder / f"iki-galat-{stamp}-{os.getpid()}.log"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", errors="backslashreplace")
        except OSError:
            continue
        return path
    return None


def _catch_sigterm() -> Any:
    """Make SIGTERM unwind the stack (its default kills at once, temporary files left)."""

    owner = os.getpid()

    def terminated(signum: int, frame: FrameType | None) -> None:
        if os.getpid() != owner:  # a forked reader process (--jobs): die as SIGTERM says
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        raise Terminated

    try:
        return signal.signal(signal.SIGTERM, terminated)
    except ValueError:  # not the main thread: leave signals alone
        return None


def _restore_sigterm(previous: Any) -> None:
    if previous is not None:
        signal.signal(signal.SIGTERM, previous)


def catalogue_from_context() -> Catalogue:
    """Load the catalogue chosen with `iki --katalog FILE`, or the bundled one."""
    from pipeline.catalogue import load_catalogue  # `iki --help` need not load pandera

    obj = click.get_current_context().find_root().obj or {}
    path = obj.get("catalogue")
    cache = None if obj.get("no_cache") else paths.cache_dir()
    if path is None:
        return load_catalogue(cache=cache)
    return load_catalogue(path, path.parent / paths.DECREE_FILE.name, cache=cache)


def read_cache_from_context() -> ReadCache | None:
    """The cache of files already read (pipeline.inbox.readcache); None with --tanpa-cache."""
    from pipeline.inbox.readcache import ReadCache

    obj = click.get_current_context().find_root().obj or {}
    return None if obj.get("no_cache") else ReadCache(paths.cache_dir())


def inbox_option(help_text: str) -> Callable[[F], F]:
    """The `--inbox` option that reads or fills the inbox folder (default `inbox/`)."""
    return click.option(
        "--inbox",
        type=click.Path(file_okay=False, path_type=Path),
        default=paths.INBOX_DIR,
        show_default=True,
        help=help_text,
    )


def ledger_option(func: F) -> F:
    """The `--ledger` option: the folder of closed quarters (default `ledger/`)."""
    return click.option(
        "--ledger",
        type=click.Path(file_okay=False, path_type=Path),
        default=paths.LEDGER_DIR,
        show_default=True,
        help="Folder buku besar triwulan yang sudah ditutup (di luar kotak masuk).",
    )(func)
