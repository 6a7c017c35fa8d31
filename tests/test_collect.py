"""collect: attachments out of .eml folders, mbox files and Maildirs, safely named, deduplicated."""

from __future__ import annotations

import base64
import csv
import mailbox
import os
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from pipeline.cli import main
from pipeline.inbox.collect import collect, maildir_order
from pipeline.mail.manifest import read_manifest
from pipeline.mail.names import safe_name

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


def test_maildir_in_delivery_order_not_name_order(tmp_path: Path) -> None:
    """Two mails delivered in one second: 9 µs sorts after 12 µs as text, not as a time.

    The resubmission (m3, the same bytes as m2's isian.xlsx) came later, so m2's copy keeps
    its name and m3's is the duplicate, whatever order the file system lists them in.
    """
    maildir = tmp_path / "Maildir"
    mailbox.Maildir(maildir, create=True)
    (maildir / "new" / "1530587700.M9P7Q1.host").write_bytes(bytes(MAILS[1]))
    (maildir / "cur" / "1530587700.M12P7Q2.host:2,S").write_bytes(bytes(MAILS[2]))
    (maildir / "new" / "1530500000.M999999P7Q0.host").write_bytes(bytes(MAILS[0]))
    result = collect(maildir, tmp_path / "inbox")
    assert [e.file for e in result.saved] == ["isian.xlsx", "isian_2.xlsx", "passwd.xlsx"]
    assert result.duplicates == [("ulang.XLSX", "isian_2.xlsx")]
    _check(tmp_path / "inbox")


def test_eml_folder_earliest_mail_first_not_name_order(tmp_path: Path) -> None:
    """The same file sent on time and again after the deadline: the on-time copy is kept.

    `a.eml` (the later mail) sorts first by name; the manifest row, whose date lateness is
    judged by, must still be the earlier mail's. Undated mails come after dated ones.
    """
    source = tmp_path / "surel"
    (source / "arsip").mkdir(parents=True)
    late = _mail(
        "pen@malangkab.go.id", "Mon, 16 Jul 2018 08:00:00 +0700", [("isi.xlsx", b"E" * 9)], "late"
    )
    early = _mail(
        "pen@malangkab.go.id", "Tue, 10 Jul 2018 23:30:00 +0000", [("isi.xlsx", b"E" * 9)], "early"
    )
    undated = _mail("ipk@malangkab.go.id", "kemarin", [("isi.xlsx", b"F" * 9)], "undated")
    (source / "0.eml").write_bytes(bytes(undated))
    (source / "a.eml").write_bytes(bytes(late))
    (source / "arsip" / "b.eml").write_bytes(bytes(early))
    result = collect(source, tmp_path / "inbox")
    assert [(e.file, e.message_id, e.date) for e in result.saved] == [
        ("isi.xlsx", "<early@example.org>", "2018-07-10T23:30:00+00:00"),
        ("isi_2.xlsx", "<undated@example.org>", ""),
    ]
    assert result.duplicates == [("isi.xlsx", "isi.xlsx")]


@pytest.mark.parametrize(
    ("names", "delivered"),
    [
        (["1000.M12P1Q2.a", "1000.M9P1Q1.a"], ["1000.M9P1Q1.a", "1000.M12P1Q2.a"]),
        (["1001.M1P1.a", "999.M5P1.a"], ["999.M5P1.a", "1001.M1P1.a"]),
        (["1000.M5P1Q10.a", "1000.M5P1Q9.a"], ["1000.M5P1Q9.a", "1000.M5P1Q10.a"]),
        (
            ["1000.M1P2V3I4.dovecot,S=10", "1000.123.old"],
            ["1000.123.old", "1000.M1P2V3I4.dovecot,S=10"],
        ),
        (["zzz", "1000.M1P1.a"], ["1000.M1P1.a", "zzz"]),
        (
            ["1000.V801I2fM20.postfix", "1000.V801I2eM3.postfix"],
            ["1000.V801I2eM3.postfix", "1000.V801I2fM20.postfix"],
        ),
    ],
)
def test_maildir_order(names: list[str], delivered: list[str]) -> None:
    assert sorted(names, key=maildir_order) == delivered


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd.xlsx", "passwd.xlsx"),
        ("C:\\Users\\x\\Isian TW2.xlsx", "Isian TW2.xlsx"),
        (".hidden.xlsx", "hidden.xlsx"),
        ("CON.xlsx", "CON_.xlsx"),
        ("CON.tar.xlsx", "CON_.tar.xlsx"),
        ("com1 .xlsx", "com1_.xlsx"),
        ("LPT¹.xlsx", "LPT1_.xlsx"),
        ("isian_titik.xlsx.", "isian_titik.xlsx"),
        ("isian_titik.xlsx. . ", "isian_titik.xlsx"),
        ("laporan.", "laporan.xlsx"),
        ("=HYPERLINK(x).xlsx", "HYPERLINK(x).xlsx"),
        ("-rf isian.xlsx", "rf isian.xlsx"),
        ("+62 isian.xlsx", "62 isian.xlsx"),
        ("@SUM.xlsx", "SUM.xlsx"),
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
            "received",
        ]
    missing = CliRunner().invoke(main, ["collect", str(tmp_path / "tidak-ada")])
    assert missing.exit_code == 2


