"""`iki validate`: read and check every file in the inbox; print the problems."""

from __future__ import annotations

import csv
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import click

from pipeline.cli.common import (
    EXIT_DATA_PROBLEMS,
    catalogue_from_context,
    handle_errors,
    inbox_option,
)
from pipeline.cli.example import chosen_inbox, example_option
from pipeline.config import load_config
from pipeline.feedback import build_feedback, outstanding, write_feedback
from pipeline.inbox import scan_inbox
from pipeline.periods import Period
from pipeline.problems import PROBLEM_COLUMNS, Problem, Severity
from pipeline.submission import ACCEPTED, IGNORED, REJECTED, SUPERSEDED, FileRecord

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
STATUS_WORDS = {
    ACCEPTED: "diterima",
    SUPERSEDED: "digantikan",
    REJECTED: "ditolak",
    IGNORED: "diabaikan",
}


@click.command()
@inbox_option("Folder kotak masuk.")
@example_option
@click.option("--period", help="Hanya berkas periode ini, mis. 2018-TW2 (dan target tahunnya).")
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
@handle_errors
def validate(
    inbox: Path, example: bool, period: str | None, fmt: str, feedback: Path | None
) -> None:
    """Periksa setiap berkas di kotak masuk; keluar dengan kode 1 bila ada galat atau fatal."""
    inbox = chosen_inbox(inbox, example)
    catalogue = catalogue_from_context()
    config = load_config()
    chosen = Period.parse(period) if period else None
    scan = scan_inbox(inbox, catalogue, config)
    files = [f for f in scan.files if chosen is None or _in_period(f, chosen)]
    problems = [p for f in files for p in f.problems]
    if fmt == "csv":
        _write_csv(problems)
    else:
        _echo_table(files)
    pending = outstanding(files)
    _echo_summary(files, problems, pending, to_stderr=fmt == "csv")
    if feedback is not None:
        written = write_feedback(build_feedback(files, catalogue, config), feedback, config)
        click.echo(f"Umpan balik ditulis: {len(written) // 2} unit, di {feedback}", err=True)
    elif pending:
        click.echo(
            f"{len(pending)} berkas perlu ditindaklanjuti unitnya; tambahkan --feedback FOLDER "
            "untuk menulis umpan balik per unit (.txt dan draf .eml).",
            err=fmt == "csv",
        )
    blocking = {Severity.FATAL, Severity.ERROR}
    if any(p.severity in blocking for f in pending for p in f.problems):
        sys.exit(EXIT_DATA_PROBLEMS)


def _in_period(record: FileRecord, chosen: Period) -> bool:
    return record.period in ("", str(chosen), str(chosen.year))


def _write_csv(problems: Sequence[Problem]) -> None:
    writer = csv.DictWriter(sys.stdout, fieldnames=PROBLEM_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for p in problems:
        writer.writerow(p.as_row())


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
        return STATUS_WORDS.get(f.status, f.status)
    if column == "severity":
        return p.severity.label
    text = str(getattr(p, column))
    return text if len(text) <= 40 else text[:37] + "..."


def _echo_summary(
    files: Sequence[FileRecord],
    problems: Sequence[Problem],
    pending: Sequence[FileRecord],
    *,
    to_stderr: bool,
) -> None:
    status = Counter(f.status for f in files)
    severity = Counter(p.severity for p in problems)
    parts = ", ".join(f"{status.get(s, 0)} {w}" for s, w in STATUS_WORDS.items())
    tiers = ", ".join(f"{severity.get(s, 0)} {s.label.lower()}" for s in Severity)
    click.echo(f"{len(files)} berkas: {parts}. {len(problems)} masalah: {tiers}.", err=to_stderr)
    resolved = sum(1 for f in files if f.status == REJECTED and f not in pending and f.problems)
    if resolved:
        click.echo(
            f"{resolved} berkas ditolak sudah digantikan kiriman baru yang diterima.",
            err=to_stderr,
        )
