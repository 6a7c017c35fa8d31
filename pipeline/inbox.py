"""Scan the inbox: every file accounted for, every submission validated, one counted per period.

Order of work: list files (recursively) and hash them; skip the manifest, Excel lock files and
exact duplicates; guard, read and identify each file (fatal problems end a file here);
validate the cells of ALL submissions in one pandera pass; reject files with an error; keep
the latest accepted file of each unit and period (mail date, else file time; ties by name)
and mark the rest superseded; compare counted values with the unit's own history. Nothing in
the inbox is ever written or deleted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline import paths
from pipeline.baseline_values import with_baselines
from pipeline.catalogue.model import Catalogue
from pipeline.collect import ManifestEntry, read_manifest
from pipeline.config import Config
from pipeline.contract import TemplateMeta
from pipeline.errors import UsageError
from pipeline.guard import DEFAULT_LIMITS, guard_bytes
from pipeline.inbox_frames import histories, notes_frame, targets_frame, values_frame
from pipeline.problems import Problem, Severity
from pipeline.read import read_workbook
from pipeline.submission import ACCEPTED, IGNORED, REJECTED, SUPERSEDED, FileRecord, InboxScan
from pipeline.validate.cells import Submission, cell_problems
from pipeline.validate.codes import problem
from pipeline.validate.identity import check_identity
from pipeline.validate.rules import history_warnings, sender_warnings, subset_warnings

EMAIL, FILE_TIME = "email", "file-time"


@dataclass
class _Found:
    """A file while it is being scanned."""

    rel: str
    sha256: str
    size: int
    received: dt.datetime
    source: str
    sender: str = ""
    subject: str = ""
    problems: list[Problem] = field(default_factory=list)
    meta: TemplateMeta | None = None  # set when `_meta` was read, even if then refused
    submission: Submission | None = None
    status: str = ""
    reason: str = ""


def scan_inbox(
    inbox_dir: Path,
    catalogue: Catalogue,
    config: Config,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> InboxScan:
    """Read and validate every file under the inbox; never write there."""
    if not inbox_dir.is_dir():
        raise UsageError(f"folder kotak masuk {inbox_dir} tidak ditemukan")
    manifest = read_manifest(inbox_dir)
    files = sorted(p for p in inbox_dir.rglob("*") if p.is_file())
    found: list[_Found] = []
    hashes: dict[str, str] = {}
    for done, path in enumerate(files, start=1):
        found.append(_open(inbox_dir, path, manifest, hashes, catalogue))
        if progress is not None:
            progress(done, len(files))
    _validate(found, catalogue, config)
    _choose(found)
    _compare_with_history(found, catalogue)
    counted = [f.submission for f in found if f.status == ACCEPTED and f.submission]
    received = {f.rel: _iso(f.received) for f in found}
    return InboxScan(
        files=tuple(_record(f) for f in found),
        values=with_baselines(values_frame(counted, received), counted, received, catalogue),
        targets=targets_frame(counted),
        notes=notes_frame(counted),
    )


def _open(
    inbox: Path,
    path: Path,
    manifest: list[ManifestEntry],
    hashes: dict[str, str],
    catalogue: Catalogue,
) -> _Found:
    """Hash, guard, read and identify one file."""
    rel = path.relative_to(inbox).as_posix()
    try:
        stat = path.stat()
        # A file above the guard's limit is refused unread (and unhashed).
        data = path.read_bytes() if stat.st_size <= DEFAULT_LIMITS.max_file_bytes else b""
    except OSError as exc:
        item = _Found(rel, "", 0, _received(None, 0.0), FILE_TIME)
        item.problems.append(problem("unreadable-workbook", detail=exc.strerror, file=rel))
        return item
    digest = hashlib.sha256(data).hexdigest() if data else ""
    entry = _manifest_entry(manifest, rel, digest)
    item = _Found(
        rel=rel,
        sha256=digest,
        size=stat.st_size,
        received=_received(entry, stat.st_mtime),
        source=EMAIL if entry and entry.date else FILE_TIME,
        sender=entry.sender if entry else "",
        subject=entry.subject if entry else "",
    )
    reason = _ignore_reason(rel, digest, hashes)
    if reason:
        item.status, item.reason = IGNORED, reason
        return item
    if digest:
        hashes.setdefault(digest, rel)
    item.problems.extend(_at(rel, p) for p in _identify(item, data, stat.st_size, catalogue))
    return item


def _identify(item: _Found, data: bytes, size: int, catalogue: Catalogue) -> list[Problem]:
    if not data:
        limit = DEFAULT_LIMITS.max_file_bytes
        return [
            problem("file-too-large", size=size, limit=limit) if size else problem("empty-file")
        ]
    fatal = guard_bytes(data)
    if fatal:
        return fatal
    result = read_workbook(Path(item.rel), data)
    item.meta = result.meta
    if result.meta is None or result.problems:
        return list(result.problems)
    sub = Submission(item.rel, result.meta, result.cells, result.formulas)
    fatal = check_identity(result.meta, catalogue)
    if fatal:
        return [sub.located(p) for p in fatal]
    item.submission = sub
    return []


def _ignore_reason(rel: str, digest: str, hashes: dict[str, str]) -> str:
    name = rel.rsplit("/", 1)[-1]
    if rel == paths.MANIFEST_FILE:
        return "manifest pengumpulan surel, bukan kiriman"
    if name.startswith("~$"):
        return "berkas kunci sementara Excel, bukan kiriman"
    if name.startswith("."):
        return "berkas tersembunyi, bukan kiriman"
    if digest and digest in hashes:
        return f"salinan persis dari {hashes[digest]}"
    return ""


def _validate(found: list[_Found], catalogue: Catalogue, config: Config) -> None:
    """Cell checks on all submissions at once, then subset and sender rules; reject errors."""
    live = [f for f in found if f.submission is not None]
    subs = [f.submission for f in live if f.submission is not None]
    for item, sub, problems in zip(live, subs, cell_problems(subs, catalogue), strict=True):
        item.problems.extend(problems)
        item.problems.extend(subset_warnings(sub, catalogue))
        item.problems.extend(sender_warnings(sub, item.sender, config.senders))
    for item in found:
        if item.status:
            continue
        bad = any(p.severity in (Severity.FATAL, Severity.ERROR) for p in item.problems)
        item.status = REJECTED if bad or item.submission is None else ""


def _choose(found: list[_Found]) -> None:
    """The latest accepted file of each (kind, unit, period) counts; the others are superseded."""
    groups: dict[tuple[str, str, str], list[_Found]] = {}
    for item in found:
        if item.status == "" and item.submission is not None:
            meta = item.submission.meta
            groups.setdefault((meta.kind, item.submission.unit, meta.period), []).append(item)
    for group in groups.values():
        group.sort(key=lambda f: (f.received, f.rel))
        latest = group[-1]
        latest.status = ACCEPTED
        for item in group[:-1]:
            item.status = SUPERSEDED
            item.reason = f"digantikan oleh kiriman yang lebih baru: {latest.rel}"


def _compare_with_history(found: list[_Found], catalogue: Catalogue) -> None:
    counted = [f for f in found if f.status == ACCEPTED and f.submission]
    subs = [f.submission for f in counted if f.submission]
    for item, sub, history in zip(counted, subs, histories(subs), strict=True):
        if sub.meta.quarter:
            item.problems.extend(history_warnings(sub, catalogue, history))


def _manifest_entry(manifest: list[ManifestEntry], rel: str, digest: str) -> ManifestEntry | None:
    by_path = next((e for e in manifest if e.file == rel), None)
    if by_path is not None:
        return by_path
    return next((e for e in manifest if digest and e.sha256 == digest), None)


def _received(entry: ManifestEntry | None, mtime: float) -> dt.datetime:
    if entry and entry.date:
        try:
            moment = dt.datetime.fromisoformat(entry.date)
            return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
        except ValueError:
            pass
    return dt.datetime.fromtimestamp(mtime, tz=dt.UTC).astimezone()


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _at(rel: str, found: Problem) -> Problem:
    return replace(found, file=found.file or rel)


def _record(item: _Found) -> FileRecord:
    meta = item.meta
    return FileRecord(
        path=item.rel,
        sha256=item.sha256,
        size=item.size,
        received_at=_iso(item.received),
        received_source=item.source,
        sender=item.sender,
        subject=item.subject,
        kind=meta.kind if meta else "",
        unit=(meta.unit_code or "") if meta else "",
        period=meta.period if meta else "",
        status=item.status or REJECTED,
        problems=tuple(item.problems),
        reason=item.reason,
    )
