"""What both readers of a delimited body hand on (:class:`Raw`), and the exact reader.

The exact path reads the decoded text with Python's ``csv`` module (the fast path,
:mod:`.reader`, gives up to it): rows with a trailing delimiter (empty extra fields)
are read, shorter and longer rows are excluded and reported with their line, footers
after the table are set aside. Line numbers are physical and 1-based, and stay right
after a quoted field that holds a newline: they come from the ``csv`` module's own
line count.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = [
    "FIELD_LIMIT",
    "TOO_LONG",
    "Raw",
    "hides_rows",
    "names",
    "read_exact",
    "rows_frame",
    "text_records",
]

# The csv module's limit on one field (characters); a longer one is a line of its own
# that is not read (TOO_LONG), the lines below it are.
FIELD_LIMIT = csv.field_size_limit()
# The fields of such a line (compared by identity).
TOO_LONG: list[str] = ["\x00too-long"]


@dataclass
class Raw:
    """Raw columns ``c0 … c{n-1}`` of the data rows, and what was set aside."""

    frame: pd.DataFrame
    binary: bool  # text columns hold bytes in the file's encoding (GB18030 fast path)
    line_of: Callable[[np.ndarray], np.ndarray]
    cell: Callable[[int, int], str] | None = None  # (row, column) -> the text as written
    bad: list[tuple[int, int]] = field(default_factory=list)  # (line, fields)
    empty: list[int] = field(default_factory=list)  # lines with only delimiters
    after: list[int] = field(default_factory=list)  # lines below the table
    # an excluded row whose quoted field holds line breaks: its line -> the line it ends on
    # (a quote opened and closed lines later: the lines between are inside it)
    runs: dict[int, int] = field(default_factory=dict)
    digest: str = ""  # the content key of the whole file, when the reader read it from disk

    def columns(self, freed: list[str]) -> dict[str, pd.Series]:
        """The raw columns by name, for the row rules to free the ones named ``freed`` one
        by one as they read them (``del``). When the text can be read again (:attr:`cell`),
        :attr:`frame` lets go of those all at once; a ``del frame[name]`` per column
        copies the frame's list of columns each time, quadratic in the columns (2,000 took
        50 s)."""
        columns = dict(self.frame.items())
        if self.cell is not None and freed:
            self.frame = self.frame.drop(columns=freed)
        return columns


def names(n: int) -> list[str]:
    return [f"c{i}" for i in range(n)]


def rows_frame(rows: Sequence[Sequence[str]], n: int) -> pd.DataFrame:
    """Rows of text (already ``n`` fields each) -> columns ``c0 …`` of dtype ``str``."""
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in range(n)]
    return pd.DataFrame(
        {
            name: pd.Series(list(col), dtype="str")
            for name, col in zip(names(n), columns, strict=True)
        }
    )


def _footer(rec: list[str] | None, n: int) -> bool:
    if rec is None or rec is TOO_LONG or len(rec) >= n or n < 2:
        return False
    if rec and rec[0].lstrip().startswith("#"):
        return True
    return sum(1 for f in rec if f.strip()) <= 1


def _breaks(fields: Sequence[str]) -> int:
    """Line breaks inside a record's fields: the lines it runs over after its first."""
    return sum(f.count("\n") for f in fields)


def hides_rows(value: str | bytes, n: int, delimiter: str | bytes) -> bool:
    """Whether ``value`` holds, after a line break, a line shaped like a row of ``n``
    fields (a digit first, as a date, and ``n - 1`` delimiters): a quote opened in one
    row and closed rows later. A post's text may hold line breaks; a line of it rarely
    has a row's shape. Both readers ask it (``reader._swallowed`` of its columns)."""
    nl = b"\n" if isinstance(value, bytes) else "\n"
    if n < 2 or nl not in value:
        return False
    return any(
        line.count(delimiter) == n - 1 and line[:1].isdigit()  # type: ignore[arg-type]
        for line in value.split(nl)[1:]  # type: ignore[arg-type]
    )


