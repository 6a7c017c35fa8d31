"""Build the bundled example inbox: targets and TW I-II 2018 from every unit, by mail.

Run with `make example`. The story (all numbers drawn by the project's own filler from a
fixed seed, then passed through real templates, real mails and `iki collect`):

- January: Renvapor sends the Rencana Aksi: the filled targets workbook with quarterly and
  annual targets for every indicator but one (IPK-KASI.1 has only its annual target, so it
  is rated against the year), and 2017 per quarter for the two growth indicators (no 2017
  submission is in the inbox, so growth compares with these). Each quarter's templates
  show the targets in effect, as `iki templates --inbox` makes them.
- July: the APBD Perubahan raises a few targets from TW III on; Renvapor sends a revision
  (`Berlaku mulai: TW III`). It counts for TW III and TW IV only: the TW II report lists
  it in Riwayat Target and still measures TW I and TW II against the original targets.
- TW I: all 15 units report on time; Seksi Sertifikasi forwards its file twice (the
  identical copy is skipped by collect).
- The Rencana Aksi carries the roster (fictional people: name, NIP, pangkat per jabatan,
  the Kepala Dinas, place of signing), so the printed forms show who signs.
- TW II: most units report on time, four write faktor pendorong / penghambat / tindak
  lanjut for some indicators (sheet Faktor), and
  - Sub Bagian Umum dan Kepegawaian reports more PNS served on time than PNS who asked
    (a warning), then resubmits corrected numbers: the first file is superseded;
  - Sub Bagian Keuangan dan Aset reports more reports on time than reports made (a warning,
    accepted and flagged) and explains why in the row's Keterangan;
  - Seksi Penempatan Tenaga Kerja leaves the number of job seekers abroad empty and writes
    in Keterangan that SISNAKER's June data has not arrived (accepted with a warning; its
    three indicators have no capaian, and the report quotes the remark);
  - Seksi Kelembagaan Hubungan Industrial sends its file after the deadline (late);
  - Seksi Penyelesaian Perselisihan writes '5 kasus' in a number cell and never resubmits
    (rejected);
  - Seksi Pemindahan dan Pengerahan sends nothing (missing).
"""

from __future__ import annotations

import datetime as dt
import mailbox
import math
import random
import shutil
import tempfile
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from pipeline.catalogue import Catalogue, load_catalogue
from pipeline.catalogue.bounds import target_bounds
from pipeline.compute.targets import plans_in_effect
from pipeline.config import Config
from pipeline.contract import TARGET_QUARTER_FIELDS
from pipeline.fill import example_values, fill_workbook, read_meta
from pipeline.inbox.collect import collect
from pipeline.periods import ROMAN, Period
from pipeline.rencana import TargetPlan
from pipeline.run.scan import scan_inbox
from pipeline.templates import (
    generate_templates,
    targets_filename,
    write_targets_template,
)

SEED = 2018
INBOX = Path(__file__).resolve().parent / "inbox"
WIB = dt.timezone(dt.timedelta(hours=7), "WIB")
XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
Values = dict[tuple[str, str], float | str | None]


@dataclass(frozen=True)
class Mail:
    """One mail with one attachment."""

    sender: str
    sent: dt.datetime
    subject: str
    attachment: Path
    ident: str


def _sender(unit_code: str) -> str:
    return f"{unit_code.lower()}@disnaker.example"


def _sent(day: dt.date, unit_index: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(8 + unit_index % 8, 5 * unit_index % 60), WIB)


def _fill(src: Path, dst: Path, values: Values) -> Path:
    dst.parent.mkdir(parents=True, exist_ok=True)
    fill_workbook(src, dst, values)
    return dst


ANNUAL_ONLY = "IPK-KASI.1"  # Renvapor sets no quarterly targets for it
# The July revision: more people trained and placed with the APBD Perubahan budget.
REVISED = {"PKP-KASI.1": 60.0, "PKK-KASI.1": 40.0, "PPK-KABID.1": 5.0}


def _targets(cat: Catalogue, work: Path, rng: random.Random) -> tuple[Mail, Values]:
    blank = work / "blank" / targets_filename(2018)
    write_targets_template(blank, cat, 2018, generated_at="2018-01-08T08:00:00")
    values: Values = dict(example_values(read_meta(blank), cat, rng))
    for field in TARGET_QUARTER_FIELDS:
        values[(ANNUAL_ONLY, field)] = None
    filled = _fill(blank, work / "sent" / blank.name, values)
    mail = Mail(
        _sender("RVP"),
        dt.datetime(2018, 1, 15, 9, 30, tzinfo=WIB),
        "Rencana Aksi (target IKI) 2018",
        filled,
        "targets-2018",
    )
    return mail, values


