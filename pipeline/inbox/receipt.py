"""When and from whom a file arrived: the collect manifest, else the file's own time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pipeline.inbox.collect import ManifestEntry, read_manifest


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


def received_at(entry: ManifestEntry | None, mtime: float) -> dt.datetime:
    """The mail's date when the manifest has one, else the file's modification time (aware)."""
    if entry and entry.date:
        try:
            moment = dt.datetime.fromisoformat(entry.date)
            return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
        except ValueError:
            pass
    return dt.datetime.fromtimestamp(mtime, tz=dt.UTC).astimezone()
