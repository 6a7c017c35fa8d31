"""Operating-system failures described in Indonesian, for messages a user can act on."""

from __future__ import annotations

import errno

# The reasons a user can do something about; any other errno is named by its code. Looked up
# by name: not every platform defines every code (EDQUOT on Windows).
_REASONS = (
    ("ENOSPC", "disk penuh (tidak ada ruang tersisa)"),
    ("EDQUOT", "kuota disk habis"),
    ("EFBIG", "berkas melebihi batas ukuran yang diizinkan sistem"),
    ("EACCES", "tidak ada izin"),
    ("EPERM", "tidak ada izin"),
    ("EROFS", "disk hanya dapat dibaca"),
    ("ENOENT", "folder atau berkas tidak ada"),
    ("ENOTDIR", "bagian dari jalurnya bukan folder"),
    ("EISDIR", "jalurnya adalah folder"),
    ("ENAMETOOLONG", "nama berkas terlalu panjang"),
    ("EIO", "galat perangkat (disk rusak atau terlepas)"),
    ("EBUSY", "sedang dipakai program lain"),
    ("EMFILE", "terlalu banyak berkas terbuka"),
)
REASONS = {getattr(errno, name): text for name, text in _REASONS if hasattr(errno, name)}
# Windows refuses to replace or delete a file another program holds open (ERROR_SHARING_VIOLATION).
SHARING_VIOLATION = 32


def os_reason(exc: OSError) -> str:
    """Why an OS call failed, in Indonesian ('disk penuh (...)', 'tidak ada izin', ...)."""
    if getattr(exc, "winerror", None) == SHARING_VIOLATION:
        return "berkas sedang dibuka program lain (misalnya Excel); tutup dulu berkas itu"
    if exc.errno in REASONS:
        return REASONS[exc.errno]
    code = errno.errorcode.get(exc.errno or 0, "tidak dikenal")
    return f"galat sistem {code}"


def os_cause(exc: BaseException) -> OSError | None:
    """The OSError behind an exception: itself, its first argument, or its cause.

    Writer libraries wrap the OS failure (xlsxwriter raises FileCreateError(OSError)).
    """
    for candidate in (exc, *exc.args[:1], exc.__cause__):
        if isinstance(candidate, OSError):
            return candidate
    return None
