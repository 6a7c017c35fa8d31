"""Problems with submitted data, as records (never exceptions), and their stable codes."""

from pipeline.problems.codes import CODES, Code, problem
from pipeline.problems.record import PROBLEM_COLUMNS, Problem, Severity, worst

__all__ = ["CODES", "PROBLEM_COLUMNS", "Code", "Problem", "Severity", "problem", "worst"]
