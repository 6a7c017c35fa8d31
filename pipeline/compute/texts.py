"""The free texts a period's forms print: who holds each position, and each indicator's factors.

The roster in force for a period comes from the targets workbooks of its year, like the
targets: among the versions whose Berlaku mulai is the period's quarter or earlier, the
latest received one that holds a roster (a workbook made before the roster existed holds
none, and leaves the earlier roster in force). The factors of an indicator are those of the
period's own quarter, written by the unit that writes them (`catalogue.factors`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from pipeline.contract import (
    FACTOR_FIELDS,
    HEAD_KEY,
    NAME_FIELD,
    NIP_FIELD,
    PLACE_FIELD,
    RANK_FIELD,
    WORKBOOK_KEY,
)
from pipeline.periods import Period


@dataclass(frozen=True)
class Holder:
    """The person holding a position (or the head of office), as the roster says."""

    name: str = ""
    nip: str = ""
    rank: str = ""
    source: str = ""  # file and cell of the name, e.g. 'Target_IKI_2018.xlsx Pegawai!E9'


@dataclass(frozen=True)
class Roster:
    """Who holds each position in a period, and where the forms are signed."""

    holders: dict[str, Holder] = field(default_factory=dict)  # position code or 'head'
    place: str = ""
    place_source: str = ""

    def of(self, key: str) -> Holder:
        """The holder of a position (`head`: the Kepala Dinas); empty when none is known."""
        return self.holders.get(key, Holder())

    @property
    def head(self) -> Holder:
        """The Kepala Dinas."""
        return self.of(HEAD_KEY)


def roster_in_effect(roster: pd.DataFrame, period: Period) -> Roster:
    """The roster a period's forms print (see the module docstring)."""
    if roster.empty:
        return Roster()
    rows = roster[(roster["year"] == period.year) & (roster["effective_from"] <= period.quarter)]
    if rows.empty:
        return Roster()
    latest = rows[rows["version"] == rows["version"].max()]
    texts: dict[tuple[str, str], tuple[str, str]] = {
        (str(r["key"]), str(r["field"])): (str(r["text"]), f"{r['file']} {r['sheet']}!{r['cell']}")
        for r in latest.to_dict("records")
    }
    keys = {key for key, _ in texts if key != WORKBOOK_KEY}
    holders = {}
    for key in sorted(keys):
        name, source = texts.get((key, NAME_FIELD), ("", ""))
        holders[key] = Holder(
            name=name,
            nip=texts.get((key, NIP_FIELD), ("", ""))[0],
            rank=texts.get((key, RANK_FIELD), ("", ""))[0],
            source=source,
        )
    place, place_source = texts.get((WORKBOOK_KEY, PLACE_FIELD), ("", ""))
    return Roster(holders, place, place_source)


@dataclass(frozen=True)
class Factors:
    """An indicator's faktor pendorong, penghambat and tindak lanjut for one quarter."""

    texts: dict[str, str] = field(default_factory=dict)  # contract field -> text
    sources: dict[str, str] = field(default_factory=dict)  # contract field -> file!cell

    def text(self, name: str) -> str:
        """The text of a field ('' when the unit wrote none)."""
        return self.texts.get(name, "")

    def __bool__(self) -> bool:
        return any(self.texts.values())


def factors_of(factors: pd.DataFrame, period: Period) -> dict[str, Factors]:
    """Indicator -> its factors written for the period's quarter (only indicators with any)."""
    if factors.empty:
        return {}
    rows = factors[(factors["year"] == period.year) & (factors["quarter"] == period.quarter)]
    found: dict[str, Factors] = {}
    for r in rows.to_dict("records"):
        entry = found.setdefault(str(r["indicator"]), Factors({}, {}))
        name = str(r["field"])
        if name in FACTOR_FIELDS:
            entry.texts[name] = str(r["text"])
            entry.sources[name] = f"{r['file']} {r['sheet']}!{r['cell']}"
    return found


__all__ = ["HEAD_KEY", "Factors", "Holder", "Roster", "factors_of", "roster_in_effect"]
