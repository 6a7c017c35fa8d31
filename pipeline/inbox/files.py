"""Read every file of the inbox on its own: hash, guard, read, identify; in one or more processes.

What a file's bytes say does not depend on any other file, so this part of a scan can run in
worker processes; everything that compares files (duplicates, which file counts, validation
of many submissions at once, history) stays with the caller. Results come back in the order
of the files given, so a parallel scan equals a serial one.
"""

from __future__ import annotations

import hashlib
import math
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from stat import S_ISREG

from pipeline import paths
from pipeline.catalogue.model import Catalogue
from pipeline.config import Config
from pipeline.contract import TemplateMeta
from pipeline.filenames import shown_name
from pipeline.inbox.cells import annotate
from pipeline.inbox.guard import DEFAULT_LIMITS, guard_parts
from pipeline.inbox.identify import check_identity, trusted_period
from pipeline.inbox.read import read_parts
from pipeline.inbox.readcache import ReadCache
from pipeline.periods import Period, Year
from pipeline.problems import Problem, problem
from pipeline.submission import Submission

Progress = Callable[[int, int], None]
# A pool costs tens of milliseconds to start and each file a few milliseconds to read:
# below this many files a scan stays in one process whatever `jobs` says.
POOL_MIN_FILES = 64
CHUNKS_PER_JOB = 8  # small chunks keep the workers evenly busy and progress moving
MAX_CHUNK = 256
AHEAD_PER_JOB = 3  # chunks a worker may read ahead of the caller: memory stays bounded


@dataclass(frozen=True, slots=True)
class Inspected:
    """What one file holds, found without looking at any other file."""

    rel: str  # path relative to the inbox, POSIX separators
    sha256: str = ""  # '' when unread (too large, or unreadable)
    size: int = 0
    mtime: float = 0.0
    os_error: str | None = None  # why the file could not be read (when `unreadable`)
    unreadable: bool = False
    problems: tuple[Problem, ...] = ()  # fatal problems, each with its file
    not_read: str = ""  # why a file was not read at all (a link, a device), in Indonesian
    meta: TemplateMeta | None = None  # set when `_meta` was read, even if then refused
    submission: Submission | None = None  # set when the file is an official template
    period: Period | Year | None = None  # what `_meta` claims, when plausible


def named_reason(rel: str) -> str:
    """Why a file is no submission, by its name alone ('' when it may be one)."""
    name = rel.rsplit("/", 1)[-1]
    if rel == paths.MANIFEST_FILE:
        return "manifest pengumpulan surel, bukan kiriman"
    if name.startswith("~$"):
        return "berkas kunci sementara Excel, bukan kiriman"
    if name.startswith("."):
        return "berkas tersembunyi, bukan kiriman"
    return ""


def list_inbox(inbox: Path) -> list[Path]:
    """Every entry under the inbox that is not a folder, links included, never followed."""
    found: list[Path] = []
    for root, folders, names in os.walk(inbox, followlinks=False):
        base = Path(root)
        found.extend(base / name for name in folders if (base / name).is_symlink())
        found.extend(base / name for name in names)
    return sorted(found)


def shown_names(inbox: Path, files: Sequence[Path]) -> list[str]:
    """The name each file is shown by: relative, undecodable bytes replaced, never twice.

    Two names that differ only in bytes that are not UTF-8 would show alike: the later one
    gets ' (2)', ' (3)', ... before its suffix, so every record names exactly one file.
    """
    names: list[str] = []
    taken: set[str] = set()
    for path in files:
        name = shown_name(path.relative_to(inbox).as_posix())
        stem, dot, suffix = (
            name.rpartition(".") if "." in name.rsplit("/", 1)[-1] else (name, "", "")
        )
        number = 2
        while name in taken:
            name = f"{stem} ({number}){dot}{suffix}"
            number += 1
        taken.add(name)
        names.append(name)
    return names


def inspect_files(
    inbox: Path,
    files: Sequence[Path],
    catalogue: Catalogue,
    config: Config,
    *,
    jobs: int = 1,
    progress: Progress | None = None,
    cache: ReadCache | None = None,
) -> Iterator[Inspected]:
    """Inspect each file (in `jobs` processes when there are enough files), in their order.

    Files are inspected as the caller asks for them: a pool reads at most a few chunks
    ahead, so what waits in memory does not grow with the inbox. cache: reads of earlier
    runs, by the files' bytes (`pipeline.inbox.readcache`); new reads are added to it.
    """
    named = list(zip(files, shown_names(inbox, files), strict=True))
    serial = jobs <= 1 or len(files) < max(POOL_MIN_FILES, 2 * jobs)
    if cache is not None and cache.open() and not serial:
        cache.close()  # opened to drop other readers' rows; no connection crosses a fork
    try:
        if serial:
            yield from _inspect_serial(named, catalogue, config, progress, cache)
        else:
            yield from _inspect_pool(named, catalogue, config, jobs, progress, cache)
    finally:
        if cache is not None:
            cache.close()


