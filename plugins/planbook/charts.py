"""Evaluated plans -> plotly figure specs, embedded as JSON and drawn by plotly.js offline.

Every chart is built at build time from aggregated data (per day, week or month,
never per raw row), so a chart's payload depends on the span of the plan, not on
the size of its CSV files. Figures are plain ``dict`` s in plotly's JSON schema:
building them costs microseconds, where the first ``plotly.graph_objects.Figure``
in a process costs 100-160 ms of validators.

Colours are *tokens* (``"pb:primary"``, ``"pb:c3"``, ``"pb:fg@0.2"``) that the
loader (``planbook-charts.js``) resolves from Material's CSS variables when it
plots, and again when the reader switches between the light and dark palettes.

Every string that reaches a figure is entity-escaped (plotly.js reads a few HTML
tags in its text; escaped text shows literally), and the embedded JSON escapes
``<``, ``>`` and ``&`` so nothing in it can close the ``<script>`` element.
This module never imports mkdocs.
"""

from __future__ import annotations

import difflib
import json
import math
import weakref
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from markupsafe import Markup, escape

from .columns import DATE
from .format import Formatter, formatter, is_missing
from .i18n import Labels, language_of
from .kpis import CHANNEL_KPIS, GoalResult, Kpi, KpiError, MetricFrame, filter_key, kpi_values
from .messages import msg
from .render_env import shipped_templates
from .reports import period_containing
from .targets import expected_at, steps

if TYPE_CHECKING:
    import jinja2

    from .project import PlanView

PLOTLY_URI = "assets/planbook/plotly.min.js"
CHARTS_JS_URI = "assets/planbook/planbook-charts.js"
LOCALE_JS_URI = "assets/planbook/plotly-locale-zh-cn.js"
CHARTS_CSS_URI = "assets/planbook/planbook-charts.css"

MAX_SERIES = 8  # a trend split by more values shows the largest 7 and "other"
PALETTE_SIZE = 12  # pb:c0 .. pb:c11, defined in planbook-charts.css for both palettes

# Labels the charts add to i18n.LABELS (kept here so the charts stay one module).
CHART_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "chart.data": "图表数据",
        "chart.no_data": "暂无可绘制的数据",
        "chart.goal": "目标进度：{name}",
        "chart.goals": "目标进度一览",
        "chart.pacing": "计划进度线",
        "chart.target": "目标值",
        "chart.forecast": "趋势预测",
        "chart.as_of": "数据截至",
        "chart.deadline": "截止",
        "chart.date": "日期",
        "chart.trend": "{kpi} 趋势（按{every}）",
        "chart.trend_by": "{kpi} 趋势（按{every}，分{by}）",
        "chart.every.day": "日",
        "chart.every.week": "周",
        "chart.every.month": "月",
        "chart.period": "周期",
        "chart.other": "其他",
        "chart.all": "全部",
        "chart.budget": "预算：计划与已花费",
        "chart.portfolio": "各计划预算使用与周期进度",
        "chart.portfolio_used": "预算使用",
        "chart.portfolio_elapsed": "周期已过",
        "chart.allocation": "预算分配",
        "chart.channels": "渠道效率：花费与{metric}",
        "chart.volume": "展现量",
        "chart.funnel": "转化漏斗",
        "chart.funnel_of": "转化漏斗：{name}",
        "chart.stage": "阶段",
        "chart.value": "数值",
        "chart.of_previous": "上一步转化",
        "chart.per_conversion": "单次转化收入",
        "chart.revenue_note": "收入 {value}",
        "chart.timeline": "阶段与里程碑时间线",
        "chart.start": "开始",
        "chart.end": "结束",
        "chart.milestone": "里程碑",
        "chart.risks": "风险矩阵（可能性 × 影响）",
        "chart.trend_spark": "{kpi} 走势：{first} → {last}",
        "trend": "趋势",
    },
    "en": {
        "chart.data": "Chart data",
        "chart.no_data": "No data to chart yet",
        "chart.goal": "Goal progress: {name}",
        "chart.goals": "Goal progress at a glance",
        "chart.pacing": "Pacing line",
        "chart.target": "Target",
        "chart.forecast": "Forecast",
        "chart.as_of": "Data as of",
        "chart.deadline": "Deadline",
        "chart.date": "Date",
        "chart.trend": "{kpi} by {every}",
        "chart.trend_by": "{kpi} by {every} and {by}",
        "chart.every.day": "day",
        "chart.every.week": "week",
        "chart.every.month": "month",
        "chart.period": "Period",
        "chart.other": "Other",
        "chart.all": "All",
        "chart.budget": "Budget: planned and spent",
        "chart.portfolio": "Budget used and period elapsed, per plan",
        "chart.portfolio_used": "Budget used",
        "chart.portfolio_elapsed": "Period elapsed",
        "chart.allocation": "Allocation",
        "chart.channels": "Channel efficiency: spend and {metric}",
        "chart.volume": "Impressions",
        "chart.funnel": "Funnel",
        "chart.funnel_of": "Funnel: {name}",
        "chart.stage": "Stage",
        "chart.value": "Value",
        "chart.of_previous": "Of previous step",
        "chart.per_conversion": "Revenue per conversion",
        "chart.revenue_note": "Revenue {value}",
        "chart.timeline": "Phases and milestones",
        "chart.start": "Start",
        "chart.end": "End",
        "chart.milestone": "Milestone",
        "chart.risks": "Risk matrix (likelihood × impact)",
        "chart.trend_spark": "{kpi} trend: {first} → {last}",
        "trend": "Trend",
    },
}

