"""A whole year at the office, through the command line as Renvapor runs it.

January: the Rencana Aksi. TW I: PEN sends nothing. TW II: PEN back-fills TW I in its TW II
file. After the TW III templates went out, UMP corrects TW II; then TW II is closed. KEU
changes a TW II number after the close (listed, not counted); TW II is reopened (counted).
TW IV ends the year. Every template, report and the ledger are checked on the way.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from pipeline.cli import main
from pipeline.fill import fill_workbook, read_meta
from pipeline.inbox.read import read_workbook

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


class Office:
    """Renvapor's folders and the commands it types."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.inbox = root / "inbox"
        self.ledger = root / "ledger"
        self.out = root / "output"
        self.runner = CliRunner()

    def iki(self, *args: str, code: int | tuple[int, ...] = 0) -> Result:
        result = self.runner.invoke(main, list(args), catch_exceptions=False)
        codes = code if isinstance(code, tuple) else (code,)
        assert result.exit_code in codes, f"{args}: {result.output}"
        return result

    def templates(self, period: str) -> Path:
        folder = self.root / "templates" / period
        self.iki(
            "templates", "--period", period, "--inbox", str(self.inbox), "--ledger",
            str(self.ledger), "--out", str(folder),
        )  # fmt: skip
        return folder

    def send(self, files: list[Path], when: str) -> None:
        self.iki("terima", *map(str, files), "--diterima", when, "--inbox", str(self.inbox))

    def change_tw2(self, name: str, more: float, when: str) -> tuple[str, Any]:
        """Resend the inbox file `name` with its first variable's TW II raised by `more`.

        Returns that variable and its old value as the file held it."""
        sent = self.inbox / name
        key = read_meta(sent).cells[0].key
        old, _ = _value(sent, key, "TW2")
        changed = self.root / "diubah" / when[:10] / name  # the name it was sent under
        fill_workbook(sent, changed, {(key, "TW2"): float(old) + more})
        self.send([changed], when)
        return key, old

    def fill(self, folder: Path, seed: int, skip: tuple[str, ...] = ()) -> list[Path]:
        sources = [p for p in sorted(folder.glob("*.xlsx")) if not _unit_in(p, skip)]
        filled = self.root / "filled" / f"{folder.name}-{seed}"
        self.iki("fill-example", *map(str, sources), "--seed", str(seed), "--out", str(filled))
        return sorted(filled.glob("*.xlsx"))

    def report(self, period: str) -> tuple[Result, Path]:
        result = self.iki(
            "report", "--inbox", str(self.inbox), "--ledger", str(self.ledger), "--period",
            period, "--out", str(self.out), code=(0, 1),
        )  # fmt: skip
        return result, self.out / period


def _unit_in(path: Path, units: tuple[str, ...]) -> bool:
    meta = read_meta(path)
    return meta.unit_code in units


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def _template_of(folder: Path, unit: str) -> Path:
    return next(p for p in folder.glob("*.xlsx") if read_meta(p).unit_code == unit)


def _value(path: Path, key: str, field: str) -> Any:
    result = read_workbook(path)
    assert result.meta is not None
    cell = result.meta.cell_of(key, field)
    assert cell is not None
    return result.cells.get((cell.sheet, cell.cell)), cell


