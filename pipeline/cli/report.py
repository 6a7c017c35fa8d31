"""`iki report`: the achievement workbook and CSV files for one period."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from pipeline import paths
from pipeline.cli.common import (
    EXIT_DATA_PROBLEMS,
    EXIT_OK,
    EXIT_OUTPUT,
    catalogue_from_context,
    handle_errors,
    inbox_option,
    ledger_option,
    read_cache_from_context,
)
from pipeline.cli.example import chosen_inbox, example_option
from pipeline.compute.completeness import LATE, MISSING, REJECTED_UNIT
from pipeline.config import PAPER_NAMES, load_config
from pipeline.indonesian import waktu
from pipeline.periods import Period
from pipeline.run.report import RunResult, run_report

Progress = Callable[[int, int], None]
# Below this many files a run takes well under a second: no bar.
PROGRESS_THRESHOLD = 50


class _Bar:
    """A click progress bar on stderr, shown only once a run has many files."""

    def __init__(self) -> None:
        self.bar: Any = None
        self.done = 0

    def __call__(self, done: int, total: int) -> None:
        if total < PROGRESS_THRESHOLD:
            return
        if self.bar is None:
            stream: Any = sys.stderr
            self.bar = click.progressbar(length=total, label="Membaca berkas", file=stream)
            self.bar.__enter__()
        self.bar.update(done - self.done)
        self.done = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@contextmanager
def _progress_bar() -> Iterator[Progress]:
    """Yield a progress callback; close its bar however the run ends."""
    bar = _Bar()
    try:
        yield bar
    finally:
        bar.close()


def _summary(result: RunResult) -> list[str]:
    data = result.data
    lines = [
        f"Laporan {data.period.label}: {result.units} unit pelapor; "
        f"{result.received} mengirim, {result.accepted} diterima "
        f"({result.count(LATE)} terlambat), {result.count(REJECTED_UNIT)} ditolak, "
        f"{result.count(MISSING)} belum mengirim.",
    ]
    if result.closed is not None:
        lines.append(
            f"{data.period.label} sudah ditutup {waktu(result.closed.closed_at)}: laporan dibuat "
            "dari catatan buku besar, sama persis dengan saat ditutup."
        )
    if result.after_close:
        lines.append(
            f"Angka triwulan yang sudah ditutup diubah kiriman yang datang kemudian: "
            f"{result.after_close} (tidak dihitung sampai triwulannya dibuka kembali dengan "
            "iki reopen; lihat sheet Revisi Data laporan triwulan berikutnya)."
        )
    for status, word in (
        (LATE, "Terlambat"),
        (REJECTED_UNIT, "Ditolak"),
        (MISSING, "Belum mengirim"),
    ):
        units = data.completeness[data.completeness["status"] == status]
        if not units.empty:
            names = "; ".join(f"{r['unit']} {r['name']}" for _, r in units.iterrows())
            lines.append(f"  {word}: {names}.")
    with_capaian = int(data.results["capaian"].notna().sum())
    lines.append(f"Indikator dengan capaian: {with_capaian} dari {len(data.results)}.")
    if data.remaining:
        lines.append(
            f"Masalah data yang masih terbuka: {len(data.remaining)} (lihat sheet Masalah Data; "
            "umpan balik per unit: iki validate --feedback FOLDER)."
        )
    lines.append(f"Laporan: {result.workbook}")
    csvs = [result.capaian_csv, result.problems_csv, result.revisions_csv]
    lines.append("CSV: " + ", ".join(str(p) for p in csvs if p))
    if result.pdfs:
        lines.append("PDF: " + ", ".join(str(p) for p in result.pdfs))
    if len(result.data.revisions):
        lines.append(
            f"Angka yang direvisi kiriman lebih baru: {len(result.data.revisions)} "
            "(lihat sheet Revisi Data)."
        )
    return lines


def _waiting() -> None:
    click.echo(
        "Folder keluaran sedang ditulis proses iki lain; menunggu sampai selesai ...", err=True
    )


@click.command()
@inbox_option("Folder kiriman (dibaca saja, tidak pernah diubah).")
@example_option
@click.option(
    "--period",
    "period_text",
    metavar="TAHUN-TWn",
    help="Periode laporan, misalnya 2018-TW2 (bawaan: triwulan terakhir di inbox).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=paths.OUTPUT_DIR,
    show_default=True,
    help="Folder keluaran; laporan ditulis ke OUT/<periode>/.",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Jumlah proses yang membaca berkas (berguna untuk ribuan berkas; hasilnya sama).",
)
@click.option(
    "--pdf",
    is_flag=True,
    help="Tulis juga Evaluasi, IKI Pegawai dan Ringkasan sebagai PDF (perlu LibreOffice).",
)
@click.option(
    "--kertas",
    type=click.Choice(PAPER_NAMES, case_sensitive=False),
    help="Ukuran kertas formulir cetak: A4 atau F4 (folio); bawaan dari iki.toml, atau A4.",
)
@click.option(
    "--tanggal",
    "signed_on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Tanggal penandatanganan yang dicetak, misalnya 2018-07-12 (bawaan: titik-titik, "
    "diisi tangan).",
)
@click.option(
    "--csv-indonesia",
    is_flag=True,
    help="CSV untuk Excel berbahasa Indonesia: pemisah ';' dan koma desimal.",
)
@ledger_option
@handle_errors
def report(
    inbox: Path,
    example: bool,
    period_text: str | None,
    out: Path,
    jobs: int,
    pdf: bool,
    kertas: str | None,
    signed_on: dt.datetime | None,
    csv_indonesia: bool,
    ledger: Path,
) -> None:
    """Buat workbook capaian IKI beserta capaian.csv dan problems.csv untuk satu periode."""
    inbox = chosen_inbox(inbox, example)
    period = Period.parse(period_text) if period_text else None
    catalogue = catalogue_from_context()
    config = load_config()
    config = dataclasses.replace(
        config,
        paper=(kertas or config.paper).upper(),
        csv_indonesia=csv_indonesia or config.csv_indonesia,
    )
    with _progress_bar() as progress:
        result = run_report(
            inbox,
            period,
            out,
            catalogue,
            config,
            progress=progress,
            jobs=jobs,
            on_wait=_waiting,
            ledger=ledger,
            pdf=pdf,
            signed_on=signed_on.date() if signed_on else None,
            cache=read_cache_from_context(),
        )
    for line in _summary(result):
        click.echo(line)
    if result.pdf_notice:
        click.echo(result.pdf_notice, err=True)
    code = EXIT_OK if result.clean else EXIT_DATA_PROBLEMS
    if pdf and len(result.pdfs) < 3:
        code = EXIT_OUTPUT
    click.get_current_context().exit(code)
