"""The daily cube: date x dimensions -> sums of base measures; the engine's one input.

A plan's sources are combined into one long table (``date`` + dimensions + measures,
one row per export row). :class:`MetricFrame` aggregates that table once to the daily
grain over the dimensions the site's plans read, and every goal, breakdown, budget
item, report and chart is evaluated on the aggregate. The raw table can go.

What the aggregate keeps exact:

* Sums: a measure's sum over any set of cube rows equals its sum over the source rows
  they stand for; a measure missing in every one of them stays missing (``min_count=1``).
* Partial rows: rows are grouped also by which measures they have (their presence
  pattern) and by which measures their file has (:data:`columns.ORIGIN`), so a cube row
  is partial for a ratio exactly when each of its source rows is. A row is partial when
  its own file has every input of the ratio and the row lacks some of them (a gap in
  the export); a measure its file does not have is no gap, and such rows add what they
  have to the sums (spend from the ad exports, revenue from the orders file: ROI is
  sum/sum). Ratios leave partial rows out, and :meth:`MetricFrame.partial_rows` counts
  *source* rows (``counts``).
* Dimension values: the cube keeps each value exactly as the source wrote it (same
  categorical or text column, first row of each group).

A dimension the cube lacks (a shortcode's ``by=`` nobody announced) is never answered
wrongly: :meth:`MetricFrame.covering` builds, and keeps, a cube that includes it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from .columns import DATE, ORIGIN, ORIGIN_SEP

__all__ = ["Daily", "MetricFrame", "Totals", "aggregate"]


def _as_day(d: date) -> np.datetime64:
    return np.datetime64(d, "D")


@dataclass(frozen=True)
class Totals:
    """Sums of each measure per value of a dimension, as numpy (rows: ``keys``)."""

    keys: list[str]
    index: dict[str, int]  # measure -> column
    values: np.ndarray

    def column(self, measure: str) -> np.ndarray:
        return self.values[:, self.index[measure]]

    def present(self, measure: str) -> bool:
        return measure in self._present

    @functools.cached_property
    def _present(self) -> frozenset[str]:
        """The measures some key has a value of."""
        have = (~np.isnan(self.values)).any(axis=0) if len(self.values) else ()
        return frozenset(m for m, i in self.index.items() if len(have) and have[i])

    @functools.cached_property
    def _positions(self) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for i, k in enumerate(self.keys):
            out.setdefault(k, []).append(i)
        return out

    def rows(self, keys: Sequence[str]) -> np.ndarray:
        wanted = set(keys)
        return np.array([k in wanted for k in self.keys], dtype=bool)

    def positions(self, keys: Sequence[str]) -> np.ndarray:
        """The rows of ``keys`` that are present, in the order of :attr:`keys`."""
        found = {i for k in keys for i in self._positions.get(k, ())}
        return np.array(sorted(found), dtype=np.int64)

    def sums(self, keys: Sequence[str]) -> np.ndarray | None:
        """Each measure summed over the rows of ``keys`` (in the order of :attr:`keys`;
        NaN where none of them has the measure), or ``None`` when no key is present.
        Kept per set of keys (read-only): plans with the same allocations share it."""
        wanted = tuple(keys)
        if wanted not in self._sums:
            rows = self.positions(wanted)
            result = None
            if len(rows):
                picked = self.values[rows]
                has = ~np.isnan(picked)
                with np.errstate(over="ignore", invalid="ignore"):  # huge sums: inf
                    result = np.where(has.any(axis=0), np.nansum(picked, axis=0), np.nan)
                result.flags.writeable = False
            self._sums[wanted] = result
        return self._sums[wanted]

    @functools.cached_property
    def _sums(self) -> dict[tuple[str, ...], np.ndarray | None]:
        return {}


@dataclass(frozen=True)
class Daily:
    """Per-day sums of every measure as numpy (what :meth:`MetricFrame.daily` holds):
    ``days`` sorted (``datetime64[D]``), one row of ``values`` per day, NaN where no row
    of that day has the measure. Goals, lint and reports slice these arrays instead of
    indexing the frame again."""

    days: np.ndarray
    index: dict[str, int]  # measure -> column
    values: np.ndarray
    # What is computed from these sums, kept with them (planbook.series).
    memo: dict[tuple, Any] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, frame: pd.DataFrame) -> Daily:
        """The arrays of a per-day frame (index: day, sorted; columns: measures)."""
        columns = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c])]
        values = (
            frame[columns].to_numpy(dtype="float64", na_value=np.nan)
            if len(frame) and columns
            else np.empty((len(frame), len(columns)))
        )
        days = frame.index.to_numpy().astype("datetime64[D]")
        return cls(days, {c: i for i, c in enumerate(columns)}, values)

    def __len__(self) -> int:
        return len(self.days)

    def column(self, measure: str) -> np.ndarray:
        """The measure's per-day sums (all NaN when the cube lacks the measure)."""
        i = self.index.get(measure)
        return self.values[:, i] if i is not None else np.full(len(self.days), np.nan)

    def span(self, start: date | None, end: date | None) -> slice:
        """The rows of ``start``..``end`` (either open)."""
        lo = 0 if start is None else int(self.days.searchsorted(_as_day(start), "left"))
        hi = len(self.days) if end is None else int(self.days.searchsorted(_as_day(end), "right"))
        return slice(lo, max(lo, hi))

    def before(self, day: date) -> slice:
        """The rows of the days before ``day``."""
        return slice(0, int(self.days.searchsorted(_as_day(day), "left")))