def read_exact(
    records: Sequence[tuple[int, list[str] | None]], n: int, delimiter: str | None = None
) -> Raw:
    """Classify ``(line, fields)`` records of the body: rows with ``n`` fields (or more,
    when the extra ones are empty) are read; rows of only delimiters are counted; other
    rows are excluded with their line; one-field lines and ``#`` lines after the last
    row are below the table. With the ``delimiter`` of a text file, a row whose quoted
    field hides whole rows (a stray quote) is excluded too (a sheet's cells have no
    quotes: ``None``)."""
    kept: list[list[str]] = []
    lines: list[int] = []
    bad: list[tuple[int, int]] = []
    empty: list[int] = []
    after: list[int] = []
    runs: dict[int, int] = {}
    last = len(records)
    while last > 0 and _footer(records[last - 1][1], n):
        after.append(records[last - 1][0])
        last -= 1
    for at, (line, rec) in enumerate(records[:last]):
        if rec is not None and at == len(records) - 1 and rec and rec[-1].endswith("\n"):
            # the last field took the file's last line break: its quote never closed, and
            # the lines below it went into it
            runs[line] = line + _breaks([*rec[:-1], rec[-1].rstrip()])
            rec = None
        elif rec is None and isinstance(records, Records) and records.end is not None:
            runs[line] = records.end  # the reader stopped there: the rest is unread
        if rec is None:
            bad.append((line, -1))
            continue
        if rec is TOO_LONG:
            bad.append((line, -2))
            continue
        if not any(f.strip() for f in rec):
            empty.append(line)
            continue
        k = len(rec)
        if delimiter is not None and k >= n and any(hides_rows(f, n, delimiter) for f in rec):
            # a quote opened in one row and closed rows later: the rows between hide in
            # one field, and the count came out right by chance
            bad.append((line, k))
            runs[line] = line + _breaks(rec)
            continue
        if k == n:
            kept.append(rec)
        elif k > n and not any(f.strip() for f in rec[n:]):
            kept.append(rec[:n])
        else:
            bad.append((line, k))
            breaks = _breaks(rec)
            if breaks:
                runs[line] = line + breaks
            continue
        lines.append(line)
    line_array = np.asarray(lines, dtype=np.int64)

    def line_of(rows: np.ndarray) -> np.ndarray:
        rows = np.asarray(rows, dtype=np.int64)
        return line_array[rows] if len(line_array) else rows + 2

    return Raw(rows_frame(kept, n), False, line_of, None, bad, empty, sorted(after), runs)


class Records(list[tuple[int, "list[str] | None"]]):
    """:func:`text_records`' records, and the file's last line with text where the
    reading stopped at a quote never closed (``end``: that record runs to it)."""

    end: int | None = None


def text_records(text: str, delimiter: str, first_line: int) -> Records:
    """``(starting line, fields)`` of every non-blank record of ``text``; ``None`` as the
    fields of a last record that cannot be read (a quote never closed): that line and
    the rest of the file. A field over the ``csv`` module's limit (:data:`FIELD_LIMIT`
    characters) makes its line :data:`TOO_LONG`, and the reading goes on below it."""
    buf = io.StringIO(text, newline="")
    out = Records()
    base = 0  # lines read by the readers before this one
    while True:
        reader = csv.reader(buf, delimiter=delimiter)
        prev = 0
        try:
            for rec in reader:
                if rec:
                    out.append((first_line + base + prev, rec))
                prev = reader.line_num
            return out
        except csv.Error as e:
            if "field larger than field limit" not in str(e) or reader.line_num <= prev:
                out.append((first_line + base + prev, None))
                out.end = first_line + text.rstrip().count("\n")  # the last line with text
                return out
            # the reader took the whole line: the next one starts the next record
            out.append((first_line + base + prev, TOO_LONG))
            base += reader.line_num
