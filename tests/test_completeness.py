"""Completeness of each reporting unit against the deadline."""

from __future__ import annotations

from dataclasses import replace
from zoneinfo import ZoneInfo

from pipeline.catalogue import load_catalogue
from pipeline.compute.completeness import completeness
from pipeline.periods import Period
from pipeline.submission import FileStatus, Receipt
from tests.test_report_scenario import record

TW2 = Period(2018, 2)  # deadline 10 July 2018 with the default 10 days


WIB = ZoneInfo("Asia/Jakarta")


def _status(files: list, unit: str) -> dict[str, object]:  # type: ignore[type-arg]
    frame = completeness(files, load_catalogue(), TW2, 10, WIB).set_index("unit")
    return {str(k): v for k, v in frame.loc[unit].items()}


def test_on_time_on_the_deadline_day_and_late_the_day_after() -> None:
    files = [
        record("a.xlsx", "PEN", "2018-TW2", FileStatus.ACCEPTED, "2018-07-10T23:59:00+07:00"),
        record("b.xlsx", "PKK", "2018-TW2", FileStatus.ACCEPTED, "2018-07-13T08:00:00+07:00"),
        # 17:30 UTC on the 10th is 00:30 WIB on the 11th: late, whatever the mail's own zone.
        record("c.xlsx", "KEU", "2018-TW2", FileStatus.ACCEPTED, "2018-07-10T17:30:00+00:00"),
        # 23:00 on the 10th in Papua (WIT) is 21:00 WIB: on time.
        record("d.xlsx", "UMP", "2018-TW2", FileStatus.ACCEPTED, "2018-07-10T23:00:00+09:00"),
    ]
    assert _status(files, "PEN")["status"] == "on-time"
    assert (_status(files, "KEU")["status"], _status(files, "KEU")["days_late"]) == ("late", 1)
    assert _status(files, "UMP")["status"] == "on-time"
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
    frame = completeness([], cat, TW2, 10, WIB)
    assert list(frame["unit"]) == [u.code for u in cat.reporting_units()]
    assert set(frame["status"]) == {"missing"}


def test_a_file_saved_by_hand_is_counted_but_neither_on_time_nor_late() -> None:
    kept = record("x.xlsx", "PEN", "2018-TW2", FileStatus.ACCEPTED, "2018-07-01")
    unknown = replace(kept, received_at=None, received_source=Receipt.UNKNOWN)
    row = _status([unknown], "PEN")
    assert (row["status"], row["received_at"], row["file"]) == ("no-time", "", "x.xlsx")
