"""Problem codes: stable kebab-case, each with a message, each documented, each reachable."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.problems import CODES, Severity, problem
from schemas.submission import INPUTS, KIND_CODES, LOCKED, LOCKED_CODES

DOC = Path(__file__).resolve().parents[1] / "docs" / "validation.md"


def test_codes_are_kebab_case_and_documented() -> None:
    documented = set(re.findall(r"^\| `([a-z-]+)` \|", DOC.read_text(encoding="utf-8"), re.M))
    assert documented == set(CODES)
    assert all(re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", code) for code in CODES)


def test_every_schema_check_is_a_code() -> None:
    names = {c.name for c in INPUTS.checks} | {c.name for c in LOCKED.checks}
    names |= {c.name for col in INPUTS.columns.values() for c in col.checks}
    assert set(KIND_CODES) | set(LOCKED_CODES) <= names
    assert names - {"isin"} <= set(CODES)


def test_problem_fills_message_and_location() -> None:
    found = problem("above-maximum", value=40.0, limit=33.0, sheet="Isian", cell="H10", key="X")
    assert (found.severity, found.sheet, found.cell, found.value) == (
        Severity.ERROR,
        "Isian",
        "H10",
        "40",
    )
    assert found.message.startswith("Nilai 40 melebihi batas maksimum 33.")
    assert found.extra["key"] == "X"
    assert "?" in problem("zip-bomb").message  # a missing detail shows, never crashes
