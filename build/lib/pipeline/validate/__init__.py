"""Validation of submissions: identity, cells (pandera), cross-cell rules, problem codes."""