EVERY = ("day", "week", "month")


@dataclass(frozen=True)
class ChartSpec:
    """A chart shortcode: its positional arguments (names) and keyword arguments."""

    args: tuple[str, ...] = ()
    kwargs: frozenset[str] = frozenset()
    required: int = 0


CHARTS: dict[str, ChartSpec] = {
    "goal_chart": ChartSpec(("goal",), frozenset({"goal"}), 1),
    "goal_charts": ChartSpec((), frozenset({"goals"})),
    "kpi_trend": ChartSpec(("kpi",), frozenset({"kpi", "by", "every"}), 1),
    "budget_chart": ChartSpec(),
    "channel_chart": ChartSpec(("metric",), frozenset({"metric"})),
    "funnel_chart": ChartSpec(("channel",), frozenset({"channel", "by"})),
    "timeline_chart": ChartSpec(),
    "risk_matrix": ChartSpec(),
}


# --------------------------------------------------------------------------- helpers


class _T:
    """Chart labels for one language, falling back to the shared UI labels."""

    def __init__(self, language: str) -> None:
        self.language = language_of(language)
        self.labels = Labels(self.language)

    def __call__(self, key: str, **kw: object) -> str:
        text = CHART_LABELS[self.language].get(key) or CHART_LABELS["en"].get(key)
        if text is None:
            return self.labels(key, **kw)
        return text.format(**kw) if kw else text


def esc(text: object) -> str:
    """Text for plotly.js: its pseudo-HTML is neutralised, so the text shows literally."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def short(text: str, n: int = 16) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def num(v: Any) -> float | None:
    """A finite float rounded to 6 significant digits (small, deterministic JSON), or None."""
    if v is None:
        return None
    f = float(v)
    if not math.isfinite(f):
        return None
    return float(f"{f:.6g}")


def nums(values: Any) -> list[float | None]:
    arr = np.asarray(values, dtype="float64")
    return [None if not math.isfinite(v) else float(f"{v:.6g}") for v in arr.tolist()]


def day(d: date | pd.Timestamp) -> str:
    return d.strftime("%Y-%m-%d")


def to_json(figure: dict[str, Any]) -> str:
    """Compact JSON that is safe inside ``<script type="application/json">``."""
    text = json.dumps(figure, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def axis(**kw: Any) -> dict[str, Any]:
    base = {"gridcolor": "pb:fg@0.08", "zerolinecolor": "pb:fg@0.2", "linecolor": "pb:fg@0.3"}
    base.update(kw)
    return base


def layout(**kw: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "margin": {"l": 56, "r": 16, "t": 16, "b": 40},
        "legend": {"orientation": "h", "x": 0, "y": -0.16, "yanchor": "top"},
        "hovermode": "closest",
        "xaxis": axis(),
        "yaxis": axis(),
    }
    base.update(kw)
    return base


def value_axis(kind: str, fmt: Formatter, values: Any = ()) -> dict[str, Any]:
    """A value axis in the tables' formats: amounts as ``¥40万`` ticks computed here
    (d3-format knows no 万 / 亿), percentages and counts through d3-format with the
    locale's separators."""
    if kind == "percent":
        return {"tickformat": ",.1~%", "hoverformat": ".2%"}
    if kind == "currency":
        ticks = fmt.money_ticks(np.asarray(values, dtype="float64").ravel().tolist())
        return {"hoverformat": ",.2f", "separatethousands": True, **ticks}
    # counts in full with separators (15,000, not plotly's SI "15k")
    return {"tickformat": ",~r", "hoverformat": ",.4~g", "separatethousands": True}


