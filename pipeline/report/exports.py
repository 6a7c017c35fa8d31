"""CSV files beside the workbook for other systems: capaian.csv and problems.csv."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline import csvsafe
from pipeline.atomic import atomic_path
from pipeline.compute.texts import Factors
from pipeline.contract import FACTOR_FIELDS
from pipeline.problems import PROBLEM_COLUMNS
from pipeline.problems.labels import label
from pipeline.report.data import ReportData
from pipeline.report.workbook import READABLE

CAPAIAN_CSV = "capaian.csv"
PROBLEMS_CSV = "problems.csv"
REVISIONS_CSV = "revisions.csv"
CAPAIAN_COLUMNS = (
    "periode",
    "kode_bidang",
    "kode_unit",
    "kode_jabatan",
    "jabatan",
    "kode_indikator",
    "indikator",
    "jenis",
    "satuan",
    "polaritas",
    "pembilang",
    "penyebut",
    "realisasi",
    "target",
    "capaian",
    "predikat",
    "status",
    "alasan",
    "pembanding",
    "sumber",
    "sumber_target",
    # The Rencana Aksi (capaian above is against target_sd, or the annual target when
    # dasar_capaian is 'tahunan'; capaian_tahunan always against the annual target).
    "target_sd",
    "capaian_tahunan",
    "dasar_capaian",
    "jenis_perhitungan",
    "target_murni",
    "versi_target",
    "sumber_target_sd",
    # What the unit wrote about the quarter (sheet Faktor), as typed; never evaluated.
    "faktor_pendorong",
    "faktor_penghambat",
    "tindak_lanjut",
    "sumber_faktor",
)


def capaian_frame(data: ReportData) -> pd.DataFrame:
    """One row per indicator with codes, inputs, result, status and sources."""
    cat = data.catalogue
    r = data.results
    return pd.DataFrame(
        {
            "periode": str(data.period),
            "kode_bidang": r["bidang"],
            "kode_unit": r["unit"],
            "kode_jabatan": r["position"],
            "jabatan": [cat.position(p).nama or cat.position(p).jabatan for p in r["position"]],
            "kode_indikator": r.index,
            "indikator": [cat.indicator(code).indikator for code in r.index],
            "jenis": r["kind"],
            "satuan": r["satuan"],
            "polaritas": r["polaritas"],
            "pembilang": r["numerator"],
            "penyebut": r["denominator"],
            "realisasi": r["realisasi"],
            "target": r["target"],
            "capaian": r["capaian"],
            "predikat": r["predikat"],
            "status": r["status"],
            "alasan": r["reason"],
            "pembanding": r["comparison"],
            "sumber": r["source"],
            "sumber_target": r["target_source"],
            "target_sd": r["target_sd"],
            "capaian_tahunan": r["capaian_tahunan"],
            "dasar_capaian": r["dasar"],
            "jenis_perhitungan": r["perhitungan"],
            "target_murni": r["target_murni"],
            "versi_target": r["versi_target"],
            "sumber_target_sd": r["target_sd_source"],
            **_factor_columns(data),
        },
        columns=list(CAPAIAN_COLUMNS),
    ).reset_index(drop=True)


def _factor_columns(data: ReportData) -> dict[str, list[str]]:
    codes = list(data.results.index)
    found = [data.factors.get(str(code), Factors()) for code in codes]
    columns = {
        name: [f.text(field) for f in found]
        for name, field in zip(
            ("faktor_pendorong", "faktor_penghambat", "tindak_lanjut"), FACTOR_FIELDS, strict=True
        )
    }
    columns["sumber_faktor"] = ["; ".join(f.sources[k] for k in f.sources) for f in found]
    return columns


def problems_frame(data: ReportData) -> pd.DataFrame:
    """Every problem of every file, with the file's status and the problem's Indonesian name."""
    rows = [
        {**p.as_row(), "masalah": label(p.code), "file_status": f.status} for f, p in data.problems
    ]
    return pd.DataFrame(rows, columns=[*PROBLEM_COLUMNS, "masalah", "file_status"])


def write_csv(frame: pd.DataFrame, path: Path, *, indonesian: bool = False) -> Path:
    """Write a frame as UTF-8 CSV atomically, no field a spreadsheet would run as a formula
    (`indonesian`: ';' between fields and a decimal comma, for Excel set to Indonesian)."""
    with atomic_path(path) as temp:
        csvsafe.write_csv(frame, temp, indonesian=indonesian)
        temp.chmod(READABLE)
    return path
