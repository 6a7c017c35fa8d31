"""Validation of identified submissions: cells (pandera, many files at once), cross-cell rules."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace

from pipeline.catalogue.model import Catalogue
from pipeline.config import Config
from pipeline.problems import Problem, Severity
from pipeline.submission import Submission
from pipeline.validate.cells import cell_problems
from pipeline.validate.rules import (
    Against,
    history_warnings,
    sender_warnings,
    subset_indicators,
    subset_warnings,
)
from pipeline.validate.targets import target_problems
from pipeline.validate.texts import text_problems


def validate_submissions(
    subs: Sequence[Submission], senders: Sequence[str], catalogue: Catalogue, config: Config
) -> list[list[Problem]]:
    """Problems of each submission (same order): its cells, subsets, who sent it, and the
    targets workbook's own rules."""
    found = []
    subsets = subset_indicators(catalogue)
    for sub, sender, problems in zip(subs, senders, cell_problems(subs, catalogue), strict=True):
        found.append(
            explained(
                sub.noted(),
                [
                    *problems,
                    *subset_warnings(sub, catalogue, subsets),
                    *sender_warnings(sub, sender, config.senders),
                    *target_problems(sub, catalogue),
                    *text_problems(sub, catalogue),
                ],
            )
        )
    return found


def explained(noted: Collection[str], problems: Sequence[Problem]) -> list[Problem]:
    """The problems, each warning on a row whose Keterangan holds text (`noted`: those rows'
    keys) marked explained."""
    return [
        replace(p, explained=True)
        if p.severity == Severity.WARNING and p.extra.get("key") in noted
        else p
        for p in problems
    ]


__all__ = ["Against", "explained", "history_warnings", "validate_submissions"]
