"""The catalogue: the whole decree, verbatim, normalised and checked."""

from __future__ import annotations

import copy
import dataclasses
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from pipeline import paths
from pipeline.catalogue import Catalogue, load_catalogue
from pipeline.errors import CatalogueError

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_2148871135e256c8.txt"


def _spec() -> dict[str, Any]:
    return yaml.safe_load(paths.CATALOGUE_FILE.read_text(encoding="utf-8"))


def _decree() -> dict[str, Any]:
    return yaml.safe_load(paths.DECREE_FILE.read_text(encoding="utf-8"))


def test_counts(catalogue: Catalogue) -> None:
    assert len(catalogue.positions) == 46
    assert len(catalogue.indicators) == 67
    assert len(catalogue.units) == 20
    assert len(catalogue.reporting_units()) == 15
    kinds = Counter(i.kind for i in catalogue.indicators)
    assert kinds == {"count": 51, "ratio": 13, "growth": 2, "difference": 1}


def test_unit_structure(catalogue: Catalogue) -> None:
    tops = [u for u in catalogue.units if u.induk is None]
    assert [u.nama for u in tops] == [
        "Sekretariat",
        "Bidang Pelatihan dan Produktivitas Tenaga Kerja",
        "Bidang Penempatan Tenaga Kerja",
        "Bidang Hubungan Industrial",
        "Bidang Transmigrasi",
    ]
    for top in tops:
        children = [u for u in catalogue.units if u.induk == top.code]
        assert len(children) == 3


def test_every_reporting_unit_reports_something(catalogue: Catalogue) -> None:
    for unit in catalogue.reporting_units():
        assert catalogue.variables_of(unit.code), unit.code
        assert catalogue.positions_of(unit.code), unit.code


def test_heads_fill_nothing_themselves(catalogue: Catalogue) -> None:
    heads = [p for p in catalogue.positions if p.level in ("sekretaris", "kepala_bidang")]
    assert len(heads) == 5
    for head in heads:
        assert not catalogue.unit(head.unit).reports
        for ind in catalogue.indicators_of(head.code):
            for code in ind.variables:
                assert catalogue.unit(catalogue.variable(code).unit).reports


def test_indicators_in_the_decrees_order(catalogue: Catalogue) -> None:
    decree = _decree()["jabatan"]
    for position, rows in zip(catalogue.positions, decree, strict=True):
        assert position.jabatan == rows["jabatan"]
        assert [i.indikator for i in catalogue.indicators_of(position.code)] == [
            r["indikator"] for r in rows["indikator"]
        ]
        assert [i.order for i in catalogue.indicators_of(position.code)] == list(
            range(1, len(rows["indikator"]) + 1)
        )


def test_verbatim_text_kept(catalogue: Catalogue) -> None:
    assert (
        catalogue.position("SKP-KASI").jabatan
        == "KELAPA SEKSI SERTIFIKASI KOMPETENSI DAN PEMAGANGAN"
    )
    assert (
        catalogue.position("SKP-KASI").nama == "Kepala Seksi Sertifikasi Kompetensi dan Pemagangan"
    )
    assert catalogue.position("PMD-KASI").jabatan == "KEPALA SEKSI PEMINDAHAN DAN PENERAHAN"
    assert (
        catalogue.position("PHI-DATA").jabatan
        == "Pengumpul data Perselesiahn Kerja Hubungan Industrial"
    )
    driver = catalogue.indicator("UMP-PENGEMUDI.1")
    assert driver.formula == (
        r"$\frac{\text{Jumlah service kendaraan Dinas}}"
        r"{\text{Jumlah service kendaraan Dinas}} \times 100\%$"
    )
    assert driver.sumber_data == ""
    assert catalogue.indicator("KLP-DATA.1").formula == (
        "Jumlah lembaga latihan swasta yang terdaftar – "
        "Jumlah lembaga latihan swasta yang tidak memperpanjang masa ijin"
    )


@pytest.mark.skipif(not SEED.exists(), reason="the decree's text is not beside the checkout")
def test_decree_file_is_the_extraction_of_the_seed() -> None:
    import tools.extract_decree as extract

    assert extract.extract(SEED.read_text(encoding="utf-8")) == _decree()["jabatan"]


def test_normalisation(catalogue: Catalogue) -> None:
    driver = catalogue.indicator("UMP-PENGEMUDI.1")
    assert driver.kind == "ratio"
    assert driver.inputs == (
        ("numerator", "UMP.SERVIS_REALISASI"),
        ("denominator", "UMP.SERVIS_RENCANA"),
    )
    assert driver.factor == 100 and driver.satuan == "%"
    growth = [i.code for i in catalogue.indicators if i.kind == "growth"]
    assert growth == ["PTK-KABID.2", "PTK-KABID.3"]
    active = catalogue.indicator("KLP-DATA.1")
    assert active.kind == "difference"
    assert active.variables == ("KLP.LPS_TERDAFTAR", "KLP.LPS_TIDAK_PERPANJANG")
    assert active.satuan == "lembaga"
    assert catalogue.variable("KLP.LPS_TERDAFTAR").agregasi == "last"
    assert catalogue.variable("PKK.PENYERAPAN_TK").agregasi == "sum"
    assert catalogue.variable("IPK.KEC_LAPOR_AK1").maksimum == 33
    assert all(i.polaritas == "positif" for i in catalogue.indicators)


