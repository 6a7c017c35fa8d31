"""The wheel installs without the development tools and runs the example report anywhere."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("pyproject.toml", "README.md", "pipeline", "schemas", "examples")
DEV_TOOLS = {"pytest", "hypothesis", "ruff", "mypy", "aiosmtpd", "pandas-stubs", "types-pyyaml"}

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="paths of a POSIX venv")


def _run(command: list[str | Path], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [str(c) for c in command], capture_output=True, text=True, **kwargs
    )


def _wheel(tmp_path: Path) -> Path:
    """Build from a copy of the sources, so the build leaves nothing in the repository."""
    source = tmp_path / "source"
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            source.mkdir(exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    built = _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp_path / "dist", source]
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp_path / "dist").glob("iki_pipeline-*.whl")
    return wheel


def test_wheel_without_dev_tools_runs_the_example_report_outside_the_repository(
    tmp_path: Path,
) -> None:
    wheel = _wheel(tmp_path)
    venv = tmp_path / "venv"
    assert _run([sys.executable, "-m", "venv", "--without-pip", venv]).returncode == 0
    pip = [sys.executable, "-m", "pip", "--python", venv / "bin" / "python"]
    installed = _run([*pip, "install", "--no-compile", "-q", wheel])
    assert installed.returncode == 0, installed.stderr
    listed = _run([*pip, "list", "--format", "json"])
    names = {p["name"].lower() for p in json.loads(listed.stdout)}
    assert {"iki-pipeline", "pandas", "click", "openpyxl", "xlsxwriter"} <= names
    assert names & DEV_TOOLS == set()

    office = tmp_path / "kantor"  # an empty folder far from the repository
    office.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    report = _run(
        [venv / "bin" / "iki", "report", "--contoh", "--out", "keluaran"], cwd=office, env=env
    )
    assert report.returncode == 1, report.stderr  # the example keeps a rejected file open
    assert report.stdout.startswith("Laporan Triwulan II 2018: 15 unit pelapor; 14 mengirim")
    assert (office / "keluaran" / "2018-TW2" / "Capaian_IKI_2018_TW2.xlsx").stat().st_size > 10_000
    assert sorted(p.name for p in office.iterdir()) == ["keluaran"]
    where = _run(
        [venv / "bin" / "python", "-c", "import pipeline; print(pipeline.__file__)"], cwd=office
    )
    assert Path(where.stdout.strip()).is_relative_to(venv)
