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


def waktu(iso: str) -> str:
    """An ISO 8601 time stamp as '9 Juli 2018 10:15' (its own clock); the text if unreadable."""
    try:
        moment = dt.datetime.fromisoformat(iso.strip())
    except ValueError:
        return iso
    return f"{tanggal(moment.date())} {moment:%H:%M}"
