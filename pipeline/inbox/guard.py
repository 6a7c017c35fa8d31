"""Cheap checks run on a file's bytes before any reader touches it (standard library only).

A reader given a hostile file can spend seconds and gigabytes (zip bombs, XML bombs), or run
content it should not (macros). Every check here reads the zip directory and inflates each
XML part a chunk at a time, never beyond its declared size (which is bounded first), so a
file costs well under a millisecond whatever it claims to hold. The XML parts, inflated once
and checked, are what the reader parses (`guard_parts`): one zip open and one inflation per
part for the guard and the reader together.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from pipeline.problems import Problem, problem

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")


def _any_case(word: str, encoding: str) -> bytes:
    """`word` in `encoding` as a regular expression, each ASCII letter in either case."""
    pattern = b""
    for char in word:
        code = re.escape(char.encode(encoding))
        if char.isalpha():
            code = code.replace(
                char.encode(), b"[" + char.upper().encode() + char.lower().encode() + b"]"
            )
        pattern += code
    return pattern


# A DTD (entities, external references) in any XML part, written in UTF-8 or any ASCII-based
# encoding, or in UTF-16 of either byte order: the only encodings the XML parser reads. What
# one IGNORECASE pattern of six alternatives found, as one pattern per encoding that starts
# with a literal `<!`: the search then skips to each `<!` (0.02 ms a file, not 1.6 ms).
_DOCTYPE = tuple(
    re.compile(
        _any_case("<!", encoding)
        + b"(?:"
        + b"|".join(_any_case(word, encoding) for word in ("DOCTYPE", "ENTITY"))
        + b")"
    )
    for encoding in ("ascii", "utf-16-le", "utf-16-be")
)
_OVERLAP = 32  # bytes kept between chunks, longer than any pattern above
XML_SUFFIXES = (".xml", ".rels", ".vml")
_MACRO_TYPE = b"macroenabled"
# What the standard library raises on a damaged, truncated or exotic zip.
_ZIP_FAILURES = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    ValueError,
    OSError,
    RuntimeError,  # an encrypted member
    NotImplementedError,  # an unsupported compression method
)


@dataclass(frozen=True)
class Limits:
    """Bounds a template never comes near; anything beyond is refused."""

    max_file_bytes: int = 5_000_000
    max_members: int = 200
    max_member_bytes: int = 20_000_000
    max_total_bytes: int = 60_000_000
    max_ratio: float = 200.0  # uncompressed / compressed, per member above 1 MB
    chunk_bytes: int = 65_536  # XML parts are searched for a DTD whole, a chunk at a time


DEFAULT_LIMITS = Limits()


def guard_file(path: Path, limits: Limits = DEFAULT_LIMITS) -> list[Problem]:
    """Fatal problems that make a file unsafe or impossible to read; empty when it may be read."""
    try:
        size = path.stat().st_size
        if size == 0:
            return [problem("empty-file")]
        if size > limits.max_file_bytes:
            return [problem("file-too-large", size=size, limit=limits.max_file_bytes)]
        data = path.read_bytes()
    except OSError as exc:
        return [problem("unreadable-workbook", detail=exc.strerror or str(exc))]
    return guard_bytes(data, limits)


@dataclass(frozen=True)
class XmlParts:
    """The XML parts of a package that passed the guard, inflated, none declaring a DTD.

    Only the guard makes one (`guard_parts`), so a reader given XmlParts parses nothing
    the guard did not check.
    """

    parts: dict[str, bytes]

    def read(self, name: str) -> bytes:
        """A part's bytes; KeyError when the package has no such XML part."""
        return self.parts[name]

    def __contains__(self, name: object) -> bool:
        return name in self.parts


def guard_bytes(data: bytes, limits: Limits = DEFAULT_LIMITS) -> list[Problem]:
    """The same checks on bytes already in memory."""
    return guard_parts(data, limits)[0]


def guard_parts(
    data: bytes, limits: Limits = DEFAULT_LIMITS
) -> tuple[list[Problem], XmlParts | None]:
    """The guard's problems, and the XML parts it inflated when there are none."""
    refused = _magic_problem(data, limits)
    if refused:
        return [refused], None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _check_archive(archive, limits)
    except _ZIP_FAILURES:
        return [problem("truncated-file")], None


def _magic_problem(data: bytes, limits: Limits) -> Problem | None:
    if not data:
        return problem("empty-file")
    if len(data) > limits.max_file_bytes:
        return problem("file-too-large", size=len(data), limit=limits.max_file_bytes)
    if data.startswith(OLE2_MAGIC):
        return problem("encrypted-file" if _ENCRYPTED_STREAM in data else "legacy-xls")
    if not data.startswith(ZIP_MAGIC):
        return problem("not-xlsx")
    return None


def _check_archive(
    archive: zipfile.ZipFile, limits: Limits
) -> tuple[list[Problem], XmlParts | None]:
    infos = archive.infolist()
    if len(infos) > limits.max_members:
        return [problem("too-many-parts", count=len(infos), limit=limits.max_members)], None
    found = _size_problem(infos, limits) or _names_problem(infos)
    if found:
        return [found], None
    parts: dict[str, bytes] = {}
    for info in infos:
        if not info.filename.lower().endswith(XML_SUFFIXES):
            continue
        if info.filename == "[Content_Types].xml":
            types = _head(archive, info, 1_000_000).lower()
            if _MACRO_TYPE in types:
                return [problem("macro-content")], None
        part = _inflated(archive, info, limits.chunk_bytes)
        if part is None:
            return [problem("xml-doctype", detail=info.filename)], None
        parts[info.filename] = part
    return [], XmlParts(parts)


def _names_problem(infos: list[zipfile.ZipInfo]) -> Problem | None:
    """A part named twice (readers disagree on which counts), no workbook, or macros."""
    counts = Counter(info.filename for info in infos)
    twice = sorted(name for name, count in counts.items() if count > 1)
    if twice:
        return problem("duplicate-part", detail=twice[0])
    if "[Content_Types].xml" not in counts or "xl/workbook.xml" not in counts:
        return problem("not-xlsx")
    if any(name.lower().endswith("vbaproject.bin") for name in counts):
        return problem("macro-content")
    return None


def _inflated(archive: zipfile.ZipFile, info: zipfile.ZipInfo, chunk: int) -> bytes | None:
    """A part, inflated a chunk at a time and never beyond its declared size (a lying size
    fails the checksum); None when it declares a DTD anywhere."""
    blocks: list[bytes] = []
    with archive.open(info) as stream:
        tail = b""
        while block := stream.read(chunk):
            if _declares_dtd(tail + block):
                return None
            blocks.append(block)
            if len(block) < chunk:
                break  # a short read is the end of the part (its checksum was checked)
            tail = block[-_OVERLAP:]
    return b"".join(blocks)


def _declares_dtd(text: bytes) -> bool:
    return any(pattern.search(text) for pattern in _DOCTYPE)


def _size_problem(infos: list[zipfile.ZipInfo], limits: Limits) -> Problem | None:
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > limits.max_member_bytes:
            return problem("zip-bomb", detail=f"{info.filename}: {info.file_size} byte")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1_000_000 and ratio > limits.max_ratio:
            return problem("zip-bomb", detail=f"{info.filename}: rasio {ratio:.0f}x")
    if total > limits.max_total_bytes:
        return problem("zip-bomb", detail=f"total {total} byte")
    return None


def _head(archive: zipfile.ZipFile, info: zipfile.ZipInfo, size: int) -> bytes:
    """At most `size` inflated bytes of a member: declared sizes may lie, so never read all."""
    with archive.open(info) as stream:
        return stream.read(size)