# plotly.js locales: zh-CN is planbook-locale-zh-cn.js (written here, served with the site).
PLOTLY_LOCALES = {"zh": "zh-CN", "en": "en-US"}
DATE_HOVER = {"zh": "%Y年%-m月%-d日", "en": "%b %-d, %Y"}
# The toolbar a reader uses: download as PNG and reset. Nothing that sends data anywhere
# (plotly.js shows a "Share" / Chart Studio button by default).
TOOLBAR = [["toImage", "resetScale2d"]]


def with_config(figure: dict[str, Any], language: str) -> dict[str, Any]:
    """The figure plus its plotly config: the reader's locale, the reduced toolbar, and
    date axes hovering in the language's date format."""
    lang = language_of(language)
    out = dict(figure)
    lay = dict(out.get("layout") or {})
    for key, value in lay.items():
        if key.startswith("xaxis") and isinstance(value, dict) and value.get("type") == "date":
            lay[key] = {"hoverformat": DATE_HOVER[lang], **value}
    out["layout"] = lay
    out["config"] = {
        "locale": PLOTLY_LOCALES[lang],
        "modeBarButtons": TOOLBAR,
        "displaylogo": False,
        "showSendToCloud": False,
        "showEditInChartStudio": False,
        "showLink": False,
        "toImageButtonOptions": {"format": "png", "scale": 2},
    }
    return out


def vline(x: str, text: str, dash: str = "dot") -> tuple[dict[str, Any], dict[str, Any]]:
    shape = {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": x,
        "x1": x,
        "y0": 0,
        "y1": 1,
        "line": {"color": "pb:fg@0.45", "width": 1, "dash": dash},
    }
    note = {
        "x": x,
        "y": 1,
        "xref": "x",
        "yref": "paper",
        "yanchor": "bottom",
        "text": esc(text),
        "showarrow": False,
        "font": {"size": 10, "color": "pb:fg@0.7"},
    }
    return shape, note


def colour(i: int) -> str:
    return f"pb:c{i % PALETTE_SIZE}"


def value_colour(
    key: str, labels: Mapping[str, str], colours: Mapping[str, int | str] | None = None
) -> str:
    """The colour of one dimension value on every chart of every page: the site's choice
    (``value_colors``: a palette slot 1-12 or ``#rrggbb``), else the value's place in
    ``value_labels``, else a hash of the value. Never its position in one chart."""
    chosen = (colours or {}).get(key)
    if isinstance(chosen, str):
        return chosen
    if isinstance(chosen, int):
        return colour(chosen - 1)
    if key in labels:
        return colour(list(labels).index(key))
    return colour(zlib.crc32(key.encode("utf-8")))


def view_colour(view: PlanView, key: str) -> str:
    return value_colour(key, view.value_labels, getattr(view, "value_colors", None))


@dataclass
class Chart:
    """One chart, ready to render: figure (None when there is nothing to draw) and table."""

    title: str
    figure: dict[str, Any] | None
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    height: int = 360
    note: str | None = None
    caption: list[str] = field(default_factory=list)  # a key shown under the chart


class ChartError(ValueError):
    """Bad shortcode arguments (the message is for the author)."""


# --------------------------------------------------------------------------- arguments


