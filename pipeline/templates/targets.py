"""The yearly targets workbook Renvapor fills: the Rencana Aksi of every indicator.

Per indicator: calculation type and polarity (pre-filled from the catalogue), Target TW I..IV
and Target Tahunan, and for growth indicators last year's value per quarter. One cell for
the whole workbook says from which quarter its targets apply (`Berlaku mulai`): TW I for the
original targets (murni), a later quarter for a revision (perubahan).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from pipeline import paths
from pipeline.atomic import atomic_bytes
from pipeline.catalogue.bounds import target_bounds
from pipeline.catalogue.model import Catalogue, Indicator, Variable
from pipeline.config import Config
from pipeline.contract import (
    BASELINE_FIELDS,
    CALCULATION_FIELD,
    EFFECTIVE_FIELD,
    KIND_TARGETS,
    POLARITY_FIELD,
    TARGET_FIELD,
    TARGET_QUARTER_FIELDS,
    TARGET_SHEET,
    TEMPLATE_VERSION,
    WORKBOOK_KEY,
    MappedCell,
    TemplateMeta,
)
from pipeline.measure import PERHITUNGAN
from pipeline.periods import ROMAN
from pipeline.rencana import POLARITIES, QUARTER_WORDS, TargetPlan, as_plan
from pipeline.templates import styles
from pipeline.templates.common import new_workbook, now_text, number_text, row_height, write_meta
from pipeline.templates.guide import Guide, write_guide
from pipeline.templates.iki import describe
from pipeline.templates.roster import RosterText, write_roster
from pipeline.templates.targets_guide import targets_guide

HEADER_ROW = 6
FIRST_ROW = HEADER_ROW + 1
EFFECTIVE_ROW = 3
COL_NO, COL_CODE, COL_KINERJA, COL_NAME, COL_RUMUS, COL_SATUAN = range(6)
COL_CALC, COL_POLARITY = 6, 7
COL_TW1 = 8  # Target TW I..TW IV
COL_TARGET = COL_TW1 + 4  # Target Tahunan
COL_BASE = COL_TARGET + 1  # four columns: last year's TW I..TW IV (growth indicators only)
COL_SOURCE = COL_BASE + len(BASELINE_FIELDS)
WIDTHS: tuple[float, ...] = (4.0, 14.0, 24.0, 34.0, 22.0, 8.5, 11.5, 9.5)
WIDTHS += (8.5, 8.5, 8.5, 8.5, 10.0)  # Target TW I..IV, Target Tahunan
WIDTHS += (8.5, 8.5, 8.5, 8.5, 22.0)  # last year's quarters, Sumber Data


def targets_filename(year: int, effective_from: int = 1) -> str:
    """Default file name: Target_IKI_2018.xlsx, or Target_IKI_2018_perubahan_TW3.xlsx."""
    base = f"{paths.TARGETS_PREFIX}_{year}"
    return f"{base}.xlsx" if effective_from == 1 else f"{base}_perubahan_TW{effective_from}.xlsx"


def target_validation(
    indicator: Indicator, catalogue: Catalogue, year: int, quarter: int | None = None
) -> dict[str, Any]:
    """What a target may be (catalogue.bounds.target_bounds), with Indonesian messages."""
    name = (indicator.nama or indicator.indikator)[:160]
    bounds = target_bounds(indicator, catalogue)
    kind = "integer" if bounds.whole else "decimal"
    low = _plain(bounds.minimum)
    rule: dict[str, Any]
    if bounds.maximum is None:
        rule = {"validate": kind, "criteria": ">=", "value": low}
    else:
        top = _plain(bounds.maximum)
        rule = {"validate": kind, "criteria": "between", "minimum": low, "maximum": top}
    when = f"TW {ROMAN[quarter]}" if quarter else "tahun"
    return {
        **rule,
        "ignore_blank": True,
        "input_title": f"Target {when} {year}",
        "input_message": f"{name} ({indicator.satuan}). Isi {bounds.words}."[:255],
        "error_title": "Target tidak dapat diterima",
        "error_message": (
            f"Isi {bounds.words}, tanpa satuan atau huruf. Persentase: 85 berarti 85%."
        ),
        "error_type": "stop",
    }


def _plain(value: float) -> float | int:
    """0 rather than 0.0 in a validation formula (as Excel and LibreOffice write it)."""
    return int(value) if float(value).is_integer() else value


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


def _list_validation(title: str, message: str, choices: tuple[str, ...]) -> dict[str, Any]:
    return {
        "validate": "list",
        "source": list(choices),
        "ignore_blank": True,
        "input_title": title,
        "input_message": message[:255],
        "error_title": "Pilihan tidak dikenal",
        "error_message": f"Pilih salah satu: {', '.join(choices)}.",
        "error_type": "stop",
    }


def write_targets_template(
    path: Path,
    catalogue: Catalogue,
    year: int,
    *,
    targets: Mapping[str, float | TargetPlan] | None = None,
    baselines: Mapping[str, Mapping[int, float]] | None = None,
    effective_from: int = 1,
    config: Config | None = None,
    generated_at: str | None = None,
    roster: RosterText | None = None,
) -> TemplateMeta:
    """Write the targets workbook (atomically) and return its `_meta`.

    targets: indicator -> its plan (or an annual target alone) to pre-fill; baselines:
    growth indicator -> {quarter: value of its variable in that quarter of last year};
    effective_from: the quarter pre-filled in `Berlaku mulai` (1 murni, 2-4 perubahan);
    roster: (position code or `head`, field) and (`workbook`, `place`) -> text, the roster
    in force (sheet `Pegawai`). Every pre-filled cell stays editable.
    """
    config = config or Config()
    stamp = generated_at or now_text()
    with atomic_bytes(path) as buffer:
        workbook = new_workbook(buffer, f"Target IKI {year}", stamp)
        formats = styles.add_formats(workbook)
        header = f"{catalogue.office} · Target IKI {year}"
        guide: Guide = targets_guide(catalogue, year, config)
        write_guide(workbook, formats, guide, header)
        sheet = workbook.add_worksheet(TARGET_SHEET)
        _write_top(sheet, formats, catalogue, year)
        cells = [_write_effective(sheet, formats, year, effective_from)]
        cells += _write_rows(sheet, formats, catalogue, year, targets or {}, baselines or {})
        _finish(sheet, catalogue, year)
        cells += write_roster(
            workbook, formats, catalogue, year, roster or {}, (f"Pegawai {year}", str(year))
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


def _write_rows(
    sheet: Worksheet,
    formats: dict[str, Any],
    catalogue: Catalogue,
    year: int,
    targets: Mapping[str, float | TargetPlan],
    baselines: Mapping[str, Mapping[int, float]],
) -> list[MappedCell]:
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
                plan = as_plan(targets.get(indicator.code))
                given = baselines.get(indicator.code, {})
                _describe_row(sheet, formats, indicator, row, number)
                cells += _write_choices(sheet, formats, catalogue, indicator, row, plan)
                cells += _write_targets(sheet, formats, catalogue, indicator, row, year, plan)
                cells += _write_baselines(sheet, formats, catalogue, indicator, row, year, given)
                row, number = row + 1, number + 1
    return cells


def _finish(sheet: Worksheet, catalogue: Catalogue, year: int) -> None:
    for col, width in enumerate(WIDTHS):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(FIRST_ROW, 2)
    styles.print_setup(sheet, catalogue.office, f"Target IKI {year}", str(year), HEADER_ROW)
    styles.protect(sheet)


def _write_top(sheet: Worksheet, formats: dict[str, Any], catalogue: Catalogue, year: int) -> None:
    sheet.write_string(
        0, 0, f"RENCANA AKSI: TARGET INDIKATOR KINERJA INDIVIDU (IKI) {year}", formats["title"]
    )
    sheet.write_string(1, 0, catalogue.office, formats["subtitle"])
    sheet.merge_range(
        2,
        0,
        2,
        COL_SOURCE,
        "Isi target per triwulan dan target setahun pada sel kuning; persentase ditulis sebagai "
        "angka (85 berarti 85%). Kumulatif: target triwulan dijumlahkan (TW I + TW II + ...), "
        "jumlahnya sama dengan target tahunan. Nilai akhir: target triwulan adalah posisi yang "
        "dicapai pada akhir triwulan itu, target TW IV sama dengan target tahunan.",
        formats["wrap"],
    )
    sheet.set_row(2, 28)
    sheet.write_string(4, COL_RUMUS, "Arti warna:", formats["label"])
    sheet.write_string(4, COL_CALC, "Diisi", formats["legend_input"])
    sheet.write_string(4, COL_POLARITY, "Tidak perlu", formats["legend_later"])
    headers = (
        "No",
        "Kode",
        "Kinerja",
        "Indikator Kinerja",
        "Dihitung dari",
        "Satuan",
        "Perhitungan",
        "Polaritas",
        *(f"Target TW {ROMAN[q]}" for q in range(1, 5)),
        f"Target Tahunan {year}",
        *(f"Realisasi {year - 1} TW {ROMAN[q]}" for q in range(1, 5)),
        "Sumber Data",
    )
    for col, text in enumerate(headers):
        sheet.write_string(HEADER_ROW, col, text, formats["header"])
    sheet.set_row(HEADER_ROW, 42)


def _write_effective(
    sheet: Worksheet, formats: dict[str, Any], year: int, effective_from: int
) -> MappedCell:
    """The `Berlaku mulai` cell: from which quarter this version's targets apply."""
    row = EFFECTIVE_ROW
    sheet.merge_range(row, COL_NAME, row, COL_SATUAN, "Berlaku mulai:", formats["label"])
    word = QUARTER_WORDS[effective_from - 1]
    sheet.write_string(row, COL_CALC, word, formats["input_text"])
    rule = _list_validation(
        "Berlaku mulai",
        f"TW I: target murni {year}. Target perubahan: pilih triwulan pertama yang memakai "
        "target baru; triwulan sebelumnya tetap dinilai dengan target yang berlaku saat itu.",
        QUARTER_WORDS,
    )
    sheet.data_validation(row, COL_CALC, row, COL_CALC, rule)
    sheet.merge_range(
        row,
        COL_POLARITY,
        row,
        COL_SOURCE,
        "TW I = target murni (awal tahun). Perubahan (mis. APBD Perubahan): pilih triwulan "
        "pertama yang memakai target baru; triwulan sebelumnya tetap memakai target lama.",
        formats["small"],
    )
    sheet.set_row(row, 28)
    cell = xl_rowcol_to_cell(row, COL_CALC)
    return MappedCell(WORKBOOK_KEY, EFFECTIVE_FIELD, TARGET_SHEET, cell, True, word)


