"""Take one mail into the inbox: its spreadsheets saved, everything else reported.

Shared by every collector (saved mail files, IMAP), so that a mail is judged the same way
whichever way it arrived.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import Message

from pipeline.mail.deposit import Deposit, Duplicate, Origin
from pipeline.mail.manifest import ManifestEntry
from pipeline.mail.message import Refused, attachments, headers


@dataclass(frozen=True)
class MailRef:
    """Which mail a remark is about, in words a user can find it by."""

    where: str  # the .eml file, the mailbox key, or 'UID 17' on the IMAP server
    sender: str
    subject: str
    date: str


@dataclass
class CollectResult:
    """What one `collect` run did."""

    messages: int = 0
    saved: list[ManifestEntry] = field(default_factory=list)
    completed: list[ManifestEntry] = field(default_factory=list)  # row added to a file there
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (name in mail, kept as)
    unnamed: list[tuple[MailRef, str]] = field(default_factory=list)  # (mail, saved as)
    refused: list[tuple[MailRef, Refused]] = field(default_factory=list)
    without_attachment: list[MailRef] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (where, why) unreadable
    uidvalidity_changed: bool = False  # IMAP: the folder was renumbered, so read it again
    interrupted: str = ""  # IMAP: why the run stopped before the end ('' when it finished)


def take(
    deposit: Deposit, message: Message, where: str, result: CollectResult, received: str = ""
) -> None:
    """Save the spreadsheets of one mail; record duplicates, refusals and mails without any."""
    result.messages += 1
    mail = headers(message)
    ref = MailRef(where, mail.sender, mail.subject, mail.date)
    found, refused = attachments(message)
    result.refused.extend((ref, r) for r in refused)
    if not found:
        result.without_attachment.append(ref)
    for attachment in found:
        outcome = deposit.save(attachment, Origin(mail, received))
        if isinstance(outcome, Duplicate):
            result.duplicates.append((outcome.name_in_mail, outcome.kept_as))
            continue
        (result.completed if outcome.completed else result.saved).append(outcome.entry)
        if attachment.unnamed:
            result.unnamed.append((ref, outcome.entry.file))
