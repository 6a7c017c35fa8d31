"""Settings an office may change without touching code, read from an optional iki.toml."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pipeline.errors import UsageError
from pipeline.measure import DEFAULT_BANDS

CONFIG_FILE = Path("iki.toml")


@dataclass(frozen=True)
class Config:
    """Office settings. Defaults are the office's current practice."""

    office: str = "Dinas Tenaga Kerja Kabupaten Malang"
    send_to: str = "Sub Bagian Perencanaan, Evaluasi dan Pelaporan (Renvapor)"
    send_email: str = "disnaker@malangkab.go.id"
    deadline_days: int = 10  # days after the quarter ends
    bands: tuple[tuple[float, str], ...] = DEFAULT_BANDS
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
    # The office's time zone: receipt times are shown and deadlines judged in it (iki.toml
    # `zona_waktu`, an IANA name such as Asia/Jakarta, Asia/Makassar or Asia/Jayapura).
    timezone: str = "Asia/Jakarta"

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
    bands = data.get("predikat", {}).get("bands")
    return Config(
        office=data.get("office", base.office),
        send_to=data.get("send_to", base.send_to),
        send_email=data.get("send_email", base.send_email),
        deadline_days=int(data.get("deadline_days", base.deadline_days)),
        bands=tuple((float(b[0]), str(b[1])) for b in bands) if bands else base.bands,
        rollup_cap=float(data.get("rollup_cap", base.rollup_cap)),
        senders={k: tuple(v) for k, v in data.get("senders", {}).items()},
        years=_years(data.get("tahun"), base.years),
        template_key=str(data.get("kunci_template", base.template_key)),
        timezone=_zone_name(data.get("zona_waktu", base.timezone)),
    )


def _zone_name(value: object) -> str:
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise UsageError(
            f"iki.toml: zona_waktu '{value}' tidak dikenal; tulis misalnya "
            'zona_waktu = "Asia/Jakarta" (WIB), "Asia/Makassar" (WITA), "Asia/Jayapura" (WIT)'
        ) from exc
    return str(value)


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
