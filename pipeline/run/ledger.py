"""The `close` and `reopen` use cases, and the scan with closed quarters in force.

The ledger folder (default `ledger/`, beside the inbox, never inside it) holds one
`<period>.json` per closed quarter (pipeline/ledger.py), `riwayat.csv` (every close and
reopen: when, which quarter, why) and `arsip/` (the records of reopened quarters, kept).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.atomic import atomic_path
from pipeline.catalogue.model import Catalogue
from pipeline.config import Config
from pipeline.csvsafe import write_csv
from pipeline.errors import UsageError
from pipeline.inbox.readcache import ReadCache
from pipeline.ledger import ClosedQuarter, from_json, in_force, to_json
from pipeline.periods import Period
from pipeline.run.scan import scan_inbox
from pipeline.status import latest_period
from pipeline.submission import InboxScan

HISTORY = "riwayat.csv"
ARCHIVE = "arsip"
HISTORY_COLUMNS = ["waktu", "periode", "tindakan", "alasan", "berkas"]
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class InForce:
    """What a report of a period counts: the scan, and the closed quarter it came from."""

    scan: InboxScan
    period: Period
    closed: ClosedQuarter | None = None  # set when the period itself is closed
    after_close: int = 0  # live values of closed quarters that are not counted


def record_path(ledger: Path, period: Period) -> Path:
    """Where a closed quarter's record lives."""
    return ledger / f"{period}.json"


def closed_quarters(ledger: Path) -> list[ClosedQuarter]:
    """Every quarter closed in the ledger (none when the folder does not exist)."""
    if not ledger.is_dir():
        return []
    found = []
    for path in sorted(ledger.glob("*-TW[1-4].json")):
        try:
            found.append(from_json(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError) as exc:
            raise UsageError(f"catatan buku besar {path} tidak dapat dibaca: {exc}") from exc
    return found


def scan_in_force(
    inbox: Path,
    catalogue: Catalogue,
    config: Config,
    ledger: Path,
    period: Period | None = None,
    *,
    progress: Progress | None = None,
    jobs: int = 1,
    cache: ReadCache | None = None,
) -> InForce:
    """The inbox scanned, closed quarters as recorded; a closed period's own record as is.

    period: the report's period (default: the latest quarter in the inbox).
    """
    live = scan_inbox(inbox, catalogue, config, progress=progress, jobs=jobs, cache=cache)
    period = period or latest_period(live.files)
    closed = closed_quarters(ledger)
    applied = in_force(live, closed)
    late = int((applied.revisions["status"] == "after-close").sum())
    own = next((c for c in closed if c.period == period), None)
    if own is not None:
        if own.catalogue_hash != catalogue.content_hash:
            raise UsageError(
                f"{period} ditutup dengan katalog lain ({own.catalogue_hash[:12]}); laporannya "
                "hanya dapat dibuat ulang dengan katalog itu (iki --katalog)."
            )
        return InForce(own.scan, period, own, late)
    return InForce(applied, period, None, late)


def close_quarter(
    inbox: Path,
    ledger: Path,
    period: Period,
    catalogue: Catalogue,
    config: Config,
    *,
    now: dt.datetime | None = None,
    cache: ReadCache | None = None,
) -> ClosedQuarter:
    """Record what the period's report counts; refuse when it is closed already."""
    target = record_path(ledger, period)
    if target.exists():
        raise UsageError(
            f"{period} sudah ditutup ({target}). Untuk mengubahnya: iki reopen {period} "
            '--alasan "..."'
        )
    scan = scan_in_force(inbox, catalogue, config, ledger, period, cache=cache).scan
    moment = now or dt.datetime.now(config.zone)
    closed = ClosedQuarter(period, moment, catalogue.content_hash, scan)
    text = to_json(closed)
    with atomic_path(target) as temp:
        temp.write_text(text, encoding="utf-8")
    _history(ledger, moment, period, "ditutup", "", target.name)
    return from_json(text)


def reopen_quarter(
    ledger: Path, period: Period, reason: str, config: Config, *, now: dt.datetime | None = None
) -> Path:
    """Reopen a closed quarter: its record moves to the archive, the reason is recorded."""
    if not reason.strip():
        raise UsageError('Sebutkan alasan membuka kembali: --alasan "..."')
    source = record_path(ledger, period)
    if not source.exists():
        raise UsageError(f"{period} belum ditutup: tidak ada {source}.")
    moment = now or dt.datetime.now(config.zone)
    archive = ledger / ARCHIVE / f"{period}-dibuka-{moment:%Y%m%d-%H%M%S}.json"
    archive.parent.mkdir(parents=True, exist_ok=True)
    source.replace(archive)
    _history(ledger, moment, period, "dibuka kembali", reason.strip(), archive.name)
    return archive


def _history(
    ledger: Path, moment: dt.datetime, period: Period, action: str, reason: str, name: str
) -> None:
    path = ledger / HISTORY
    rows = pd.read_csv(path, dtype=str, keep_default_na=False) if path.exists() else None
    row = pd.DataFrame(
        [[moment.isoformat(timespec="seconds"), str(period), action, reason, name]],
        columns=HISTORY_COLUMNS,
    )
    frame = row if rows is None else pd.concat([rows, row], ignore_index=True)
    with atomic_path(path) as temp:
        write_csv(frame, temp)
