"""Compute indicators and roll-ups for a period from the values and targets frames."""

from pipeline.compute.indicators import compute_indicators

__all__ = ["compute_indicators"]
