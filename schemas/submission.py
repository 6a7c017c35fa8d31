"""pandera schemas of submitted cells, validated for ALL submissions at once (lazy).

Each row is one mapped cell of one submission, on a flat integer index, so every failure
maps straight back to its file, sheet and cell. Each check is named by the problem code
it raises (see pipeline/problems/codes.py for the Indonesian messages).

INPUTS: the cells a unit fills (current quarter) or Renvapor fills (targets workbook).
    kind      'empty', 'number', or the code of what was found instead of a number
              (text such as '1.234', '12 orang', a date, a formula)
    number    the value when kind is 'number', else NaN
    minimum, maksimum   bounds from the catalogue (NaN: none)
    required  the cell must not be empty, unless `noted` (the unit wrote in the remarks
              cell why the number is missing: accepted with a warning)
    whole     the value must be a whole number
LOCKED: cells shown but locked (variable codes, earlier quarters, targets); `code` is the
    problem a change would be, `same` whether the cell still holds its expected value.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pandera.pandas as pa

# Codes of what may stand in an input cell instead of a number (kind column).
KIND_CODES = (
    "thousand-separator",
    "decimal-comma",
    "number-with-unit",
    "text-for-zero",
    "date-in-number-cell",
    "not-a-number",
    "formula-in-input",
)
LOCKED_CODES = (
    "variable-code-changed",
    "earlier-quarter-changed",
    "later-quarter-filled",
    "target-changed",
    "locked-cell-changed",
)


def _is_not(code: str) -> Callable[[pd.Series], pd.Series]:
    return lambda kind: kind != code


def _locked_unchanged(code: str) -> Callable[[pd.DataFrame], pd.Series]:
    return lambda df: ~((df["code"] == code) & ~df["same"])


INPUTS = pa.DataFrameSchema(
    {
        "kind": pa.Column(str, [pa.Check(_is_not(code), name=code) for code in KIND_CODES]),
        "number": pa.Column(float, nullable=True),
        "minimum": pa.Column(float, nullable=True),
        "maksimum": pa.Column(float, nullable=True),
        "required": pa.Column(bool),
        "noted": pa.Column(bool),
        "whole": pa.Column(bool),
    },
    checks=[
        pa.Check(
            lambda df: ~(df["required"] & (df["kind"] == "empty") & ~df["noted"]),
            name="required-missing",
        ),
        pa.Check(
            lambda df: ~(df["required"] & (df["kind"] == "empty") & df["noted"]),
            name="missing-explained",
        ),
        pa.Check(lambda df: ~((df["minimum"] >= 0) & (df["number"] < 0)), name="negative-number"),
        pa.Check(
            lambda df: ~((df["number"] >= 0) & (df["number"] < df["minimum"])),
            name="below-minimum",
        ),
        pa.Check(lambda df: ~(df["number"] > df["maksimum"]), name="above-maximum"),
        pa.Check(
            lambda df: ~(df["whole"] & df["number"].notna() & (df["number"] % 1 != 0)),
            name="not-whole-number",
        ),
    ],
    name="submission-inputs",
    strict=False,
)

LOCKED = pa.DataFrameSchema(
    {
        "code": pa.Column(str, pa.Check.isin(LOCKED_CODES)),
        "same": pa.Column(bool),
    },
    checks=[pa.Check(_locked_unchanged(code), name=code) for code in LOCKED_CODES],
    name="submission-locked",
    strict=False,
)
