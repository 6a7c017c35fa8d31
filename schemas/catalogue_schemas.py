"""pandera schemas for the catalogue's tables, checked every time the catalogue loads."""

from __future__ import annotations

import pandera.pandas as pa

from schemas.vocabulary import (
    AGGREGATIONS,
    CALCULATIONS,
    KINDS,
    LEVELS,
    POLARITIES,
    UNIT_KINDS,
)

_UNIT_CODE = r"^[A-Z]{2,4}$"
_POSITION_CODE = r"^[A-Z]{2,4}(-[A-Z]+)?$"
_VARIABLE_CODE = r"^[A-Z]{2,4}\.[A-Z0-9_]+$"
_INDICATOR_CODE = r"^[A-Z]{2,4}(-[A-Z]+)?\.[0-9]+$"


def _code(pattern: str) -> pa.Column:
    return pa.Column(
        str,
        [pa.Check.str_matches(pattern, error=f"kode harus cocok dengan pola {pattern}")],
        unique=True,
        nullable=False,
    )


def _text() -> pa.Column:
    return pa.Column(str, pa.Check.str_length(min_value=1, error="teks tidak boleh kosong"))


UNITS = pa.DataFrameSchema(
    {
        "code": _code(_UNIT_CODE),
        "nama": _text(),
        "jenis": pa.Column(str, pa.Check.isin(UNIT_KINDS)),
        "induk": pa.Column(str, nullable=True),
    },
    name="unit",
    strict=True,
)

POSITIONS = pa.DataFrameSchema(
    {
        "code": _code(_POSITION_CODE),
        "jabatan": _text(),
        "nama": _text(),
        "unit": _text(),
        "level": pa.Column(str, pa.Check.isin(LEVELS)),
    },
    name="jabatan",
    strict=True,
)

VARIABLES = pa.DataFrameSchema(
    {
        "code": _code(_VARIABLE_CODE),
        "unit": _text(),
        "label": _text(),
        "satuan": _text(),
        "agregasi": pa.Column(str, pa.Check.isin(AGGREGATIONS)),
        "minimum": pa.Column(int, pa.Check.ge(0, error="batas bawah tidak boleh negatif")),
        "maksimum": pa.Column(float, pa.Check.gt(0), nullable=True),
    },
    checks=[
        pa.Check(
            lambda df: df["maksimum"].isna() | (df["maksimum"] > df["minimum"]),
            error="batas atas harus di atas batas bawah",
        )
    ],
    name="variabel",
    strict=False,
)

INDICATORS = pa.DataFrameSchema(
    {
        "code": _code(_INDICATOR_CODE),
        "position": _text(),
        "kind": pa.Column(str, pa.Check.isin(KINDS)),
        "factor": pa.Column(float, pa.Check.gt(0)),
        "polaritas": pa.Column(str, pa.Check.isin(POLARITIES)),
        # '' takes the default from kind and aggregation (model.default_perhitungan).
        "perhitungan": pa.Column(str, pa.Check.isin(("", *CALCULATIONS))),
        "bagian": pa.Column(bool),
    },
    name="indikator",
    strict=False,
)
