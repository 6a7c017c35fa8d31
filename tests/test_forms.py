"""Roster and factors end to end without LibreOffice: template map, checks, frames, report."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from pipeline.catalogue.factors import factor_indicators, factor_writer
from pipeline.catalogue.model import Catalogue
from pipeline.cli import main
from pipeline.compute.texts import roster_in_effect
from pipeline.config import Config
from pipeline.contract import FACTOR_FIELDS, HEAD_KEY, MappedCell, TemplateMeta
from pipeline.fill import example_values, read_meta
from pipeline.inbox.identify import check_identity
from pipeline.periods import Period
from pipeline.report.exports import capaian_frame
from pipeline.report.textfit import lines
from pipeline.run.report import build_report, write_report
from pipeline.run.scan import scan_inbox
from tests.corpus import PERIOD, fill, good_targets, good_values, make_templates

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "inbox"


def test_every_indicator_has_one_writer_of_its_factors(catalogue: Catalogue) -> None:
    written = [
        i.code for u in catalogue.reporting_units() for i in factor_indicators(catalogue, u.code)
    ]
    assert sorted(written) == sorted(i.code for i in catalogue.indicators)
    # The Kepala Bidang fills nothing: the unit reporting the indicator's number explains it.
    assert factor_writer(catalogue, catalogue.indicator("PTK-KABID.2")) == "PEN"


def _with_cells(meta: TemplateMeta, *cells: MappedCell) -> TemplateMeta:
    return dataclasses.replace(meta, cells=(*meta.cells, *cells))


def test_identify_keeps_the_map_exact(tmp_path: Path, catalogue: Catalogue) -> None:
    ts = make_templates(catalogue, tmp_path)
    unit = ts.meta("PEN")
    config = Config()
    from pipeline.contract import sealed

    def verdict(meta: TemplateMeta) -> list[str]:
        return [
            p.code for p in check_identity(sealed(meta, config.template_key), catalogue, config)
        ]

    assert verdict(unit) == []
    foreign = MappedCell("UMP-KA.1", "driver", "Faktor", "D90", True, "")  # not PEN's indicator
    locked = dataclasses.replace(next(c for c in unit.cells if c.field == "driver"), editable=False)
    own_variable = MappedCell("PEN.PENEMPATAN", "driver", "Faktor", "D91", True, "")
    for bad in (
        _with_cells(unit, foreign),
        dataclasses.replace(
            unit,
            cells=tuple(
                locked if c.cell == locked.cell and c.sheet == locked.sheet else c
                for c in unit.cells
            ),
        ),
        _with_cells(unit, own_variable),
    ):
        assert verdict(bad) == ["template-tampered"]
    targets = ts.meta("targets")
    assert verdict(targets) == []
    stranger = MappedCell("NOBODY", "name", "Pegawai", "E99", True, "")
    assert verdict(_with_cells(targets, stranger)) == ["template-tampered"]


def _scan_with(tmp_path: Path, catalogue: Catalogue, roster: dict[tuple[str, str], str]) -> list:
    ts = make_templates(catalogue, tmp_path / "t")
    inbox = tmp_path / "inbox"
    values = {**good_targets(ts.meta("targets"), catalogue), **roster}
    fill(ts.targets, inbox / ts.targets.name, values)
    scan = scan_inbox(inbox, catalogue, Config())
    return [(p.cell, p.code) for p in scan.problems]


def test_roster_rules(tmp_path: Path, catalogue: Catalogue) -> None:
    meta = read_meta(make_templates(catalogue, tmp_path / "m").targets)
    cell = {(c.key, c.field): c.cell for c in meta.cells}
    found = _scan_with(
        tmp_path,
        catalogue,
        {
            (HEAD_KEY, "nip"): "1965 0101 1990",  # 12 digits: an error
            ("UMP-KA", "nip"): "19651301 199003 1 002",  # month 13: a warning
            ("SEK-SEKDIN", "nip"): "19700202 199503 2 001",
            ("KEU-KA", "nip"): "19700202 199503 2 001",  # the Sekretaris's, another name
            ("RVP-KA", "name"): "",  # nobody holds it: a warning
            ("PEN-KASI", "name"): "x" * 81,  # longer than the form prints: a warning
        },
    )
    assert (cell[(HEAD_KEY, "nip")], "nip-invalid") in found
    assert (cell[("UMP-KA", "nip")], "nip-implausible") in found
    assert (cell[("RVP-KA", "name")], "roster-missing") in found
    assert (cell[("PEN-KASI", "name")], "text-too-long") in found
    assert (cell[("KEU-KA", "nip")], "nip-duplicate") in found


def test_a_good_roster_has_no_problem(tmp_path: Path, catalogue: Catalogue) -> None:
    assert _scan_with(tmp_path, catalogue, {}) == []


def test_factors_are_text_in_the_frame_and_the_csv(tmp_path: Path, catalogue: Catalogue) -> None:
    ts = make_templates(catalogue, tmp_path / "t")
    inbox = tmp_path / "inbox"
    fill(ts.targets, inbox / ts.targets.name, good_targets(ts.meta("targets"), catalogue))
    values = {
        **good_values(ts.meta("PEN"), catalogue),
        ("PEN-KASI.1", "driver"): '=HYPERLINK("http://x","klik")',
        ("PEN-KASI.1", "follow_up"): "- rapat koordinasi",
    }
    fill(ts.units["PEN"], inbox / ts.units["PEN"].name, values)
    scan = scan_inbox(inbox, catalogue, Config())
    assert [(r["indicator"], r["field"]) for r in scan.factors.to_dict("records")] == [
        ("PEN-KASI.1", "driver"),
        ("PEN-KASI.1", "follow_up"),
    ]
    data = build_report(scan, catalogue, Config(), PERIOD)
    result = write_report(data, tmp_path / "out")
    csv_text = result.capaian_csv.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "'- rapat koordinasi" in csv_text
    book = openpyxl.load_workbook(result.workbook)
    texts = [
        c
        for row in book["Evaluasi"].iter_rows()
        for c in row
        if c.value and "HYPERLINK" in str(c.value)
    ]
    assert texts and all(c.data_type == "s" for c in texts)
    row = capaian_frame(data).set_index("kode_indikator").loc["PEN-KASI.1"]
    assert row["faktor_pendorong"].startswith("=HYPERLINK")


def test_roster_in_effect_follows_the_versions() -> None:
    import pandas as pd

    from schemas.frames import ROSTER

    rows = [
        (2018, 1, 1, "PEN-KASI", "name", "Lama", "a.xlsx"),
        (2018, 2, 3, "PEN-KASI", "name", "Baru", "b.xlsx"),
        (2018, 2, 3, "workbook", "place", "Kepanjen", "b.xlsx"),
    ]
    frame = pd.DataFrame(
        [
            {"year": y, "version": v, "effective_from": e, "key": k, "field": f, "text": t,
             "file": file, "sheet": "Pegawai", "cell": "E9"}
            for y, v, e, k, f, t, file in rows
        ]
    )  # fmt: skip
    frame = ROSTER.validate(frame)
    assert roster_in_effect(frame, Period(2018, 2)).of("PEN-KASI").name == "Lama"
    later = roster_in_effect(frame, Period(2018, 3))
    assert (later.of("PEN-KASI").name, later.place) == ("Baru", "Kepanjen")
    assert roster_in_effect(frame, Period(2019, 1)).holders == {}


def test_wrapping_estimate() -> None:
    assert lines("", 50, 8.5) == 1
    assert lines("Sangat Tinggi", 100, 8.5) == 1
    assert lines("Sangat Tinggi", 40, 8.5) == 2
    assert lines("a\nb", 100, 8.5) == 2


def test_pdf_without_libreoffice_says_so_and_writes_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice on PATH
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(
        main, ["report", "--inbox", str(EXAMPLE), "--out", "out", "--pdf", "--kertas", "F4"]
    )
    assert result.exit_code == 4, result.output
    assert "LibreOffice (soffice) tidak ditemukan" in result.output
    written = sorted(p.name for p in (tmp_path / "out" / "2018-TW2").iterdir())
    assert "Capaian_IKI_2018_TW2.xlsx" in written and not any(n.endswith(".pdf") for n in written)


def test_example_values_fill_the_roster(tmp_path: Path, catalogue: Catalogue) -> None:
    import random

    meta = make_templates(catalogue, tmp_path).meta("targets")
    values = example_values(meta, catalogue, random.Random(1))
    names = {k for (k, f), v in values.items() if f == "name" and v}
    assert names == {HEAD_KEY, *(p.code for p in catalogue.positions)}
    assert all(f not in FACTOR_FIELDS for _, f in values)