def _revision(cat: Catalogue, work: Path, murni: Values) -> Mail:
    """From TW III: the revised indicators' TW III, TW IV and annual targets go up."""
    blank = work / "blank" / targets_filename(2018, 3)
    write_targets_template(blank, cat, 2018, effective_from=3, generated_at="2018-07-16T08:00:00")
    values = dict(murni)
    for code, more in REVISED.items():
        indicator = cat.indicator(code)
        top = target_bounds(indicator, cat).maximum or math.inf
        half = more / 2 if cat.perhitungan(indicator) == "kumulatif" else more
        for field in TARGET_QUARTER_FIELDS[2:]:
            values[(code, field)] = min(top, _number(murni[(code, field)]) + half)
        values[(code, "target")] = min(top, _number(murni[(code, "target")]) + more)
    filled = _fill(blank, work / "sent" / blank.name, values)
    return Mail(
        _sender("RVP"),
        dt.datetime(2018, 7, 20, 10, 0, tzinfo=WIB),
        "Rencana Aksi 2018 perubahan (berlaku mulai TW III)",
        filled,
        "targets-2018-perubahan",
    )


def _number(value: float | str | None) -> float:
    return float(value or 0)


def _plans(cat: Catalogue, work: Path, targets: Path, period: Period) -> dict[str, TargetPlan]:
    """The targets in effect for a period, read from the sent workbook as the scan reads it."""
    folder = work / "targets-inbox"
    folder.mkdir(exist_ok=True)
    shutil.copy(targets, folder / targets.name)
    scan = scan_inbox(folder, cat, Config())
    return plans_in_effect(scan.targets, cat, period)


def _quarter(
    cat: Catalogue,
    work: Path,
    period: Period,
    rng: random.Random,
    prefill: dict[str, dict[tuple[str, int], float]],
    plans: dict[str, TargetPlan],
) -> dict[str, tuple[Path, Values]]:
    stamp = f"{period.end + dt.timedelta(days=1)}T08:00:00"
    blanks = generate_templates(
        cat,
        period,
        work / "blank" / str(period),
        prefill=prefill,
        targets=plans,
        generated_at=stamp,
    )
    filled = {}
    for unit, blank in zip(cat.reporting_units(), blanks, strict=True):
        values: Values = dict(example_values(read_meta(blank), cat, rng))
        filled[unit.code] = (blank, values)
    return filled


def _mails_for(
    cat: Catalogue,
    work: Path,
    period: Period,
    filled: dict[str, tuple[Path, Values]],
    skip: set[str],
) -> list[Mail]:
    mails = []
    for index, unit in enumerate(cat.reporting_units()):
        if unit.code in skip:
            continue
        blank, values = filled[unit.code]
        path = _fill(blank, work / "sent" / str(period) / unit.code / blank.name, values)
        day = period.end + dt.timedelta(days=2 + index % 7)
        subject = f"Laporan IKI TW {ROMAN[period.quarter]} {period.year} - {unit.nama}"
        mails.append(
            Mail(_sender(unit.code), _sent(day, index), subject, path, f"{period}-{unit.code}")
        )
    return mails


def _mistakes(work: Path, period: Period, filled: dict[str, tuple[Path, Values]]) -> list[Mail]:
    """The TW II story's special mails (see the module docstring)."""
    mails = []
    subject = f"Laporan IKI TW II {period.year}"
    blank, values = filled["UMP"]
    wrong = dict(values)
    wrong[("UMP.PNS_LAYANAN_TEPAT", "TW2")] = float(values[("UMP.PNS_AJU_LAYANAN", "TW2")]) + 7
    first = _fill(blank, work / "sent" / "UMP-first" / blank.name, wrong)
    mails.append(
        Mail(
            _sender("UMP"),
            dt.datetime(2018, 7, 1, 9, 0, tzinfo=WIB),
            f"{subject} - Sub Bagian Umum dan Kepegawaian",
            first,
            "TW2-UMP-first",
        )
    )
    blank, values = filled["KEU"]
    values[("KEU.LAPKEU_TEPAT", "TW2")] = float(values[("KEU.LAPKEU_DIBUAT", "TW2")]) + 2
    values[("KEU.LAPKEU_TEPAT", "note")] = "termasuk 2 laporan bulan Maret yang selesai April"
    blank, values = filled["PEN"]
    values[("PEN.PENCAKER_LN", "TW2")] = None
    values[("PEN.PENCAKER_LN", "note")] = "data SISNAKER bulan Juni belum diterima dari Provinsi"
    blank, values = filled["PHI"]
    values[("PHI.KASUS_SELESAI", "TW2")] = "5 kasus"
    return mails


