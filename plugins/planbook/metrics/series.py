"""A goal's value on each day of a span, from the cube's per-day sums, and its forecast.

``sum``: running total (or trailing-window total); ``daily_mean``: mean per day with
data; ``last``: the latest value; formula KPIs: the formula over running (or trailing)
sums of their measures, never a mean of daily ratios. Numpy over the arrays of
:meth:`planbook.cube.MetricFrame.arrays`: this runs for every goal of every plan and
again for each report period.
"""

from __future__ import annotations

import functools
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..columns import DATE
from ..cube import Daily
from . import formula as fx

if TYPE_CHECKING:
    from .kpis import Kpi

__all__ = [
    "days_between",
    "forecast",
    "goal_forecast",
    "goal_series",
    "metric_series",
    "nan_to_none",
    "series_values",
]


def nan_to_none(v: float) -> float | None:
    return None if v is None or not np.isfinite(v) else float(v)


def _rolled(x: np.ndarray, window: int | None) -> np.ndarray:
    """Running total, or trailing ``window``-day total, along the first axis."""
    c = np.cumsum(x, axis=0)
    if window:
        out = c.copy()
        out[window:] = c[window:] - c[:-window]
        return out
    return c


def metric_series(
    kpi: Kpi,
    daily: pd.DataFrame | Daily,
    start: date,
    end: date,
    aggregate: str | None,
    window: int | None,
) -> pd.Series:
    """The goal's value as it stood on each day from ``start`` to ``end``.

    ``sum``: running total since ``start`` (or trailing ``window``-day total);
    ``daily_mean``: mean per day with data since ``start`` (or over the trailing window);
    ``last``: the latest day's value; formula KPIs: the formula over running (or
    trailing-window) sums of their measures. ``daily``: the per-day sums, as a frame or
    as the cube's arrays (:meth:`MetricFrame.arrays`). Vectorised with numpy: this runs
    for every goal of every plan.
    """
    days = days_between(start, end)
    if len(days) == 0:
        return pd.Series(dtype="float64")
    arrays = daily if isinstance(daily, Daily) else Daily.of(daily)
    values = series_values(kpi, arrays, start, len(days), aggregate, window)
    return pd.Series(values, index=days, copy=False)


@functools.lru_cache(maxsize=1024)
def days_between(start: date, end: date) -> pd.DatetimeIndex:
    """Every day from ``start`` to ``end`` (an index is immutable: series share it)."""
    return pd.date_range(start, end, freq="D", name=DATE)


def series_values(
    kpi: Kpi, daily: Daily, start: date, count: int, aggregate: str | None, window: int | None
) -> np.ndarray:
    """:func:`metric_series` as numpy (read-only): the value on each of ``count`` days from
    ``start``.

    Kept on ``daily`` (so on the cube) per KPI, start, aggregate and window: a goal's
    values as of an earlier day are the first values of the longest span computed so
    far (running and trailing sums, forward fill and the formula are all day by day),
    so a report's evaluations at its period ends reuse the plan's."""
    key = (kpi.expr, kpi.measures, kpi.is_measure, start, aggregate, window)
    found = daily.memo.get(key)
    if found is None or len(found) < count:
        found = _values(kpi, daily, start, count, aggregate, window)
        found.flags.writeable = False
        daily.memo[key] = found
    return found[:count]


