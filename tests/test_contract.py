"""The template contract round-trips through `_meta` rows and rejects malformed ones."""

from __future__ import annotations

import pytest

from pipeline.contract import ContractError, MappedCell, TemplateMeta, meta_rows, parse_meta
from pipeline.errors import UsageError
from pipeline.periods import Period


def _meta() -> TemplateMeta:
    return TemplateMeta(
        "unit",
        "1",
        "iki",
        "abc",
        2018,
        2,
        "PEN",
        "2026-11-28T00:00:00",
        (
            MappedCell("PEN.PENEMPATAN", "TW2", "Isian", "G7", True),
            MappedCell("PEN.PENEMPATAN", "TW1", "Isian", "F7", False, "12"),
        ),
    )


def test_round_trip() -> None:
    meta = _meta()
    assert parse_meta(meta_rows(meta)) == meta
    assert meta.cell_of("PEN.PENEMPATAN", "TW1") == MappedCell(
        "PEN.PENEMPATAN", "TW1", "Isian", "F7", False, "12"
    )
    assert [c.cell for c in meta.inputs()] == ["G7"]
    assert meta.period == Period(2018, 2)
    assert str(meta.period) == "2018-TW2"


def test_reader_values_are_forgiven() -> None:
    rows = [[v if v != "2018" else 2018.0 for v in row] for row in meta_rows(_meta())]
    assert parse_meta(rows).year == 2018


@pytest.mark.parametrize(
    "rows",
    [[], [["bukan meta"]], [["IKI_PIPELINE_META", ""], ["kind", "unit"]], meta_rows(_meta())[:10]],
)
def test_malformed(rows: list[list[str]]) -> None:
    with pytest.raises(ContractError):
        parse_meta(rows)


def test_periods() -> None:
    p = Period.parse(" 2018-tw2 ")
    assert str(p) == "2018-TW2" and p.label == "Triwulan II 2018" and p.slug == "2018_TW2"
    assert p.end.isoformat() == "2018-06-30"
    assert p.deadline().isoformat() == "2018-07-10"
    assert Period.parse("2018-TW4").end.isoformat() == "2018-12-31"
    assert p.previous_year() == Period(2017, 2)
    with pytest.raises(UsageError):
        Period.parse("2018-Q5")