def _bind(name: str, args: tuple, kwargs: dict) -> dict[str, Any]:
    spec = CHARTS[name]
    call = f"{{{{ {name}() }}}}"
    if len(args) > len(spec.args):
        raise ChartError(msg("chart.positional", call=call, n=len(spec.args), got=len(args)))
    unknown = sorted(set(kwargs) - spec.kwargs)
    if unknown:
        allowed = ", ".join(sorted(spec.kwargs)) or msg("none")
        raise ChartError(msg("chart.unknown-argument", call=call, unknown=unknown, allowed=allowed))
    bound = dict(zip(spec.args, args, strict=False))
    for k, v in kwargs.items():
        if k in bound:
            raise ChartError(msg("chart.twice", call=call, name=k))
        bound[k] = v
    missing = [a for a in spec.args[: spec.required] if a not in bound]
    if missing:
        example = f"{name}({_example(name)})"
        raise ChartError(msg("chart.needs", call=call, missing=missing, example=example))
    return bound


def _example(name: str) -> str:
    return {"goal_chart": '"web-traffic"', "kpi_trend": '"ctr", by="channel"'}.get(name, "")


def _did_you_mean(value: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.5)
    return msg("hint.close", close=close[0]) if close else ""


def _check(name: str, bound: dict[str, Any], view: PlanView) -> None:
    call = f"{{{{ {name}() }}}}"
    goal_ids = [g.goal.id for g in view.goals]
    if name == "goal_chart":
        gid = bound["goal"]
        if not isinstance(gid, str) or gid not in goal_ids:
            raise ChartError(
                msg(
                    "chart.unknown-goal",
                    call=call,
                    id=gid,
                    hint=_did_you_mean(str(gid), goal_ids),
                    goals=", ".join(goal_ids) or msg("none"),
                )
            )
    elif name == "goal_charts" and bound.get("goals") is not None:
        wanted = bound["goals"]
        if isinstance(wanted, str):
            wanted = [wanted]
        for gid in wanted:
            if gid not in goal_ids:
                raise ChartError(
                    msg(
                        "chart.unknown-goal",
                        call=call,
                        id=gid,
                        hint=_did_you_mean(str(gid), goal_ids),
                        goals=", ".join(goal_ids) or msg("none"),
                    )
                )
    elif name == "kpi_trend":
        kpi = bound["kpi"]
        if not isinstance(kpi, str):
            raise ChartError(msg("chart.kpi-quoted", call=call, got=kpi))
        try:
            k = view.registry.get(kpi)
        except KpiError as e:
            raise ChartError(msg("chart.kpi", call=call, problem=e.args[0])) from None
        missing = [m for m in k.measures if m not in view.data.measures]
        if missing and not view.data.empty:
            raise ChartError(msg("chart.missing-column", call=call, kpi=k.id, missing=missing))
        _check_every(call, bound.get("every"))
        _check_dimension(call, "by", bound.get("by"), view)
    elif name == "channel_chart":
        metric = bound.get("metric", "revenue")
        if metric not in ("revenue", "conversions"):
            raise ChartError(
                msg(
                    "chart.metric",
                    call=call,
                    got=metric,
                    hint=_did_you_mean(str(metric), ["revenue", "conversions"]),
                )
            )
    elif name == "funnel_chart":
        _check_dimension(call, "by", bound.get("by"), view)
        channel = bound.get("channel")
        if channel is not None:
            dim = _channel_dim(view)
            known = view.data.values(dim)
            if not isinstance(channel, str) or (known and channel not in known):
                raise ChartError(
                    msg(
                        "chart.unknown-value",
                        call=call,
                        dim=dim,
                        value=channel,
                        hint=_did_you_mean(str(channel), known),
                        known=known[:12],
                    )
                )


def _check_every(call: str, every: Any) -> None:
    if every is not None and every not in EVERY:
        raise ChartError(
            msg(
                "chart.every",
                call=call,
                choices=EVERY,
                got=every,
                hint=_did_you_mean(str(every), EVERY),
            )
        )


