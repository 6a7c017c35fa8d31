"""`iki send`: send the feedback drafts of `iki validate --feedback` over SMTP, once each."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from pipeline.cli.common import EXIT_DATA_PROBLEMS, EXIT_USAGE, handle_errors
from pipeline.config import SmtpSettings, load_config
from pipeline.mail.send import Outgoing, SendResult, send_feedback


@click.command()
@click.argument(
    "folder", metavar="FOLDER", type=click.Path(exists=True, file_okay=False, path_type=Path)
)
@click.option("--dry-run", is_flag=True, help="Tampilkan apa yang akan dikirim, tanpa mengirim.")
@click.option(
    "--server",
    "url",
    metavar="URL",
    default="",
    help="Server SMTP, mis. smtps://renvapor@mail.malangkab.go.id "
    "(bawaan: [smtp] url di iki.toml).",
)
@click.option(
    "--password-env",
    metavar="NAMA",
    help="Variabel lingkungan berisi sandi SMTP (bawaan: IKI_SMTP_PASSWORD).",
)
@click.option(
    "--password-file",
    metavar="BERKAS",
    help="Berkas berisi sandi SMTP, hanya boleh dibaca pemiliknya (chmod 600).",
)
@click.option(
    "--cafile", metavar="BERKAS", help="Sertifikat CA bila server memakai sertifikat sendiri."
)
@click.option(
    "--log", metavar="BERKAS", help="Log surel terkirim (bawaan: di folder status pengguna)."
)
@click.option(
    "--allow-plaintext",
    is_flag=True,
    default=None,
    help="Izinkan koneksi tanpa enkripsi, hanya ke server di komputer ini.",
)
@handle_errors
def send(folder: Path, dry_run: bool, url: str, **options: str | bool | None) -> None:
    """Kirim draf umpan balik (.eml dari validate --feedback) ke alamat tiap unit lewat SMTP.

    Setiap surel dicatat di log; surel yang sama tidak pernah dikirim dua kali.
    """
    config = load_config()
    settings = _settings(config.smtp, options)
    result = send_feedback(folder, config, settings, url=url, dry_run=dry_run)
    for line in summary(result, dry_run=dry_run):
        click.echo(line)
    if result.interrupted:
        click.echo(
            f"Galat: koneksi ke server SMTP terputus ({result.interrupted}). Jalankan perintah "
            "yang sama lagi; surel yang sudah terkirim tidak dikirim ulang.",
            err=True,
        )
        click.get_current_context().exit(EXIT_USAGE)
    if not result.complete:
        click.get_current_context().exit(EXIT_DATA_PROBLEMS)


def _settings(base: SmtpSettings, options: dict[str, str | bool | None]) -> SmtpSettings:
    """iki.toml's [smtp], with what the command line gives instead."""
    given = {k: v for k, v in options.items() if v is not None}
    return dataclasses.replace(base, **given)  # type: ignore[arg-type]


def summary(result: SendResult, *, dry_run: bool) -> list[str]:
    """What the run did, in Indonesian."""
    lines = [f"Draf umpan balik: {result.drafts}"]
    if dry_run:
        lines.append(f"Akan dikirim (uji coba, belum ada yang dikirim): {len(result.to_send)}")
        lines += [_line(item) for item in result.to_send]
    else:
        lines.append(f"Terkirim: {len(result.sent)}")
        lines += [_line(item) for item in result.sent]
    if result.already:
        lines.append(f"Sudah terkirim sebelumnya, tidak dikirim ulang: {len(result.already)}")
        lines += [f"{_line(item)}  (terkirim {row.time})" for item, row in result.already]
    if result.uncertain:
        lines.append(
            f"Mungkin sudah terkirim (koneksi putus saat mengirim): {len(result.uncertain)}; "
            "periksa di kotak terkirim, lalu hapus barisnya dari log bila belum terkirim:"
        )
        lines += [f"{_line(item)}  ({row.time})" for item, row in result.uncertain]
    if result.refused:
        lines.append(f"Ditolak server: {len(result.refused)}")
        lines += [f"{_line(item)}: {why}" for item, why in result.refused]
    if result.no_address:
        lines.append(
            f"Tanpa alamat tujuan (isi [unit_email] di iki.toml): {len(result.no_address)}"
        )
        lines += [f"  {name}" for name in result.no_address]
    lines.append(f"Log surel terkirim: {result.log}")
    return lines


def _line(item: Outgoing) -> str:
    return f'  {item.unit}  ke {", ".join(item.to)}  "{item.subject}"  {item.message_id}'
