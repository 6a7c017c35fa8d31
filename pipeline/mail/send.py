"""Send the drafts `iki validate --feedback` writes, each mail at most once.

A draft is an .eml file in the folder that carries `X-Unsent: 1` (what feedback writes;
other mail files there are never sent). Its unit is the `X-IKI-Unit` header (else the file
name `umpan_balik_<unit>.eml`); it goes to that unit's address in iki.toml ([unit_email]),
else to the addresses the draft itself names. The sent-mail log (`sent_log`) decides what is
already done: the same subject and text to the same addresses is never sent twice, whatever
the draft file is called; a draft whose text changed is a new mail.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage, Message
from email.utils import format_datetime, getaddresses, make_msgid
from pathlib import Path

from pipeline import paths
from pipeline.config import Config, SmtpSettings
from pipeline.errors import UsageError
from pipeline.mail.account import Secret, Server, parse_url, read_password
from pipeline.mail.message import decoded, one_line, parse, raw_header
from pipeline.mail.sent_log import (
    FAILED,
    SENDING,
    SENT,
    LogRow,
    append_row,
    last_status,
    read_log,
)
from pipeline.mail.smtp import DeliveryError, deliver, smtp_session

UNIT_HEADER = "X-IKI-Unit"
DRAFT_PREFIX = "umpan_balik_"


@dataclass(frozen=True)
class Outgoing:
    """One draft made ready to go: to whom, and what identifies it in the log."""

    draft: str  # file name
    unit: str
    to: tuple[str, ...]
    subject: str
    message_id: str
    digest: str
    message: EmailMessage = field(compare=False, repr=False)


@dataclass
class SendResult:
    """What one `send` run did (or, in a dry run, would do)."""

    log: Path
    drafts: int = 0
    to_send: list[Outgoing] = field(default_factory=list)
    sent: list[Outgoing] = field(default_factory=list)
    already: list[tuple[Outgoing, LogRow]] = field(default_factory=list)
    uncertain: list[tuple[Outgoing, LogRow]] = field(default_factory=list)
    no_address: list[str] = field(default_factory=list)  # draft files with nobody to send to
    refused: list[tuple[Outgoing, str]] = field(default_factory=list)
    interrupted: str = ""  # why the run stopped before the end

    @property
    def complete(self) -> bool:
        """Every draft is sent (now or before) and nothing needs a look."""
        return not (self.uncertain or self.no_address or self.refused or self.interrupted)


def log_path(settings: SmtpSettings) -> Path:
    """The sent-mail log the settings name, else the one in the user's state folder."""
    return (
        Path(settings.log).expanduser() if settings.log else paths.state_dir() / paths.SENT_LOG_FILE
    )


def send_feedback(
    folder: Path, config: Config, settings: SmtpSettings, *, url: str = "", dry_run: bool = False
) -> SendResult:
    """Send every draft in `folder` not sent before, through the server `url` or [smtp] url."""
    result = plan(folder, config, log_path(settings))
    if dry_run or not result.to_send:
        return result
    server = parse_url(url or settings.url, "smtp", allow_plaintext=settings.allow_plaintext)
    password = read_password(settings.password_env, settings.password_file)
    _send(result, server, password, settings.cafile, config.send_email)
    return result


def plan(folder: Path, config: Config, log: Path) -> SendResult:
    """Which drafts would go now, which went before, and which cannot go."""
    if not folder.is_dir():
        raise UsageError(f"folder draf {folder} tidak ditemukan")
    result = SendResult(log)
    done = last_status(read_log(log))
    for path, draft in _drafts(folder):
        result.drafts += 1
        item = _outgoing(path, draft, config)
        if item is None:
            result.no_address.append(path.name)
            continue
        previous = done.get(item.digest)
        if previous is not None and previous.status == SENT:
            result.already.append((item, previous))
        elif previous is not None and previous.status == SENDING:
            result.uncertain.append((item, previous))
        else:
            result.to_send.append(item)
    return result


def _drafts(folder: Path) -> Iterator[tuple[Path, Message]]:
    for path in sorted(folder.glob("*.eml")):
        if not path.is_file():
            continue
        draft = parse(path.read_bytes())
        if raw_header(draft, "X-Unsent").strip() == "1":
            yield path, draft


def _outgoing(path: Path, draft: Message, config: Config) -> Outgoing | None:
    unit = one_line(raw_header(draft, UNIT_HEADER)) or _unit_from_name(path)
    to = config.unit_email.get(unit) or _addresses(raw_header(draft, "To"))
    if not to:
        return None
    subject = decoded(raw_header(draft, "Subject"))
    body = _text(draft)
    digest = hashlib.sha256(json.dumps([sorted(to), subject, body]).encode()).hexdigest()
    message_id = one_line(raw_header(draft, "Message-ID")) or make_msgid()
    message = _ready(draft, to, config.send_email, message_id)
    return Outgoing(path.name, unit, to, subject, message_id, digest, message)


def _unit_from_name(path: Path) -> str:
    stem = path.stem
    return stem[len(DRAFT_PREFIX) :] if stem.startswith(DRAFT_PREFIX) else stem


def _addresses(raw: str) -> tuple[str, ...]:
    found = [address for _, address in getaddresses([one_line(raw)]) if "@" in address]
    return tuple(dict.fromkeys(found))


def _text(draft: Message) -> str:
    assert isinstance(draft, EmailMessage)  # parse() uses the modern policy
    part = draft.get_body(preferencelist=("plain",))
    content = part.get_content() if part is not None else ""
    return content if isinstance(content, str) else ""


def _ready(draft: Message, to: tuple[str, ...], sender: str, message_id: str) -> EmailMessage:
    """The draft as it goes out: our From, the unit's To, sent now, no longer a draft."""
    message = copy.deepcopy(draft)
    assert isinstance(message, EmailMessage)
    for name in ("X-Unsent", UNIT_HEADER, "To", "From", "Date", "Message-ID"):
        del message[name]
    message["From"] = sender
    message["To"] = ", ".join(to)
    message["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    message["Message-ID"] = message_id
    return message


def _send(result: SendResult, server: Server, password: Secret, cafile: str, sender: str) -> None:
    with smtp_session(server, password, cafile) as conn:
        for item in result.to_send:
            append_row(result.log, _row(item, SENDING))
            try:
                deliver(conn, item.message, sender, item.to)
            except DeliveryError as exc:
                if not exc.maybe_sent:
                    append_row(result.log, _row(item, FAILED, exc.detail))
                if not exc.connection_lost:
                    result.refused.append((item, exc.detail))
                    continue
                if exc.maybe_sent:
                    result.uncertain.append((item, _row(item, SENDING)))
                result.interrupted = exc.detail
                return
            append_row(result.log, _row(item, SENT))
            result.sent.append(item)


def _row(item: Outgoing, status: str, detail: str = "") -> LogRow:
    now = dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds")
    return LogRow(
        now,
        status,
        item.unit,
        ", ".join(item.to),
        item.subject,
        item.message_id,
        item.digest,
        item.draft,
        detail,
    )
