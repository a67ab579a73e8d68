"""Budget, channel and funnel charts."""

from __future__ import annotations

import math
import weakref
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ...format import Formatter, is_missing
from ...metrics.breakdown import CHANNEL_KPIS
from ...metrics.kpis import filter_key
from .common import (
    _T,
    Chart,
    PerData,
    _channel_dim,
    axis,
    colour,
    drawn,
    drawn_key,
    esc,
    layout,
    num,
    per_data,
    short,
    value_axis,
    view_colour,
)

if TYPE_CHECKING:
    from ...metrics.evaluation import PlanView


def budget_figure(view: PlanView, t: _T, fmt: Formatter) -> Chart:
    """Planned and spent per item, caps, the allocation's donut (kept by what it shows)."""
    budget = view.budget
    rows = None
    if budget is not None:
        rows = [
            (r.item, r.label, r.planned, r.spent, r.cap, r.over_cap, budget.over_pace(r))
            for r in budget.rows
        ]
    key = drawn_key("budget", view, t, fmt, rows)
    return drawn(key, lambda: _budget_figure(view, t, fmt))


def _budget_figure(view: PlanView, t: _T, fmt: Formatter) -> Chart:
    title = t("chart.budget")
    budget = view.budget
    if budget is None or not budget.rows:
        return Chart(title, None, note=t("chart.no_data"))
    # axis labels: the item's name before any parenthesised detail, kept short
    labels = [
        esc(short(r.label.split("（")[0].split(" (")[0].strip() or r.item, 10)) for r in budget.rows
    ]
    full = [esc(r.label) for r in budget.rows]
    # Spent bars are coloured by state, and each state is a legend entry that says so.
    states = [
        "over_cap" if r.over_cap else "over_pace" if budget.over_pace(r) else "ok"
        for r in budget.rows
    ]
    caps = [(lab, r.cap) for lab, r in zip(labels, budget.rows, strict=True) if r.cap is not None]
    money = [esc(fmt.money(r.planned)) for r in budget.rows]
    traces: list[dict[str, Any]] = [
        {
            "type": "bar",
            "orientation": "h",
            "name": esc(t("budget.planned")),
            "y": labels,
            "x": [num(r.planned) for r in budget.rows],
            "customdata": [f"{n}: {m}" for n, m in zip(full, money, strict=True)],
            "hovertemplate": "%{customdata}<extra>%{fullData.name}</extra>",
            "offsetgroup": "planned",
            "marker": {"color": "pb:fg@0.18", "line": {"color": "pb:fg@0.55", "width": 1}},
        }
    ]
    left, right = ("（", "）") if t.language == "zh" else (" (", ")")
    for state, colour_, name in (
        ("ok", "pb:mark", t("budget.spent")),
        ("over_pace", "pb:warn", f"{t('budget.spent')}{left}{t('budget.over_pace')}{right}"),
        ("over_cap", "pb:bad", f"{t('budget.spent')}{left}{t('budget.over_cap')}{right}"),
    ):
        rows_ = [k for k, st in enumerate(states) if st == state]
        if not rows_ and state != "ok":
            continue
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": esc(name),
                "y": [labels[k] for k in rows_],
                "x": [num(budget.rows[k].spent) for k in rows_],
                "customdata": [f"{full[k]}: {esc(fmt.money(budget.rows[k].spent))}" for k in rows_],
                "hovertemplate": "%{customdata}<extra>%{fullData.name}</extra>",
                "offsetgroup": "spent",
                "marker": {"color": colour_},
            }
        )
    if caps:
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": esc(t("budget.cap")),
                "y": [c[0] for c in caps],
                "x": [num(c[1]) for c in caps],
                "customdata": [esc(fmt.money(c[1])) for c in caps],
                "marker": {
                    "symbol": "line-ns-open",
                    "size": 26,
                    "line": {"width": 3, "color": "pb:bad"},
                    "color": "pb:bad",
                },
                "hovertemplate": "%{customdata}<extra>%{fullData.name}</extra>",
            }
        )
    traces.append(
        {
            "type": "pie",
            "name": esc(t("chart.allocation")),
            "labels": labels,
            "values": [num(r.planned) for r in budget.rows],
            "hole": 0.55,
            "sort": False,
            "direction": "clockwise",
            "domain": {"x": [0.7, 1.0], "y": [0.08, 1.0]},
            "marker": {"colors": [view_colour(view, r.item) for r in budget.rows]},
            # Each slice is named on the donut itself, not in the legend: there the
            # items' colours stood among the bars' (a teal slice beside the teal of
            # "spent"), one colour meaning two things. The legend is the bars' alone.
            "texttemplate": "%{label}<br>%{percent}",
            "textposition": "outside",
            "automargin": True,
            "showlegend": False,
            "hovertemplate": "%{label}<br>%{percent}<extra></extra>",
            "title": {"text": esc(t("chart.allocation")), "font": {"size": 12}},
        }
    )
    lay = layout(
        barmode="group",
        # Items on the vertical axis: their names never collide, on a phone either.
        yaxis=axis(domain=[0, 1], automargin=True, autorange="reversed", type="category"),
        xaxis=axis(
            domain=[0, 0.62],
            **fmt.money_ticks(
                [r.planned for r in budget.rows]
                + [r.spent for r in budget.rows]
                + [c[1] for c in caps]
            ),
        ),
        margin={"l": 8, "r": 8, "t": 16, "b": 40},
    )
    headers = [t("budget.item"), t("budget.planned"), t("budget.spent"), t("budget.cap")]
    rows = [
        [r.label, fmt.money(r.planned), fmt.money(r.spent), fmt.money(r.cap)] for r in budget.rows
    ]
    height = max(320, 150 + 44 * len(rows))
    # On a phone the donut beside the bars was a 60 px ring with unreadable labels: there,
    # the bars take the full width and the donut sits under them.
    pie = len(traces) - 1
    narrow = {
        "below": 560,
        "height": height + 240,
        "layout": {"xaxis": {"domain": [0, 1]}, "yaxis": {"domain": [0.5, 1]}},
        # its names outside the ring keep clear of the bars' axis above it
        "data": {str(pie): {"domain": {"x": [0.15, 0.85], "y": [0, 0.32]}}},
    }
    figure = {"data": traces, "layout": lay, "narrow": narrow}
    return Chart(title, figure, headers, rows, height)


