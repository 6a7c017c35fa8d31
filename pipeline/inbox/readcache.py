"""What the reader found in a file, remembered by the file's SHA-256, so a later run need not
guard and parse the same bytes again.

A year's inbox grows quarter by quarter and every report reads it all: by TW IV each run
re-reads three quarters of files whose bytes have not changed. What `read_parts` returns
depends only on a file's bytes and on the reader's code, so it is kept under the file's
SHA-256 and a fingerprint of that code (`fingerprint`): a change of the reader, of the
contract that parses `_meta`, or of the libraries it leans on makes every entry unreachable,
and entries of another fingerprint are dropped when the cache is opened for a run.

Only clean reads are kept (a `_meta` found, no problem); a refused file is read again each
run. Everything decided later (identity against the catalogue and settings, validation,
which file counts) is decided again each run. Entries are JSON, never pickle: a cache file
that someone changed can give wrong cells, not run code, and the cache lives outside the
inbox, beside the catalogue's (`--tanpa-cache` turns both off).

The cache is an optimisation only: a cache that cannot be opened, read or written (a full
disk, a damaged file, no permission) is given up for the run, silently (the reason is kept
in `ReadCache.trouble`), and the files are read as if there were none; a damaged entry is
dropped and its file read again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import sys
import zlib
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from pipeline import contract
from pipeline.contract import mapped_rows, meta_fields, meta_from
from pipeline.inbox import guard, read, xlsx
from pipeline.inbox.read import Raw, ReadResult

FILE_NAME = "baca.sqlite"
_TIMEOUT_S = 30.0  # another process (a --jobs reader) may hold the write lock that long
# One row a file: kunci = SHA-256 of (reader fingerprint, file SHA-256), so a row of another
# reader is never found whatever runs beside it; sidik = the fingerprint's first 8 bytes, to
# drop other readers' rows, which happens when the reader that last opened the cache (table
# pembaca) was another. PRAGMA user_version tells this layout from an older one.
_LAYOUT = 3
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS baca (kunci BLOB PRIMARY KEY, sidik INTEGER NOT NULL, "
    "isi BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS pembaca (sidik INTEGER NOT NULL)",
)


@cache
def fingerprint() -> str:
    """SHA-256 of the reader's code and of what it leans on: a change of any makes new keys."""
    digest = hashlib.sha256()
    for module in (guard, xlsx, read, contract, sys.modules[__name__]):
        digest.update(Path(str(module.__file__)).read_bytes())
    for package in ("openpyxl",):  # date formats and Excel serial dates
        digest.update(f"{package} {metadata.version(package)}".encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def _key(sha256: str) -> bytes:
    return hashlib.sha256(bytes.fromhex(fingerprint()) + sha256.encode()).digest()


def _mark() -> int:
    return int.from_bytes(bytes.fromhex(fingerprint())[:8], "big", signed=True)


class ReadCache:
    """Reads kept in one SQLite file; each process opens its own connection when first used."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / FILE_NAME
        self._prune = True  # this process drops other readers' rows when it opens the cache
        self._owner = os.getpid()
        self._db: sqlite3.Connection | None = None
        self._broken = False
        self._pending: list[tuple[bytes, int, bytes]] = []
        self.trouble = ""  # why the cache was given up or an entry dropped, for developers

    def __getstate__(self) -> dict[str, Any]:
        """What a reader process started afresh (not forked) gets: the place, no connection."""
        return {"path": self.path, "broken": self._broken}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.path, self._broken = state["path"], state["broken"]
        self._prune, self._owner, self._db, self._pending = False, os.getpid(), None, []
        self.trouble = ""

    def get(self, sha256: str) -> ReadResult | None:
        """The read kept for these bytes, or None."""
        db = self._connection()
        if db is None:
            return None
        key = (_key(sha256),)
        try:
            row = db.execute("SELECT isi FROM baca WHERE kunci = ?", key).fetchone()
            if row is None:
                return None
            try:
                return decode(row[0])
            except Exception as exc:  # any failure to decode the bytes: a damaged entry
                self.trouble = f"entry {sha256[:12]} damaged, read again: {exc}"
                with db:
                    db.execute("DELETE FROM baca WHERE kunci = ?", key)
                return None
        except sqlite3.Error as exc:
            self._give_up(exc)
            return None

    def put(self, sha256: str, result: ReadResult) -> None:
        """Keep a clean read (written with the next `flush`)."""
        self._adopt()
        if self._broken or result.meta is None or result.problems:
            return
        try:
            blob = encode(result)
        except TypeError:  # a value of a type the cache does not know: read it again next time
            return
        self._pending.append((_key(sha256), _mark(), blob))

    def flush(self) -> None:
        """Write what `put` kept, in one transaction."""
        self._adopt()
        pending, self._pending = self._pending, []
        db = self._connection() if pending else None
        if db is None:
            return
        try:
            with db:
                db.executemany("INSERT OR REPLACE INTO baca VALUES (?, ?, ?)", pending)
        except sqlite3.Error as exc:
            self._give_up(exc)

    def close(self) -> None:
        """Write what is pending and close the connection."""
        self.flush()
        if self._db is not None:
            self._db.close()
            self._db = None

    def open(self) -> bool:
        """Open the cache now (the process that made it also drops other fingerprints'
        entries); False when it cannot be used in this run."""
        return self._connection() is not None

    def _adopt(self) -> None:
        """In a forked reader process: never use the parent's connection or its pending."""
        if self._owner != os.getpid():
            self._owner, self._db, self._pending, self._prune = os.getpid(), None, [], False

    def _connection(self) -> sqlite3.Connection | None:
        self._adopt()
        if self._db is not None or self._broken:
            return self._db
        try:
            self._db = self._opened()
        except sqlite3.OperationalError as exc:  # locked, read-only, disk full: leave it be
            self._give_up(exc)
        except sqlite3.DatabaseError:  # not a database (damaged): start a new one
            try:
                self.path.unlink()
                self._db = self._opened()
            except (OSError, sqlite3.Error) as exc:
                self._give_up(exc)
        except OSError as exc:
            self._give_up(exc)
        return self._db

    def _opened(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=_TIMEOUT_S)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            if db.execute("PRAGMA user_version").fetchone()[0] != _LAYOUT:
                with db:  # an older layout (or a new file): start afresh
                    db.execute("DROP TABLE IF EXISTS baca")
                    db.execute("DROP TABLE IF EXISTS pembaca")
                    for table in _SCHEMA:
                        db.execute(table)
                    db.execute(f"PRAGMA user_version = {_LAYOUT}")
            if self._prune and db.execute("SELECT sidik FROM pembaca").fetchall() != [(_mark(),)]:
                with db:  # another reader opened it last: its rows can never be found again
                    db.execute("DELETE FROM baca WHERE sidik != ?", (_mark(),))
                    db.execute("DELETE FROM pembaca")
                    db.execute("INSERT INTO pembaca VALUES (?)", (_mark(),))
        except BaseException:
            db.close()
            raise
        return db

    def _give_up(self, exc: BaseException) -> None:
        self.trouble = f"{self.path} given up in this process: {exc}"
        self._broken, self._pending = True, []
        if self._db is not None:
            self._db.close()
            self._db = None


def encode(result: ReadResult) -> bytes:
    """A clean read as compressed JSON."""
    meta = result.meta
    assert meta is not None
    values = [[sheet, ref, _tagged(value)] for (sheet, ref), value in result.cells.items()]
    formulas = [[sheet, ref, text] for (sheet, ref), text in result.formulas.items()]
    parts = [meta_fields(meta), mapped_rows(meta), values, formulas]
    return zlib.compress(json.dumps(parts, ensure_ascii=False).encode(), 1)


def decode(blob: bytes) -> ReadResult:
    """The read `encode` kept."""
    fields, rows, values, formulas = json.loads(zlib.decompress(blob))
    return ReadResult(
        meta_from(fields, rows),
        {(sheet, ref): _untagged(value) for sheet, ref, value in values},
        {(sheet, ref): text for sheet, ref, text in formulas},
    )


# Values JSON holds as they are (None, bool, float, str); the rest as [type, text]. A float
# keeps its exact value (repr), and JSON's NaN and Infinity are read back as such.
_TYPES: dict[str, Any] = {
    "datetime": dt.datetime.fromisoformat,
    "date": dt.date.fromisoformat,
    "time": dt.time.fromisoformat,
    "timedelta": lambda seconds: dt.timedelta(seconds=seconds),
    "int": int,
}


def _tagged(value: Raw) -> Any:
    if value is None or isinstance(value, bool | float | str):
        return value
    if isinstance(value, dt.timedelta):
        return ["timedelta", value.total_seconds()]
    if isinstance(value, int):
        return ["int", str(value)]
    for kind in (dt.datetime, dt.date, dt.time):  # datetime before date: it is one
        if type(value) is kind:
            return [kind.__name__, value.isoformat()]
    raise TypeError(f"nilai sel {type(value).__name__} tidak disimpan di cache")


def _untagged(value: Any) -> Raw:
    if isinstance(value, list):
        kind, text = value
        converted: Raw = _TYPES[kind](text)
        return converted
    return value  # type: ignore[no-any-return]
