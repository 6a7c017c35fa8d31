"""`iki terima`: a file received by hand gets the receipt time Renvapor records."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from pipeline.catalogue.model import Catalogue
from pipeline.cli import main
from pipeline.config import Config
from pipeline.run.scan import scan_inbox
from pipeline.submission import Receipt
from tests import corpus


def test_a_hand_saved_file_gets_its_time_and_a_new_one_is_copied_in(
    catalogue: Catalogue, tmp_path: Path
) -> None:
    ts = corpus.make_templates(catalogue, tmp_path / "t")
    inbox = tmp_path / "inbox"
    saved = corpus.filled(ts, "PEN", inbox / "pen.xlsx", catalogue)  # saved by hand
    flash = corpus.filled(ts, "PKK", tmp_path / "flashdisk" / "pkk.xlsx", catalogue)
    (record,) = scan_inbox(inbox, catalogue, Config()).files
    assert (record.received_at, record.received_source) == (None, Receipt.UNKNOWN)
    runner = CliRunner()
    args = ["terima", str(saved), "--diterima", "2018-07-09 10:15", "--inbox", str(inbox)]
    done = runner.invoke(main, args)
    assert done.exit_code == 0, done.output
    assert done.output == "pen.xlsx: dicatat, diterima 9 Juli 2018 10:15\n"
    args = ["terima", str(flash), "--diterima", "2018-07-12", "--pengirim", "Pak Budi"]
    done = runner.invoke(main, [*args, "--inbox", str(inbox)])
    assert done.exit_code == 0 and "pkk.xlsx: disimpan" in done.output
    again = runner.invoke(main, [*args, "--inbox", str(inbox)])
    assert "isinya sudah ada sebagai pkk.xlsx" in again.output
    times = {
        f.path: (f.received_at.isoformat() if f.received_at else None)
        for f in scan_inbox(inbox, catalogue, Config()).files
        if f.path != "manifest.csv"
    }
    assert times == {
        "pen.xlsx": "2018-07-09T10:15:00+07:00",
        "pkk.xlsx": "2018-07-12T00:00:00+07:00",
    }
    bad = runner.invoke(main, ["terima", str(flash), "--diterima", "kemarin"])
    assert bad.exit_code == 2 and "tidak dikenal" in bad.output