def _check_dimension(call: str, kw: str, dim: Any, view: PlanView) -> None:
    if dim is None:
        return
    dims = list(view.data.dimensions)
    if not isinstance(dim, str) or (dims and dim not in dims):
        raise ChartError(
            msg(
                "chart.dimension",
                call=call,
                kw=kw,
                dim=dim,
                hint=_did_you_mean(str(dim), dims),
                dims=", ".join(dims) or msg("none"),
            )
        )


def check_chart_arguments(name: str, args: tuple, kwargs: dict, view: PlanView) -> str | None:
    """A message for the author when a chart shortcode's arguments are wrong, else None."""
    try:
        _check(name, _bind(name, tuple(args), dict(kwargs)), view)
    except ChartError as e:
        return e.args[0]
    return None


# --------------------------------------------------------------------------- aggregation

_CACHE: weakref.WeakKeyDictionary[MetricFrame, dict[tuple, pd.DataFrame]] = (
    weakref.WeakKeyDictionary()
)


def _channel_dim(view: PlanView) -> str:
    return view.channels.dimension if view.channels is not None else "channel"


def auto_every(start: date, end: date) -> str:
    """Daily up to a quarter, weekly up to two years, monthly beyond."""
    span = (end - start).days + 1
    if span <= 92:
        return "day"
    if span <= 730:
        return "week"
    return "month"


def period_sums(
    data: MetricFrame,
    measures: Sequence[str],
    every: str,
    by: str | None,
    end: date,
    filters: tuple = (),
) -> pd.DataFrame:
    """Sums of ``measures`` per period (and per ``by`` value) up to ``end``.

    Index: period start (``date``), or (period, value). Weeks start on Monday.
    Cached per MetricFrame, so pages that share data aggregate once.
    """
    data = data.covering((*([by] if by else []), *(dim for dim, _ in filters)))
    cache = _CACHE.setdefault(data, {})
    key = (tuple(measures), every, by, end, filters)
    if key in cache:
        return cache[key]
    cols = [m for m in measures if m in data.measures]
    # Several measures are a ratio's inputs: only rows that have all of them count.
    require = data.require(cols) if len(cols) > 1 else ()
    if every == "day" and by is None:
        daily = data.daily(filters, require)
        out = daily.loc[daily.index <= pd.Timestamp(end), cols]
        out.index = out.index.rename("period")
    else:
        frame = data.frame
        days = frame[DATE].to_numpy().astype("datetime64[D]")
        mask = days <= np.datetime64(end, "D")
        rows = data.rows(filters, require)
        if rows is not None:
            mask &= rows
        days = days[mask]
        if every == "week":
            periods = days - ((days.astype("int64") + 3) % 7).astype("timedelta64[D]")
        elif every == "month":
            periods = days.astype("datetime64[M]").astype("datetime64[D]")
        else:
            periods = days
        sub = frame.loc[mask, [*cols, *([by] if by else [])]]
        keys: list[Any] = [pd.Index(periods, name="period")]
        if by:
            keys.append(sub[by].to_numpy())
        out = sub[cols].groupby(keys, sort=True, observed=True).sum(min_count=1)
        if by:
            out.index = out.index.set_names(["period", by])
    cache[key] = out
    return out


def _measure_total(kpi: Kpi, sums: pd.DataFrame) -> pd.Series:
    """Volume used to rank split series: the KPI's last measure (its denominator)."""
    m = kpi.measures[-1]
    return sums[m] if m in sums else pd.Series(0.0, index=sums.index)


# --------------------------------------------------------------------------- charts


