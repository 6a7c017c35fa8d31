"""Indicators computed for a tiny office whose every number is worked out by hand."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pipeline.catalogue import Catalogue, Indicator, Position, Unit, Variable
from pipeline.compute import compute_indicators
from pipeline.compute.aggregate import variable_frame
from pipeline.measure import (
    DEFAULT_BANDS,
    NO_BASELINE,
    NO_DATA,
    NO_TARGET,
    ZERO_OVER_ZERO,
    ZERO_TARGET,
)
from pipeline.periods import Period

TW2 = Period(2018, 2)


def _var(code: str, agregasi: str = "sum") -> Variable:
    return Variable(code, code.split(".")[0], code, "orang", agregasi)


def _ind(code: str, kind: str, inputs: tuple[str, ...], **extra: object) -> Indicator:
    roles = {"count": ("variable",), "growth": ("variable",)}.get(
        kind, ("numerator", "denominator") if kind == "ratio" else ("minuend", "subtrahend")
    )
    factor = 100.0 if kind in ("ratio", "growth") else 1.0
    return Indicator(
        code=code,
        position=code.split(".")[0],
        order=int(code.split(".")[1]),
        kind=kind,
        kinerja="k",
        indikator=f"Indikator {code}",
        formula="f",
        sumber_data="s",
        inputs=tuple(zip(roles, inputs, strict=True)),
        factor=factor,
        satuan="%" if factor == 100.0 else "orang",
        **extra,  # type: ignore[arg-type]
    )


def tiny_catalogue() -> Catalogue:
    """A bidang with three seksi; every kind, both aggregations."""
    units = (
        Unit("BID", "Bidang Uji", "bidang", None),
        Unit("S1", "Seksi Satu", "seksi", "BID"),
        Unit("S2", "Seksi Dua", "seksi", "BID"),
        Unit("S3", "Seksi Tiga", "seksi", "BID"),
    )
    positions = tuple(
        Position(f"{u}-KA", f"KEPALA {u}", f"Kepala {u}", u, "kepala_seksi", i, ())
        for i, u in enumerate(("BID", "S1", "S2", "S3"), start=1)
    )
    variables = (
        _var("S1.LATIH"),
        _var("S1.LULUS"),
        _var("S1.LEMBAGA", "last"),
        _var("S1.TUTUP", "last"),
        _var("S1.NOL_A"),
        _var("S1.NOL_B"),
        _var("S2.TEMPAT"),
        _var("S2.SERAP"),
        _var("S2.BARU"),
        _var("S2.MAGANG"),
        _var("S2.ADUAN"),
        _var("S3.X"),
        _var("S3.Y", "last"),
    )
    indicators = (
        _ind("S1-KA.1", "count", ("S1.LATIH",)),
        _ind("S1-KA.2", "ratio", ("S1.LULUS", "S1.LATIH"), bagian=True),
        _ind("S1-KA.3", "difference", ("S1.LEMBAGA", "S1.TUTUP")),
        _ind("S1-KA.4", "ratio", ("S1.NOL_A", "S1.NOL_B")),
        _ind("S1-KA.5", "count", ("S1.LEMBAGA",)),
        _ind("BID-KA.1", "growth", ("S2.TEMPAT",)),
        _ind("BID-KA.2", "growth", ("S2.SERAP",)),
        _ind("BID-KA.3", "growth", ("S2.BARU",)),
        _ind("S2-KA.1", "count", ("S2.MAGANG",)),
        _ind("S2-KA.2", "count", ("S2.ADUAN",), polaritas="negatif"),
        _ind("S3-KA.1", "count", ("S3.X",)),
        _ind("S3-KA.2", "count", ("S3.Y",)),
    )
    return Catalogue(
        "uji", 2018, "Kantor Uji", "Keputusan Uji", units, positions, variables, indicators
    )


# (variable, year, quarter) -> value; None is an empty cell. S3 sent nothing for TW II.
REPORTED: dict[tuple[str, int, int], float | None] = {
    ("S1.LATIH", 2018, 1): 10, ("S1.LATIH", 2018, 2): 15,
    ("S1.LULUS", 2018, 1): 9, ("S1.LULUS", 2018, 2): 11,
    ("S1.LEMBAGA", 2018, 1): 30, ("S1.LEMBAGA", 2018, 2): 34,
    ("S1.TUTUP", 2018, 1): 2, ("S1.TUTUP", 2018, 2): 4,
    ("S1.NOL_A", 2018, 1): 0, ("S1.NOL_A", 2018, 2): 0,
    ("S1.NOL_B", 2018, 1): 0, ("S1.NOL_B", 2018, 2): 0,
    ("S2.TEMPAT", 2017, 1): 30, ("S2.TEMPAT", 2017, 2): 50,
    ("S2.TEMPAT", 2018, 1): 40, ("S2.TEMPAT", 2018, 2): 60,
    ("S2.SERAP", 2018, 1): 20, ("S2.SERAP", 2018, 2): 22,
    ("S2.BARU", 2018, 1): 7, ("S2.BARU", 2018, 2): 8,
    ("S2.MAGANG", 2018, 1): None, ("S2.MAGANG", 2018, 2): 5,
    ("S2.ADUAN", 2018, 1): 3, ("S2.ADUAN", 2018, 2): 2,
    ("S3.X", 2018, 1): 4,
    ("S3.Y", 2018, 1): 5,
}  # fmt: skip
TARGETS = {
    "S1-KA.1": 50.0,
    "S1-KA.2": 80.0,
    "S1-KA.3": None,
    "S1-KA.4": 100.0,
    "S1-KA.5": 0.0,
    "BID-KA.1": 20.0,
    "BID-KA.2": 10.0,
    "BID-KA.3": 10.0,
    "S2-KA.1": 10.0,
    "S2-KA.2": 10.0,
    "S3-KA.1": 10.0,
    "S3-KA.2": 10.0,
}
# Last year's quarters from the targets workbook (rows of VALUES from sheet Target), as
# `pipeline.baseline_values` adds them where S2 sent nothing for 2017. TW III and TW IV
# must not leak into a TW II comparison.
BASELINES: dict[tuple[str, int, int], float | None] = {
    ("S2.SERAP", 2017, 1): 15, ("S2.SERAP", 2017, 2): 20,
    ("S2.SERAP", 2017, 3): 900, ("S2.SERAP", 2017, 4): 900,
}  # fmt: skip


def values_frame(
    reported: dict[tuple[str, int, int], float | None],
    baselines: dict[tuple[str, int, int], float | None] | None = None,
) -> pd.DataFrame:
    """The VALUES frame for the reported numbers, each from its own cell.

    baselines: the same for values read from the targets workbook (file
    Target_IKI_2018.xlsx, sheet Target, columns H..K for TW I..TW IV).
    """
    rows = []
    for (variable, year, quarter), value in reported.items():
        unit = variable.split(".")[0]
        rows.append(
            {
                "unit": unit,
                "year": year,
                "quarter": quarter,
                "variable": variable,
                "value": math.nan if value is None else float(value),
                "file": f"{unit}_{year}_TW{quarter}.xlsx",
                "sheet": "Isian",
                "cell": f"{'FGHI'[quarter - 1]}{7 + len(rows)}",
                "received_at": f"{year}-0{quarter * 3 + 1}-05T09:00:00+07:00",
            }
        )
    for (variable, year, quarter), value in (baselines or {}).items():
        rows.append(
            {
                "unit": variable.split(".")[0],
                "year": year,
                "quarter": quarter,
                "variable": variable,
                "value": math.nan if value is None else float(value),
                "file": "Target_IKI_2018.xlsx",
                "sheet": "Target",
                "cell": f"{'HIJK'[quarter - 1]}11",
                "received_at": "2018-01-15T09:30:00+07:00",
            }
        )
    return pd.DataFrame(rows)


def targets_frame(targets: dict[str, float | None], year: int = 2018) -> pd.DataFrame:
    """The TARGETS frame for a year."""
    return pd.DataFrame(
        [
            {
                "indicator": code,
                "year": year,
                "target": math.nan if target is None else target,
                "file": "Target_IKI_2018.xlsx",
                "sheet": "Target",
                "target_cell": f"F{i}",
            }
            for i, (code, target) in enumerate(targets.items(), start=5)
        ]
    )


@pytest.fixture(name="results")
def _results() -> pd.DataFrame:
    return compute_indicators(
        values_frame(REPORTED, BASELINES),
        targets_frame(TARGETS),
        tiny_catalogue(),
        TW2,
        DEFAULT_BANDS,
    )


def _row(results: pd.DataFrame, code: str) -> dict[str, object]:
    return {str(k): v for k, v in results.loc[code].items()}


def _same(actual: object, expected: float | None) -> bool:
    if expected is None:
        return isinstance(actual, float) and math.isnan(actual)
    return actual == pytest.approx(expected, abs=1e-9)


# code: (realisasi, capaian, predikat, reason); worked out by hand from REPORTED and TARGETS.
EXPECTED: dict[str, tuple[float | None, float | None, str, str]] = {
    "S1-KA.1": (25.0, 50.0, "Sangat Rendah", ""),  # 10 + 15; 25/50; 50 is not above 50
    "S1-KA.2": (80.0, 100.0, "Sangat Tinggi", ""),  # (9+11)/(10+15), not mean(90%, 73.3%)
    "S1-KA.3": (30.0, None, "", NO_TARGET),  # stocks: 34 - 4 at TW II; no target
    "S1-KA.4": (None, None, "", ZERO_OVER_ZERO),
    "S1-KA.5": (34.0, None, "", ZERO_TARGET),  # a stock: TW II only
    "BID-KA.1": (25.0, 125.0, "Sangat Tinggi", ""),  # (100 - 80) / 80 from last year's inbox
    "BID-KA.2": (20.0, 200.0, "Sangat Tinggi", ""),  # (42 - (15 + 20)) / 35: baselines
    "BID-KA.3": (None, None, "", NO_BASELINE),
    "S2-KA.1": (None, None, "", NO_DATA),  # TW I cell empty: no partial sum
    "S2-KA.2": (5.0, 150.0, "Sangat Tinggi", ""),  # negatif: (2*10 - 5) / 10
    "S3-KA.1": (None, None, "", NO_DATA),  # S3 sent nothing for TW II
    "S3-KA.2": (None, None, "", NO_DATA),  # a stock needs TW II itself
}


@pytest.mark.parametrize("code", list(EXPECTED))
def test_hand_computed_values(results: pd.DataFrame, code: str) -> None:
    realisasi, capaian, predikat, reason = EXPECTED[code]
    row = _row(results, code)
    assert _same(row["realisasi"], realisasi)
    assert _same(row["capaian"], capaian)
    assert (row["predikat"], row["reason"]) == (predikat, reason)


def test_ratio_keeps_numerator_denominator_and_quarters(results: pd.DataFrame) -> None:
    row = _row(results, "S1-KA.2")
    assert (row["numerator"], row["denominator"]) == (20.0, 25.0)
    assert row["tw1"] == pytest.approx(90.0)
    assert row["tw2"] == pytest.approx(11 / 15 * 100)
    assert math.isnan(row["tw3"]) and math.isnan(row["tw4"])  # type: ignore[arg-type]


def test_growth_says_which_comparison_was_used(results: pd.DataFrame) -> None:
    inbox, baseline, none = (_row(results, f"BID-KA.{i}") for i in (1, 2, 3))
    assert (inbox["comparison"], inbox["denominator"]) == ("inbox", 80.0)
    assert "S2_2017_TW1.xlsx Isian!" in str(inbox["previous_source"])
    assert (baseline["comparison"], baseline["denominator"]) == ("baseline", 35.0)
    assert baseline["previous_source"] == (
        "TW I: Target_IKI_2018.xlsx Target!H11; TW II: Target_IKI_2018.xlsx Target!I11"
    )
    assert none["comparison"] == "" and none["previous_source"] == ""
    assert none["status"] == "no-baseline"
    # Quarter by quarter growth against the same quarter last year: (60 - 50) / 50, and
    # from the baselines (20 - 15) / 15 and (22 - 20) / 20.
    assert inbox["tw2"] == pytest.approx(20.0)
    assert baseline["tw1"] == pytest.approx(5 / 15 * 100)
    assert baseline["tw2"] == pytest.approx(10.0)


def test_growth_with_last_year_from_a_submission_and_a_baseline() -> None:
    """S2 sent 2017 TW I; TW II comes from the targets workbook: both feed the comparison."""
    reported = {**REPORTED, ("S2.SERAP", 2017, 1): 14.0}
    baselines = {("S2.SERAP", 2017, 2): 21.0}
    results = compute_indicators(
        values_frame(reported, baselines),
        targets_frame(TARGETS),
        tiny_catalogue(),
        TW2,
        DEFAULT_BANDS,
    )
    row = _row(results, "BID-KA.2")
    assert (row["numerator"], row["denominator"]) == (42.0, 35.0)  # 20 + 22 vs 14 + 21
    assert row["realisasi"] == pytest.approx(20.0)
    assert row["comparison"] == "inbox+baseline"
    assert str(row["previous_source"]).startswith("TW I: S2_2017_TW1.xlsx Isian!")
    assert str(row["previous_source"]).endswith("TW II: Target_IKI_2018.xlsx Target!I11")


def test_growth_needs_every_quarter_of_last_year_to_date() -> None:
    """A flow's last year to date is missing when one quarter is: no partial comparison."""
    results = compute_indicators(
        values_frame(REPORTED, {("S2.SERAP", 2017, 1): 15.0}),
        targets_frame(TARGETS),
        tiny_catalogue(),
        TW2,
        DEFAULT_BANDS,
    )
    row = _row(results, "BID-KA.2")
    assert math.isnan(row["realisasi"])  # type: ignore[arg-type]
    assert (row["status"], row["reason"], row["comparison"]) == ("no-baseline", NO_BASELINE, "")
    assert row["tw1"] == pytest.approx(5 / 15 * 100)  # TW I alone still compares


