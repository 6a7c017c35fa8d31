"""Roll-ups: the mean of clipped capaian over indicators that have one."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pipeline.compute import compute_indicators
from pipeline.compute.rollup import OFFICE, clipped, rollup
from pipeline.measure import DEFAULT_BANDS
from tests.test_compute import BASELINES, REPORTED, TARGETS, TW2, targets_frame, tiny_catalogue
from tests.test_compute import values_frame as make_values


@pytest.fixture(name="rolled")
def _rolled() -> pd.DataFrame:
    cat = tiny_catalogue()
    results = compute_indicators(
        make_values(REPORTED, BASELINES), targets_frame(TARGETS), cat, TW2, DEFAULT_BANDS
    )
    return rollup(results, cat, 120.0, DEFAULT_BANDS).set_index(["level", "code"])


def test_position_means_skip_indicators_without_capaian(rolled: pd.DataFrame) -> None:
    s1 = rolled.loc[("jabatan", "S1-KA")]
    # capaian 50 and 100; three without (no target, 0/0, target 0) are not zeros.
    assert (s1["indicators"], s1["with_capaian"], s1["without_capaian"]) == (5, 2, 3)
    assert s1["mean_capaian"] == pytest.approx(75.0)
    assert s1["predikat"] == "Sedang"


def test_cap_limits_each_indicator_before_averaging(rolled: pd.DataFrame) -> None:
    head = rolled.loc[("jabatan", "BID-KA")]
    assert head["mean_capaian"] == pytest.approx(120.0)  # 125 and 200 both count as 120
    s2 = rolled.loc[("unit", "S2")]
    assert (s2["with_capaian"], s2["mean_capaian"]) == (1, pytest.approx(120.0))


def test_levels_and_office(rolled: pd.DataFrame) -> None:
    assert list(rolled.index.get_level_values("level").unique()) == [
        "jabatan",
        "unit",
        "bidang",
        "kantor",
    ]
    bidang = rolled.loc[("bidang", "BID")]
    office = rolled.loc[("kantor", OFFICE)]
    # 50, 100, 120 (125), 120 (200), 120 (150): mean 102
    assert bidang["mean_capaian"] == pytest.approx(102.0)
    assert (office["indicators"], office["with_capaian"]) == (12, 5)
    assert office["name"] == "Kantor Uji"


def test_a_unit_with_no_capaian_has_an_empty_mean(rolled: pd.DataFrame) -> None:
    s3 = rolled.loc[("unit", "S3")]
    assert math.isnan(s3["mean_capaian"]) and s3["predikat"] == ""
    assert s3["without_capaian"] == 2


def test_clip_keeps_empty_and_floors_at_zero() -> None:
    out = clipped(pd.Series([-40.0, math.nan, 80.0, 300.0]), 120.0)
    assert out.iloc[0] == 0.0 and math.isnan(out.iloc[1])
    assert list(out.iloc[2:]) == [80.0, 120.0]


def test_cap_is_configurable() -> None:
    cat = tiny_catalogue()
    results = compute_indicators(
        make_values(REPORTED, BASELINES), targets_frame(TARGETS), cat, TW2, DEFAULT_BANDS
    )
    rolled = rollup(results, cat, 150.0, DEFAULT_BANDS).set_index(["level", "code"])
    assert rolled.loc[("jabatan", "BID-KA"), "mean_capaian"] == pytest.approx(137.5)
