"""Excel templates: one quarterly workbook per reporting unit and the yearly targets workbook."""

from __future__ import annotations

from pipeline.templates.generate import generate_templates, template_filename
from pipeline.templates.prefill import (
    baselines_from_values,
    prefill_from_values,
)
from pipeline.templates.targets import targets_filename, write_targets_template

__all__ = [
    "baselines_from_values",
    "generate_templates",
    "prefill_from_values",
    "targets_filename",
    "template_filename",
    "write_targets_template",
]
