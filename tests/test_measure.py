"""Reference semantics: aggregation, indicator values, capaian and predikat."""

from __future__ import annotations

import math
from fractions import Fraction

import pandas as pd
import pytest

from pipeline import measure as m
from pipeline.compute import formulas


def test_flows_sum_and_missing_quarter_is_missing() -> None:
    assert m.aggregate({1: 3.0, 2: 4.0}, "sum", 2) == 7.0
    assert m.aggregate({1: 3.0, 2: 0.0}, "sum", 2) == 3.0
    assert m.aggregate({1: 3.0}, "sum", 2) is None
    assert m.aggregate({1: math.nan, 2: 4.0}, "sum", 2) is None


def test_stocks_take_the_last_quarter() -> None:
    assert m.aggregate({1: 30.0, 2: 28.0}, "last", 2) == 28.0
    assert m.aggregate({1: 30.0}, "last", 2) is None


def test_ratio_zero_and_missing_differ() -> None:
    assert m.ratio(3, 4, 100) == m.Result(75.0)
    assert m.ratio(0, 4, 100) == m.Result(0.0)
    assert m.ratio(0, 0, 100) == m.Result(None, m.ZERO_OVER_ZERO)
    assert m.ratio(2, 0, 100) == m.Result(None, m.DIVISION_BY_ZERO)
    assert m.ratio(None, 4, 100) == m.Result(None, m.NO_DATA)


def test_growth() -> None:
    assert m.indicator_value("growth", [120, 100], 100) == m.Result(20.0)
    assert m.indicator_value("growth", [120, None], 100) == m.Result(None, m.NO_BASELINE)
    assert m.indicator_value("growth", [120, 0], 100) == m.Result(None, m.ZERO_BASELINE)


def test_count_and_difference() -> None:
    assert m.indicator_value("count", [0.0], 1) == m.Result(0.0)
    assert m.indicator_value("count", [None], 1) == m.Result(None, m.NO_DATA)
    assert m.indicator_value("difference", [40, 3], 1) == m.Result(37.0)
    with pytest.raises(ValueError):
        m.indicator_value("mean", [1], 1)


def test_capaian() -> None:
    assert m.capaian(45, 60) == m.Result(75.0)
    assert m.capaian(45, 60, "negatif") == m.Result(125.0)
    assert m.capaian(45, None) == m.Result(None, m.NO_TARGET)
    assert m.capaian(45, 0) == m.Result(None, m.ZERO_TARGET)
    assert m.capaian(None, 60) == m.Result(None, m.NO_DATA)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (100.0, "Sangat Tinggi"),
        (91.0, "Sangat Tinggi"),
        (90.99999, "Tinggi"),
        (90.5, "Tinggi"),  # printed as 76-90 and 91-100: the gap falls to the band below
        (76.0, "Tinggi"),
        (75.99, "Sedang"),
        (66.0, "Sedang"),
        (65.5, "Rendah"),
        (51.0, "Rendah"),
        (50.99, "Sangat Rendah"),
        (50.0, "Sangat Rendah"),
        (0.0, "Sangat Rendah"),
        (-20.0, "Sangat Rendah"),
        (None, ""),
    ],
)
def test_predikat_bands_of_permendagri_86_2017(value: float | None, expected: str) -> None:
    assert m.predikat(value) == expected


def test_predikat_uses_the_unrounded_capaian() -> None:
    # 90.95 shows as 91.0 with one decimal but is not yet 91.
    assert m.predikat(m.capaian(1819, 2000).value) == "Tinggi"  # 90.95
    assert m.predikat(m.capaian(182, 200).value) == "Sangat Tinggi"  # 91.0


def _band_of(exact: Fraction) -> str:
    """The band of a capaian worked out in exact arithmetic."""
    return next((name for lower, name in m.DEFAULT_BANDS if exact >= lower), m.LOWEST_BAND)


@pytest.mark.parametrize(
    ("realisasi", "target", "polaritas", "expected"),
    [
        (9.1, 10, "positif", "Sangat Tinggi"),  # 91 % exactly; 90.99999999999999 as a float
        (77.35, 85, "positif", "Sangat Tinggi"),
        (2.28, 3, "positif", "Tinggi"),  # 76 %
        (3.3, 5, "positif", "Sedang"),  # 66 %
        (1.09, 1, "negatif", "Sangat Tinggi"),  # (2 - 1.09) / 1 = 91 %
        (9.09, 10, "positif", "Tinggi"),  # 90.9 %: below the bound stays below
    ],
)
def test_predikat_of_a_capaian_exactly_on_a_bound(
    realisasi: float, target: float, polaritas: str, expected: str
) -> None:
    assert m.predikat(m.capaian(realisasi, target, polaritas).value) == expected


