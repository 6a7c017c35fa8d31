"""`iki close` and `iki reopen`: record what a published report counted, or open it again."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli.common import (
    catalogue_from_context,
    handle_errors,
    inbox_option,
    ledger_option,
    read_cache_from_context,
)
from pipeline.config import load_config
from pipeline.indonesian import waktu
from pipeline.periods import Period
from pipeline.run.ledger import close_quarter, record_path, reopen_quarter


@click.command()
@click.argument("period_text", metavar="PERIODE")
@inbox_option("Folder kotak masuk yang dihitung laporan periode ini.")
@ledger_option
@handle_errors
def close(period_text: str, inbox: Path, ledger: Path) -> None:
    """Tutup triwulan: catat berkas, angka dan target yang dihitung laporannya."""
    period = Period.parse(period_text)
    closed = close_quarter(
        inbox,
        ledger,
        period,
        catalogue_from_context(),
        load_config(),
        cache=read_cache_from_context(),
    )
    counted = sum(1 for f in closed.scan.files if f.status == "accepted")
    click.echo(
        f"{period.label} ditutup {waktu(closed.closed_at)}: {counted} berkas dihitung, "
        f"{len(closed.scan.values)} angka dicatat di {record_path(ledger, period)}."
    )
    click.echo(
        "Laporan periode ini kini selalu dibuat dari catatan itu; kiriman yang datang kemudian "
        "untuk triwulan ini dicantumkan sebagai revisi setelah ditutup dan tidak dihitung "
        f'sampai dibuka kembali (iki reopen {period} --alasan "...").'
    )


@click.command()
@click.argument("period_text", metavar="PERIODE")
@click.option("--alasan", "reason", required=True, help="Mengapa triwulan dibuka kembali.")
@ledger_option
@handle_errors
def reopen(period_text: str, reason: str, ledger: Path) -> None:
    """Buka kembali triwulan yang sudah ditutup; alasannya dicatat."""
    period = Period.parse(period_text)
    archive = reopen_quarter(ledger, period, reason, load_config())
    click.echo(
        f"{period.label} dibuka kembali; catatan lama disimpan di {archive}. Kiriman setelah "
        "ditutup kini dihitung. Tutup lagi setelah laporan baru diterbitkan."
    )
