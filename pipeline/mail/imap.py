"""Collect spreadsheet attachments from an IMAP folder into the inbox.

The folder is opened read-only (EXAMINE) unless fetched mail is to be marked as seen or moved.
Only mail with a UID above the last one done is fetched (`imap_state`); a changed
UIDVALIDITY means the folder was renumbered, so it is read again from the start (content
already in the inbox is skipped). Each mail is fetched whole with BODY.PEEK[] (which never
marks it seen), its receipt time is the server's INTERNALDATE, and its attachments go through
the same intake as saved mail files. The state is saved after every mail: when the
connection drops, the run stops, says so, and the next run starts at the first mail not done.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import imaplib
import re
import ssl
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline import paths
from pipeline.config import ImapSettings
from pipeline.errors import MailServerError
from pipeline.mail.account import (
    IMPLICIT,
    STARTTLS,
    Secret,
    Server,
    connection_reason,
    parse_url,
    read_password,
    tls_context,
    untrusted_certificate,
)
from pipeline.mail.deposit import Deposit
from pipeline.mail.imap_state import FolderState, load_state, save_state, state_key
from pipeline.mail.intake import CollectResult, MailRef, take
from pipeline.mail.message import Refused, parse

MAX_MAIL_BYTES = 50 * 1024 * 1024  # a mail this large is not a filled template
TIMEOUT = 60.0  # seconds a server may stay silent before the run stops
SEEN, MOVE = "seen", "move:"
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
_INTERNALDATE = re.compile(
    rb'INTERNALDATE "\s?(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)"'
)
_UID = re.compile(rb"\bUID (\d+)")
_SIZE = re.compile(rb"\bRFC822\.SIZE (\d+)")
_CONNECTION_ERRORS = (imaplib.IMAP4.error, OSError)


@dataclass(frozen=True)
class ImapJob:
    """One folder to collect from, into one inbox."""

    server: Server
    password: Secret
    inbox: Path
    state_file: Path
    after: str = ""  # '' (leave mail as it is), 'seen', or 'move:<folder>'
    cafile: str = ""


def is_imap_url(source: str) -> bool:
    """True when `collect`'s source names an IMAP folder rather than saved mail."""
    return source.strip().lower().startswith(("imap://", "imaps://"))


def imap_job(url: str, inbox: Path, settings: ImapSettings) -> ImapJob:
    """The job for a folder URL, with the password and state file the settings name."""
    server = parse_url(url, "imap", allow_plaintext=settings.allow_plaintext)
    password = read_password(settings.password_env, settings.password_file)
    state = Path(settings.state).expanduser() if settings.state else None
    return ImapJob(
        server,
        password,
        inbox,
        state or paths.state_dir() / paths.IMAP_STATE_FILE,
        settings.after,
        settings.cafile,
    )


@dataclass(frozen=True)
class _Pending:
    uid: int
    received: str  # INTERNALDATE, ISO 8601
    size: int


def collect_imap(job: ImapJob, progress: Callable[[int, int], None] | None = None) -> CollectResult:
    """Fetch new mail from the folder and save its spreadsheets into the inbox.

    progress(done, total) is called after each mail is finished and its state saved.
    """
    _check_after(job.after)
    result = CollectResult()
    key = state_key(job.server.label, job.inbox)
    with _session(job) as conn, Deposit(job.inbox) as deposit:
        uidvalidity = _select(conn, job)
        saved = load_state(job.state_file, key)
        last = saved.last_uid if saved and saved.uidvalidity == uidvalidity else 0
        result.uidvalidity_changed = saved is not None and saved.uidvalidity != uidvalidity
        pending = _pending(conn, last)
        for done, mail in enumerate(pending, start=1):
            try:
                _take_one(conn, deposit, mail, result, job.after)
            except _CONNECTION_ERRORS as exc:
                result.interrupted = _describe(exc)
                break
            save_state(job.state_file, key, FolderState(uidvalidity, mail.uid))
            if progress is not None:
                progress(done, len(pending))
    return result


def _check_after(after: str) -> None:
    if after not in ("", SEEN) and not (after.startswith(MOVE) and after[len(MOVE) :].strip()):
        raise MailServerError(
            f"pilihan sesudah-ambil {after!r} tidak dikenal: kosong, 'seen', atau 'move:FOLDER'"
        )