def test_missing_inputs_are_explained(results: pd.DataFrame) -> None:
    assert _row(results, "S2-KA.1")["gaps"] == "S2.MAGANG: TW I sel kosong"
    assert _row(results, "S3-KA.1")["gaps"] == "S3.X: TW II belum ada kiriman yang diterima"
    assert _row(results, "S3-KA.2")["gaps"] == "S3.Y: TW II belum ada kiriman yang diterima"
    assert _row(results, "S1-KA.1")["gaps"] == ""


def test_every_figure_points_at_its_cells(results: pd.DataFrame) -> None:
    row = _row(results, "S1-KA.3")
    # A stock uses the last quarter only.
    assert row["source"] == (
        "S1.LEMBAGA (TW II: S1_2018_TW2.xlsx Isian!G12)"
        " | S1.TUTUP (TW II: S1_2018_TW2.xlsx Isian!G14)"
    )
    assert row["cells"] == "S1.LEMBAGA: Isian!G12\nS1.TUTUP: Isian!G14"
    assert _row(results, "S1-KA.1")["cells"] == "S1.LATIH: Isian!F7, G8"
    assert _row(results, "S1-KA.1")["target_source"] == "Target_IKI_2018.xlsx Target!F5"
    assert _row(results, "S1-KA.3")["target_source"] == ""


