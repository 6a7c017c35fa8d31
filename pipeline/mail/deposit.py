"""Save attachments into the inbox safely, each file together with its manifest row.

Every collector (saved mail files, IMAP) goes through `Deposit.save`, which for one attachment:

1. takes the inbox lock (an exclusive `flock` on the inbox folder itself, so no lock file is
   left in the inbox; on Windows there is no lock: run one `collect` at a time there);
2. reads the manifest rows other runs appended since it last looked;
3. skips content already in the inbox (SHA-256), and when that content is a file without a
   manifest row (a run stopped between the two, or a file placed by hand) adds the row;
4. writes the bytes to a hidden temporary file in the inbox, flushes it to disk, and links it
   under a free, sanitised name: a link never replaces and never follows anything already
   there, a dangling symbolic link included;
5. appends the manifest row and flushes it.

A run killed between 4 and 5 leaves a complete file without its row; the next run completes
the row (step 3). A run killed during 4 leaves a hidden temporary file, which the next run
removes (only files named like ours, and only under the lock). Nothing else in the inbox is
ever changed or deleted.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from pipeline import paths
from pipeline.errors import OutputError, UsageError
from pipeline.mail.manifest import (
    MANIFEST_FIELDS,
    ManifestEntry,
    manifest_path,
    parse_rows,
    read_manifest,
    row_text,
    write_manifest,
)
from pipeline.mail.message import UNNAMED, Attachment, Headers
from pipeline.mail.names import safe_name
from pipeline.oserrors import os_reason

TEMP_PREFIX = ".iki-sementara-"
TEMP_SUFFIX = ".part"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


@dataclass(frozen=True)
class Origin:
    """The mail an attachment came from."""

    headers: Headers
    received: str = ""  # the server's receipt time (IMAP INTERNALDATE), ISO 8601


@dataclass(frozen=True)
class Saved:
    """An attachment now in the inbox with its manifest row."""

    entry: ManifestEntry
    name_in_mail: str
    completed: bool = False  # the file was already there without a row: only the row is new


@dataclass(frozen=True)
class Duplicate:
    """An attachment whose content is already in the inbox."""

    name_in_mail: str
    kept_as: str


class Deposit:
    """An inbox open for saving attachments (a context manager)."""

    def __init__(self, inbox: Path) -> None:
        self.inbox = inbox
        self._dir_fd: int | None = None
        self._known: dict[str, str] = {}  # sha256 -> file with a manifest row
        self._orphans: dict[str, str] = {}  # sha256 -> file without a manifest row
        self._offset = 0  # bytes of the manifest already read

    def __enter__(self) -> Deposit:
        try:
            self.inbox.mkdir(parents=True, exist_ok=True)
            if sys.platform != "win32":
                self._dir_fd = os.open(self.inbox, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except OSError as exc:
            raise _failure(
                f"folder kotak masuk {self.inbox} tidak dapat dibuka", self.inbox, exc
            ) from exc
        try:
            with self._locked():
                self._refuse_linked_manifest()
                self._upgrade_header()
                self._remove_stale_temps()
                self._refresh()
                self._orphans = _hashes_on_disk(self.inbox, set(self._known.values()))
        except OSError as exc:
            self.__exit__(None, None, None)
            raise _failure(f"kotak masuk {self.inbox} tidak dapat dibaca", self.inbox, exc) from exc
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._dir_fd is not None:
            os.close(self._dir_fd)
            self._dir_fd = None

    def save(self, attachment: Attachment, origin: Origin) -> Saved | Duplicate:
        """Put one attachment into the inbox with its manifest row, unless already there."""
        digest = hashlib.sha256(attachment.payload).hexdigest()
        try:
            with self._locked():
                return self._save(attachment, digest, origin)
        except OSError as exc:
            raise _failure(
                f"kotak masuk {self.inbox} tidak dapat ditulis", self.inbox, exc
            ) from exc

    def _save(self, attachment: Attachment, digest: str, origin: Origin) -> Saved | Duplicate:
        self._refresh()
        if digest in self._known:
            return Duplicate(attachment.name, self._known[digest])
        if digest in self._orphans:
            rel = self._orphans.pop(digest)
            entry = _entry(rel, digest, origin)
            self._append(entry)
            return Saved(entry, attachment.name, completed=True)
        target = self._write(attachment)
        entry = _entry(target.relative_to(self.inbox).as_posix(), digest, origin)
        self._append(entry)
        return Saved(entry, attachment.name)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        if self._dir_fd is None:
            yield
            return
        import fcntl  # POSIX only; Windows has no lock here (see the module docstring)

        fcntl.flock(self._dir_fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._dir_fd, fcntl.LOCK_UN)

    def _refuse_linked_manifest(self) -> None:
        path = manifest_path(self.inbox)
        if path.is_symlink():
            raise UsageError(
                f"{path} adalah tautan simbolik; collect tidak menulis melalui tautan. "
                "Ganti dengan berkas biasa atau pilih folder kotak masuk lain."
            )

    def _upgrade_header(self) -> None:
        """Rewrite a manifest whose header lacks newer columns (once, under the lock)."""
        path = manifest_path(self.inbox)
        if not path.is_file():
            return
        with path.open(encoding="utf-8", newline="") as handle:
            header = handle.readline()
        if header and header != row_text():
            write_manifest(self.inbox, read_manifest(self.inbox))

    def _remove_stale_temps(self) -> None:
        """Temporary files of a collect that was killed (ours by name, never anything else)."""
        if self._dir_fd is None:
            return  # without a lock another run may be writing its own right now
        for path in self.inbox.glob(f"{TEMP_PREFIX}*{TEMP_SUFFIX}"):
            if stat.S_ISREG(path.lstat().st_mode):
                path.unlink(missing_ok=True)

    def _refresh(self) -> None:
        """Learn the manifest rows appended since the last look (by this run or another)."""
        path = manifest_path(self.inbox)
        if not path.is_file():
            return
        with path.open("rb") as handle:
            handle.seek(self._offset)
            chunk = handle.read()
        if not chunk:
            return
        text = chunk.decode("utf-8", errors="replace")
        entries = parse_rows(text, header=None if self._offset == 0 else MANIFEST_FIELDS)
        self._offset += len(chunk)
        for entry in entries:
            if entry.sha256 and _is_regular(self.inbox / entry.file):
                self._known.setdefault(entry.sha256, entry.file)
                self._orphans.pop(entry.sha256, None)

    def _write(self, attachment: Attachment) -> Path:
        """Write the bytes to a temporary file, then link it under a free name."""
        name = safe_name(attachment.name or f"{UNNAMED}{attachment.suffix}", attachment.suffix)
        try:
            fd, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=self.inbox)
        except OSError as exc:
            raise _failure(f"tidak dapat menulis ke {self.inbox}", self.inbox, exc) from exc
        temp = Path(temp_name)
        try:
            _write_all(fd, attachment.payload)
            os.chmod(temp, 0o666 & ~_umask())
            return self._publish(temp, name)
        except OSError as exc:
            raise _failure(f"tidak dapat menulis {name} ke {self.inbox}", temp, exc) from exc
        finally:
            temp.unlink(missing_ok=True)

    def _publish(self, temp: Path, name: str) -> Path:
        stem, suffix = name[: -len(Path(name).suffix)], Path(name).suffix
        number = 1
        while True:
            candidate = self.inbox / (name if number == 1 else f"{stem}_{number}{suffix}")
            number += 1
            if candidate.name == paths.MANIFEST_FILE:
                continue
            try:
                _link(temp, candidate)
            except FileExistsError:
                continue
            self._sync_dir()
            return candidate

    def _append(self, entry: ManifestEntry) -> None:
        """Append one row (and the header to a new manifest), flushed to disk."""
        path = manifest_path(self.inbox)
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | _NOFOLLOW | getattr(os, "O_BINARY", 0)
        try:
            fd = os.open(path, flags, 0o666)
        except OSError as exc:
            raise _failure(f"manifest {path} tidak dapat ditulis", path, exc) from exc
        try:
            text = row_text(entry)
            if os.fstat(fd).st_size == 0:
                text = row_text() + text
            _write_all(fd, text.encode("utf-8"), close=False)
        except OSError as exc:
            raise _failure(f"manifest {path} tidak dapat ditulis", path, exc) from exc
        finally:
            os.close(fd)
        self._known[entry.sha256] = entry.file

    def _sync_dir(self) -> None:
        if self._dir_fd is not None:
            os.fsync(self._dir_fd)


def _failure(what: str, path: Path, exc: OSError) -> OutputError:
    """An OutputError saying what failed and why, in Indonesian."""
    reason = os_reason(exc)
    return OutputError(f"{what}: {reason}", path=path, reason=reason)


def _entry(rel: str, digest: str, origin: Origin) -> ManifestEntry:
    h = origin.headers
    return ManifestEntry(rel, digest, h.sender, h.date, h.subject, h.message_id, origin.received)


def _write_all(fd: int, data: bytes, *, close: bool = True) -> None:
    """Write every byte and flush it to disk."""
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        if close:
            os.close(fd)


def _link(temp: Path, target: Path) -> None:
    """Give the temporary file its final name without replacing or following anything."""
    try:
        os.link(temp, target)
    except FileExistsError:
        raise
    except OSError:
        # A file system without hard links: rename, after checking that nothing (not even a
        # dangling link) has the name. Only another program could race us here: collect
        # runs hold the lock.
        if os.path.lexists(target):
            raise FileExistsError(target) from None
        os.rename(temp, target)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def _hashes_on_disk(inbox: Path, listed: set[str]) -> dict[str, str]:
    """Content hashes of regular files in the inbox without a manifest row.

    Symbolic links are never followed (one could point at /dev/zero or outside the inbox) and
    only regular files are read.
    """
    found: dict[str, str] = {}
    for root, dirs, files in os.walk(inbox, followlinks=False):
        dirs.sort()
        for name in sorted(files):
            path = Path(root) / name
            rel = path.relative_to(inbox).as_posix()
            if rel in listed or rel == paths.MANIFEST_FILE or name.startswith(TEMP_PREFIX):
                continue
            if _is_regular(path):
                with contextlib.suppress(OSError):
                    found.setdefault(hashlib.sha256(path.read_bytes()).hexdigest(), rel)
    return found
