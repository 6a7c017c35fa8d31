"""Write the achievement workbook (xlsxwriter), atomically."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import xlsxwriter

from pipeline.atomic import atomic_bytes
from pipeline.report.achievement import write_achievement
from pipeline.report.data import ReportData
from pipeline.report.history import write_history
from pipeline.report.listings import (
    write_completeness,
    write_data,
    write_findings,
    write_positions,
    write_problems,
)
from pipeline.report.revisions import write_revisions
from pipeline.report.styles import Styles
from pipeline.report.summary import write_summary

# The report is for the whole office to read, whatever the umask.
READABLE = 0o644
SHEETS = (
    "Ringkasan",
    "Capaian IKI",
    "Per Jabatan",
    "Kelengkapan",
    "Riwayat Target",
    "Masalah Data",
    "Revisi Data",
    "Data",
    "Catatan Katalog",
)
# Never let text from a submission become a formula, a number or a link.
OPTIONS = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}


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


def write_workbook(data: ReportData, path: Path) -> Path:
    """Write the workbook to path (replacing it only once complete); return path."""
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
        write_summary(wb, data, styles)
        write_achievement(wb, data, styles)
        write_positions(wb, data, styles)
        write_completeness(wb, data, styles)
        write_history(wb, data, styles)
        write_problems(wb, data, styles)
        write_revisions(wb, data, styles)
        write_data(wb, data, styles)
        write_findings(wb, data, styles)
        wb.close()
    return path
