"""Completeness of each reporting unit against the deadline."""

from __future__ import annotations

from pipeline.catalogue import load_catalogue
from pipeline.compute.completeness import completeness
from pipeline.periods import Period
from pipeline.submission import FileStatus
from tests.test_report_scenario import record

TW2 = Period(2018, 2)  # deadline 10 July 2018 with the default 10 days


def _status(files: list, unit: str) -> dict[str, object]:  # type: ignore[type-arg]
    frame = completeness(files, load_catalogue(), TW2, 10).set_index("unit")
    return {str(k): v for k, v in frame.loc[unit].items()}


def test_on_time_on_the_deadline_day_and_late_the_day_after() -> None:
    files = [
        record("a.xlsx", "PEN", "2018-TW2", FileStatus.ACCEPTED, "2018-07-10T23:59:00+07:00"),
        record("b.xlsx", "PKK", "2018-TW2", FileStatus.ACCEPTED, "2018-07-13T08:00:00+07:00"),
    ]
    assert _status(files, "PEN")["status"] == "on-time"
    late = _status(files, "PKK")
    assert (late["status"], late["days_late"], late["file"]) == ("late", 3, "b.xlsx")
    assert late["sender"] == "pkk@malangkab.go.id"
    assert late["deadline"] == "2018-07-10"


def test_missing_rejected_and_resubmitted() -> None:
    files = [
        record("r.xlsx", "PHI", "2018-TW2", FileStatus.REJECTED, "2018-07-02T08:00:00+07:00"),
        record("r1.xlsx", "SKU", "2018-TW2", FileStatus.REJECTED, "2018-07-02T08:00:00+07:00"),
        record("ok.xlsx", "SKU", "2018-TW2", FileStatus.ACCEPTED, "2018-07-05T08:00:00+07:00"),
        record("old.xlsx", "SKU", "2018-TW2", FileStatus.SUPERSEDED, "2018-07-04T08:00:00+07:00"),
        record("tw1.xlsx", "PMD", "2018-TW1", FileStatus.ACCEPTED, "2018-04-05T08:00:00+07:00"),
    ]
    assert _status(files, "PHI")["status"] == "rejected"
    assert _status(files, "PHI")["file"] == "r.xlsx"
    sku = _status(files, "SKU")
    assert (sku["status"], sku["file"], sku["superseded"], sku["rejected"]) == (
        "on-time",
        "ok.xlsx",
        1,
        1,
    )
    pmd = _status(files, "PMD")  # sent TW I only
    assert (pmd["status"], pmd["file"], pmd["received_at"]) == ("missing", "", "")


def test_every_reporting_unit_has_one_row_in_office_order() -> None:
    cat = load_catalogue()
    frame = completeness([], cat, TW2, 10)
    assert list(frame["unit"]) == [u.code for u in cat.reporting_units()]
    assert set(frame["status"]) == {"missing"}