def _label_sides(xs: list[float]) -> list[str]:
    """Where each bubble's name goes: a name centred over a bubble near the left edge ran
    into the value axis' tick labels, near the right edge past the plot; names sit to
    the right of bubbles in the left quarter, to the left in the right quarter."""
    finite = [float(x) for x in xs if not is_missing(x)]
    lo, hi = (min(finite), max(finite)) if finite else (0.0, 0.0)
    span = (hi - lo) or 1.0
    out = []
    for x in xs:
        at = 0.5 if is_missing(x) else (float(x) - lo) / span
        out.append("top right" if at < 0.25 else "top left" if at > 0.75 else "top center")
    return out


def channel_figure(view: PlanView, bound: dict[str, Any], t: _T, fmt: Formatter) -> Chart:
    """Spend against ``metric`` per channel, and a panel per ratio (kept by what it shows)."""
    metric = bound.get("metric", "revenue")
    b = view.channels
    table = None if b is None else ([k.id for k in b.columns], [(r.key, r.values) for r in b.rows])
    key = drawn_key("channel", view, t, fmt, metric, metric in view.data.measures, table, kpis=True)
    return drawn(key, lambda: _channel_figure(view, metric, t, fmt))


def _channel_figure(view: PlanView, metric: str, t: _T, fmt: Formatter) -> Chart:
    metric_label = (
        view.registry.get(metric).label(t.language) if metric in view.data.measures else metric
    )
    # mid-sentence an English label reads in lower case ("spend and revenue"), an
    # acronym (ROAS, CPA) as it is
    in_title = metric_label
    if t.language == "en" and in_title[:2].istitle():
        in_title = in_title[0].lower() + in_title[1:]
    title = t("chart.channels", metric=in_title)
    b = view.channels
    if b is None or not b.rows:
        return Chart(title, None, note=t("chart.no_data"))
    ids = {k.id for k in b.columns}
    rows = [
        r for r in b.rows if r.values.get("spend") is not None and r.values.get(metric) is not None
    ]
    if "spend" not in ids or metric not in ids or not rows:
        return Chart(title, None, note=t("chart.no_data"))
    volume_id = next((m for m in ("impressions", "clicks") if m in ids), None)
    volume = [float(r.values.get(volume_id) or 0.0) if volume_id else 1.0 for r in rows]
    biggest = max(volume) or 1.0
    # a channel without the volume measure (KOL: no impressions) still gets a small bubble
    volume = [v if v > 0 else biggest * 0.02 for v in volume]
    shown = [view.value_labels.get(r.key, r.key) or "—" for r in rows]
    metric_format = view.registry.get(metric).format
    hover = [
        esc(f"{n}: {fmt.money(r.values['spend'])} → {fmt.value(r.values[metric], metric_format)}")
        for n, r in zip(shown, rows, strict=True)
    ]
    names = [esc(short(n, 14)) for n in shown]
    full_names = [esc(n) for n in shown]
    traces: list[dict[str, Any]] = [
        {
            "type": "scatter",
            "mode": "markers+text",
            "name": esc(metric_label),
            "x": [num(r.values["spend"]) for r in rows],
            "y": [num(r.values[metric]) for r in rows],
            "text": names,
            "textposition": _label_sides([r.values["spend"] for r in rows]),
            "cliponaxis": False,
            "customdata": hover,
            "hovertemplate": "%{customdata}<extra></extra>",
            "marker": {
                "size": [num(v) for v in volume],
                "sizemode": "area",
                "sizeref": num(2.0 * biggest / 44.0**2),
                "sizemin": 5,
                "color": [view_colour(view, r.key) for r in rows],
                "opacity": 0.75,
                "line": {"color": "pb:fg@0.5", "width": 1},
            },
            "showlegend": False,
        }
    ]
    # a panel per ratio some channel has (no empty 获客成本 panel without new-customer data)
    bars = [
        k
        for k in ("roi", "roas", "cac")
        if k in ids and k in CHANNEL_KPIS and any(not is_missing(r.values.get(k)) for r in rows)
    ]
    annotations = []
    spend_ticks = fmt.money_ticks([r.values["spend"] for r in rows])
    if spend_ticks.get("tickvals", [None])[0] == 0:
        # the origin is the value axis' zero: its "¥0" beside the spend's ran into it
        spend_ticks["ticktext"] = ["", *spend_ticks["ticktext"][1:]]
    # Both axes from zero: a reader compares the channels' distances from the origin
    # (twice the spend, twice as far); an axis fitted to the values (spend from ¥8万)
    # made a channel with half another's spend look a tenth of it. A negative value (ROI
    # below zero) still shows, with zero inside the axis.
    lay = layout(
        xaxis=axis(
            title={"text": esc(view.registry.get("spend").label(t.language))},
            rangemode="tozero",
            **spend_ticks,
        ),
        yaxis=axis(
            domain=[0.46, 1.0],
            title={"text": esc(metric_label)},
            rangemode="tozero",
            **value_axis(metric_format, fmt, [r.values[metric] for r in rows]),
        ),
        showlegend=False,
        margin={"l": 64, "r": 16, "t": 16, "b": 40},
    )
    if bars:
        lay["xaxis"]["anchor"] = "y"
        lay["yaxis"]["domain"] = [0.5, 1.0]
        width = 1.0 / len(bars)
        for i, kid in enumerate(bars):
            n = i + 2
            kpi = view.registry.get(kid)
            ys = [r.values.get(kid) for r in rows]
            # Horizontal bars, channels named once on the left: at 390 px three panels of
            # rotated channel names ran into each other.
            traces.append(
                {
                    "type": "bar",
                    "orientation": "h",
                    "name": esc(kpi.label(t.language)),
                    "y": names,
                    "x": [num(v) for v in ys],
                    "text": [esc(fmt.value(v, kpi.format)) for v in ys],
                    # inside the bar where it fits: outside, the longest bar's value ran
                    # into the next panel at 390 px; a negative bar's value (ROI -46 %)
                    # always inside, outside it ran into the channel names on the left
                    "textposition": [
                        "inside" if not is_missing(v) and float(v) < 0 else "auto" for v in ys
                    ],
                    "cliponaxis": False,
                    "xaxis": f"x{n}",
                    "yaxis": f"y{n}",
                    "marker": {"color": [view_colour(view, r.key) for r in rows]},
                    "customdata": full_names,
                    "hovertemplate": "%{customdata}: %{text}<extra>%{fullData.name}</extra>",
                }
            )
            lo, hi = i * width + (0.0 if i == 0 else 0.06), (i + 1) * width - 0.06
            lay[f"xaxis{n}"] = axis(
                domain=[lo, hi], anchor=f"y{n}", nticks=3, **value_axis(kpi.format, fmt, ys)
            )
            lay[f"yaxis{n}"] = axis(
                domain=[0.0, 0.32],
                anchor=f"x{n}",
                type="category",
                autorange="reversed",
                automargin=True,
                showticklabels=i == 0,
                **({"matches": "y2"} if i else {}),
            )
            annotations.append(
                {
                    "text": esc(kpi.label(t.language)),
                    "x": (lo + hi) / 2,
                    "y": 0.35,
                    "xref": "paper",
                    "yref": "paper",
                    "showarrow": False,
                    "font": {"size": 11},
                }
            )
        lay["annotations"] = annotations
    headers = [t("channel"), view.registry.get("spend").label(t.language), metric_label]
    headers += [view.registry.get(k).label(t.language) for k in bars]
    table = []
    for r in rows:
        cells = [view.value_labels.get(r.key, r.key), fmt.money(r.values["spend"])]
        cells.append(fmt.value(r.values[metric], view.registry.get(metric).format))
        cells += [fmt.value(r.values.get(k), view.registry.get(k).format) for k in bars]
        table.append(cells)
    return Chart(title, {"data": traces, "layout": lay}, headers, table, 520 if bars else 380)


