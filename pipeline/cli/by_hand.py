"""`iki terima`: a file received by hand, into the inbox with the time it was received."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from pipeline.cli.common import handle_errors, inbox_option
from pipeline.config import load_config
from pipeline.errors import UsageError
from pipeline.indonesian import waktu
from pipeline.mail.by_hand import receive_by_hand
from pipeline.mail.deposit import Duplicate

FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d")


@click.command()
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--diterima",
    "when",
    required=True,
    help='Kapan berkas diterima, waktu kantor: "2018-07-09 10:15" (atau tanggal saja).',
)
@click.option("--pengirim", default="", help="Alamat surel atau nama pengirim (boleh kosong).")
@inbox_option("Folder kotak masuk tujuan.")
@handle_errors
def terima(files: tuple[Path, ...], when: str, pengirim: str, inbox: Path) -> None:
    """Catat berkas yang diterima tanpa surel (flashdisk, pesan) beserta waktu terimanya."""
    config = load_config()
    received = _moment(when).replace(tzinfo=config.zone)
    for outcome in receive_by_hand(files, inbox, received, pengirim):
        if isinstance(outcome, Duplicate):
            click.echo(f"{outcome.name_in_mail}: isinya sudah ada sebagai {outcome.kept_as}")
        else:
            what = "dicatat" if outcome.completed else "disimpan"
            click.echo(f"{outcome.entry.file}: {what}, diterima {waktu(received)}")


def _moment(text: str) -> dt.datetime:
    for pattern in FORMATS:
        try:
            return dt.datetime.strptime(text.strip(), pattern)
        except ValueError:
            continue
    raise UsageError(f'Waktu "{text}" tidak dikenal: tulis misalnya "2018-07-09 10:15".')
