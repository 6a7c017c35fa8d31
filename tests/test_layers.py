"""The import graph: every module imports only from its own floor or the floors below it.

Floors, bottom to top (the flow catalogue → templates → inbox → validate → merge → compute →
report reads upward; run/ composes the stages and cli/ only renders):
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FLOORS: list[tuple[str, ...]] = [
    (
        "pipeline.errors",
        "pipeline.paths",
        "pipeline.oserrors",
        "pipeline.filenames",
        "pipeline.collector",
        "schemas.vocabulary",
    ),
    (
        "pipeline.periods",
        "pipeline.problems",
        "pipeline.indonesian",
        "pipeline.atomic",
        "pipeline.lock",
        "pipeline.outputs",
        "pipeline.csvsafe",
        "pipeline.measure",
        "pipeline.rencana",
    ),
    ("pipeline.contract", "pipeline.config", "schemas.frames", "schemas.submission"),
    ("pipeline.submission", "schemas.catalogue_schemas"),
    ("pipeline.catalogue",),
    ("pipeline.templates", "pipeline.fill"),
    ("pipeline.mail",),
    ("pipeline.inbox",),
    ("pipeline.validate",),
    ("pipeline.status",),
    ("pipeline.merge", "pipeline.ledger"),
    ("pipeline.compute",),
    ("pipeline.report", "pipeline.feedback", "pipeline.reminders"),
    ("pipeline.run",),
    ("pipeline.cli", "pipeline.__main__"),
]


def floor_of(module: str) -> int | None:
    """The floor of a project module (by its longest known prefix); None for other modules."""
    best: tuple[int, int] | None = None
    for level, prefixes in enumerate(FLOORS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and (
                best is None or len(prefix) > best[1]
            ):
                best = (level, len(prefix))
    return None if best is None else best[0]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import of a project module, top-level or inside functions."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            found.extend((node.lineno, f"{node.module}.{a.name}") for a in node.names)
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, a.name) for a in node.names)
    return [(line, m) for line, m in found if m.split(".")[0] in ("pipeline", "schemas")]


SOURCES = sorted([*(ROOT / "pipeline").rglob("*.py"), *(ROOT / "schemas").rglob("*.py")])


def test_every_module_has_a_floor() -> None:
    homeless = [module_name(p) for p in SOURCES if floor_of(module_name(p)) is None]
    assert homeless in ([], ["pipeline", "schemas"])


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: module_name(p))
def test_no_import_runs_up_the_floors(path: Path) -> None:
    here = floor_of(module_name(path))
    if here is None:
        return
    upward = [
        f"line {line}: {target}"
        for line, target in imports(path)
        if (there := floor_of(target)) is not None and there > here
    ]
    assert upward == []


def test_validate_is_imported_by_nothing_below_it() -> None:
    validate = floor_of("pipeline.validate")
    assert validate is not None
    users = {
        module_name(p)
        for p in SOURCES
        for _, target in imports(p)
        if target.startswith("pipeline.validate")
        and not module_name(p).startswith("pipeline.validate")
    }
    assert all((floor_of(u) or 0) > validate for u in users), users