def test_one_number_is_one_variable(catalogue: Catalogue) -> None:
    users = {i.code for i in catalogue.users_of("PKK.PENYERAPAN_TK")}
    assert users == {"PTK-KABID.3", "PKK-KASI.1", "PKK-RENJAR.1", "PKK-DATA.1"}
    assert {i.code for i in catalogue.users_of("PHI.KASUS_SELESAI")} == {
        "HI-KABID.3",
        "PHI-KASI.1",
        "PHI-PERANTARA.1",
        "PHI-DATA.1",
    }


def test_stable_codes_and_hash(catalogue: Catalogue) -> None:
    again = load_catalogue()
    assert again.content_hash == catalogue.content_hash
    assert len({u.code for u in catalogue.units}) == len(catalogue.units)
    assert len({v.code for v in catalogue.variables}) == len(catalogue.variables)
    for ind in catalogue.indicators:
        assert ind.code.startswith(ind.position + ".")


def _findings(catalogue: Catalogue) -> set[tuple[str, str]]:
    return {(f.code, f.ref) for f in catalogue.findings}


@pytest.mark.parametrize(
    "finding",
    [
        ("formula-divides-by-itself", "UMP-PENGEMUDI.1"),
        ("empty-data-source", "UMP-PENGEMUDI.1"),
        ("copied-tasks", "KEU-KA"),
        ("misspelling", "SKP-KASI"),
        ("misspelling", "PMD-KASI"),
        ("misspelling", "PHI-DATA"),
        ("misspelling", "TRN-KABID.1"),
        ("name-contradicts-formula", "UMP-PENGEMUDI.1"),
        ("name-contradicts-formula", "UMP-KEBERSIHAN.1"),
        ("data-source-not-a-unit", "TRN-KABID.3"),
        ("data-source-not-a-unit", "PPK-KABID.1"),
        ("name-contradicts-formula", "PEN-KASI.1"),
    ],
)
def test_findings_found(catalogue: Catalogue, finding: tuple[str, str]) -> None:
    assert finding in _findings(catalogue)


def test_automatic_findings_are_marked(catalogue: Catalogue) -> None:
    copied = next(f for f in catalogue.findings if f.code == "copied-tasks" and f.ref == "KEU-KA")
    assert copied.sumber == "otomatis"
    assert "KEPALA SUB BAGIAN UMUM DAN KEPEGAWAIAN" in copied.temuan
    spelled = [f for f in catalogue.findings if f.code == "misspelling" and f.ref == "SKP-KASI"]
    assert any("'KELAPA' seharusnya 'KEPALA'" in f.temuan for f in spelled)


# A broken catalogue fails with messages naming the entries.


def _broken(tmp_path: Path, mutate: Any, cache: Path | None = None) -> list[str]:
    spec = copy.deepcopy(_spec())
    mutate(spec)
    path = tmp_path / "iki.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path, paths.DECREE_FILE, cache=cache)
    return info.value.messages


def test_duplicate_code(tmp_path: Path) -> None:
    def mutate(spec: dict[str, Any]) -> None:
        spec["variables"][1]["code"] = spec["variables"][0]["code"]

    messages = _broken(tmp_path, mutate)
    assert any("variabel 'UMP.PNS_LAYANAN_TEPAT'" in m and "code" in m for m in messages)


def test_unknown_variable(tmp_path: Path) -> None:
    def mutate(spec: dict[str, Any]) -> None:
        spec["positions"][0]["indikator"][0]["numerator"] = "UMP.TIDAK_ADA"

    messages = _broken(tmp_path, mutate)
    assert "indikator 'SEK-SEKDIN.1': variabel 'UMP.TIDAK_ADA' tidak ada" in messages


def test_missing_unit(tmp_path: Path) -> None:
    def mutate(spec: dict[str, Any]) -> None:
        spec["units"] = [u for u in spec["units"] if u["code"] != "PMD"]

    messages = _broken(tmp_path, mutate)
    assert "jabatan 'PMD-KASI': unit 'PMD' tidak ada" in messages
    assert "variabel 'PMD.TRANS_BERANGKAT': unit pelapor 'PMD' tidak ada" in messages


def test_missing_role(tmp_path: Path) -> None:
    def mutate(spec: dict[str, Any]) -> None:
        del spec["positions"][0]["indikator"][1]["denominator"]

    messages = _broken(tmp_path, mutate)
    assert "indikator 'SEK-SEKDIN.2' (ratio): 'denominator' belum diisi" in messages


