"""The bundled example inbox (what `make report` runs on) still tells its story.

It is made by `make example` from the current templates: when the catalogue or the template
contract changes, its files would turn into fatal `other-catalogue` or
`unknown-template-version` rejections, and `make report` would show an office that sent
nothing. This test fails first, saying to run `make example`.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from pipeline.catalogue.model import Catalogue
from pipeline.config import Config
from pipeline.problems import Severity
from pipeline.run.scan import scan_inbox
from pipeline.submission import FileStatus

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "inbox"


def test_example_inbox_is_current_and_tells_its_story(catalogue: Catalogue) -> None:
    scan = scan_inbox(EXAMPLE, catalogue, Config())
    fatal = [(f.path, p.code) for f in scan.files for p in f.problems if p.severity == "fatal"]
    assert fatal == [], "examples/inbox is stale: run `make example`"
    statuses = Counter(f.status for f in scan.files)
    assert statuses == {
        FileStatus.ACCEPTED: 30,  # targets and their July revision, 15 units in TW I, 13 in TW II
        FileStatus.SUPERSEDED: 1,  # UMP's first TW II file
        FileStatus.REJECTED: 1,  # PHI's '5 kasus'
        FileStatus.IGNORED: 1,  # the collect manifest
    }
    errors = [p.code for p in scan.problems if p.severity == Severity.ERROR]
    assert errors == ["number-with-unit"]

    # The Rencana Aksi: the murni for the whole year, a revision from TW III, and one
    # indicator with only its annual target.
    versions = scan.targets.drop_duplicates("version")
    assert list(zip(versions["file"], versions["effective_from"], strict=True)) == [
        ("Target_IKI_2018.xlsx", 1),
        ("Target_IKI_2018_perubahan_TW3.xlsx", 3),
    ]
    murni = scan.targets[scan.targets["version"] == 1].set_index("indicator")
    quarters = [f"target_tw{q}" for q in (1, 2, 3, 4)]
    assert murni.loc["IPK-KASI.1", quarters].isna().all()
    assert murni.drop(index="IPK-KASI.1")[quarters].notna().all().all()
