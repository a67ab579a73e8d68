"""Timeline, risk matrix and portfolio charts."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ...format import Formatter, formatter
from .common import (
    _T,
    LABELLED_TOP,
    Chart,
    axis,
    colour,
    day,
    drawn,
    drawn_key,
    esc,
    layout,
    num,
    short,
    vline,
)

if TYPE_CHECKING:
    from ...metrics.evaluation import PlanView


def timeline_figure(view: PlanView, t: _T, fmt: Formatter) -> Chart:
    """Phases as bars, milestones as marks, the as-of day (kept by what it shows)."""
    phases = [
        (p.name, p.start, p.end, [(m.name, m.date, m.owner, m.done) for m in p.milestones])
        for p in view.plan.phases
    ]
    key = drawn_key("timeline", view, t, fmt, phases, view.as_of)
    return drawn(key, lambda: _timeline_figure(view, t, fmt))


def _timeline_figure(view: PlanView, t: _T, fmt: Formatter) -> Chart:
    title = t("chart.timeline")
    phases = view.plan.phases
    if not phases:
        return Chart(title, None, note=t("chart.no_data"))
    ms_per_day = 86_400_000
    names = [esc(p.name) for p in phases]
    traces: list[dict[str, Any]] = [
        {
            "type": "bar",
            "orientation": "h",
            "name": esc(t("phase")),
            "y": names,
            "base": [day(p.start) for p in phases],
            "x": [((p.end - p.start).days + 1) * ms_per_day for p in phases],
            "customdata": [[day(p.start), day(p.end)] for p in phases],
            "hovertemplate": "%{y}<br>%{customdata[0]} – %{customdata[1]}<extra></extra>",
            "marker": {
                "color": [colour(i) for i in range(len(phases))],
                "opacity": 0.8,  # a mark: >= 3:1 against the page in both palettes
                "line": {"color": "pb:fg@0.3", "width": 1},
            },
            "showlegend": False,
        }
    ]
    done: tuple[list, list, list] = ([], [], [])
    open_: tuple[list, list, list] = ([], [], [])
    table = []
    for p, name in zip(phases, names, strict=True):
        table.append([p.name, fmt.date(p.start), fmt.date(p.end), ""])
        for m in p.milestones:
            into = done if m.done else open_
            into[0].append(day(m.date))
            into[1].append(name)
            into[2].append(esc(m.name + (f" · {m.owner}" if m.owner else "")))
            state = t("milestone.done") if m.done else t("milestone.open")
            table.append([f"· {m.name}", fmt.date(m.date), "", state])
    for pts, key, col, symbol in (
        (done, "milestone.done", "pb:ok", "diamond"),
        (open_, "milestone.open", "pb:fg", "diamond-open"),
    ):
        if pts[0]:
            traces.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "name": esc(f"{t('chart.milestone')} ({t(key)})"),
                    "x": pts[0],
                    "y": pts[1],
                    "text": pts[2],
                    "hovertemplate": "%{text}<br>%{x}<extra></extra>",
                    "marker": {
                        "symbol": symbol,
                        "size": 11,
                        "color": col,
                        "line": {"width": 1.5, "color": col},
                    },
                }
            )
    shapes, notes = [], []
    if view.as_of is not None:
        s, a = vline(day(view.as_of), t("chart.as_of"))
        shapes.append(s)
        notes.append(a)
    lay = layout(
        xaxis=axis(type="date"),
        yaxis=axis(autorange="reversed", automargin=True, type="category"),
        shapes=shapes,
        annotations=notes,
        margin={"l": 80, "r": 16, "t": LABELLED_TOP if notes else 20, "b": 40},
    )
    height = max(220, 80 + 48 * len(phases)) + (LABELLED_TOP - 20 if notes else 0)
    headers = [t("phase"), t("chart.start"), t("chart.end"), t("status")]
    return Chart(title, {"data": traces, "layout": lay}, headers, table, height)


def risk_figure(view: PlanView, t: _T, fmt: Formatter) -> Chart:
    """Likelihood x impact, each risk numbered (kept by what it shows)."""
    risks = [(r.id, r.title, r.likelihood, r.impact) for r in view.plan.risks]
    return drawn(drawn_key("risk", view, t, fmt, risks), lambda: _risk_figure(view, t, fmt))


def _risk_figure(view: PlanView, t: _T, fmt: Formatter) -> Chart:
    title = t("chart.risks")
    risks = view.plan.risks
    if not risks:
        return Chart(title, None, note=t("chart.no_data"))
    # Levels as in the risk register: high from 15, medium from 8.
    grid = [
        [3 if li * im >= 15 else 2 if li * im >= 8 else 1 for im in range(1, 6)]
        for li in range(1, 6)
    ]
    traces: list[dict[str, Any]] = [
        {
            "type": "heatmap",
            "x": [1, 2, 3, 4, 5],
            "y": [1, 2, 3, 4, 5],
            "z": grid,
            "zmin": 1,
            "zmax": 3,
            "colorscale": [
                [0, "pb:ok@0.22"],
                [0.33, "pb:ok@0.22"],
                [0.34, "pb:warn@0.25"],
                [0.66, "pb:warn@0.25"],
                [0.67, "pb:bad@0.28"],
                [1, "pb:bad@0.28"],
            ],
            "showscale": False,
            "hoverinfo": "skip",
            "xgap": 2,
            "ygap": 2,
        }
    ]
    # Each risk is numbered in the register's order (highest score first): the number sits
    # on the matrix, where titles would collide, and the key under it names each one.
    ranked = sorted(risks, key=lambda r: (-r.likelihood * r.impact, r.id))
    number = {r.id: i for i, r in enumerate(ranked, start=1)}
    cells: dict[tuple[int, int], list] = {}
    for r in sorted(risks, key=lambda r: r.id):
        cells.setdefault((r.likelihood, r.impact), []).append(r)
    xs, ys, text, hover, colours = [], [], [], [], []
    for (li, im), group in sorted(cells.items()):
        n = len(group)
        for k, r in enumerate(group):
            angle = math.pi * 3 / 4 - 2 * math.pi * k / n
            radius = 0 if n == 1 else 0.26
            xs.append(num(im + radius * math.cos(angle)))
            ys.append(num(li + radius * math.sin(angle)))
            text.append(str(number[r.id]))
            hover.append(esc(f"{number[r.id]} {r.title} ({li}×{im}={li * im})"))
            score = li * im
            colours.append("pb:bad" if score >= 15 else "pb:warn" if score >= 8 else "pb:ok")
    traces.append(
        {
            "type": "scatter",
            "mode": "markers+text",
            "name": esc(t("risk")),
            "x": xs,
            "y": ys,
            "text": text,
            "textposition": "middle center",
            "textfont": {"size": 10, "color": "pb:bg"},
            "customdata": hover,
            "hovertemplate": "%{customdata}<extra></extra>",
            "marker": {"size": 17, "color": colours, "line": {"width": 1.5, "color": "pb:bg"}},
            "showlegend": False,
        }
    )
    ticks = {"tickvals": [1, 2, 3, 4, 5], "range": [0.5, 5.5], "showgrid": False, "zeroline": False}
    lay = layout(
        xaxis=axis(title={"text": esc(t("risk.impact"))}, **ticks),
        yaxis=axis(title={"text": esc(t("risk.likelihood"))}, **ticks),
        margin={"l": 56, "r": 16, "t": 16, "b": 48},
    )
    headers = [t("risk"), t("risk.likelihood"), t("risk.impact"), t("risk.score")]
    rows = [
        [
            f"{number[r.id]} · {r.title}",
            str(r.likelihood),
            str(r.impact),
            str(r.likelihood * r.impact),
        ]
        for r in ranked
    ]
    key = [r.title for r in ranked]  # an ordered list: its numbers are the markers' numbers
    return Chart(title, {"data": traces, "layout": lay}, headers, rows, 400, caption=key)


def portfolio_figure(rows: Sequence[Any], language: str) -> Chart:
    """Budget used vs period elapsed per plan (shares, so plans in any currency compare)."""
    t = _T(language)
    title = t("chart.portfolio")
    rows = [r for r in rows if r.view.budget is not None]
    if not rows:
        return Chart(title, None, note=t("chart.no_data"))
    names = [esc(short(r.title, 14)) for r in rows]
    amounts = []
    for r in rows:
        cells = formatter(t.language, r.plan.currency)
        amounts.append(
            esc(f"{r.title}: {cells.money(r.spent)} / {cells.money(r.plan.budget.total)}")
        )
    elapsed = [num(r.view.budget.elapsed) for r in rows]
    # Budget used on pace and spent ahead of the period: a legend entry for each colour.
    left, right = ("（", "）") if t.language == "zh" else (" (", ")")
    traces: list[dict[str, Any]] = []
    for ahead, colour_, name in (
        (False, "pb:mark", t("chart.portfolio_used")),
        (True, "pb:warn", f"{t('chart.portfolio_used')}{left}{t('budget.over_pace')}{right}"),
    ):
        picked = [k for k, r in enumerate(rows) if bool(r.view.budget.total_over_pace) == ahead]
        if not picked and ahead:
            continue
        traces.append(
            {
                "type": "bar",
                "name": esc(name),
                "orientation": "h",
                "y": [names[k] for k in picked],
                "x": [num(rows[k].used) for k in picked],
                "customdata": [amounts[k] for k in picked],
                "hovertemplate": "%{customdata}<br>%{x:.1%}<extra>%{fullData.name}</extra>",
                "offsetgroup": "used",
                "marker": {"color": colour_},
            }
        )
    traces.append(
        {
            "type": "bar",
            "name": esc(t("chart.portfolio_elapsed")),
            "orientation": "h",
            "y": names,
            "x": elapsed,
            "hovertemplate": "%{x:.1%}<extra>%{fullData.name}</extra>",
            "offsetgroup": "elapsed",
            "marker": {"color": "pb:line@0.35", "line": {"color": "pb:line", "width": 1}},
        }
    )
    # Plans on the vertical axis: long plan names never run into each other or the legend.
    lay = layout(
        barmode="group",
        xaxis=axis(tickformat=",.0%", rangemode="tozero"),
        yaxis=axis(automargin=True, autorange="reversed"),
        margin={"l": 8, "r": 16, "t": 8, "b": 40},
    )
    headers = [
        t("portfolio.plan"),
        t("budget.spent"),
        t("budget.total"),
        t("chart.portfolio_used"),
        t("chart.portfolio_elapsed"),
    ]
    table = []
    for r in rows:
        cells = formatter(t.language, r.plan.currency)
        table.append(
            [
                r.title,
                cells.money(r.spent),
                cells.money(r.plan.budget.total),
                cells.percent(r.used),
                cells.percent(r.view.budget.elapsed),
            ]
        )
    return Chart(
        title, {"data": traces, "layout": lay}, headers, table, max(200, 100 + 60 * len(rows))
    )
