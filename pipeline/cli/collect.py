"""`iki collect`: spreadsheet attachments from saved mail or an IMAP folder into the inbox."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click

from pipeline.cli.common import EXIT_USAGE, handle_errors, inbox_option
from pipeline.config import ImapSettings, load_config
from pipeline.errors import UsageError
from pipeline.mail.intake import CollectResult, MailRef

SEE_README = "lihat README, bagian Surel"


@click.command()
@click.argument("source", metavar="[SUMBER]", required=False)
@inbox_option("Folder kotak masuk tujuan.")
@click.option(
    "--password-env",
    metavar="NAMA",
    help="Variabel lingkungan berisi sandi IMAP (bawaan: IKI_IMAP_PASSWORD).",
)
@click.option(
    "--password-file",
    metavar="BERKAS",
    help="Berkas berisi sandi IMAP, hanya boleh dibaca pemiliknya (chmod 600).",
)
@click.option(
    "--cafile", metavar="BERKAS", help="Sertifikat CA bila server memakai sertifikat sendiri."
)
@click.option(
    "--state",
    metavar="BERKAS",
    help="Berkas status IMAP: surel mana yang sudah diambil (bawaan: di folder status pengguna).",
)
@click.option(
    "--after",
    metavar="seen|move:FOLDER",
    help="Sesudah diambil: tandai sudah dibaca (seen) atau pindahkan ke FOLDER. "
    "Bawaan: surel di server tidak diubah.",
)
@click.option(
    "--allow-plaintext",
    is_flag=True,
    default=None,
    help="Izinkan koneksi tanpa enkripsi, hanya ke server di komputer ini.",
)
@handle_errors
def collect(source: str | None, inbox: Path, **options: str | bool | None) -> None:
    """Ambil lampiran .xlsx dari surel: folder .eml, berkas .mbox, Maildir, atau server IMAP.

    SUMBER adalah folder atau berkas surel, atau alamat folder IMAP seperti
    imaps://renvapor@mail.malangkab.go.id/INBOX. Tanpa SUMBER: [imap] url di iki.toml.
    """
    from pipeline.inbox.collect import collect as collect_files
    from pipeline.mail.imap import collect_imap, imap_job, is_imap_url

    settings = _settings(load_config().imap, options)
    source = source or settings.url
    if not source:
        raise UsageError(f"sebutkan SUMBER, atau isi [imap] url di iki.toml ({SEE_README})")
    if is_imap_url(source):
        result = collect_imap(imap_job(source, inbox, settings))
    else:
        result = collect_files(Path(source), inbox)
    for line in summary(result, inbox):
        click.echo(line)
    if result.interrupted:
        click.echo(
            f"Galat: koneksi ke server surel terputus ({result.interrupted}). Jalankan perintah "
            "yang sama lagi untuk melanjutkan; surel yang sudah selesai tidak diambil ulang.",
            err=True,
        )
        click.get_current_context().exit(EXIT_USAGE)


def _settings(base: ImapSettings, options: dict[str, str | bool | None]) -> ImapSettings:
    """iki.toml's [imap], with what the command line gives instead."""
    given = {k: v for k, v in options.items() if v is not None}
    return dataclasses.replace(base, **given)  # type: ignore[arg-type]


def summary(result: CollectResult, inbox: Path) -> list[str]:
    """What the run did, in Indonesian, one line per item."""
    lines = [f"Surel dibaca: {result.messages}"]
    if result.uidvalidity_changed:
        lines.append(
            "Server menomori ulang folder ini (UIDVALIDITY berubah): seluruh folder dibaca "
            "ulang; lampiran yang sudah ada di kotak masuk dilewati."
        )
    lines.append(f"Lampiran disimpan ke {inbox}: {len(result.saved)}")
    lines += [f"  {e.file}  dari {e.sender or '?'}  {_when(e.received_at)}" for e in result.saved]
    if result.completed:
        lines.append(f"Berkas yang sudah ada dilengkapi data surelnya: {len(result.completed)}")
        lines += [f"  {e.file}  dari {e.sender or '?'}" for e in result.completed]
    if result.duplicates:
        lines.append(f"Lampiran dilewati karena isinya sama persis: {len(result.duplicates)}")
        lines += [f"  {name or '(tanpa nama)'}  = {kept}" for name, kept in result.duplicates]
    if result.unnamed:
        lines.append(f"Lampiran tanpa nama berkas, disimpan dengan nama: {len(result.unnamed)}")
        lines += [f"  {saved}  ({_mail(ref)})" for ref, saved in result.unnamed]
    if result.refused:
        lines.append(f"Lampiran tidak diambil: {len(result.refused)}")
        lines += [
            f"  {r.name or '(tanpa nama)'}  ({_mail(ref)}): {r.message}"
            for ref, r in result.refused
        ]
    if result.without_attachment:
        lines.append(f"Surel tanpa lampiran Excel: {len(result.without_attachment)}")
        lines += [f"  {_mail(ref)}" for ref in result.without_attachment]
    lines += [f"Surel {where} dilewati: {why}" for where, why in result.skipped]
    return lines


def _mail(ref: MailRef) -> str:
    subject = f'"{ref.subject}"' if ref.subject else "tanpa subjek"
    return f"surel {ref.where} dari {ref.sender or '?'}, {subject}, {_when(ref.date)}"


def _when(iso: str) -> str:
    return iso or "(tanpa tanggal)"
