"""The one diagnostics type every part of Planbook reports with."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
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

    def get(self, key: str, default: str | None = None) -> str | None:
        return dict(self.extra).get(key, default)


class Diagnostics:
    """An ordered collection of diagnostics with a few conveniences."""

    def __init__(self, items: Iterable[Diagnostic] = ()) -> None:
        self._items: list[Diagnostic] = list(items)

    def add(self, diagnostic: Diagnostic) -> None:
        self._items.append(diagnostic)

    def extend(self, items: Iterable[Diagnostic]) -> None:
        self._items.extend(items)

    def error(
        self, file: str, line: int | None, field: str | None, rule: str, message: str, **kw: object
    ) -> None:
        self.add(Diagnostic(file, line, field, rule, Severity.ERROR, message, **kw))  # type: ignore[arg-type]

    def warning(
        self, file: str, line: int | None, field: str | None, rule: str, message: str, **kw: object
    ) -> None:
        self.add(Diagnostic(file, line, field, rule, Severity.WARNING, message, **kw))  # type: ignore[arg-type]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self._items if d.severity is Severity.ERROR]

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self._items)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __bool__(self) -> bool:
        return bool(self._items)


class PlanbookError(Exception):
    """An error that stops the engine; carries its diagnostics."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = list(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))
