"""Every folder and file name the pipeline uses, in one place."""

from __future__ import annotations

import os
import sys
from importlib import resources
from pathlib import Path

CATALOGUE_DIR = Path(str(resources.files("schemas") / "catalogue"))
DECREE_FILE = CATALOGUE_DIR / "decree_2018.yaml"
CATALOGUE_FILE = CATALOGUE_DIR / "iki_2018.yaml"

INBOX_DIR = Path("inbox")
# The bundled example office ships inside the package (package data of `examples`), so
# `iki report --contoh` works from any folder after `pip install`.
EXAMPLE_INBOX_DIR = Path(str(resources.files("examples") / "inbox"))
TEMPLATES_DIR = Path("input_templates")
OUTPUT_DIR = Path("output")
# The ledger of closed quarters (iki close / reopen): beside the inbox, never inside it.
LEDGER_DIR = Path("ledger")
LOG_DIR = Path("logs")  # internal-error logs (IKI_LOG_DIR overrides)

MANIFEST_FILE = "manifest.csv"
TARGETS_PREFIX = "Target_IKI"
IMAP_STATE_FILE = "imap.json"
SENT_LOG_FILE = "terkirim.csv"


def state_dir() -> Path:
    """Where collect and send remember what they did, outside any inbox.

    $XDG_STATE_HOME/iki-pipeline (by default ~/.local/state/iki-pipeline); on Windows
    %LOCALAPPDATA%\\iki-pipeline.
    """
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "iki-pipeline"
    base = os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state"
    return Path(base) / "iki-pipeline"


def cache_dir() -> Path:
    """Where the CLI remembers a passed catalogue check: $XDG_CACHE_HOME/iki-pipeline."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "iki-pipeline"