def goal_figure(g: GoalResult, t: _T, fmt: Formatter, *, compact: bool = False) -> Chart:
    """Actual against the pacing line, the target, deadline, as-of and forecast."""
    goal = g.goal
    title = t("chart.goal", name=goal.statement)
    kind = g.format
    series = g.series.dropna() if len(g.series) else g.series
    if not len(series) or g.as_of is None:
        return Chart(title, None, note=t("chart.no_data"))
    full = g.series
    # Daily up to ~half a year; weekly beyond (sampled backwards so the as-of day stays).
    sampled = full if len(full) <= 190 else full.iloc[::-1].iloc[::7].iloc[::-1]
    xs = [day(d) for d in sampled.index]
    ys = nums(sampled.to_numpy())
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
            # hover in the tables' format (¥16.83万, 2.19%), the date in the reader's language
            "text": [esc(fmt.value(v, kind)) for v in ys],
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
    lay = layout(
        shapes=[s1, s2],
        annotations=[a1, a2],
        yaxis=axis(
            **value_axis(kind, fmt, [*ys, goal.baseline, goal.target, g.forecast]),
            rangemode="normal",
        ),
        xaxis=axis(type="date"),
    )
    if compact:
        lay["showlegend"] = False
        lay["margin"] = {"l": 48, "r": 8, "t": 16, "b": 44}
    headers = [t("chart.date"), t("actual"), t("expected")]
    rows = []
    table = sampled if len(sampled) <= 60 else sampled.iloc[::-1].iloc[::7].iloc[::-1]
    for d, v in zip(table.index, table.to_numpy(), strict=True):
        rows.append(
            [
                fmt.date(d.date()),
                fmt.value(None if is_missing(v) else float(v), kind),
                fmt.value(expected_at(line, d.date()), kind),
            ]
        )
    return Chart(title, {"data": traces, "layout": lay}, headers, rows, 260 if compact else 360)


_TRENDS: weakref.WeakKeyDictionary[MetricFrame, dict[tuple, Chart]] = weakref.WeakKeyDictionary()


def trend_figure(view: PlanView, bound: dict[str, Any], t: _T, fmt: Formatter) -> Chart:
    """KPI per period, cached per data: plans that share data share their trends."""
    kpi = view.registry.get(bound["kpi"])
    key = (kpi, bound.get("by"), bound.get("every"), view.as_of, t.language, fmt.currency)
    cache = _TRENDS.setdefault(view.data, {})
    if key not in cache:
        cache[key] = _trend_figure(view, kpi, bound, t, fmt)
    return cache[key]


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
    sums = period_sums(data, kpi.measures, every, by, end)
    # From the period the plan starts in: months of baseline data would crowd the picture.
    since = view.plan.period.start
    if every != "day":
        since = period_containing(since, every).start
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
    traces = []
    for i, name in enumerate(names):
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers" if len(xs) <= 60 else "lines",
                "name": esc(name),
                "x": xs,
                "y": nums(matrix[:, i]),
                "line": {"color": colours[i], "width": 2},
                "marker": {"size": 4, "color": colours[i]},
            }
        )
    lay = layout(
        xaxis=axis(type="date"),
        yaxis=axis(**value_axis(kpi.format, fmt, matrix)),
        showlegend=bool(by),
        hovermode="x unified",
    )
    headers = [t("chart.period"), *names]
    rows = [
        [fmt.date(p.date()), *[fmt.value(v, kpi.format) for v in matrix[j].tolist()]]
        for j, p in enumerate(periods)
    ]
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


def _finite(v: Any) -> float | None:
    return None if v is None or not math.isfinite(float(v)) else float(v)


def budget_figure(view: PlanView, t: _T, fmt: Formatter) -> Chart:
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
            "textinfo": "percent",
            "textposition": "inside",
            "insidetextorientation": "horizontal",
            "showlegend": True,  # the items' colours, named in the legend
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
    return Chart(
        title, {"data": traces, "layout": lay}, headers, rows, max(320, 150 + 44 * len(rows))
    )