def test_variable_reported_by_a_bidang(tmp_path: Path) -> None:
    def mutate(spec: dict[str, Any]) -> None:
        spec["variables"][0]["unit"] = "SEK"

    messages = _broken(tmp_path, mutate)
    assert any(m.startswith("variabel 'UMP.PNS_LAYANAN_TEPAT': unit 'SEK' tidak") for m in messages)


def test_position_out_of_the_decrees_order(tmp_path: Path) -> None:
    def mutate(spec: dict[str, Any]) -> None:
        spec["positions"][1], spec["positions"][2] = spec["positions"][2], spec["positions"][1]

    messages = _broken(tmp_path, mutate)
    assert any("jabatan 'UMP-ADMPEG': nama" in m for m in messages)


def test_bad_kind_and_aggregation(tmp_path: Path) -> None:
    def mutate(spec: dict[str, Any]) -> None:
        spec["variables"][0]["agregasi"] = "avg"
        spec["positions"][0]["indikator"][0]["kind"] = "mean"

    messages = _broken(tmp_path, mutate)
    assert any(m.startswith("variabel 'UMP.PNS_LAYANAN_TEPAT': kolom agregasi") for m in messages)
    assert any(m.startswith("indikator 'SEK-SEKDIN.1': kolom kind") for m in messages)


def test_calculation_type_defaults_from_kind_and_aggregation(catalogue: Catalogue) -> None:
    kinds = {i.code: i.perhitungan for i in catalogue.indicators}
    assert sum(p == "kumulatif" for p in kinds.values()) == 49
    # Flows add up over the year; percentages, growth and stocks are levels.
    assert kinds["PKP-KASI.1"] == "kumulatif"  # people trained (sum)
    assert kinds["SEK-SEKDIN.1"] == "nilai-akhir"  # a percentage
    assert kinds["PTK-KABID.2"] == "nilai-akhir"  # a growth
    assert kinds["UMP-KEBERSIHAN.1"] == "nilai-akhir"  # clean rooms at quarter end (last)
    assert kinds["KLP-DATA.1"] == "nilai-akhir"  # a difference of stocks
    assert all(catalogue.perhitungan(i) == i.perhitungan for i in catalogue.indicators)
    bare = dataclasses.replace(catalogue.indicator("PKP-KASI.1"), perhitungan="")
    assert catalogue.perhitungan(bare) == "kumulatif"


def test_calculation_type_set_in_the_catalogue(tmp_path: Path) -> None:
    spec = copy.deepcopy(_spec())
    spec["positions"][1]["indikator"][0]["perhitungan"] = "nilai-akhir"  # UMP-KA.1, a flow
    path = tmp_path / "iki.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    assert load_catalogue(path, paths.DECREE_FILE).indicator("UMP-KA.1").perhitungan == (
        "nilai-akhir"
    )


def test_kumulatif_only_where_quarters_add_up(tmp_path: Path) -> None:
    def mutate(spec: dict[str, Any]) -> None:
        spec["positions"][0]["indikator"][0]["perhitungan"] = "kumulatif"  # a percentage
        spec["positions"][1]["indikator"][1]["perhitungan"] = "rata-rata"

    messages = _broken(tmp_path, mutate)
    assert any(m.startswith("indikator 'UMP-KA.2': kolom perhitungan") for m in messages)
    spec_ok = copy.deepcopy(_spec())
    spec_ok["positions"][0]["indikator"][0]["perhitungan"] = "kumulatif"
    path = tmp_path / "ratio.yaml"
    path.write_text(yaml.safe_dump(spec_ok, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path, paths.DECREE_FILE)
    wanted = "indikator 'SEK-SEKDIN.1': perhitungan kumulatif hanya"
    assert any(m.startswith(wanted) for m in info.value.messages)


def test_finding_with_unknown_ref(tmp_path: Path) -> None:
    def mutate(spec: dict[str, Any]) -> None:
        spec["temuan"][0]["ref"] = "XYZ-KASI.9"

    assert _broken(tmp_path, mutate) == ["temuan merujuk entri yang tidak ada: 'XYZ-KASI.9'"]


def test_schema_check_is_remembered_per_content(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    load_catalogue()
    assert not (tmp_path / "cache").exists()  # no cache unless asked for
    load_catalogue(cache=paths.cache_dir())
    stamps = list((tmp_path / "cache" / "iki-pipeline").iterdir())
    assert len(stamps) == 1
    # A changed catalogue has another key: it is checked again and still fails.
    messages = _broken(
        tmp_path, lambda spec: spec["variables"][0].update(agregasi="avg"), paths.cache_dir()
    )
    assert any("kolom agregasi" in m for m in messages)
    assert len(list((tmp_path / "cache" / "iki-pipeline").iterdir())) == 1
