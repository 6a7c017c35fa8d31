"""Property: the vectorised compute agrees with the scalar reference on random submissions.

Last year's values come at random from unit submissions (sheet Isian) or from the targets
workbook's quarterly baselines (sheet Target), as `pipeline.baseline_values` adds them.
Targets are a random Rencana Aksi: annual and quarterly targets (any may be empty or 0),
and per indicator a calculation type and polarity chosen in the workbook or left to the
catalogue.
"""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from pipeline import measure
from pipeline.catalogue import Catalogue, load_catalogue
from pipeline.compute import compute_indicators
from pipeline.periods import Period

CATALOGUE = load_catalogue()
MISSING_ROW = object()  # the unit sent nothing for that quarter
CELLS = [(year, q) for year in (2017, 2018) for q in (1, 2, 3, 4)]

# Small numbers make 0/0, n/0, equal values and band edges likely; some fractions too.
number = st.one_of(
    st.integers(0, 6).map(float),
    st.floats(0, 500, allow_nan=False, allow_infinity=False),
)
cell = st.one_of(number, number, number, st.just(math.nan), st.just(MISSING_ROW))
target = st.one_of(st.just(math.nan), st.just(0.0), st.integers(1, 120).map(float), number)


def _flip(catalogue: Catalogue, negatif: list[bool]) -> Catalogue:
    """The catalogue with some indicators' polarity turned negatif."""
    indicators = tuple(
        dataclasses.replace(ind, polaritas="negatif") if flip else ind
        for ind, flip in zip(catalogue.indicators, negatif, strict=True)
    )
    return dataclasses.replace(catalogue, indicators=indicators)


Plan = tuple[float, float, float, float, float, int, int]  # annual, TW I..IV, type, sign
plan = st.tuples(target, target, target, target, target, st.integers(0, 2), st.integers(0, 2))


def _words(ind: object, kind: int, sign: int) -> tuple[str, str]:
    """The workbook's words: '' (the catalogue's), or a choice the workbook may offer."""
    additive = CATALOGUE.additive(ind)  # type: ignore[arg-type]
    types = ("", "kumulatif", "nilai-akhir") if additive else ("", "nilai-akhir", "")
    return types[kind], ("", "positif", "negatif")[sign]


