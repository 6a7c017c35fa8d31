"""Guards before any reader: hostile and broken files are refused cheaply, one file at a time."""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest

from pipeline.catalogue import load_catalogue
from pipeline.config import Config
from pipeline.inbox import files as inbox_module  # where each file is read
from pipeline.inbox.guard import Limits, guard_bytes, guard_file
from pipeline.run.scan import scan_inbox
from pipeline.submission import FileStatus
from tests import corpus


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


XLSX_SKELETON = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}


def test_zip_bomb_is_rejected_by_the_guard_before_any_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 100 MB member in a ~100 kB file: refused from the zip directory alone."""
    cat = load_catalogue()
    ts = corpus.make_templates(cat, tmp_path / "templates")
    inbox = tmp_path / "inbox"
    good = corpus.filled(ts, "PKK", inbox / "baik.xlsx", cat)
    bomb = corpus.rezip(good, inbox / "bom.xlsx", add={"xl/media/a.bin": b"\0" * 100_000_000})
    assert bomb.stat().st_size < 1_000_000
    read_paths: list[str] = []
    real_read = inbox_module.read_workbook

    def spy(path: Path, data: bytes | None = None) -> object:
        read_paths.append(path.name)
        return real_read(path, data)

    monkeypatch.setattr(inbox_module, "read_workbook", spy)
    scan = scan_inbox(inbox, cat, Config())
    status = {f.path: (f.status, [p.code for p in f.problems]) for f in scan.files}
    assert status == {
        "baik.xlsx": (FileStatus.ACCEPTED, []),
        "bom.xlsx": (FileStatus.REJECTED, ["zip-bomb"]),
    }
    assert read_paths == ["baik.xlsx"]


def test_guard_limits_each_check() -> None:
    tiny = Limits(max_members=4, max_member_bytes=1000, max_total_bytes=1500)
    cases = {
        "many": _zip({**XLSX_SKELETON, "a": b"", "b": b"", "c": b""}),
        "member": _zip({**XLSX_SKELETON, "a": b"x" * 1001}),
        "total": _zip({**XLSX_SKELETON, "a": b"x" * 900, "b": b"y" * 900}),
        "fine": _zip({**XLSX_SKELETON, "a": b"x" * 900}),
    }
    codes = {name: [p.code for p in guard_bytes(data, tiny)] for name, data in cases.items()}
    assert codes == {
        "many": ["too-many-parts"],
        "member": ["zip-bomb"],
        "total": ["zip-bomb"],
        "fine": [],
    }
    ratio = _zip({**XLSX_SKELETON, "a": b"\0" * 2_000_000})  # ~1,000x: above the ratio limit
    assert [p.code for p in guard_bytes(ratio)] == ["zip-bomb"]


def _lie_about_size(data: bytearray, name: bytes, size: int) -> None:
    """Patch the uncompressed size of one member in its local header and central directory."""
    layouts = ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46))
    for signature, size_at, name_len_at, header in layouts:
        start = data.find(signature)
        while start != -1:
            length = struct.unpack_from("<H", data, start + name_len_at)[0]
            if data[start + header : start + header + length] == name:
                struct.pack_into("<I", data, start + size_at, size)
            start = data.find(signature, start + 4)


def test_lying_declared_sizes_are_bounded(tmp_path: Path) -> None:
    """A member whose header claims 10 bytes but inflates to 50 MB is never read in full."""
    name = "xl/worksheets/sheet1.xml"
    data = bytearray(_zip({**XLSX_SKELETON, name: b"<a>" + b" " * 50_000_000}))
    _lie_about_size(data, name.encode(), 10)
    path = tmp_path / "bohong.xlsx"
    path.write_bytes(bytes(data))
    # The zip directory looks harmless; inflating a bounded prefix stops at the declared size
    # and the checksum fails, so the file is refused as damaged.
    assert [p.code for p in guard_file(path)] == ["truncated-file"]
    (record,) = scan_inbox(tmp_path, load_catalogue(), Config()).files
    assert (record.status, [p.code for p in record.problems]) == (
        FileStatus.REJECTED,
        ["truncated-file"],
    )


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty-file"),
        (b"hello", "not-xlsx"),
        (b"PK\x03\x04" + b"\0" * 40, "truncated-file"),
        (_zip({"a.txt": b"x"}), "not-xlsx"),
        (_zip({**XLSX_SKELETON, "xl/vbaProject.bin": b"x"}), "macro-content"),
        (_zip({**XLSX_SKELETON, "xl/x.xml": b"<!DOCTYPE x [<!ENTITY a 'b'>]><x/>"}), "xml-doctype"),
    ],
)
def test_guard_codes(data: bytes, code: str) -> None:
    assert [p.code for p in guard_bytes(data)] == [code]
