"""Every folder and file name the pipeline uses, in one place."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

CATALOGUE_DIR = Path(str(resources.files("schemas") / "catalogue"))
DECREE_FILE = CATALOGUE_DIR / "decree_2018.yaml"
CATALOGUE_FILE = CATALOGUE_DIR / "iki_2018.yaml"

INBOX_DIR = Path("inbox")
EXAMPLE_INBOX_DIR = Path("examples") / "inbox"
TEMPLATES_DIR = Path("input_templates")
OUTPUT_DIR = Path("output")
LOG_DIR = Path("logs")  # internal-error logs (IKI_LOG_DIR overrides)

MANIFEST_FILE = "manifest.csv"
TARGETS_PREFIX = "Target_IKI"


def cache_dir() -> Path:
    """Where the CLI remembers a passed catalogue check: $XDG_CACHE_HOME/iki-pipeline."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "iki-pipeline"
