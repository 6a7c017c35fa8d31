"""No input makes the scan crash or hang: mutated submissions end accepted or rejected."""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.catalogue.model import Catalogue
from pipeline.config import Config
from pipeline.inbox.xlsx import Package, column_letters
from pipeline.problems import Severity
from pipeline.run.scan import scan_inbox
from pipeline.submission import FileStatus
from tests import corpus

UNITS = ("IPK", "PKK", "UMP")
BLOCKING = {Severity.FATAL, Severity.ERROR}


@pytest.fixture(scope="module")
def valid(catalogue: Catalogue, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    ts = corpus.make_templates(catalogue, tmp_path_factory.mktemp("templates"))
    folder = tmp_path_factory.mktemp("valid")
    return {u: corpus.filled(ts, u, folder / f"{u}.xlsx", catalogue).read_bytes() for u in UNITS}


def _set_cells(data: bytes, changes: dict[str, str]) -> bytes:
    """Rewrite input cells of the Isian sheet as inline text, straight in the XML."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet2.xml":
                for ref, text in changes.items():
                    escaped = text.replace("&", "&amp;").replace("<", "&lt;").encode()
                    cell = (
                        b'<c r="'
                        + ref.encode()
                        + b'" t="inlineStr"><is><t>'
                        + escaped
                        + b"</t></is></c>"
                    )
                    content = re.sub(
                        rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)',
                        lambda _, cell=cell: cell,  # type: ignore[misc]
                        content,
                        count=1,
                    )
            target.writestr(info, content)
    return out.getvalue()


text_values = st.one_of(
    st.text(max_size=12),
    st.integers(-(10**6), 10**9).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["1.234", "12,5", "12 orang", "-", "=1+1", "#REF!", "TRUE", "1e308"]),
)

mutation = st.one_of(
    st.tuples(
        st.just("cells"),
        st.dictionaries(
            st.sampled_from(["H7", "H8", "H9", "B7", "G7", "I7"]),
            text_values,
            min_size=1,
            max_size=4,
        ),
    ),
    st.tuples(
        st.just("bytes"),
        st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=20),
    ),
    st.tuples(st.just("truncate"), st.floats(0.0, 1.0)),
    # Shapes that once crashed the run: a far cell (calamine sized its grid by it) in a
    # mapped sheet or in _meta, and extra _meta map rows (a duplicate mapping raised).
    st.tuples(
        st.just("far"),
        st.tuples(
            st.sampled_from(["Isian", "_meta"]),
            st.integers(1, 16_384),
            st.integers(30, 1_048_576),
        ),
    ),
    st.tuples(
        st.just("maprow"),
        st.lists(
            st.tuples(
                st.sampled_from(["IPK.PENCAKER_TERDAFTAR", "PKK.PENYERAPAN_TK", "X", ""]),
                st.sampled_from(["TW2", "TW1", "note", "target", "zz"]),
                st.sampled_from(["Isian", "IKI", "_meta", "Lain"]),
                st.sampled_from(["H7", "M40", "XFD1048576", "A0", "7H"]),
                st.sampled_from(["1", "0", ""]),
            ),
            min_size=1,
            max_size=3,
        ),
    ),
)


def _edit_part(data: bytes, sheet: str, edit: object) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    part = Package(source).sheets[sheet]
    out = io.BytesIO()
    with source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info, edit(content) if info.filename == part else content)  # type: ignore[operator]
    return out.getvalue()


def _far(data: bytes, where: tuple[str, int, int]) -> bytes:
    sheet, column, row = where
    ref = f"{column_letters(column)}{row}".encode()
    extra = b'<row r="' + str(row).encode() + b'"><c r="' + ref + b'"><v>7</v></c></row>'
    return _edit_part(
        data, sheet, lambda xml: xml.replace(b"</sheetData>", extra + b"</sheetData>")
    )


def _map_rows(data: bytes, rows: list[tuple[str, ...]]) -> bytes:
    def edit(xml: bytes) -> bytes:
        last = max(int(r) for r in re.findall(rb'<row r="(\d+)"', xml))
        added = b""
        for offset, values in enumerate(rows, start=1):
            number = str(last + offset).encode()
            cells = b"".join(
                b'<c r="'
                + column.encode()
                + number
                + b'" t="inlineStr"><is><t>'
                + value.encode()
                + b"</t></is></c>"
                for column, value in zip("ABCDEF", values, strict=False)
            )
            added += b'<row r="' + number + b'">' + cells + b"</row>"
        return xml.replace(b"</sheetData>", added + b"</sheetData>")

    return _edit_part(data, "_meta", edit)


def _mutate(data: bytes, kind: str, how: object) -> bytes:
    if kind == "cells":
        return _set_cells(data, how)  # type: ignore[arg-type]
    if kind == "far":
        return _far(data, how)  # type: ignore[arg-type]
    if kind == "maprow":
        return _map_rows(data, how)  # type: ignore[arg-type]
    if kind == "bytes":
        changed = bytearray(data)
        for position, value in how:  # type: ignore[attr-defined]
            changed[position % len(changed)] = value
        return bytes(changed)
    return data[: int(len(data) * how)]  # type: ignore[operator]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(unit=st.sampled_from(UNITS), change=mutation, extra=st.binary(max_size=200))
def test_mutated_submissions_end_accepted_or_rejected(
    catalogue: Catalogue,
    valid: dict[str, bytes],
    unit: str,
    change: tuple[str, object],
    extra: bytes,
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        inbox = Path(folder)
        (inbox / "mutasi.xlsx").write_bytes(_mutate(valid[unit], *change))
        (inbox / "acak.xlsx").write_bytes(extra)
        other = "PKK" if unit != "PKK" else "IPK"
        (inbox / "lain.xlsx").write_bytes(valid[other])
        scan = scan_inbox(inbox, catalogue, Config())
    for record in scan.files:
        blocking = [p for p in record.problems if p.severity in BLOCKING]
        assert record.status in (
            FileStatus.ACCEPTED,
            FileStatus.SUPERSEDED,
            FileStatus.REJECTED,
            FileStatus.IGNORED,
        )
        assert bool(blocking) == (record.status == FileStatus.REJECTED), record
        assert all(p.code and p.message for p in record.problems)
    status = {f.path: f.status for f in scan.files}
    assert status["lain.xlsx"] == FileStatus.ACCEPTED
    assert status.get("acak.xlsx", FileStatus.REJECTED) in (FileStatus.REJECTED, FileStatus.IGNORED)


def test_cell_mutation_reaches_the_validator(
    catalogue: Catalogue, valid: dict[str, bytes], tmp_path: Path
) -> None:
    """The XML-level cell rewrite used above really changes what the reader sees."""
    (tmp_path / "ipk.xlsx").write_bytes(_set_cells(valid["IPK"], {"H7": "12 orang", "B7": "X"}))
    (record,) = scan_inbox(tmp_path, catalogue, Config()).files
    assert [(p.cell, p.code) for p in record.problems] == [
        ("B7", "variable-code-changed"),
        ("H7", "number-with-unit"),
    ]
