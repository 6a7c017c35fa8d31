"""`python -m pipeline` runs the `iki` command (for a Windows PATH without pip's Scripts)."""

from pipeline.cli import main

main(prog_name="iki")
