"""Copy spreadsheet attachments from saved mail (.eml folder, .mbox, Maildir) into the inbox.

Names from mail are untrusted: only a sanitised base name is kept, an existing file is never
overwritten (a second file of the same name gets a new name), and a file whose content is
already in the inbox is skipped. `inbox/manifest.csv` keeps sender, date, subject and message
id beside each copied file; `scan_inbox` takes the mail date from it.
"""

from __future__ import annotations

import csv
import datetime as dt
import email
import email.policy
import email.utils
import hashlib
import mailbox
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields
from email.message import Message
from pathlib import Path

from pipeline import paths
from pipeline.atomic import atomic_path
from pipeline.errors import UsageError

# .xlsx is what the office wants; .xlsm and .xls are copied too, so that `validate` can tell
# their senders why they are refused instead of dropping them silently.
ATTACHMENT_SUFFIXES = (".xlsx", ".xlsm", ".xls")
MAX_NAME = 120
_UNSAFE = re.compile(r"[^A-Za-z0-9._ ()+-]+")


@dataclass(frozen=True)
class ManifestEntry:
    """One collected file and the mail it came from."""

    file: str  # relative to the inbox, POSIX separators
    sha256: str
    sender: str
    date: str  # ISO 8601, '' when the mail has no usable date
    subject: str
    message_id: str


MANIFEST_FIELDS = tuple(f.name for f in fields(ManifestEntry))


@dataclass
class CollectResult:
    """What one `collect` run did."""

    messages: int = 0
    saved: list[ManifestEntry] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (name in mail, kept as)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)


def collect(source: Path, inbox: Path) -> CollectResult:
    """Copy every spreadsheet attachment found in `source` into `inbox`, with the manifest."""
    inbox.mkdir(parents=True, exist_ok=True)
    entries = read_manifest(inbox)
    known = {e.sha256: e.file for e in entries if (inbox / e.file).is_file()}
    known.update(_hashes_on_disk(inbox, known))
    result = CollectResult()
    for message in _messages(source, result):
        result.messages += 1
        for name, payload in _attachments(message):
            digest = hashlib.sha256(payload).hexdigest()
            if digest in known:
                result.duplicates.append((name, known[digest]))
                continue
            target = _free_name(inbox, safe_name(name))
            target.write_bytes(payload)
            entry = _entry(inbox, target, digest, message)
            entries.append(entry)
            result.saved.append(entry)
            known[digest] = entry.file
    if result.saved:
        write_manifest(inbox, entries)
    return result


def safe_name(name: str) -> str:
    """A base name safe to create: no folders, no control characters, no leading dot."""
    base = re.split(r"[\\/]", name or "")[-1]
    stem, dot, suffix = base.rpartition(".")
    if not dot or f".{suffix.lower()}" not in ATTACHMENT_SUFFIXES:
        stem, suffix = base, "xlsx"
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    stem = "".join(ch for ch in stem if ch.isprintable())
    stem = _UNSAFE.sub("_", stem).strip(" ._")[:MAX_NAME] or "lampiran"
    if stem.upper() in _RESERVED:
        stem = f"{stem}_"
    return f"{stem}.{suffix.lower()}"


_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(10)),
    *(f"LPT{i}" for i in range(10)),
}


def read_manifest(inbox: Path) -> list[ManifestEntry]:
    """Entries of `inbox/manifest.csv`; none when it does not exist."""
    path = inbox / paths.MANIFEST_FILE
    if not path.is_file():
        return []
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise UsageError(f"manifest {path} tidak dapat dibaca: {exc}") from exc
    return [ManifestEntry(**{k: (row.get(k) or "") for k in MANIFEST_FIELDS}) for row in rows]


def write_manifest(inbox: Path, entries: list[ManifestEntry]) -> None:
    """Write the manifest atomically."""
    with (
        atomic_path(inbox / paths.MANIFEST_FILE) as temp,
        temp.open("w", encoding="utf-8", newline="") as handle,
    ):
        writer = csv.DictWriter(handle, fieldnames=MANIFEST_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(asdict(e) for e in entries)


def mail_date(text: str) -> str:
    """A mail Date header as ISO 8601 (with its offset); '' when absent or unreadable."""
    if not text:
        return ""
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return ""
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.isoformat()


def _messages(source: Path, result: CollectResult) -> Iterator[Message]:
    if not source.exists():
        raise UsageError(f"sumber surel {source} tidak ditemukan")
    if source.is_dir() and all((source / d).is_dir() for d in ("cur", "new", "tmp")):
        box: mailbox.Mailbox = mailbox.Maildir(source, factory=None, create=False)
        yield from _from_box(box, result)
    elif source.is_dir():
        for path in sorted(p for p in source.rglob("*.eml") if p.is_file()):
            yield _parse(path.read_bytes())
    elif source.suffix.lower() == ".eml":
        yield _parse(source.read_bytes())
    else:
        yield from _from_box(mailbox.mbox(source, factory=None, create=False), result)


def _from_box(box: mailbox.Mailbox, result: CollectResult) -> Iterator[Message]:
    for key in sorted(box.iterkeys()):
        try:
            raw = box.get_bytes(key)
        except (OSError, KeyError) as exc:
            result.skipped.append((str(key), str(exc)))
            continue
        yield _parse(raw)


def _parse(raw: bytes) -> Message:
    return email.message_from_bytes(raw, policy=email.policy.default)


def _attachments(message: Message) -> Iterator[tuple[str, bytes]]:
    for part in message.walk():
        if part.is_multipart():
            continue
        name = part.get_filename() or ""
        if not name.lower().endswith(ATTACHMENT_SUFFIXES):
            continue
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes) and payload:
            yield name, payload


def _free_name(inbox: Path, name: str) -> Path:
    stem, _, suffix = name.rpartition(".")
    candidate = inbox / name
    number = 2
    while candidate.exists() or candidate.name == paths.MANIFEST_FILE:
        candidate = inbox / f"{stem}_{number}.{suffix}"
        number += 1
    return candidate


def _entry(inbox: Path, target: Path, digest: str, message: Message) -> ManifestEntry:
    sender = email.utils.parseaddr(str(message.get("From", "")))[1]
    return ManifestEntry(
        file=target.relative_to(inbox).as_posix(),
        sha256=digest,
        sender=sender.lower(),
        date=mail_date(str(message.get("Date", ""))),
        subject=_one_line(str(message.get("Subject", ""))),
        message_id=_one_line(str(message.get("Message-ID", ""))),
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _hashes_on_disk(inbox: Path, known: dict[str, str]) -> dict[str, str]:
    """Content hashes of files already in the inbox (placed by hand or collected earlier)."""
    found: dict[str, str] = {}
    listed = set(known.values())
    for path in sorted(inbox.rglob("*")):
        rel = path.relative_to(inbox).as_posix()
        if path.is_file() and rel not in listed and rel != paths.MANIFEST_FILE:
            found.setdefault(hashlib.sha256(path.read_bytes()).hexdigest(), rel)
    return found
