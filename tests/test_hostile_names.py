"""Hostile names in the inbox: bytes that are not UTF-8, unit codes that are paths.

Issue 14: a file name that is not valid UTF-8 made `iki report` (xlsxwriter) and
`iki validate --feedback` fail; a `_meta` unit code `X/../../iki_lolos` made
`validate --feedback DIR` write outside DIR. Everything here runs the real commands on a
real inbox built from the project's own templates.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from pipeline.catalogue.model import Catalogue
from pipeline.cli import main
from pipeline.mail.manifest import ManifestEntry, write_manifest
from tests import corpus

PEN_NAME = os.fsdecode(b"pen_\xff\xfe.xlsx")  # counted file, name not UTF-8
IPK_NAME = os.fsdecode(b"ipk_\xe9.xlsx")  # Latin-1 e-acute: rejected file with a problem
PEN_SHOWN, IPK_SHOWN = "pen_\ufffd\ufffd.xlsx", "ipk_\ufffd.xlsx"
ESCAPES = ("X/../../iki_lolos", "../../../../../../tmp/iki_lolos_abs", "..", "CON")


def _tree(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


@pytest.fixture(scope="module")
def workspace(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tmp/inbox with the hostile files; tmp/out and tmp/a/b/umpan are where outputs go."""
    root = tmp_path_factory.mktemp("hostile")
    ts = corpus.make_templates(catalogue, root / "templates")
    inbox = root / "inbox"
    try:
        corpus.filled(ts, "PEN", inbox / PEN_NAME, catalogue)
    except (OSError, UnicodeError):
        pytest.skip("this file system cannot hold a name that is not UTF-8")
    corpus.filled(ts, "IPK", inbox / IPK_NAME, catalogue, **{"IPK.PENCAKER_BIMJAB|TW2": "=1+2"})
    entries = []
    for number, unit_code in enumerate(ESCAPES):
        path = corpus.fill(
            ts.units["KEU"],
            inbox / f"lolos_{number}.xlsx",
            corpus.good_values(ts.meta("KEU"), catalogue),
            edit=lambda book, code=unit_code: corpus.set_meta(book, "unit_code", code),
        )
        # A manifest is a file in the inbox like any other: it can be hostile too.
        sender = f"../{unit_code}@x.id\r\nBcc: korban@contoh.id"
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        entries.append(ManifestEntry(path.name, digest, sender, "", "IKI", ""))
    write_manifest(inbox, entries)
    return root


def _feedback_args(inbox: Path, feedback: Path) -> list[str]:
    """`iki validate` writing feedback for the quarter's deadline day."""
    folders = ["--inbox", str(inbox), "--feedback", str(feedback)]
    return ["validate", *folders, "--tanggal", "2018-07-04"]


def test_validate_feedback_never_writes_outside_its_folder(workspace: Path) -> None:
    feedback = workspace / "a" / "b" / "umpan"
    before = _tree(workspace)
    result = CliRunner().invoke(main, _feedback_args(workspace / "inbox", feedback))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    written = _tree(workspace) - before
    assert written == {"a", "a/b", "a/b/umpan"} | {
        f"a/b/umpan/{p.name}" for p in feedback.iterdir()
    }
    assert not Path("/tmp/iki_lolos_abs.txt").exists()
    names = sorted(p.name for p in feedback.iterdir())
    # Unknown units are named by their sender's address, reduced to letters, digits and '-'.
    assert names == sorted(
        [
            *(f"umpan_balik_IPK.{ext}" for ext in ("eml", "txt")),
            *(
                f"umpan_balik_tanpa-unit-{slug}.{ext}"
                for slug in (
                    "x-iki-lolos-x-id-bcc-korban-contoh-id",
                    "tmp-iki-lolos-abs-x-id-bcc-korban-contoh-id",
                    "x-id-bcc-korban-contoh-id",
                    "con-x-id-bcc-korban-contoh-id",
                )
                for ext in ("eml", "txt")
            ),
        ]
    )


def test_feedback_draft_has_no_injected_header(workspace: Path) -> None:
    feedback = workspace / "umpan_draf"
    CliRunner().invoke(main, _feedback_args(workspace / "inbox", feedback))
    drafts = sorted(feedback.glob("umpan_balik_tanpa-unit-*.eml"))
    assert len(drafts) == len(ESCAPES)
    for path in drafts:
        draft = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert draft["Bcc"] is None
        assert draft["To"] == ""  # a sender with CR LF is no address: the draft goes to no one


def test_undecodable_names_in_feedback_and_terminal(workspace: Path) -> None:
    """A real process with a UTF-8 terminal: the name shown with U+FFFD, never raw bytes."""
    feedback = workspace / "umpan_nama"
    iki = Path(sys.executable).with_name("iki")
    done = subprocess.run(
        [str(iki), *_feedback_args(Path("inbox"), feedback)],
        cwd=workspace,
        capture_output=True,
        env={**os.environ, "LC_ALL": "C.UTF-8"},
        check=False,
    )
    assert done.returncode == 1, done.stderr.decode(errors="replace")
    out = done.stdout.decode("utf-8")  # strict: no raw undecodable byte reached the terminal
    assert any(line.startswith(IPK_SHOWN) and "=1+2" in line for line in out.splitlines())
    text = (feedback / "umpan_balik_IPK.txt").read_text(encoding="utf-8")
    assert f"Berkas: {IPK_SHOWN} (waktu terima tidak diketahui)" in text


def test_undecodable_names_in_workbook_and_csv(workspace: Path) -> None:
    out = workspace / "out"
    result = CliRunner().invoke(
        main,
        ["report", "--inbox", str(workspace / "inbox"), "--period", "2018-TW2", "--out", str(out)],
    )
    assert result.exit_code == 1, result.output
    folder = out / "2018-TW2"
    book = openpyxl.load_workbook(folder / "Capaian_IKI_2018_TW2.xlsx", read_only=True)
    shown = {
        value
        for ws in book.worksheets
        for row in ws.iter_rows(values_only=True)
        for value in row
        if isinstance(value, str) and ("pen_" in value or "ipk_" in value)
    }
    assert PEN_SHOWN in shown and IPK_SHOWN in shown
    assert all(PEN_SHOWN in v or IPK_SHOWN in v for v in shown), shown
    problems = pd.read_csv(folder / "problems.csv", keep_default_na=False, encoding="utf-8")
    assert IPK_SHOWN in set(problems["file"])
    assert set(problems.loc[problems["file"] == IPK_SHOWN, "value"]) == {"'=1+2"}
