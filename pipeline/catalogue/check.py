"""Referential checks of the catalogue: every code it uses points at something that exists."""

from __future__ import annotations

from typing import Any

from pipeline.catalogue.model import additive
from pipeline.measure import KUMULATIF
from schemas.vocabulary import REPORTING_UNIT_KINDS, ROLES


def _units(spec: dict[str, Any]) -> list[str]:
    units = {u["code"]: u for u in spec["units"]}
    messages = []
    for u in spec["units"]:
        parent = u.get("induk")
        if parent is not None and parent not in units:
            messages.append(f"unit '{u['code']}': induk '{parent}' tidak ada")
        if u["jenis"] in REPORTING_UNIT_KINDS and parent is None:
            messages.append(f"unit '{u['code']}': {u['jenis']} harus berada di bawah induk")
    return messages


def _positions(spec: dict[str, Any], decree: dict[str, Any]) -> list[str]:
    units = {u["code"] for u in spec["units"]}
    rows = decree.get("jabatan") or []
    messages = []
    if len(spec["positions"]) != len(rows):
        messages.append(
            f"jabatan: katalog memuat {len(spec['positions'])} jabatan, keputusan {len(rows)}"
        )
    for p, d in zip(spec["positions"], rows, strict=False):
        if p["unit"] not in units:
            messages.append(f"jabatan '{p['code']}': unit '{p['unit']}' tidak ada")
        if not p["code"].startswith(f"{p['unit']}-"):
            messages.append(f"jabatan '{p['code']}': kode harus diawali kode unit '{p['unit']}-'")
        if p["jabatan"] != d["jabatan"]:
            messages.append(
                f"jabatan '{p['code']}': nama '{p['jabatan']}' tidak sama dengan keputusan "
                f"'{d['jabatan']}' pada urutan yang sama"
            )
        found, expected = len(p.get("indikator") or []), len(d["indikator"])
        if found != expected:
            messages.append(
                f"jabatan '{p['code']}': {found} indikator, keputusan memuat {expected}"
            )
    return messages


def _variables(spec: dict[str, Any], used: set[str]) -> list[str]:
    units = {u["code"]: u for u in spec["units"]}
    messages = []
    for v in spec["variables"]:
        unit = units.get(v["unit"])
        if unit is None:
            messages.append(f"variabel '{v['code']}': unit pelapor '{v['unit']}' tidak ada")
        elif unit["jenis"] not in REPORTING_UNIT_KINDS:
            messages.append(
                f"variabel '{v['code']}': unit '{v['unit']}' tidak mengisi template "
                "(hanya sub bagian dan seksi yang melapor)"
            )
        if not v["code"].startswith(f"{v['unit']}."):
            messages.append(f"variabel '{v['code']}': kode harus diawali kode unit '{v['unit']}.'")
        if v["code"] not in used:
            messages.append(f"variabel '{v['code']}': tidak dipakai indikator mana pun")
    return messages


def _indicators(spec: dict[str, Any], raw: list[dict[str, Any]]) -> list[str]:
    variables = {v["code"] for v in spec["variables"]}
    agregasi = {v["code"]: v.get("agregasi") for v in spec["variables"]}
    messages = []
    for r in raw:
        codes = [r["roles"].get(role) for role in ROLES.get(r["kind"], ())]
        summed = additive(r["kind"], [agregasi.get(c) or "" for c in codes])
        if r.get("perhitungan") == KUMULATIF and not summed:
            messages.append(
                f"indikator '{r['code']}': perhitungan kumulatif hanya untuk jumlah atau selisih "
                "data aliran (agregasi sum); persentase, pertumbuhan dan posisi akhir triwulan "
                "tidak dijumlahkan antartriwulan"
            )
        if not str(r["code"]).startswith(f"{r['position']}."):
            messages.append(
                f"indikator '{r['code']}': kode harus diawali kode jabatan '{r['position']}.'"
            )
        for role in ROLES.get(r["kind"], ()):
            code = r["roles"].get(role)
            if not code:
                messages.append(f"indikator '{r['code']}' ({r['kind']}): '{role}' belum diisi")
            elif code not in variables:
                messages.append(f"indikator '{r['code']}': variabel '{code}' tidak ada")
    return messages


def check_references(
    spec: dict[str, Any], decree: dict[str, Any], raw: list[dict[str, Any]]
) -> list[str]:
    """Return one message per broken reference, naming the entry; empty when all is well."""
    used = {code for r in raw for code in r["roles"].values() if code}
    return _units(spec) + _positions(spec, decree) + _variables(spec, used) + _indicators(spec, raw)
