"""`iki validate`: read and check every file in the inbox; print the problems."""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import click
import pandas as pd

from pipeline.cli.common import (
    EXIT_DATA_PROBLEMS,
    EXIT_OK,
    catalogue_from_context,
    handle_errors,
    inbox_option,
    read_cache_from_context,
)
from pipeline.cli.example import chosen_inbox, example_option
from pipeline.config import load_config
from pipeline.csvsafe import write_csv
from pipeline.periods import Period
from pipeline.problems import PROBLEM_COLUMNS, Problem, Severity
from pipeline.run.validate import ValidateResult, validate_inbox
from pipeline.submission import FileRecord, FileStatus

HEADERS = {
    "file": "Berkas",
    "status": "Status berkas",
    "unit": "Unit",
    "period": "Periode",
    "sheet": "Sheet",
    "cell": "Sel",
    "code": "Kode",
    "severity": "Tingkat",
    "message": "Pesan",
    "value": "Nilai",
}


@click.command()
@inbox_option("Folder kotak masuk.")
@example_option
@click.option(
    "--period",
    help="Hanya berkas yang dipakai laporan periode ini, mis. 2018-TW2: triwulan tahun itu "
    "sampai periode ini, dan target tahunnya.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv"]),
    default="table",
    show_default=True,
    help="Tabel untuk dibaca, CSV untuk program lain.",
)
@click.option(
    "--feedback",
    type=click.Path(file_okay=False, path_type=Path),
    help="Tulis umpan balik per unit (.txt dan draf .eml) ke folder ini.",
)
@click.option(
    "--tanggal",
    "today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Tanggal acuan pengingat dan batas perbaikan, misalnya 2018-07-15 (bawaan: hari ini).",
)
@handle_errors
def validate(
    inbox: Path,
    example: bool,
    period: str | None,
    fmt: str,
    feedback: Path | None,
    today: dt.datetime | None,
) -> None:
    """Periksa setiap berkas di kotak masuk; keluar dengan kode 1 bila ada galat atau fatal."""
    inbox = chosen_inbox(inbox, example)
    chosen = Period.parse(period) if period else None
    result = validate_inbox(
        inbox,
        catalogue_from_context(),
        load_config(),
        period=chosen,
        feedback_dir=feedback,
        today=today.date() if today else None,
        cache=read_cache_from_context(),
    )
    if fmt == "csv":
        _write_csv(result.problems)
    else:
        _echo_table(result.files)
    _echo_summary(result, to_stderr=fmt == "csv")
    if feedback is not None:
        reminded = len(result.reminded)
        click.echo(
            f"Umpan balik ditulis: {len(result.feedback) // 2 - reminded} unit, pengingat: "
            f"{reminded} unit ({', '.join(result.reminded) or '-'}), di {feedback}",
            err=True,
        )
    elif result.pending:
        click.echo(
            f"{len(result.pending)} berkas perlu ditindaklanjuti unitnya; tambahkan --feedback "
            "FOLDER untuk menulis umpan balik per unit (.txt dan draf .eml).",
            err=fmt == "csv",
        )
    click.get_current_context().exit(EXIT_OK if result.clean else EXIT_DATA_PROBLEMS)


def _write_csv(problems: Sequence[Problem]) -> None:
    rows = pd.DataFrame([p.as_row() for p in problems], columns=list(PROBLEM_COLUMNS), dtype=str)
    write_csv(rows, sys.stdout)


def _echo_table(files: Sequence[FileRecord]) -> None:
    """Problems with their file's fate: a superseded file's problems need no action."""
    found = [(f, p) for f in files for p in f.problems]
    if not found:
        click.echo("Tidak ada masalah.")
        return
    columns = ("file", "status", "unit", "period", "sheet", "cell", "severity", "code", "value")
    rows = [[_cell(f, p, c) for c in columns] + [p.message] for f, p in found]
    widths = [max(len(HEADERS[c]), *(len(r[i]) for r in rows)) for i, c in enumerate(columns)]
    click.echo(
        "  ".join(HEADERS[c].ljust(w) for c, w in zip(columns, widths, strict=True)) + "  Pesan"
    )
    for row in rows:
        click.echo(
            "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=False)) + "  " + row[-1]
        )


def _cell(f: FileRecord, p: Problem, column: str) -> str:
    if column == "status":
        return f.status.label
    if column == "severity":
        return p.severity.label
    text = str(getattr(p, column))
    return text if len(text) <= 40 else text[:37] + "..."


def _echo_summary(result: ValidateResult, *, to_stderr: bool) -> None:
    status = Counter(f.status for f in result.files)
    severity = Counter(p.severity for p in result.problems)
    parts = ", ".join(f"{status.get(s, 0)} {s.label}" for s in FileStatus)
    tiers = ", ".join(f"{severity.get(s, 0)} {s.label.lower()}" for s in Severity)
    click.echo(
        f"{len(result.files)} berkas: {parts}. {len(result.problems)} masalah: {tiers}.",
        err=to_stderr,
    )
    if result.settled:
        click.echo(
            f"{result.settled} berkas ditolak sudah digantikan kiriman baru yang diterima.",
            err=to_stderr,
        )
