"""An exclusive lock on a folder's output, held by one process at a time.

The operating system releases the lock when its process ends, however it ends (also on
SIGKILL), so a crashed run never blocks the next one. Linux and macOS: `fcntl.flock`;
Windows: `msvcrt.locking` on the lock file's first byte. The lock file itself stays: removing
it while another process waits on it would let two processes hold "the" lock at once.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from pipeline.errors import OutputBusyError

POLL_SECONDS = 0.1


def _try_lock(fd: int) -> bool:
    """Take the lock without waiting; False when another process holds it."""
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


@contextlib.contextmanager
def exclusive(
    lock_file: Path, what: Path, *, wait: float, on_wait: Callable[[], None] | None = None
) -> Iterator[None]:
    """Hold the lock of lock_file while the block runs; wait up to `wait` seconds for it.

    what: the folder the lock protects, named in the message when the wait runs out.
    on_wait: called once when another process holds the lock (to tell the user).
    """
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        _acquire(fd, what, wait, on_wait)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


def _acquire(fd: int, what: Path, wait: float, on_wait: Callable[[], None] | None) -> None:
    if _try_lock(fd):
        return
    if on_wait is not None:
        on_wait()
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        if _try_lock(fd):
            return
    raise OutputBusyError(
        f"folder {what} sedang ditulis oleh proses iki lain dan belum selesai setelah "
        f"{wait:g} detik; tunggu proses itu selesai lalu jalankan ulang"
    )
