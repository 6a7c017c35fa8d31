"""Real mail servers for the tests, on loopback: Dovecot for IMAP, aiosmtpd for SMTP.

Dovecot runs from a private configuration in a temporary folder (see ../shared FACTS): TLS
required with a self-signed certificate made here by openssl, users in a passwd-file (one new
account per test, so every test has its own empty mailbox), mail owned by the `mail` user
when the tests run as root (Dovecot refuses mail uid 0 and runs its login process as
`dovenull`), daemon output sent to a file. CI installs Debian's `dovecot-imapd`.
"""

from __future__ import annotations

import datetime as dt
import email.message
import email.policy
import email.utils
import grp
import imaplib
import itertools
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
DOVEADM = shutil.which("doveadm") or "/usr/bin/doveadm"
HAVE_DOVECOT = Path(DOVECOT).exists() and Path(DOVEADM).exists()
needs_dovecot = pytest.mark.skipif(
    not HAVE_DOVECOT, reason="Dovecot is not installed (Debian package dovecot-imapd)"
)
XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
WIB = dt.timezone(dt.timedelta(hours=7))
ACCOUNTS = 40


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for localhost and 127.0.0.1, and its key."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@dataclass(frozen=True)
class Account:
    """One mailbox on the test server."""

    user: str
    password: str


@dataclass
class Dovecot:
    """A running Dovecot: IMAP with STARTTLS on imap_port, IMAPS on imaps_port."""

    root: Path
    imap_port: int
    imaps_port: int
    cafile: Path
    process: subprocess.Popen[bytes] | None = None
    _numbers: Iterator[int] = field(default_factory=itertools.count)

    @property
    def config(self) -> Path:
        """The private configuration file."""
        return self.root / "dovecot.conf"

    def account(self) -> Account:
        """A user not handed out before, with an empty mailbox.

        The users are all written at start: Dovecot reads the passwd-file again only when its
        modification time changes, which it may not within one second.
        """
        number = next(self._numbers)
        assert number < ACCOUNTS, "more accounts than start_dovecot wrote"
        return _account(number)

    def url(self, account: Account, folder: str = "INBOX", *, implicit: bool = True) -> str:
        """The URL `iki collect` takes for this account's folder."""
        if implicit:
            return f"imaps://{account.user}@127.0.0.1:{self.imaps_port}/{folder}"
        return f"imap://{account.user}@127.0.0.1:{self.imap_port}/{folder}"

    def client(self, account: Account) -> imaplib.IMAP4_SSL:
        """A logged-in IMAPS client, as another mail program would be."""
        context = ssl.create_default_context(cafile=str(self.cafile))
        conn = imaplib.IMAP4_SSL("127.0.0.1", self.imaps_port, ssl_context=context, timeout=10)
        conn.login(account.user, account.password)
        return conn

    def append(
        self, account: Account, messages: list[tuple[bytes, dt.datetime]], folder: str = "INBOX"
    ) -> None:
        """Deliver mails with the given receipt times (APPEND sets INTERNALDATE)."""
        conn = self.client(account)
        try:
            if folder != "INBOX":
                conn.create(folder)
            for raw, received in messages:
                status, data = conn.append(folder, None, imaplib.Time2Internaldate(received), raw)
                assert status == "OK", data
        finally:
            conn.logout()

    def kick(self, account: Account) -> None:
        """Drop every connection of the account, as a restarting server would."""
        subprocess.run(
            [DOVEADM, "-c", str(self.config), "kick", account.user],
            check=True,
            capture_output=True,
        )

    def stop(self) -> None:
        """Stop the server and wait for it."""
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None
        shutil.rmtree(self.root, ignore_errors=True)


def start_dovecot() -> Dovecot:
    """Write a private configuration in a new temporary folder and start Dovecot.

    Not under pytest's tmp_path: its base folder is private (0700), and Dovecot's own users
    must reach the passwd-file and the mail.
    """
    root = Path(tempfile.mkdtemp(prefix="iki-dovecot-"))
    root.chmod(0o755)
    cert, _ = self_signed(root)
    server = Dovecot(root, free_port(), free_port(), cert)
    users_file = "".join(
        f"{a.user}:{{PLAIN}}{a.password}::::::\n" for a in map(_account, range(ACCOUNTS))
    )
    (root / "passwd").write_text(users_file, encoding="utf-8")
    (root / "passwd").chmod(0o644)
    mail = root / "mail"
    mail.mkdir()
    users = _users()
    if os.geteuid() == 0:
        os.chown(mail, pwd.getpwnam(users["mail"]).pw_uid, grp.getgrnam(users["mail"]).gr_gid)
    server.config.write_text(_config(root, server, users), encoding="utf-8")
    log = (root / "daemon.log").open("wb")
    server.process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(server.config)], stdout=log, stderr=subprocess.STDOUT
    )
    log.close()
    _wait_for(server)
    return server


