"""The decree's attachment as data: units, positions, variables, indicators, findings."""

from pipeline.catalogue.load import load_catalogue
from pipeline.catalogue.model import Catalogue, Finding, Indicator, Position, Unit, Variable

__all__ = ["Catalogue", "Finding", "Indicator", "Position", "Unit", "Variable", "load_catalogue"]
