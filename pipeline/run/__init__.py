"""Use cases the CLI calls, one function each: scan, report, templates, validate."""
