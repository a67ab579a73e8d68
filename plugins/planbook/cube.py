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
from .grouping import aggregate

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
    # What is computed from these sums, kept with them (planbook.metrics.series).
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
        # Money measures some file's rows lack for being in another currency than the plan's
        # (sources/currency.py): a budget item without spend says so.
        self.withheld: frozenset[str] = frozenset(attrs.get("withheld", ()))
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
