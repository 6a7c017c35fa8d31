"""`against_history` gives every counted submission, in one pass, the median and count of what
`history_of` (the definition, one submission at a time) gives it."""

from __future__ import annotations

import statistics
from pathlib import Path

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from pipeline.contract import KIND_UNIT, TemplateMeta
from pipeline.contract import MappedCell as Cell
from pipeline.inbox.cells import annotate
from pipeline.inbox.read import read_workbook
from pipeline.merge.history import _median, against_history, history_of
from pipeline.merge.kept import KeptCells
from pipeline.submission import Submission
from pipeline.validate.rules import Against

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "inbox"
VARIABLES = ("U.A", "U.B")


def _sub(
    unit: str, year: int, quarter: int, values: dict[str, float], shown: dict[tuple[str, int], str]
) -> Submission:
    """A unit submission: this quarter's values, earlier quarters as the template shows them."""
    cells, raw = [], {}
    for row, variable in enumerate(VARIABLES, start=7):
        for q in range(1, 5):
            ref = f"{'GHIJ'[q - 1]}{row}"
            cells.append(
                Cell(variable, f"TW{q}", "Isian", ref, q == quarter, shown.get((variable, q), ""))
            )
            if q == quarter and variable in values:
                raw[("Isian", ref)] = values[variable]
    meta = TemplateMeta(KIND_UNIT, "1", "c", "h", year, quarter, unit, "", tuple(cells))
    return Submission(f"{unit}-{year}-{quarter}.xlsx", meta, annotate(meta, raw, {}))


def _expected(sub: Submission, counted: list[Submission]) -> list[Against]:
    """What the rule needs of `history_of`: each current number with a history beside it."""
    history = history_of(sub, counted)
    found = []
    for key, cell in sub.numbers(sub.current_field).items():
        if history.get(key):
            median, size = statistics.median(history[key]), len(history[key])
            found.append(Against(key, cell.number, cell.sheet, cell.cell, median, size))
    return found


def _against(counted: list[Submission]) -> dict[int, list[Against]]:
    kept = KeptCells.of(counted)
    return dict(against_history(kept.rows(), kept.subs, range(len(counted))))


def _each(counted: list[Submission]) -> dict[int, list[Against]]:
    return {i: _expected(s, counted) for i, s in enumerate(counted) if s.meta.kind == KIND_UNIT}


values = st.dictionaries(
    st.sampled_from(VARIABLES), st.one_of(st.integers(0, 500).map(float), st.floats(0, 1e6))
)
shown = st.dictionaries(
    st.tuples(st.sampled_from(VARIABLES), st.integers(1, 4)),
    st.sampled_from(["", "5", "17", "x"]),
)
submission = st.tuples(
    st.sampled_from(["P", "Q"]), st.integers(2018, 2020), st.integers(1, 4), values, shown
)


@given(st.lists(submission, max_size=14, unique_by=lambda s: (s[0], s[1], s[2])))
def test_histories_equal_history_of_each(drawn: list[tuple]) -> None:  # type: ignore[type-arg]
    counted = [_sub(*d) for d in drawn]
    assert _against(counted) == _each(counted)


@given(
    st.lists(st.floats(0, 1e6), max_size=30).map(sorted),
    st.lists(st.floats(0, 1e6), max_size=4).map(sorted),
)
def test_median_of_a_sorted_list_and_a_few_more_is_statistics_median(
    ordered: list[float], extra: list[float]
) -> None:
    if ordered or extra:
        assert _median(ordered, extra) == statistics.median(ordered + extra)


def test_histories_on_the_example_inbox() -> None:
    """Prefilled TW II templates: earlier quarters come from the inbox and the template."""
    counted, seen = [], set()
    for path in sorted(EXAMPLE.glob("IKI_*.xlsx")):
        result = read_workbook(path)
        assert result.meta is not None
        key = (result.meta.unit_code, result.meta.period)
        if key not in seen:
            seen.add(key)
            counted.append(
                Submission(
                    path.name, result.meta, annotate(result.meta, result.cells, result.formulas)
                )
            )
    assert any(s.meta.quarter == 2 for s in counted)
    found = _against(counted)
    assert found == _each(counted)
    assert any(found.values())


@given(st.lists(submission, max_size=14, unique_by=lambda s: (s[0], s[1], s[2])))
def test_span_is_exactly_a_submissions_rows(drawn: list[tuple]) -> None:  # type: ignore[type-arg]
    kept = KeptCells.of([_sub(*d) for d in drawn])
    rows = kept.rows()
    for position in range(len(kept.subs)):
        mine = np.flatnonzero(rows.sub == position)
        first, last = rows.span(position)
        assert list(range(first, last)) == mine.tolist()
    assert rows.span(len(kept.subs) - 1)[1] == len(rows) if kept.subs else len(rows) == 0