FUNNEL_STAGES = ("impressions", "clicks", "conversions")


# Funnels per data by what they show: plans over the same sources and period draw one.
_FUNNELS: PerData = weakref.WeakKeyDictionary()


def funnel_figures(view: PlanView, bound: dict[str, Any], t: _T, fmt: Formatter) -> list[Chart]:
    """One funnel, or with ``by`` one small funnel per value (the six largest), each with
    stage-to-stage rates and a table of stages that ends with revenue when the data has it."""
    plan = view.plan
    key = drawn_key(
        "funnel",
        view,
        t,
        fmt,
        bound.get("channel"),
        bound.get("by"),
        view.as_of,
        plan.period.start,
        plan.period.end,
        plan.channel_filter,
        _channel_dim(view),
        kpis=True,
    )
    return list(per_data(_FUNNELS, view.data, key, lambda: _funnel_figures(view, bound, t, fmt)))


def _funnel_figures(view: PlanView, bound: dict[str, Any], t: _T, fmt: Formatter) -> list[Chart]:
    channel = bound.get("channel")
    by = bound.get("by")
    title = t("chart.funnel_of", name=channel) if channel else t("chart.funnel")
    data, plan = view.data, view.plan
    stages = [m for m in FUNNEL_STAGES if m in data.measures]
    if view.as_of is None or len(stages) < 2 or view.as_of < plan.period.start:
        return [Chart(title, None, note=t("chart.no_data"))]
    start, end = plan.period.start, min(view.as_of, plan.period.end)
    dim = _channel_dim(view)
    # Channel analysis reads the rows the plan's channel_filter keeps (no double counting).
    spec = dict(plan.channel_filter)
    if channel:
        spec[dim] = [channel]
    filters = filter_key(spec)
    wanted = [*stages, *(["revenue"] if "revenue" in data.measures else [])]
    groups: list[tuple[str | None, dict[str, float]]] = []
    if by:
        # the cube's sums per value as one array (kept on the cube), then their columns
        totals = data.totals(by, start, end, filters)
        arr = totals.values[:, [totals.index[m] for m in wanted]]
        keys = totals.keys
        first = np.nan_to_num(arr[:, 0]) if len(arr) else np.empty(0)
        order = sorted((j for j in range(len(keys)) if first[j] > 0), key=lambda j: -first[j])
        groups = [(keys[j], dict(zip(wanted, arr[j].tolist(), strict=True))) for j in order[:6]]
    else:
        daily = data.daily(filters)
        window = daily.loc[
            (daily.index >= pd.Timestamp(start)) & (daily.index <= pd.Timestamp(end))
        ]
        if not window.empty:
            with np.errstate(over="ignore"):  # an infinite sum is said (data/sum-overflow)
                sums = window[wanted].sum(min_count=1)
            groups = [(channel, {m: float(sums[m]) for m in wanted})]
    groups = [(k, g) for k, g in groups if math.isfinite(g[stages[0]]) and g[stages[0]] > 0]
    if not groups:
        return [Chart(title, None, note=t("chart.no_data"))]
    if not by:
        return [_funnel(view, t, fmt, stages, groups[0][1], title, None)]
    return [_funnel_rates(view, t, fmt, stages, groups, title)]


