"""The catalogue's closed vocabularies, shared by its model and its pandera schemas."""

from __future__ import annotations

KINDS = ("count", "ratio", "growth", "difference")
# Which variable roles each kind of indicator needs, in formula order.
ROLES: dict[str, tuple[str, ...]] = {
    "count": ("variable",),
    "ratio": ("numerator", "denominator"),
    "growth": ("variable",),
    "difference": ("minuend", "subtrahend"),
}
AGGREGATIONS = ("sum", "last")
UNIT_KINDS = ("sekretariat", "bidang", "sub_bagian", "seksi")
REPORTING_UNIT_KINDS = ("sub_bagian", "seksi")
LEVELS = ("sekretaris", "kepala_bidang", "kepala_sub_bagian", "kepala_seksi", "pelaksana")
POLARITIES = ("positif", "negatif")
# How quarterly targets build the target to date (pipeline.measure.target_to_date).
CALCULATIONS = ("kumulatif", "nilai-akhir")
