"""Cheap checks run on a file's bytes before any reader touches it (standard library only).

A reader given a hostile file can spend seconds and gigabytes (zip bombs, XML bombs), or run
content it should not (macros). Every check here reads the zip directory and, for XML parts,
at most a bounded prefix, so a file costs about a millisecond whatever it claims to hold.
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
# A DTD (entities, external references) in any XML part, written in UTF-8 or any ASCII-based
# encoding, or in UTF-16 of either byte order: the only encodings the XML parser reads.
_DOCTYPE = re.compile(
    b"|".join(
        word.encode(encoding)
        for word in ("<!DOCTYPE", "<!ENTITY")
        for encoding in ("ascii", "utf-16-le", "utf-16-be")
    ),
    re.IGNORECASE,
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


def guard_bytes(data: bytes, limits: Limits = DEFAULT_LIMITS) -> list[Problem]:
    """The same checks on bytes already in memory."""
    if not data:
        return [problem("empty-file")]
    if len(data) > limits.max_file_bytes:
        return [problem("file-too-large", size=len(data), limit=limits.max_file_bytes)]
    if data.startswith(OLE2_MAGIC):
        return [problem("encrypted-file" if _ENCRYPTED_STREAM in data else "legacy-xls")]
    if not data.startswith(ZIP_MAGIC):
        return [problem("not-xlsx")]
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _check_archive(archive, limits)
    except _ZIP_FAILURES:
        return [problem("truncated-file")]


def _check_archive(archive: zipfile.ZipFile, limits: Limits) -> list[Problem]:
    infos = archive.infolist()
    if len(infos) > limits.max_members:
        return [problem("too-many-parts", count=len(infos), limit=limits.max_members)]
    bomb = _size_problem(infos, limits)
    if bomb:
        return [bomb]
    found = _names_problem(infos)
    if found:
        return [found]
    for info in infos:
        if not info.filename.lower().endswith(XML_SUFFIXES):
            continue
        if info.filename == "[Content_Types].xml":
            types = _head(archive, info, 1_000_000).lower()
            if _MACRO_TYPE in types:
                return [problem("macro-content")]
        if _has_dtd(archive, info, limits.chunk_bytes):
            return [problem("xml-doctype", detail=info.filename)]
    return []


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


def _has_dtd(archive: zipfile.ZipFile, info: zipfile.ZipInfo, chunk: int) -> bool:
    """Whether a part declares a DTD anywhere, read a chunk at a time (never whole)."""
    with archive.open(info) as stream:
        tail = b""
        while block := stream.read(chunk):
            if _DOCTYPE.search(tail + block):
                return True
            tail = block[-_OVERLAP:]
    return False


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
