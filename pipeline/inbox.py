"""Scan the inbox: every file accounted for, every submission validated, one counted per period.

Order of work: list files (recursively); hash, guard, read and identify each file on its own
(`inbox_files`, in `jobs` processes; fatal problems end a file here); skip the manifest, Excel
lock files and exact duplicates; validate the cells of ALL submissions in one pandera pass;
reject files with an error; keep the latest accepted file of each unit and period (mail date,
else file time; ties by name) and mark the rest superseded; compare counted values with the
unit's own history. Nothing in the inbox is ever written or deleted.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.baseline_values import with_baselines
from pipeline.catalogue.model import Catalogue
from pipeline.collect import ManifestEntry, read_manifest
from pipeline.config import Config
from pipeline.contract import TemplateMeta
from pipeline.errors import UsageError
from pipeline.inbox_files import Inspected, inspect_files, named_reason
from pipeline.inbox_frames import histories, notes_frame, values_frame
from pipeline.problems import Problem, Severity
from pipeline.submission import ACCEPTED, IGNORED, REJECTED, SUPERSEDED, FileRecord, InboxScan
from pipeline.target_versions import effective_quarter, replaced_by, versions_frame
from pipeline.validate.cells import Submission, cell_problems
from pipeline.validate.codes import problem
from pipeline.validate.rules import history_warnings, sender_warnings, subset_warnings
from pipeline.validate.targets import target_problems

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
    jobs: int = 1,
    timings: dict[str, float] | None = None,
) -> InboxScan:
    """Read and validate every file under the inbox; never write there.

    jobs: processes reading files (the results are those of one); timings, when given,
    receives the seconds spent reading, validating and merging (for the benchmark).
    """
    if not inbox_dir.is_dir():
        raise UsageError(f"folder kotak masuk {inbox_dir} tidak ditemukan")
    clock = _Clock(timings)
    manifest = _Manifest(read_manifest(inbox_dir))
    files = sorted(p for p in inbox_dir.rglob("*") if p.is_file())
    hashes: dict[str, str] = {}
    found = [
        _found(seen, manifest, hashes)
        for seen in inspect_files(inbox_dir, files, catalogue, jobs=jobs, progress=progress)
    ]
    clock.lap("read")
    _validate(found, catalogue, config)
    _choose(found)
    _compare_with_history(found, catalogue)
    clock.lap("validate")
    counted = [f.submission for f in found if f.status == ACCEPTED and f.submission]
    received = {f.rel: _iso(f.received) for f in found}
    scan = InboxScan(
        files=tuple(_record(f) for f in found),
        values=with_baselines(values_frame(counted, received), counted, received, catalogue),
        targets=versions_frame(counted, received),
        notes=notes_frame(counted),
    )
    clock.lap("merge")
    return scan


class _Clock:
    """Seconds per stage into the caller's dict; nothing when it gave none."""

    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings
        self.last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        if self.timings is not None:
            self.timings[stage] = self.timings.get(stage, 0.0) + now - self.last
        self.last = now


def _found(seen: Inspected, manifest: _Manifest, hashes: dict[str, str]) -> _Found:
    """A file as the scan keeps it: where it came from, and what it holds unless ignored."""
    if seen.unreadable:
        item = _Found(seen.rel, "", 0, _received(None, 0.0), FILE_TIME)
        item.problems.append(problem("unreadable-workbook", detail=seen.os_error, file=seen.rel))
        return item
    entry = manifest.entry(seen.rel, seen.sha256)
    item = _Found(
        rel=seen.rel,
        sha256=seen.sha256,
        size=seen.size,
        received=_received(entry, seen.mtime),
        source=EMAIL if entry and entry.date else FILE_TIME,
        sender=entry.sender if entry else "",
        subject=entry.subject if entry else "",
    )
    reason = _ignore_reason(seen.rel, seen.sha256, hashes)
    if reason:
        item.status, item.reason = IGNORED, reason
        return item
    if seen.sha256:
        hashes.setdefault(seen.sha256, seen.rel)
    item.problems.extend(seen.problems)
    item.meta, item.submission = seen.meta, seen.submission
    return item


def _ignore_reason(rel: str, digest: str, hashes: dict[str, str]) -> str:
    named = named_reason(rel)
    if named:
        return named
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
        item.problems.extend(target_problems(sub, catalogue))
    for item in found:
        if item.status:
            continue
        bad = any(p.severity in (Severity.FATAL, Severity.ERROR) for p in item.problems)
        item.status = REJECTED if bad or item.submission is None else ""


def _choose(found: list[_Found]) -> None:
    """The latest accepted file of each (kind, unit, period) counts; the others are superseded.

    A targets workbook counts for the quarters from its Berlaku mulai on, so an earlier one
    is superseded only when a later one starts at the same quarter or earlier
    (`target_versions.replaced_by`; every unit file starts at 1).
    """
    groups: dict[tuple[str, str, str], list[_Found]] = {}
    for item in found:
        if item.status == "" and item.submission is not None:
            meta = item.submission.meta
            groups.setdefault((meta.kind, item.submission.unit, meta.period), []).append(item)
    for group in groups.values():
        group.sort(key=lambda f: (f.received, f.rel))
        starts = [effective_quarter(f.submission) for f in group if f.submission]
        for item, by in zip(group, replaced_by(starts), strict=True):
            item.status = ACCEPTED if by is None else SUPERSEDED
            if by is not None:
                item.reason = f"digantikan oleh kiriman yang lebih baru: {group[by].rel}"


def _compare_with_history(found: list[_Found], catalogue: Catalogue) -> None:
    counted = [f for f in found if f.status == ACCEPTED and f.submission]
    subs = [f.submission for f in counted if f.submission]
    for item, sub, history in zip(counted, subs, histories(subs), strict=True):
        if sub.meta.quarter:
            item.problems.extend(history_warnings(sub, catalogue, history))


class _Manifest:
    """The collect manifest, looked up by file and by content (first entry wins)."""

    def __init__(self, entries: list[ManifestEntry]) -> None:
        self.by_file: dict[str, ManifestEntry] = {}
        self.by_sha: dict[str, ManifestEntry] = {}
        for entry in entries:
            self.by_file.setdefault(entry.file, entry)
            if entry.sha256:
                self.by_sha.setdefault(entry.sha256, entry)

    def entry(self, rel: str, digest: str) -> ManifestEntry | None:
        """The entry of a file: by its path, else by its content."""
        found = self.by_file.get(rel)
        if found is not None:
            return found
        return self.by_sha.get(digest) if digest else None


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