def _describe_row(
    sheet: Worksheet, formats: dict[str, Any], indicator: Indicator, row: int, number: int
) -> None:
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


def _write_choices(
    sheet: Worksheet,
    formats: dict[str, Any],
    catalogue: Catalogue,
    indicator: Indicator,
    row: int,
    plan: TargetPlan,
) -> list[MappedCell]:
    """Calculation type (a choice only where quarters add up) and polarity."""
    cells = []
    calculation = plan.perhitungan or catalogue.perhitungan(indicator)
    if catalogue.additive(indicator):
        rule = _list_validation(
            "Perhitungan",
            "kumulatif: target triwulan dijumlahkan s.d. triwulan laporan. nilai-akhir: target "
            "triwulan adalah posisi yang dicapai pada akhir triwulan itu.",
            PERHITUNGAN,
        )
        cells.append(
            _text_cell(
                sheet, formats, indicator.code, CALCULATION_FIELD, row, COL_CALC, calculation, rule
            )
        )
    else:
        sheet.write_string(row, COL_CALC, calculation, formats["later_text"])
    rule = _list_validation(
        "Polaritas",
        "positif: makin besar makin baik. negatif: makin kecil makin baik; capaian = "
        "(2 x target - realisasi) / target x 100.",
        POLARITIES,
    )
    polarity = plan.polaritas or indicator.polaritas
    cells.append(
        _text_cell(
            sheet, formats, indicator.code, POLARITY_FIELD, row, COL_POLARITY, polarity, rule
        )
    )
    return cells


