"""Reference semantics: aggregation, indicator values, capaian and predikat."""

from __future__ import annotations

import math

import pytest

from pipeline import measure as m


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
        (90.01, "Sangat Tinggi"),
        (90.0, "Tinggi"),
        (75.0, "Sedang"),
        (65.5, "Sedang"),
        (65.0, "Rendah"),
        (50.0, "Sangat Rendah"),
        (0.0, "Sangat Rendah"),
        (None, ""),
    ],
)
def test_predikat_bands(value: float | None, expected: str) -> None:
    assert m.predikat(value) == expected
