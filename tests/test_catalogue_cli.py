"""`iki catalog check` and `iki catalog export`."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pandas as pd
import yaml
from click.testing import CliRunner

from pipeline import paths
from pipeline.cli import main


def test_check_prints_counts_and_findings() -> None:
    result = CliRunner().invoke(main, ["catalog", "check"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "Jabatan: 46" in lines
    assert "Indikator: 67" in lines
    assert "  Jumlah (count): 51" in lines
    assert "  Persentase (ratio): 13" in lines
    assert "  Pertumbuhan (growth): 2" in lines
    assert "  Selisih (difference): 1" in lines
    assert "  PMD  Seksi Pemindahan dan Pengerahan: 2" in lines
    assert any(line.startswith("  [formula-divides-by-itself] UMP-PENGEMUDI.1:") for line in lines)


def test_broken_catalogue_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    spec = yaml.safe_load(paths.CATALOGUE_FILE.read_text(encoding="utf-8"))
    spec["variables"][3]["code"] = spec["variables"][2]["code"]
    (tmp_path / "iki_2018.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True))
    (tmp_path / paths.DECREE_FILE.name).write_bytes(paths.DECREE_FILE.read_bytes())
    result = CliRunner().invoke(
        main, ["--katalog", str(tmp_path / "iki_2018.yaml"), "catalog", "check"]
    )
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "Katalog tidak valid" in result.output
    assert "variabel 'UMP.PNS_KGB': kolom code" in result.output


def test_export_csv_to_stdout() -> None:
    result = CliRunner().invoke(main, ["catalog", "export", "--format", "csv"])
    assert result.exit_code == 0
    frame = pd.read_csv(io.StringIO(result.output), keep_default_na=False)
    assert len(frame) == 67
    for column in [
        "unit_code",
        "unit",
        "position_code",
        "jabatan",
        "indicator_code",
        "kinerja",
        "indikator",
        "kind",
        "formula",
        "numerator",
        "denominator",
        "sumber_data",
    ]:
        assert column in frame.columns
    driver = frame.set_index("indicator_code").loc["UMP-PENGEMUDI.1"]
    assert driver["numerator"] == "UMP.SERVIS_REALISASI"
    assert driver["denominator"] == "UMP.SERVIS_RENCANA"
    assert driver["formula"].startswith(r"$\frac{\text{Jumlah service kendaraan Dinas}}")
    assert frame.iloc[0]["jabatan"] == "SEKRETARIS DINAS"


def test_export_xlsx_lays_out_the_attachment(tmp_path: Path) -> None:
    out = tmp_path / "katalog.xlsx"
    result = CliRunner().invoke(main, ["catalog", "export", "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Lampiran", "Variabel per Unit", "Temuan"]
    sheet = book["Lampiran"]
    column_a = [c.value for c in sheet["A"] if c.value]
    assert sum(1 for v in column_a if "JABATAN :" in str(v)) == 46
    assert "1. JABATAN : SEKRETARIS DINAS" in column_a
    headers = [
        c.value for c in sheet[next(i for i, v in enumerate(sheet["A"], 1) if v.value == "KINERJA")]
    ][:4]
    assert headers == [
        "KINERJA",
        "INDIKATOR KINERJA",
        "PENJELASAN/FORMULASI PENGHITUNGAN",
        "SUMBER DATA",
    ]
    assert book["Variabel per Unit"].max_row == 66
    assert book["Temuan"].max_row > 60


def test_export_xlsx_needs_output() -> None:
    result = CliRunner().invoke(main, ["catalog", "export", "--format", "xlsx"])
    assert result.exit_code == 2
    assert "--output" in result.output
