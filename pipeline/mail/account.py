"""Where a mail server is and how to talk to it safely: URL, TLS, password.

URLs: `imaps://user@host[:port]/Folder` (TLS from the start, port 993) or
`imap://user@host[:port]/Folder` (STARTTLS, port 143, refused if the server does not offer
it); `smtps://user@host[:port]` (465) or `smtp://user@host[:port]` (STARTTLS, 587). A user
name that is itself an address is written with `%40` for its `@`. Plain text (no TLS at all)
only with `allow_plaintext` and only to this computer (localhost, 127.0.0.0/8, ::1).

The password comes from an environment variable or from a file that only its owner can read;
it is held in a `Secret`, which never shows itself in a message, a log or a traceback.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import ssl
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from pipeline.errors import UsageError

IMPLICIT, STARTTLS, PLAIN = "tls", "starttls", "plain"
SCHEMES = {
    "imaps": ("imap", IMPLICIT, 993),
    "imap": ("imap", STARTTLS, 143),
    "smtps": ("smtp", IMPLICIT, 465),
    "smtp": ("smtp", STARTTLS, 587),
}
DEFAULT_FOLDER = "INBOX"


@dataclass(frozen=True)
class Server:
    """A mail server account: protocol, address, user and (IMAP) folder."""

    protocol: str  # 'imap' or 'smtp'
    security: str  # IMPLICIT, STARTTLS or PLAIN
    host: str
    port: int
    user: str
    folder: str = ""

    @property
    def label(self) -> str:
        """The account without secrets, for messages and state keys."""
        where = f"{self.user}@{self.host}:{self.port}"
        return f"{where}/{self.folder}" if self.folder else where


class Secret:
    """A password that never prints itself."""

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The password itself, for the login call only."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__


def parse_url(url: str, protocol: str, *, allow_plaintext: bool = False) -> Server:
    """The server of an `imaps://`, `imap://`, `smtps://` or `smtp://` URL."""
    parts = urlsplit(url.strip())
    scheme = SCHEMES.get(parts.scheme.lower())
    if scheme is None or scheme[0] != protocol:
        raise UsageError(f"alamat server {url!r} tidak dikenal; contoh: {_example(protocol)}")
    if parts.password is not None:
        raise UsageError(
            "jangan tulis sandi di alamat server; gunakan variabel lingkungan atau berkas sandi"
        )
    if not parts.hostname or not parts.username:
        raise UsageError(
            f"alamat server {url!r} harus memuat pengguna dan host: {_example(protocol)}"
        )
    try:
        port = parts.port or scheme[2]
    except ValueError as exc:
        raise UsageError(f"nomor port di {url!r} tidak sah") from exc
    folder = unquote(parts.path.lstrip("/")) if protocol == "imap" else ""
    if protocol == "imap" and not folder.isascii():
        raise UsageError(f"nama folder IMAP {folder!r} harus huruf ASCII")
    security = scheme[1]
    if allow_plaintext:
        _check_local(parts.hostname)
        security = PLAIN
    return Server(
        protocol,
        security,
        parts.hostname,
        port,
        unquote(parts.username),
        folder or (DEFAULT_FOLDER if protocol == "imap" else ""),
    )


def _example(protocol: str) -> str:
    if protocol == "imap":
        return "imaps://renvapor@mail.example.go.id/INBOX"
    return "smtps://renvapor@mail.example.go.id"


def _check_local(host: str) -> None:
    """Plain text only to this computer: a password in clear never crosses a network."""
    if host.lower() == "localhost":
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    raise UsageError(
        f"koneksi tanpa enkripsi hanya diizinkan ke server di komputer ini (localhost), "
        f"bukan ke {host}; gunakan imaps:// atau smtps://"
    )


def connection_reason(exc: BaseException) -> str:
    """Why a connection failed, in Indonesian where the cause is a common one."""
    if isinstance(exc, socket.gaierror):
        return "nama server tidak dikenal (periksa alamat dan jaringan)"
    if isinstance(exc, ConnectionRefusedError):
        return "koneksi ditolak (tidak ada layanan surel di port itu)"
    if isinstance(exc, TimeoutError):
        return "server tidak menjawab (waktu habis)"
    if isinstance(exc, ConnectionResetError | BrokenPipeError):
        return "koneksi diputus oleh server"
    if isinstance(exc, ssl.SSLError):
        return f"TLS gagal ({exc.reason or exc})"
    return " ".join(str(exc).split()) or type(exc).__name__


# OpenSSL's verify codes (X509_V_ERR_*) for the usual reasons a certificate is not trusted.
_CERTIFICATE_REASONS = {
    10: "sertifikat sudah kedaluwarsa",
    18: "sertifikat ditandatangani sendiri",
    19: "rantai sertifikat berakhir pada CA yang tidak dikenal",
    20: "CA penerbit sertifikat tidak dikenal",
    62: "sertifikat dibuat untuk nama server lain",
}


def untrusted_certificate(where: str, exc: ssl.SSLCertVerificationError) -> str:
    """Why a server's certificate was refused, and what to do."""
    reason = _CERTIFICATE_REASONS.get(exc.verify_code, "sertifikat tidak dapat diverifikasi")
    return (
        f"sertifikat server {where} tidak dapat dipercaya: {reason}. Bila server kantor memakai "
        "sertifikat sendiri, sebutkan berkas CA-nya dengan --cafile atau cafile di iki.toml."
    )


def tls_context(cafile: str | None) -> ssl.SSLContext:
    """A verifying TLS context: the system's CAs, or only those in `cafile`."""
    try:
        return ssl.create_default_context(cafile=cafile or None)
    except (OSError, ssl.SSLError) as exc:
        raise UsageError(f"berkas sertifikat CA {cafile} tidak dapat dibaca: {exc}") from exc


def read_password(env: str, file: str) -> Secret:
    """The password from a file readable only by its owner, else from an environment variable."""
    if file:
        return Secret(_password_file(Path(file).expanduser()))
    value = os.environ.get(env, "")
    if not value:
        raise UsageError(
            f"sandi tidak ditemukan: isi variabel lingkungan {env} atau sebutkan berkas sandi "
            "(password_file di iki.toml atau --password-file)"
        )
    return Secret(value)


def _password_file(path: Path) -> str:
    try:
        info = path.stat()
        if sys.platform != "win32":
            _check_private(path, info)
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"berkas sandi {path} tidak dapat dibaca: {exc.strerror}") from exc
    password = text.splitlines()[0] if text.strip() else ""
    if not password:
        raise UsageError(f"berkas sandi {path} kosong")
    return password


def _check_private(path: Path, info: os.stat_result) -> None:
    """Refuse a password file that someone else can read or change (ssh's rule)."""
    if info.st_uid != os.getuid():
        raise UsageError(f"berkas sandi {path} bukan milik pengguna ini; buat berkas sendiri")
    if stat.S_IMODE(info.st_mode) & 0o077:
        raise UsageError(
            f"berkas sandi {path} dapat dibaca pengguna lain (izin "
            f"{stat.S_IMODE(info.st_mode):o}); batasi dengan: chmod 600 {path}"
        )
