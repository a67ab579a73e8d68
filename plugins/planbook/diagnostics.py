"""The one diagnostics type every part of Planbook reports with."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    """A problem found in a file: where, which rule, how bad, and what to do.

    ``file`` is a path relative to the project root (``content/plans/x.md``,
    ``data/x.csv``); ``line`` and ``column`` are 1-based (``None`` when the
    problem is about the whole file); ``field`` is the dotted path inside the
    front matter (``plan.goals[2].target``) or the CSV column.
    """

    file: str
    line: int | None
    field: str | None
    rule: str
    severity: Severity
    message: str
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    # Extra structured details (a finding's matched text, suggestion, ...).
    extra: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @property
    def location(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def __str__(self) -> str:
        subject = f"{self.field}: " if self.field else ""
        return f"{self.location}: {self.severity.value}: {subject}{self.message} [{self.rule}]"

    @property
    def key(self) -> str | None:
        """The message's catalogue id (``messages``), ``None`` for an uncatalogued text."""
        return getattr(self.message, "key", None)

    @property
    def args(self) -> dict[str, object]:
        """The message's arguments (the raw values its text is made from)."""
        return dict(getattr(self.message, "args", ()))

    def get(self, key: str, default: str | None = None) -> str | None:
        return dict(self.extra).get(key, default)