def _funnel_rates(
    view: PlanView,
    t: _T,
    fmt: Formatter,
    stages: list[str],
    groups: list[tuple[str | None, dict[str, float]]],
    title: str,
) -> Chart:
    """Funnels per value side by side: stage counts differ by orders of magnitude (1.5M
    impressions, 700 conversions), so bars of counts are slivers. Drawn instead: each
    stage-to-stage rate per value, one panel per step, in the value's colour; the table
    holds every count, rate and the revenue."""
    labels = [view.registry.get(m).label(t.language) for m in stages]
    keys = [k or "" for k, _ in groups]
    names = [view.value_labels.get(k, k) or "—" for k in keys]
    steps_ = list(range(1, len(stages)))
    traces: list[dict[str, Any]] = []
    lay = layout(showlegend=False, margin={"l": 8, "r": 24, "t": 40, "b": 24})
    width = 1.0 / len(steps_)
    notes = []
    for n, j in enumerate(steps_, start=1):
        rates = []
        for _, sums in groups:
            a, b = sums.get(stages[j - 1]), sums.get(stages[j])
            ok = a is not None and b is not None and math.isfinite(a) and math.isfinite(b) and a > 0
            rates.append(b / a if ok else None)
        suffix = "" if n == 1 else str(n)
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "x": [num(r) for r in rates],
                "y": [esc(short(x, 12)) for x in names],
                "text": [esc(fmt.percent(r, 2)) for r in rates],
                "textposition": "auto",  # (as the channel panels: never into the next one)
                "cliponaxis": False,
                "hovertemplate": "%{y}: %{text}<extra></extra>",
                "marker": {"color": [view_colour(view, k) for k in keys]},
                "xaxis": f"x{suffix}",
                "yaxis": f"y{suffix}",
            }
        )
        lo, hi = (n - 1) * width + (0.02 if n > 1 else 0), n * width - 0.06
        lay[f"xaxis{suffix}"] = axis(domain=[lo, hi], anchor=f"y{suffix}", tickformat=",.0%")
        lay[f"yaxis{suffix}"] = axis(
            anchor=f"x{suffix}", autorange="reversed", automargin=True, showticklabels=n == 1
        )
        notes.append(
            {
                "text": esc(f"{labels[j]} /") + "<br>" + esc(labels[j - 1]),
                "x": (lo + hi) / 2,
                "y": 1,
                "xref": "paper",
                "yref": "paper",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 12},
            }
        )
    lay["annotations"] = notes
    headers = [t("channel")]
    for j, lab in enumerate(labels):
        headers.append(lab)
        if j:
            headers.append(f"{lab} / {labels[j - 1]}")
    revenue = any("revenue" in g for _, g in groups)
    if revenue:
        headers += [view.registry.get("revenue").label(t.language), t("chart.per_conversion")]
    table = []
    for name, (_, sums) in zip(names, groups, strict=True):
        row = [name]
        for j, m in enumerate(stages):
            row.append(fmt.number(sums.get(m)))
            if j:
                a, b = sums.get(stages[j - 1]), sums.get(m)
                row.append(fmt.percent(b / a if a and b is not None else None, 2))
        if revenue:
            rev, conv = sums.get("revenue"), sums.get(stages[-1])
            row += [fmt.money(rev), fmt.money(rev / conv if rev is not None and conv else None)]
        table.append(row)
    height = 80 + 34 * len(groups)
    return Chart(title, {"data": traces, "layout": lay}, headers, table, height)


