"""Goal charts (actual against the pacing line) and KPI trends, split by a dimension."""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ...columns import DATE
from ...format import Formatter
from ...metrics.kpis import GoalResult, Kpi, kpi_values
from ...metrics.reports import period_containing
from ...metrics.targets import expected_along, steps
from .common import (
    _T,
    LABELLED_TOP,
    MAX_SERIES,
    Chart,
    PerData,
    auto_every,
    axis,
    day,
    drawn_key,
    esc,
    kept,
    layout,
    new_store,
    num,
    nums,
    per_data,
    period_sums,
    value_axis,
    view_colour,
    vline,
)

if TYPE_CHECKING:
    from ...metrics.evaluation import PlanView


# Goal charts by what they show: plans that track the same goal over the same data (an
# all-channel ROI in every plan) and `mkdocs serve` rebuilds draw each one once. 512 kept
# (~42 kB each with their JSON, markup and table: ~21 MB at most): a plan page shows ~5,
# and 256 let go of charts another plan ~90 pages on shows again (charts-200p drew 240 of
# its 1,000 goal charts a second or third time, and compressed their markup again).
_GOALS = new_store()
_GOALS_MAX = 512


def goal_figure(g: GoalResult, t: _T, fmt: Formatter, *, compact: bool = False) -> Chart:
    """Actual against the pacing line, the target, deadline, as-of and forecast."""
    key = _goal_key(g, t, fmt, compact)
    return kept(_GOALS, _GOALS_MAX, key, lambda: _goal_figure(g, t, fmt, compact=compact))


def _goal_key(g: GoalResult, t: _T, fmt: Formatter, compact: bool) -> tuple:
    """Everything a goal chart is drawn from (the series by its bytes; the numbers by
    their ``repr``: a baseline of -0.0 is drawn as such, not as 0.0's chart)."""
    goal, series = g.goal, g.series
    return (
        repr(
            (
                goal.statement,
                goal.baseline,
                goal.target,
                goal.deadline,
                g.start,
                g.as_of,
                g.actual,
                g.forecast,
                g.format,
                g.line,
            )
        ),
        *_series_bytes(series),
        t.language,
        fmt.language,
        fmt.currency,
        compact,
    )


# A goal's series by its bytes, per series: plans that share sources and a goal share
# the (read-only) series (planbook.metrics.series.goal_series), and its ~1,000 values were
# copied to bytes for each plan's chart key (~20 µs each).
_BYTES: dict[int, tuple[weakref.ref, tuple[bytes, bytes]]] = {}


def _series_bytes(series: pd.Series) -> tuple[bytes, bytes]:
    """(values, days) of ``series`` as bytes, taken once per series object."""
    found = _BYTES.get(id(series))
    if found is not None and found[0]() is series:
        return found[1]
    got = _bytes_of(series)
    ident = id(series)
    _BYTES[ident] = (weakref.ref(series, lambda _, i=ident: _BYTES.pop(i, None)), got)
    return got


