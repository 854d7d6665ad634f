"""The HTML report: programs compared, written as one self-contained page plus PNG figures."""

from __future__ import annotations

from .comparison import Comparison, compare_programs, write_report

__all__ = ["Comparison", "compare_programs", "write_report"]
