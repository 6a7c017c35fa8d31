"""Scan the inbox: read → validate → merge, every file accounted for, one counted per slot.

The stages, each a function the benchmark can time on its own:

1. `read_inbox`: list files (recursively); hash, guard, read, identify and classify the cells
   of each file on its own (`pipeline.inbox.files`, in `jobs` processes; fatal problems end a
   file here); attach each file's receipt (collect manifest, else file time); mark the
   manifest, Excel lock files and exact duplicates as ignored. Files come a batch at a time.
2. `check`: validate the cells of a batch's submissions in one pandera pass, plus the rules
   within one file (subsets, sender); then keep only what later stages use of each file:
   its identity and a few cells as columns (`pipeline.merge.kept`), so memory does not grow
   by a Python object per cell of the inbox.
3. `judge`: reject files with an error; let `pipeline.status` choose the file that counts per
   slot; compare counted values with the unit's own history.
4. `merge`: the values, targets and notes frames of the counted submissions.

Nothing in the inbox is ever written or deleted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.catalogue.model import Catalogue
from pipeline.collector import collector_paused
from pipeline.config import Config
from pipeline.errors import UsageError
from pipeline.inbox.files import Inspected, Progress, inspect_files, list_inbox, named_reason
from pipeline.inbox.readcache import ReadCache
from pipeline.inbox.receipt import Manifest, received_at, saved_at
from pipeline.merge.baselines import with_baselines
from pipeline.merge.frames import Counted, notes_frame, supplied, values_frame
from pipeline.merge.history import against_history
from pipeline.merge.kept import KeptCells, KeptRows
from pipeline.merge.revisions import revisions
from pipeline.merge.targets import targets_frame
from pipeline.merge.texts import factors_frame, roster_frame
from pipeline.problems import Problem
from pipeline.status import BLOCKING, superseded_by
from pipeline.submission import (
    EARLIEST,
    FileRecord,
    FileStatus,
    Identity,
    InboxScan,
    Receipt,
    Submission,
)
from pipeline.validate import explained, history_warnings, validate_submissions

# Files validated in one pandera pass (a pass costs ~10 ms whatever its size), and at most
# about this many mapped cells in a batch: what a batch holds in memory, whatever its files
# (a targets workbook maps some 25 times the cells of a unit's).
BATCH_FILES, BATCH_CELLS = 1024, 65_536


@dataclass(frozen=True, slots=True)
class Found:
    """A file as read, with where it came from; `ignored` says why it is no submission."""

    seen: Inspected
    received: dt.datetime | None
    source: Receipt
    saved: dt.datetime | None = None
    sender: str = ""
    subject: str = ""
    ignored: str = ""


@dataclass(frozen=True, slots=True)
class Checked:
    """A file once checked on its own: where it came from (its cells no longer with it),
    what `_meta` says, and its problems so far."""

    found: Found
    kind: str  # from `_meta`, '' when it was not read
    unit: str
    position: int | None  # in KeptCells.subs when the file is a submission
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Judged:
    """Every file's fate, and the submissions that count (positions in `subs`)."""

    files: tuple[FileRecord, ...]
    subs: tuple[Identity, ...]
    rows: KeptRows
    counted: tuple[int, ...]  # in file order
    superseded: tuple[int, ...] = ()  # valid, replaced by a later file of their slot


def scan_inbox(
    inbox_dir: Path,
    catalogue: Catalogue,
    config: Config,
    *,
    progress: Progress | None = None,
    jobs: int = 1,
    cache: ReadCache | None = None,
) -> InboxScan:
    """Read, validate and merge every file under the inbox; never write there.

    cache: reads of earlier runs by the files' bytes (pipeline.inbox.readcache); same results.
    """
    with collector_paused():  # see pipeline/collector.py
        kept = KeptCells()
        checked = [
            item
            for batch in read_inbox(
                inbox_dir, catalogue, config, jobs=jobs, progress=progress, cache=cache
            )
            for item in check(batch, catalogue, config, kept)
        ]
        return merge(judge(checked, kept, catalogue), catalogue)


def read_inbox(
    inbox_dir: Path,
    catalogue: Catalogue,
    config: Config,
    *,
    jobs: int = 1,
    progress: Progress | None = None,
    cache: ReadCache | None = None,
) -> Iterator[list[Found]]:
    """Every file under the inbox, read on its own, with its receipt, a batch at a time
    (stage 1)."""
    if not inbox_dir.is_dir():
        raise UsageError(f"folder kotak masuk {inbox_dir} tidak ditemukan")
    manifest = Manifest.of(inbox_dir)
    files = list_inbox(inbox_dir)
    hashes: dict[str, str] = {}
    batch: list[Found] = []
    cells = 0
    inspected = inspect_files(
        inbox_dir, files, catalogue, config, jobs=jobs, progress=progress, cache=cache
    )
    for seen in inspected:
        batch.append(_found(seen, manifest, hashes, config.zone))
        cells += len(seen.meta.cells) if seen.meta else 0
        if len(batch) == BATCH_FILES or cells >= BATCH_CELLS:
            yield batch
            batch, cells = [], 0
    if batch:
        yield batch


