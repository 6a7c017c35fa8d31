"""The Rencana Aksi in the compute: targets to date, revisions, and the annual fallback.

Worked by hand on the tiny office of test_compute (S1.LATIH: 10 in TW I, 15 in TW II).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pytest

from pipeline.compute import compute_indicators
from pipeline.compute.targets import plans_in_effect, targets_in_effect
from pipeline.measure import DEFAULT_BANDS, NO_TARGET, ZERO_TARGET_TO_DATE
from pipeline.periods import Period
from pipeline.rencana import TargetPlan
from tests.test_compute import REPORTED, tiny_catalogue, values_frame

CAT = tiny_catalogue()
Plan = tuple[float | None, tuple[float | None, ...], str, str]  # annual, TW I..IV, type, sign


def version(
    number: int, start: int, plans: dict[str, Plan], file: str = ""
) -> list[dict[str, Any]]:
    """Rows of one version of the targets workbook (cells: I..L TW I..IV, M annual)."""
    rows = []
    for line, (code, (annual, quarters, perhitungan, polaritas)) in enumerate(plans.items(), 9):
        row: dict[str, Any] = {
            "indicator": code,
            "year": 2018,
            "version": number,
            "effective_from": start,
            "target": math.nan if annual is None else annual,
            "perhitungan": perhitungan,
            "polaritas": polaritas,
            "file": file or f"Target_v{number}.xlsx",
            "sheet": "Target",
            "target_cell": f"M{line}",
            "received_at": f"2018-0{number}-01T09:00:00+07:00",
        }
        for q in range(1, 5):
            value = quarters[q - 1] if q <= len(quarters) else None
            row[f"target_tw{q}"] = math.nan if value is None else value
            row[f"cell_tw{q}"] = f"{'IJKL'[q - 1]}{line}"
        rows.append(row)
    return rows


MURNI: dict[str, Plan] = {
    "S1-KA.1": (100.0, (20.0, 30.0, 25.0, 25.0), "", ""),  # kumulatif (a flow)
    "S1-KA.2": (80.0, (70.0, 75.0, 80.0, 80.0), "", ""),  # nilai-akhir (a percentage)
    "S1-KA.5": (40.0, (), "", ""),  # no quarterly targets: the annual one rates
    "S2-KA.2": (10.0, (2.0, 3.0, 3.0, 2.0), "", ""),  # negatif (the catalogue says so)
}
# APBD Perubahan from TW III: more people to train. It also restates TW I as 22 on paper,
# but TW I and TW II keep the targets they were reported against.
PERUBAHAN: dict[str, Plan] = {
    "S1-KA.1": (120.0, (22.0, 30.0, 35.0, 33.0), "", ""),
    "S1-KA.2": (85.0, (70.0, 75.0, 82.0, 85.0), "", ""),
    "S1-KA.5": (40.0, (), "", ""),
    "S2-KA.2": (10.0, (2.0, 3.0, 3.0, 2.0), "", "positif"),
}
TWO = pd.DataFrame(version(1, 1, MURNI) + version(2, 3, PERUBAHAN))


def _effect(frame: pd.DataFrame, quarter: int) -> dict[str, dict[str, Any]]:
    table = targets_in_effect(frame, CAT, Period(2018, quarter))
    return {str(code): {str(k): v for k, v in row.items()} for code, row in table.iterrows()}


def test_kumulatif_adds_the_quarters_so_far() -> None:
    assert [_effect(TWO, q)["S1-KA.1"]["target_sd"] for q in (1, 2)] == [20.0, 50.0]
    tw2 = _effect(TWO, 2)["S1-KA.1"]
    assert (tw2["perhitungan"], tw2["target"], tw2["versi_target"]) == ("kumulatif", 100, "murni")
    assert (
        tw2["target_sd_source"] == "TW I: Target_v1.xlsx Target!I9; TW II: Target_v1.xlsx Target!J9"
    )


def test_nilai_akhir_takes_the_quarter_itself() -> None:
    assert [_effect(TWO, q)["S1-KA.2"]["target_sd"] for q in (1, 2, 3, 4)] == [70, 75, 82, 85]
    assert _effect(TWO, 2)["S1-KA.2"]["target_sd_source"] == "TW II: Target_v1.xlsx Target!J10"


def test_a_revision_applies_only_from_its_quarter() -> None:
    tw3, tw4 = _effect(TWO, 3)["S1-KA.1"], _effect(TWO, 4)["S1-KA.1"]
    # TW I and II from the murni (20 + 30, not the revision's 22), TW III from the revision.
    assert tw3["target_sd"] == 20 + 30 + 35
    assert tw4["target_sd"] == 20 + 30 + 35 + 33
    assert (tw3["target"], tw3["target_murni"], tw3["versi_target"]) == (120, 100, "perubahan")
    assert tw3["target_source"] == "Target_v2.xlsx Target!M9"
    assert tw3["target_murni_source"] == "Target_v1.xlsx Target!M9"
    assert tw3["target_sd_source"] == (
        "TW I: Target_v1.xlsx Target!I9; TW II: Target_v1.xlsx Target!J9; "
        "TW III: Target_v2.xlsx Target!K9"
    )
    # The revision's polarity counts from TW III only.
    assert [_effect(TWO, q)["S2-KA.2"]["polaritas"] for q in (2, 3)] == ["negatif", "positif"]
    # Before TW III nothing of the revision shows.
    tw2 = _effect(TWO, 2)["S1-KA.1"]
    assert (tw2["target"], tw2["target_sd"], tw2["target_murni"]) == (100, 50, 100)


def test_a_later_version_from_an_earlier_quarter_takes_over() -> None:
    correction = {code: (200.0, (50.0, 50.0, 50.0, 50.0), "", "") for code in MURNI}
    frame = pd.DataFrame([*TWO.to_dict("records"), *version(3, 2, correction)])
    assert _effect(frame, 1)["S1-KA.1"]["target_sd"] == 20  # TW I keeps the murni
    tw3 = _effect(frame, 3)["S1-KA.1"]
    assert (tw3["target_sd"], tw3["target"], tw3["target_version"]) == (20 + 50 + 50, 200, 3)


def test_a_changed_calculation_type_uses_the_new_versions_own_quarters() -> None:
    """Levels (nilai-akhir) in the murni, flows (kumulatif) from TW III: TW I and II of the
    murni are levels, not a quarter's flow, so the revision's own TW I and II are added."""
    murni = {"S1-KA.1": (100.0, (20.0, 50.0, 75.0, 100.0), "nilai-akhir", "")}
    revision = {"S1-KA.1": (120.0, (20.0, 30.0, 35.0, 35.0), "kumulatif", "")}
    frame = pd.DataFrame(version(1, 1, murni) + version(2, 3, revision))
    assert _effect(frame, 2)["S1-KA.1"]["target_sd"] == 50  # a level
    tw3 = _effect(frame, 3)["S1-KA.1"]
    assert (tw3["perhitungan"], tw3["target_sd"]) == ("kumulatif", 20 + 30 + 35)
    assert "Target_v1" not in tw3["target_sd_source"]


def test_capaian_against_the_target_to_date_and_the_year() -> None:
    results = compute_indicators(values_frame(REPORTED), TWO, CAT, Period(2018, 2), DEFAULT_BANDS)
    row = results.loc["S1-KA.1"]
    # 10 + 15 trained against 20 + 30 planned so far: 50%; against the year's 100: 25%.
    assert (row["realisasi"], row["target_sd"], row["capaian"]) == (25, 50, 50)
    assert (row["capaian_tahunan"], row["dasar"], row["predikat"]) == (
        25,
        "triwulan",
        "Sangat Rendah",
    )
    ratio = results.loc["S1-KA.2"]  # (9 + 11) / (10 + 15) = 80% against 75% by TW II
    assert ratio["capaian"] == pytest.approx(80 / 75 * 100)
    assert ratio["capaian_tahunan"] == pytest.approx(100.0)
    assert ratio["predikat"] == "Sangat Tinggi"
    # negatif: 3 + 2 complaints against 2 + 3 planned: (2 x 5 - 5) / 5 = 100%.
    negatif = results.loc["S2-KA.2"]
    assert (negatif["polaritas"], negatif["capaian"], negatif["capaian_tahunan"]) == (
        "negatif",
        100.0,
        150.0,
    )


def test_without_quarterly_targets_the_annual_target_rates() -> None:
    results = compute_indicators(values_frame(REPORTED), TWO, CAT, Period(2018, 2), DEFAULT_BANDS)
    row = results.loc["S1-KA.5"]  # a stock of 34 against the year's 40
    assert math.isnan(row["target_sd"])
    assert (row["dasar"], row["capaian"], row["capaian_tahunan"]) == ("tahunan", 85.0, 85.0)
    assert row["predikat"] == "Tinggi"
    assert results.loc["S1-KA.3", "dasar"] == ""  # no target at all
    assert results.loc["S1-KA.3", "capaian_reason"] == NO_TARGET


def test_a_target_to_date_of_zero_is_not_the_annual_target() -> None:
    plans = {"S1-KA.1": (100.0, (0.0, 0.0, 50.0, 50.0), "", "")}
    frame = pd.DataFrame(version(1, 1, plans))
    results = compute_indicators(values_frame(REPORTED), frame, CAT, Period(2018, 2), DEFAULT_BANDS)
    row = results.loc["S1-KA.1"]
    assert math.isnan(row["capaian"]) and row["capaian_reason"] == ZERO_TARGET_TO_DATE
    assert (row["status"], row["dasar"], row["capaian_tahunan"]) == (
        "zero-target-to-date",
        "triwulan",
        25.0,
    )


def test_plans_for_a_template() -> None:
    plans = plans_in_effect(TWO, CAT, Period(2018, 3))
    assert plans["S1-KA.1"] == TargetPlan(
        120.0, {1: 20.0, 2: 30.0, 3: 35.0}, "kumulatif", "positif"
    )
    assert plans["S1-KA.1"].to_date("kumulatif", 3) == 85
    assert plans["S1-KA.5"] == TargetPlan(40.0, {}, "nilai-akhir", "positif")
    assert "S1-KA.3" not in plans