# Hardening (issue 14): hostile headers, concurrent runs, symbolic links, odd names.


def _raw(sender_header: str, attachments: list[tuple[str | None, bytes]], mid: str) -> bytes:
    """A mail written byte by byte, so headers can be what no mail library would write."""
    boundary = "GRENZE"
    parts = [
        f"From: {sender_header}",
        "To: disnaker@malangkab.go.id",
        "Subject: =?UTF-8?Q?Isian=0D=0ABcc:_x@evil.example?=",
        "Date: Tue, 03 Jul 2018 09:15:00 +0700",
        f"Message-ID: <{mid}@example.org>",
        "MIME-Version: 1.0",
        f'Content-Type: multipart/mixed; boundary="{boundary}"',
        "",
        f"--{boundary}",
        "Content-Type: text/plain; charset=utf-8",
        "",
        "Terlampir.",
    ]
    for name, data in attachments:
        disposition = "attachment" if name is None else f'attachment; filename="{name}"'
        parts += [f"--{boundary}", f"Content-Type: {XLSX}", "Content-Transfer-Encoding: base64"]
        parts += [f"Content-Disposition: {disposition}", "", base64.b64encode(data).decode()]
    parts.append(f"--{boundary}--")
    return ("\r\n".join(parts) + "\r\n").encode()


def test_encoded_cr_lf_in_from_gives_a_clean_row(tmp_path: Path) -> None:
    hostile = "=?UTF-8?Q?Budi=0D=0ABcc:_korban@example.org?= <budi@kec.example>"
    (tmp_path / "a.eml").write_bytes(_raw(hostile, [("isian.xlsx", b"PK\x03\x04x")], "h1"))
    result = collect(tmp_path / "a.eml", tmp_path / "inbox")
    (entry,) = read_manifest(tmp_path / "inbox")
    assert result.saved == [entry]
    assert (entry.file, entry.sender, entry.date) == (
        "isian.xlsx",
        "budi@kec.example",
        "2018-07-03T09:15:00+07:00",
    )
    assert entry.subject == "Isian Bcc: x@evil.example"  # decoded, but on one line
    assert len((tmp_path / "inbox" / "manifest.csv").read_text().splitlines()) == 2


@pytest.mark.parametrize(
    "header",
    [
        "=?UTF-8?Q?Budi=0D=0A?= <budi@kec.example>",
        "=?x-unknown?B?QnVkaQ==?= <budi@kec.example>",
        "=?UTF-8?B?####?= <budi@kec.example>",
        "<budi@kec.example",
        '"Budi <evil@x.example>" <budi@kec.example>',
        "budi@kec.example (Budi\r\n\tSantoso)",
        "Budi :; <budi@kec.example>",
    ],
)
def test_odd_from_headers_never_raise(tmp_path: Path, header: str) -> None:
    (tmp_path / "a.eml").write_bytes(_raw(header, [("isian.xlsx", b"PK\x03\x04y")], "h2"))
    collect(tmp_path / "a.eml", tmp_path / "inbox")
    (entry,) = read_manifest(tmp_path / "inbox")
    assert entry.sender in ("budi@kec.example", "")
    assert entry.file == "isian.xlsx"


@given(st.text(max_size=60), st.text(max_size=60))
def test_any_header_text_decodes_to_one_line(display: str, subject: str) -> None:
    from pipeline.mail.message import decoded, headers, parse, sender

    raw = f"From: {display} <a@b.example>\r\nSubject: {subject}\r\n\r\nx\r\n"
    message = parse(raw.encode("utf-8", "surrogateescape"))
    found = headers(message)
    for text in (found.subject, found.sender, decoded(display), sender(display)):
        assert "\n" not in text and "\r" not in text


