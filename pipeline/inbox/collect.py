"""Copy spreadsheet attachments from saved mail (.eml folder, .mbox, Maildir) into the inbox.

Each mail goes through `pipeline.mail.intake.take`, and each attachment through
`pipeline.mail.deposit.Deposit`: sanitised names, nothing overwritten or followed, content
already in the inbox skipped, and each file's row in `inbox/manifest.csv` (sender, date,
subject, message id) written together with it. `iki collect imaps://...` reads a mailbox
instead (`pipeline.mail.imap`).
"""

from __future__ import annotations

import datetime as dt
import email.policy
import mailbox
import re
from collections.abc import Callable, Iterator
from email.message import Message
from email.parser import BytesHeaderParser
from pathlib import Path

from pipeline.errors import UsageError
from pipeline.mail.deposit import Deposit
from pipeline.mail.intake import CollectResult, take
from pipeline.mail.message import mail_date, parse, raw_header


def collect(source: Path, inbox: Path) -> CollectResult:
    """Copy every spreadsheet attachment found in `source` into `inbox`, with the manifest."""
    result = CollectResult()
    if not source.exists():
        raise UsageError(f"sumber surel {source} tidak ditemukan")
    with Deposit(inbox) as deposit:
        for where, message in _messages(source, result):
            take(deposit, message, where, result)
    return result


def _messages(source: Path, result: CollectResult) -> Iterator[tuple[str, Message]]:
    if source.is_dir() and all((source / d).is_dir() for d in ("cur", "new", "tmp")):
        box: mailbox.Mailbox = mailbox.Maildir(source, factory=None, create=False)
        yield from _from_box(box, source.name, result, order=maildir_order)
    elif source.is_dir():
        yield from _from_folder(source, result)
    elif source.suffix.lower() == ".eml":
        yield source.name, parse(source.read_bytes())
    else:
        yield from _from_box(mailbox.mbox(source, factory=None, create=False), source.name, result)


def _from_folder(source: Path, result: CollectResult) -> Iterator[tuple[str, Message]]:
    """Each .eml file of a folder and its subfolders, the earliest mail first.

    When one attachment came twice, the copy taken first keeps its name and its row in the
    manifest, and with it the receipt time lateness is judged by; the later copy is the
    duplicate. File names say nothing about which mail came first, so the order is the
    mails' Date, then the path; mails without a usable Date come last.
    """
    paths = sorted((p for p in source.rglob("*.eml") if p.is_file()), key=eml_order)
    for path in paths:
        where = path.relative_to(source).as_posix()
        try:
            raw = path.read_bytes()
        except OSError as exc:
            result.skipped.append((where, exc.strerror or str(exc)))
            continue
        yield where, parse(raw)


def eml_order(path: Path) -> tuple[int, float, str]:
    """Sort key of a saved mail: dated mails by their Date, then undated ones; by path within."""
    try:
        with path.open("rb") as handle:
            head = BytesHeaderParser(policy=email.policy.default).parse(handle)
        when = mail_date(raw_header(head, "Date"))
    except OSError:
        when = ""
    if not when:
        return (1, 0.0, path.as_posix())
    return (0, dt.datetime.fromisoformat(when).timestamp(), path.as_posix())


_MAILDIR_NAME = re.compile(r"(\d+)\.(?:[^.]*?M(\d+))?(?:[^.]*?Q(\d+))?")


def maildir_order(key: str) -> tuple[int, int, int, str]:
    """Sort key putting a Maildir's mails in the order they were delivered.

    A Maildir file name starts with the delivery time: `<seconds>.M<microseconds>P<pid>Q<n>.host`
    (Python; Dovecot without `Q`; Postfix `<seconds>.V<dev>I<inode>M<microseconds>.host`).
    Plain string order puts `M12` before `M5`, so two mails delivered in the same second
    could swap, and which copy of a resubmitted attachment keeps its name would depend on
    the clock. Names of another form sort after, by name.
    """
    match = _MAILDIR_NAME.match(key)
    if match is None:
        return (1 << 62, 0, 0, key)
    seconds, micro, counter = match.groups()
    return (int(seconds), int(micro or 0), int(counter or 0), key)


def _from_box(
    box: mailbox.Mailbox,
    label: str,
    result: CollectResult,
    order: Callable[[str], tuple[int, int, int, str]] | None = None,
) -> Iterator[tuple[str, Message]]:
    """Each mail of an mbox or Maildir in delivery order, named `<box>:<key>` for reports."""
    keys = sorted(box.iterkeys(), key=order) if order else sorted(box.iterkeys())
    for key in keys:
        try:
            raw = box.get_bytes(key)
        except (OSError, KeyError) as exc:
            result.skipped.append((f"{label}:{key}", str(exc)))
            continue
        yield f"{label}:{key}", parse(raw)
