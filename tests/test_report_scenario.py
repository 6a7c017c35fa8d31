"""A whole office's inbox built by code (no files): the scenario the report tests share."""

from __future__ import annotations

import datetime as dt
import random

import pandas as pd
import pytest

from pipeline.catalogue import Catalogue, load_catalogue
from pipeline.periods import Period, Year
from pipeline.problems import Problem, Severity
from pipeline.submission import FileRecord, FileStatus, InboxScan, Receipt

LATE_UNIT, REJECTED_UNIT, MISSING_UNIT, RESENT_UNIT = "KEU", "PHI", "PMD", "IPK"


def file_name(catalogue: Catalogue, unit: str, year: int, quarter: int, suffix: str = "") -> str:
    """Inbox file name of a unit's submission."""
    name = catalogue.unit(unit).nama.replace(" ", "_").replace(",", "")
    return f"IKI_{year}_TW{quarter}_{name}{suffix}.xlsx"


def span(text: str) -> Period | Year | None:
    """'2018-TW2' -> Period, '2018' -> Year, '' -> None."""
    if not text:
        return None
    return Year(int(text)) if text.isdigit() else Period.parse(text)


def instant(text: str) -> dt.datetime:
    """An ISO time as an aware instant; any other text (a placeholder) a fixed one."""
    try:
        return dt.datetime.fromisoformat(text)
    except ValueError:
        return dt.datetime(2018, 7, 1, tzinfo=dt.UTC)


def record(
    path: str,
    unit: str,
    period: str | Period | Year | None,
    status: FileStatus,
    received_at: str | dt.datetime,
    problems: tuple[Problem, ...] = (),
    kind: str = "unit",
) -> FileRecord:
    """A FileRecord with plausible defaults (periods and times may be given as text)."""
    typed = span(period) if isinstance(period, str) else period
    return FileRecord(
        path=path,
        sha256="0" * 64,
        size=20_000,
        received_at=instant(received_at) if isinstance(received_at, str) else received_at,
        received_source=Receipt.EMAIL,
        sender=f"{unit.lower()}@malangkab.go.id" if unit else "",
        subject=f"IKI {typed or ''}",
        kind=kind,
        unit=unit,
        period=typed,
        status=status,
        problems=problems,
    )


def _value(rng: random.Random, code: str, catalogue: Catalogue) -> float:
    variable = catalogue.variable(code)
    high = variable.maksimum if variable.maksimum is not None else 40
    return float(rng.randint(0, high))


def office_scan(seed: int = 7) -> InboxScan:
    """2018 TW I and TW II of every unit, 2017 for PEN, with a late, a rejected, a missing
    unit and a resubmission; targets for all but two indicators; PKK's 2017 TW I and TW II
    from the targets workbook's baselines."""
    cat = load_catalogue()
    rng = random.Random(seed)
    files: list[FileRecord] = []
    rows: list[dict[str, object]] = []
    for unit in cat.reporting_units():
        for year, quarter in ((2017, 1), (2017, 2), (2018, 1), (2018, 2)):
            if year == 2017 and unit.code != "PEN":
                continue
            if (unit.code, quarter, year) in ((MISSING_UNIT, 2, 2018), (REJECTED_UNIT, 2, 2018)):
                continue
            day = "2018-07-13T09:00:00+07:00" if unit.code == LATE_UNIT else None
            received = day or f"{year}-{quarter * 3 + 1:02d}-05T10:00:00+07:00"
            path = file_name(cat, unit.code, year, quarter)
            files.append(
                record(path, unit.code, f"{year}-TW{quarter}", FileStatus.ACCEPTED, received)
            )
            for i, variable in enumerate(cat.variables_of(unit.code)):
                value = _value(rng, variable.code, cat)
                if variable.code == "UMP.PNS_AJU_LAYANAN":
                    value = max(value, 5.0)
                rows.append(
                    {
                        "unit": unit.code,
                        "year": year,
                        "quarter": quarter,
                        "variable": variable.code,
                        "value": value,
                        "file": path,
                        "sheet": "Isian",
                        "cell": f"{'FGHI'[quarter - 1]}{6 + i}",
                        "received_at": received,
                    }
                )
    bad = Problem(
        "not-a-number",
        Severity.ERROR,
        "Sel berisi teks '12 orang'; ketik angka saja, misalnya 12.",
        file=file_name(cat, REJECTED_UNIT, 2018, 2),
        unit=REJECTED_UNIT,
        period="2018-TW2",
        sheet="Isian",
        cell="H7",
        value='=HYPERLINK("http://x","12 orang")',
    )
    files.append(
        record(
            bad.file,
            REJECTED_UNIT,
            "2018-TW2",
            FileStatus.REJECTED,
            "2018-07-06T08:00:00+07:00",
            (bad,),
        )
    )
    old = file_name(cat, RESENT_UNIT, 2018, 2, " (1)")
    files.append(
        record(old, RESENT_UNIT, "2018-TW2", FileStatus.SUPERSEDED, "2018-07-02T08:00:00+07:00")
    )
    warn = Problem(
        "numerator-above-denominator",
        Severity.WARNING,
        "Pembilang lebih besar dari penyebut.",
        file=file_name(cat, "UMP", 2018, 2),
        unit="UMP",
        period="2018-TW2",
        sheet="Isian",
        cell="G6",
        value="31",
    )
    files = [
        f
        if f.path != warn.file
        else record(f.path, "UMP", f.period, FileStatus.ACCEPTED, f.received_at, (warn,))
        for f in files
    ]
    files.append(
        record("manifest.csv", "", "", FileStatus.IGNORED, "2018-07-10T08:00:00+07:00", kind="")
    )
    targets = _targets(cat, rng)
    for name, when in (
        ("Target_IKI_2018.xlsx", "2018-01-10T08:00:00+07:00"),
        ("Target_IKI_2018_perubahan_TW3.xlsx", "2018-07-20T08:00:00+07:00"),
    ):
        files.append(record(name, "", "2018", FileStatus.ACCEPTED, when, kind="targets"))
    return InboxScan(tuple(files), pd.DataFrame([*rows, *_baselines()]), targets)


