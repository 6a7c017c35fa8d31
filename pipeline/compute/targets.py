"""The targets a period is measured against: the Rencana Aksi resolved across its versions.

The targets of quarter k come from the latest received version of the year whose Berlaku
mulai is k or earlier (`pipeline.merge.targets`, `pipeline.status`). For a period (year y,
quarter q) each indicator gets: the annual target, calculation type and polarity of the
version governing q; the targets of quarters 1..q, each from the version governing that
quarter (a quarter keeps the target it was reported against), unless that version counts
the indicator the other way (kumulatif / nilai-akhir), when the governing version's own
figure is used; and the target to date from them (compute.formulas.target_to_date).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.catalogue.model import Catalogue
from pipeline.compute.formulas import target_to_date
from pipeline.periods import ROMAN, Period
from pipeline.rencana import TargetPlan
from schemas.frames import TARGETS

MURNI, PERUBAHAN = "murni", "perubahan"
TARGET_COLUMNS = list(TARGETS.columns)
_DEFAULTS: dict[str, int | str] = {
    "version": 1,
    "effective_from": 1,
    "perhitungan": "",
    "polaritas": "",
}


def _text(series: pd.Series, default: object = "") -> pd.Series:
    """A column as text (or the default where empty): frames by hand may hold NaN there."""
    return series.astype(object).where(series.notna(), default)


def _versions(targets: pd.DataFrame, year: int) -> pd.DataFrame:
    """The year's rows with every TARGETS column (frames built by hand may lack some)."""
    frame = targets.reindex(columns=TARGET_COLUMNS)
    frame = frame[frame["year"] == year].copy()
    for column, default in _DEFAULTS.items():
        frame[column] = _text(frame[column], default)
    for column in ("file", "sheet", "target_cell", "cell_tw1", "cell_tw2", "cell_tw3", "cell_tw4"):
        frame[column] = _text(frame[column]).astype(str)
    frame["version"] = frame["version"].astype(int)
    frame["effective_from"] = frame["effective_from"].astype(int)
    return frame


def _owner(versions: pd.DataFrame, index: pd.Index, quarter: int) -> pd.DataFrame:
    """Per indicator, the row of the version governing a quarter (NaN where none does)."""
    applying = versions[versions["effective_from"] <= quarter].sort_values("version")
    latest = applying.drop_duplicates("indicator", keep="last").set_index("indicator")
    return latest.reindex(index)


def _effective(owner: pd.DataFrame, default: pd.Series, column: str) -> pd.Series:
    """A word the version chose, else the catalogue's."""
    word = _text(owner[column]).astype(str)
    return word.where(word != "", default).astype(object)


def _ref(owner: pd.DataFrame, cell_column: str, value: pd.Series) -> pd.Series:
    text = _text(owner["file"]) + " " + _text(owner["sheet"]) + "!" + _text(owner[cell_column])
    return text.where(value.notna(), "").astype(object)


def targets_in_effect(targets: pd.DataFrame, catalogue: Catalogue, period: Period) -> pd.DataFrame:
    """One row per catalogue indicator: the targets, type and polarity a period uses.

    Columns: target (annual), target_source, perhitungan, polaritas, target_tw1..tw4 (for
    quarters after the period: NaN), target_sd, target_sd_source, target_version (number of
    the version governing the period, NaN when none), effective_from, target_file,
    versi_target ('murni' when that version also governs TW I, else 'perubahan'; '' none),
    target_murni (annual target of the version governing TW I) and its source.
    """
    index = pd.Index([i.code for i in catalogue.indicators], name="indicator")
    versions = _versions(targets, period.year)
    default_type = pd.Series([catalogue.perhitungan(i) for i in catalogue.indicators], index=index)
    default_sign = pd.Series([i.polaritas for i in catalogue.indicators], index=index)
    owners = {k: _owner(versions, index, k) for k in range(1, period.quarter + 1)}
    current, first = owners[period.quarter], owners[1]
    perhitungan = _effective(current, default_type, "perhitungan")
    out = pd.DataFrame(index=index)
    out["target"] = current["target"].astype(float)
    out["target_source"] = _ref(current, "target_cell", out["target"])
    out["perhitungan"] = perhitungan
    out["polaritas"] = _effective(current, default_sign, "polaritas")
    quarterly, sources = [], []
    for k, owner in owners.items():
        same = _effective(owner, default_type, "perhitungan") == perhitungan
        source = owner.where(same, current, axis=0)
        value = source[f"target_tw{k}"].astype(float)
        quarterly.append(value)
        sources.append(
            (f"TW {ROMAN[k]}: " + _ref(source, f"cell_tw{k}", value)).where(value.notna(), "")
        )
        out[f"target_tw{k}"] = value
    for k in range(period.quarter + 1, 5):
        out[f"target_tw{k}"] = np.nan
    out["target_sd"] = target_to_date(quarterly, perhitungan)
    out["target_sd_source"] = _sd_source(sources, perhitungan, out["target_sd"])
    out["target_version"] = current["version"].astype(float)
    out["effective_from"] = current["effective_from"].astype(float)
    out["target_file"] = _text(current["file"])
    revised = current["version"] != first["version"]
    versi = np.where(current["version"].isna(), "", np.where(revised, PERUBAHAN, MURNI))
    out["versi_target"] = pd.Series(versi, index=index, dtype=object)
    out["target_murni"] = first["target"].astype(float)
    out["target_murni_source"] = _ref(first, "target_cell", out["target_murni"])
    return out


def _sd_source(sources: list[pd.Series], perhitungan: pd.Series, target_sd: pd.Series) -> pd.Series:
    """The cells a target to date was added from (kumulatif) or taken from (nilai-akhir)."""
    summed = sources[0]
    for part in sources[1:]:
        summed = summed + "; " + part
    text = summed.where(perhitungan == "kumulatif", sources[-1])
    return text.where(target_sd.notna(), "").astype(object)


def plans_in_effect(
    targets: pd.DataFrame, catalogue: Catalogue, period: Period
) -> dict[str, TargetPlan]:
    """Indicator -> the plan a unit template of the period shows (targets in effect)."""
    frame = targets_in_effect(targets, catalogue, period)
    plans = {}
    for code, row in frame.iterrows():
        quarterly = {
            k: float(row[f"target_tw{k}"])
            for k in range(1, period.quarter + 1)
            if pd.notna(row[f"target_tw{k}"])
        }
        target = None if pd.isna(row["target"]) else float(row["target"])
        if target is None and not quarterly:
            continue
        plans[str(code)] = TargetPlan(
            target, quarterly, str(row["perhitungan"]), str(row["polaritas"])
        )
    return plans
