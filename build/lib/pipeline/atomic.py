"""Write files atomically: a crash never leaves half a file in place of the last good one."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from pipeline.errors import OutputError


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside target; on success rename it over target."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(
            prefix=f".{target.stem}.", suffix=target.suffix, dir=target.parent
        )
        os.close(fd)
    except OSError as exc:
        raise OutputError(f"tidak dapat menulis ke folder {target.parent}: {exc}") from exc
    temp = Path(name)
    try:
        yield temp
        # mkstemp creates the file private (0600); give it the permissions of a normal file.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, target)
    except OSError as exc:
        raise OutputError(f"tidak dapat menulis {target}: {exc}") from exc
    finally:
        temp.unlink(missing_ok=True)
