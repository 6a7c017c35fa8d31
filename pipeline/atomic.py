"""Write files atomically: a crash never leaves half a file in place of the last good one."""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from pipeline.errors import OutputError
from pipeline.oserrors import os_cause, os_reason


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside target; on success rename it over target.

    Any OS failure while writing (a full disk, no permission), also one a writer library
    wraps in its own exception, becomes an OutputError with the reason in Indonesian; the
    temporary file is removed on every way out.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(
            prefix=f".{target.stem}.", suffix=target.suffix, dir=target.parent
        )
        os.close(fd)
    except OSError as exc:
        reason = os_reason(exc)
        raise OutputError(
            f"tidak dapat menulis ke folder {target.parent}: {reason}", path=target, reason=reason
        ) from exc
    temp = Path(name)
    try:
        yield temp
        # mkstemp creates the file private (0600); give it the permissions of a normal file.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, target)
    except Exception as exc:
        _raise_as_output_error(exc, target)
        raise
    finally:
        temp.unlink(missing_ok=True)


def _raise_as_output_error(exc: Exception, target: Path) -> None:
    """Raise an OutputError naming target when an OS failure is behind exc; else return."""
    cause = os_cause(exc)
    if cause is None or isinstance(exc, OutputError):
        return
    reason = os_reason(cause)
    raise OutputError(
        f"tidak dapat menulis {target}: {reason}", path=target, reason=reason
    ) from exc


@contextlib.contextmanager
def atomic_bytes(target: Path, mode: int | None = None) -> Iterator[io.BytesIO]:
    """Yield a buffer to build a whole file in; then write it to target atomically.

    For zip writers (xlsxwriter, openpyxl): one that fails on a full disk leaves its zip
    open, and when Python later collects it, closing fails again and prints a traceback.
    Built in memory, the file reaches the disk in one plain write that fails cleanly.
    mode: the file's permissions (default: a normal file's, as the umask says).
    """
    buffer = io.BytesIO()
    try:
        yield buffer
    except Exception as exc:  # the writer's own temporary files can meet a full disk too
        _raise_as_output_error(exc, target)
        raise
    with atomic_path(target) as temp:
        temp.write_bytes(buffer.getvalue())
        if mode is not None:
            temp.chmod(mode)
