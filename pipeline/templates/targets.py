"""The yearly targets workbook Renvapor fills: every indicator's annual target."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline import paths
from pipeline.atomic import atomic_bytes
from pipeline.catalogue.model import Catalogue, Indicator, Variable
from pipeline.config import Config
from pipeline.contract import (
    BASELINE_FIELDS,
    KIND_TARGETS,
    TARGET_FIELD,
    TARGET_SHEET,
    TEMPLATE_VERSION,
    MappedCell,
    TemplateMeta,
)
from pipeline.periods import ROMAN
from pipeline.templates import styles
from pipeline.templates.common import new_workbook, now_text, number_text, row_height, write_meta
from pipeline.templates.guide import Guide, write_guide
from pipeline.templates.iki import describe

HEADER_ROW = 5
FIRST_ROW = HEADER_ROW + 1
COL_NO, COL_CODE, COL_KINERJA, COL_NAME, COL_RUMUS, COL_SATUAN, COL_TARGET = range(7)
COL_BASE = 7  # four columns: last year's TW I..TW IV (growth indicators only)
COL_SOURCE = COL_BASE + len(BASELINE_FIELDS)
WIDTHS = (4.0, 15.0, 30.0, 40.0, 26.0, 9.0, 11.0, 9.5, 9.5, 9.5, 9.5, 26.0)


def targets_filename(year: int) -> str:
    """Default file name of the targets workbook, e.g. Target_IKI_2018.xlsx."""
    return f"{paths.TARGETS_PREFIX}_{year}.xlsx"


def target_validation(indicator: Indicator, catalogue: Catalogue, year: int) -> dict[str, Any]:
    """What a target may be: decimals for percentages, whole numbers for counts."""
    name = (indicator.nama or indicator.indikator)[:180]
    rule: dict[str, Any]
    if indicator.kind == "growth":
        rule, bounds = {"validate": "decimal", "criteria": ">=", "value": -100}, "-100 atau lebih"
    elif indicator.satuan == "%" and indicator.bagian:
        rule = {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 100}
        bounds = "0 sampai 100 (boleh desimal)"
    elif indicator.satuan == "%":
        rule, bounds = {"validate": "decimal", "criteria": ">=", "value": 0}, "0 atau lebih"
    else:
        top = _stock_maximum(indicator, catalogue)
        if top is None:
            rule, bounds = (
                {"validate": "integer", "criteria": ">=", "value": 0},
                "bilangan bulat 0 atau lebih",
            )
        else:
            rule = {"validate": "integer", "criteria": "between", "minimum": 0, "maximum": top}
            bounds = f"bilangan bulat 0 sampai {top}"
    return {
        **rule,
        "ignore_blank": True,
        "input_title": f"Target tahun {year}",
        "input_message": f"{name} ({indicator.satuan}). Isi {bounds}.",
        "error_title": "Target tidak dapat diterima",
        "error_message": f"Isi {bounds}, tanpa satuan atau huruf. Persentase: 85 berarti 85%.",
        "error_type": "stop",
    }


def _stock_maximum(indicator: Indicator, catalogue: Catalogue) -> int | None:
    if indicator.kind != "count":
        return None
    variable = catalogue.variable(indicator.variables[0])
    return variable.maksimum if variable.agregasi == "last" else None


def baseline_validation(variable: Variable, year: int, quarter: int) -> dict[str, Any]:
    """What last year's quarterly value may be: a whole number within the variable's bounds."""
    rule: dict[str, Any]
    if variable.maksimum is None:
        rule = {"validate": "integer", "criteria": ">=", "value": variable.minimum}
        bounds = f"bilangan bulat {variable.minimum} atau lebih"
    else:
        rule = {
            "validate": "integer",
            "criteria": "between",
            "minimum": variable.minimum,
            "maximum": variable.maksimum,
        }
        bounds = f"bilangan bulat {variable.minimum} sampai {variable.maksimum}"
    what = "jumlah selama triwulan" if variable.agregasi == "sum" else "posisi akhir triwulan"
    label = variable.label[:120]
    return {
        **rule,
        "ignore_blank": True,
        "input_title": f"Realisasi {year - 1} TW {ROMAN[quarter]}",
        "input_message": (
            f"{variable.code}: {label} ({variable.satuan}), {what} TW {ROMAN[quarter]} "
            f"{year - 1}. Isi {bounds}."
        )[:255],
        "error_title": "Angka tidak dapat diterima",
        "error_message": f"Isi {bounds}, tanpa titik, koma, satuan atau huruf.",
        "error_type": "stop",
    }


def targets_guide(catalogue: Catalogue, year: int, config: Config) -> Guide:
    """The instructions for Renvapor."""
    return Guide(
        title=f"PETUNJUK PENGISIAN TARGET IKI TAHUN {year}",
        facts=(
            ("Kantor", catalogue.office),
            ("Dasar", catalogue.decree),
            ("Tahun", str(year)),
            ("Diisi oleh", config.send_to),
            ("Jumlah indikator", str(len(catalogue.indicators))),
        ),
        steps=(
            "Buka sheet Target. Indikator dikelompokkan per unit kerja dan jabatan.",
            f"Isi target setahun ({year}) setiap indikator pada sel kuning. Persentase ditulis "
            "sebagai angka: 85 berarti 85%, boleh desimal (85,5).",
            f"Untuk indikator pertumbuhan, isi juga realisasi {year - 1} setiap triwulan (TW I "
            "sampai TW IV) dari data yang dipakai indikator itu, dalam satuan datanya (misalnya "
            "orang), bilangan bulat. Angka ini menjadi pembanding pertumbuhan triwulan yang sama "
            f"bila kiriman unit untuk triwulan {year - 1} itu tidak ada di inbox; kiriman unit "
            "yang ada selalu didahulukan.",
            "Biarkan kosong target yang belum ditetapkan: capaiannya tampil kosong dengan "
            "keterangan 'Target belum ditetapkan', tidak dihitung nol.",
            "Simpan berkas ini (format .xlsx) dan letakkan di folder inbox bersama berkas isian "
            "unit.",
        ),
        colours=(
            ("legend_input", "Kuning: diisi (target, dan nilai tahun lalu untuk pertumbuhan)"),
            ("legend_later", "Abu-abu: tidak perlu diisi"),
        ),
        after=(
            "Target dibaca oleh pipeline dari berkas target terakhir yang diterima.",
            "Template triwulan yang dibuat sesudahnya menampilkan target ini terkunci di sheet "
            "IKI, sehingga setiap unit melihat capaian sementaranya.",
        ),
        footnote=(
            "Jangan mengganti nama sheet atau menyisipkan dan menghapus baris: berkas ini "
            "dikenali dari identitas template yang tersimpan di dalamnya."
        ),
    )


def write_targets_template(
    path: Path,
    catalogue: Catalogue,
    year: int,
    *,
    targets: Mapping[str, float] | None = None,
    baselines: Mapping[str, Mapping[int, float]] | None = None,
    config: Config | None = None,
    generated_at: str | None = None,
) -> TemplateMeta:
    """Write the targets workbook (atomically) and return its `_meta`.

    targets: indicator -> annual target; baselines: growth indicator -> {quarter: value of
    its variable in that quarter of last year} (cells to pre-fill, still editable).
    """
    config = config or Config()
    stamp = generated_at or now_text()
    with atomic_bytes(path) as buffer:
        workbook = new_workbook(buffer, f"Target IKI {year}", stamp)
        formats = styles.add_formats(workbook)
        header = f"{catalogue.office} · Target IKI {year}"
        write_guide(workbook, formats, targets_guide(catalogue, year, config), header)
        cells = _write_target_sheet(
            workbook, formats, catalogue, year, targets or {}, baselines or {}
        )
        meta = TemplateMeta(
            kind=KIND_TARGETS,
            template_version=TEMPLATE_VERSION,
            catalogue_id=catalogue.catalogue_id,
            catalogue_hash=catalogue.content_hash,
            year=year,
            quarter=None,
            unit_code=None,
            generated_at=stamp,
            cells=tuple(cells),
        )
        meta = write_meta(workbook, meta, config.template_key)
        workbook.close()
    return meta


def _write_target_sheet(
    workbook: Workbook,
    formats: dict[str, Any],
    catalogue: Catalogue,
    year: int,
    targets: Mapping[str, float],
    baselines: Mapping[str, Mapping[int, float]],
) -> list[MappedCell]:
    sheet = workbook.add_worksheet(TARGET_SHEET)
    _write_top(sheet, formats, catalogue, year)
    row, number, cells = FIRST_ROW, 1, []
    for unit in catalogue.units:
        positions = [
            p for p in catalogue.positions_of(unit.code) if catalogue.indicators_of(p.code)
        ]
        if not positions:
            continue
        sheet.merge_range(row, 0, row, COL_SOURCE, unit.nama.upper(), formats["group"])
        row += 1
        for position in positions:
            sheet.merge_range(
                row, 1, row, COL_SOURCE, f"Jabatan: {position.nama}", formats["subtitle"]
            )
            row += 1
            for indicator in catalogue.indicators_of(position.code):
                cells.extend(
                    _write_row(
                        sheet, formats, catalogue, indicator, row, number, year, targets, baselines
                    )
                )
                row, number = row + 1, number + 1
    for col, width in enumerate(WIDTHS):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(FIRST_ROW, 0)
    styles.print_setup(sheet, catalogue.office, f"Target IKI {year}", str(year), HEADER_ROW)
    styles.protect(sheet)
    return cells


def _write_top(sheet: Worksheet, formats: dict[str, Any], catalogue: Catalogue, year: int) -> None:
    sheet.write_string(
        0, 0, f"TARGET TAHUNAN INDIKATOR KINERJA INDIVIDU (IKI) {year}", formats["title"]
    )
    sheet.write_string(1, 0, catalogue.office, formats["subtitle"])
    sheet.write_string(
        2,
        0,
        "Isi target setahun pada sel kuning; persentase ditulis sebagai angka (85 berarti 85%). "
        f"Indikator pertumbuhan juga memerlukan realisasi {year - 1} per triwulan (bilangan "
        "bulat, dalam satuan datanya).",
        formats["text"],
    )
    sheet.write_string(3, COL_RUMUS, "Arti warna:", formats["label"])
    sheet.write_string(3, COL_TARGET, "Diisi", formats["legend_input"])
    sheet.merge_range(3, COL_BASE, 3, COL_BASE + 1, "Tidak perlu", formats["legend_later"])
    headers = (
        "No",
        "Kode",
        "Kinerja",
        "Indikator Kinerja",
        "Dihitung dari",
        "Satuan",
        f"Target Tahunan {year}",
        *(f"Realisasi {year - 1} TW {ROMAN[q]}" for q in range(1, 5)),
        "Sumber Data",
    )
    for col, text in enumerate(headers):
        sheet.write_string(HEADER_ROW, col, text, formats["header"])
    sheet.set_row(HEADER_ROW, 42)


def _write_row(
    sheet: Worksheet,
    formats: dict[str, Any],
    catalogue: Catalogue,
    indicator: Indicator,
    row: int,
    number: int,
    year: int,
    targets: Mapping[str, float],
    baselines: Mapping[str, Mapping[int, float]],
) -> list[MappedCell]:
    name = indicator.nama or indicator.indikator
    rumus = describe(indicator)
    sheet.write_number(row, COL_NO, number, formats["center"])
    for col, text in (
        (COL_CODE, indicator.code),
        (COL_KINERJA, indicator.kinerja),
        (COL_NAME, name),
        (COL_RUMUS, rumus),
        (COL_SATUAN, indicator.satuan),
        (COL_SOURCE, indicator.sumber_data),
    ):
        sheet.write_string(row, col, text, formats["cell"])
    sheet.set_row(
        row,
        row_height(
            [
                (indicator.kinerja, WIDTHS[COL_KINERJA]),
                (name, WIDTHS[COL_NAME]),
                (rumus, WIDTHS[COL_RUMUS]),
                (indicator.sumber_data, WIDTHS[COL_SOURCE]),
            ]
        ),
    )
    decimal = indicator.satuan == "%" or indicator.kind == "growth"
    target = targets.get(indicator.code)
    cells = [
        _input_cell(
            sheet,
            formats["input_decimal" if decimal else "input"],
            indicator.code,
            TARGET_FIELD,
            row,
            COL_TARGET,
            target,
            target_validation(indicator, catalogue, year),
        )
    ]
    given = baselines.get(indicator.code, {})
    for quarter, field in enumerate(BASELINE_FIELDS, start=1):
        col = COL_BASE + quarter - 1
        if indicator.kind != "growth":
            sheet.write_blank(row, col, None, formats["later"])
            continue
        variable = catalogue.variable(indicator.variables[0])
        rule = baseline_validation(variable, year, quarter)
        cells.append(
            _input_cell(
                sheet, formats["input"], indicator.code, field, row, col, given.get(quarter), rule
            )
        )
    return cells


def _input_cell(
    sheet: Worksheet,
    style: Any,
    key: str,
    field: str,
    row: int,
    col: int,
    value: float | None,
    rule: dict[str, Any],
) -> MappedCell:
    if value is None:
        sheet.write_blank(row, col, None, style)
    else:
        sheet.write_number(row, col, value, style)
    sheet.data_validation(row, col, row, col, rule)
    return MappedCell(
        key, field, TARGET_SHEET, xl_rowcol_to_cell(row, col), True, number_text(value)
    )
