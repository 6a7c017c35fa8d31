"""Typed, immutable records of the catalogue and the queries the pipeline asks of it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from pipeline.measure import KUMULATIF, NILAI_AKHIR
from schemas.vocabulary import (
    REPORTING_UNIT_KINDS,
)

KIND_LABELS = {
    "count": "Jumlah",
    "ratio": "Persentase",
    "growth": "Pertumbuhan",
    "difference": "Selisih",
}


@dataclass(frozen=True)
class Unit:
    """An organisational unit: Sekretariat or a Bidang, or a sub-bagian or seksi below one."""

    code: str
    nama: str
    jenis: str
    induk: str | None

    @property
    def reports(self) -> bool:
        """Whether the unit fills a template of its own."""
        return self.jenis in REPORTING_UNIT_KINDS


@dataclass(frozen=True)
class Variable:
    """A raw number one unit reports each quarter."""

    code: str
    unit: str
    label: str
    satuan: str
    agregasi: str
    minimum: int = 0
    maksimum: int | None = None
    catatan: str = ""


@dataclass(frozen=True)
class Indicator:
    """One row of the decree's table, with its normalised computation."""

    code: str
    position: str
    order: int
    kind: str
    kinerja: str
    indikator: str
    formula: str
    sumber_data: str
    inputs: tuple[tuple[str, str], ...]  # (role, variable code), in ROLES order
    factor: float
    satuan: str
    polaritas: str = "positif"
    bagian: bool = False
    nama: str = ""
    perhitungan: str = ""  # kumulatif | nilai-akhir; '' takes default_perhitungan

    def var(self, role: str) -> str:
        """Variable code playing the given role (numerator, denominator, ...)."""
        return dict(self.inputs)[role]

    @property
    def variables(self) -> tuple[str, ...]:
        """Variable codes used, in formula order."""
        return tuple(code for _, code in self.inputs)


def additive(kind: str, agregasi: Sequence[str]) -> bool:
    """Whether an indicator's quarterly values add up to the year's.

    A count or a difference of flows (`sum` variables) does; a percentage, a growth, or
    anything built from a stock (`last`) is a level at the end of the quarter and does not.
    """
    return kind in ("count", "difference") and all(a == "sum" for a in agregasi)


def default_perhitungan(kind: str, agregasi: Sequence[str]) -> str:
    """The calculation type an indicator gets unless the catalogue or targets say otherwise.

    kumulatif for additive indicators (quarterly targets add up to the annual one), else
    nilai-akhir (the target of quarter n is the level to reach by then).
    """
    return KUMULATIF if additive(kind, agregasi) else NILAI_AKHIR


@dataclass(frozen=True)
class Position:
    """A position (jabatan) as the decree names it, with its unit and tasks."""

    code: str
    jabatan: str
    nama: str
    unit: str
    level: str
    order: int
    tugas: tuple[str, ...]


@dataclass(frozen=True)
class Finding:
    """A defect of the decree, kept with the decree's text and how the catalogue reads it."""

    code: str
    ref: str
    temuan: str
    penanganan: str
    teks: str = ""
    sumber: str = "manual"


@dataclass(frozen=True)
class Catalogue:
    """The whole decree as data; every query the pipeline needs is a method here."""

    catalogue_id: str
    year: int
    office: str
    decree: str
    units: tuple[Unit, ...]
    positions: tuple[Position, ...]
    variables: tuple[Variable, ...]
    indicators: tuple[Indicator, ...]
    findings: tuple[Finding, ...] = field(default=())
    content_hash: str = ""

    @cached_property
    def _units(self) -> dict[str, Unit]:
        return {u.code: u for u in self.units}

    @cached_property
    def _variables(self) -> dict[str, Variable]:
        return {v.code: v for v in self.variables}

    @cached_property
    def _positions(self) -> dict[str, Position]:
        return {p.code: p for p in self.positions}

    @cached_property
    def _indicators(self) -> dict[str, Indicator]:
        return {i.code: i for i in self.indicators}

    def unit(self, code: str) -> Unit:
        """Unit by code."""
        return self._units[code]

    def variable(self, code: str) -> Variable:
        """Variable by code."""
        return self._variables[code]

    def position(self, code: str) -> Position:
        """Position by code."""
        return self._positions[code]

    def indicator(self, code: str) -> Indicator:
        """Indicator by code."""
        return self._indicators[code]

    def reporting_units(self) -> tuple[Unit, ...]:
        """Units that fill a template, in the office's order."""
        return tuple(u for u in self.units if u.reports)

    def top_unit(self, code: str) -> Unit:
        """The Sekretariat or Bidang a unit belongs to (itself when it is one)."""
        unit = self.unit(code)
        while unit.induk is not None:
            unit = self.unit(unit.induk)
        return unit

    def variables_of(self, unit_code: str) -> tuple[Variable, ...]:
        """Variables a unit reports, in catalogue order."""
        return tuple(v for v in self.variables if v.unit == unit_code)

    def positions_of(self, unit_code: str) -> tuple[Position, ...]:
        """Positions placed in a unit, in the decree's order."""
        return tuple(p for p in self.positions if p.unit == unit_code)

    def indicators_of(self, position_code: str) -> tuple[Indicator, ...]:
        """A position's indicators in the decree's order."""
        return tuple(i for i in self.indicators if i.position == position_code)

    def agregasi_of(self, indicator: Indicator) -> tuple[str, ...]:
        """Aggregation over quarters of each variable an indicator uses, in formula order."""
        return tuple(self.variable(code).agregasi for code in indicator.variables)

    def perhitungan(self, indicator: Indicator) -> str:
        """The indicator's calculation type: its own, else the default for its kind."""
        return indicator.perhitungan or default_perhitungan(
            indicator.kind, self.agregasi_of(indicator)
        )

    def additive(self, indicator: Indicator) -> bool:
        """Whether the indicator's quarters add up to its year (kumulatif is allowed)."""
        return additive(indicator.kind, self.agregasi_of(indicator))

    def users_of(self, variable_code: str) -> tuple[Indicator, ...]:
        """Indicators that use a variable."""
        return tuple(i for i in self.indicators if variable_code in i.variables)

    def indicators_using_unit(self, unit_code: str) -> tuple[Indicator, ...]:
        """Indicators computed from any variable the unit reports."""
        own = {v.code for v in self.variables_of(unit_code)}
        return tuple(i for i in self.indicators if own.intersection(i.variables))