def _series_arrays(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(values as float64, days as datetime64[D]) of ``series``, read-only views of the
    bytes its chart key took (:func:`_series_bytes`) rather than converted again."""
    values, days = _series_bytes(series)
    return np.frombuffer(values, dtype="float64"), np.frombuffer(days, dtype="datetime64[D]")


def _bytes_of(series: pd.Series) -> tuple[bytes, bytes]:
    return (
        series.to_numpy(dtype="float64").tobytes(),
        np.asarray(series.index, dtype="datetime64[D]").tobytes(),
    )


def _goal_figure(g: GoalResult, t: _T, fmt: Formatter, *, compact: bool) -> Chart:
    goal = g.goal
    title = t("chart.goal", name=goal.statement)
    kind = g.format
    values, days = _series_arrays(g.series)
    if not len(values) or np.isnan(values).all() or g.as_of is None:
        return Chart(title, None, note=t("chart.no_data"))
    # Daily up to ~half a year; weekly beyond (sampled backwards so the as-of day stays).
    picked = _every_7th_from_end(len(values)) if len(values) > 190 else None
    if picked is not None:
        days, values = days[picked], values[picked]
    xs = np.datetime_as_string(days, unit="D").tolist()
    ys = nums(values)
    texts = fmt.values(values, kind)  # NaN and infinite values (no y) read "—"
    deadline = day(goal.deadline)
    # The pacing line runs through the goal's milestones; their targets are drawn as steps.
    line = g.line or [(g.start, goal.baseline), (goal.deadline, goal.target)]
    step_x, step_y = steps(line)
    traces: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": esc(t("actual")),
            "x": xs,
            "y": ys,
            # hover in the tables' format (¥16.83万, 2.19%) from the exact figure, not the
            # 6-digit y that only places the point (a point without a y, NaN or
            # infinite, reads "—"); the date in the reader's language
            "text": _escaped(texts),
            "hovertemplate": "%{x}<br>%{text}<extra>%{fullData.name}</extra>",
            "line": {"color": "pb:line", "width": 2.5},
        },
        {
            "type": "scatter",
            "mode": "lines",
            "name": esc(t("chart.pacing")),
            "x": [day(d) for d, _ in line],
            "y": [num(v) for _, v in line],
            "line": {"color": "pb:fg@0.45", "width": 1.5, "dash": "dash"},
        },
        {
            "type": "scatter",
            "mode": "lines",
            "name": esc(t("chart.target")),
            "x": [day(d) for d in step_x],
            "y": [num(v) for v in step_y],
            "line": {"color": "pb:ok", "width": 1.5, "dash": "dot", "shape": "hv"},
        },
    ]
    as_of = day(g.as_of)
    if g.forecast is not None and g.actual is not None and g.as_of < goal.deadline:
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": esc(t("chart.forecast")),
                "x": [as_of, deadline],
                "y": [num(g.actual), num(g.forecast)],
                "line": {"color": "pb:mark", "width": 2, "dash": "dashdot"},
                "marker": {"size": [0, 7], "color": "pb:mark"},
            }
        )
    s1, a1 = vline(deadline, t("chart.deadline"), "dash")
    s2, a2 = vline(as_of, t("chart.as_of"))
    # The earlier line's label ends at its line, the later one's is centred on its own:
    # a few days apart, both centred ran into each other ("数据截至截止" at 390 px).
    early = a2 if g.as_of <= goal.deadline else a1
    early.update(xanchor="right", xshift=-2)
    lay = layout(
        shapes=[s1, s2],
        annotations=[a1, a2],
        yaxis=axis(
            **value_axis(kind, fmt, [*ys, goal.baseline, goal.target, g.forecast], zero=False),
            rangemode="normal",
        ),
        xaxis=axis(type="date"),
        margin={"l": 56, "r": 16, "t": LABELLED_TOP, "b": 40},
    )
    if compact:
        lay["showlegend"] = False
        lay["margin"] = {"l": 48, "r": 8, "t": LABELLED_TOP, "b": 44}
    headers = [t("chart.date"), t("actual"), t("expected")]
    # The table: the plotted points, weekly beyond 60 of them.
    if len(values) > 60:
        rows_at = _every_7th_from_end(len(values))
        days = days[rows_at]
        texts = [texts[i] for i in rows_at.tolist()]  # those values' texts
    dates = days.tolist()
    rows = [
        [when, actual, expected]
        for when, actual, expected in zip(
            fmt.dates(dates),
            texts,
            fmt.values(expected_along(line, dates), kind),
            strict=True,
        )
    ]
    return Chart(title, {"data": traces, "layout": lay}, headers, rows, 260 if compact else 360)


def _escaped(texts: list[str]) -> list[str]:
    """``[esc(text) for text in texts]``: a formatter's texts (digits, a currency's
    symbol, 万) hold none of ``&<>``, looked for once in all of them."""
    joined = "".join(texts)
    if "&" in joined or "<" in joined or ">" in joined:
        return [esc(text) for text in texts]
    return list(texts)


def _every_7th_from_end(n: int) -> np.ndarray:
    """Positions of every 7th of ``n`` points, counted back from the last one."""
    return np.arange(n - 1, -1, -7)[::-1]


_TRENDS: PerData = weakref.WeakKeyDictionary()


def trend_figure(view: PlanView, bound: dict[str, Any], t: _T, fmt: Formatter) -> Chart:
    """KPI per period, cached per data: plans that share data share their trends (those
    that start on the same day: a trend is drawn from the period the plan starts in)."""
    kpi = view.registry.get(bound["kpi"])
    key = (
        kpi,
        *drawn_key(
            "trend",
            view,
            t,
            fmt,
            bound.get("by"),
            bound.get("every"),
            view.as_of,
            view.plan.period.start,
            view.plan.first_weekday,
        ),
    )
    return per_data(_TRENDS, view.data, key, lambda: _trend_figure(view, kpi, bound, t, fmt))


def _trend_figure(view: PlanView, kpi: Kpi, bound: dict[str, Any], t: _T, fmt: Formatter) -> Chart:
    by: str | None = bound.get("by")
    label = kpi.label(t.language)
    data = view.data
    end = view.as_of
    first = None if data.empty else data.frame[DATE].min()
    if end is None or first is None or pd.isna(first):
        title = t("chart.trend", kpi=label, every=t("chart.every.week"))
        return Chart(title, None, note=t("chart.no_data"))
    every = bound.get("every") or auto_every(first.date(), end)
    every_label = t(f"chart.every.{every}")
    title = (
        t("chart.trend_by", kpi=label, every=every_label, by=t(f"dim.{by}"))
        if by
        else t("chart.trend", kpi=label, every=every_label)
    )
    week_start = view.plan.first_weekday
    sums = period_sums(data, kpi.measures, every, by, end, week_start=week_start)
    # From the period the plan starts in: months of baseline data would crowd the picture.
    since = view.plan.period.start
    if every != "day":
        since = period_containing(since, every, week_start).start
    periods_index = sums.index.get_level_values(0)
    sums = sums.loc[periods_index >= pd.Timestamp(since)]
    if sums.empty:
        return Chart(title, None, note=t("chart.no_data"))
    names, matrix, periods = _trend_matrix(kpi, sums, by, label, t("chart.other"))
    present = [i for i in range(len(names)) if not np.isnan(matrix[:, i]).all()]
    other = t("chart.other")
    colours = [
        "pb:line" if not by else "pb:fg@0.55" if names[i] == other else view_colour(view, names[i])
        for i in present
    ]
    names = [view.value_labels.get(names[i], names[i]) for i in present]
    matrix = matrix[:, present]
    xs = [day(p) for p in periods]
    # each series' texts, for its hover and its table column alike
    columns = [fmt.values(matrix[:, i], kpi.format) for i in range(len(names))]
    traces = []
    for i, name in enumerate(names):
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers" if len(xs) <= 60 else "lines",
                "name": esc(name),
                "x": xs,
                "y": nums(matrix[:, i]),
                # hover as the table below the chart shows it: the exact figure in the
                # tables' format (a count hovered 1.358e+6 through d3's "g", an amount
                # lost its last digits to the 6-digit y)
                "text": _escaped(columns[i]),
                "hovertemplate": "%{text}<extra>%{fullData.name}</extra>",
                "line": {"color": colours[i], "width": 2},
                "marker": {"size": 4, "color": colours[i]},
            }
        )
    lay = layout(
        xaxis=axis(type="date"),
        yaxis=axis(**value_axis(kpi.format, fmt, matrix, zero=False)),
        showlegend=bool(by),
        hovermode="x unified",
    )
    headers = [t("chart.period"), *names]
    dates = fmt.dates([p.date() for p in periods])
    rows = [[when, *(column[j] for column in columns)] for j, when in enumerate(dates)]
    return Chart(title, {"data": traces, "layout": lay}, headers, rows)


def _trend_matrix(
    kpi: Kpi, sums: pd.DataFrame, by: str | None, label: str, other: str
) -> tuple[list[str], np.ndarray, pd.Index]:
    """(series names, periods x series KPI values, periods): KPIs of per-period sums.

    Split by ``by``: the MAX_SERIES - 1 largest values by volume (the KPI's last
    measure) and "other", whose KPI is computed from the summed measures of the rest.
    """
    if not by:
        return (
            [label],
            np.asarray(kpi_values(kpi, sums), dtype="float64").reshape(-1, 1),
            sums.index,
        )
    wide = sums.unstack(level=1)
    periods = wide.index
    keys = [str(v) or "—" for v in wide[kpi.measures[0]].columns]
    measures = {m: wide[m].to_numpy(dtype="float64") for m in kpi.measures}
    volume = np.nansum(measures[kpi.measures[-1]], axis=0)
    order = sorted(range(len(keys)), key=lambda j: (-float(volume[j]), keys[j]))
    top = order if len(order) <= MAX_SERIES else order[: MAX_SERIES - 1]
    rest = [j for j in order if j not in top]
    values = kpi_values(kpi, {m: arr[:, top] for m, arr in measures.items()})
    matrix = np.asarray(values, dtype="float64").reshape(len(periods), len(top))
    names = [keys[j] for j in top]
    if rest:
        summed = {}
        for m, arr in measures.items():
            part = arr[:, rest]
            summed[m] = np.where(np.isnan(part).all(axis=1), np.nan, np.nansum(part, axis=1))
        extra = np.asarray(kpi_values(kpi, summed), dtype="float64").reshape(-1, 1)
        matrix = np.hstack([matrix, extra])
        names.append(other)
    return names, matrix, periods
