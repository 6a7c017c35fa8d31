"""Python's cycle collector paused where the pipeline makes no reference cycles.

The collector runs whenever enough container objects have been made, and each full run
walks every object still alive. Reading a file makes thousands of short-lived objects that
hold no cycles (element trees, cells), and a scan keeps a record per file: left on, the
collector walks element trees again and again (a sixth of the reader's time) and, as the
records pile up, walks them more often per file the larger the inbox (a third of the
validation stage at 10,000 files). Paused, reference counting frees everything as before;
a scan of 10,000 files left no unreachable object behind (and a few, from failed pandera
validations, when files had errors), so nothing waits for the collector but those few,
which it takes when it runs again. The state is restored on leaving, paused or not.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cycle collector paused inside the block, as it was after it (blocks may nest)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
