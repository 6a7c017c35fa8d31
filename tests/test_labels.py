"""Every problem code and finding kind has an Indonesian name for the sheets people read."""

from __future__ import annotations

from pipeline.catalogue.model import Catalogue
from pipeline.problems import CODES
from pipeline.problems.labels import FINDING_LABELS, LABELS, SOURCE_LABELS


def test_every_problem_code_has_a_label() -> None:
    assert set(LABELS) == set(CODES)
    assert all(label and "-" not in label for label in LABELS.values())


def test_every_finding_kind_and_source_has_a_label(catalogue: Catalogue) -> None:
    assert {f.code for f in catalogue.findings} <= set(FINDING_LABELS)
    assert {f.sumber for f in catalogue.findings} <= set(SOURCE_LABELS)
