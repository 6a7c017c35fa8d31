"""The template contract: what the very hidden `_meta` sheet of every template holds.

Any program can fill a template without knowing its layout: read `_meta`, find the cell
mapped to each (key, field), write a number there. The pipeline identifies a returned file
only by its `_meta`, never by its file name or folder.

Layout of `_meta` (column A and B, then a table):

    A1  IKI_PIPELINE_META          (marker)
    A2.. key | value               (kind, template_version, catalogue_id, catalogue_hash,
                                    year, quarter, unit_code, generated_at, checksum),
                                   one per row
    (empty row)
    key | field | sheet | cell | editable | expected     (header of the cell map)
    one row per mapped cell

- Unit templates (kind `unit`): key is a variable code; field is `TW1`..`TW4` for the
  quarter's value, `note` for the remarks cell and `code` for the cell that shows the
  variable code; target rows (key an indicator code, field `target`) show the locked annual
  target, field `target_sd` the locked target to date for the template's quarter (empty
  when the Rencana Aksi has no quarterly target: capaian is then against the annual one),
  and for growth indicators field `baseline` shows, locked, last year's value to date for
  the template's quarter. Only the current quarter's value cells and note cells are
  editable.
- Targets workbook (kind `targets`, the Rencana Aksi): key is an indicator code; field
  `target` (annual target), `target_TW1`..`target_TW4` (quarterly targets), `calculation`
  (text `kumulatif` or `nilai-akhir`; only where the quarters of the indicator add up),
  `polarity` (text `positif` or `negatif`) or, for growth indicators only,
  `baseline_TW1`..`baseline_TW4` (the value of the indicator's variable in each quarter of
  last year, used as last year's data wherever the inbox holds no counted submission of
  that unit and quarter). Key `workbook`, field `effective_from`: the quarter from which
  this version's targets apply (text `TW I`..`TW IV`; `TW I` for the original, murni,
  targets; a later quarter for a revision, perubahan). All are editable.
- Unit templates also ask, per indicator whose factors the unit writes
  (`pipeline.catalogue.factors.factor_indicators`), three free texts on the sheet `Faktor`:
  fields `driver` (faktor pendorong), `obstacle` (faktor penghambat) and `follow_up`
  (tindak lanjut); editable, optional, at most `TEXT_LIMITS[field]` characters.
- The targets workbook also carries the roster (sheet `Pegawai`): key a position code, or
  `head` for the Kepala Dinas (not a position of the decree); fields `name`, `nip` (18
  digits) and `rank` (pangkat / golongan); key `workbook`, field `place` (the place of
  signing). All editable text; a workbook made before these fields existed has no roster.
- `expected` holds what a locked cell was generated with, so a changed locked cell is seen.
- `checksum` seals everything else in `_meta` (HMAC-SHA256 under the office's key, iki.toml
  `kunci_template`): a locked cell edited together with its `expected` value is seen too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from pipeline.periods import Period, Year, span_of

TEMPLATE_VERSION = "2"  # 2: `_meta` carries a seal (checksum) of itself
MARKER = "IKI_PIPELINE_META"
META_SHEET = "_meta"
GUIDE_SHEET = "Petunjuk"
INPUT_SHEET = "Isian"
IKI_SHEET = "IKI"
TARGET_SHEET = "Target"
KIND_UNIT = "unit"
KIND_TARGETS = "targets"
# Field names of the cell map: every writer and reader of a template uses these, never literals.
QUARTER_FIELDS = ("TW1", "TW2", "TW3", "TW4")  # a unit's value of one quarter: quarter_field(q)
NOTE_FIELD = "note"  # unit templates: the remarks (Keterangan) cell of a variable's row
CODE_FIELD = "code"  # unit templates: the locked cell that shows the variable code
TARGET_FIELD = "target"  # the annual target of an indicator
BASELINE_FIELD = "baseline"  # unit templates: last year's value to date, locked
BASELINE_FIELDS = ("baseline_TW1", "baseline_TW2", "baseline_TW3", "baseline_TW4")
TARGET_QUARTER_FIELDS = ("target_TW1", "target_TW2", "target_TW3", "target_TW4")
TARGET_TO_DATE_FIELD = "target_sd"  # unit templates: the locked target to date
CALCULATION_FIELD = "calculation"  # targets workbook: kumulatif / nilai-akhir
POLARITY_FIELD = "polarity"  # targets workbook: positif / negatif
WORKBOOK_KEY = "workbook"  # a key for cells about the whole workbook, not one indicator
EFFECTIVE_FIELD = "effective_from"  # targets workbook: TW I .. TW IV
# Cells that hold a word chosen from a list, not a number.
CHOICE_FIELDS = (CALCULATION_FIELD, POLARITY_FIELD, EFFECTIVE_FIELD)
# Unit templates, sheet `Faktor`: per indicator, faktor pendorong / penghambat / tindak lanjut.
FACTOR_SHEET = "Faktor"
DRIVER_FIELD, OBSTACLE_FIELD, FOLLOW_UP_FIELD = "driver", "obstacle", "follow_up"
FACTOR_FIELDS = (DRIVER_FIELD, OBSTACLE_FIELD, FOLLOW_UP_FIELD)
# Targets workbook, sheet `Pegawai`: who holds each position, and where the forms are signed.
ROSTER_SHEET = "Pegawai"
HEAD_KEY = "head"  # the Kepala Dinas: signs every form, is no position of the decree
NAME_FIELD, NIP_FIELD, RANK_FIELD = "name", "nip", "rank"
ROSTER_FIELDS = (NAME_FIELD, NIP_FIELD, RANK_FIELD)
PLACE_FIELD = "place"  # key `workbook`: the place of signing, e.g. Kepanjen
# Free text: never a number, never evaluated; at most this many characters are kept in print.
TEXT_LIMITS = {
    DRIVER_FIELD: 300,
    OBSTACLE_FIELD: 300,
    FOLLOW_UP_FIELD: 300,
    NAME_FIELD: 80,
    NIP_FIELD: 21,  # 18 digits, written with spaces: 19650101 199003 1 002
    RANK_FIELD: 60,
    PLACE_FIELD: 40,
}
TEXT_FIELDS = tuple(TEXT_LIMITS)
MAP_HEADER = ("key", "field", "sheet", "cell", "editable", "expected")
_SCALARS = (
    "kind",
    "template_version",
    "catalogue_id",
    "catalogue_hash",
    "year",
    "quarter",
    "unit_code",
    "generated_at",
    "checksum",
)


_CELL_REF = re.compile(r"^([A-Z]{1,3})([1-9][0-9]{0,6})$")


def quarter_field(quarter: int) -> str:
    """Field name of a quarter's value: 'TW2' for quarter 2."""
    return QUARTER_FIELDS[quarter - 1]