# What units wrote on the sheet Faktor in TW II (a dash list, as staff write them: the CSV
# keeps it as text, never a formula).
FACTORS: dict[str, dict[tuple[str, str], str]] = {
    "PEN": {
        ("PEN-KASI.1", "driver"): "Bursa kerja di 5 kecamatan bersama perusahaan mitra.",
        ("PEN-KASI.1", "obstacle"): "Data SISNAKER bulan Juni belum diterima dari Provinsi.",
        ("PEN-KASI.1", "follow_up"): "Meminta data Juni ke Disnakertrans Provinsi; dikirim "
        "susulan dengan template TW III.",
        ("PTK-KABID.2", "driver"): "Penempatan naik karena bursa kerja triwulan II.",
    },
    "PKP": {
        ("PKP-KASI.1", "driver"): "- Pelatihan menjahit dan las di BLK berjalan sesuai jadwal",
        ("PKP-KASI.1", "obstacle"): "- Instruktur las hanya dua orang",
        ("PKP-KASI.1", "follow_up"): "- Kerja sama instruktur dengan SMK di Kepanjen",
    },
    "KEU": {
        ("KEU-KA.1", "obstacle"): "Dua laporan bulan Maret baru selesai pada April.",
        ("KEU-KA.1", "follow_up"): "Jadwal tutup buku bulanan dimajukan ke tanggal 5.",
    },
    "RVP": {
        ("SEK-SEKDIN.3", "driver"): "Pendampingan Bappeda dalam penyusunan Renja 2019.",
        ("RVP-KA.1", "follow_up"): "Reviu dokumen perencanaan sebelum dikirim ke Bappeda.",
    },
}


def _with_factors(filled: dict[str, tuple[Path, Values]]) -> None:
    for unit, texts in FACTORS.items():
        filled[unit][1].update(texts)


def _late(mails: list[Mail], ident: str, when: dt.datetime) -> list[Mail]:
    return [
        Mail(m.sender, when, m.subject, m.attachment, m.ident) if m.ident == ident else m
        for m in mails
    ]


def _write_mbox(mails: list[Mail], path: Path) -> None:
    box = mailbox.mbox(path)
    for mail in sorted(mails, key=lambda m: m.sent):
        message = EmailMessage()
        message["From"] = mail.sender
        message["To"] = "renvapor@disnaker.example"
        message["Subject"] = mail.subject
        message["Date"] = format_datetime(mail.sent)
        message["Message-ID"] = f"<{mail.ident}@disnaker.example>"
        message.set_content("Terlampir laporan IKI unit kami.\n\nTerima kasih.")
        message.add_attachment(
            mail.attachment.read_bytes(),
            maintype=XLSX[0],
            subtype=XLSX[1],
            filename=mail.attachment.name,
        )
        box.add(message)
    box.flush()
    box.close()


def build(inbox: Path = INBOX) -> Path:
    """Write the example inbox (replacing the old one) and return its path."""
    cat = load_catalogue()
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        targets, murni = _targets(cat, work, rng)
        mails = [targets]
        plans = _plans(cat, work, targets.attachment, Period(2018, 1))
        tw1 = _quarter(cat, work, Period(2018, 1), rng, {}, plans)
        mails += _mails_for(cat, work, Period(2018, 1), tw1, set())
        mails.append(next(m for m in mails if m.ident == "2018-TW1-SKP"))  # forwarded twice
        mails[-1] = Mail(
            mails[-1].sender,
            mails[-1].sent + dt.timedelta(hours=2),
            "Fwd: " + mails[-1].subject,
            mails[-1].attachment,
            "TW1-SKP-again",
        )
        prefill = {
            unit: {(key, 1): float(v) for (key, field), v in values.items() if field == "TW1"}
            for unit, (_, values) in tw1.items()
        }
        plans = _plans(cat, work, targets.attachment, Period(2018, 2))
        tw2 = _quarter(cat, work, Period(2018, 2), rng, prefill, plans)
        _with_factors(tw2)
        mails += _mistakes(work, Period(2018, 2), tw2)
        tw2_mails = _mails_for(cat, work, Period(2018, 2), tw2, {"PMD"})
        mails += _late(tw2_mails, "2018-TW2-KJS", dt.datetime(2018, 7, 16, 14, 20, tzinfo=WIB))
        mails.append(_revision(cat, work, murni))
        _write_mbox(mails, work / "2018.mbox")
        fresh = work / "inbox"
        result = collect(work / "2018.mbox", fresh)
        if inbox.exists():
            shutil.rmtree(inbox)
        shutil.copytree(fresh, inbox)
    print(
        f"{len(result.saved)} berkas disimpan ke {inbox}; "
        f"{len(result.duplicates)} duplikat dilewati."
    )
    return inbox


if __name__ == "__main__":
    build()
