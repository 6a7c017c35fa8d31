"""The committed LibreOffice fixtures are what tests/fixtures/make.py makes today."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.inbox.read import read_workbook
from tests.fixtures import make
from tests.libreoffice import requires_libreoffice


@pytest.mark.libreoffice
@requires_libreoffice
def test_the_script_makes_the_committed_fixtures(tmp_path: Path) -> None:
    expected = make.make(tmp_path)
    committed = json.loads((make.HERE / "expected.json").read_text(encoding="utf-8"))
    assert expected == committed
    for name in committed:
        fresh, kept = read_workbook(tmp_path / name), read_workbook(make.HERE / name)
        assert (fresh.cells, fresh.formulas) == (kept.cells, kept.formulas)
