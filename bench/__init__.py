"""Benchmark of the pipeline at province size (see bench/RESULTS.md)."""
