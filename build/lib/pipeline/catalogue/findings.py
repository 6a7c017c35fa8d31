"""Detect the decree's defects that a rule can see; manual findings live in the data file."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pipeline.catalogue.model import Catalogue, Finding, Indicator

_FRAC = re.compile(r"\\frac\{\\text\{(?P<num>[^}]*)\}\}\{\\text\{(?P<den>[^}]*)\}\}")
_PERCENT_WORDS = ("persentase", "presentase")
_UNIT_WORDS = ("seksi", "sub bagian", "subbag", "bidang")


def _norm(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def _self_ratio(ind: Indicator) -> Iterator[Finding]:
    match = _FRAC.search(ind.formula)
    if match and _norm(match["num"]) == _norm(match["den"]):
        yield Finding(
            "formula-divides-by-itself",
            ind.code,
            f"Rumus membagi '{match['num']}' dengan dirinya sendiri: hasilnya selalu 100%.",
            "Dibaca sebagai realisasi dibanding rencana: " + " / ".join(ind.variables) + ".",
            ind.formula,
            "otomatis",
        )


def _empty_source(ind: Indicator) -> Iterator[Finding]:
    if not ind.sumber_data.strip():
        yield Finding(
            "empty-data-source",
            ind.code,
            "Kolom SUMBER DATA kosong.",
            "Data dilaporkan oleh unit jabatan ini.",
            "",
            "otomatis",
        )


def _name_contradicts_kind(ind: Indicator) -> Iterator[Finding]:
    name = ind.indikator.lower()
    percent = name.startswith(_PERCENT_WORDS)
    growth_word = name.startswith("peningkatan")
    if percent and ind.kind in ("count", "difference"):
        issue = "Nama indikator 'Persentase', tetapi rumusnya sebuah jumlah."
    elif growth_word and ind.kind != "growth":
        issue = "Nama indikator 'Peningkatan', tetapi rumusnya sebuah jumlah, bukan pertumbuhan."
    elif ind.kind in ("ratio", "growth") and not percent:
        issue = "Rumusnya persentase, tetapi nama indikator tidak menyebut 'Persentase'."
    else:
        return
    yield Finding(
        "name-contradicts-formula",
        ind.code,
        issue,
        f"Dihitung sesuai rumus ({ind.kind}).",
        ind.indikator,
        "otomatis",
    )


def _source_mismatch(catalogue: Catalogue, ind: Indicator) -> Iterator[Finding]:
    """Flag a SUMBER DATA that names a unit, but not by its name or not the reporting one."""
    if not ind.sumber_data.lower().startswith(_UNIT_WORDS):
        return  # a description of documents or people, not a unit: nothing to compare
    reporters = sorted({catalogue.variable(v).unit for v in ind.variables})
    names = ", ".join(catalogue.unit(u).nama for u in reporters)
    matches = [u for u in catalogue.units if _norm(u.nama) == _norm(ind.sumber_data)]
    if not matches:
        issue = "SUMBER DATA menyebut unit kerja yang namanya tidak ada dalam struktur organisasi."
    elif matches[0].code not in reporters:
        issue = f"SUMBER DATA menyebut {matches[0].nama}, bukan unit yang mencatat datanya."
    else:
        return
    yield Finding(
        "data-source-not-a-unit",
        ind.code,
        issue,
        f"Data dilaporkan oleh {names}.",
        ind.sumber_data,
        "otomatis",
    )


def _copied_tasks(catalogue: Catalogue) -> Iterator[Finding]:
    seen: dict[str, str] = {}
    for position in catalogue.positions:
        key = _norm(" ".join(position.tugas))
        if key in seen:
            yield Finding(
                "copied-tasks",
                position.code,
                f"Daftar tugas jabatan ini salinan dari tugas {seen[key]}.",
                "Teks keputusan disimpan apa adanya; indikatornya sendiri tidak terpengaruh.",
                position.tugas[0] if position.tugas else "",
                "otomatis",
            )
        else:
            seen[key] = catalogue.position(position.code).jabatan


def _texts(catalogue: Catalogue) -> Iterator[tuple[str, str, str]]:
    for p in catalogue.positions:
        yield p.code, "jabatan", p.jabatan
        for task in p.tugas:
            yield p.code, "tugas", task
    for i in catalogue.indicators:
        for field in ("kinerja", "indikator", "formula", "sumber_data"):
            yield i.code, field, getattr(i, field)


def _same_case(model: str, word: str) -> str:
    if model.isupper():
        return word.upper()
    if model[:1].isupper():
        return word[:1].upper() + word[1:].lower()
    return word.lower()


def _misspellings(catalogue: Catalogue, corrections: dict[str, str]) -> Iterator[Finding]:
    patterns = {
        wrong: re.compile(rf"(?<![\w-]){re.escape(wrong)}(?![\w-])", re.IGNORECASE)
        for wrong in corrections
    }
    reported: set[tuple[str, str, str]] = set()
    for ref, field, text in _texts(catalogue):
        for wrong, pattern in patterns.items():
            match = pattern.search(text)
            if match and (ref, field, wrong.lower()) not in reported:
                reported.add((ref, field, wrong.lower()))
                yield Finding(
                    "misspelling",
                    ref,
                    f"Salah eja pada {field}: '{match.group(0)}' seharusnya "
                    f"'{_same_case(match.group(0), corrections[wrong])}'.",
                    "Teks keputusan disimpan apa adanya; nama tampilan memakai ejaan yang benar.",
                    text,
                    "otomatis",
                )


def detect_findings(catalogue: Catalogue, corrections: dict[str, str]) -> tuple[Finding, ...]:
    """Return every finding the rules detect, in the decree's order."""
    found: list[Finding] = []
    for ind in catalogue.indicators:
        found += _self_ratio(ind)
        found += _empty_source(ind)
        found += _name_contradicts_kind(ind)
        found += _source_mismatch(catalogue, ind)
    found += _copied_tasks(catalogue)
    found += _misspellings(catalogue, corrections)
    return tuple(found)
