"""`iki collect`: copy spreadsheet attachments from saved mail into the inbox."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli.common import handle_errors, inbox_option
from pipeline.inbox.collect import collect as collect_mail


@click.command()
@click.argument("source", type=click.Path(exists=True, path_type=Path))
@inbox_option("Folder kotak masuk tujuan.")
@handle_errors
def collect(source: Path, inbox: Path) -> None:
    """Ambil lampiran .xlsx dari surel (folder .eml, berkas .mbox, atau Maildir)."""
    result = collect_mail(source, inbox)
    click.echo(f"Surel dibaca: {result.messages}")
    click.echo(f"Lampiran disimpan ke {inbox}: {len(result.saved)}")
    for entry in result.saved:
        click.echo(f"  {entry.file}  dari {entry.sender or '?'}  {entry.date or '(tanpa tanggal)'}")
    if result.duplicates:
        click.echo(f"Lampiran dilewati karena isinya sama persis: {len(result.duplicates)}")
        for name, kept in result.duplicates:
            click.echo(f"  {name}  = {kept}")
    for where, reason in result.skipped:
        click.echo(f"Surel {where} dilewati: {reason}", err=True)
