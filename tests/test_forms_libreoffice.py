"""The printed forms rendered by real LibreOffice, checked from the PDF itself.

The example office (roster, factors, a unit without data, a rejected file) on A4 and F4
landscape: every column of Evaluasi on every page with its repeated header, no text smaller
than 8 pt (read from the PDF's content streams with pypdf), no clipped cell (every factor
and every indicator name is in the PDF's text), the signature block on the last page of
each bidang; IKI Pegawai one page per pegawai with both signatures.
"""

from __future__ import annotations

import dataclasses
import math
import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest

from examples.build import FACTORS
from pipeline.catalogue import load_catalogue
from pipeline.config import Config
from pipeline.periods import Period
from pipeline.report.data import ReportData
from pipeline.report.workbook import write_workbook
from pipeline.run.report import build_report
from pipeline.run.scan import scan_inbox
from tests.libreoffice import convert, requires_libreoffice

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "inbox"
SIZES = {"A4": (841.89, 595.3), "F4": (935.43, 612.0)}  # landscape, points
PDFTOTEXT = shutil.which("pdftotext")


def _calibri_metrics() -> bool:
    """Whether LibreOffice prints Calibri as Calibri or its metric twin Carlito."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return True  # no fontconfig (Windows, macOS): the system's own Calibri
    done = subprocess.run([fc_match, "-f", "%{family}", "Calibri"], capture_output=True, text=True)
    return "calibri" in done.stdout.lower() or "carlito" in done.stdout.lower()


# One word (or words on one line) of each column's header: wrapped headers are read per line.
HEADERS = (
    "No.",
    "Kinerja",
    "Indikator Kinerja",
    "Satuan",
    "Tahunan",
    "TW I",
    "TW II",
    "TW III",
    "TW IV",
    "Target Realisasi Target Realisasi Target Realisasi Target Realisasi",
    "Capaian",
    "Predikat",
)

pytestmark = [
    pytest.mark.libreoffice,
    requires_libreoffice,
    pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) tidak ada"),
    pytest.mark.skipif(
        not _calibri_metrics(), reason="huruf Carlito tidak ada (fonts-crosextra-carlito; .ci/run)"
    ),
]


@pytest.fixture(name="data", scope="module")
def _data() -> ReportData:
    catalogue = load_catalogue()
    return build_report(
        scan_inbox(EXAMPLE, catalogue, Config()), catalogue, Config(), Period(2018, 2)
    )


@pytest.fixture(name="pdfs", scope="module")
def _pdfs(data: ReportData, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Evaluasi on A4 and F4, IKI Pegawai on A4: one soffice call."""
    folder = tmp_path_factory.mktemp("forms")
    books = []
    for paper in SIZES:
        paper_data = dataclasses.replace(data, config=dataclasses.replace(data.config, paper=paper))
        books.append(write_workbook(paper_data, folder / f"Evaluasi_{paper}.xlsx", ("Evaluasi",)))
    books.append(write_workbook(data, folder / "Pegawai_A4.xlsx", ("IKI Pegawai",)))
    made = convert(books, "pdf", folder / "pdf")
    return {p.stem: p for p in made}


def page_texts(pdf: Path, *, raw: bool = False) -> list[str]:
    """Each page's text (pdftotext -layout, or -raw: in drawing order)."""
    assert PDFTOTEXT is not None
    mode = "-raw" if raw else "-layout"
    text = subprocess.run(
        [PDFTOTEXT, mode, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.split("\f")[:-1]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def smallest_font(pdf: Path) -> float:
    """The smallest effective font size of any text drawn (Tf size x text and CTM scales)."""
    sizes: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            sizes.append(size * math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3]))

    for page in pypdf.PdfReader(pdf).pages:
        page.extract_text(visitor_text=visit)
    return min(sizes)


@pytest.mark.parametrize("paper", list(SIZES))
def test_evaluasi_page_geometry_columns_and_headers(pdfs: dict[str, Path], paper: str) -> None:
    pdf = pdfs[f"Evaluasi_{paper}"]
    reader = pypdf.PdfReader(pdf)
    width, tall = SIZES[paper]
    for page in reader.pages:
        box = page.mediabox
        assert (float(box.width), float(box.height)) == pytest.approx((width, tall), abs=1.0)
    pages = page_texts(pdf)
    assert len(pages) == len(reader.pages) > 5
    for number, text in enumerate(pages, start=1):
        line = flat(text)
        missing = [h for h in HEADERS if h not in line]
        assert missing == [], f"halaman {number}: {missing}"
    # Every column on the page: the rightmost text stays inside the right margin.
    bbox = subprocess.run(
        [str(PDFTOTEXT), "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    right = max(float(x) for x in re.findall(r'xMax="([\d.]+)"', bbox))
    assert right <= width - 0.35 * 72


@pytest.mark.parametrize("name", ["Evaluasi_A4", "Evaluasi_F4", "Pegawai_A4"])
def test_no_text_below_8_points(pdfs: dict[str, Path], name: str) -> None:
    assert smallest_font(pdfs[name]) >= 8.0


def test_signature_block_on_the_last_page_of_each_bidang(
    pdfs: dict[str, Path], data: ReportData
) -> None:
    pages = [flat(t) for t in page_texts(pdfs["Evaluasi_A4"])]
    bidang = [u.nama.upper() for u in data.catalogue.units if u.induk is None]
    starts = [next(i for i, t in enumerate(pages) if name in t) for name in bidang]
    assert starts == sorted(starts) and starts[0] == 0
    ends = [*(s - 1 for s in starts[1:]), len(pages) - 1]
    signed = [i for i, t in enumerate(pages) if "Dievaluasi oleh" in t]
    assert signed == ends
    head = data.roster.head
    drafter = data.roster.of("RVP-KA")
    assert head.name and drafter.name
    for page in signed:
        for text in (head.name, head.nip, drafter.name, drafter.nip, "Disusun oleh"):
            assert text in pages[page]


def test_no_cell_is_clipped(pdfs: dict[str, Path], data: ReportData) -> None:
    text = flat(" ".join(page_texts(pdfs["Evaluasi_A4"], raw=True)))
    for texts in FACTORS.values():
        for factor in texts.values():
            assert flat(factor) in text
    for indicator in data.catalogue.indicators:
        assert flat(indicator.nama or indicator.indikator) in text
    for name in (h.name for h in data.roster.holders.values()):
        assert name in text


def test_one_page_per_pegawai_with_both_signatures(pdfs: dict[str, Path], data: ReportData) -> None:
    pages = [flat(t) for t in page_texts(pdfs["Pegawai_A4"])]
    positions = [p for p in data.catalogue.positions if data.catalogue.indicators_of(p.code)]
    assert len(pages) == len(positions)
    for page, position in zip(pages, positions, strict=True):
        holder = data.roster.of(position.code)
        assert position.nama in page and holder.name in page
        assert page.count("Pegawai yang dinilai") == 1 and page.count("Atasan langsung,") == 1
