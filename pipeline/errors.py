"""Program and environment failures; a user's bad data is a Problem, never one of these."""

from __future__ import annotations

from pathlib import Path


class IkiError(Exception):
    """Base of every failure the CLI turns into a one-line message."""


class CatalogueError(IkiError):
    """The catalogue is broken: the message names every offending entry."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("Katalog tidak valid:\n" + "\n".join(f"- {m}" for m in messages))


class UsageError(IkiError):
    """A command was called with arguments that cannot work."""


class OutputError(IkiError):
    """An output file or folder cannot be written."""

    def __init__(self, message: str, *, path: Path | None = None, reason: str = "") -> None:
        super().__init__(message)
        self.path = path  # the file that could not be written, when one is known
        self.reason = reason  # why, in Indonesian ('disk penuh ...')


class OutputBusyError(OutputError):
    """Another run is writing into the same output folder and did not finish in time."""


class MailServerError(IkiError):
    """A mail server cannot be reached, refuses the login or a command, or breaks off."""
