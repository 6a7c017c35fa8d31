"""Run real LibreOffice from tests: batched headless conversion with full recalculation.

    from tests.libreoffice import convert, requires_libreoffice

    @pytest.mark.libreoffice
    @requires_libreoffice
    def test_x(tmp_path): outputs = convert([a, b], "xlsx", tmp_path / "lo")

One soffice call converts many files (about 0.2 s a file plus ~2 s start-up), so batch them.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
BATCH = 200  # a call with ~1,000 files stopped silently after 248 (FACTS.md)

requires_libreoffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) tidak ada")

# OOXMLRecalcMode/ODFRecalcMode 0 = always recalculate on load: never trust cached values.
_REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc">
 <prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


class ConversionError(RuntimeError):
    """soffice failed or produced fewer files than it was given."""


def profile_dir() -> Path:
    """A private LibreOffice profile for this process, set to recalculate on load."""
    path = Path(tempfile.gettempdir()) / f"iki-lo-profile-{os.getuid()}-{os.getpid()}"
    registry = path / "user" / "registrymodifications.xcu"
    if not registry.exists():
        registry.parent.mkdir(parents=True, exist_ok=True)
        registry.write_text(_REGISTRY, encoding="utf-8")
        atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def convert(
    files: Sequence[Path], fmt: str, outdir: Path, infilter: str | None = None
) -> list[Path]:
    """Convert files with headless LibreOffice into outdir; return outputs in input order.

    fmt is what `--convert-to` takes: "xlsx", "pdf", or "xlsx:Calc MS Excel 2007 XML";
    infilter what `--infilter` takes (how to read the inputs, e.g. CSV options).
    Raises ConversionError when soffice fails or an output is missing.
    """
    if SOFFICE is None:
        raise ConversionError("soffice tidak ditemukan")
    if not files:
        return []
    outdir.mkdir(parents=True, exist_ok=True)
    extension = fmt.split(":", 1)[0]
    expected = [outdir / f"{Path(f).stem}.{extension}" for f in files]
    if len({p.name for p in expected}) != len(expected):
        raise ConversionError("dua berkas masukan akan menghasilkan nama keluaran yang sama")
    if any(Path(f).resolve().parent == outdir.resolve() for f in files):
        raise ConversionError("folder keluaran harus berbeda dari folder masukan")
    profile = profile_dir().resolve().as_uri()
    for start in range(0, len(files), BATCH):
        batch = [str(f) for f in files[start : start + BATCH]]
        command = [
            SOFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            *([f"--infilter={infilter}"] if infilter else []),
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            *batch,
        ]
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=120 + 2 * len(batch), check=False
        )
        if done.returncode != 0:
            raise ConversionError(f"soffice keluar dengan kode {done.returncode}: {done.stderr}")
    missing = [p.name for p in expected if not p.exists()]
    if missing:
        raise ConversionError(f"soffice tidak menghasilkan {len(missing)} berkas: {missing[:5]}")
    return expected
