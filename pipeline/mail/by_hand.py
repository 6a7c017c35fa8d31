"""Files Renvapor received by hand (a flash disk, a chat message): into the inbox with a time.

A file saved into the inbox by hand has no receipt time, so it is neither on time nor late.
`iki terima BERKAS --diterima "2018-07-09 10:15"` copies it in through the same deposit as
every collector (no overwrite, no link followed, duplicates skipped) and writes its manifest
row with that time; for a file already in the inbox without a row, only the row is added.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from pipeline.errors import UsageError
from pipeline.mail.deposit import Deposit, Duplicate, Origin, Saved
from pipeline.mail.message import Attachment, Headers

SUBJECT = "diterima langsung (dicatat Renvapor)"
SUFFIXES = (".xlsx", ".xlsm", ".xls")


def receive_by_hand(
    files: Sequence[Path], inbox: Path, received: dt.datetime, sender: str = ""
) -> list[Saved | Duplicate]:
    """Put each file into the inbox with a manifest row saying when it was received."""
    if received.tzinfo is None:
        raise ValueError("received must be an aware time")
    moment = received.isoformat(timespec="seconds")
    origin = Origin(Headers(sender.strip().lower(), moment, SUBJECT, ""), moment)
    outcomes: list[Saved | Duplicate] = []
    with Deposit(inbox) as deposit:
        for path in files:
            suffix = path.suffix.lower()
            if suffix not in SUFFIXES:
                raise UsageError(f"{path} bukan berkas Excel (.xlsx)")
            try:
                payload = path.read_bytes()
            except OSError as exc:
                raise UsageError(f"{path} tidak dapat dibaca: {exc.strerror or exc}") from exc
            outcomes.append(deposit.save(Attachment(path.name, payload, suffix), origin))
    return outcomes
