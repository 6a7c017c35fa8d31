"""What a target of an indicator may be: one rule for the targets workbook and its check."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.catalogue.model import Catalogue, Indicator


@dataclass(frozen=True)
class TargetBounds:
    """Inclusive bounds of a target, whether it must be whole, and the rule in words."""

    minimum: float
    maximum: float | None
    whole: bool
    words: str  # Indonesian, e.g. 'bilangan bulat 0 sampai 33'


def target_bounds(indicator: Indicator, catalogue: Catalogue) -> TargetBounds:
    """Bounds of an indicator's targets (annual and quarterly alike).

    Growth: at least -100 (%). A percentage of a part of a whole: 0 to 100. Other
    percentages: 0 or more. Counts and differences: whole numbers, 0 or more, at most the
    variable's maximum for a count of a stock (33 kecamatan).
    """
    if indicator.kind == "growth":
        return TargetBounds(-100.0, None, False, "-100 atau lebih")
    if indicator.satuan == "%" and indicator.bagian:
        return TargetBounds(0.0, 100.0, False, "0 sampai 100 (boleh desimal)")
    if indicator.satuan == "%":
        return TargetBounds(0.0, None, False, "0 atau lebih")
    top = _stock_maximum(indicator, catalogue)
    if top is None:
        return TargetBounds(0.0, None, True, "bilangan bulat 0 atau lebih")
    return TargetBounds(0.0, float(top), True, f"bilangan bulat 0 sampai {top}")


def _stock_maximum(indicator: Indicator, catalogue: Catalogue) -> int | None:
    if indicator.kind != "count":
        return None
    variable = catalogue.variable(indicator.variables[0])
    return variable.maksimum if variable.agregasi == "last" else None
