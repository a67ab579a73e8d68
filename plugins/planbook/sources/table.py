"""The table one metric file becomes, how a source is read, and message helpers.

Shared by the file reader (:mod:`.files`), the row rules (:mod:`.convert`), the
warehouse sources and :class:`planbook.data.DataStore`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .. import columns as cols
from ..diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from .currency import Stated

__all__ = ["ReadOptions", "Table", "empty_frame", "line_list", "quote", "rows_word"]

LIST_LINES = 5


@dataclass(frozen=True)
class ReadOptions:
    """How one source is read, beyond detection (``metrics: [{path, profile, ...}]``)."""

    profile: str | None = None
    encoding: str | None = None
    decimal: str | None = None
    sheet: str | None = None
    date_format: str | None = None


@dataclass(frozen=True)
class Table:
    """One parsed metric file.

    ``frame`` holds ``date``, the dimension columns (str) and the measures (float64);
    ``rates`` are the export's own rate columns (name -> built-in KPI id or ``None``),
    left out of the frame; ``non_additive`` names measures that must not be summed
    across days (reach, users, cumulative followers).
    """

    path: str
    frame: pd.DataFrame = field(repr=False)
    dimensions: tuple[str, ...]
    measures: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]
    digest: str
    encoding: str
    profile: str | None = None
    rates: tuple[tuple[str, str | None], ...] = ()
    non_additive: tuple[str, ...] = ()
    line_of: Callable[[np.ndarray], np.ndarray] | None = field(
        default=None, repr=False, compare=False
    )
    # Reader rows of the frame's rows (None: the same, no row was excluded).
    rows: np.ndarray | None = field(default=None, repr=False, compare=False)
    # The query result this table holds (a warehouse source), for the build's record.
    query: Any = field(default=None, repr=False, compare=False)
    # Where the file states its currency (:mod:`.currency`; empty: it states none) and
    # which of its measures are amounts of money (never added across currencies).
    currency: tuple[Stated, ...] = ()
    money: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when the file could be read (there may still be warnings)."""
        return not any(d.severity is Severity.ERROR for d in self.diagnostics)

    def lines(self, frame_rows: np.ndarray) -> list[int]:
        """Physical lines of rows of :attr:`frame` (for messages)."""
        if self.line_of is None:
            return [int(r) + 2 for r in frame_rows]
        rows = np.asarray(frame_rows, dtype=np.int64)
        return [int(x) for x in self.line_of(rows if self.rows is None else self.rows[rows])]


def empty_frame() -> pd.DataFrame:
    return pd.DataFrame({cols.DATE: pd.Series([], dtype="datetime64[ns]")})


def rows_word(n: int, what: str = "row") -> str:
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


def line_list(lines: Sequence[int], total: int | None = None) -> str:
    total = len(lines) if total is None else total
    shown = ", ".join(str(n) for n in lines[:LIST_LINES])
    more = total - min(len(lines), LIST_LINES)
    word = "line" if total == 1 else "lines"
    return f"{word} {shown}" + (f" and {more} more" if more > 0 else "")


def quote(text: str, limit: int = 60) -> str:
    text = " ".join(str(text).split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
