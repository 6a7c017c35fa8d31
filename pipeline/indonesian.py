"""Dates written the Indonesian way, shared by templates, feedback and the report."""

from __future__ import annotations

import datetime as dt

MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def tanggal(day: dt.date) -> str:
    """Date in Indonesian, e.g. '10 Juli 2018'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def hari_tanggal(day: dt.date) -> str:
    """Long date with the weekday, e.g. 'Selasa, 10 Juli 2018'."""
    return f"{DAYS[day.weekday()]}, {tanggal(day)}"


def waktu(moment: dt.datetime | str) -> str:
    """A time (or ISO 8601 text) as '9 Juli 2018 10:15' (its own clock); text if unreadable."""
    if isinstance(moment, str):
        try:
            moment = dt.datetime.fromisoformat(moment.strip())
        except ValueError:
            return str(moment)
    return f"{tanggal(moment.date())} {moment:%H:%M}"
