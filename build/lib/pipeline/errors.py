"""Program and environment failures; a user's bad data is a Problem, never one of these."""

from __future__ import annotations


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


class MailServerError(IkiError):
    """A mail server cannot be reached, refuses the login or a command, or breaks off."""
