"""Settings an office may change without touching code, read from an optional iki.toml.

Predikat bands come in named schemes. The built-in `permendagri-86-2017` is the default;
an office may define its own and choose one:

    [predikat]
    scheme = "kantor"

    [predikat.schemes.kantor]            # lower bounds, inclusive: capaian >= bound
    bands = [[90, "Sangat Tinggi"], [75, "Tinggi"], [60, "Sedang"], [50, "Rendah"]]

Below the last bound the predikat is `measure.LOWEST_BAND` (Sangat Rendah).
"""

from __future__ import annotations

import itertools
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pipeline.errors import UsageError
from pipeline.measure import DEFAULT_BANDS, PERMENDAGRI_86_2017

CONFIG_FILE = Path("iki.toml")
Bands = tuple[tuple[float, str], ...]
DEFAULT_SCHEME = "permendagri-86-2017"
BAND_SCHEMES: dict[str, Bands] = {DEFAULT_SCHEME: PERMENDAGRI_86_2017}

T = TypeVar("T", "ImapSettings", "SmtpSettings")


@dataclass(frozen=True)
class ImapSettings:
    """The office mailbox `iki collect` reads: table [imap] of iki.toml."""

    url: str = ""  # imaps://user@host/Folder (TLS) or imap://... (STARTTLS)
    password_env: str = "IKI_IMAP_PASSWORD"  # environment variable holding the password
    password_file: str = ""  # or a file only its owner can read (wins over password_env)
    cafile: str = ""  # CA certificates for a server with its own certificate
    allow_plaintext: bool = False  # no TLS at all: only to a server on this computer
    after: str = ""  # '' leave mail as it is, 'seen', or 'move:<folder>'
    state: str = ""  # state file (UIDVALIDITY and last UID); '' = user's state folder


@dataclass(frozen=True)
class SmtpSettings:
    """The server `iki send` sends feedback through: table [smtp] of iki.toml."""

    url: str = ""  # smtps://user@host (TLS) or smtp://user@host (STARTTLS)
    password_env: str = "IKI_SMTP_PASSWORD"
    password_file: str = ""
    cafile: str = ""
    allow_plaintext: bool = False
    log: str = ""  # sent-mail log; '' = user's state folder


@dataclass(frozen=True)
class Config:
    """Office settings. Defaults are the office's current practice."""

    office: str = "Dinas Tenaga Kerja Kabupaten Malang"
    send_to: str = "Sub Bagian Perencanaan, Evaluasi dan Pelaporan (Renvapor)"
    send_email: str = "disnaker@malangkab.go.id"
    deadline_days: int = 10  # days after the quarter ends
    correction_days: int = 5  # days a unit has to send a correction or a late file
    # Predikat: (inclusive lower bound, name), highest first; the scheme's name for the report.
    bands: Bands = DEFAULT_BANDS
    band_scheme: str = DEFAULT_SCHEME
    # Roll-ups average indicator capaian, each capped here so one 500% does not hide others.
    rollup_cap: float = 120.0
    # Optional sender allow-list per unit code: a file from another sender is flagged.
    senders: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Years a template may be for: a `_meta` year outside is refused (iki.toml `tahun`).
    years: tuple[int, int] = (2010, 2099)
    # Key of the seal in every template's `_meta` (iki.toml `kunci_template`). The default is
    # public: it catches edits, not a forger. An office that sets its own key must keep it:
    # templates sent out under the old key are refused under a new one.
    template_key: str = "iki-pipeline/dinas-tenaga-kerja-kabupaten-malang"
    # Where `iki send` sends each unit's feedback, per unit code (table [unit_email]).
    unit_email: dict[str, tuple[str, ...]] = field(default_factory=dict)
    imap: ImapSettings = ImapSettings()
    smtp: SmtpSettings = SmtpSettings()
    # The office's time zone: receipt times are shown and deadlines judged in it (iki.toml
    # `zona_waktu`, an IANA name such as Asia/Jakarta, Asia/Makassar or Asia/Jayapura).
    timezone: str = "Asia/Jakarta"
    # Printed forms (iki.toml `kertas`): "A4" or "F4" (folio, 215 x 330 mm), landscape.
    paper: str = "A4"
    # The position whose holder signs the evaluation form as "Disusun oleh" (iki.toml
    # `penyusun`); the Kepala Dinas of the roster signs "Dievaluasi oleh".
    drafter: str = "RVP-KA"
    # CSV files for Indonesian Excel (iki.toml `csv_indonesia = true`): ';' between fields
    # and a decimal comma; every CSV starts with a UTF-8 byte order mark either way.
    csv_indonesia: bool = False

    @property
    def zone(self) -> ZoneInfo:
        """The office's time zone."""
        return ZoneInfo(self.timezone)


