"""pandera schemas of the frames passed between stages: values, targets, results."""

from __future__ import annotations

import pandera.pandas as pa

from pipeline.measure import PERHITUNGAN


def _quarter() -> pa.Column:
    """A quarter number, 1 to 4."""
    return pa.Column(int, pa.Check.isin([1, 2, 3, 4]))


def _source() -> dict[str, pa.Column]:
    """Where a row's value was read: file, sheet and cell (each schema gets its own columns)."""
    return {"file": pa.Column(str), "sheet": pa.Column(str), "cell": pa.Column(str)}


# One reported number per row: the tidy long table everything is computed from.
# `value` is NaN when the cell was empty (missing is not zero). Each row names its source.
VALUES = pa.DataFrameSchema(
    {
        "unit": pa.Column(str),
        "year": pa.Column(int),
        "quarter": _quarter(),
        "variable": pa.Column(str),
        "value": pa.Column(float, pa.Check.ge(0), nullable=True),
        **_source(),
        "received_at": pa.Column(str),
    },
    unique=["unit", "year", "quarter", "variable"],
    name="values",
    strict=False,
    coerce=True,
)

# A unit's remark (the `note` cell of a variable's row in Isian) in a counted submission,
# written as text wherever it is shown. Only rows whose remark holds text.
NOTES = pa.DataFrameSchema(
    {
        "unit": pa.Column(str),
        "year": pa.Column(int),
        "quarter": _quarter(),
        "variable": pa.Column(str),
        "note": pa.Column(str),
        **_source(),
    },
    unique=["unit", "year", "quarter", "variable"],
    name="notes",
    strict=False,
    coerce=True,
)

# The Rencana Aksi: one row per indicator of every counted targets workbook (a version),
# numbered 1, 2, ... per year in the order received; `effective_from` is the workbook's
# Berlaku mulai quarter. Numbers are NaN when empty; `perhitungan` / `polaritas` are the
# words chosen in the workbook, '' when none (the catalogue's then apply). `target_cell`
# and `cell_tw1`..`cell_tw4` are the cells of the annual and quarterly targets on `sheet`.
# (The quarterly baselines of growth indicators are last year's values: they become rows of
# VALUES, see pipeline.baseline_values.)
TARGETS = pa.DataFrameSchema(
    {
        "indicator": pa.Column(str),
        "year": pa.Column(int),
        "version": pa.Column(int, pa.Check.ge(1)),
        "effective_from": _quarter(),
        "target": pa.Column(float, nullable=True),
        "target_tw1": pa.Column(float, nullable=True),
        "target_tw2": pa.Column(float, nullable=True),
        "target_tw3": pa.Column(float, nullable=True),
        "target_tw4": pa.Column(float, nullable=True),
        "perhitungan": pa.Column(str, pa.Check.isin(["", *PERHITUNGAN])),
        "polaritas": pa.Column(str, pa.Check.isin(["", "positif", "negatif"])),
        "file": pa.Column(str),
        "sheet": pa.Column(str),
        "target_cell": pa.Column(str),
        "cell_tw1": pa.Column(str),
        "cell_tw2": pa.Column(str),
        "cell_tw3": pa.Column(str),
        "cell_tw4": pa.Column(str),
        "received_at": pa.Column(str),
    },
    unique=["indicator", "year", "version"],
    name="targets",
    strict=False,
    coerce=True,
)

# A value that changed: a later file supplied another number for a unit, quarter and
# variable than an earlier file had (a resubmission, a back-filled quarter, a correction of
# a closed quarter). `status`: 'counted' (the value in force), 'replaced' (a later change
# replaced it), 'after-close' (its quarter was closed: listed, not counted until reopened).
REVISIONS = pa.DataFrameSchema(
    {
        "unit": pa.Column(str),
        "year": pa.Column(int),
        "quarter": _quarter(),
        "variable": pa.Column(str),
        "old_value": pa.Column(float),
        "value": pa.Column(float),
        "old_file": pa.Column(str),
        "old_cell": pa.Column(str),
        **_source(),
        "received_at": pa.Column(str),
        "status": pa.Column(str, pa.Check.isin(["counted", "replaced", "after-close"])),
    },
    name="revisions",
    strict=False,
    coerce=True,
)

# The free texts of the counted unit files (sheet Faktor): one row per indicator and field
# (`driver` faktor pendorong, `obstacle` faktor penghambat, `follow_up` tindak lanjut) that
# holds text, for the quarter of the file; `unit` is the unit that wrote it. Always text.
FACTORS = pa.DataFrameSchema(
    {
        "unit": pa.Column(str),
        "year": pa.Column(int),
        "quarter": _quarter(),
        "indicator": pa.Column(str),
        "field": pa.Column(str, pa.Check.isin(["driver", "obstacle", "follow_up"])),
        "text": pa.Column(str),
        **_source(),
    },
    unique=["year", "quarter", "indicator", "field"],
    name="factors",
    strict=False,
    coerce=True,
)

# The roster of every counted targets workbook (sheet Pegawai), numbered like TARGETS'
# versions: one row per cell that holds text. `key` is a position code, `head` (the Kepala
# Dinas) or `workbook` (field `place`, the place of signing); `field` name / nip / rank.
ROSTER = pa.DataFrameSchema(
    {
        "year": pa.Column(int),
        "version": pa.Column(int, pa.Check.ge(1)),
        "effective_from": _quarter(),
        "key": pa.Column(str),
        "field": pa.Column(str, pa.Check.isin(["name", "nip", "rank", "place"])),
        "text": pa.Column(str),
        **_source(),
    },
    unique=["year", "version", "key", "field"],
    name="roster",
    strict=False,
    coerce=True,
)