def test_nameless_attachment_gets_a_name_and_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a.eml").write_bytes(_raw("a@b.example", [(None, b"PK\x03\x04z")], "n1"))
    result = collect(tmp_path / "a.eml", tmp_path / "inbox")
    assert [e.file for e in result.saved] == ["lampiran_tanpa_nama.xlsx"]
    assert [(ref.where, name) for ref, name in result.unnamed] == [
        ("a.eml", "lampiran_tanpa_nama.xlsx")
    ]
    output = (
        CliRunner()
        .invoke(main, ["collect", str(tmp_path / "a.eml"), "--inbox", str(tmp_path / "i2")])
        .output
    )
    assert (
        "Lampiran tanpa nama berkas, disimpan dengan nama: 1\n"
        '  lampiran_tanpa_nama.xlsx  (surel a.eml dari a@b.example, "Isian Bcc: x@evil.example", '
        "2018-07-03T09:15:00+07:00)\n"
    ) in output


def test_trailing_dot_and_device_name_are_collected_not_left_in_the_mail(tmp_path: Path) -> None:
    attachments: list[tuple[str | None, bytes]] = [
        ("isian_titik.xlsx.", b"PK\x03\x04 1"),
        ("CON.tar.xlsx", b"PK\x03\x04 2"),
        ("aux.xlsx", b"PK\x03\x04 3"),
    ]
    (tmp_path / "a.eml").write_bytes(_raw("a@b.example", attachments, "t1"))
    result = collect(tmp_path / "a.eml", tmp_path / "inbox")
    assert [e.file for e in result.saved] == ["isian_titik.xlsx", "CON_.tar.xlsx", "aux_.xlsx"]
    assert result.refused == []


def test_a_dangling_symlink_in_the_inbox_is_never_followed(tmp_path: Path) -> None:
    inbox, outside = tmp_path / "inbox", tmp_path / "luar"
    inbox.mkdir()
    outside.mkdir()
    (inbox / "isian.xlsx").symlink_to(outside / "ditulis.xlsx")  # dangling
    (inbox / "nol.xlsx").symlink_to("/dev/zero")  # reading it would never end
    (tmp_path / "a.eml").write_bytes(_raw("a@b.example", [("isian.xlsx", b"PK\x03\x04s")], "l1"))
    result = collect(tmp_path / "a.eml", inbox)
    assert [e.file for e in result.saved] == ["isian_2.xlsx"]
    assert list(outside.iterdir()) == []
    assert os.readlink(inbox / "isian.xlsx") == str(outside / "ditulis.xlsx")
    assert (inbox / "isian_2.xlsx").read_bytes() == b"PK\x03\x04s"


def test_a_symlinked_manifest_is_refused(tmp_path: Path) -> None:
    inbox, outside = tmp_path / "inbox", tmp_path / "luar.csv"
    inbox.mkdir()
    (inbox / "manifest.csv").symlink_to(outside)
    (tmp_path / "a.eml").write_bytes(_raw("a@b.example", [("isian.xlsx", b"PK\x03\x04m")], "l2"))
    result = CliRunner().invoke(main, ["collect", str(tmp_path / "a.eml"), "--inbox", str(inbox)])
    assert result.exit_code == 2
    assert result.output == (
        f"Galat: {inbox / 'manifest.csv'} adalah tautan simbolik; collect tidak menulis melalui "
        "tautan. Ganti dengan berkas biasa atau pilih folder kotak masuk lain.\n"
    )
    assert not outside.exists() and sorted(p.name for p in inbox.iterdir()) == ["manifest.csv"]


