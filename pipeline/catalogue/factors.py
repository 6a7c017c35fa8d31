"""Which unit writes the faktor pendorong, penghambat and tindak lanjut of each indicator.

A unit writes them for the indicators of its own positions, and for the indicators of the
positions that fill no template (the Sekretaris and the Kepala Bidang) whose first variable
(the numerator, the count) it reports: the unit that produced the number explains it.
So every indicator has exactly one writer.
"""

from __future__ import annotations

from pipeline.catalogue.model import Catalogue, Indicator


def factor_writer(catalogue: Catalogue, indicator: Indicator) -> str:
    """The unit that writes an indicator's factors."""
    unit = catalogue.position(indicator.position).unit
    if catalogue.unit(unit).reports:
        return unit
    return catalogue.variable(indicator.variables[0]).unit


def factor_indicators(catalogue: Catalogue, unit_code: str) -> tuple[Indicator, ...]:
    """Indicators whose factors a reporting unit writes, in the decree's order."""
    return tuple(i for i in catalogue.indicators if factor_writer(catalogue, i) == unit_code)