NO_QUARTERS = "IPK-KASI.1"  # Renvapor set only its annual target
REVISED = "UMP-KA.2"  # the July revision (from TW III) raises its target


def _targets(cat: Catalogue, rng: random.Random) -> pd.DataFrame:
    """The Rencana Aksi: a murni for the year, and a revision from TW III (July)."""
    rows = []
    for line, ind in enumerate(cat.indicators, start=8):
        target: float | None = (
            float(rng.randint(60, 100)) if ind.satuan == "%" else float(rng.randint(20, 120))
        )
        if ind.code in ("UMP-KA.1", "PKK-KASI.1"):
            target = None
        kumulatif = cat.perhitungan(ind) == "kumulatif"
        quarters = (
            [None] * 4
            if target is None or ind.code == NO_QUARTERS
            else [
                target // 4 + (target % 4 if q == 4 else 0) if kumulatif else target
                for q in range(1, 5)
            ]
        )
        rows.append(_target_row(ind.code, 1, 1, target, quarters, "Target_IKI_2018.xlsx", line))
        if ind.code == REVISED and target is not None:
            more = [quarters[0], quarters[1], (quarters[2] or 0) + 10, (quarters[3] or 0) + 10]
            name = "Target_IKI_2018_perubahan_TW3.xlsx"
            rows.append(_target_row(ind.code, 2, 3, target + 20, more, name, line))
    return pd.DataFrame(rows)


def _target_row(
    code: str,
    version: int,
    start: int,
    target: float | None,
    quarters: list[float | None],
    file: str,
    line: int,
) -> dict[str, object]:
    row: dict[str, object] = {
        "indicator": code,
        "year": 2018,
        "version": version,
        "effective_from": start,
        "target": target,
        "perhitungan": "",
        "polaritas": "",
        "file": file,
        "sheet": "Target",
        "target_cell": f"M{line}",
        "received_at": "2018-01-10T08:00:00+07:00" if version == 1 else "2018-07-20T08:00:00+07:00",
    }
    for q in range(1, 5):
        row[f"target_tw{q}"] = quarters[q - 1]
        row[f"cell_tw{q}"] = f"{'IJKL'[q - 1]}{line}"
    return row


def _baselines() -> list[dict[str, object]]:
    """PKK sent nothing for 2017: its TW I and TW II come from the targets workbook."""
    return [
        {
            "unit": "PKK",
            "year": 2017,
            "quarter": quarter,
            "variable": "PKK.PENYERAPAN_TK",
            "value": 25.0,
            "file": "Target_IKI_2018.xlsx",
            "sheet": "Target",
            "cell": f"{'HI'[quarter - 1]}77",
            "received_at": "2018-01-10T08:00:00+07:00",
        }
        for quarter in (1, 2)
    ]


@pytest.fixture(name="scan")
def _scan() -> InboxScan:
    return office_scan()


def test_scenario_tells_its_story_in_frames_that_conform(scan: InboxScan) -> None:
    """The shared scenario is what the report tests assume: check it, not just that it loads."""
    from schemas.frames import TARGETS, VALUES

    assert len(VALUES.validate(scan.values)) == len(scan.values) > 0
    assert len(TARGETS.validate(scan.targets)) == len(scan.targets)
    tw2 = {
        (f.unit, f.status) for f in scan.files if f.kind == "unit" and str(f.period) == "2018-TW2"
    }
    units = {u for u, _ in tw2}
    assert MISSING_UNIT not in units
    assert (REJECTED_UNIT, FileStatus.REJECTED) in tw2
    assert (REJECTED_UNIT, FileStatus.ACCEPTED) not in tw2
    assert {(RESENT_UNIT, FileStatus.SUPERSEDED), (RESENT_UNIT, FileStatus.ACCEPTED)} <= tw2
    late = [f for f in scan.files if f.unit == LATE_UNIT and str(f.period) == "2018-TW2"]
    assert [f.received_at.date().isoformat() for f in late] == ["2018-07-13"]
    assert scan.targets["target"].isna().sum() == 2  # two indicators without a target
    baseline = scan.values[scan.values["file"] == "Target_IKI_2018.xlsx"]
    assert set(zip(baseline["year"], baseline["quarter"], strict=True)) == {(2017, 1), (2017, 2)}
