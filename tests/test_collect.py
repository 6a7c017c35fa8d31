"""collect: attachments out of .eml folders, mbox files and Maildirs, safely named, deduplicated."""

from __future__ import annotations

import csv
import mailbox
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.inbox.collect import collect, read_manifest, safe_name

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _mail(sender: str, date: str, attachments: list[tuple[str, bytes]], mid: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = f"Petugas <{sender}>"
    message["To"] = "disnaker@malangkab.go.id"
    message["Subject"] = "Isian IKI TW II"
    message["Date"] = date
    message["Message-ID"] = f"<{mid}@example.org>"
    message.set_content("Terlampir isian kami.")
    for name, data in attachments:
        maintype, subtype = XLSX.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return message


MAILS = [
    _mail(
        "ipk@malangkab.go.id", "Tue, 03 Jul 2018 09:15:00 +0700", [("isian.xlsx", b"A" * 10)], "m1"
    ),
    _mail(
        "pen@malangkab.go.id",
        "Wed, 04 Jul 2018 10:00:00 +0700",
        [("isian.xlsx", b"B" * 10), ("../../etc/passwd.xlsx", b"C" * 10), ("foto.jpg", b"D")],
        "m2",
    ),
    _mail("pen@malangkab.go.id", "not a date", [("ulang.XLSX", b"B" * 10)], "m3"),
]


def _check(inbox: Path) -> None:
    entries = read_manifest(inbox)
    assert [(e.file, e.sender, e.date, e.message_id) for e in entries] == [
        ("isian.xlsx", "ipk@malangkab.go.id", "2018-07-03T09:15:00+07:00", "<m1@example.org>"),
        ("isian_2.xlsx", "pen@malangkab.go.id", "2018-07-04T10:00:00+07:00", "<m2@example.org>"),
        ("passwd.xlsx", "pen@malangkab.go.id", "2018-07-04T10:00:00+07:00", "<m2@example.org>"),
    ]
    assert (inbox / "isian.xlsx").read_bytes() == b"A" * 10
    assert (inbox / "isian_2.xlsx").read_bytes() == b"B" * 10
    assert sorted(p.name for p in inbox.iterdir()) == [
        "isian.xlsx",
        "isian_2.xlsx",
        "manifest.csv",
        "passwd.xlsx",
    ]


def test_eml_folder(tmp_path: Path) -> None:
    source = tmp_path / "surel"
    source.mkdir()
    for index, message in enumerate(MAILS):
        (source / f"{index}.eml").write_bytes(bytes(message))
    result = collect(source, tmp_path / "inbox")
    assert result.messages == 3
    assert result.duplicates == [("ulang.XLSX", "isian_2.xlsx")]
    _check(tmp_path / "inbox")


def test_mbox_and_rerun_adds_nothing(tmp_path: Path) -> None:
    box = mailbox.mbox(tmp_path / "kotak.mbox")
    for message in MAILS:
        box.add(message)
    box.flush()
    inbox = tmp_path / "inbox"
    collect(tmp_path / "kotak.mbox", inbox)
    _check(inbox)
    again = collect(tmp_path / "kotak.mbox", inbox)
    assert again.saved == [] and len(again.duplicates) == 4
    _check(inbox)


def test_maildir_keeps_existing_files(tmp_path: Path) -> None:
    box = mailbox.Maildir(tmp_path / "Maildir", create=True)
    for message in MAILS:
        box.add(message)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "isian.xlsx").write_bytes(b"by hand")
    result = collect(tmp_path / "Maildir", inbox)
    assert (inbox / "isian.xlsx").read_bytes() == b"by hand"
    assert sorted(e.file for e in result.saved) == ["isian_2.xlsx", "isian_3.xlsx", "passwd.xlsx"]


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd.xlsx", "passwd.xlsx"),
        ("C:\\Users\\x\\Isian TW2.xlsx", "Isian TW2.xlsx"),
        (".hidden.xlsx", "hidden.xlsx"),
        ("CON.xlsx", "CON_.xlsx"),
        ("isian\x00\n.xlsx", "isian.xlsx"),
        ("laporan.xls", "laporan.xls"),
        ("", "lampiran.xlsx"),
        ("a/..", "lampiran.xlsx"),
        ("Ísian ü.xlsx", "Isian u.xlsx"),
        ("数据.xlsx", "lampiran.xlsx"),
    ],
)
def test_safe_name(name: str, safe: str) -> None:
    assert safe_name(name) == safe


def test_cli_collect(tmp_path: Path) -> None:
    source = tmp_path / "surel"
    source.mkdir()
    for index, message in enumerate(MAILS):
        (source / f"{index}.eml").write_bytes(bytes(message))
    inbox = tmp_path / "inbox"
    result = CliRunner().invoke(main, ["collect", str(source), "--inbox", str(inbox)])
    assert result.exit_code == 0, result.output
    assert "Surel dibaca: 3" in result.output
    assert "Lampiran disimpan ke" in result.output and ": 3" in result.output
    assert "ulang.XLSX  = isian_2.xlsx" in result.output
    with (inbox / "manifest.csv").open(encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == [
            "file",
            "sha256",
            "sender",
            "date",
            "subject",
            "message_id",
        ]
    missing = CliRunner().invoke(main, ["collect", str(tmp_path / "tidak-ada")])
    assert missing.exit_code == 2
