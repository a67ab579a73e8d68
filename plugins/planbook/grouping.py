"""Source rows -> the rows of the daily cube (:mod:`.cube`): one group per (date,
dimensions, presence pattern of the measures), numbered by first appearance, each
measure summed over its rows in row order with pandas' own kernel (the same floats as
``groupby(...).sum()`` to the last bit). The key is built column by column in the
narrowest integer that holds it, so a few million rows cost a few passes and no table
of every row beyond one factorization (issue 12).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .columns import DATE
from .sources.values import NAT

__all__ = ["aggregate"]


def _factorize(values: np.ndarray) -> tuple[np.ndarray, int]:
    """Codes of ``values`` in order of first appearance (-1: missing) and how many
    distinct values there are. ``pd.factorize`` sizes its hash table for every row
    being distinct (32 MB for a million rows, most of a cube's peak; issue 12): this
    one starts small and grows with the distinct values."""
    if _factorize_array is not None:
        try:
            codes, uniques = _factorize_array(values, size_hint=FACTORIZE_HINT)
            return codes, len(uniques)
        except TypeError:  # pandas changed its signature
            pass
    codes, uniques = pd.factorize(values, use_na_sentinel=True)  # the same codes
    return codes, len(uniques)


try:  # pandas' own (not public): the factorization pd.factorize runs, with a size hint
    from pandas.core.algorithms import factorize_array as _factorize_array
except ImportError:  # pragma: no cover - a pandas that moved it
    _factorize_array = None


# The hash table a factorization starts with (it doubles as the values need).
FACTORIZE_HINT = 1 << 12


def _codes(column: pd.Series) -> tuple[np.ndarray, int, int, bool]:
    """Integer codes of a key column, how many values they range over, their shift
    (codes + shift lie in ``range(card)``) and whether the array is new (``False``: the
    column's own codes, never written to). Only the partition they make matters: any
    codes that tell the same values apart give the same groups, numbered the same (by
    first appearance). A categorical gives its own codes (int8/int16: no int64 copy of
    a million rows; -1 missing, shift 1); dates of whole days their day numbers
    (:func:`_day_codes`); anything else its factorization."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy(), len(column.cat.categories) + 1, 1, False
    values = column.to_numpy()
    if values.dtype.kind == "M":  # NaT is one more value of the int64 view
        days = _day_codes(values)
        if days is not None:
            return days[0], days[1], 0, True
        codes, count = _factorize(values.view(np.int64))
        return codes, count + 1, 1, True
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes, len(uniques) + 1, 1, True


def _day_codes(values: np.ndarray) -> tuple[np.ndarray, int] | None:
    """Dates that are all whole days (no NaT, no time of day) as their day numbers from
    the first one, and how many days they span: a division a block at a time instead of
    a hash table of every row (the date is the cube's one key column that is not a
    categorical; issue 12). ``None`` (the caller factorizes): a missing date, a time of
    day, a unit finer than a day that is not a plain one, or a span of more days than
    rows.

    Each block is floor-divided by the day (numpy divides by one integer with a
    multiply and shift, where ``divmod`` divided each value: 5M rows ~25 vs ~55 ms) and
    is a whole day exactly where the quotient times the day gives the value back; the
    day number from the first day goes straight into the codes."""
    unit, count = np.datetime_data(values.dtype)
    per_day = {"D": 1, "h": 24, "m": 1440, "s": 86400, "ms": 86400 * 10**3}
    per_day |= {"us": 86400 * 10**6, "ns": 86400 * 10**9}
    n = len(values)
    if not n or unit not in per_day or per_day[unit] % count:
        return None
    day = per_day[unit] // count
    ints = values.view(np.int64)
    lo, hi = int(ints.min()), int(ints.max())
    if lo == NAT or (hi - lo) // day >= n:
        return None
    span = (hi - lo) // day + 1
    first = lo // day  # lo is a whole day when every value is one (checked below)
    codes = np.empty(n, dtype=np.int32 if span < 2**31 else np.int64)
    if day == 1:
        np.subtract(ints, first, out=codes, casting="unsafe")  # in range: span < 2**31
        return codes, span
    block = np.empty(min(n, _SCAN), dtype=np.int64)
    back = np.empty(len(block), dtype=np.int64)
    for start in range(0, n, _SCAN):
        part = ints[start : start + _SCAN]
        quotient, product = block[: len(part)], back[: len(part)]
        np.floor_divide(part, day, out=quotient)
        # A value past the int64 range's end wraps and differs: factorized, never wrong.
        np.multiply(quotient, day, out=product)
        if not np.array_equal(product, part):
            return None
        np.subtract(quotient, first, out=codes[start : start + len(part)], casting="unsafe")
    return codes, span


class _Key:
    """One group key from several coded columns, added one column at a time (mixed
    radix; re-coded densely whenever the product of the radices would overflow). Only
    the key and the column being added are alive: not every column's codes at once
    (the cube's peak; issue 12). The key is ``int32`` while the product of the radices
    fits (a year of days, the channels and campaigns: half the memory and passes of
    ``int64``, and a faster factorization), then ``int64``."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.key = np.zeros(n, dtype=np.int32)  # untouched (calloc) until a column is added
        self.size = 1

    def add(self, codes: np.ndarray, card: int, shift: int = 0, *, owned: bool = False) -> None:
        """Add a column of ``card`` possible codes, each ``codes + shift`` in
        ``range(card)`` (``shift`` 1: codes from -1, missing). ``owned``: the codes are
        an array made for the key, which the key may become (the date's day numbers,
        20 MB for 5M rows: no copy of them); otherwise they are never written to."""
        if card > self.n + 1:  # a presence pattern's 2**60 values: only the ones that occur
            dense, count = _factorize(codes.astype(np.int64, copy=False))
            codes, card, shift = dense, max(count, 1), 0
            del dense
        if self.size == 1:  # the first column: the key is its codes (no pass over zeros)
            self.key = codes.astype(np.int32 if card < 2**31 else np.int64, copy=not owned)
            if shift:
                self.key += shift
            self.size = card
            return
        if self.size * card >= 2**62:
            dense, count = _factorize(self.key)
            self.key, self.size = dense.astype(np.int64), max(count, 1)
            del dense
        if self.size * card >= 2**31 and self.key.dtype != np.int64:
            self.key = self.key.astype(np.int64)
        self.key *= card
        self.key += codes  # a narrow type is widened block by block (no full-size copy)
        if shift:
            self.key += shift
        self.size *= card


# Rows of the group numbers scanned at a time for the first row of each group.
_SCAN = 1 << 16


def _first_rows(group: np.ndarray) -> np.ndarray:
    """The first row of each group, groups numbered in order of first appearance (as
    ``pd.factorize`` numbers them): a row is the first of its group exactly where the
    running maximum of the group numbers goes up. The running maximum is taken a block
    at a time (no int64 copy of every row)."""
    n = len(group)
    if not n:
        return np.zeros(0, dtype=np.int64)
    rise = np.empty(n, dtype=bool)
    best = None
    for start in range(0, n, _SCAN):
        top = np.maximum.accumulate(group[start : start + _SCAN])
        if best is not None:
            np.maximum(top, best, out=top)
        rise[start] = best is None or top[0] > best
        np.greater(top[1:], top[:-1], out=rise[start + 1 : start + len(top)])
        best = top[-1]
    return np.flatnonzero(rise)


def aggregate(
    frame: pd.DataFrame, dimensions: Sequence[str], measures: Sequence[str]
) -> tuple[pd.DataFrame, np.ndarray]:
    """``frame`` summed per (date, ``dimensions``, presence pattern of ``measures``):
    the cube rows (in order of first appearance) and the source rows behind each."""
    n = len(frame)
    if n == 0:
        return frame[[DATE, *dimensions, *measures]].copy(), np.zeros(0, dtype=np.int64)
    key = _Key(n)
    for name in (DATE, *dimensions):
        codes, card, shift, owned = _codes(frame[name])
        key.add(codes, card, shift=shift, owned=owned)
        del codes
    # The presence pattern, up to 60 measures per part, in the narrowest type that holds
    # it. A measure present in every row sets the same bit in every row, which tells no
    # rows apart: only the measures missing somewhere are in the pattern (none: no pass).
    missing = np.empty(n, dtype=bool)
    for start in range(0, len(measures), 60):
        chunk = measures[start : start + 60]
        kind = next(
            t
            for t in (np.uint8, np.uint16, np.uint32, np.int64)
            if len(chunk) < 8 * np.dtype(t).itemsize
        )
        bits = None
        for j, m in enumerate(chunk):
            values = frame[m].to_numpy()
            if values.dtype.kind != "f":
                continue
            np.isnan(values, out=missing)
            if not missing.any():
                continue
            if bits is None:
                bits = np.zeros(n, dtype=kind)
            np.logical_not(missing, out=missing)
            np.bitwise_or(bits, kind(1 << j), out=bits, where=missing)
        if bits is not None:
            key.add(bits, 1 << len(chunk))
        del bits
    del missing
    group, ngroups = _factorize(key.key)
    del key
    counts = np.bincount(group, minlength=ngroups).astype(np.int64)
    first = _first_rows(group)
    keys = frame[[DATE, *dimensions]].iloc[first].reset_index(drop=True)
    # Summed over a frame of the measure columns as they are (one block each, not copied
    # side by side into one block; the sums are computed block by block). The group
    # numbers go in as the codes of a categorical: pandas groups by them as they are,
    # where an array of them would be factorized once more (another table of every row).
    columns = {m: frame[m].to_numpy() for m in measures}
    sums = _sums(columns, group, ngroups) if measures else None
    if sums is None and measures:
        by = pd.Categorical.from_codes(
            group.astype(np.int32) if ngroups < 2**31 else group,
            categories=pd.RangeIndex(ngroups),
            validate=False,
        )
        del group
        sums = (
            pd.DataFrame(columns, copy=False)
            .groupby(by, sort=True, observed=True)
            .sum(min_count=1)
            .reset_index(drop=True)
        )
        del by
    del columns
    cube = keys if sums is None else pd.concat([keys, sums], axis=1)
    return cube, counts


try:  # pandas' own (not public): the kernel groupby(...).sum() runs
    from pandas._libs.groupby import group_sum as _group_sum
except ImportError:  # pragma: no cover - a pandas that moved it
    _group_sum = None


def _sums(columns: dict[str, np.ndarray], group: np.ndarray, ngroups: int) -> pd.DataFrame | None:
    """Each column summed per group (``min_count=1``: NaN for a group without a value)
    by the kernel ``groupby(...).sum()`` runs, in row order with its compensated sums:
    the same floats to the last bit, without groupby's own copies of the group numbers
    around the call (about 24 of the 1M-row cube's 33 MB of peak; issue 12). ``None``
    (the caller groups with pandas): a column that is not ``float64``, or a pandas
    whose kernel is not there or takes other arguments."""
    if _group_sum is None or any(v.dtype != np.float64 or v.ndim != 1 for v in columns.values()):
        return None
    labels = group.astype(np.intp, copy=False)
    out: dict[str, np.ndarray] = {}
    try:
        for name, values in columns.items():
            result = np.full((ngroups, 1), np.nan)
            _group_sum(
                out=result,
                counts=np.zeros(ngroups, dtype=np.int64),
                values=values.reshape(-1, 1),
                labels=labels,
                mask=None,
                result_mask=None,
                min_count=1,
                is_datetimelike=False,
                initial=0,
                skipna=True,
            )
            out[name] = result.reshape(-1)
    except (TypeError, ValueError):
        return None
    return pd.DataFrame(out, copy=False)
