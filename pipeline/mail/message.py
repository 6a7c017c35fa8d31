"""Read a mail defensively: its headers as one-line text and its spreadsheet attachments.

Everything in a mail is written by its sender and may be hostile or broken: an encoded CR LF
in a From header, a file name that is a path, a part without a name, a charset that does not
exist. Nothing here raises on such input; what cannot be read becomes '' or a refusal.
"""

from __future__ import annotations

import datetime as dt
import email
import email.errors
import email.header
import email.policy
import email.utils
import re
from dataclasses import dataclass
from email.message import Message

# .xlsx is what the office wants; .xlsm and .xls are kept too, so that `validate` can tell
# their senders why they are refused instead of dropping them silently.
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls")
SPREADSHEET_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.ms-excel.sheet.macroenabled.12": ".xlsm",
    "application/vnd.ms-excel": ".xls",
}
# Zip (xlsx, xlsm) and OLE2 (xls, encrypted xlsx): a nameless part starting so is a workbook.
WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
UNNAMED = "lampiran_tanpa_nama"
# What the email package may raise on hostile headers and parameters.
_HEADER_ERRORS = (
    ValueError,
    LookupError,
    UnicodeError,
    TypeError,
    IndexError,
    AttributeError,
    email.errors.MessageError,
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_ANGLE = re.compile(r"<([^<>]*)>")
_ADDRESS = re.compile(r"[^\s@<>\"(),;:\\\[\]]+@[^\s@<>\"(),;:\\\[\]]+")


@dataclass(frozen=True)
class Headers:
    """What the manifest keeps of a mail, each field one line of text ('' when unusable)."""

    sender: str  # the From address, lower case
    date: str  # the Date header as ISO 8601 with its own offset
    subject: str
    message_id: str


@dataclass(frozen=True)
class Attachment:
    """A spreadsheet in a mail: its name as the mail gives it ('' when it has none)."""

    name: str
    payload: bytes
    suffix: str  # .xlsx, .xlsm or .xls: what the saved file will end with

    @property
    def unnamed(self) -> bool:
        """True when the mail gave the part no file name."""
        return not self.name


REFUSALS = {
    "not-a-spreadsheet": "bukan berkas Excel (.xlsx); dibiarkan di surel",
    "empty-attachment": "lampiran kosong (0 byte)",
    "unreadable-attachment": "bagian surel ini tidak dapat dibaca",
    "mail-too-large": "surel terlalu besar untuk berisi template isian; tidak diambil",
}


@dataclass(frozen=True)
class Refused:
    """An attachment left in the mail, and why (kebab-case code)."""

    name: str
    code: str  # a key of REFUSALS

    @property
    def message(self) -> str:
        """Why, in Indonesian."""
        return REFUSALS[self.code]


def parse(raw: bytes) -> Message:
    """A message from its bytes (never raises on a malformed message)."""
    return email.message_from_bytes(raw, policy=email.policy.default)


def headers(message: Message) -> Headers:
    """Sender, date, subject and message id, decoded without ever raising."""
    return Headers(
        sender=sender(raw_header(message, "From")),
        date=mail_date(raw_header(message, "Date")),
        subject=decoded(raw_header(message, "Subject")),
        message_id=one_line(raw_header(message, "Message-ID")),
    )


def raw_header(message: Message, name: str) -> str:
    """The first header of that name exactly as the mail carries it ('' when absent)."""
    for key, value in message.raw_items():
        if key.lower() == name.lower():
            return str(value)
    return ""


def decoded(raw: str) -> str:
    """RFC 2047 encoded words decoded, on one line; the raw text when they cannot be."""
    try:
        text = str(email.header.make_header(email.header.decode_header(raw)))
    except _HEADER_ERRORS:
        text = raw
    return one_line(text)


def sender(raw: str) -> str:
    """The address of a From header, lower case; '' when there is no plausible address.

    The address is taken from the raw header: encoded words are not allowed in an address, so
    whatever a display name decodes to (a CR LF and a Bcc line, say) never reaches it. The
    last `<...>` is the address when there is one (a colon in an undecoded display name makes
    the parser read a group instead).
    """
    bracketed = _ANGLE.findall(raw)
    try:
        address = bracketed[-1].strip() if bracketed else email.utils.parseaddr(one_line(raw))[1]
    except _HEADER_ERRORS:
        return ""
    return address.lower() if _ADDRESS.fullmatch(address) else ""


def mail_date(text: str) -> str:
    """A mail Date header as ISO 8601 (with its offset); '' when absent or unreadable."""
    if not text:
        return ""
    try:
        parsed = email.utils.parsedate_to_datetime(one_line(text))
    except (*_HEADER_ERRORS, OverflowError):
        return ""
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.isoformat()


def one_line(text: str) -> str:
    """Control characters (CR, LF, NUL, ...) and runs of spaces become one space."""
    return " ".join(_CONTROL.sub(" ", text).split())


def attachments(message: Message) -> tuple[list[Attachment], list[Refused]]:
    """The spreadsheets of a mail, and the attachments left in it."""
    found: list[Attachment] = []
    refused: list[Refused] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        try:
            item = _attachment(part)
        except _HEADER_ERRORS:
            item = Refused("", "unreadable-attachment")
        if isinstance(item, Attachment):
            found.append(item)
        elif item is not None:
            refused.append(item)
    return found, refused


def _attachment(part: Message) -> Attachment | Refused | None:
    """A part as a spreadsheet, a refused attachment, or None for body text and inline parts."""
    name = _filename(part)
    payload = _payload(part)
    suffix = _suffix(name) if name else _nameless_suffix(part, payload)
    if not name and not suffix:
        return Refused("", "not-a-spreadsheet") if _is_attachment(part) else None
    if not suffix:
        return Refused(name, "not-a-spreadsheet")
    if not payload:
        return Refused(name, "empty-attachment")
    return Attachment(name, payload, suffix)


def _filename(part: Message) -> str:
    """The part's file name, decoded, without the trailing dots and spaces Windows drops."""
    try:
        name = part.get_filename() or ""
    except _HEADER_ERRORS:
        name = ""
    return one_line(str(name)).rstrip(". ")


def _suffix(name: str) -> str:
    lower = name.lower()
    return next((s for s in SPREADSHEET_SUFFIXES if lower.endswith(s)), "")


def _nameless_suffix(part: Message, payload: bytes) -> str:
    """The suffix for a nameless part that is a workbook by its type or its first bytes."""
    content_type = part.get_content_type()
    if content_type in SPREADSHEET_TYPES:
        return SPREADSHEET_TYPES[content_type]
    if _is_attachment(part) and payload.startswith(WORKBOOK_MAGIC):
        return ".xlsx"
    return ""


def _is_attachment(part: Message) -> bool:
    try:
        return part.get_content_disposition() == "attachment"
    except _HEADER_ERRORS:
        return False


def _payload(part: Message) -> bytes:
    try:
        payload = part.get_payload(decode=True)
    except _HEADER_ERRORS:
        return b""
    return payload if isinstance(payload, bytes) else b""
