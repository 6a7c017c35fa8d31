"""Write files atomically: a crash never leaves half a file in place of the last good one."""

from __future__ import annotations

import contextlib
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
        raise OutputError(
            f"tidak dapat menulis ke folder {target.parent}: {os_reason(exc)}"
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
        cause = os_cause(exc)
        if cause is None or isinstance(exc, OutputError):
            raise
        reason = os_reason(cause)
        raise OutputError(
            f"tidak dapat menulis {target}: {reason}", path=target, reason=reason
        ) from exc
    finally:
        temp.unlink(missing_ok=True)