def channel_figure(view: PlanView, bound: dict[str, Any], t: _T, fmt: Formatter) -> Chart:
    metric = bound.get("metric", "revenue")
    metric_label = (
        view.registry.get(metric).label(t.language) if metric in view.data.measures else metric
    )
    title = t("chart.channels", metric=metric_label)
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
            "textposition": "top center",
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
    bars = [k for k in ("roi", "roas", "cac") if k in ids and k in CHANNEL_KPIS]
    annotations = []
    lay = layout(
        xaxis=axis(
            title={"text": esc(view.registry.get("spend").label(t.language))},
            **fmt.money_ticks([r.values["spend"] for r in rows]),
        ),
        yaxis=axis(
            domain=[0.46, 1.0],
            title={"text": esc(metric_label)},
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
                    "textposition": "outside",
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


def funnel_figures(view: PlanView, bound: dict[str, Any], t: _T, fmt: Formatter) -> list[Chart]:
    """One funnel, or with ``by`` one small funnel per value (the six largest), each with
    stage-to-stage rates and a table of stages that ends with revenue when the data has it."""
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
        totals = data.totals_by(by, start, end, filters)
        arr = totals[wanted].to_numpy(dtype="float64") if len(totals) else np.empty((0, 0))
        keys = [str(v) for v in totals.index]
        first = np.nan_to_num(arr[:, 0]) if len(arr) else np.empty(0)
        order = sorted((j for j in range(len(keys)) if first[j] > 0), key=lambda j: -first[j])
        groups = [(keys[j], dict(zip(wanted, arr[j].tolist(), strict=True))) for j in order[:6]]
    else:
        daily = data.daily(filters)
        window = daily.loc[
            (daily.index >= pd.Timestamp(start)) & (daily.index <= pd.Timestamp(end))
        ]
        if not window.empty:
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
                "textposition": "outside",
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


def timeline_figure(view: PlanView, t: _T, fmt: Formatter) -> Chart:
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
        margin={"l": 80, "r": 16, "t": 20, "b": 40},
    )
    height = max(220, 80 + 48 * len(phases))
    headers = [t("phase"), t("chart.start"), t("chart.end"), t("status")]
    return Chart(title, {"data": traces, "layout": lay}, headers, table, height)


def risk_figure(view: PlanView, t: _T, fmt: Formatter) -> Chart:
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


# --------------------------------------------------------------------------- rendering


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


def render_figures(
    charts: Sequence[Chart], *, env: jinja2.Environment, language: str, chart_id: str, kind: str
) -> str:
    """HTML for ready-built charts (figure, JSON payload, data table)."""
    items = [
        {
            "chart": chart,
            "id": chart_id if len(charts) == 1 else f"{chart_id}-{i}",
            "json": (
                Markup(to_json(with_config(chart.figure, language)))
                if chart.figure is not None
                else None
            ),
        }
        for i, chart in enumerate(charts)
    ]
    t = _T(language)
    return env.get_template("charts/figure.html").render(
        items=items, kind=kind, t=t, title=t("chart.goals"), grid_id=chart_id
    )


def build_charts(
    name: str, view: PlanView, args: tuple, kwargs: dict, *, language: str
) -> list[Chart]:
    """The charts a shortcode stands for (a list: ``goal_charts`` is a grid)."""
    bound = _bind(name, tuple(args), dict(kwargs))
    t = _T(language)
    fmt = formatter(t.language, view.plan.currency)
    if name == "goal_chart":
        g = next(g for g in view.goals if g.goal.id == bound["goal"])
        return [goal_figure(g, t, fmt)]
    if name == "funnel_chart":
        return funnel_figures(view, bound, t, fmt)
    if name == "goal_charts":
        wanted = bound.get("goals")
        if isinstance(wanted, str):
            wanted = [wanted]
        return [
            goal_figure(g, t, fmt, compact=True)
            for g in view.goals
            if not wanted or g.goal.id in wanted
        ]
    builders: dict[str, Callable[[], Chart]] = {
        "kpi_trend": lambda: trend_figure(view, bound, t, fmt),
        "budget_chart": lambda: budget_figure(view, t, fmt),
        "channel_chart": lambda: channel_figure(view, bound, t, fmt),
        "timeline_chart": lambda: timeline_figure(view, t, fmt),
        "risk_matrix": lambda: risk_figure(view, t, fmt),
    }
    return [builders[name]()]


def render_chart(
    name: str,
    view: PlanView,
    args: tuple,
    kwargs: dict,
    *,
    env: jinja2.Environment,
    language: str,
    chart_id: str,
) -> str:
    """The HTML of a chart shortcode: figure(s), JSON payload and data-table alternative."""
    charts = build_charts(name, view, args, kwargs, language=language)
    t = _T(language)
    items = []
    for i, chart in enumerate(charts):
        cid = f"{chart_id}-{i}" if name == "goal_charts" else chart_id
        items.append(
            {
                "chart": chart,
                "id": cid,
                "json": (
                    Markup(to_json(with_config(chart.figure, language)))
                    if chart.figure is not None
                    else None
                ),
            }
        )
    template = "charts/grid.html" if name == "goal_charts" else "charts/figure.html"
    return env.get_template(template).render(
        items=items, kind=name, t=t, title=t("chart.goals"), grid_id=chart_id
    )


def plotly_js_path() -> Path:
    """plotly.min.js from the installed plotly package (written once into the site)."""
    import plotly

    return Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


def charts_js_path() -> Path:
    return shipped_templates() / "assets" / "planbook-charts.js"


def charts_css_path() -> Path:
    return shipped_templates() / "assets" / "planbook-charts.css"


def chart_assets() -> list[tuple[str, Path]]:
    """(site URI, file) of every asset the charts need: plotly.js, its zh-CN locale, the
    loader and the stylesheet. All are written into the site: no CDN."""
    assets = shipped_templates() / "assets"
    return [
        (PLOTLY_URI, plotly_js_path()),
        (LOCALE_JS_URI, assets / "plotly-locale-zh-cn.js"),
        (CHARTS_JS_URI, charts_js_path()),
        (CHARTS_CSS_URI, charts_css_path()),
    ]


def script_tags(relative_base: str) -> str:
    """Script tags for a page with charts; ``relative_base`` is ``""`` or ``"../../"`` style."""
    base = (
        relative_base if not relative_base or relative_base.endswith("/") else relative_base + "/"
    )
    return (
        f'<script src="{base}{PLOTLY_URI}" defer></script>'
        f'<script src="{base}{LOCALE_JS_URI}" defer></script>'
        f'<script src="{base}{CHARTS_JS_URI}" defer></script>'
    )


# --------------------------------------------------------------------------- sparkline


class Sparkline:
    """The ``sparkline`` jinja global: ``{{ sparkline(goal_result, fmt, language) }}``."""

    def __call__(
        self,
        g: GoalResult,
        fmt: Formatter | None = None,
        language: str = "en",
        width: int = 96,
        height: int = 24,
    ) -> Markup:
        return sparkline_svg(g, fmt, language, width, height)

    @staticmethod
    def title(language: str) -> str:
        """The goals table's column heading."""
        return _T(language)("trend")


sparkline = Sparkline()


def sparkline_svg(
    g: GoalResult,
    fmt: Formatter | None = None,
    language: str = "en",
    width: int = 96,
    height: int = 24,
) -> Markup:
    """A small inline SVG of a goal's value over time (weekly points), built at build time."""
    series = g.series.dropna() if len(g.series) else g.series
    if len(series) < 2:
        return Markup("")
    sampled = series if len(series) <= 40 else series.iloc[::-1].iloc[::7].iloc[::-1]
    values = sampled.to_numpy(dtype="float64")
    lo = min(float(values.min()), g.goal.target)
    hi = max(float(values.max()), g.goal.target)
    span = hi - lo or 1.0
    pad = 2.0
    n = len(values)

    def xy(i: int, v: float) -> tuple[float, float]:
        x = pad + (width - 2 * pad) * i / (n - 1)
        y = height - pad - (height - 2 * pad) * (v - lo) / span
        return round(x, 1), round(y, 1)

    pts = [xy(i, v) for i, v in enumerate(values)]
    points = " ".join(f"{x:g},{y:g}" for x, y in pts)
    ty = xy(0, g.goal.target)[1]
    t = _T(language)
    fmt = fmt or formatter(t.language)
    kpi = g.kpi.label(t.language) if g.kpi else g.goal.kpi
    label = t(
        "chart.trend_spark",
        kpi=kpi,
        first=fmt.value(float(values[0]), g.format),
        last=fmt.value(float(values[-1]), g.format),
    )
    lx, ly = pts[-1]
    svg = (
        f'<svg class="pb-spark pb-status--{g.status}" role="img" aria-label="{escape(label)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
        f'<line class="pb-spark__target" x1="{pad:g}" x2="{width - pad:g}" y1="{ty:g}" '
        f'y2="{ty:g}"/>'
        f'<polyline class="pb-spark__line" points="{points}"/>'
        f'<circle class="pb-spark__end" cx="{lx:g}" cy="{ly:g}" r="2"/></svg>'
    )
    return Markup(svg)
