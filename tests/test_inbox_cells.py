"""How raw cells are understood: numbers, empties, and Indonesian text that is not a number."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.inbox.cells import classify, show
from pipeline.submission import EMPTY, NUMBER
from pipeline.validate.cells import same_value


@pytest.mark.parametrize(
    ("raw", "kind", "number", "hint"),
    [
        (None, EMPTY, None, ""),
        ("  ", EMPTY, None, ""),
        (12.0, NUMBER, 12.0, ""),
        (7, NUMBER, 7.0, ""),
        ("12", NUMBER, 12.0, ""),
        ("-3", NUMBER, -3.0, ""),
        ("+12", NUMBER, 12.0, ""),
        (" 0012\n", NUMBER, 12.0, ""),  # spaces, tabs and line breaks: the live sheet reads it
        ("\t7\r\n", NUMBER, 7.0, ""),
        ("\u00a0129", "not-a-number", None, ""),  # a no-break space the live sheet cannot see
        ("\u0661\u0662", "not-a-number", None, ""),  # digits, but not ones Excel reads
        ("1.234", "thousand-separator", None, "1234"),
        ("12.345.678", "thousand-separator", None, "12345678"),
        ("12,5", "decimal-comma", None, "12"),
        ("1.234,5", "decimal-comma", None, "1234"),
        ("1,234", "decimal-comma", None, "1"),
        ("12 orang", "number-with-unit", None, "12"),
        ("12orang", "number-with-unit", None, "12"),
        ("1.200 dokumen", "number-with-unit", None, "angkanya saja"),
        ("-", "text-for-zero", None, ""),
        ("Nihil", "text-for-zero", None, ""),
        ("tidak ada", "text-for-zero", None, ""),
        ("banyak", "not-a-number", None, ""),
        ("12.5", "not-a-number", None, ""),
        (True, "not-a-number", None, ""),
        (float("nan"), "not-a-number", None, ""),
        (dt.date(2018, 1, 2), "date-in-number-cell", None, ""),
        (dt.datetime(2018, 1, 2, 3, 4), "date-in-number-cell", None, ""),
    ],
)
def test_classify(raw: object, kind: str, number: float | None, hint: str) -> None:
    reading = classify(raw)  # type: ignore[arg-type]
    assert (reading.kind, reading.number, reading.hint) == (kind, number, hint)


def test_locked_values_compare_as_numbers() -> None:
    assert show(12.0) == "12"
    assert show(None) == ""
    assert same_value("12", "12.0")
    assert not same_value("13", "12")
    assert not same_value("SKU.X", "SKU.Y")
    assert same_value("", "")
