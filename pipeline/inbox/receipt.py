"""When and from whom a file arrived: the collect manifest, else the file's own time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline.mail.manifest import ManifestEntry, read_manifest


class Manifest:
    """The collect manifest, looked up by file and by content (first entry wins)."""

    def __init__(self, entries: list[ManifestEntry]) -> None:
        self.by_file: dict[str, ManifestEntry] = {}
        self.by_sha: dict[str, ManifestEntry] = {}
        for entry in entries:
            self.by_file.setdefault(entry.file, entry)
            if entry.sha256:
                self.by_sha.setdefault(entry.sha256, entry)

    @classmethod
    def of(cls, inbox: Path) -> Manifest:
        """The manifest of an inbox (empty when it has none)."""
        return cls(read_manifest(inbox))

    def entry(self, rel: str, digest: str) -> ManifestEntry | None:
        """The entry of a file: by its path, else by its content."""
        found = self.by_file.get(rel)
        if found is not None:
            return found
        return self.by_sha.get(digest) if digest else None


def received_at(entry: ManifestEntry | None, zone: dt.tzinfo) -> dt.datetime | None:
    """When the manifest says the file arrived (the server's receipt time, else the mail's
    Date), in the office's zone; None when it does not.

    A file saved into the inbox by hand has no receipt time: its modification time says when
    it was copied, not when the unit sent it (a whole inbox copied in August made every unit
    'late by 2,973 days'), so it is never taken as one.
    """
    if not (entry and entry.received_at):
        return None
    try:
        moment = dt.datetime.fromisoformat(entry.received_at)
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).astimezone(zone)


def saved_at(mtime: float, zone: dt.tzinfo) -> dt.datetime:
    """When a file was saved into the inbox (its modification time), in the office's zone."""
    return dt.datetime.fromtimestamp(mtime, tz=zone)