def _account(number: int) -> Account:
    return Account(f"unit{number}", f"rahasia-uji-{number}")


def _users() -> dict[str, str]:
    if os.geteuid() == 0:
        return {"login": "dovenull", "internal": "dovecot", "mail": "mail"}
    me = pwd.getpwuid(os.geteuid()).pw_name
    return {"login": me, "internal": me, "mail": me}


def _config(root: Path, server: Dovecot, users: dict[str, str]) -> str:
    return f"""
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
auth_mechanisms = plain
default_login_user = {users["login"]}
default_internal_user = {users["internal"]}
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = passwd-file
  args = username_format=%u {root}/passwd
  default_fields = uid={users["mail"]} gid={users["mail"]} home={root}/mail/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {server.imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {server.imaps_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
"""


def _wait_for(server: Dovecot) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        assert server.process is not None
        if server.process.poll() is not None:
            log = (server.root / "daemon.log").read_text(errors="replace")
            raise RuntimeError(f"Dovecot stopped: {log}")
        try:
            socket.create_connection(("127.0.0.1", server.imaps_port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("Dovecot did not start within 20 s")


def mail(
    sender: str,
    subject: str,
    attachments: list[tuple[str, bytes]],
    *,
    ident: str,
    date: dt.datetime | None = None,
    from_header: str | None = None,
) -> bytes:
    """A mail as a unit would send it, with its attachments."""
    message = email.message.EmailMessage()
    message["From"] = from_header or f"Petugas <{sender}>"
    message["To"] = "renvapor@disnaker.example"
    message["Subject"] = subject
    message["Date"] = email.utils.format_datetime(date or dt.datetime(2018, 7, 3, 9, 0, tzinfo=WIB))
    message["Message-ID"] = f"<{ident}@disnaker.example>"
    message.set_content("Terlampir isian IKI kami.")
    for name, data in attachments:
        message.add_attachment(data, maintype=XLSX[0], subtype=XLSX[1], filename=name)
    return bytes(message)


@dataclass
class Received:
    """One mail as the SMTP server got it."""

    sender: str
    recipients: list[str]
    content: bytes

    @property
    def message(self) -> email.message.EmailMessage:
        """The mail parsed."""
        parsed = email.message_from_bytes(self.content, policy=email.policy.default)
        assert isinstance(parsed, email.message.EmailMessage)
        return parsed


class _Handler:
    """Keeps every mail; refuses recipients containing 'ditolak'; may hang up during DATA."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.hang_up_on_data = False

    async def handle_RCPT(self, server, session, envelope, address, options):  # type: ignore[no-untyped-def]
        if "ditolak" in address:
            return "550 5.1.1 Kotak surat tidak ada"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        if self.hang_up_on_data:
            server.transport.close()  # the mail arrived, the reply never does
            return "250 OK"
        self.received.append(
            Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.content)
        )
        return "250 OK"


@dataclass
class SmtpServer:
    """aiosmtpd on loopback: STARTTLS required on `port`, or TLS from the start (SMTPS)."""

    port: int
    cafile: Path
    implicit: bool
    user: str = "renvapor"
    password: str = "sandi-smtp-uji"
    handler: _Handler = field(default_factory=_Handler)
    controller: object = None

    @property
    def url(self) -> str:
        """The URL `iki send` takes."""
        scheme = "smtps" if self.implicit else "smtp"
        return f"{scheme}://{self.user}@127.0.0.1:{self.port}"

    @property
    def received(self) -> list[Received]:
        """Every mail accepted so far."""
        return self.handler.received


def start_smtp(folder: Path, *, implicit: bool = False) -> SmtpServer:
    """Start aiosmtpd with a self-signed certificate; login required, over TLS only."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    cert, key = self_signed(folder)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server = SmtpServer(free_port(), cert, implicit)

    def authenticate(smtp, session, envelope, mechanism, data):  # type: ignore[no-untyped-def]
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            server.user.encode(),
            server.password.encode(),
        )
        return AuthResult(success=ok, handled=False)

    tls = (
        {"ssl_context": context} if implicit else {"tls_context": context, "require_starttls": True}
    )
    controller = Controller(
        server.handler,
        hostname="127.0.0.1",
        port=server.port,
        server_hostname="localhost",
        authenticator=authenticate,
        auth_require_tls=not implicit,
        **tls,
    )
    controller.start()
    server.controller = controller
    return server


def stop_smtp(server: SmtpServer) -> None:
    """Stop the server's thread."""
    server.controller.stop()  # type: ignore[attr-defined]
