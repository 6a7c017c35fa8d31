"""`histories` gives every counted submission what `history_of` gives it (sorted), in one pass."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from pipeline.contract import KIND_UNIT, TemplateMeta
from pipeline.contract import MappedCell as Cell
from pipeline.inbox.cells import annotate
from pipeline.inbox.read import read_workbook
from pipeline.merge.history import histories, history_of
from pipeline.submission import Submission

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


def _ascending(history: dict[str, list[float]]) -> dict[str, list[float]]:
    return {variable: sorted(values) for variable, values in history.items()}


values = st.dictionaries(st.sampled_from(VARIABLES), st.integers(0, 500).map(float))
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
    assert histories(counted) == [_ascending(history_of(s, counted)) for s in counted]


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
    found = histories(counted)
    assert found == [_ascending(history_of(s, counted)) for s in counted]
    assert any(found)
