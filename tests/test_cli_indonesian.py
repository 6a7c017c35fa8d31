"""click's own messages in Indonesian: every one of them, the same words every time."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.cli.click_indonesian import MESSAGES, PLURALS
from tests.test_cli_help import COMMANDS

CLICK_SOURCE = Path(click.__file__).parent
ENGLISH = re.compile(
    r"Usage|Options|Commands|Show this|Show the|default:|required|\[OPTIONS\]|COMMAND|ARGS|"
    r"\bTEXT\b|INTEGER|\bFILE\b|DIRECTORY|\bPATH\b|RANGE|Error|Missing|Invalid|Try '"
)


def _click_messages() -> tuple[set[str], set[tuple[str, str]]]:
    """Every literal click passes to gettext and ngettext, read from its source."""
    singles: set[str] = set()
    plurals: set[tuple[str, str]] = set()
    for path in CLICK_SOURCE.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            texts = [a.value for a in node.args if isinstance(a, ast.Constant)]
            if node.func.id == "_" and texts and isinstance(texts[0], str):
                singles.add(texts[0])
            elif node.func.id == "ngettext" and len(texts) >= 2:
                plurals.add((texts[0], texts[1]))
    return singles, plurals


def _fields(text: str) -> set[str]:
    named = {f for _, f, _, _ in string.Formatter().parse(text) if f}
    return named | set(re.findall(r"%\((\w+)\)s", text))


def test_every_click_message_has_indonesian_words() -> None:
    singles, plurals = _click_messages()
    assert len(singles) > 50 and len(plurals) >= 6  # the source was really read
    assert sorted(singles - set(MESSAGES)) == []
    assert sorted(plurals - set(PLURALS)) == []


@pytest.mark.parametrize("english", sorted(MESSAGES))
def test_translations_keep_their_placeholders(english: str) -> None:
    assert _fields(MESSAGES[english]) == _fields(english)


@pytest.mark.parametrize("english", sorted(PLURALS))
def test_plural_translations_keep_their_placeholders(english: tuple[str, str]) -> None:
    one, more = PLURALS[english]
    assert _fields(one) <= _fields(english[0]) | _fields(english[1])
    assert _fields(more) == _fields(english[1])


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_pages_have_no_english(command: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*command, "--help"], prog_name="iki")
    assert result.exit_code == 0
    assert result.output.startswith(f"Cara pakai: iki {' '.join(command)} [OPSI]")
    assert "Tampilkan bantuan ini lalu keluar." in result.output
    assert ENGLISH.findall(result.output) == []


def test_main_help_and_version() -> None:
    result = CliRunner().invoke(main, ["--help"], prog_name="iki")
    assert result.output.startswith("Cara pakai: iki [OPSI] PERINTAH [ARG]...\n")
    assert "\nOpsi:\n" in result.output and "\nPerintah:\n" in result.output
    assert ENGLISH.findall(result.output) == []
    assert CliRunner().invoke(main, ["--version"], prog_name="iki").output == "iki, versi 0.1.0\n"


USAGE = "Cara pakai: iki {0} [OPSI]{1}\nCoba 'iki {0} --help' untuk bantuan.\n\n"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["report", "--jobs", "x"],
            USAGE.format("report", "")
            + "Galat: nilai tidak sah untuk '--jobs': 'x' bukan bilangan bulat yang sah.\n",
        ),
        (
            ["report", "--jobs", "0"],
            USAGE.format("report", "")
            + "Galat: nilai tidak sah untuk '--jobs': 0 di luar rentang x>=1.\n",
        ),
        (
            ["validate", "--format", "pdf"],
            USAGE.format("validate", "")
            + "Galat: nilai tidak sah untuk '--format': 'pdf' bukan salah satu dari 'table', "
            "'csv'.\n",
        ),
        (
            ["report", "--inbx", "kotak"],
            USAGE.format("report", "")
            + "Galat: opsi '--inbx' tidak ada. Mungkin maksud Anda '--inbox'?\n",
        ),
        (
            ["laporan"],
            "Cara pakai: iki [OPSI] PERINTAH [ARG]...\nCoba 'iki --help' untuk bantuan.\n\n"
            "Galat: perintah 'laporan' tidak ada.\n",
        ),
        (
            ["templates"],
            USAGE.format("templates", "") + "Galat: belum diisi: opsi '--period'.\n",
        ),
        (
            ["send"],
            USAGE.format("send", " FOLDER") + "Galat: belum diisi: argumen 'FOLDER'.\n",
        ),
        (
            ["send", "/tidak/ada"],
            USAGE.format("send", " FOLDER")
            + "Galat: nilai tidak sah untuk 'FOLDER': Folder '/tidak/ada' tidak ada.\n",
        ),
        (
            ["report", "lebih", "banyak"],
            USAGE.format("report", "")
            + "Galat: ada argumen lebih yang tidak dikenal: lebih banyak.\n",
        ),
        (["catalog", "export", "--format"], "Galat: opsi '--format' memerlukan nilai.\n"),
        (["--katalog"], "Galat: opsi '--katalog' memerlukan nilai.\n"),
    ],
)
def test_usage_errors_in_the_same_indonesian_words(args: list[str], expected: str) -> None:
    for _ in range(2):  # the same error, the same words
        result = CliRunner().invoke(main, args, prog_name="iki")
        assert (result.exit_code, result.output) == (2, expected)
