"""Exit codes that tell the truth (issue 14): a crash is never "data problems" (exit 1).

0 clean, 1 data problems, 2 usage, 3 internal error (traceback in a log file), 4 an output
cannot be written, 130 Ctrl+C, 143 SIGTERM. The failures are raised by real code in
commands added to the real `iki` group for the test; nothing in the handler is replaced.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.errors import OutputError, UsageError

ROOT = Path(__file__).resolve().parents[1]


def _divide() -> None:
    print(1 / 0)


def _interrupt() -> None:
    raise KeyboardInterrupt


def _usage() -> None:
    raise UsageError("periode tidak dikenal")


def _output() -> None:
    raise OutputError("tidak dapat menulis laporan: disk penuh")


def _unreadable() -> None:
    Path("/proc/tidak-ada/berkas").read_text()


FAILURES: dict[str, Callable[[], None]] = {
    "bagi-nol": _divide,
    "ctrl-c": _interrupt,
    "salah-pakai": _usage,
    "keluaran": _output,
    "tak-terbaca": _unreadable,
}


@pytest.fixture(autouse=True)
def failing_commands(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Commands that fail in each way, added to `iki`; logs go to tmp/logs."""
    monkeypatch.setenv("IKI_LOG_DIR", str(tmp_path / "logs"))
    for name, callback in FAILURES.items():
        main.add_command(click.Command(name, callback=callback))
    yield
    for name in FAILURES:
        main.commands.pop(name)


def _logs(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "logs").glob("iki-galat-*.log"))


def test_internal_error_exit_3_short_message_traceback_in_log(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["bagi-nol"])
    assert result.exit_code == 3
    [log] = _logs(tmp_path)
    assert result.stderr.splitlines() == [
        "Galat internal: kesalahan program yang tidak terduga (ZeroDivisionError).",
        f"Rincian teknis disimpan di {log}; kirim berkas itu ke pengelola aplikasi.",
    ]
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text
    assert "ZeroDivisionError: division by zero" in text and "_divide" in text


def test_debug_shows_the_traceback_and_keeps_the_code(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["--debug", "bagi-nol"])
    assert result.exit_code == 3
    assert "Traceback (most recent call last)" in result.stderr
    assert "ZeroDivisionError: division by zero" in result.stderr
    usage = CliRunner().invoke(main, ["--debug", "salah-pakai"])
    assert usage.exit_code == 2 and "Traceback" in usage.stderr


def test_unwritable_log_folder_falls_back_to_the_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "bukan-folder").write_text("")
    monkeypatch.setenv("IKI_LOG_DIR", str(tmp_path / "bukan-folder"))
    result = CliRunner().invoke(main, ["bagi-nol"])
    assert result.exit_code == 3
    where = result.stderr.splitlines()[1].removeprefix("Rincian teknis disimpan di ").split(";")[0]
    log = Path(where)
    try:
        assert log.parent == Path(tempfile.gettempdir()) and "ZeroDivisionError" in log.read_text()
    finally:
        log.unlink()


@pytest.mark.parametrize(
    ("command", "code", "message"),
    [
        ("ctrl-c", 130, "Dihentikan dengan Ctrl+C; keluaran yang belum selesai dibuang."),
        ("salah-pakai", 2, "Galat: periode tidak dikenal"),
        ("keluaran", 4, "Galat: tidak dapat menulis laporan: disk penuh"),
    ],
)
def test_other_endings(command: str, code: int, message: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, [command])
    assert (result.exit_code, result.stderr.splitlines()) == (code, [message])
    assert _logs(tmp_path) == []


def test_an_os_failure_nobody_expected_names_the_file_in_indonesian(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["tak-terbaca"])
    assert result.exit_code == 4
    first = result.stderr.splitlines()[0]
    assert first == "Galat sistem berkas: folder atau berkas tidak ada (/proc/tidak-ada/berkas)."
    assert len(_logs(tmp_path)) == 1


def test_a_real_process_crash_exits_3(tmp_path: Path) -> None:
    code = (
        "import click; from pipeline.cli import main\n"
        "main.add_command(click.Command('meledak', callback=lambda: 1 / 0))\n"
        "main()"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "meledak"],
        capture_output=True,
        text=True,
        env={**os.environ, "IKI_LOG_DIR": str(tmp_path / "logs")},
        check=False,
    )
    assert done.returncode == 3
    assert "Traceback" not in done.stderr and len(_logs(tmp_path)) == 1


@pytest.mark.parametrize(
    ("code", "make_fails"), [(0, False), (1, False), (2, True), (3, True), (4, True)]
)
def test_make_report_fails_on_anything_but_clean_or_data_problems(
    code: int, make_fails: bool, tmp_path: Path
) -> None:
    """The Makefile's own rule, run by make, with an `iki` that exits with `code`."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "iki").write_text(f"#!/bin/sh\nexit {code}\n")
    (bin_dir / "iki").chmod(0o755)
    stamp = tmp_path / "installed"
    stamp.touch()  # newer than pyproject.toml: make does not reinstall the venv
    done = subprocess.run(
        ["make", "-s", "-C", str(ROOT), "report", f"BIN={bin_dir}", f"RUNTIME={stamp}"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode != 0) == make_fails, done.stderr