@contextlib.contextmanager
def _session(job: ImapJob) -> Iterator[imaplib.IMAP4]:
    """A logged-in connection over TLS (or plain text to this computer when allowed)."""
    conn = _open(job.server, job.cafile)
    try:
        conn.login(job.server.user, job.password.reveal())
        _refresh_capabilities(conn)
    except imaplib.IMAP4.error as exc:
        _close(conn)
        raise MailServerError(
            f"server IMAP menolak login {job.server.user}: periksa nama pengguna dan sandi "
            f"({_describe(exc)})"
        ) from None
    except OSError as exc:
        _close(conn)
        raise MailServerError(f"koneksi ke {job.server.host} terputus: {_describe(exc)}") from None
    try:
        yield conn
    finally:
        with contextlib.suppress(*_CONNECTION_ERRORS):
            conn.logout()


def _refresh_capabilities(conn: imaplib.IMAP4) -> None:
    """Ask again after login, where servers announce more (MOVE); imaplib keeps the first."""
    status, data = conn.capability()
    if status == "OK" and data and isinstance(data[-1], bytes):
        conn.capabilities = tuple(data[-1].decode("ascii", "replace").upper().split())


def _open(server: Server, cafile: str) -> imaplib.IMAP4:
    context = tls_context(cafile) if server.security in (IMPLICIT, STARTTLS) else None
    where = f"{server.host}:{server.port}"
    try:
        if server.security == IMPLICIT:
            return imaplib.IMAP4_SSL(server.host, server.port, ssl_context=context, timeout=TIMEOUT)
        conn = imaplib.IMAP4(server.host, server.port, timeout=TIMEOUT)
    except ssl.SSLCertVerificationError as exc:
        raise MailServerError(untrusted_certificate(where, exc)) from None
    except _CONNECTION_ERRORS as exc:
        raise MailServerError(f"tidak dapat terhubung ke {where}: {_describe(exc)}") from None
    if server.security == STARTTLS:
        _starttls(conn, context, where)
    return conn


def _starttls(conn: imaplib.IMAP4, context: ssl.SSLContext | None, where: str) -> None:
    if "STARTTLS" not in conn.capabilities:
        _close(conn)
        raise MailServerError(
            f"server {where} tidak menawarkan STARTTLS; sandi tidak dikirim tanpa enkripsi. "
            "Gunakan imaps:// bila server mendukungnya."
        )
    try:
        conn.starttls(ssl_context=context)
    except ssl.SSLCertVerificationError as exc:
        _close(conn)
        raise MailServerError(untrusted_certificate(where, exc)) from None
    except _CONNECTION_ERRORS as exc:
        _close(conn)
        raise MailServerError(f"STARTTLS ke {where} gagal: {_describe(exc)}") from None


def _close(conn: imaplib.IMAP4) -> None:
    with contextlib.suppress(*_CONNECTION_ERRORS):
        conn.shutdown()


def _select(conn: imaplib.IMAP4, job: ImapJob) -> int:
    """Open the folder (read-only unless mail is to be changed); return its UIDVALIDITY."""
    folder = job.server.folder
    try:
        if job.after.startswith(MOVE):
            _check_move(conn, job.after[len(MOVE) :].strip())
        status, _ = conn.select(quote(folder), readonly=not job.after)
        if status != "OK":
            raise MailServerError(f"folder {folder!r} tidak ada di server {job.server.host}")
        _, values = conn.response("UIDVALIDITY")
        return int(values[0]) if values and values[0] else 0
    except _CONNECTION_ERRORS as exc:
        raise MailServerError(f"folder {folder!r} tidak dapat dibuka: {_describe(exc)}") from None


def _check_move(conn: imaplib.IMAP4, target: str) -> None:
    if "MOVE" not in conn.capabilities:
        raise MailServerError("server tidak mendukung MOVE; gunakan 'seen' atau biarkan kosong")
    status, _ = conn.status(quote(target), "(MESSAGES)")
    if status != "OK":
        raise MailServerError(f"folder tujuan {target!r} tidak ada di server; buat dulu")


