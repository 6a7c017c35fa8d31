"""Write the achievement workbook (xlsxwriter), atomically."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import xlsxwriter

from pipeline.atomic import atomic_bytes
from pipeline.report.achievement import write_achievement
from pipeline.report.annual import has_last_year, write_annual
from pipeline.report.data import ReportData
from pipeline.report.evaluation import write_evaluation
from pipeline.report.history import write_history
from pipeline.report.listings import (
    write_completeness,
    write_data,
    write_files,
    write_findings,
    write_positions,
    write_problems,
)
from pipeline.report.person import write_people
from pipeline.report.printed import PrintStyles
from pipeline.report.revisions import write_revisions
from pipeline.report.roster import write_roster
from pipeline.report.styles import Styles
from pipeline.report.summary import write_summary

# The report is for the whole office to read, whatever the umask.
READABLE = 0o644
SHEETS = (
    "Ringkasan",
    "Evaluasi",
    "IKI Pegawai",
    "Capaian IKI",
    "Per Jabatan",
    "Kelengkapan",
    "Daftar Berkas",
    "Riwayat Target",
    "Masalah Data",
    "Revisi Data",
    "Daftar Pegawai",
    "Data",
    "Catatan Katalog",
)
ANNUAL = "Perbandingan Tahunan"  # after IKI Pegawai, when last year's data is known
# Never let text from a submission become a formula, a number or a link.
OPTIONS = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}


def sheet_names(data: ReportData) -> tuple[str, ...]:
    """The sheets of the report, in order."""
    if not has_last_year(data):
        return SHEETS
    return (*SHEETS[:3], ANNUAL, *SHEETS[3:])


def workbook_name(data: ReportData) -> str:
    """File name, e.g. 'Capaian_IKI_2018_TW2.xlsx'."""
    return f"Capaian_IKI_{data.period.slug}.xlsx"


def _created(data: ReportData) -> dt.datetime:
    """A creation time that depends only on the inputs: the latest counted receipt."""
    try:
        moment = dt.datetime.fromisoformat(data.as_of)
    except ValueError:
        moment = dt.datetime.combine(data.period.end, dt.time())
    return moment.replace(tzinfo=None)


def write_workbook(data: ReportData, path: Path, only: tuple[str, ...] = ()) -> Path:
    """Write the workbook to path (replacing it only once complete); return path.

    only: write just these sheets (the PDFs are made from one-sheet workbooks).
    """
    with atomic_bytes(path, READABLE) as buffer:
        # xlsxwriter's own temporary files go beside the output, so whoever removes an
        # unfinished output removes them too.
        wb = xlsxwriter.Workbook(buffer, {**OPTIONS, "tmpdir": str(path.parent)})
        wb.set_properties(
            {
                "title": f"Capaian IKI {data.period.label}",
                "company": data.config.office,
                "created": _created(data),
            }
        )
        styles = Styles(wb, data.config.bands)
        printed = PrintStyles(wb, data.config.bands)
        writers: dict[str, Callable[[], object]] = {
            "Ringkasan": lambda: write_summary(wb, data, styles),
            "Evaluasi": lambda: write_evaluation(wb, data, printed),
            "IKI Pegawai": lambda: write_people(wb, data, printed),
            "Capaian IKI": lambda: write_achievement(wb, data, styles),
            "Per Jabatan": lambda: write_positions(wb, data, styles),
            "Kelengkapan": lambda: write_completeness(wb, data, styles),
            "Daftar Berkas": lambda: write_files(wb, data, styles),
            "Riwayat Target": lambda: write_history(wb, data, styles),
            "Masalah Data": lambda: write_problems(wb, data, styles),
            ANNUAL: lambda: write_annual(wb, data, styles),
            "Revisi Data": lambda: write_revisions(wb, data, styles),
            "Daftar Pegawai": lambda: write_roster(wb, data, styles),
            "Data": lambda: write_data(wb, data, styles),
            "Catatan Katalog": lambda: write_findings(wb, data, styles),
        }
        for name in sheet_names(data):
            if not only or name in only:
                writers[name]()
        wb.close()
    return path
