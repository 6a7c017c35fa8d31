"""Feedback for each unit with problems: plain Indonesian a staff member can act on alone.

One message per unit (or, for files whose unit cannot be read, per sender): each file, its
status, and for each problem which cell, what is wrong and what to do. Written as a .txt
and as an .eml draft addressed to the sender(s).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, getaddresses, make_msgid
from pathlib import Path

from pipeline.atomic import atomic_path
from pipeline.catalogue.model import Catalogue
from pipeline.config import Config
from pipeline.contract import field_quarter
from pipeline.filenames import child
from pipeline.indonesian import tanggal, waktu
from pipeline.periods import ROMAN, Period, Year
from pipeline.problems import Problem, Severity
from pipeline.status import open_files
from pipeline.submission import FileRecord, FileStatus

STATUS_TEXT = {
    FileStatus.REJECTED: "DITOLAK: perbaiki lalu kirim ulang seluruh berkas.",
    FileStatus.ACCEPTED: (
        "DITERIMA dengan catatan: periksa catatan di bawah; kirim ulang bila ada yang salah."
    ),
}
NO_UNIT = "tanpa-unit"
ADDRESS = re.compile(r"[^@\s<>(),;:\"\[\]\\]+@[A-Za-z0-9.-]+")
SENDER_CHARS = 60  # of a sender's address in a file name, well inside any file system's limit


@dataclass(frozen=True)
class Feedback:
    """One message: to whom, about which files, and its text."""

    key: str  # unit code, or 'tanpa-unit-<sender>' when the unit could not be read
    unit_name: str
    recipients: tuple[str, ...]
    subject: str
    text: str
    kind: str = "umpan_balik"  # file name prefix: 'umpan_balik' or 'pengingat' (a reminder)


def build_feedback(
    files: Sequence[FileRecord], catalogue: Catalogue, config: Config, today: dt.date
) -> list[Feedback]:
    """One feedback message per unit (or unknown sender) with outstanding problems.

    today: the day the message is written; its correction deadline counts from it.
    """
    units = {u.code for u in catalogue.reporting_units()}
    groups: dict[str, list[FileRecord]] = {}
    for f in open_files(files):
        groups.setdefault(_key(f, units), []).append(f)
    return [_message(key, group, catalogue, config, today) for key, group in sorted(groups.items())]


def _key(f: FileRecord, units: set[str]) -> str:
    """A unit code of the catalogue, else 'tanpa-unit-<sender>': never text from `_meta`.

    The key names the feedback files: a unit code a file claims (`X/../../x`) must not.
    """
    if f.unit in units:
        return f.unit
    sender = _slug(f.sender)[:SENDER_CHARS].strip("-")
    return f"{NO_UNIT}-{sender or 'pengirim-tidak-diketahui'}"


def write_feedback(messages: Iterable[Feedback], out_dir: Path, config: Config) -> list[Path]:
    """Write each message as <key>.txt and <key>.eml (a draft to send); return the paths."""
    written = []
    for message in messages:
        text_path = child(out_dir, f"{message.kind}_{message.key}.txt")
        with atomic_path(text_path) as temp:
            temp.write_text(message.text, encoding="utf-8")
        mail_path = child(out_dir, f"{message.kind}_{message.key}.eml")
        with atomic_path(mail_path) as temp:
            temp.write_bytes(bytes(_draft(message, config)))
        written.extend([text_path, mail_path])
    return written


def _message(
    key: str, files: list[FileRecord], catalogue: Catalogue, config: Config, today: dt.date
) -> Feedback:
    unit = files[0].unit
    name = catalogue.unit(unit).nama if unit in {u.code for u in catalogue.units} else ""
    periods = sorted({f.period for f in files if f.period}, key=_period_order)
    about = f"isian IKI {', '.join(_period_label(p) for p in periods)}" if periods else "isian IKI"
    lines = [
        f"Kepada: {name or 'Pengirim berkas'}",
        f"Perihal: Perbaikan {about}",
        "",
        "Terima kasih atas kiriman Anda. Kami memeriksa setiap berkas dan menemukan hal-hal",
        "berikut. Setiap butir menyebut selnya (misalnya Isian!H9 = sheet Isian, kolom H,",
        "baris 9), apa yang salah, dan apa yang perlu dilakukan.",
    ]
    for f in files:
        lines.extend(_file_section(f, catalogue))
    lines.extend(_closing(periods, config, today))
    senders = {a for f in files for a in _addresses(f.sender)}
    recipients = tuple(sorted(senders or config.senders.get(unit, ())))
    return Feedback(key, name, recipients, f"Perbaikan {about}", "\n".join(lines) + "\n")


def _file_section(f: FileRecord, catalogue: Catalogue) -> list[str]:
    lines = [
        "",
        f"Berkas: {f.path.rsplit('/', 1)[-1]} ({_when(f)})",
        f"Status: {STATUS_TEXT.get(f.status, f.status)}",
    ]
    for number, p in enumerate(_ordered(p for p in f.problems if p.is_open), start=1):
        lines.append(f"  {number}. {_where(p, catalogue)}{p.message}")
    return lines


def _when(record: FileRecord) -> str:
    if record.received_at is not None:
        return f"diterima {waktu(record.received_at)}"
    return "waktu terima tidak diketahui"


def _ordered(problems: Iterable[Problem]) -> list[Problem]:
    rank = {Severity.FATAL: 0, Severity.ERROR: 1, Severity.WARNING: 2}
    return sorted(problems, key=lambda p: rank[p.severity])


def _where(p: Problem, catalogue: Catalogue) -> str:
    if not p.cell:
        return ""
    key = str(p.extra.get("key", ""))
    field = str(p.extra.get("field", ""))
    what = ""
    if key in {v.code for v in catalogue.variables}:
        what = catalogue.variable(key).label
    elif key in {i.code for i in catalogue.indicators}:
        what = f"target {key}"
    quarter = field_quarter(field)
    if quarter is not None:
        column = f"kolom TW {ROMAN[quarter]}"
        what = f"{what}, {column}" if what else column
    place = f"Sel {p.location}"
    return f"{place} ({what}): " if what else f"{place}: "


def _closing(periods: list[Period | Year], config: Config, today: dt.date) -> list[str]:
    lines = [
        "",
        "Cara memperbaiki: buka berkas yang Anda kirim (bukan salinan baru), perbaiki sel yang",
        "disebut di atas, simpan sebagai .xlsx dengan nama apa saja, lalu kirim kembali ke",
        f"{config.send_email}. Bila berkas ditolak karena rusak atau bukan template resmi, isi",
        "ulang template asli dari Renvapor.",
    ]
    quarterly = [p for p in periods if isinstance(p, Period)]
    fix_by = today + dt.timedelta(days=config.correction_days)
    if quarterly:
        deadline = quarterly[-1].deadline(config.deadline_days)
        fix_by = max(fix_by, deadline)
        lines.append(f"Batas waktu pengiriman triwulan ini: {tanggal(deadline)}.")
    lines.append(f"Mohon kirim perbaikan paling lambat {tanggal(fix_by)}.")
    lines.extend(["", "Salam,", config.send_to, config.office])
    return lines


def _draft(message: Feedback, config: Config) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = config.send_email
    mail["To"] = ", ".join(message.recipients)
    mail["Subject"] = message.subject
    mail["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    mail["Message-ID"] = make_msgid(domain=config.send_email.rpartition("@")[2] or None)
    mail["X-Unsent"] = "1"  # opened as a draft to send by Outlook and Thunderbird
    mail["X-IKI-Unit"] = message.key  # which unit `iki send` sends it to
    mail.set_content(message.text)
    return mail


def _addresses(sender: str) -> list[str]:
    """The mail addresses in a sender field; nothing that could break a header (CR, LF)."""
    if not sender or any(ord(c) < 32 or ord(c) == 127 for c in sender):
        return []
    return [a for _, a in getaddresses([sender]) if ADDRESS.fullmatch(a)]


def _period_label(period: Period | Year) -> str:
    if isinstance(period, Period):
        return period.label
    return f"target tahun {period}"


def _period_order(period: Period | Year) -> tuple[int, int]:
    return period.year, period.quarter if isinstance(period, Period) else 0


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
