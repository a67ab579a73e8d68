"""A column as per-row codes and its distinct values as text (:class:`Text`): how
:mod:`.convert` checks a million rows on a few hundred values. A column pyarrow typed
as ``date32`` is read from its day numbers in place (:func:`distinct_days`, :func:`day_codes`),
and its rows' dates come straight from them (:meth:`Text.dates`) unless a check asks
for the codes (issue 12).
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from .values import NAT, in_ns_range

__all__ = ["Text", "day_codes", "distinct_days"]

_EXCEL_TEXT = re.compile(r'^="(.*)"$', re.S)


class Text:
    """A column as (codes per row, distinct values as text)."""

    def __init__(self, s: pd.Series, binary: bool, decode: str) -> None:
        self.parsed: np.ndarray | None = None  # the dates, when the reader typed them
        self.source: pd.Categorical | None = None  # the reader's own categorical
        # (a date32 column, its distinct days): coded when the codes are asked for
        self._days: tuple[Any, np.ndarray] | None = None
        self.missing = False  # (typed dates) some row has no date
        if isinstance(s.dtype, pd.ArrowDtype) and s.dtype.kind == "M":
            # Typed by pyarrow: a few hundred days, coded by their day numbers.
            column = s.array.__arrow_array__()
            found = distinct_days(column) if str(column.type) == "date32[day]" else None
            if found is None:
                encoded = column.combine_chunks().dictionary_encode()
                codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
                uniq = encoded.dictionary.to_numpy(zero_copy_only=False).astype("datetime64[D]")
                self._codes = codes.astype(np.int32, copy=False)
            else:
                uniq, self._days = found, (column, found)
            parsed = uniq.astype("datetime64[ns]")
            far = ~in_ns_range(uniq)
            if far.any():  # a day datetime64[ns] cannot hold is unreadable
                parsed[far] = np.datetime64("NaT", "ns")
            self.parsed = parsed
            self.missing = column.null_count > 0
            self.uniques = [str(u) for u in uniq]
            self.binary = binary
            return
        if isinstance(s.dtype, pd.CategoricalDtype):  # dictionary-encoded by the reader
            self.source = s.array
            codes = (
                self.source.codes
            )  # int8/int16 as pandas keeps them: a view (s.cat.codes copies)
            uniques = list(self.source.categories)
        else:
            codes, uniques = pd.factorize(s, use_na_sentinel=True)
        values = []
        for u in uniques:
            if isinstance(u, bytes):
                u = u.decode(decode)
            elif isinstance(u, float) and u.is_integer():
                u = str(int(u))
            else:
                u = str(u)
            m = _EXCEL_TEXT.match(u)
            values.append(m.group(1) if m else u)
        self._codes = codes
        self.uniques = values
        self.binary = binary

    @property
    def codes(self) -> np.ndarray:
        """Per row the index of its value in :attr:`uniques` (-1: missing). Typed dates
        are coded on first use: a file whose dates are all there and none a totals label
        never needs them (:meth:`dates`)."""
        if self._days is not None:
            coded = day_codes(*self._days)
            assert coded is not None  # the days are the column's own
            self._codes, self._days = coded[0], None
        return self._codes

    def dates(self) -> np.ndarray | None:
        """Per row its date as ``datetime64[ns]`` (missing: NaT), straight from the day
        numbers of a typed column: the values ``parsed[codes]`` gives, without the codes
        nor the gather. ``None`` when the codes are already made, or a day lies beyond
        the nanosecond range (the caller takes ``parsed[codes]``)."""
        if self._days is None:
            return None
        column, found = self._days
        if not in_ns_range(found[[0, -1]]).all():  # sorted: the first and last tell
            return None
        out = np.empty(len(column), dtype=np.int64)
        at = 0
        for k, days, valid in (_chunk_days(c) for c in column.chunks):
            part = out[at : at + k]
            at += k
            if days is None:  # no rows, or every one missing
                part[:] = NAT
                continue
            np.multiply(days, _NS_PER_DAY, out=part, dtype=np.int64)
            if valid is not None:
                part[~valid] = NAT
        return out.view("datetime64[ns]")

    def mask(self, predicate: Any) -> np.ndarray | None:
        """Rows whose value ``predicate`` holds for; ``None`` when it holds for no value
        (the usual case, no totals label: no pass over the rows)."""
        hits = np.array([bool(predicate(u)) for u in self.uniques] + [False], dtype=bool)
        if not hits.any():
            return None
        return hits[self.codes]  # code -1 (missing) picks the trailing False

    def any_empty(self) -> bool:
        """Whether some row is blank or missing (:meth:`empty` without its array: a
        look at the values and the smallest code)."""
        if self._days is not None:  # typed days, not coded yet: never blank
            return self.missing
        if not len(self.codes):
            return False
        return any(not u.strip() for u in self.uniques) or int(self.codes.min()) < 0

    def empty(self) -> np.ndarray:
        """Rows whose cell is blank or missing (one array; no blank value: no lookup)."""
        hits = np.array([not u.strip() for u in self.uniques] + [True], dtype=bool)
        if not hits[:-1].any():
            return self.codes < 0
        return hits[self.codes]  # code -1 (missing) picks the trailing True

    def series(self) -> pd.Series:
        """The column as a categorical of its text (a million rows of a few hundred
        names cost no string copies); missing is ``""``."""
        cats = list(self.uniques)
        missing = self.codes < 0
        codes = self.codes
        if missing.any():
            if "" not in cats:
                cats.append("")
            codes = np.where(missing, cats.index(""), codes.astype(np.int32, copy=False))
        if len(set(cats)) != len(cats):  # `="x"` and `x` both read as x
            return pd.Series(pd.array(cats, dtype="str").take(codes), dtype="str")
        source = self.source
        if (
            codes is self.codes
            and source is not None
            and source.categories.dtype == "str"
            and list(source.categories) == cats
        ):  # the reader's categorical as it is (from_codes would copy every code)
            return pd.Series(source, copy=False)
        # Every code is an index of ``cats`` (made so above): no check over the rows.
        return pd.Series(
            pd.Categorical.from_codes(codes, categories=pd.Index(cats, dtype="str"), validate=False)
        )

    def at(self, row: int) -> str:
        c = int(self.codes[row])
        return self.uniques[c] if c >= 0 else ""


# Nanoseconds a day. A day ``datetime64[ns]`` cannot hold (values.NS_DAYS) is unreadable
# (``parsed`` holds NaT for it) and :meth:`Text.dates` leaves it to the gather.
_NS_PER_DAY = np.int64(86_400 * 10**9)


def _chunk_days(c: Any) -> tuple[int, np.ndarray | None, np.ndarray | None]:
    """``(rows, day numbers read in place, valid mask or None)`` of a ``date32`` chunk;
    no day numbers when every row is missing."""
    k = len(c)
    if not k or c.null_count == k:
        return k, None, None
    days = np.frombuffer(c.buffers()[1], np.int32, k, c.offset * 4)
    valid = c.is_valid().to_numpy(zero_copy_only=False) if c.null_count else None
    return k, days, valid


def distinct_days(column: Any) -> np.ndarray | None:
    """The distinct days of a ``date32`` column, sorted, as ``datetime64[D]``: worked out
    from the day numbers chunk by chunk, reading each chunk's buffer in place (no
    joined copy of the column nor a full-size array of day numbers; issue 12). ``None``
    when no day is present or they span 90 years or more (the caller dictionary-encodes:
    :func:`day_codes` codes in ``int16``)."""
    n = len(column)
    if n == 0 or column.null_count == n:
        return None
    parts = [_chunk_days(c) for c in column.chunks]
    lo, hi = None, None
    for _, days, valid in parts:
        if days is None:
            continue
        seen = days if valid is None else days[valid]
        low, high = int(seen.min()), int(seen.max())
        lo = low if lo is None else min(lo, low)
        hi = high if hi is None else max(hi, high)
    assert lo is not None and hi is not None
    if hi - lo >= 1 << 15:  # int16 codes
        return None
    present = np.zeros(hi - lo + 1, dtype=bool)
    for _, days, valid in parts:
        if days is not None:
            present[(days if valid is None else days[valid]) - lo] = True
    return (np.flatnonzero(present) + lo).astype("datetime64[D]")


def day_codes(column: Any, days: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray] | None:
    """``(codes, days)`` of a ``date32`` column: per row the index (``int16``) of its day
    in ``days`` (:func:`distinct_days`, or the ones given), -1 where missing; ``None`` as
    :func:`distinct_days`."""
    if days is None:
        days = distinct_days(column)
        if days is None:
            return None
    if not len(days):
        return None
    lo = int(days[0].astype(np.int64))
    rank = np.full(int(days[-1].astype(np.int64)) - lo + 1, -1, dtype=np.int16)
    rank[days.astype(np.int64) - lo] = np.arange(len(days), dtype=np.int16)
    codes = np.empty(len(column), dtype=np.int16)
    at = 0
    for k, found, valid in (_chunk_days(c) for c in column.chunks):
        out = codes[at : at + k]
        if found is None:
            out[:] = -1
        elif valid is None:
            np.take(rank, found - lo, out=out)
        else:
            out[:] = -1
            out[valid] = rank[found[valid] - lo]
        at += k
    return codes, days
