"""Scan the inbox: read → validate → merge, every file accounted for, one counted per slot.

Three stages, each a function the benchmark can time on its own:

1. `read_inbox`: list files (recursively); hash, guard, read, identify and classify the cells
   of each file on its own (`pipeline.inbox.files`, in `jobs` processes; fatal problems end a
   file here); attach each file's receipt (collect manifest, else file time); mark the
   manifest, Excel lock files and exact duplicates as ignored.
2. `judge`: validate the cells of ALL submissions in one pandera pass, plus the cross-cell
   rules; reject files with an error; let `pipeline.status` choose the file that counts per
   slot; compare counted values with the unit's own history.
3. `merge`: the values, targets and notes frames of the counted submissions.

Nothing in the inbox is ever written or deleted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.catalogue.model import Catalogue
from pipeline.config import Config
from pipeline.contract import KIND_UNIT
from pipeline.errors import UsageError
from pipeline.inbox.files import Inspected, Progress, inspect_files, list_inbox, named_reason
from pipeline.inbox.receipt import Manifest, received_at, saved_at
from pipeline.merge.baselines import with_baselines
from pipeline.merge.frames import notes_frame, supplied, values_frame
from pipeline.merge.history import histories
from pipeline.merge.revisions import revisions
from pipeline.merge.targets import targets_frame
from pipeline.merge.texts import factors_frame, roster_frame
from pipeline.problems import Problem
from pipeline.status import BLOCKING, superseded_by
from pipeline.submission import (
    EARLIEST,
    FileRecord,
    FileStatus,
    InboxScan,
    Receipt,
    Submission,
)
from pipeline.validate import explained, history_warnings, validate_submissions


@dataclass(frozen=True)
class Found:
    """A file as read, with where it came from; `ignored` says why it is no submission."""

    seen: Inspected
    received: dt.datetime | None
    source: Receipt
    saved: dt.datetime | None = None
    sender: str = ""
    subject: str = ""
    ignored: str = ""


@dataclass(frozen=True)
class Judged:
    """Every file's fate, and the submissions that count."""

    files: tuple[FileRecord, ...]
    counted: tuple[Submission, ...]
    superseded: tuple[Submission, ...] = ()  # valid, replaced by a later file of their slot


def scan_inbox(
    inbox_dir: Path,
    catalogue: Catalogue,
    config: Config,
    *,
    progress: Progress | None = None,
    jobs: int = 1,
) -> InboxScan:
    """Read, validate and merge every file under the inbox; never write there."""
    found = read_inbox(inbox_dir, catalogue, config, jobs=jobs, progress=progress)
    return merge(judge(found, catalogue, config), catalogue)


def read_inbox(
    inbox_dir: Path,
    catalogue: Catalogue,
    config: Config,
    *,
    jobs: int = 1,
    progress: Progress | None = None,
) -> list[Found]:
    """Every file under the inbox, read on its own, with its receipt (stage 1)."""
    if not inbox_dir.is_dir():
        raise UsageError(f"folder kotak masuk {inbox_dir} tidak ditemukan")
    manifest = Manifest.of(inbox_dir)
    files = list_inbox(inbox_dir)
    hashes: dict[str, str] = {}
    return [
        _found(seen, manifest, hashes, config.zone)
        for seen in inspect_files(inbox_dir, files, catalogue, config, jobs=jobs, progress=progress)
    ]


def judge(found: Sequence[Found], catalogue: Catalogue, config: Config) -> Judged:
    """Validate all submissions, decide each file's status, add history warnings (stage 2)."""
    problems = [[] if f.ignored else list(f.seen.problems) for f in found]
    live = [i for i, f in enumerate(found) if not f.ignored and f.seen.submission]
    subs = [_sub(found[i]) for i in live]
    senders = [found[i].sender for i in live]
    for i, extra in zip(live, validate_submissions(subs, senders, catalogue, config), strict=True):
        problems[i].extend(extra)
    status, reasons = _statuses(found, problems)
    counted = [i for i in live if status[i] == FileStatus.ACCEPTED]
    for i, history in zip(counted, histories([_sub(found[i]) for i in counted]), strict=True):
        sub = _sub(found[i])
        if sub.meta.kind == KIND_UNIT:
            problems[i].extend(explained(sub, history_warnings(sub, catalogue, history)))
    records = tuple(
        _record(f, status[i], tuple(problems[i]), reasons.get(i, f.ignored))
        for i, f in enumerate(found)
    )
    replaced = tuple(_sub(found[i]) for i in live if status[i] == FileStatus.SUPERSEDED)
    return Judged(records, tuple(_sub(found[i]) for i in counted), replaced)


