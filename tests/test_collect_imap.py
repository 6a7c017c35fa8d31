"""iki collect imaps://...: a real Dovecot on loopback, started by the tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.catalogue.model import Catalogue
from pipeline.cli import main
from pipeline.config import Config, ImapSettings
from pipeline.errors import UsageError
from pipeline.mail.imap import collect_imap, imap_job
from pipeline.mail.imap_state import load_state, state_key
from pipeline.mail.manifest import read_manifest
from pipeline.run.scan import scan_inbox
from tests import corpus
from tests.mailservers import WIB, Account, Dovecot, mail, needs_dovecot, start_dovecot

pytestmark = [pytest.mark.imap, needs_dovecot]
PASSWORD_ENV = "IKI_TEST_IMAP_PASSWORD"


@pytest.fixture(scope="module")
def dovecot() -> Iterator[Dovecot]:
    """One Dovecot for the module; each test takes its own account."""
    server = start_dovecot()
    yield server
    server.stop()


@pytest.fixture
def account(dovecot: Dovecot, monkeypatch: pytest.MonkeyPatch) -> Account:
    """A fresh mailbox whose password is in the environment, as a user would set it."""
    account = dovecot.account()
    monkeypatch.setenv(PASSWORD_ENV, account.password)
    return account


def _at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2018, 7, day, hour, minute, tzinfo=WIB)


def _hostile_from(attachment: bytes) -> bytes:
    """A mail whose From display name decodes to CR LF and a Bcc line (issue 14, item 6)."""
    body = mail("x@x", "Isian IKI", [("budi.xlsx", attachment)], ident="hostile-from")
    head, _, rest = body.partition(b"\n")
    assert head.startswith(b"From:")
    return b"From: =?UTF-8?Q?Budi=0D=0ABcc:_korban@example.org?= <budi@kec.example>\n" + rest


def _nameless(payload: bytes) -> bytes:
    """A spreadsheet part without any file name (issue 14)."""
    raw = mail("kp@disnaker.example", "Isian tanpa nama", [("x.xlsx", payload)], ident="nameless")
    return raw.replace(b'; filename="x.xlsx"', b"").replace(b"filename=x.xlsx", b"")


def _cli(
    dovecot: Dovecot, account: Account, inbox: Path, state: Path, *extra: str
) -> tuple[int, str]:
    args = ["collect", dovecot.url(account), "--inbox", str(inbox), "--state", str(state)]
    args += ["--password-env", PASSWORD_ENV, "--cafile", str(dovecot.cafile), *extra]
    result = CliRunner().invoke(main, args)
    return result.exit_code, result.output


def test_two_runs_fetch_every_attachment_once_with_internaldate(
    dovecot: Dovecot, account: Account, tmp_path: Path
) -> None:
    files = {name: name.encode() * 20 for name in "ABCDEFGH"}
    dovecot.append(
        account,
        [
            (mail("ipk@disnaker.example", "Isian TW II", [("isian.xlsx", files["A"])],
                  ident="m1", date=_at(3, 9, 15)), _at(3, 9, 20)),
            (mail("ipk@disnaker.example", "Fwd: Isian TW II", [("isian.xlsx", files["A"]),
                  ("isian.xlsx", files["B"])], ident="m2"), _at(4, 10)),
            (mail("pen@disnaker.example", "Isian", [("../../etc/passwd.xlsx", files["C"]),
                  ("CON.tar.xlsx", files["D"]), ("isian_titik.xlsx.", files["E"]),
                  ("foto.jpg", b"\xff\xd8 foto")], ident="m3"), _at(5, 8)),
            (mail("kp@disnaker.example", "Terima kasih", [], ident="m4"), _at(5, 9)),
            (_nameless(files["F"]), _at(5, 10)),
            (_hostile_from(files["G"]), _at(5, 11)),
        ],
    )  # fmt: skip
    inbox, state = tmp_path / "inbox", tmp_path / "status" / "imap.json"
    code, output = _cli(dovecot, account, inbox, state)
    assert code == 0, output
    assert account.password not in output
    assert "Surel dibaca: 6" in output
    assert f"Lampiran disimpan ke {inbox}: 7" in output
    assert "Lampiran dilewati karena isinya sama persis: 1\n  isian.xlsx  = isian.xlsx" in output
    assert (
        "Lampiran tanpa nama berkas, disimpan dengan nama: 1\n  lampiran_tanpa_nama.xlsx" in output
    )
    assert "Lampiran tidak diambil: 1\n  foto.jpg  (surel UID 3 dari pen@disnaker.example" in output
    assert "bukan berkas Excel (.xlsx)" in output
    assert (
        'Surel tanpa lampiran Excel: 1\n  surel UID 4 dari kp@disnaker.example, "Terima kasih"'
        in (output)
    )
    rows = {e.file: e for e in read_manifest(inbox)}
    assert sorted(rows) == sorted(
        [
            "isian.xlsx",
            "isian_2.xlsx",
            "passwd.xlsx",
            "CON_.tar.xlsx",
            "isian_titik.xlsx",
            "lampiran_tanpa_nama.xlsx",
            "budi.xlsx",
        ]
    )
    first = rows["isian.xlsx"]
    assert (first.sender, first.message_id) == ("ipk@disnaker.example", "<m1@disnaker.example>")
    assert dt.datetime.fromisoformat(first.received) == _at(3, 9, 20)  # INTERNALDATE
    assert dt.datetime.fromisoformat(first.date) == _at(3, 9, 15)  # Date header, kept too
    hostile = rows["budi.xlsx"]
    assert hostile.sender == "budi@kec.example"
    assert dt.datetime.fromisoformat(hostile.received) == _at(5, 11)
    assert "\n" not in (inbox / "manifest.csv").read_text(encoding="utf-8").replace(
        "\n", "", len(rows) + 1
    )
    assert sorted(p.name for p in inbox.iterdir()) == sorted([*rows, "manifest.csv"])
    assert (inbox / "isian_2.xlsx").read_bytes() == files["B"]

    dovecot.append(
        account,
        [(mail("pyp@disnaker.example", "Isian PYP", [("pyp.xlsx", files["H"]),
          ("lagi.xlsx", files["C"])], ident="m7"), _at(6, 7))],
    )  # fmt: skip
    code, output = _cli(dovecot, account, inbox, state)
    assert code == 0, output
    assert "Surel dibaca: 1" in output and f"Lampiran disimpan ke {inbox}: 1\n  pyp.xlsx" in output
    assert "lagi.xlsx  = passwd.xlsx" in output
    again = read_manifest(inbox)
    assert len(again) == 8 and len({e.sha256 for e in again}) == 8
    assert {(inbox / e.file).read_bytes() for e in again} == set(files.values())
    code, output = _cli(dovecot, account, inbox, state)
    assert (code, output.splitlines()[:2]) == (
        0,
        ["Surel dibaca: 0", f"Lampiran disimpan ke {inbox}: 0"],
    )


def test_connection_dropped_midway_then_rerun_completes(
    dovecot: Dovecot, account: Account, tmp_path: Path
) -> None:
    payloads = [f"berkas {i}".encode() * 1000 for i in range(5)]
    dovecot.append(
        account,
        [
            (mail("ipk@disnaker.example", f"Isian {i}", [(f"isian{i}.xlsx", p)], ident=f"d{i}"),
             _at(3, 9 + i))
            for i, p in enumerate(payloads)
        ],
    )  # fmt: skip
    inbox, state = tmp_path / "inbox", tmp_path / "imap.json"
    settings = ImapSettings(password_env=PASSWORD_ENV, cafile=str(dovecot.cafile), state=str(state))
    job = imap_job(dovecot.url(account), inbox, settings)

    def drop_after_two(done: int, total: int) -> None:
        if done == 2:
            dovecot.kick(account)  # the server closes the connection under the client

    first = collect_imap(job, progress=drop_after_two)
    assert first.interrupted
    assert [e.file for e in first.saved] == ["isian0.xlsx", "isian1.xlsx"]
    saved_state = load_state(state, state_key(job.server.label, inbox))
    assert saved_state is not None and saved_state.last_uid == 2
    assert sorted(p.name for p in inbox.iterdir()) == ["isian0.xlsx", "isian1.xlsx", "manifest.csv"]
    assert len(read_manifest(inbox)) == 2

    second = collect_imap(job)
    assert not second.interrupted and second.duplicates == []
    assert [e.file for e in second.saved] == ["isian2.xlsx", "isian3.xlsx", "isian4.xlsx"]
    assert [(inbox / e.file).read_bytes() for e in read_manifest(inbox)] == payloads


def test_changed_uidvalidity_reads_the_folder_again(
    dovecot: Dovecot, account: Account, tmp_path: Path
) -> None:
    old = [
        (mail("ipk@disnaker.example", "Isian", [("a.xlsx", b"a" * 50)], ident="u1"), _at(3, 9)),
        (mail("pen@disnaker.example", "Isian", [("b.xlsx", b"b" * 50)], ident="u2"), _at(3, 10)),
    ]
    dovecot.append(account, old, folder="Kiriman")
    inbox, state = tmp_path / "inbox", tmp_path / "imap.json"
    settings = ImapSettings(password_env=PASSWORD_ENV, cafile=str(dovecot.cafile), state=str(state))
    job = imap_job(dovecot.url(account, "Kiriman"), inbox, settings)
    assert [e.file for e in collect_imap(job).saved] == ["a.xlsx", "b.xlsx"]

    conn = dovecot.client(account)
    conn.delete("Kiriman")
    conn.logout()
    new = (mail("kp@disnaker.example", "Isian", [("c.xlsx", b"c" * 50)], ident="u3"), _at(4, 9))
    dovecot.append(account, [*old, new], folder="Kiriman")  # the same UIDs 1 and 2, and a 3

    again = collect_imap(job)
    assert again.uidvalidity_changed
    assert [e.file for e in again.saved] == ["c.xlsx"]
    assert again.duplicates == [("a.xlsx", "a.xlsx"), ("b.xlsx", "b.xlsx")]


def _flags(dovecot: Dovecot, account: Account, folder: str) -> list[bytes]:
    conn = dovecot.client(account)
    conn.select(folder, readonly=True)
    _, data = conn.uid("FETCH", "1:*", "(FLAGS)")
    conn.logout()
    return [d for d in data if isinstance(d, bytes)]


def test_read_only_by_default_then_seen_then_move(
    dovecot: Dovecot, account: Account, tmp_path: Path
) -> None:
    mails = [
        (mail("ipk@disnaker.example", f"Isian {i}", [(f"f{i}.xlsx", bytes([65 + i]) * 30)],
              ident=f"s{i}"), _at(3, 9 + i))
        for i in range(3)
    ]  # fmt: skip
    dovecot.append(account, mails[:1])
    inbox = tmp_path / "inbox"
    code, output = _cli(dovecot, account, inbox, tmp_path / "s1.json")
    assert code == 0, output
    assert all(b"\\Seen" not in f for f in _flags(dovecot, account, "INBOX"))

    code, output = _cli(dovecot, account, inbox, tmp_path / "s2.json", "--after", "seen")
    assert code == 0 and "f0.xlsx  = f0.xlsx" in output, output
    assert all(b"\\Seen" in f for f in _flags(dovecot, account, "INBOX"))

    dovecot.append(account, mails[1:])
    conn = dovecot.client(account)
    conn.create("Diproses")
    conn.logout()
    code, output = _cli(dovecot, account, inbox, tmp_path / "s3.json", "--after", "move:Diproses")
    assert code == 0, output
    assert f"Lampiran disimpan ke {inbox}: 2" in output
    assert _flags(dovecot, account, "INBOX") == []
    assert len(_flags(dovecot, account, "Diproses")) == 3

    code, output = _cli(dovecot, account, inbox, tmp_path / "s4.json", "--after", "move:Tidak_Ada")
    assert code == 2
    assert "Galat: folder tujuan 'Tidak_Ada' tidak ada di server; buat dulu" in output


def test_starttls_and_plain_text_to_this_computer_only(
    dovecot: Dovecot, account: Account, tmp_path: Path
) -> None:
    dovecot.append(
        account, [(mail("ipk@x.example", "I", [("a.xlsx", b"a" * 9)], ident="t"), _at(3, 9))]
    )
    inbox = tmp_path / "inbox"
    starttls = ImapSettings(
        password_env=PASSWORD_ENV, cafile=str(dovecot.cafile), state=str(tmp_path / "a")
    )
    job = imap_job(dovecot.url(account, implicit=False), inbox, starttls)
    assert job.server.security == "starttls"
    assert [e.file for e in collect_imap(job).saved] == ["a.xlsx"]

    plain = ImapSettings(password_env=PASSWORD_ENV, allow_plaintext=True, state=str(tmp_path / "b"))
    job = imap_job(dovecot.url(account, implicit=False), tmp_path / "inbox2", plain)
    assert job.server.security == "plain"
    assert [e.file for e in collect_imap(job).saved] == ["a.xlsx"]

    remote = f"imap://{account.user}@mail.example.go.id/INBOX"
    with pytest.raises(UsageError, match="hanya diizinkan ke server di komputer ini"):
        imap_job(remote, inbox, plain)


def test_untrusted_certificate_and_wrong_password_are_clear_messages(
    dovecot: Dovecot, account: Account, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox, state = tmp_path / "inbox", tmp_path / "imap.json"
    result = CliRunner().invoke(
        main, ["collect", dovecot.url(account), "--inbox", str(inbox), "--state", str(state),
               "--password-env", PASSWORD_ENV],
    )  # fmt: skip
    assert result.exit_code == 2
    assert result.output == (
        f"Galat: sertifikat server 127.0.0.1:{dovecot.imaps_port} tidak dapat dipercaya: "
        "sertifikat ditandatangani sendiri. Bila server kantor memakai sertifikat sendiri, "
        "sebutkan berkas CA-nya dengan --cafile atau cafile di iki.toml.\n"
    )
    monkeypatch.setenv(PASSWORD_ENV, "sandi-salah-987")
    code, output = _cli(dovecot, account, inbox, state)
    assert code == 2
    assert output.startswith(f"Galat: server IMAP menolak login {account.user}: periksa nama")
    assert "sandi-salah-987" not in output
    assert (not state.exists() and not inbox.exists()) or list(inbox.iterdir()) == []


def test_password_file_must_be_private(dovecot: Dovecot, account: Account, tmp_path: Path) -> None:
    dovecot.append(
        account, [(mail("a@x.example", "I", [("a.xlsx", b"z" * 9)], ident="p"), _at(3, 9))]
    )
    secret = tmp_path / "sandi.txt"
    secret.write_text(account.password + "\n", encoding="utf-8")
    secret.chmod(0o644)
    args = ["--password-file", str(secret)]
    code, output = _cli(dovecot, account, tmp_path / "inbox", tmp_path / "s.json", *args)
    assert code == 2
    assert output == (
        f"Galat: berkas sandi {secret} dapat dibaca pengguna lain (izin 644); batasi dengan: "
        f"chmod 600 {secret}\n"
    )
    secret.chmod(0o600)
    code, output = _cli(dovecot, account, tmp_path / "inbox", tmp_path / "s.json", *args)
    assert code == 0, output
    assert account.password not in output
    assert account.password not in (tmp_path / "s.json").read_text(encoding="utf-8")


def test_internaldate_decides_lateness(
    catalogue: Catalogue, dovecot: Dovecot, account: Account, tmp_path: Path
) -> None:
    """A file dated on time by its sender but received by the server after the deadline."""
    ts = corpus.make_templates(catalogue, tmp_path / "t")
    a = corpus.filled(ts, "PEN", tmp_path / "a.xlsx", catalogue)
    dovecot.append(
        account,
        [(mail("pen@disnaker.example", "Isian PEN", [("pen.xlsx", a.read_bytes())], ident="late",
               date=_at(9, 16)), _at(16, 8))],
    )  # fmt: skip
    inbox = tmp_path / "inbox"
    settings = ImapSettings(
        password_env=PASSWORD_ENV, cafile=str(dovecot.cafile), state=str(tmp_path / "s")
    )
    collect_imap(imap_job(dovecot.url(account), inbox, settings))
    scan = scan_inbox(inbox, catalogue, Config())
    (record,) = [f for f in scan.files if f.path == "pen.xlsx"]
    assert record.received_source == "email"
    assert record.received_at == _at(16, 8)