def _write_targets(
    sheet: Worksheet,
    formats: dict[str, Any],
    catalogue: Catalogue,
    indicator: Indicator,
    row: int,
    year: int,
    plan: TargetPlan,
) -> list[MappedCell]:
    decimal = not target_bounds(indicator, catalogue).whole
    style = formats["input_decimal" if decimal else "input"]
    cells = []
    for quarter, field in enumerate(TARGET_QUARTER_FIELDS, start=1):
        rule = target_validation(indicator, catalogue, year, quarter)
        value = plan.quarterly.get(quarter)
        cells.append(
            _input_cell(
                sheet, style, indicator.code, field, row, COL_TW1 + quarter - 1, value, rule
            )
        )
    rule = target_validation(indicator, catalogue, year)
    cells.append(
        _input_cell(sheet, style, indicator.code, TARGET_FIELD, row, COL_TARGET, plan.target, rule)
    )
    return cells


def _write_baselines(
    sheet: Worksheet,
    formats: dict[str, Any],
    catalogue: Catalogue,
    indicator: Indicator,
    row: int,
    year: int,
    given: Mapping[int, float],
) -> list[MappedCell]:
    cells = []
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


def _text_cell(
    sheet: Worksheet,
    formats: dict[str, Any],
    key: str,
    field: str,
    row: int,
    col: int,
    word: str,
    rule: dict[str, Any],
) -> MappedCell:
    sheet.write_string(row, col, word, formats["input_text"])
    sheet.data_validation(row, col, row, col, rule)
    return MappedCell(key, field, TARGET_SHEET, xl_rowcol_to_cell(row, col), True, word)