def test_status_codes(results: pd.DataFrame) -> None:
    assert dict(results["status"]) == {
        "S1-KA.1": "ok",
        "S1-KA.2": "ok",
        "S1-KA.3": "no-target",
        "S1-KA.4": "zero-over-zero",
        "S1-KA.5": "zero-target",
        "BID-KA.1": "ok",
        "BID-KA.2": "ok",
        "BID-KA.3": "no-baseline",
        "S2-KA.1": "no-data",
        "S2-KA.2": "ok",
        "S3-KA.1": "no-data",
        "S3-KA.2": "no-data",
    }


def test_zero_is_a_value_not_a_gap() -> None:
    reported = dict(REPORTED)
    reported[("S1.LATIH", 2018, 1)] = 0
    reported[("S1.LATIH", 2018, 2)] = 0
    results = compute_indicators(
        values_frame(reported), targets_frame(TARGETS), tiny_catalogue(), TW2, DEFAULT_BANDS
    )
    count, ratio = _row(results, "S1-KA.1"), _row(results, "S1-KA.2")
    assert (count["realisasi"], count["capaian"], count["predikat"]) == (0.0, 0.0, "Sangat Rendah")
    assert ratio["reason"] == "Penyebut nol" and ratio["status"] == "division-by-zero"


def test_both_reasons_when_the_target_is_missing_too() -> None:
    targets = dict(TARGETS, **{"S1-KA.4": None})
    results = compute_indicators(
        values_frame(REPORTED), targets_frame(targets), tiny_catalogue(), TW2, DEFAULT_BANDS
    )
    assert _row(results, "S1-KA.4")["reason"] == f"{ZERO_OVER_ZERO}; {NO_TARGET}"


def test_later_quarters_and_other_years_do_not_leak_in() -> None:
    reported = dict(REPORTED)
    reported[("S1.LATIH", 2018, 3)] = 1000
    reported[("S1.LATIH", 2016, 1)] = 1000
    frame = variable_frame(values_frame(reported), tiny_catalogue(), TW2)
    assert frame.loc["S1.LATIH", "to_date"] == 25.0
    assert math.isnan(frame.loc["S1.LATIH", "y0q3"])


def test_first_quarter_and_no_targets_at_all() -> None:
    results = compute_indicators(
        values_frame(REPORTED),
        targets_frame({}),
        tiny_catalogue(),
        Period(2018, 1),
        DEFAULT_BANDS,
    )
    assert _row(results, "S1-KA.1")["realisasi"] == 10.0
    assert set(results["capaian_reason"]) == {NO_TARGET}
    assert _row(results, "S2-KA.1")["reason"] == f"{NO_DATA}; {NO_TARGET}"
