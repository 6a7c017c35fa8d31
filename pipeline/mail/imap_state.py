"""What `collect` has fetched from each IMAP folder: UIDVALIDITY and the last UID done.

One JSON file outside the inbox (by default in the user's state folder, see
`pipeline.paths.state_dir`), one entry per (account and folder, inbox): the same mailbox
collected into two inboxes is fetched for each. Written atomically after every mail, so a run
that stops midway resumes after the last mail it finished.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pipeline.atomic import atomic_path
from pipeline.errors import UsageError


@dataclass(frozen=True)
class FolderState:
    """A folder's numbering (UIDVALIDITY) and the highest UID whose mail is done."""

    uidvalidity: int
    last_uid: int


def state_key(account: str, inbox: Path) -> str:
    """The entry of an account's folder collected into one inbox."""
    return f"{account} -> {inbox.resolve()}"


def load_state(path: Path, key: str) -> FolderState | None:
    """The saved state of one entry; None when nothing was fetched yet."""
    entry = _read(path).get(key)
    if not isinstance(entry, dict):
        return None
    try:
        return FolderState(int(entry["uidvalidity"]), int(entry["last_uid"]))
    except (KeyError, TypeError, ValueError):
        return None


def save_state(path: Path, key: str, state: FolderState) -> None:
    """Record one entry, keeping the others."""
    data = _read(path)
    data[key] = {"uidvalidity": state.uidvalidity, "last_uid": state.last_uid}
    with atomic_path(path) as temp:
        temp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def _read(path: Path) -> dict[str, object]:
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(
            f"berkas status IMAP {path} tidak dapat dibaca ({exc}); pindahkan berkas itu "
            "untuk membaca ulang seluruh folder (lampiran yang sudah ada akan dilewati)"
        ) from exc
    return data if isinstance(data, dict) else {}
