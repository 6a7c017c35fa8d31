"""The sent-mail log: every mail `iki send` hands to the server, so none goes twice.

An append-only CSV (by default in the user's state folder): time, status, unit, address,
subject, message_id, digest, draft, detail. A row `mengirim` is written and flushed before
the server is asked, and a row `terkirim` (accepted) or `gagal` (refused) after; a mail whose
last row is `mengirim` was interrupted at the very moment of sending and may have gone out,
so it is not sent again without a look (see `pipeline.mail.send`). `digest` identifies the
content: the same text to the same address is the same mail, whatever draft file holds it.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import astuple, dataclass, fields
from pathlib import Path

from pipeline.csvsafe import neutralise
from pipeline.errors import OutputError, UsageError
from pipeline.oserrors import os_reason

SENDING, SENT, FAILED = "mengirim", "terkirim", "gagal"


@dataclass(frozen=True)
class LogRow:
    """One step of one mail."""

    time: str  # ISO 8601
    status: str  # SENDING, SENT or FAILED
    unit: str
    address: str  # recipients, comma separated
    subject: str
    message_id: str
    digest: str
    draft: str
    detail: str = ""  # why the server refused it


LOG_FIELDS = tuple(f.name for f in fields(LogRow))


def read_log(path: Path) -> list[LogRow]:
    """Every row of the log; none when it does not exist."""
    if not path.is_file():
        return []
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise UsageError(f"log surel terkirim {path} tidak dapat dibaca: {exc}") from exc
    return [LogRow(**{k: (row.get(k) or "") for k in LOG_FIELDS}) for row in rows]


def last_status(rows: list[LogRow]) -> dict[str, LogRow]:
    """The latest row of each mail (by digest)."""
    return {row.digest: row for row in rows}


def append_row(path: Path, row: LogRow) -> None:
    """Append one row (with the header when the log is new) and flush it to disk."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8", newline="") as handle:
            if handle.tell() == 0:
                writer.writerow(LOG_FIELDS)
            writer.writerow(tuple(map(neutralise, astuple(row))))
            handle.write(buffer.getvalue())
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        reason = os_reason(exc)
        raise OutputError(
            f"log surel terkirim {path} tidak dapat ditulis: {reason}", path=path, reason=reason
        ) from exc