def _inspect_serial(
    named: list[tuple[Path, str]],
    catalogue: Catalogue,
    config: Config,
    progress: Progress | None,
    cache: ReadCache | None,
) -> Iterator[Inspected]:
    for done, (path, rel) in enumerate(named, start=1):
        yield inspect_file(path, rel, catalogue, config, cache)
        if cache is not None and done % MAX_CHUNK == 0:
            cache.flush()
        if progress is not None:
            progress(done, len(named))


def _inspect_pool(
    named: list[tuple[Path, str]],
    catalogue: Catalogue,
    config: Config,
    jobs: int,
    progress: Progress | None,
    cache: ReadCache | None,
) -> Iterator[Inspected]:
    size = max(1, min(MAX_CHUNK, math.ceil(len(named) / (CHUNKS_PER_JOB * jobs))))
    chunks = deque(named[i : i + size] for i in range(0, len(named), size))
    pool = ProcessPoolExecutor(jobs, initializer=_keep, initargs=(catalogue, config, cache))
    try:
        waiting: deque[Future[list[Inspected]]] = deque()
        done = 0
        while chunks or waiting:
            while chunks and len(waiting) < AHEAD_PER_JOB * jobs:
                waiting.append(pool.submit(_inspect_chunk, chunks.popleft()))
            part = waiting.popleft().result()
            yield from part
            done += len(part)
            if progress is not None:
                progress(done, len(named))
    finally:
        pool.shutdown(cancel_futures=True)


def inspect_file(
    path: Path, rel: str, catalogue: Catalogue, config: Config, cache: ReadCache | None = None
) -> Inspected:
    """Hash, guard, read and identify one file shown as `rel`; a link, a device or a file
    named as no submission is not read. cache: reads kept by the files' SHA-256."""
    try:
        stat = path.lstat()
        if not S_ISREG(stat.st_mode):
            return Inspected(rel, not_read=_NOT_READ)
        # A file above the guard's limit is refused unread (and unhashed).
        data = path.read_bytes() if stat.st_size <= DEFAULT_LIMITS.max_file_bytes else b""
    except OSError as exc:
        found = problem("unreadable-workbook", detail=exc.strerror or str(exc), file=rel)
        return Inspected(rel, os_error=exc.strerror, unreadable=True, problems=(found,))
    digest = hashlib.sha256(data).hexdigest() if data else ""
    if named_reason(rel):
        return Inspected(rel, digest, stat.st_size, stat.st_mtime)
    read = _Read(data, digest, stat.st_size)
    problems, meta, submission = _identify(rel, read, catalogue, config, cache)
    located = tuple(replace(p, file=p.file or rel) for p in problems)
    period = trusted_period(meta, catalogue, config) if meta else None
    return Inspected(
        rel,
        digest,
        stat.st_size,
        stat.st_mtime,
        problems=located,
        meta=meta,
        submission=submission,
        period=period,
    )


@dataclass(frozen=True, slots=True)
class _Read:
    """A file's bytes as read (b'' when too large to read), their SHA-256 and its size."""

    data: bytes
    sha256: str
    size: int


def _identify(
    rel: str, file: _Read, catalogue: Catalogue, config: Config, cache: ReadCache | None
) -> tuple[list[Problem], TemplateMeta | None, Submission | None]:
    if not file.data:
        limit, size = DEFAULT_LIMITS.max_file_bytes, file.size
        found = problem("file-too-large", size=size, limit=limit) if size else problem("empty-file")
        return [found], None, None
    result = cache.get(file.sha256) if cache is not None else None
    if result is None:
        fatal, parts = guard_parts(file.data)
        if parts is None:
            return fatal, None, None
        result = read_parts(parts)
        if cache is not None:
            cache.put(file.sha256, result)
    if result.meta is None or result.problems:
        return list(result.problems), result.meta, None
    sub = Submission(rel, result.meta, annotate(result.meta, result.cells, result.formulas))
    fatal = check_identity(result.meta, catalogue, config)
    if fatal:
        return [sub.located(p) for p in fatal], result.meta, None
    return [], result.meta, sub


_GIVEN: list[tuple[Catalogue, Config, ReadCache | None]] = []


def _keep(catalogue: Catalogue, config: Config, cache: ReadCache | None) -> None:
    """Give a worker the catalogue, settings and cache once, not with every chunk."""
    _GIVEN[:] = [(catalogue, config, cache)]


def _inspect_chunk(files: list[tuple[Path, str]]) -> list[Inspected]:
    catalogue, config, cache = _GIVEN[0]
    found = [inspect_file(path, rel, catalogue, config, cache) for path, rel in files]
    if cache is not None:
        cache.flush()
    return found


_NOT_READ = "bukan berkas biasa (tautan/symlink, perangkat atau pipa): tidak dibaca"
