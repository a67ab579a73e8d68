"""A column's values, one per row: a measure's numbers as float64 and a date column's
days as datetime64, from the reader's typed column or from its distinct values as text
(:class:`~.coded.Text`, parsed once each by :mod:`.values`); and a number whose decimal
mark nothing in the file tells. :mod:`.convert` applies the row rules to them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .coded import Text
from .reader import without_commas
from .values import DateFormatError, is_numeric, is_text, parse_dates, parse_numbers

if TYPE_CHECKING:
    from .headers import Column


def grouped_only(frame: pd.DataFrame, measure_cols: list[Column], text_of: Any) -> str | None:
    """A number written like ``1,234`` or ``1.234`` (a thousand under one mark, a
    decimal under the other), where nothing else tells the mark; ``None`` if none."""
    for c in measure_cols:
        s = frame[f"c{c.index}"]
        if is_numeric(s.dtype):
            continue
        t = pd.Series(text_of(c).uniques, dtype="str").str.strip()
        grouped = t.str.fullmatch(r"[-+]?\d{1,3}(?:,\d{3})+|[-+]?\d{1,3}(?:\.\d{3})+")
        found = t[grouped.fillna(False).astype(bool)]
        if len(found):
            return str(found.iloc[0])
    return None


# Cells converted in one pass (:func:`numbers_of_many`): columns are taken together up to
# this many, a longer column alone, so a long file's peak stays one column's.
BATCH_CELLS = 65_536


def batches(columns: list[Column], rows: int) -> list[list[Column]]:
    """``columns`` in runs of at most :data:`BATCH_CELLS` cells (a longer column alone)."""
    out: list[list[Column]] = []
    size = 0
    for c in columns:
        if not out or size + rows > BATCH_CELLS:
            out.append([])
            size = 0
        out[-1].append(c)
        size += rows
    return out


Converted = tuple[np.ndarray, np.ndarray | None, Text | None]


def converted_batches(
    columns: list[Column],
    frame: dict[str, pd.Series],
    rows: int,
    binary: bool,
    decode: str,
    decimal: str,
    texts: dict[int, Text],
) -> Iterator[tuple[Column, Converted]]:
    """Each of ``columns`` with its :func:`numbers_of_many`, a batch at a time (a long
    file's columns one by one: the caller frees each raw column before the next batch is
    read); the texts already made are taken from ``texts``."""
    for group in batches(columns, rows):
        series = [frame[f"c{c.index}"] for c in group]
        made = [texts.pop(c.index, None) for c in group]
        yield from zip(group, numbers_of_many(series, binary, decode, decimal, made), strict=True)


def numbers_of_many(
    columns: list[pd.Series], binary: bool, decode: str, decimal: str, srcs: list[Text | None]
) -> list[Converted]:
    """Per column ``(values, the rows whose cell is not a number (None: no such row), the
    column's text when it was looked at)``; ``srcs``: that text when the caller made it
    already. The columns read as text are parsed in one pass over all their distinct
    values: a file of thousands of columns pays the vectorised calls once, not once per
    column (the caller keeps a batch small: :func:`batches`)."""
    out: list[Converted | None] = []
    texts: list[tuple[int, Text]] = []
    for s, src in zip(columns, srcs, strict=True):
        typed = _typed(s, decimal)
        if typed is None:
            texts.append((len(out), src or Text(s, binary, decode)))
        out.append(None if typed is None else (typed, None, None))
    if texts:
        flat = pd.Series([u for _i, t in texts for u in t.uniques], dtype="str")
        uvals, ubad = parse_numbers(flat, decimal)
        pos = 0
        for i, src in texts:
            k = len(src.uniques)
            codes = np.where(src.codes < 0, k, src.codes)
            values = np.append(uvals[pos : pos + k], np.nan)[codes]
            bad = np.append(ubad[pos : pos + k], False)[codes]
            out[i] = (values, bad, src)
            pos += k
    return [x for x in out if x is not None]


def _typed(s: pd.Series, decimal: str) -> np.ndarray | None:
    """The column's numbers when its type tells them (``None``: read its text)."""
    if isinstance(s.dtype, pd.ArrowDtype) and str(s.dtype.pyarrow_dtype) == "null":
        return np.full(len(s), np.nan)
    # Numbers the reader typed were written with a decimal point, whatever the file's
    # other columns use (a comma-separated file's unquoted measures).
    if s.dtype == np.float64:  # converted by the reader: no copy
        return s.to_numpy()
    if is_numeric(s.dtype):
        if isinstance(s.dtype, pd.ArrowDtype):
            return _floats(s, text=False)
        return s.to_numpy(dtype=np.float64, na_value=np.nan) + 0.0  # -0 is 0
    if decimal == "." and isinstance(s.dtype, pd.ArrowDtype) and is_text(s.dtype):
        try:
            return _floats(s, text=True)
        except (ValueError, TypeError, ArithmeticError):
            pass
    return None


def _floats(s: pd.Series, *, text: bool) -> np.ndarray:
    """An Arrow column of numbers (``text``: of numbers written as text, with ``,``
    thousands separators) as float64, missing NaN, converted block by block into one
    array (no full-size intermediate copies). Raises ``ValueError`` on other text."""
    import pyarrow as pa
    import pyarrow.compute as pc

    out = np.empty(len(s), dtype=np.float64)
    pos = 0
    for chunk in s.array.__arrow_array__().chunks:
        if text:
            chunk = pc.cast(without_commas(chunk), pa.float64())
        values = chunk.to_numpy(zero_copy_only=False)  # nulls: NaN
        out[pos : pos + len(values)] = values
        pos += len(values)
    out += 0.0  # -0 is 0, as the reader's own columns
    return out


def dates_of(t: Text, fmt: str | None, order: str | None) -> np.ndarray | None:
    """A column's dates, one per row (NaT where there is none); ``None`` when its
    day/month order cannot be told (the date column's own message says so)."""
    direct = t.dates()
    if direct is not None:
        return direct
    try:
        parsed = t.parsed if t.parsed is not None else parse_dates(t.uniques, fmt, order)
    except DateFormatError:
        return None
    return per_row(t, parsed, None)


def per_row(t: Text, parsed: Any, direct: np.ndarray | None) -> np.ndarray:
    """Each row's date (NaT where it has none): the typed days ``direct`` when there are
    any, else ``parsed`` (one per distinct value) gathered by the codes."""
    if direct is not None:
        return direct
    if (t.codes < 0).any():
        values = np.append(parsed, np.datetime64("NaT", "ns"))
        return values[np.where(t.codes < 0, len(parsed), t.codes.astype(np.int64))]
    return np.asarray(parsed)[t.codes]  # no missing date: no full-size index array


# A count the platform hides when it is small (TikTok Ads Manager: "<5"; also with a
# full-width sign or a space): no number to read, and no reason to lose the row's others.
_MASKED = re.compile(r"\s*[<＜]\s*\d+\s*")


def masked_of(t: Text, bad: np.ndarray) -> np.ndarray | None:
    """Of the rows whose cell is not a number (``bad``), those holding a hidden small
    count (:data:`_MASKED`); ``None`` when there is none. Such a cell is missing for its
    measure only (the row's other measures count), never a number made up."""
    hidden = t.mask(lambda u: _MASKED.fullmatch(u) is not None)
    if hidden is None:
        return None
    hidden &= bad
    return hidden if hidden.any() else None


# Two days in one date cell: a report summed over a range (Baidu's 时间单位 合计 writes
# "2026-09-01~2026-09-07" in 日期), not one day's data.
_RANGE = re.compile(r"\s*(\S+?)\s*(?:~|～|至|到|–|—|--|\s-\s|\sto\s)\s*(\S+)\s*", re.IGNORECASE)


def date_ranges_of(
    t: Text, rows: np.ndarray, fmt: str | None, order: str | None
) -> tuple[np.ndarray, str, str] | None:
    """Of ``rows`` (a mask of rows whose date is unreadable), those whose date cell holds
    two different days (:data:`_RANGE`), with the first such range's days (ISO); ``None``
    when there is none."""
    halves: dict[str, tuple[str, str]] = {}
    for u in t.uniques:
        m = _RANGE.fullmatch(u)
        if m is not None:
            halves[u] = (m.group(1), m.group(2))
    if not halves:
        return None
    texts = sorted({h for pair in halves.values() for h in pair})
    days = dict(zip(texts, parse_dates(texts, fmt, order), strict=True))
    spans = {
        u: (days[a], days[b])
        for u, (a, b) in halves.items()
        if not np.isnat(days[a]) and not np.isnat(days[b]) and days[a] != days[b]
    }
    found = t.mask(lambda u: u in spans)
    if found is None:
        return None
    found &= rows
    if not found.any():
        return None
    start, end = spans[t.at(int(np.flatnonzero(found)[0]))]
    return found, str(start.astype("M8[D]")), str(end.astype("M8[D]"))
