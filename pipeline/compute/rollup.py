"""Roll-ups of indicator capaian per position, unit, bidang and the whole office.

Rule: the mean of the indicators' capaian, each first clipped to [0, cap] (Config.rollup_cap,
120 by default), over the indicators that have a capaian (and likewise for capaian tahunan).
Indicators without one (no data, 0/0, no target) are not counted as 0: they are counted
separately and shown beside the mean.
The clip keeps one indicator at 500% from hiding weak ones, and a capaian below 0 (possible
for polaritas negatif or a falling growth) from weighing more than a plain 0.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from pipeline.catalogue.model import Catalogue
from pipeline.compute.formulas import predikat

LEVELS = ("jabatan", "unit", "bidang", "kantor")
OFFICE = "KANTOR"


def clipped(capaian: pd.Series, cap: float) -> pd.Series:
    """Capaian as it enters a roll-up: clipped to [0, cap], empty stays empty."""
    return capaian.clip(lower=0.0, upper=cap)


def _group(results: pd.DataFrame, key: pd.Series, cap: float) -> pd.DataFrame:
    score = clipped(results["capaian"], cap)
    annual = clipped(results["capaian_tahunan"], cap)
    parts = {"key": key, "score": score, "has": score.notna(), "annual": annual}
    grouped = pd.DataFrame(parts).groupby("key", sort=False)
    return pd.DataFrame(
        {
            "indicators": grouped.size(),
            "with_capaian": grouped["has"].sum().astype(int),
            "mean_capaian": grouped["score"].mean(),
            "mean_capaian_tahunan": grouped["annual"].mean(),
        }
    )


def rollup(
    results: pd.DataFrame,
    catalogue: Catalogue,
    cap: float,
    bands: Sequence[tuple[float, str]],
) -> pd.DataFrame:
    """One row per position, unit, bidang and the office, in the office's order.

    Columns: level, code, name, parent, indicators, with_capaian, without_capaian,
    mean_capaian (NaN when no indicator has a capaian), predikat, and mean_capaian_tahunan
    (the same rule over capaian against the annual targets: progress towards the year).
    """
    office = pd.Series(OFFICE, index=results.index)
    parts = []
    names = {
        "jabatan": {p.code: (p.nama or p.jabatan, p.unit) for p in catalogue.positions},
        "unit": {u.code: (u.nama, catalogue.top_unit(u.code).code) for u in catalogue.units},
        "bidang": {u.code: (u.nama, OFFICE) for u in catalogue.units if u.induk is None},
        "kantor": {OFFICE: (catalogue.office, "")},
    }
    keys = {
        "jabatan": results["position"],
        "unit": results["unit"],
        "bidang": results["bidang"],
        "kantor": office,
    }
    for level in LEVELS:
        table = _group(results, keys[level], cap)
        order = [code for code in names[level] if code in table.index]
        table = table.reindex(order)
        table.insert(0, "level", level)
        table.insert(1, "code", table.index)
        table.insert(2, "name", [names[level][c][0] for c in order])
        table.insert(3, "parent", [names[level][c][1] for c in order])
        parts.append(table)
    out = pd.concat(parts, ignore_index=True)
    out["without_capaian"] = out["indicators"] - out["with_capaian"]
    out["predikat"] = predikat(out["mean_capaian"], bands)
    return out
