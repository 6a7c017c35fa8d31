"""Mail server URLs, plain-text refusal and the password rules (no server needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import UsageError
from pipeline.mail.account import Secret, parse_url, read_password


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "imaps://renvapor@mail.example.go.id/INBOX",
            ("tls", "mail.example.go.id", 993, "renvapor", "INBOX"),
        ),
        (
            "imap://renvapor@mail.example.go.id",
            ("starttls", "mail.example.go.id", 143, "renvapor", "INBOX"),
        ),
        (
            "imaps://renvapor%40malangkab.go.id@imap.example.com:9993/Kiriman%20IKI",
            ("tls", "imap.example.com", 9993, "renvapor@malangkab.go.id", "Kiriman IKI"),
        ),
        ("smtps://renvapor@mail.example.go.id", ("tls", "mail.example.go.id", 465, "renvapor", "")),
        (
            "smtp://renvapor@mail.example.go.id",
            ("starttls", "mail.example.go.id", 587, "renvapor", ""),
        ),
    ],
)
def test_urls(url: str, expected: tuple[str, str, int, str, str]) -> None:
    protocol = url.split(":")[0].rstrip("s")
    server = parse_url(url, protocol)
    assert (server.security, server.host, server.port, server.user, server.folder) == expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (
            "http://renvapor@mail.example.go.id",
            "alamat server 'http://renvapor@mail.example.go.id' tidak dikenal; contoh: imaps://renvapor@mail.example.go.id/INBOX",
        ),
        ("smtps://renvapor@mail.example.go.id", "tidak dikenal"),
        (
            "imaps://renvapor:rahasia@mail.example.go.id/INBOX",
            "jangan tulis sandi di alamat server",
        ),
        ("imaps://mail.example.go.id/INBOX", "harus memuat pengguna dan host"),
        ("imaps://renvapor@mail.example.go.id/Kotak%20Masuk%C3%A9", "harus huruf ASCII"),
        ("imaps://renvapor@mail.example.go.id:99999/INBOX", "nomor port"),
    ],
)
def test_bad_urls(url: str, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_url(url, "imap")
    assert message in str(caught.value)


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "127.1.2.3", "[::1]"])
def test_plain_text_only_to_this_computer(host: str) -> None:
    assert parse_url(f"imap://u@{host}/INBOX", "imap", allow_plaintext=True).security == "plain"


@pytest.mark.parametrize("host", ["mail.example.go.id", "10.0.0.5", "192.168.1.2"])
def test_plain_text_to_another_computer_is_refused(host: str) -> None:
    with pytest.raises(UsageError, match="hanya diizinkan ke server di komputer ini"):
        parse_url(f"smtp://u@{host}", "smtp", allow_plaintext=True)


def test_password_file_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "sandi"
    secret.write_text("s3cret-sandi\nbaris kedua diabaikan\n", encoding="utf-8")
    for mode in (0o644, 0o640, 0o604, 0o620):
        secret.chmod(mode)
        with pytest.raises(UsageError) as caught:
            read_password("TIDAK_DIPAKAI", str(secret))
        assert str(caught.value) == (
            f"berkas sandi {secret} dapat dibaca pengguna lain (izin {mode:o}); batasi dengan: "
            f"chmod 600 {secret}"
        )
    secret.chmod(0o600)
    password = read_password("TIDAK_DIPAKAI", str(secret))
    assert password.reveal() == "s3cret-sandi"
    assert "s3cret" not in repr(password) and "s3cret" not in str(password)
    assert "s3cret" not in f"{password} {[password]}"


def test_password_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IKI_UJI_SANDI", raising=False)
    with pytest.raises(
        UsageError, match="sandi tidak ditemukan: isi variabel lingkungan IKI_UJI_SANDI"
    ):
        read_password("IKI_UJI_SANDI", "")
    monkeypatch.setenv("IKI_UJI_SANDI", "dari-lingkungan")
    assert read_password("IKI_UJI_SANDI", "").reveal() == "dari-lingkungan"
    assert repr(Secret("x")) == "Secret('***')"