def test_predikat_follows_exact_arithmetic_at_every_bound() -> None:
    """Realisations typed with two decimals against whole targets, on each bound and one
    hundredth either side: the scalar and the column predikat both rate the capaian as
    exact arithmetic does (float division once put 807 of these 9,600 a band too low)."""
    cases = []
    for target in range(1, 401):
        for lower, _ in m.DEFAULT_BANDS:
            # Realisasi in hundredths that give a capaian of `lower` exactly: R / T = lower /
            # 100, and (2T - R) / T = lower / 100 when lower is better.
            bound = int(lower) * target
            for on, polaritas in ((bound, "positif"), (200 * target - bound, "negatif")):
                cases += [(hundredths, target, polaritas) for hundredths in (on - 1, on, on + 1)]
    realisasi = pd.Series([h / 100 for h, _, _ in cases])
    target = pd.Series([float(t) for _, t, _ in cases])
    polaritas = pd.Series([p for _, _, p in cases])
    column = formulas.predikat(formulas.capaian(realisasi, target, polaritas)[0], m.DEFAULT_BANDS)
    wrong = []
    for (hundredths, t, polaritas_), got in zip(cases, column, strict=True):
        r = Fraction(hundredths, 100)
        exact = (2 * t - r) / t * 100 if polaritas_ == "negatif" else r / t * 100
        scalar = m.predikat(m.capaian(hundredths / 100, t, polaritas_).value)
        if not got == scalar == _band_of(exact):
            wrong.append((hundredths, t, polaritas_, got, scalar))
    assert not wrong, wrong[:5]


def test_target_to_date_kumulatif_adds_the_quarters() -> None:
    plan = {1: 20.0, 2: 30.0, 3: 25.0, 4: 25.0}
    assert [m.target_to_date(plan, m.KUMULATIF, q) for q in (1, 2, 3, 4)] == [20, 50, 75, 100]
    assert m.target_to_date({1: 20.0, 2: None}, m.KUMULATIF, 2) is None
    assert m.target_to_date({1: 20.0, 2: math.nan}, m.KUMULATIF, 1) == 20.0
    assert m.target_to_date({1: 0.0, 2: 0.0}, m.KUMULATIF, 2) == 0.0


def test_target_to_date_nilai_akhir_takes_the_quarter_itself() -> None:
    plan = {1: 70.0, 2: 75.0, 3: 80.0, 4: 85.0}
    assert [m.target_to_date(plan, m.NILAI_AKHIR, q) for q in (1, 2, 3, 4)] == [70, 75, 80, 85]
    assert m.target_to_date({1: 70.0}, m.NILAI_AKHIR, 2) is None
    assert m.target_to_date({2: 75.0}, m.NILAI_AKHIR, 2) == 75.0  # earlier quarters not needed
    with pytest.raises(ValueError):
        m.target_to_date(plan, "rata-rata", 2)


def test_capaian_to_date_against_the_target_to_date() -> None:
    assert m.capaian_to_date(45, 50, 100) == (m.Result(90.0), m.DASAR_TRIWULAN)
    assert m.capaian_to_date(45, 50, None) == (m.Result(90.0), m.DASAR_TRIWULAN)
    assert m.capaian_to_date(None, 50, 100) == (m.Result(None, m.NO_DATA), m.DASAR_TRIWULAN)
    assert m.capaian_to_date(3, 0, 100) == (
        m.Result(None, m.ZERO_TARGET_TO_DATE),
        m.DASAR_TRIWULAN,
    )


def test_capaian_to_date_falls_back_to_the_annual_target() -> None:
    assert m.capaian_to_date(45, None, 100) == (m.Result(45.0), m.DASAR_TAHUNAN)
    assert m.capaian_to_date(45, math.nan, 0) == (m.Result(None, m.ZERO_TARGET), m.DASAR_TAHUNAN)
    assert m.capaian_to_date(45, None, None) == (m.Result(None, m.NO_TARGET), "")


def test_capaian_to_date_negatif() -> None:
    # Lower is better: 40 complaints against 50 planned so far is (2 x 50 - 40) / 50 = 120%.
    assert m.capaian_to_date(40, 50, 180, "negatif") == (m.Result(120.0), m.DASAR_TRIWULAN)
    assert m.capaian(40, 180, "negatif") == m.Result((360 - 40) / 180 * 100)
    assert m.predikat(m.capaian_to_date(59.5, 50, None, "negatif")[0].value) == "Tinggi"  # 81
    assert m.predikat(m.capaian_to_date(80, 50, None, "negatif")[0].value) == "Sangat Rendah"
