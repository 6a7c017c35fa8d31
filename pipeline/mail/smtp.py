"""A logged-in SMTP connection over TLS (SMTPS or STARTTLS), and handing it one mail."""

from __future__ import annotations

import contextlib
import email.policy
import smtplib
import ssl
from collections.abc import Iterator
from email.message import EmailMessage

from pipeline.errors import MailServerError
from pipeline.mail.account import (
    IMPLICIT,
    STARTTLS,
    Secret,
    Server,
    connection_reason,
    tls_context,
    untrusted_certificate,
)

TIMEOUT = 60.0
CONNECTION_ERRORS = (smtplib.SMTPServerDisconnected, smtplib.SMTPResponseException, OSError)


@contextlib.contextmanager
def smtp_session(server: Server, password: Secret, cafile: str) -> Iterator[smtplib.SMTP]:
    """A connection that has verified the server's certificate and logged in."""
    conn = _open(server, cafile)
    try:
        conn.login(server.user, password.reveal())
    except smtplib.SMTPAuthenticationError as exc:
        _close(conn)
        raise MailServerError(
            f"server SMTP menolak login {server.user}: periksa nama pengguna dan sandi "
            f"({_words(exc)})"
        ) from None
    except (smtplib.SMTPException, OSError) as exc:
        _close(conn)
        raise MailServerError(f"login SMTP ke {server.host} gagal: {_words(exc)}") from None
    try:
        yield conn
    finally:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            conn.quit()


class DeliveryError(Exception):
    """A mail not accepted: refused by the server, or the connection broke off."""

    def __init__(self, detail: str, *, connection_lost: bool, maybe_sent: bool) -> None:
        super().__init__(detail)
        self.detail = detail
        self.connection_lost = connection_lost
        self.maybe_sent = maybe_sent  # broke off after the whole mail went: it may have arrived


def deliver(conn: smtplib.SMTP, message: EmailMessage, sender: str, to: tuple[str, ...]) -> None:
    """Hand one mail to the server, to all its recipients or to none.

    Done in the protocol's steps so that a failure says whether the mail may have gone: only
    a break during DATA leaves that open.
    """
    data = message.as_bytes(policy=email.policy.SMTP)
    try:
        conn.ehlo_or_helo_if_needed()
        _expect(conn.mail(sender), "pengirim ditolak")
        for address in to:
            _expect(conn.rcpt(address), f"alamat {address} ditolak")
    except smtplib.SMTPResponseException as exc:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            conn.rset()
        raise DeliveryError(_words(exc), connection_lost=False, maybe_sent=False) from None
    except CONNECTION_ERRORS as exc:
        raise DeliveryError(_words(exc), connection_lost=True, maybe_sent=False) from None
    try:
        _expect(conn.data(data), "isi surel ditolak")
    except smtplib.SMTPResponseException as exc:
        raise DeliveryError(_words(exc), connection_lost=False, maybe_sent=False) from None
    except CONNECTION_ERRORS as exc:
        raise DeliveryError(_words(exc), connection_lost=True, maybe_sent=True) from None


def _expect(reply: tuple[int, bytes], what: str) -> None:
    code, text = reply
    if not 200 <= code < 300:
        raise smtplib.SMTPResponseException(code, text or what.encode())


def _open(server: Server, cafile: str) -> smtplib.SMTP:
    context = tls_context(cafile) if server.security in (IMPLICIT, STARTTLS) else None
    where = f"{server.host}:{server.port}"
    try:
        if server.security == IMPLICIT:
            return smtplib.SMTP_SSL(server.host, server.port, timeout=TIMEOUT, context=context)
        conn = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT)
        if server.security == STARTTLS:
            _starttls(conn, context, where)
        return conn
    except ssl.SSLCertVerificationError as exc:
        raise MailServerError(untrusted_certificate(where, exc)) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise MailServerError(f"tidak dapat terhubung ke {where}: {_words(exc)}") from None


def _starttls(conn: smtplib.SMTP, context: ssl.SSLContext | None, where: str) -> None:
    conn.ehlo()
    if not conn.has_extn("starttls"):
        _close(conn)
        raise MailServerError(
            f"server {where} tidak menawarkan STARTTLS; sandi tidak dikirim tanpa enkripsi. "
            "Gunakan smtps:// bila server mendukungnya."
        )
    conn.starttls(context=context)
    conn.ehlo()


def _close(conn: smtplib.SMTP) -> None:
    with contextlib.suppress(smtplib.SMTPException, OSError):
        conn.close()


def _words(exc: BaseException) -> str:
    """An SMTP or socket error as one line (the server's own words when it gave some)."""
    if isinstance(exc, smtplib.SMTPResponseException):
        error = exc.smtp_error
        text = error.decode("utf-8", "replace") if isinstance(error, bytes) else str(error)
        return f"{exc.smtp_code} {' '.join(text.split())}"
    if isinstance(exc, OSError):
        return connection_reason(exc)
    return " ".join(str(exc).split()) or type(exc).__name__