def field_quarter(field: str) -> int | None:
    """Quarter of a quarter field ('TW2' -> 2); None for any other field."""
    return QUARTER_FIELDS.index(field) + 1 if field in QUARTER_FIELDS else None


@lru_cache(maxsize=65_536)  # every file names the same few hundred cells; bounded for hostile ones
def split_ref(ref: str) -> tuple[int, int]:
    """Zero-based (row, column) of an A1 reference; ValueError when it is not one."""
    match = _CELL_REF.match(ref)
    if not match:
        raise ValueError(f"bad cell reference {ref!r}")
    column = 0
    for char in match.group(1):
        column = column * 26 + ord(char) - 64
    return int(match.group(2)) - 1, column - 1


class ContractError(ValueError):
    """The `_meta` sheet is missing or does not follow the contract."""


@dataclass(frozen=True)
class MappedCell:
    """One cell of the template that the contract names."""

    key: str
    field: str
    sheet: str
    cell: str
    editable: bool
    expected: str = ""


_MAPPED: dict[tuple[str, str, str, str, bool, str], MappedCell] = {}
_MAPPED_MAX = 100_000


def mapped_cell(
    key: str, field: str, sheet: str, cell: str, editable: bool, expected: str
) -> MappedCell:
    """A MappedCell, shared by every `_meta` that maps the same cell alike (they are
    immutable): templates of one unit map the same cells, so a scan builds each once."""
    parts = (key, field, sheet, cell, editable, expected)
    found = _MAPPED.get(parts)
    if found is None:
        if len(_MAPPED) >= _MAPPED_MAX:
            _MAPPED.clear()
        found = _MAPPED[parts] = MappedCell(*parts)
    return found


@dataclass(frozen=True)
class TemplateMeta:
    """Everything `_meta` says about a template."""

    kind: str
    template_version: str
    catalogue_id: str
    catalogue_hash: str
    year: int
    quarter: int | None
    unit_code: str | None
    generated_at: str
    cells: tuple[MappedCell, ...]
    checksum: str = ""  # the seal: see `seal_of`

    def cell_of(self, key: str, field: str) -> MappedCell | None:
        """The mapped cell for (key, field), if any."""
        return next((c for c in self.cells if c.key == key and c.field == field), None)

    def inputs(self) -> tuple[MappedCell, ...]:
        """Cells a person (or program) fills."""
        return tuple(c for c in self.cells if c.editable)

    @property
    def period(self) -> Period | Year:
        """The quarter of a unit template (2018-TW2), the year of the targets workbook (2018)."""
        return span_of(self.year, self.quarter)


