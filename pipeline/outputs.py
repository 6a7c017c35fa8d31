"""Write the outputs of one run as a set: they appear together, or none of them does.

The files are written into a hidden staging folder beside the destination folder
(`.<name>.new-<run>`), then swapped in with two renames: the destination becomes
`.<name>.old-<run>`, the staging folder takes its name, and the old folder is removed. Files
a user keeps in the destination (a signed PDF) are carried over first (hard link, else copy).
So at every instant the destination holds one complete set, or, between the two renames,
does not exist.

A lock serialises runs into the same folder. Before writing, and on every way out, a run
settles what an interrupted run left: a staging folder is removed; an old folder whose swap
did not finish is put back in place, or removed once the swap is done. Ctrl+C and SIGTERM
are held during the swap and the clean-up, so neither is cut in half.
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
import signal
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import FrameType

from pipeline.errors import OutputError
from pipeline.lock import exclusive
from pipeline.oserrors import os_reason

STAGING, RETIRED = "new", "old"
LOCK_WAIT_SECONDS = 120.0


@contextlib.contextmanager
def output_set(
    folder: Path,
    names: Sequence[str],
    *,
    wait: float = LOCK_WAIT_SECONDS,
    on_wait: Callable[[], None] | None = None,
    ours: Sequence[str] = (),
) -> Iterator[Path]:
    """Yield a staging folder to write `names` into; once all are there, make it `folder`.

    wait: seconds to wait for another run writing into the same folder (then OutputBusyError).
    on_wait: called once if that other run holds the folder.
    ours: names this program writes on other runs (the PDFs of `iki report --pdf`): never
    carried over from the old folder as a user's file, so no stale one stays beside new ones.
    """
    if os.path.lexists(folder) and not folder.is_dir():
        raise OutputError(f"{folder} sudah ada dan bukan folder; pilih folder keluaran lain")
    lock_file = folder.parent / f".{folder.name}.lock"
    try:
        with exclusive(lock_file, folder, wait=wait, on_wait=on_wait):
            with _shielded():
                settle(folder)
            run = uuid.uuid4().hex[:12]
            staging = _sibling(folder, STAGING, run)
            try:
                staging.mkdir()
                yield staging
                _check_complete(staging, names)
                _carry_over(folder, staging, [*names, *ours])
                with _shielded():
                    _swap(staging, folder, _sibling(folder, RETIRED, run))
            except OutputError as exc:
                if exc.path is None or exc.path.parent != staging:
                    raise
                final = folder / exc.path.name  # name the file the user will look for
                raise OutputError(
                    f"tidak dapat menulis {final}: {exc.reason}", path=final, reason=exc.reason
                ) from exc
            finally:
                with _shielded():
                    settle(folder)
    except OSError as exc:
        hint = (
            "; bila laporan sedang dibuka (misalnya di Excel), tutup dulu"
            if isinstance(exc, PermissionError)
            else ""
        )
        raise OutputError(
            f"tidak dapat menulis keluaran ke {folder}: {os_reason(exc)}{hint}"
        ) from exc


def settle(folder: Path) -> None:
    """Finish or undo what an interrupted run left beside folder (call under the lock)."""
    retired = sorted(_leftovers(folder, RETIRED), key=lambda p: p.lstat().st_mtime)
    if retired and not os.path.lexists(folder):
        os.replace(retired.pop(), folder)  # the swap did not finish: the last set goes back
    for path in [*retired, *_leftovers(folder, STAGING)]:
        _remove(path)


@contextlib.contextmanager
def _shielded() -> Iterator[None]:
    """Hold Ctrl+C and SIGTERM until the block ends, so a swap or a clean-up runs whole.

    Python runs signal handlers in the main thread whichever thread the system delivers a
    signal to (pandas' Arrow threads), so the handlers are swapped for one that notes the
    signal, and the noted signal is raised again right after the block. Outside the main
    thread nothing is held.
    """
    held: list[int] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        held.append(signum)

    try:
        previous = {s: signal.signal(s, hold) for s in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:  # not the main thread: signals cannot be handled here anyway
        yield
        return
    try:
        yield
    finally:
        for signum, handler in previous.items():
            if handler is not None:  # None: a handler set outside Python, left as it is
                signal.signal(signum, handler)
        if held:
            signal.raise_signal(held[0])


def _sibling(folder: Path, kind: str, run: str) -> Path:
    return folder.parent / f".{folder.name}.{kind}-{run}"


def _leftovers(folder: Path, kind: str) -> list[Path]:
    pattern = f".{glob.escape(folder.name)}.{kind}-*"
    return list(folder.parent.glob(pattern)) if folder.parent.is_dir() else []


def _remove(path: Path) -> None:
    if path.is_symlink() or not path.is_dir():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path)


def _check_complete(staging: Path, names: Sequence[str]) -> None:
    missing = [name for name in names if not (staging / name).is_file()]
    if missing:
        raise RuntimeError(f"output set incomplete, not written: {', '.join(missing)}")


def _carry_over(folder: Path, staging: Path, names: Sequence[str]) -> None:
    """Bring the user's own files of the old folder into the new one (not our outputs)."""
    if folder.is_symlink() or not folder.is_dir():
        return
    ours = set(names)
    # Temporary files an older version left when it was killed (atomic_path's names).
    stale = re.compile(
        "|".join(
            rf"\.{re.escape(Path(n).stem)}\.[A-Za-z0-9_]+{re.escape(Path(n).suffix)}" for n in names
        )
    )
    for entry in folder.iterdir():
        if entry.name in ours or stale.fullmatch(entry.name):
            continue
        target = staging / entry.name
        if entry.is_symlink():
            os.symlink(os.readlink(entry), target)
        elif entry.is_dir():
            shutil.copytree(entry, target, symlinks=True, copy_function=_link_or_copy)
        else:
            _link_or_copy(entry, target)


def _link_or_copy(source: str | Path, target: str | Path) -> None:
    """A hard link (instant, no space), or a copy where the file system has none (FAT)."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _swap(staging: Path, folder: Path, retired: Path) -> None:
    if os.path.lexists(folder):
        os.replace(folder, retired)
    os.replace(staging, folder)