def test_a_whole_year(tmp_path: Path) -> None:
    office = Office(tmp_path)
    # January: the Rencana Aksi, received by hand on 10 January.
    targets = tmp_path / "Target_IKI_2018.xlsx"
    office.iki("targets-template", "--year", "2018", "--out", str(targets))
    filled = office.root / "filled" / "targets"
    office.iki("fill-example", str(targets), "--seed", "1", "--out", str(filled))
    office.send([filled / targets.name], "2018-01-10")

    # TW I: every unit but PEN reports on time.
    tw1 = office.templates("2018-TW1")
    office.send(office.fill(tw1, 11, skip=("PEN",)), "2018-04-05 09:00")
    result, folder = office.report("2018-TW1")
    assert "1 belum mengirim" in result.output and "PEN Seksi Penempatan" in result.output

    # TW II: PEN's TW I is open for back-filling; every other TW I value is locked.
    tw2 = office.templates("2018-TW2")
    pen = read_meta(_template_of(tw2, "PEN"))
    assert all(c.editable for c in pen.cells if c.field == "TW1")
    ump = read_meta(_template_of(tw2, "UMP"))
    assert not any(c.editable for c in ump.cells if c.field == "TW1")
    office.send(office.fill(tw2, 22), "2018-07-05 09:00")
    result, folder = office.report("2018-TW2")
    data = _rows(folder / "capaian.csv")
    assert data, "capaian.csv written"
    # The report counts PEN's TW I from its TW II file (Data sheet: file and cell).
    scan_rows = _data_rows(office, "2018-TW2")
    pen_tw1 = [r for r in scan_rows if (r["unit"], r["year"], r["quarter"]) == ("PEN", "2018", "1")]
    assert pen_tw1 and {r["file"] for r in pen_tw1} == {_template_of(tw2, "PEN").name}

    # The TW III templates go out; then UMP corrects a TW II number in its TW II file.
    tw3_first = office.templates("2018-TW3")
    key, old = office.change_tw2(_template_of(tw2, "UMP").name, 3, "2018-07-20 10:00")
    result, folder = office.report("2018-TW2")
    revised = [r for r in _rows(folder / "revisions.csv") if r["variable"] == key]
    assert [(float(r["old_value"]), float(r["value"]), r["status"]) for r in revised] == [
        (float(old), float(old) + 3, "counted")
    ]
    # The first TW III template still shows the old value; one made now shows the new one.
    assert float(read_meta(_template_of(tw3_first, "UMP")).cell_of(key, "TW2").expected) == old  # type: ignore[union-attr]
    tw3 = office.templates("2018-TW3")
    shown = read_meta(_template_of(tw3, "UMP")).cell_of(key, "TW2")
    assert shown is not None and float(shown.expected) == float(old) + 3

    # TW II's report is published: close it. Its report is now fixed.
    office.iki("close", "2018-TW2", "--inbox", str(office.inbox), "--ledger", str(office.ledger))
    closed_bytes = (folder / "capaian.csv").read_bytes()
    office.send(office.fill(tw3, 33), "2018-10-05 09:00")
    # KEU changes a TW II number after the close: listed, not counted.
    keu_key, keu_old = office.change_tw2(_template_of(tw2, "KEU").name, 5, "2018-10-20 10:00")
    result, folder2 = office.report("2018-TW2")
    assert (folder2 / "capaian.csv").read_bytes() == closed_bytes
    assert "sudah ditutup" in result.output
    result, folder3 = office.report("2018-TW3")
    after = [r for r in _rows(folder3 / "revisions.csv") if r["status"] == "after-close"]
    assert [(r["variable"], float(r["value"])) for r in after] == [(keu_key, float(keu_old) + 5)]

    # Reopen TW II with a reason: KEU's change counts; the ledger keeps both records.
    office.iki(
        "reopen", "2018-TW2", "--alasan", "koreksi KEU disetujui", "--ledger", str(office.ledger)
    )
    result, folder2 = office.report("2018-TW2")
    assert (folder2 / "capaian.csv").read_bytes() != closed_bytes
    counted = [r for r in _rows(folder2 / "revisions.csv") if r["variable"] == keu_key]
    assert counted[-1]["status"] == "counted"
    history = _rows(office.ledger / "riwayat.csv")
    assert [h["tindakan"] for h in history] == ["ditutup", "dibuka kembali"]

    # TW IV: the year ends; every unit's quarters are counted.
    tw4 = office.templates("2018-TW4")
    office.send(office.fill(tw4, 44), "2019-01-05 09:00")
    result, folder4 = office.report("2018-TW4")
    assert "15 diterima" in result.output
    kelengkapan = _rows(folder4 / "capaian.csv")
    assert kelengkapan
    shutil.rmtree(tmp_path / "filled")


def _data_rows(office: Office, period: str) -> list[dict[str, str]]:
    """The values a report counts, as the report's Data sheet lists them (file and cell)."""
    import openpyxl

    book = openpyxl.load_workbook(
        office.out / period / f"Capaian_IKI_{period.replace('-', '_')}.xlsx"
    )
    sheet = book["Data"]
    rows = list(sheet.iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == "Unit")
    header = [str(h) for h in rows[header_at]]
    found = []
    for row in rows[header_at + 1 :]:
        if not row or not row[0]:
            continue
        record = dict(zip(header, row, strict=False))
        quarter = str(record.get("Triwulan", "")).replace("TW ", "")
        found.append(
            {
                "unit": str(record["Unit"]),
                "year": str(record["Tahun"]),
                "quarter": {"I": "1", "II": "2", "III": "3", "IV": "4"}.get(quarter, quarter),
                "file": str(record.get("Berkas", "")),
            }
        )
    return found
