"""Planbook: marketing plans as code."""

from __future__ import annotations

from .diagnostics import Diagnostic, Severity

__version__ = "0.1.0"
__all__ = ["Diagnostic", "Severity", "__version__"]
