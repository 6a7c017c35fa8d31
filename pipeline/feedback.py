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
from email.utils import format_datetime, make_msgid
from pathlib import Path

from pipeline.atomic import atomic_path
from pipeline.catalogue.model import Catalogue
from pipeline.config import Config
from pipeline.contract import field_quarter
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


@dataclass(frozen=True)
class Feedback:
    """One message: to whom, about which files, and its text."""

    key: str  # unit code, or 'tanpa-unit-<sender>' when the unit could not be read
    unit_name: str
    recipients: tuple[str, ...]
    subject: str
    text: str


def build_feedback(
    files: Sequence[FileRecord], catalogue: Catalogue, config: Config
) -> list[Feedback]:
    """One feedback message per unit (or unknown sender) with outstanding problems."""
    groups: dict[str, list[FileRecord]] = {}
    for f in open_files(files):
        key = f.unit or f"{NO_UNIT}-{_slug(f.sender) or 'pengirim-tidak-diketahui'}"
        groups.setdefault(key, []).append(f)
    return [_message(key, group, catalogue, config) for key, group in sorted(groups.items())]


def write_feedback(messages: Iterable[Feedback], out_dir: Path, config: Config) -> list[Path]:
    """Write each message as <key>.txt and <key>.eml (a draft to send); return the paths."""
    written = []
    for message in messages:
        text_path = out_dir / f"umpan_balik_{message.key}.txt"
        with atomic_path(text_path) as temp:
            temp.write_text(message.text, encoding="utf-8")
        mail_path = out_dir / f"umpan_balik_{message.key}.eml"
        with atomic_path(mail_path) as temp:
            temp.write_bytes(bytes(_draft(message, config)))
        written.extend([text_path, mail_path])
    return written


def _message(key: str, files: list[FileRecord], catalogue: Catalogue, config: Config) -> Feedback:
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
    lines.extend(_closing(periods, config))
    recipients = tuple(
        sorted({f.sender for f in files if f.sender} or config.senders.get(unit, ()))
    )
    return Feedback(key, name, recipients, f"Perbaikan {about}", "\n".join(lines) + "\n")


def _file_section(f: FileRecord, catalogue: Catalogue) -> list[str]:
    lines = [
        "",
        f"Berkas: {f.path.rsplit('/', 1)[-1]} (diterima {waktu(f.received_at)})",
        f"Status: {STATUS_TEXT.get(f.status, f.status)}",
    ]
    for number, p in enumerate(_ordered(f.problems), start=1):
        lines.append(f"  {number}. {_where(p, catalogue)}{p.message}")
    return lines


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


def _closing(periods: list[Period | Year], config: Config) -> list[str]:
    lines = [
        "",
        "Cara memperbaiki: buka berkas yang Anda kirim (bukan salinan baru), perbaiki sel yang",
        "disebut di atas, simpan sebagai .xlsx dengan nama apa saja, lalu kirim kembali ke",
        f"{config.send_email}. Bila berkas ditolak karena rusak atau bukan template resmi, isi",
        "ulang template asli dari Renvapor.",
    ]
    quarterly = [p for p in periods if isinstance(p, Period)]
    if quarterly:
        deadline = quarterly[-1].deadline(config.deadline_days)
        lines.append(f"Batas waktu pengiriman triwulan ini: {tanggal(deadline)}.")
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


def _period_label(period: Period | Year) -> str:
    if isinstance(period, Period):
        return period.label
    return f"target tahun {period}"


def _period_order(period: Period | Year) -> tuple[int, int]:
    return period.year, period.quarter if isinstance(period, Period) else 0


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()