def load_config(path: Path = CONFIG_FILE) -> Config:
    """Read iki.toml when present; otherwise the defaults."""
    if not path.exists():
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"berkas konfigurasi {path} tidak dapat dibaca: {exc}") from exc
    base = Config()
    scheme, bands = band_scheme(data.get("predikat", {}), path)
    return Config(
        office=data.get("office", base.office),
        send_to=data.get("send_to", base.send_to),
        send_email=data.get("send_email", base.send_email),
        deadline_days=int(data.get("deadline_days", base.deadline_days)),
        correction_days=int(data.get("hari_perbaikan", base.correction_days)),
        bands=bands,
        band_scheme=scheme,
        rollup_cap=float(data.get("rollup_cap", base.rollup_cap)),
        senders={k: tuple(v) for k, v in data.get("senders", {}).items()},
        years=_years(data.get("tahun"), base.years),
        template_key=str(data.get("kunci_template", base.template_key)),
        timezone=_zone_name(data.get("zona_waktu", base.timezone)),
        unit_email={k: _addresses(v) for k, v in data.get("unit_email", {}).items()},
        imap=_table(ImapSettings, data.get("imap", {}), "imap"),
        smtp=_table(SmtpSettings, data.get("smtp", {}), "smtp"),
        paper=paper_name(data.get("kertas", base.paper)),
        drafter=str(data.get("penyusun", base.drafter)),
        csv_indonesia=bool(data.get("csv_indonesia", base.csv_indonesia)),
    )


PAPER_NAMES = ("A4", "F4")


def paper_name(value: object) -> str:
    """A paper size the printed forms know ('a4' is A4), else a usage error."""
    name = str(value).strip().upper()
    if name not in PAPER_NAMES:
        raise UsageError(f'kertas "{value}" tidak dikenal; tulis kertas = "A4" atau "F4".')
    return name


def band_scheme(section: Mapping[str, Any], path: Path = CONFIG_FILE) -> tuple[str, Bands]:
    """The chosen scheme's name and bands from the [predikat] section of iki.toml."""
    if "bands" in section:
        raise UsageError(
            f"{path}: [predikat] bands tidak dipakai lagi. Tulis skema bernama di "
            "[predikat.schemes.NAMA] (batas bawah termasuk: capaian >= batas) dan pilih "
            'dengan scheme = "NAMA".'
        )
    schemes = dict(BAND_SCHEMES)
    for name, spec in (section.get("schemes") or {}).items():
        schemes[str(name)] = _bands(str(name), spec, path)
    chosen = str(section.get("scheme", DEFAULT_SCHEME))
    if chosen not in schemes:
        known = ", ".join(sorted(schemes))
        raise UsageError(f"{path}: skema predikat '{chosen}' tidak ada (yang ada: {known}).")
    return chosen, schemes[chosen]


def _bands(name: str, spec: Any, path: Path) -> Bands:
    """A scheme's bands, checked: numbers and names, lower bounds strictly descending."""
    where = f"{path}: skema predikat '{name}'"
    rows = spec.get("bands") if isinstance(spec, dict) else None
    if not isinstance(rows, list) or not rows:
        raise UsageError(f'{where} harus memuat bands = [[batas, "nama"], ...].')
    bands: list[tuple[float, str]] = []
    for row in rows:
        ok = isinstance(row, list) and len(row) == 2 and isinstance(row[1], str) and row[1]
        if not ok or isinstance(row[0], bool) or not isinstance(row[0], int | float):
            raise UsageError(f'{where}: {row!r} bukan [batas, "nama"].')
        if not math.isfinite(float(row[0])):
            raise UsageError(f"{where}: batas {row[0]!r} bukan angka.")
        bands.append((float(row[0]), row[1]))
    lowers = [lower for lower, _ in bands]
    if any(a <= b for a, b in itertools.pairwise(lowers)):
        raise UsageError(f"{where}: batas bawah harus menurun, dari predikat tertinggi.")
    return tuple(bands)


def _zone_name(value: object) -> str:
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UsageError(
            f"iki.toml: zona_waktu '{value}' tidak dikenal; tulis misalnya "
            'zona_waktu = "Asia/Jakarta" (WIB), "Asia/Makassar" (WITA), "Asia/Jayapura" (WIT)'
        ) from exc
    return str(value)


def _addresses(value: str | list[str]) -> tuple[str, ...]:
    """One address or a list of them."""
    return (value,) if isinstance(value, str) else tuple(str(v) for v in value)


def _table(kind: type[T], table: dict[str, Any], name: str) -> T:
    """A settings table with every key checked against the dataclass's fields and types."""
    defaults = {f.name: getattr(kind(), f.name) for f in fields(kind)}
    unknown = sorted(set(table) - set(defaults))
    if unknown:
        raise UsageError(f"kunci tidak dikenal di [{name}] iki.toml: {', '.join(unknown)}")
    for key, value in table.items():
        if type(value) is not type(defaults[key]):
            raise UsageError(f"[{name}] {key} di iki.toml harus berupa {_kind(defaults[key])}")
    return kind(**table)


def _kind(value: object) -> str:
    return "true atau false" if isinstance(value, bool) else "teks dalam tanda kutip"


def _years(value: object, default: tuple[int, int]) -> tuple[int, int]:
    if value is None:
        return default
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) for v in value)
        or value[0] > value[1]
    ):
        raise UsageError("iki.toml: 'tahun' harus dua angka tahun, misalnya tahun = [2017, 2030]")
    return value[0], value[1]