def _pending(conn: imaplib.IMAP4, last: int) -> list[_Pending]:
    """Mail with a UID above `last`, oldest first, with receipt time and size."""
    try:
        status, data = conn.uid("FETCH", f"{last + 1}:*", "(UID INTERNALDATE RFC822.SIZE)")
    except _CONNECTION_ERRORS as exc:
        raise MailServerError(f"daftar surel tidak dapat dibaca: {_describe(exc)}") from None
    if status != "OK":
        raise MailServerError(f"daftar surel tidak dapat dibaca: {_describe(data)}")
    found = {}
    for item in data:
        line = item[0] if isinstance(item, tuple) else item
        if not isinstance(line, bytes):
            continue
        uid, size = _UID.search(line), _SIZE.search(line)
        if uid and int(uid.group(1)) > last:  # `n:*` also matches the highest UID below n
            found[int(uid.group(1))] = _Pending(
                int(uid.group(1)), internaldate(line), int(size.group(1)) if size else 0
            )
    return [found[uid] for uid in sorted(found)]


def _take_one(
    conn: imaplib.IMAP4, deposit: Deposit, mail: _Pending, result: CollectResult, after: str
) -> None:
    where = f"UID {mail.uid}"
    if mail.size > MAX_MAIL_BYTES:
        result.messages += 1
        ref = MailRef(where, "", "", "")
        result.refused.append((ref, Refused(f"({mail.size} byte)", "mail-too-large")))
    else:
        raw = _fetch(conn, mail.uid)
        if raw is None:
            result.skipped.append((where, "surel sudah tidak ada di server"))
            return
        take(deposit, parse(raw), where, result, received=mail.received)
    _after(conn, mail.uid, after)


def _fetch(conn: imaplib.IMAP4, uid: int) -> bytes | None:
    status, data = conn.uid("FETCH", str(uid), "(BODY.PEEK[])")
    if status != "OK":
        raise imaplib.IMAP4.error(_describe(data))
    for item in data:
        if isinstance(item, tuple) and isinstance(item[1], bytes):
            return item[1]
    return None


def _after(conn: imaplib.IMAP4, uid: int, after: str) -> None:
    """Mark the mail seen or move it, as asked; a refusal stops the run like a drop."""
    if after == SEEN:
        status, data = conn.uid("STORE", str(uid), "+FLAGS", "(\\Seen)")
    elif after.startswith(MOVE):
        status, data = conn.uid("MOVE", str(uid), quote(after[len(MOVE) :].strip()))
    else:
        return
    if status != "OK":
        raise imaplib.IMAP4.error(_describe(data))


def internaldate(line: bytes) -> str:
    """The INTERNALDATE of a FETCH response as ISO 8601 with the server's offset ('' if none).

    Parsed by hand: strptime's %b depends on the locale, and imaplib's Internaldate2tuple
    converts to local time and drops the offset.
    """
    match = _INTERNALDATE.search(line)
    if not match:
        return ""
    day, month, year, hour, minute, second, sign, off_h, off_m = match.groups()
    number = _MONTHS.get(month.decode("ascii").title())
    if number is None:
        return ""
    offset = dt.timedelta(hours=int(off_h), minutes=int(off_m)) * (1 if sign == b"+" else -1)
    try:
        moment = dt.datetime(
            int(year),
            number,
            int(day),
            int(hour),
            int(minute),
            int(second),
            tzinfo=dt.timezone(offset),
        )
    except ValueError:
        return ""
    return moment.isoformat()


def quote(name: str) -> str:
    """A folder name as an IMAP quoted string."""
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _describe(detail: object) -> str:
    """A server's or socket's words as one line of text."""
    if isinstance(detail, BaseException) and detail.args and isinstance(detail.args[0], bytes):
        detail = detail.args[0]
    elif isinstance(detail, OSError):
        return connection_reason(detail)
    if isinstance(detail, list):
        detail = b" ".join(d for d in detail if isinstance(d, bytes))
    if isinstance(detail, bytes):
        detail = detail.decode("utf-8", errors="replace")
    text = str(detail) or type(detail).__name__
    return " ".join(text.split())
