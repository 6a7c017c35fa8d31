"""iki.toml: defaults, named predikat schemes, and clear messages for a wrong file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.config import DEFAULT_SCHEME, Config, load_config
from pipeline.errors import UsageError
from pipeline.measure import PERMENDAGRI_86_2017, predikat


def _toml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "iki.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_without_a_file_the_default_is_permendagri_86_2017(tmp_path: Path) -> None:
    config = load_config(tmp_path / "iki.toml")
    assert config == Config()
    assert (config.band_scheme, config.bands) == (DEFAULT_SCHEME, PERMENDAGRI_86_2017)


def test_an_office_defines_and_chooses_a_named_scheme(tmp_path: Path) -> None:
    path = _toml(
        tmp_path,
        'deadline_days = 7\n[predikat]\nscheme = "kantor"\n'
        '[predikat.schemes.kantor]\nbands = [[80, "Baik"], [60.5, "Cukup"]]\n',
    )
    config = load_config(path)
    assert config.deadline_days == 7
    assert (config.band_scheme, config.bands) == ("kantor", ((80.0, "Baik"), (60.5, "Cukup")))
    assert [predikat(v, config.bands) for v in (80, 79.9, 60.5, 60.4)] == [
        "Baik",
        "Cukup",
        "Cukup",
        "Sangat Rendah",
    ]


def test_a_defined_scheme_is_not_used_unless_chosen(tmp_path: Path) -> None:
    path = _toml(tmp_path, '[predikat.schemes.kantor]\nbands = [[80, "Baik"]]\n')
    assert load_config(path).bands == PERMENDAGRI_86_2017


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('[predikat]\nscheme = "lain"\n', "tidak ada"),
        ('[predikat]\nbands = [[90, "Sangat Tinggi"]]\n', "tidak dipakai lagi"),
        ('[predikat.schemes.x]\nbands = [[60, "A"], [70, "B"]]\n', "menurun"),
        ('[predikat.schemes.x]\nbands = [["60", "A"]]\n', "bukan [batas"),
        ("[predikat.schemes.x]\nbands = []\n", "harus memuat"),
        ("[predikat\n", "tidak dapat dibaca"),
    ],
)
def test_a_wrong_file_is_a_usage_error_that_says_what(
    tmp_path: Path, text: str, words: str
) -> None:
    with pytest.raises(UsageError, match=re.escape(words)):
        load_config(_toml(tmp_path, text))