def _values(
    kpi: Kpi, daily: Daily, start: date, count: int, aggregate: str | None, window: int | None
) -> np.ndarray:
    lead = (window or 1) - 1
    first = np.datetime64(start, "D") - lead
    n = count + lead
    # The days are sorted: the ones in first .. first + n - 1 are a slice.
    lo = int(daily.days.searchsorted(first, "left"))
    hi = int(daily.days.searchsorted(first + n, "left"))
    pos = (daily.days[lo:hi] - first).astype(np.int64)
    cols = list(kpi.measures)
    grid = np.full((n, len(cols)), np.nan)
    for j, c in enumerate(cols):
        i = daily.index.get(c)
        if i is not None:
            grid[pos, j] = daily.values[lo:hi, i]
    has = (~np.isnan(grid)).any(axis=1).astype(np.int64)
    filled = np.nan_to_num(grid, nan=0.0)
    seen = _rolled(has, window)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if not kpi.is_measure:
            sums = _rolled(filled, window)
            result = np.asarray(
                fx.evaluate(kpi.expr, {c: sums[:, j] for j, c in enumerate(cols)}), dtype="float64"
            )
        elif aggregate == "last":
            # The latest value on or before each day (forward fill).
            column = grid[:, 0]
            latest = np.where(np.isnan(column), 0, np.arange(n))
            result = column[np.maximum.accumulate(latest)]
        elif aggregate == "daily_mean":
            result = _rolled(filled[:, 0], window) / np.where(seen > 0, seen, np.nan)
        else:
            result = _rolled(filled[:, 0], window)
    result = np.where(seen > 0, result, np.nan)
    return result[lead:]


def goal_series(
    kpi: Kpi,
    daily: Daily,
    start: date,
    end: date,
    aggregate: str | None,
    window: int | None,
) -> pd.Series:
    """:func:`metric_series` on the cube's arrays, kept on ``daily`` per KPI, span,
    aggregate and window: plans that share sources and a goal get the same (read-only)
    series instead of a new one each."""
    key = ("series", kpi.expr, kpi.measures, kpi.is_measure, start, end, aggregate, window)
    found = daily.memo.get(key)
    if found is None:
        days = days_between(start, end)
        values = series_values(kpi, daily, start, len(days), aggregate, window)
        found = daily.memo[key] = pd.Series(values, index=days, copy=False)
    return found


def goal_forecast(
    kpi: Kpi,
    daily: Daily,
    series: pd.Series,
    start: date,
    as_of: date,
    deadline: date,
    days: int,
    aggregate: str | None,
    window: int | None,
) -> float | None:
    """:func:`forecast` of a :func:`goal_series` (``start`` .. ``as_of``), kept on
    ``daily`` like the series."""
    key = (
        "forecast",
        kpi.expr,
        kpi.measures,
        kpi.is_measure,
        start,
        as_of,
        deadline,
        days,
        aggregate,
        window,
    )
    if key not in daily.memo:
        daily.memo[key] = forecast(series.to_numpy(), start, as_of, deadline, days)
    return daily.memo[key]


@functools.lru_cache(maxsize=128)
def _pairs(n: int) -> tuple[np.ndarray, np.ndarray]:
    i, j = np.triu_indices(n, k=1)
    i.flags.writeable = j.flags.writeable = False
    return i, j


def forecast(
    values: np.ndarray, start: date, as_of: date, deadline: date, days: int
) -> float | None:
    """The value at ``deadline`` on the recent trend: ``values`` are the goal's values on
    each day from ``start`` to ``as_of``; the trend is fitted to the non-missing ones of
    the last ``days`` days (at least 7)."""
    if as_of >= deadline:
        return nan_to_none(values[-1]) if len(values) else None
    n = len(values)
    base = max(n - days, 0)  # the first day after as_of - days
    present = np.flatnonzero(~np.isnan(values[base:]))
    if len(present) < 7:
        return None
    x = (present - present[0]).astype("float64")
    y = values[base:][present]
    # Theil-Sen: the median of the pairwise slopes. A one-off spike (双11) barely moves it,
    # where a least-squares line would swing toward it.
    i, j = _pairs(len(x))
    # Infinite or huge values give NaN or inf slopes (no forecast), never a warning.
    with np.errstate(invalid="ignore", over="ignore"):
        slope = float(np.median((y[j] - y[i]) / (x[j] - x[i])))
        intercept = float(np.median(y - slope * x))
    at = (deadline - start).days - (base + int(present[0]))
    return nan_to_none(intercept + slope * at)