def meta_rows(meta: TemplateMeta) -> list[list[str]]:
    """Rows to write into `_meta`, all as text."""
    rows: list[list[str]] = [[MARKER, ""]]
    for name in _SCALARS:
        value = getattr(meta, name)
        rows.append([name, "" if value is None else str(value)])
    rows.append(["", ""])
    rows.append(list(MAP_HEADER))
    for c in meta.cells:
        rows.append([c.key, c.field, c.sheet, c.cell, "1" if c.editable else "0", c.expected])
    return rows


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_meta(rows: Sequence[Sequence[Any]]) -> TemplateMeta:
    """Read `_meta` rows (as any reader returns them); raise ContractError when malformed."""
    table = [[_text(v) for v in row] for row in rows]
    if not table or not table[0] or table[0][0] != MARKER:
        raise ContractError("penanda _meta tidak ditemukan")
    scalars: dict[str, str] = {}
    index = 1
    while index < len(table) and table[index] and table[index][0]:
        row = table[index] + [""]
        scalars[row[0]] = row[1]
        index += 1
    missing = [name for name in _SCALARS if name not in scalars and name != "checksum"]
    if missing:
        raise ContractError(f"_meta tidak memuat: {', '.join(missing)}")
    while index < len(table) and tuple(table[index][: len(MAP_HEADER)]) != MAP_HEADER:
        index += 1
    if index == len(table):
        raise ContractError("peta sel _meta tidak ditemukan")
    cells = []
    for row in table[index + 1 :]:
        row = row + [""] * (len(MAP_HEADER) - len(row))
        if not row[0]:
            continue
        cells.append(mapped_cell(row[0], row[1], row[2], row[3], row[4] == "1", row[5]))
    try:
        year = int(scalars["year"])
        quarter = int(scalars["quarter"]) if scalars["quarter"] else None
    except ValueError as exc:
        raise ContractError(f"tahun atau triwulan _meta tidak valid: {exc}") from exc
    return TemplateMeta(
        kind=scalars["kind"],
        template_version=scalars["template_version"],
        catalogue_id=scalars["catalogue_id"],
        catalogue_hash=scalars["catalogue_hash"],
        year=year,
        quarter=quarter,
        unit_code=scalars["unit_code"] or None,
        generated_at=scalars["generated_at"],
        cells=tuple(cells),
        checksum=scalars.get("checksum", ""),
    )


def seal_of(meta: TemplateMeta, key: str) -> str:
    """HMAC-SHA256 of everything `_meta` says but the seal, under the office's key.

    A locked cell changed together with its `expected` value in `_meta` no longer matches the
    seal; forging one needs the key (iki.toml `kunci_template`).
    """
    canonical = json.dumps(
        [
            [getattr(meta, name) for name in _SCALARS if name != "checksum"],
            mapped_rows(meta),
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hmac.new(key.encode("utf-8"), canonical.encode("utf-8"), hashlib.sha256).hexdigest()


def mapped_rows(meta: TemplateMeta) -> list[list[Any]]:
    """The cell map as plain rows (key, field, sheet, cell, editable, expected)."""
    return [[c.key, c.field, c.sheet, c.cell, c.editable, c.expected] for c in meta.cells]


def meta_fields(meta: TemplateMeta) -> list[Any]:
    """What `_meta` says besides its cell map, in `_meta`'s order (the seal last)."""
    return [getattr(meta, name) for name in _SCALARS]


def meta_from(fields: Sequence[Any], rows: Sequence[Sequence[Any]]) -> TemplateMeta:
    """The meta that `meta_fields` and `mapped_rows` gave."""
    return TemplateMeta(
        **dict(zip(_SCALARS, fields, strict=True)),
        cells=tuple(mapped_cell(*row) for row in rows),
    )


def sealed(meta: TemplateMeta, key: str) -> TemplateMeta:
    """The meta with its seal set."""
    return replace(meta, checksum=seal_of(meta, key))


def seal_holds(meta: TemplateMeta, key: str) -> bool:
    """Whether the meta's seal is the one its content and the key give."""
    return hmac.compare_digest(meta.checksum, seal_of(meta, key))