def _funnel(
    view: PlanView,
    t: _T,
    fmt: Formatter,
    stages: list[str],
    sums: dict[str, float],
    title: str,
    colour_: str | None,
) -> Chart:
    labels = [view.registry.get(m).label(t.language) for m in stages]
    xs = [num(sums[m]) for m in stages]
    # Text written here, not by a plotly texttemplate: a stage without data (None) made
    # plotly warn in the console for every missing %{value}.
    texts, rates = [], []
    for j, x in enumerate(xs):
        prev = xs[j - 1] if j else None
        rate = x / prev if x is not None and prev else None
        rates.append(rate)
        if x is None:
            texts.append("")
        elif rate is not None:
            texts.append(f"{fmt.number(x)} · {fmt.percent(rate, 2)}")
        else:
            texts.append(fmt.number(x))
    trace = {
        "type": "funnel",
        "name": esc(title),
        "y": [esc(lab) for lab in labels],
        "x": xs,
        "text": [esc(tx) for tx in texts],
        "textinfo": "text",
        "textposition": "outside",
        "textfont": {"size": 12},
        "cliponaxis": False,
        "hovertemplate": "%{y}: %{text}<extra></extra>",
        "marker": {"color": colour_ or [colour(j) for j in range(len(stages))]},
        "connector": {"fillcolor": "pb:fg@0.08", "line": {"color": "pb:fg@0.2"}},
    }
    lay = layout(
        showlegend=False,
        margin={"l": 96, "r": 16, "t": 16, "b": 24},
        yaxis=axis(automargin=True),
        xaxis=axis(visible=False),
    )
    headers = [t("chart.stage"), t("chart.value"), t("chart.of_previous")]
    table = [
        [lab, fmt.number(sums[m]), fmt.percent(rate, 2)]
        for lab, m, rate in zip(labels, stages, rates, strict=True)
    ]
    revenue = sums.get("revenue")
    if revenue is not None and math.isfinite(revenue):
        conversions = sums.get(stages[-1])
        per = revenue / conversions if conversions else None
        table.append(
            [view.registry.get("revenue").label(t.language), fmt.money(revenue), fmt.money(per)]
        )
        headers[2] = f"{t('chart.of_previous')} / {t('chart.per_conversion')}"
        lay["annotations"] = [
            {
                "text": esc(t("chart.revenue_note", value=fmt.money(revenue))),
                "x": 1,
                "y": 0,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "right",
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 12, "color": "pb:ok"},
            }
        ]
    return Chart(title, {"data": [trace], "layout": lay}, headers, table, 320)
