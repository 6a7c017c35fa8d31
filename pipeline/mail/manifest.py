"""The collect manifest, `inbox/manifest.csv`: one row per collected file and its mail.

Columns: file, sha256, sender, date (the mail's Date header), subject, message_id, received
(when the office's server received the mail: IMAP INTERNALDATE; '' for saved mail files).
The file only ever grows: `collect` appends one row per file under a lock (see
`pipeline.mail.deposit`), so concurrent runs lose nothing. Columns are only ever added at the
end; a manifest written before a column existed is read with that column empty.
"""

from __future__ import annotations

import csv
import io
from dataclasses import astuple, dataclass, fields
from pathlib import Path

from pipeline import paths
from pipeline.atomic import atomic_path
from pipeline.csvsafe import neutralise
from pipeline.errors import UsageError


@dataclass(frozen=True)
class ManifestEntry:
    """One collected file and the mail it came from."""

    file: str  # relative to the inbox, POSIX separators
    sha256: str
    sender: str
    date: str  # the Date header, ISO 8601 with its offset; '' when unusable
    subject: str
    message_id: str
    received: str = ""  # the server's receipt time (IMAP INTERNALDATE), ISO 8601

    @property
    def received_at(self) -> str:
        """The time to judge lateness by: the server's receipt time, else the mail's Date."""
        return self.received or self.date


MANIFEST_FIELDS = tuple(f.name for f in fields(ManifestEntry))


def manifest_path(inbox: Path) -> Path:
    """Where the manifest of an inbox lives."""
    return inbox / paths.MANIFEST_FILE


def read_manifest(inbox: Path) -> list[ManifestEntry]:
    """Entries of `inbox/manifest.csv`; none when it does not exist."""
    path = manifest_path(inbox)
    if not path.is_file():
        return []
    try:
        return parse_rows(path.read_text(encoding="utf-8"), header=None)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise UsageError(f"manifest {path} tidak dapat dibaca: {exc}") from exc


def parse_rows(text: str, header: tuple[str, ...] | None) -> list[ManifestEntry]:
    """Entries in CSV text; `header` None when the text starts with its header line."""
    reader = csv.reader(io.StringIO(text, newline=""))
    names = header if header is not None else tuple(next(reader, ()))
    entries = []
    for row in reader:
        if not row:
            continue
        values = dict(zip(names, row, strict=False))
        entries.append(ManifestEntry(**{k: values.get(k, "") for k in MANIFEST_FIELDS}))
    return entries


def row_text(entry: ManifestEntry | None = None) -> str:
    """One CSV line: the entry, or the header when no entry is given.

    Text from mail (a subject starting with `=`) is neutralised as in every CSV the project
    writes (`pipeline.csvsafe`): the manifest is opened in spreadsheets too.
    """
    buffer = io.StringIO()
    values = MANIFEST_FIELDS if entry is None else tuple(map(neutralise, astuple(entry)))
    csv.writer(buffer, lineterminator="\n").writerow(values)
    return buffer.getvalue()


def write_manifest(inbox: Path, entries: list[ManifestEntry]) -> None:
    """Write a whole manifest atomically (tests, and upgrading an old header)."""
    with atomic_path(manifest_path(inbox)) as temp:
        temp.write_text(row_text() + "".join(row_text(e) for e in entries), encoding="utf-8")
