"""Reminders: a draft for every reporting unit that sent nothing for a quarter by its deadline.

Written beside the feedback (`pengingat_<UNIT>.txt` and `.eml`), addressed to the unit's
address from iki.toml ([unit_email], else [senders]), so `iki send` can send them too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from pipeline.catalogue.model import Catalogue
from pipeline.config import Config
from pipeline.contract import KIND_UNIT
from pipeline.feedback import Feedback
from pipeline.indonesian import tanggal
from pipeline.periods import Period
from pipeline.submission import FileRecord


def silent_units(files: Sequence[FileRecord], catalogue: Catalogue, period: Period) -> list[str]:
    """Reporting units with no file at all (accepted, rejected or superseded) for the period."""
    sent = {f.unit for f in files if f.kind == KIND_UNIT and f.period == period}
    return [u.code for u in catalogue.reporting_units() if u.code not in sent]


def build_reminders(
    files: Sequence[FileRecord],
    catalogue: Catalogue,
    config: Config,
    period: Period,
    today: dt.date,
) -> list[Feedback]:
    """One reminder per unit that sent nothing, once the period's deadline has passed."""
    deadline = period.deadline(config.deadline_days)
    if today <= deadline:
        return []
    fix_by = today + dt.timedelta(days=config.correction_days)
    found = []
    for code in silent_units(files, catalogue, period):
        name = catalogue.unit(code).nama
        subject = f"Pengingat: isian IKI {period.label} belum diterima"
        lines = [
            f"Kepada: {name}",
            f"Perihal: {subject}",
            "",
            f"Sampai {tanggal(today)} kami belum menerima isian IKI {period.label} dari unit",
            f"Anda. Batas waktunya {tanggal(deadline)} sudah lewat.",
            "",
            f"Mohon isi template {period.label} yang dikirim Renvapor dan kirim kembali ke",
            f"{config.send_email} paling lambat {tanggal(fix_by)}. Bila sebagian data belum ada,",
            "kirim yang sudah ada: sel yang kosong boleh dijelaskan di kolom Keterangan, dan",
            "triwulan yang terlewat dapat diisi susulan pada template triwulan berikutnya.",
            "",
            "Salam,",
            config.send_to,
            config.office,
        ]
        recipients = config.unit_email.get(code) or config.senders.get(code, ())
        found.append(
            Feedback(code, name, tuple(recipients), subject, "\n".join(lines) + "\n", "pengingat")
        )
    return found