def merge(judged: Judged, catalogue: Catalogue) -> InboxScan:
    """The frames of the counted submissions (stage 3)."""
    moment = {f.path: f.moment for f in judged.files}
    # In the order received: a later version of the targets workbook comes after an earlier.
    counted = sorted(judged.counted, key=lambda s: (moment[s.file], s.file))
    received = {f.path: _iso(f.received_at) for f in judged.files if f.received_at}
    moments = {f.path: f.moment.timestamp() for f in judged.files}
    values = values_frame(counted, received, moments)
    every = supplied((*counted, *judged.superseded), received, moments)
    return InboxScan(
        files=judged.files,
        values=with_baselines(values, counted, received, catalogue),
        targets=targets_frame(counted, received),
        notes=notes_frame(counted),
        revisions=revisions(every, values),
        factors=factors_frame(counted),
        roster=roster_frame(counted),
    )


def _sub(item: Found) -> Submission:
    assert item.seen.submission is not None
    return item.seen.submission


def _found(seen: Inspected, manifest: Manifest, hashes: dict[str, str], zone: dt.tzinfo) -> Found:
    """A file as the scan keeps it: where it came from, and why it is ignored if it is."""
    if seen.unreadable:
        return Found(seen, None, Receipt.UNKNOWN)
    entry = manifest.entry(seen.rel, seen.sha256)
    reason = seen.not_read or named_reason(seen.rel)
    if not reason and seen.sha256 in hashes:
        reason = f"salinan persis dari {hashes[seen.sha256]}"
    elif not reason and seen.sha256:
        hashes[seen.sha256] = seen.rel
    return Found(
        seen=seen,
        received=(received := received_at(entry, zone)),
        source=Receipt.EMAIL if received else Receipt.UNKNOWN,
        saved=saved_at(seen.mtime, zone) if seen.mtime else None,
        sender=entry.sender if entry else "",
        subject=entry.subject if entry else "",
        ignored=reason,
    )


def _statuses(
    found: Sequence[Found], problems: list[list[Problem]]
) -> tuple[list[FileStatus], dict[int, str]]:
    """Each file's status, and why a file is superseded; the latest accepted one counts."""
    status: list[FileStatus] = []
    groups: dict[tuple[object, ...], list[tuple[dt.datetime, str, int]]] = {}
    for i, item in enumerate(found):
        if item.ignored:
            status.append(FileStatus.IGNORED)
        elif item.seen.submission is None or any(p.severity in BLOCKING for p in problems[i]):
            status.append(FileStatus.REJECTED)
        else:
            status.append(FileStatus.ACCEPTED)
            meta = item.seen.submission.meta
            slot = (meta.kind, item.seen.submission.unit, meta.period)
            moment = item.received or item.saved or EARLIEST
            groups.setdefault(slot, []).append((moment, item.seen.rel, i))
    reasons: dict[int, str] = {}
    for group in groups.values():
        starts = {i: _sub(found[i]).effective_from for _, _, i in group}
        for i, by in superseded_by(group, starts).items():
            status[i] = FileStatus.SUPERSEDED
            reasons[i] = f"digantikan oleh kiriman yang lebih baru: {found[by].seen.rel}"
    return status, reasons


def _record(
    item: Found, status: FileStatus, problems: tuple[Problem, ...], reason: str
) -> FileRecord:
    seen, meta = item.seen, item.seen.meta
    return FileRecord(
        path=seen.rel,
        sha256=seen.sha256,
        size=seen.size,
        received_at=item.received,
        received_source=item.source,
        sender=item.sender,
        subject=item.subject,
        kind=meta.kind if meta else "",
        unit=(meta.unit_code or "") if meta else "",
        period=seen.period,
        status=status,
        problems=problems,
        reason=reason,
        saved_at=item.saved,
    )


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")