# --------------------------------------------------------------------------- aggregation


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


def _codes(column: pd.Series) -> tuple[np.ndarray, int, int]:
    """Integer codes of a key column, how many values they range over and their shift
    (codes + shift lie in ``range(card)``). Only the partition they make matters: any
    codes that tell the same values apart give the same groups, numbered the same (by
    first appearance). A categorical gives its own codes (int8/int16: no int64 copy of
    a million rows; -1 missing, shift 1); dates of whole days their day numbers
    (:func:`_day_codes`); anything else its factorization."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy(), len(column.cat.categories) + 1, 1
    values = column.to_numpy()
    if values.dtype.kind == "M":  # NaT is one more value of the int64 view
        days = _day_codes(values)
        if days is not None:
            return days[0], days[1], 0
        codes, count = _factorize(values.view(np.int64))
        return codes, count + 1, 1
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes, len(uniques) + 1, 1


_NAT = np.iinfo(np.int64).min


def _day_codes(values: np.ndarray) -> tuple[np.ndarray, int] | None:
    """Dates that are all whole days (no NaT, no time of day) as their day numbers from
    the first one, and how many days they span: one subtraction and division a block
    at a time instead of a hash table of every row (the date is the cube's one key
    column that is not a categorical; issue 12). ``None`` (the caller factorizes): a
    missing date, a time of day, a unit finer than a day that is not a plain one, or a
    span of more days than rows."""
    unit, count = np.datetime_data(values.dtype)
    per_day = {"D": 1, "h": 24, "m": 1440, "s": 86400, "ms": 86400 * 10**3}
    per_day |= {"us": 86400 * 10**6, "ns": 86400 * 10**9}
    n = len(values)
    if not n or unit not in per_day or per_day[unit] % count:
        return None
    day = per_day[unit] // count
    ints = values.view(np.int64)
    lo, hi = int(ints.min()), int(ints.max())
    if lo == _NAT or (hi - lo) // day >= n:
        return None
    span = (hi - lo) // day + 1
    codes = np.empty(n, dtype=np.int32 if span < 2**31 else np.int64)
    block = np.empty(min(n, _SCAN), dtype=np.int64)
    left = np.empty(len(block), dtype=np.int64)
    for start in range(0, n, _SCAN):
        part = ints[start : start + _SCAN]
        at, rest = block[: len(part)], left[: len(part)]
        np.subtract(part, lo, out=at)
        if day > 1:
            np.divmod(at, day, out=(at, rest))
            if rest.any():
                return None
        codes[start : start + len(part)] = at
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

    def add(self, codes: np.ndarray, card: int, shift: int = 0) -> None:
        """Add a column of ``card`` possible codes, each ``codes + shift`` in
        ``range(card)`` (``shift`` 1: codes from -1, missing)."""
        if card > self.n + 1:  # a presence pattern's 2**60 values: only the ones that occur
            dense, count = _factorize(codes.astype(np.int64, copy=False))
            codes, card, shift = dense, max(count, 1), 0
            del dense
        if self.size == 1:  # the first column: the key is its codes (no pass over zeros)
            self.key = codes.astype(np.int32 if card < 2**31 else np.int64)
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
        codes, card, shift = _codes(frame[name])
        key.add(codes, card, shift=shift)
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


# --------------------------------------------------------------------------- the frame


class MetricFrame:
    """One source set's daily cube, with cached aggregations.

    ``frame`` is the combined source rows (``date`` + dimensions + measures);
    ``dimensions`` the ones to keep (``None``: all of them). ``source`` gives the rows
    again when a wider cube is needed (default: ``frame`` itself, kept). With
    ``cube=False`` the rows are used as they are (the reference the tests compare the
    cube with). Pages that share sources share a :class:`MetricFrame`, so each
    aggregation is computed once per build however many pages ask for it.
    """

    def __init__(
        self,
        frame: pd.DataFrame,
        dimensions: Sequence[str] | None = None,
        *,
        source: Callable[[], pd.DataFrame] | None = None,
        cube: bool = True,
    ) -> None:
        if DATE not in frame.columns:
            frame = pd.DataFrame({DATE: pd.Series([], dtype="datetime64[s]")})
        self.measures = tuple(
            c
            for c in frame.columns
            if c not in (DATE, ORIGIN) and pd.api.types.is_numeric_dtype(frame[c])
        )
        # Every dimension of the sources (what messages list and plans may name) ...
        self.dimensions = tuple(
            c for c in frame.columns if c not in (DATE, ORIGIN) and c not in self.measures
        )
        # ... and the ones this cube is grouped by.
        wanted = self.dimensions if dimensions is None else tuple(dimensions)
        self.kept = tuple(d for d in self.dimensions if d in wanted)
        # The exports' own rate columns (left out of the frame) and counts that are not
        # additive across days, as the loader found them.
        attrs = dict(frame.attrs)
        self.rates: dict[str, str | None] = dict(attrs.get("rates", {}))
        self.non_additive: frozenset[str] = frozenset(attrs.get("non_additive", ()))
        # Database query results the rows came from (sources/warehouse.QueryRecord).
        self.queries: tuple[Any, ...] = tuple(attrs.get("queries", ()))
        self.source_rows = len(frame)
        self.is_cube = cube
        # Which measures each row's file has, when the files differ (a key, not a dim).
        origin = (ORIGIN,) if ORIGIN in frame.columns else ()
        if cube:
            self.frame, self.counts = aggregate(frame, (*self.kept, *origin), self.measures)
            self.frame.attrs = attrs
        else:
            self.frame = (
                frame
                if self.kept == self.dimensions
                else frame.drop(columns=[d for d in self.dimensions if d not in self.kept])
            )
            self.counts = np.ones(len(frame), dtype=np.int64)
        self._source = source if source is not None else (lambda: frame)
        self._wider: dict[tuple[str, ...], MetricFrame] = {}
        self._partial: dict[tuple[str, ...], np.ndarray | None] = {}
        self._daily: dict[tuple, pd.DataFrame] = {}
        self._arrays: dict[tuple, Daily] = {}
        self._totals: dict[tuple, Any] = {}
        self._masks: dict[tuple, np.ndarray] = {}
        self._values: dict[str, list[str]] = {}
        self._latest: dict[tuple, date | None] = {}

    @property
    def empty(self) -> bool:
        return self.frame.empty

    # ------------------------------------------------------------------ dimensions

    def covering(self, dims: Sequence[str]) -> MetricFrame:
        """This cube when it has every one of ``dims`` the sources have, else a cube
        that adds them (built from the source rows once, then kept)."""
        if all(d in self.kept for d in dims):
            return self  # the common case: a goal's filter on a dimension the cube has
        lacking = tuple(
            d for d in dict.fromkeys(dims) if d in self.dimensions and d not in self.kept
        )
        if not lacking:
            return self
        wanted = tuple(d for d in self.dimensions if d in self.kept or d in lacking)
        if wanted not in self._wider:
            self._wider[wanted] = MetricFrame(
                self._source(), wanted, source=self._source, cube=self.is_cube
            )
        return self._wider[wanted]

    def raw(self) -> pd.DataFrame:
        """The source rows (rebuilt from the sources: the cube does not keep them). For
        analyses that need rows, not sums (an experiment's numeric variant column)."""
        frame = self._source()
        return frame.drop(columns=[ORIGIN]) if ORIGIN in frame.columns else frame

    def _for(self, filters: tuple, *dims: str) -> MetricFrame:
        return self.covering((*dims, *(d for d, _ in filters)))

    # ------------------------------------------------------------------ lookups

    def latest(self, filters: tuple = (), until: date | None = None) -> date | None:
        """The latest day with data (on or before ``until``: a typo dated 2062 must not
        move a plan's as-of date)."""
        key = (filters, until)
        if key not in self._latest:
            days = self.daily(filters).index.to_numpy()
            if until is not None:
                days = days[days <= np.datetime64(until, "D")]
            self._latest[key] = None if not len(days) else pd.Timestamp(days[-1]).date()
        return self._latest[key]

    def values(self, dim: str) -> list[str]:
        """The distinct values of a dimension (cached)."""
        if dim not in self.kept:
            return self.covering((dim,)).values(dim) if dim in self.dimensions else []
        if dim not in self._values:
            column = self.frame[dim]
            if isinstance(column.dtype, pd.CategoricalDtype):
                uniques = column.cat.categories
            else:
                uniques = column.dropna().unique()
            self._values[dim] = sorted(str(v) for v in uniques if str(v) != "")
        return self._values[dim]

    def mask(self, filters: tuple) -> np.ndarray | None:
        """Cube rows matching ``filters`` (``None``: all rows), cached per filter. The
        mask is over ``self.frame``: take :meth:`covering` of the filter's dimensions
        first."""
        return self._mask(filters)

    def partial(self, measures: Sequence[str]) -> np.ndarray | None:
        """Cube rows whose file has every one of ``measures`` and that have some but
        not all of them (``None``: no such row).

        A ratio is computed over the rows that have all its inputs: a row with clicks
        but no impressions must not lift CTR's numerator. A measure the row's file does
        not have at all is not a gap: the row adds what it has (ROI of spend from one
        file and revenue from another is sum/sum)."""
        key = tuple(sorted(set(measures)))
        if key not in self._partial:
            present = [m for m in key if m in self.frame.columns]
            result = None
            if len(present) > 1:
                have = np.column_stack(
                    [~np.isnan(self.frame[m].to_numpy(dtype="float64")) for m in present]
                )
                some, every = have.any(axis=1), have.all(axis=1)
                mask = some & ~every
                if ORIGIN in self.frame.columns and mask.any():
                    mask &= self._file_has(present)
                result = mask if mask.any() else None
            self._partial[key] = result
        return self._partial[key]

    def _file_has(self, measures: Sequence[str]) -> np.ndarray:
        """Per frame row: whether its file has every one of ``measures``."""
        column = self.frame[ORIGIN]
        wanted = set(measures)
        per_label = np.array(
            [wanted <= set(str(c).split(ORIGIN_SEP)) for c in column.cat.categories] + [True]
        )
        # Code -1 (no file recorded: a frame made by hand) reads as "has every measure".
        return per_label[column.cat.codes.to_numpy()]

    def partial_rows(
        self,
        measures: Sequence[str],
        filters: tuple = (),
        start: date | None = None,
        end: date | None = None,
    ) -> int:
        """How many *source* rows matching ``filters`` within ``start``..``end`` have
        some but not all of ``measures`` (the rows a ratio leaves out)."""
        data = self._for(filters)
        partial = data.partial(measures)
        if partial is None:
            return 0
        mask = partial.copy()
        rows = data._mask(filters)
        if rows is not None:
            mask &= rows
        dates = data.frame[DATE].to_numpy()
        if start is not None:
            mask &= dates >= _as_day(start)
        if end is not None:
            mask &= dates <= _as_day(end)
        return int(data.counts[mask].sum())

    def require(self, measures: Sequence[str]) -> tuple[str, ...]:
        """The ``require`` key for sums of a ratio over ``measures``: empty when every
        row has all of them or none (nothing to leave out), so the plain sums serve."""
        return tuple(sorted(set(measures))) if self.partial(measures) is not None else ()

    def rows(self, filters: tuple, require: tuple[str, ...] = ()) -> np.ndarray | None:
        """Cube rows matching ``filters`` that have every ``require`` measure (``None``:
        all). Over ``self.frame``, like :meth:`mask`."""
        return self._rows(filters, require)

    def _rows(self, filters: tuple, require: tuple[str, ...]) -> np.ndarray | None:
        mask = self._mask(filters)
        if not require:
            return mask
        key = ("require", filters, require)
        if key not in self._masks:
            partial = self.partial(require)
            keep = ~partial if partial is not None else np.ones(len(self.frame), dtype=bool)
            self._masks[key] = keep if mask is None else (keep & mask)
        return self._masks[key]

    def _mask(self, filters: tuple) -> np.ndarray | None:
        if not filters:
            return None
        if filters not in self._masks:
            mask = np.ones(len(self.frame), dtype=bool)
            for dim, values in filters:
                if dim not in self.frame.columns or dim == ORIGIN:
                    if dim in self.dimensions:
                        raise KeyError(f"the cube lacks {dim!r}: use covering() first")
                    # A filter on a column the data lacks matches no row (the goal or the
                    # plan reports the unknown column where it is written).
                    mask[:] = False
                    break
                mask &= self.frame[dim].isin(values).to_numpy()
            self._masks[filters] = mask
        return self._masks[filters]

    # ------------------------------------------------------------------ sums

    def daily(self, filters: tuple = (), require: tuple[str, ...] = ()) -> pd.DataFrame:
        """Per-day sums of every measure (index: day), for the filtered rows (only rows
        with every ``require`` measure, when some rows lack some of them)."""
        data = self._for(filters)
        if data is not self:
            return data.daily(filters, require)
        cache_key = (filters, require)
        if cache_key not in self._daily:
            mask = self._rows(filters, require)
            rows = self.frame if mask is None else self.frame.loc[mask]
            if rows.empty:
                out = pd.DataFrame(columns=list(self.measures), dtype="float64")
                out.index = pd.DatetimeIndex([], name=DATE)
            else:
                out = rows.groupby(DATE, sort=True)[list(self.measures)].sum(min_count=1)
            self._daily[cache_key] = out
        return self._daily[cache_key]

    def arrays(self, filters: tuple = (), require: tuple[str, ...] = ()) -> Daily:
        """:meth:`daily` as numpy arrays (cached per filter and ``require``, on this cube:
        a cube rebuilt from edited sources starts empty)."""
        data = self._for(filters)
        if data is not self:
            return data.arrays(filters, require)
        cache_key = (filters, require)
        found = self._arrays.get(cache_key)
        if found is None:
            found = self._arrays[cache_key] = Daily.of(self.daily(filters, require))
        return found

    def totals(
        self,
        dim: str,
        start: date,
        end: date,
        filters: tuple = (),
        require: tuple[str, ...] = (),
    ) -> Totals:
        """:meth:`totals_by` as numpy arrays (cached): cheap to read many times."""
        data = self._for(filters, dim)
        if data is not self:
            return data.totals(dim, start, end, filters, require)
        cache_key = ("np", dim, start, end, filters, require)
        if cache_key not in self._totals:
            df = self.totals_by(dim, start, end, filters, require)
            self._totals[cache_key] = Totals(
                [str(v) for v in df.index],
                {c: i for i, c in enumerate(df.columns)},
                df.to_numpy(dtype="float64", na_value=np.nan)
                if len(df)
                else np.empty((0, len(df.columns))),
            )
        return self._totals[cache_key]

    def totals_by(
        self,
        dim: str,
        start: date,
        end: date,
        filters: tuple = (),
        require: tuple[str, ...] = (),
    ) -> pd.DataFrame:
        """Sums of every measure per value of ``dim`` over ``start``..``end`` (only rows
        with every ``require`` measure, when some rows lack some of them)."""
        data = self._for(filters, dim)
        if data is not self:
            return data.totals_by(dim, start, end, filters, require)
        cache_key = (dim, start, end, filters, require)
        if cache_key not in self._totals:
            frame = self.frame
            mask = self._rows(filters, require)
            dates = frame[DATE].to_numpy()
            in_range = (dates >= _as_day(start)) & (dates <= _as_day(end))
            if mask is not None:
                in_range &= mask
            rows = frame.loc[in_range]
            if dim not in frame.columns or rows.empty:
                out = pd.DataFrame(columns=list(self.measures), dtype="float64")
            else:
                out = rows.groupby(dim, sort=True, observed=True)[list(self.measures)].sum(
                    min_count=1
                )
            self._totals[cache_key] = out
        return self._totals[cache_key]
