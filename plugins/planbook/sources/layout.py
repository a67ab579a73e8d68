"""Where the table is in a downloaded export: preamble, header row, delimiter, end.

Real downloads put lines above the header (Google Ads: report title and date
range; GA4: ``#`` comments; 百度营销: 数据生成时间 / 时间范围 / 账户), and some put
text below the table (a second table after a blank line, a copyright footer).
The header is the first line, among the first :data:`MAX_PREAMBLE` lines, with a
date column and at least one other known column; the lines above it are the
preamble. The table ends at a blank line followed by a ``#`` comment or by a line
with another number of fields.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = ["MAX_PREAMBLE", "Layout", "ends_table", "fields_of", "find_layout", "sniff_delimiter"]

MAX_PREAMBLE = 60
DELIMITERS = (",", "\t", ";", "|")


def sniff_delimiter(line: str) -> str:
    """The delimiter a header line uses most (``,`` when none appears)."""
    counts = {d: line.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def fields_of(line: str, delimiter: str) -> list[str]:
    """One line's fields, trailing empty fields (a trailing delimiter) dropped."""
    try:
        fields = next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:  # a stray carriage return or NUL inside the line
        fields = line.split(delimiter)
    while fields and not fields[-1].strip():
        fields.pop()
    return fields


@dataclass(frozen=True)
class Layout:
    """``header_index``: 0-based line of the header; ``preamble``: (1-based line, text)
    of every line above it that is not blank."""

    header_index: int
    delimiter: str
    headers: list[str]
    preamble: list[tuple[int, str]]
    skipped: int  # lines above the header, blank ones included


def find_layout(
    lines: Sequence[str], role: Callable[[str], str | None], delimiter: str | None = None
) -> Layout:
    """Find the header among ``lines`` (the first lines of the file, decoded).

    ``role(header)`` gives the canonical name a header maps to (``"date"`` for a
    date column) or ``None`` for an unknown header.
    """
    fallback: tuple[int, str, list[str]] | None = None
    first: tuple[int, str, list[str]] | None = None
    # Without a date column anywhere (a report downloaded without its day breakdown):
    # the line with the most known columns, so that the message quotes the real header
    # and not the report's title line.
    likely: tuple[int, tuple[int, str, list[str]]] | None = None
    for i, raw in enumerate(lines[:MAX_PREAMBLE]):
        line = raw.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        d = delimiter or sniff_delimiter(line)
        fields = fields_of(line, d)
        if first is None:
            first = (i, d, fields)
        if len(fields) < 2:
            continue
        roles = [role(f) for f in fields]
        known_here = sum(1 for r in roles if r)
        if known_here >= 2 and (likely is None or known_here > likely[0]):
            likely = (known_here, (i, d, fields))
        if "date" in roles:
            known = sum(1 for r in roles if r and r != "date")
            if known:
                fallback = (i, d, fields)
                break
            if fallback is None:
                fallback = (i, d, fields)
    chosen = fallback or (likely[1] if likely else None) or first or (0, delimiter or ",", [])
    index, d, headers = chosen
    preamble = [
        (j + 1, lines[j].rstrip("\r")) for j in range(index) if lines[j].strip().strip("\ufeff")
    ]
    return Layout(index, d, headers, preamble, index)


def ends_table(text: str, n_fields: int, delimiter: str) -> bool:
    """Whether ``text``, what follows a blank line inside the body, starts something
    other than more rows: a ``#`` comment or a record with another number of fields
    (the record is read with quotes, so a quoted newline does not cut it)."""
    if text.lstrip().startswith("#"):
        return True
    try:
        record = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
    except csv.Error:
        record = fields_of(text.split("\n", 1)[0], delimiter)
    while record and not record[-1].strip():
        record.pop()
    if len(record) == n_fields:
        return False
    # Another field count: a second table's header or a footer ends the table; a short
    # data row (it has a date or a number) does not — it is reported as a bad row.
    return not any(_DATA_CELL.match(cell) for cell in record)


_DATA_CELL = re.compile(r"^\s*[-+(]?[¥￥$€£]?\s*\d")
