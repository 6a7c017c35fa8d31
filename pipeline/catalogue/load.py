"""Load the catalogue from its data files and check it; a broken one names its entries."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa
import yaml

from pipeline import paths
from pipeline.catalogue.check import check_references
from pipeline.catalogue.findings import detect_findings
from pipeline.catalogue.model import (
    Catalogue,
    Finding,
    Indicator,
    Position,
    Unit,
    Variable,
    default_perhitungan,
)
from pipeline.errors import CatalogueError
from schemas import catalogue_schemas as cs
from schemas.vocabulary import ROLES

_TABLES = {"unit": cs.UNITS, "jabatan": cs.POSITIONS, "variabel": cs.VARIABLES}


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        # The C loader is ~10x faster; the pure-Python SafeLoader is the fallback.
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogueError([f"berkas {path} tidak dapat dibaca: {exc}"]) from exc
    if not isinstance(data, dict):
        raise CatalogueError([f"berkas {path} bukan peta YAML"])
    return data


def _content_hash(*documents: dict[str, Any]) -> str:
    canonical = json.dumps(documents, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame([{c: row.get(c) for c in columns} for row in rows], columns=columns)
    return frame.astype(object).where(frame.notna(), None)


def _schema_messages(table: str, schema: pa.DataFrameSchema, frame: pd.DataFrame) -> list[str]:
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        messages = []
        for case in exc.failure_cases.to_dict("records"):
            index = case["index"]
            known = index is not None and index in frame.index
            code = str(frame.at[index, "code"]) if known else "?"
            messages.append(
                f"{table} '{code}': kolom {case['column']} gagal pemeriksaan {case['check']} "
                f"(nilai: {case['failure_case']!r})"
            )
        return messages
    return []


def _raw_indicators(spec: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for position in spec.get("positions") or []:
        for order, ind in enumerate(position.get("indikator") or [], start=1):
            kind = ind.get("kind", "")
            rows.append(
                {
                    "code": ind.get("code"),
                    "position": position.get("code"),
                    "order": order,
                    "kind": kind,
                    "factor": float(ind.get("factor", 100 if kind in ("ratio", "growth") else 1)),
                    "polaritas": ind.get("polaritas", "positif"),
                    "perhitungan": ind.get("perhitungan", ""),
                    "bagian": bool(ind.get("bagian", False)),
                    "roles": {r: ind.get(r) for r in ROLES.get(kind, ())},
                    "nama": ind.get("nama", ""),
                }
            )
    return rows


def _validate_tables(spec: dict[str, Any], indicators: list[dict[str, Any]]) -> list[str]:
    frames = {
        "unit": _frame(spec.get("units") or [], ["code", "nama", "jenis", "induk"]),
        "jabatan": _frame(
            spec.get("positions") or [], ["code", "jabatan", "nama", "unit", "level"]
        ),
        "variabel": _frame(
            [{"minimum": 0, **v} for v in spec.get("variables") or []],
            ["code", "unit", "label", "satuan", "agregasi", "minimum", "maks"],
        ).rename(columns={"maks": "maksimum"}),
    }
    frames["variabel"]["maksimum"] = pd.to_numeric(frames["variabel"]["maksimum"]).astype(float)
    frames["variabel"]["minimum"] = frames["variabel"]["minimum"].astype(int)
    messages: list[str] = []
    for table, schema in _TABLES.items():
        messages += _schema_messages(table, schema, frames[table])
    columns = ["code", "position", "kind", "factor", "polaritas", "perhitungan", "bagian"]
    ind_frame = pd.DataFrame([{k: r[k] for k in columns} for r in indicators], columns=columns)
    messages += _schema_messages("indikator", cs.INDICATORS, ind_frame)
    return messages


def _build(spec: dict[str, Any], decree: dict[str, Any], raw: list[dict[str, Any]]) -> Catalogue:
    units = tuple(Unit(u["code"], u["nama"], u["jenis"], u.get("induk")) for u in spec["units"])
    variables = tuple(
        Variable(
            v["code"],
            v["unit"],
            v["label"],
            v["satuan"],
            v["agregasi"],
            int(v.get("minimum", 0)),
            v.get("maks", spec.get("maks_bawaan")),
            v.get("catatan", ""),
        )
        for v in spec["variables"]
    )
    by_var = {v.code: v for v in variables}
    positions, indicators = [], []
    raw_by_position: dict[str, list[dict[str, Any]]] = {}
    for r in raw:
        raw_by_position.setdefault(r["position"], []).append(r)
    for order, (p, d) in enumerate(zip(spec["positions"], decree["jabatan"], strict=True), 1):
        positions.append(
            Position(
                p["code"], d["jabatan"], p["nama"], p["unit"], p["level"], order, tuple(d["tugas"])
            )
        )
        for r, row in zip(raw_by_position.get(p["code"], []), d["indikator"], strict=True):
            inputs = tuple((role, r["roles"][role]) for role in ROLES[r["kind"]])
            first = by_var[inputs[0][1]]
            satuan = "%" if r["kind"] in ("ratio", "growth") else first.satuan
            agregasi = [by_var[code].agregasi for _, code in inputs]
            indicators.append(
                Indicator(
                    r["code"],
                    p["code"],
                    r["order"],
                    r["kind"],
                    row["kinerja"],
                    row["indikator"],
                    row["formula"],
                    row["sumber_data"],
                    inputs,
                    r["factor"],
                    satuan,
                    r["polaritas"],
                    r["bagian"],
                    r["nama"],
                    r["perhitungan"] or default_perhitungan(r["kind"], agregasi),
                )
            )
    return Catalogue(
        catalogue_id=spec["catalogue_id"],
        year=int(spec["year"]),
        office=spec["office"],
        decree=spec["decree"],
        units=units,
        positions=tuple(positions),
        variables=variables,
        indicators=tuple(indicators),
        content_hash=_content_hash(spec, decree),
    )


def _manual_findings(spec: dict[str, Any]) -> tuple[Finding, ...]:
    return tuple(
        Finding(f["code"], f["ref"], f["temuan"], f["penanganan"], f.get("teks", ""), "manual")
        for f in spec.get("temuan") or []
    )


def _check_stamp(spec: dict[str, Any], decree: dict[str, Any], cache: Path) -> Path:
    """Where a passed schema check of this exact content, with these schemas, is remembered.

    The key covers the catalogue's content, the decree's and the schema module's source, so
    a change to any of them checks again. pandera costs ~0.3 s a run (a quarter of a whole
    office's report); the referential checks are cheap and always run.
    """
    schemas_source = Path(cs.__file__).read_bytes()
    key = hashlib.sha256(
        _content_hash(spec, decree).encode() + hashlib.sha256(schemas_source).digest()
    ).hexdigest()
    return cache / f"catalogue-checked-{key[:32]}"


def _schema_check(
    spec: dict[str, Any], decree: dict[str, Any], raw: list[dict[str, Any]], cache: Path | None
) -> list[str]:
    stamp = _check_stamp(spec, decree, cache) if cache is not None else None
    if stamp is not None and stamp.exists():
        return []
    messages = _validate_tables(spec, raw)
    if not messages and stamp is not None:
        with contextlib.suppress(OSError):  # no cache is only slower, never wrong
            stamp.parent.mkdir(parents=True, exist_ok=True)
            stamp.touch()
    return messages


def load_catalogue(
    path: Path = paths.CATALOGUE_FILE,
    decree_path: Path = paths.DECREE_FILE,
    *,
    cache: Path | None = None,
) -> Catalogue:
    """Load, check and return the catalogue; raise CatalogueError naming every broken entry.

    cache: a folder where a passed schema check is remembered (see `_check_stamp`); None
    checks every time.
    """
    spec = _read_yaml(path)
    decree = _read_yaml(decree_path)
    raw = _raw_indicators(spec)
    messages = _schema_check(spec, decree, raw, cache) or check_references(spec, decree, raw)
    if messages:
        raise CatalogueError(messages)
    catalogue = _build(spec, decree, raw)
    findings = detect_findings(catalogue, spec.get("ejaan") or {}) + _manual_findings(spec)
    unknown = [f.ref for f in findings if f.sumber == "manual" and not _known_ref(catalogue, f.ref)]
    if unknown:
        raise CatalogueError([f"temuan merujuk entri yang tidak ada: '{ref}'" for ref in unknown])
    return dataclasses.replace(catalogue, findings=findings)


def _known_ref(catalogue: Catalogue, ref: str) -> bool:
    codes = {p.code for p in catalogue.positions} | {i.code for i in catalogue.indicators}
    return ref in codes or ref == "KEPUTUSAN"