def _frames(
    cells: list[object], targets: list[Plan], from_targets: list[bool]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = []
    grid = [(v, y, q) for v in CATALOGUE.variables for y, q in CELLS]
    for (variable, year, quarter), value, baseline in zip(grid, cells, from_targets, strict=True):
        if value is MISSING_ROW:
            continue
        sheet = "Target" if baseline and year == 2017 else "Isian"
        rows.append(
            {
                "unit": variable.unit,
                "year": year,
                "quarter": quarter,
                "variable": variable.code,
                "value": value,
                "file": "T.xlsx" if sheet == "Target" else f"{variable.unit}_{year}_{quarter}.xlsx",
                "sheet": sheet,
                "cell": "G7",
                "received_at": "2018-07-01T00:00:00",
            }
        )
    values = pd.DataFrame(rows, columns=["unit", "year", "quarter", "variable", "value", "file",
                                         "sheet", "cell", "received_at"])  # fmt: skip
    target_rows = []
    for ind, (annual, *quarters, kind, sign) in zip(CATALOGUE.indicators, targets, strict=True):
        perhitungan, polaritas = _words(ind, kind, sign)
        row = {"indicator": ind.code, "year": 2018, "version": 1, "effective_from": 1}
        row |= {"target": annual, "perhitungan": perhitungan, "polaritas": polaritas}
        row |= {"file": "T.xlsx", "sheet": "Target", "target_cell": "M9"}
        row |= {f"target_tw{q}": quarters[q - 1] for q in range(1, 5)}
        row |= {f"cell_tw{q}": f"{'IJKL'[q - 1]}9" for q in range(1, 5)}
        target_rows.append(row)
    return values, pd.DataFrame(target_rows)


Expected = tuple[measure.Result, measure.Result, str, str, float | None, str, measure.Result]


def _reference(
    catalogue: Catalogue, values: pd.DataFrame, targets: pd.DataFrame, period: Period
) -> dict[str, Expected]:
    """Each indicator through pipeline.measure, one scalar at a time, and growth's origin."""
    lookup = {(r.variable, r.year, r.quarter): r.value for r in values.itertuples(index=False)}
    sheets = {(r.variable, r.year, r.quarter): r.sheet for r in values.itertuples(index=False)}
    by_code = targets.set_index("indicator")

    def to_date(code: str, year: int) -> float | None:
        variable = catalogue.variable(code)
        quarters = {q: lookup.get((code, year, q)) for q in range(1, 5)}
        return measure.aggregate(quarters, variable.agregasi, period.quarter)  # type: ignore[arg-type]

    def origin(code: str, year: int) -> str:
        last = catalogue.variable(code).agregasi == "last"
        used = [period.quarter] if last else range(1, period.quarter + 1)
        found = {sheets[(code, year, q)] for q in used}
        if found == {"Isian"}:
            return "inbox"
        return "baseline" if found == {"Target"} else "inbox+baseline"

    out = {}
    for ind in catalogue.indicators:
        inputs = [to_date(code, period.year) for code in ind.variables]
        comparison = ""
        if ind.kind == "growth":
            previous = to_date(ind.variables[0], period.year - 1)
            if previous is not None:
                comparison = origin(ind.variables[0], period.year - 1)
            inputs = [inputs[0], previous]
        realisasi = measure.indicator_value(ind.kind, inputs, ind.factor)
        row = by_code.loc[ind.code]
        tgt = None if math.isnan(row["target"]) else float(row["target"])
        perhitungan = row["perhitungan"] or catalogue.perhitungan(ind)
        polaritas = row["polaritas"] or ind.polaritas
        quarterly = {q: row[f"target_tw{q}"] for q in range(1, 5)}
        target_sd = measure.target_to_date(quarterly, perhitungan, period.quarter)
        capaian, dasar = measure.capaian_to_date(realisasi.value, target_sd, tgt, polaritas)
        tahunan = measure.capaian(realisasi.value, tgt, polaritas)
        predikat = measure.predikat(capaian.value)
        out[ind.code] = (realisasi, capaian, predikat, comparison, target_sd, dasar, tahunan)
    return out


def _equal(actual: float, expected: float | None) -> bool:
    if expected is None:
        return math.isnan(actual)
    return actual == expected  # the same operations in the same order: bit for bit


n_cells = len(CATALOGUE.variables) * len(CELLS)
n_ind = len(CATALOGUE.indicators)


@given(
    cells=st.lists(cell, min_size=n_cells, max_size=n_cells),
    targets=st.lists(plan, min_size=n_ind, max_size=n_ind),
    from_targets=st.lists(st.booleans(), min_size=n_cells, max_size=n_cells),
    negatif=st.lists(st.booleans(), min_size=n_ind, max_size=n_ind),
    quarter=st.integers(1, 4),
)
def test_vectorised_compute_matches_the_scalar_reference(
    cells: list[object],
    targets: list[Plan],
    from_targets: list[bool],
    negatif: list[bool],
    quarter: int,
) -> None:
    catalogue = _flip(CATALOGUE, negatif)
    period = Period(2018, quarter)
    values, target_frame = _frames(cells, targets, from_targets)
    results = compute_indicators(values, target_frame, catalogue, period, measure.DEFAULT_BANDS)
    expected = _reference(catalogue, values, target_frame, period)
    for code, (realisasi, capaian, predikat, comparison, sd, dasar, tahunan) in expected.items():
        row = results.loc[code]
        assert _equal(row["realisasi"], realisasi.value), code
        assert row["realisasi_reason"] == realisasi.reason, code
        assert _equal(row["target_sd"], sd), code
        assert _equal(row["capaian"], capaian.value), code
        assert row["capaian_reason"] == capaian.reason, code
        assert row["dasar"] == dasar, code
        assert _equal(row["capaian_tahunan"], tahunan.value), code
        assert row["capaian_tahunan_reason"] == tahunan.reason, code
        assert row["predikat"] == predikat, code
        assert row["comparison"] == comparison, code
