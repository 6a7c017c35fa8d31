"""The printed forms as PDF, through LibreOffice: Evaluasi, IKI Pegawai and Ringkasan.

Each sheet is written alone into a workbook of its own in a temporary folder and converted
in one `soffice --headless --convert-to pdf` call, with a private LibreOffice profile (so a
LibreOffice the user has open is not disturbed) whose locale is Indonesian (decimal comma,
dot between thousands, as the head of office reads numbers). When LibreOffice is not
installed, or fails, nothing is raised: the caller writes the workbook anyway and shows
the returned message.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.report.data import ReportData
from pipeline.report.workbook import write_workbook

# Sheet -> first part of its PDF's name.
PDF_SHEETS = {
    "Evaluasi": "Evaluasi_IKI",
    "IKI Pegawai": "IKI_Pegawai",
    "Ringkasan": "Ringkasan_IKI",
}
TIMEOUT = 300  # seconds for one conversion of the three workbooks
_WINDOWS = (
    Path(os.environ.get("PROGRAMFILES", r"C:\Program Files")) / "LibreOffice/program/soffice.exe",
    Path(os.environ.get("PROGRAMFILES(X86)", r"C:\Program Files (x86)"))
    / "LibreOffice/program/soffice.exe",
)
_MAC = (Path("/Applications/LibreOffice.app/Contents/MacOS/soffice"),)
_REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N">
 <prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>id-ID</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc">
 <prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""
MISSING = (
    "PDF tidak dibuat: LibreOffice (soffice) tidak ditemukan. Pasang LibreOffice "
    "(libreoffice.org; di Debian/Ubuntu: sudo apt install libreoffice-calc), lalu jalankan "
    "perintah ini lagi. Workbook dan CSV tetap ditulis."
)


@dataclass(frozen=True)
class PdfResult:
    """The PDFs made (in a temporary folder, to be moved into the output set), or why not."""

    files: dict[str, Path] = field(default_factory=dict)  # PDF name -> made file
    notice: str = ""  # why some or all were not made ('' when all were)


def pdf_names(data: ReportData) -> list[str]:
    """File names of the PDFs, e.g. 'Evaluasi_IKI_2018_TW2.pdf'."""
    return [f"{stem}_{data.period.slug}.pdf" for stem in PDF_SHEETS.values()]


def find_soffice() -> str | None:
    """The LibreOffice program: on PATH, else where its installers put it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    places = _WINDOWS if sys.platform == "win32" else _MAC if sys.platform == "darwin" else ()
    return next((str(p) for p in places if p.is_file()), None)


def make_pdfs(data: ReportData, work: Path, soffice: str | None = None) -> PdfResult:
    """Write each printed sheet alone and convert them to PDF inside `work` (a temporary
    folder the caller owns)."""
    program = soffice or find_soffice()
    if program is None:
        return PdfResult(notice=MISSING)
    sources = work / "sumber"
    sources.mkdir(parents=True, exist_ok=True)
    names = pdf_names(data)
    books = []
    for (sheet, _), name in zip(PDF_SHEETS.items(), names, strict=True):
        books.append(write_workbook(data, sources / f"{Path(name).stem}.xlsx", only=(sheet,)))
    out = work / "pdf"
    error = _convert(program, books, out, work / "profil")
    made = {name: out / name for name in names if (out / name).is_file()}
    if len(made) == len(names):
        return PdfResult(made, _font_notice())
    reason = error or "LibreOffice tidak menghasilkan semua berkas"
    missing = ", ".join(n for n in names if n not in made)
    return PdfResult(
        made, f"PDF tidak dibuat ({missing}): {reason}. Workbook dan CSV tetap ditulis."
    )


def _convert(program: str, books: list[Path], out: Path, profile: Path) -> str:
    """Run soffice once; '' when it ran, else why not (in Indonesian)."""
    registry = profile / "user" / "registrymodifications.xcu"
    registry.parent.mkdir(parents=True, exist_ok=True)
    registry.write_text(_REGISTRY, encoding="utf-8")
    command = [
        program,
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out),
        *(str(b) for b in books),
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        return f"LibreOffice tidak selesai dalam {TIMEOUT} detik"
    except OSError as exc:
        return f"LibreOffice tidak dapat dijalankan ({exc.strerror or exc})"
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or [""])[-1][:200]
        return f"LibreOffice keluar dengan kode {done.returncode} {last}".strip()
    return ""


def _font_notice() -> str:
    """A word when Calibri (or its twin Carlito) is missing: text would print smaller."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return ""
    try:
        done = subprocess.run(
            [fc_match, "-f", "%{family}", "Calibri"], capture_output=True, text=True, timeout=20
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    family = done.stdout.lower()
    if "calibri" in family or "carlito" in family:
        return ""
    return (
        "Huruf Calibri (atau Carlito) tidak terpasang: LibreOffice memakai huruf pengganti "
        "yang lebih lebar, sehingga kolom PDF bisa terpotong ke halaman berikutnya. Pasang "
        "paket fonts-crosextra-carlito."
    )