def check(
    found: Sequence[Found], catalogue: Catalogue, config: Config, kept: KeptCells
) -> list[Checked]:
    """Validate a batch of files on their own; keep what later stages use (stage 2)."""
    problems = [[] if f.ignored else list(f.seen.problems) for f in found]
    live = [i for i, f in enumerate(found) if not f.ignored and f.seen.submission]
    subs = [_sub(found[i]) for i in live]
    senders = [found[i].sender for i in live]
    for i, extra in zip(live, validate_submissions(subs, senders, catalogue, config), strict=True):
        problems[i].extend(extra)
    positions = {i: kept.add(_sub(found[i])) for i in live}
    return [_checked(f, positions.get(i), problems[i]) for i, f in enumerate(found)]


def judge(checked: Sequence[Checked], kept: KeptCells, catalogue: Catalogue) -> Judged:
    """Decide each file's status, add history warnings (stage 3)."""
    problems = [list(c.problems) for c in checked]
    status, reasons = _statuses(checked, kept.subs, problems)
    counted = tuple(
        item.position
        for i, item in enumerate(checked)
        if item.position is not None and status[i] == FileStatus.ACCEPTED
    )
    where = {item.position: i for i, item in enumerate(checked) if item.position is not None}
    rows = kept.rows()
    for position, against in against_history(rows, kept.subs, counted):
        sub = kept.subs[position]
        warnings = history_warnings(sub, against, catalogue)
        problems[where[position]].extend(explained(rows.noted(position), warnings))
    records = tuple(
        _record(c, status[i], tuple(problems[i]), reasons.get(i, c.found.ignored))
        for i, c in enumerate(checked)
    )
    replaced = tuple(
        item.position
        for i, item in enumerate(checked)
        if item.position is not None and status[i] == FileStatus.SUPERSEDED
    )
    return Judged(records, tuple(kept.subs), rows, counted, replaced)


def merge(judged: Judged, catalogue: Catalogue) -> InboxScan:
    """The frames of the counted submissions (stage 4)."""
    moment = {f.path: f.moment for f in judged.files}
    subs = judged.subs
    # In the order received: a later version of the targets workbook comes after an earlier.
    in_order = sorted(judged.counted, key=lambda p: (moment[subs[p].file], subs[p].file))
    received = {f.path: _iso(f.received_at) for f in judged.files if f.received_at}
    moments = {f.path: f.moment.timestamp() for f in judged.files}
    counted = Counted(judged.rows, subs, in_order, received, moments)
    values = values_frame(counted)
    every = supplied(counted.among([*in_order, *judged.superseded]))
    return InboxScan(
        files=judged.files,
        values=with_baselines(values, counted, catalogue),
        targets=targets_frame(counted),
        notes=notes_frame(counted),
        revisions=revisions(every, values),
        factors=factors_frame(counted),
        roster=roster_frame(counted),
    )


def _sub(item: Found) -> Submission:
    assert item.seen.submission is not None
    return item.seen.submission


def _checked(item: Found, position: int | None, problems: list[Problem]) -> Checked:
    """The file without its cells: they are validated, and kept as columns if needed."""
    meta = item.seen.meta
    slim = replace(item, seen=replace(item.seen, meta=None, submission=None))
    kind, unit = (meta.kind, meta.unit_code or "") if meta else ("", "")
    return Checked(slim, kind, unit, position, tuple(problems))


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
    checked: Sequence[Checked], subs: Sequence[Identity], problems: list[list[Problem]]
) -> tuple[list[FileStatus], dict[int, str]]:
    """Each file's status, and why a file is superseded; the latest accepted one counts."""
    status: list[FileStatus] = []
    groups: dict[tuple[object, ...], list[tuple[dt.datetime, str, int]]] = {}
    for i, item in enumerate(checked):
        if item.found.ignored:
            status.append(FileStatus.IGNORED)
        elif item.position is None or any(p.severity in BLOCKING for p in problems[i]):
            status.append(FileStatus.REJECTED)
        else:
            status.append(FileStatus.ACCEPTED)
            sub = subs[item.position]
            slot = (sub.kind, sub.unit, sub.period)
            moment = item.found.received or item.found.saved or EARLIEST
            groups.setdefault(slot, []).append((moment, item.found.seen.rel, i))
    reasons: dict[int, str] = {}
    for group in groups.values():
        starts = {i: subs[_position(checked[i])].effective_from for _, _, i in group}
        for i, by in superseded_by(group, starts).items():
            status[i] = FileStatus.SUPERSEDED
            reasons[i] = f"digantikan oleh kiriman yang lebih baru: {checked[by].found.seen.rel}"
    return status, reasons


def _position(item: Checked) -> int:
    assert item.position is not None
    return item.position


def _record(
    item: Checked, status: FileStatus, problems: tuple[Problem, ...], reason: str
) -> FileRecord:
    found = item.found
    seen = found.seen
    return FileRecord(
        path=seen.rel,
        sha256=seen.sha256,
        size=seen.size,
        received_at=found.received,
        received_source=found.source,
        sender=found.sender,
        subject=found.subject,
        kind=item.kind,
        unit=item.unit,
        period=seen.period,
        status=status,
        problems=problems,
        reason=reason,
        saved_at=found.saved,
    )


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")