def test_a_file_without_its_row_gets_the_row_and_stale_temporaries_go(tmp_path: Path) -> None:
    """What a collect killed between the file and its row (or during the file) leaves behind."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "isian.xlsx").write_bytes(b"PK\x03\x04o")  # complete, but no manifest row
    (inbox / ".iki-sementara-abc123.part").write_bytes(b"PK\x03")  # half written
    (inbox / ".catatan").write_text("punya pengguna")  # not ours: stays
    (tmp_path / "a.eml").write_bytes(_raw("a@b.example", [("isian.xlsx", b"PK\x03\x04o")], "o1"))
    result = collect(tmp_path / "a.eml", inbox)
    assert result.saved == [] and [e.file for e in result.completed] == ["isian.xlsx"]
    assert [(e.file, e.sender) for e in read_manifest(inbox)] == [("isian.xlsx", "a@b.example")]
    assert sorted(p.name for p in inbox.iterdir()) == [".catatan", "isian.xlsx", "manifest.csv"]


def test_an_old_manifest_gets_the_new_column_and_keeps_its_rows(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.xlsx").write_bytes(b"PK\x03\x04a")
    old = "file,sha256,sender,date,subject,message_id\na.xlsx,ab,x@y.example,2018,S,<m>\n"
    (inbox / "manifest.csv").write_text(old, encoding="utf-8")
    (tmp_path / "b.eml").write_bytes(_raw("b@b.example", [("b.xlsx", b"PK\x03\x04b")], "b1"))
    collect(tmp_path / "b.eml", inbox)
    lines = (inbox / "manifest.csv").read_text(encoding="utf-8").splitlines()
    assert lines[:2] == [
        "file,sha256,sender,date,subject,message_id,received",
        "a.xlsx,ab,x@y.example,2018,S,<m>,",
    ]
    assert [e.file for e in read_manifest(inbox)] == ["a.xlsx", "b.xlsx"]


def _mbox(path: Path, contents: list[bytes], tag: str) -> Path:
    box = mailbox.mbox(path)
    for index, data in enumerate(contents):
        box.add(_mail(f"{tag}@x.example", "Tue, 03 Jul 2018 09:15:00 +0700",
                      [("isian.xlsx", data)], f"{tag}{index}"))  # fmt: skip
    box.flush()
    return path


def test_two_concurrent_collects_into_one_inbox_lose_nothing(tmp_path: Path) -> None:
    """Issue 14 measured 60 of 200 rows lost; 20 files sent to both runs must be kept once."""
    contents = [f"lampiran {i}".encode() * 50 for i in range(200)]
    shared = contents[90:110]
    boxes = [
        _mbox(tmp_path / "a.mbox", contents[:100] + shared, "a"),
        _mbox(tmp_path / "b.mbox", contents[100:] + shared, "b"),
    ]
    inbox = tmp_path / "inbox"
    iki = Path(sys.executable).parent / "iki"
    runs = [
        subprocess.Popen([iki, "collect", str(box), "--inbox", str(inbox)], stdout=subprocess.PIPE)
        for box in boxes
    ]
    for run in runs:
        run.communicate(timeout=120)
        assert run.returncode == 0
    entries = read_manifest(inbox)
    assert len(entries) == 200
    assert sorted((inbox / e.file).read_bytes() for e in entries) == sorted(contents)
    assert len({e.file for e in entries}) == 200
    assert len([p for p in inbox.iterdir() if p.name != "manifest.csv"]) == 200


@pytest.mark.skipif(os.name != "posix", reason="RLIMIT_FSIZE is POSIX")
def test_a_write_that_fails_midway_leaves_nothing_half_written(tmp_path: Path) -> None:
    """A real short write: the process may not write files above 64 kB (RLIMIT_FSIZE)."""
    import resource
    import signal

    big, small = b"PK\x03\x04" + b"x" * 200_000, b"PK\x03\x04 klein"
    (tmp_path / "a.eml").write_bytes(
        _raw("a@b.example", [("kecil.xlsx", small), ("besar.xlsx", big)], "w")
    )
    inbox = tmp_path / "inbox"

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))

    iki = Path(sys.executable).parent / "iki"
    command = [iki, "collect", str(tmp_path / "a.eml"), "--inbox", str(inbox)]
    failed = subprocess.run(command, preexec_fn=limit, capture_output=True, text=True)
    assert failed.returncode == 4  # an output cannot be written (docs/exit-codes.md)
    assert failed.stderr == (
        f"Galat: tidak dapat menulis besar.xlsx ke {inbox}: berkas melebihi batas ukuran yang "
        "diizinkan sistem\n"
    )
    assert "Traceback" not in failed.stderr
    assert sorted(p.name for p in inbox.iterdir()) == ["kecil.xlsx", "manifest.csv"]
    assert [e.file for e in read_manifest(inbox)] == ["kecil.xlsx"]

    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert [e.file for e in read_manifest(inbox)] == ["kecil.xlsx", "besar.xlsx"]
    assert (inbox / "besar.xlsx").read_bytes() == big


def test_manifest_cells_never_start_a_formula(tmp_path: Path) -> None:
    """Subjects come from mail; the manifest opens in spreadsheets (issue 14, CSV injection)."""
    raw = _raw("a@b.example", [("isian.xlsx", b"PK\x03\x04f")], "f1").replace(
        b"Subject: =?UTF-8?Q?Isian=0D=0ABcc:_x@evil.example?=",
        b'Subject: =HYPERLINK("http://evil.example","klik")',
    )
    (tmp_path / "a.eml").write_bytes(raw)
    collect(tmp_path / "a.eml", tmp_path / "inbox")
    with (tmp_path / "inbox" / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][4] == '\'=HYPERLINK("http://evil.example","klik")'
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
