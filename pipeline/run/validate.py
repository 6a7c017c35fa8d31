"""The `validate` use case: every file of the inbox checked, what is open, feedback per unit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from pipeline.catalogue.model import Catalogue
from pipeline.config import Config
from pipeline.errors import UsageError
from pipeline.feedback import build_feedback, write_feedback
from pipeline.inbox.readcache import ReadCache
from pipeline.periods import Period
from pipeline.problems import Problem
from pipeline.reminders import build_reminders
from pipeline.run.scan import scan_inbox
from pipeline.status import bears_on, blocking, latest_period, open_files
from pipeline.submission import FileRecord, FileStatus


@dataclass(frozen=True)
class ValidateResult:
    """The files looked at, those that still need action, and the feedback written."""

    files: tuple[FileRecord, ...]
    pending: tuple[FileRecord, ...]
    feedback: tuple[Path, ...] = ()
    reminded: tuple[str, ...] = ()  # units sent a reminder: nothing received by the deadline

    @property
    def problems(self) -> list[Problem]:
        """Every problem of the files looked at, in file order."""
        return [p for f in self.files for p in f.problems]

    @property
    def clean(self) -> bool:
        """No fatal or error problem still open."""
        return not blocking(self.files)

    @property
    def settled(self) -> int:
        """Rejected files with problems that a later accepted file replaced."""
        return sum(
            1
            for f in self.files
            if f.status == FileStatus.REJECTED and f.problems and f not in self.pending
        )


def validate_inbox(
    inbox: Path,
    catalogue: Catalogue,
    config: Config,
    *,
    period: Period | None = None,
    feedback_dir: Path | None = None,
    today: dt.date | None = None,
    cache: ReadCache | None = None,
) -> ValidateResult:
    """Scan the inbox; keep the files bearing on `period` (all when None); write feedback.

    With feedback_dir, also a reminder for every unit that sent nothing for the period (the
    latest quarter in the inbox when None) once its deadline has passed by `today`.
    """
    scan = scan_inbox(inbox, catalogue, config, cache=cache)
    if all(f.status == FileStatus.IGNORED for f in scan.files):
        raise UsageError(
            f"Folder {inbox} tidak memuat kiriman apa pun ({len(scan.files)} berkas, semuanya "
            "bukan kiriman). Periksa nama foldernya: simpan lampiran surel ke folder ini, atau "
            "ambil dengan iki collect."
        )
    files = tuple(f for f in scan.files if period is None or bears_on(f, period))
    written: tuple[Path, ...] = ()
    reminded: tuple[str, ...] = ()
    if feedback_dir is not None:
        day = today or dt.datetime.now(config.zone).date()
        messages = build_feedback(files, catalogue, config, day)
        quarter = period or latest_period(scan.files)
        reminders = build_reminders(scan.files, catalogue, config, quarter, day)
        reminded = tuple(r.key for r in reminders)
        written = tuple(write_feedback([*messages, *reminders], feedback_dir, config))
    return ValidateResult(files, tuple(open_files(files)), written, reminded)
