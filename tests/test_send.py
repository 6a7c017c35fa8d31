"""iki send: the feedback drafts to a real SMTP server (aiosmtpd on loopback), each once."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.config import Config
from pipeline.feedback import Feedback, write_feedback
from tests.mailservers import SmtpServer, start_smtp, stop_smtp

pytestmark = pytest.mark.smtp
PASSWORD_ENV = "IKI_TEST_SMTP_PASSWORD"
PEN_TEXT = "Kepada: Seksi Penempatan Tenaga Kerja\n\nSel Isian!H9: isi angka.\n"
KEU_TEXT = "Kepada: Sub Bagian Keuangan dan Aset\n\nSel Isian!H12: isi angka.\n"


@pytest.fixture(params=[False, True], ids=["starttls", "smtps"])
def smtp(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SmtpServer]:
    """An SMTP server requiring TLS and a login (STARTTLS, or TLS from the start)."""
    server = start_smtp(tmp_path_factory.mktemp("smtp"), implicit=request.param)
    yield server
    stop_smtp(server)


@pytest.fixture
def office(tmp_path: Path, smtp: SmtpServer, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with iki.toml naming the server, as an office would set it up."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(PASSWORD_ENV, smtp.password)
    (tmp_path / "iki.toml").write_text(
        f'send_email = "renvapor@disnaker.example"\n\n'
        f'[smtp]\nurl = "{smtp.url}"\npassword_env = "{PASSWORD_ENV}"\n'
        f'cafile = "{smtp.cafile}"\nlog = "status/terkirim.csv"\n\n'
        '[unit_email]\nPEN = "seksi.pen@disnaker.example"\n',
        encoding="utf-8",
    )
    return tmp_path


def _drafts(folder: Path, pen_text: str = PEN_TEXT) -> None:
    """Drafts exactly as `iki validate --feedback` writes them."""
    config = Config(send_email="renvapor@disnaker.example")
    messages = [
        Feedback(
            "PEN", "Seksi Penempatan", ("operator@pen.example",), "Perbaikan isian IKI", pen_text
        ),
        Feedback(
            "KEU", "Sub Bagian Keuangan", ("keu@disnaker.example",), "Perbaikan isian IKI", KEU_TEXT
        ),
    ]
    write_feedback(messages, folder, config)


def _send(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["send", "umpan_balik", *args])
    return result.exit_code, result.output


def _log(office: Path) -> list[tuple[str, str, str]]:
    with (office / "status" / "terkirim.csv").open(encoding="utf-8") as handle:
        return [(r["status"], r["unit"], r["address"]) for r in csv.DictReader(handle)]


def test_dry_run_then_two_runs_deliver_each_mail_once(office: Path, smtp: SmtpServer) -> None:
    _drafts(office / "umpan_balik")
    (office / "umpan_balik" / "catatan.eml").write_bytes(
        b"From: a@b\r\nSubject: bukan draf\r\n\r\nx"
    )

    code, output = _send("--dry-run")
    assert code == 0, output
    assert output.splitlines()[:4] == [
        "Draf umpan balik: 2",
        "Akan dikirim (uji coba, belum ada yang dikirim): 2",
        '  KEU  ke keu@disnaker.example  "Perbaikan isian IKI"  '
        + output.splitlines()[2].rsplit("  ", 1)[1],
        '  PEN  ke seksi.pen@disnaker.example  "Perbaikan isian IKI"  '
        + output.splitlines()[3].rsplit("  ", 1)[1],
    ]
    assert smtp.received == [] and not (office / "status").exists()

    code, output = _send()
    assert code == 0, output
    assert output.splitlines()[:2] == ["Draf umpan balik: 2", "Terkirim: 2"]
    assert smtp.password not in output
    by_rcpt = {tuple(r.recipients): r for r in smtp.received}
    assert sorted(by_rcpt) == [("keu@disnaker.example",), ("seksi.pen@disnaker.example",)]
    pen = by_rcpt[("seksi.pen@disnaker.example",)].message
    assert pen["From"] == "renvapor@disnaker.example"
    assert pen["To"] == "seksi.pen@disnaker.example"
    assert pen["Subject"] == "Perbaikan isian IKI"
    assert pen["X-Unsent"] is None and pen["X-IKI-Unit"] is None
    assert pen.get_content().replace("\r\n", "\n") == PEN_TEXT
    assert _log(office) == [
        ("mengirim", "KEU", "keu@disnaker.example"),
        ("terkirim", "KEU", "keu@disnaker.example"),
        ("mengirim", "PEN", "seksi.pen@disnaker.example"),
        ("terkirim", "PEN", "seksi.pen@disnaker.example"),
    ]

    code, output = _send()
    assert code == 0, output
    assert output.splitlines()[:3] == [
        "Draf umpan balik: 2",
        "Terkirim: 0",
        "Sudah terkirim sebelumnya, tidak dikirim ulang: 2",
    ]
    assert len(smtp.received) == 2


def test_rewritten_drafts_go_only_when_their_text_changed(office: Path, smtp: SmtpServer) -> None:
    _drafts(office / "umpan_balik")
    assert _send()[0] == 0
    _drafts(office / "umpan_balik")  # validate --feedback again: new Message-ID and Date
    code, output = _send()
    assert (code, output.splitlines()[1]) == (0, "Terkirim: 0")
    _drafts(office / "umpan_balik", pen_text=PEN_TEXT + "Sel Isian!H10: isi angka.\n")
    code, output = _send()
    assert (code, output.splitlines()[1:3]) == (0, ["Terkirim: 1", output.splitlines()[2]])
    assert output.splitlines()[2].startswith("  PEN  ke seksi.pen@disnaker.example")
    assert len(smtp.received) == 3


def test_refused_recipient_and_missing_address_exit_1_and_are_retried(
    office: Path, smtp: SmtpServer
) -> None:
    config = Config(send_email="renvapor@disnaker.example")
    write_feedback(
        [
            Feedback("KEU", "Keuangan", ("ditolak@disnaker.example",), "Perbaikan", KEU_TEXT),
            Feedback("tanpa-unit-x", "", (), "Perbaikan", "Tanpa alamat.\n"),
        ],
        office / "umpan_balik",
        config,
    )
    code, output = _send()
    assert code == 1, output
    assert "Ditolak server: 1\n  KEU  ke ditolak@disnaker.example" in output
    assert "550 5.1.1 Kotak surat tidak ada" in output
    assert (
        "Tanpa alamat tujuan (isi [unit_email] di iki.toml): 1\n  umpan_balik_tanpa-unit-x.eml"
        in output
    )
    assert _log(office) == [
        ("mengirim", "KEU", "ditolak@disnaker.example"),
        ("gagal", "KEU", "ditolak@disnaker.example"),
    ]
    code, output = _send()
    assert code == 1 and "Ditolak server: 1" in output  # a refused mail is tried again
    assert smtp.received == []


def test_a_hang_up_after_the_mail_went_is_never_sent_again_blindly(
    office: Path, smtp: SmtpServer
) -> None:
    _drafts(office / "umpan_balik")
    smtp.handler.hang_up_on_data = True
    code, output = _send()
    assert code == 2
    assert "Galat: koneksi ke server SMTP terputus" in output
    smtp.handler.hang_up_on_data = False
    code, output = _send()
    assert code == 1, output
    assert "Mungkin sudah terkirim (koneksi putus saat mengirim): 1;" in output
    assert "Terkirim: 1" in output  # the other draft, never tried, goes now
    assert len(smtp.received) == 1


def test_wrong_password_is_one_message_without_the_password(
    office: Path, smtp: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    _drafts(office / "umpan_balik")
    monkeypatch.setenv(PASSWORD_ENV, "bukan-sandinya-42")
    code, output = _send()
    assert code == 2
    assert output.startswith("Galat: server SMTP menolak login renvapor: periksa nama pengguna")
    assert "bukan-sandinya-42" not in output
    assert smtp.received == []


def test_untrusted_certificate_is_refused(office: Path, smtp: SmtpServer) -> None:
    _drafts(office / "umpan_balik")
    code, output = _send("--cafile", "")
    assert code == 2
    assert output.startswith(
        f"Galat: sertifikat server 127.0.0.1:{smtp.port} tidak dapat dipercaya"
    )
    assert smtp.received == []
