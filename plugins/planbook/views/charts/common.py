"""What every chart shares: labels, escaping, axes and layout, colours, the Chart type,
period sums."""

from __future__ import annotations

import json
import math
import weakref
import zlib
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import pandas as pd

from ...columns import DATE
from ...format import Formatter
from ...i18n import Labels, language_of
from ...metrics.kpis import Kpi, MetricFrame

if TYPE_CHECKING:
    from ...metrics.evaluation import PlanView


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


def index_text(index: pd.Index) -> list[str]:
    """``[str(v) for v in index.tolist()]``. A categorical index (a cube's dimension) is
    read through its categories: its own ``tolist`` takes every value out of the
    categories with pyarrow's ``take`` (~0.3 ms a funnel on a 200-plan site)."""
    if isinstance(index, pd.CategoricalIndex):
        codes = index.codes
        if len(codes) and codes.min() >= 0 and len(index.categories) <= 4 * len(codes) + 64:
            names = [str(v) for v in index.categories.tolist()]
            return [names[c] for c in codes.tolist()]
    return [str(v) for v in index.tolist()]


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


def value_axis(kind: str, fmt: Formatter, values: Any = (), zero: bool = True) -> dict[str, Any]:
    """A value axis in the tables' formats: amounts as ``¥40万`` ticks computed here
    (d3-format knows no 万 / 亿), percentages and counts through d3-format with the
    locale's separators. ``zero=False`` for lines and points, whose axis plotly fits to
    the data rather than starting it at zero."""
    if kind == "percent":
        return {"tickformat": ",.1~%", "hoverformat": ".2%"}
    if kind == "currency":
        ticks = fmt.money_ticks(np.asarray(values, dtype="float64").ravel().tolist(), zero=zero)
        return {"hoverformat": ",.2f", "separatethousands": True, **ticks}
    # counts in full with separators (15,000, not plotly's SI "15k")
    return {"tickformat": ",~r", "hoverformat": ",.4~g", "separatethousands": True}


# plotly.js locales: zh-CN is planbook-locale-zh-cn.js (written here, served with the site).
PLOTLY_LOCALES = {"zh": "zh-CN", "en": "en-US"}


DATE_HOVER = {"zh": "%Y年%-m月%-d日", "en": "%b %-d, %Y"}


# The toolbar a reader uses: download as PNG and reset. Nothing that sends data anywhere
# (plotly.js shows a "Share" / Chart Studio button by default).
TOOLBAR = [["toImage", "resetScale2d"]]

# The top margin of a chart whose lines are labelled above the plot (deadline, as-of):
# plotly shows the toolbar over the top ~30 px of the chart's right end while the mouse
# is on it, so the labels (14 px) sit below that band instead of under the toolbar.
LABELLED_TOP = 48


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
    # what the page embeds, written once for a chart several pages show: the JSON per
    # language, the table's rows ("rows") and the figure's markup around its id and
    # JSON ("body:<language>")
    payloads: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    # pages of the build ``shown_in`` that rendered it (embed._render, :meth:`shown`)
    pages: int = field(default=0, repr=False, compare=False)
    shown_in: int = field(default=-1, repr=False, compare=False)

    def shown(self) -> int:
        """One more page of this build renders the chart: how many have. A kept chart
        (:func:`kept`) outlives its build (`mkdocs serve`, or builds in one process):
        the count starts again with each build, so a chart one page shows stays its own."""
        if self.shown_in != _BUILD:
            self.shown_in, self.pages = _BUILD, 0
        self.pages += 1
        return self.pages


class ChartError(ValueError):
    """Bad shortcode arguments (the message is for the author)."""


_Drawn = TypeVar("_Drawn")

Store = OrderedDict[tuple, tuple[int, Any]]  # key -> (build shown in, what kept() kept)

# `mkdocs serve`: each kept chart is stored with the build it was last shown in; end_build
# lets go of what the build now over did not show (a data edit's old charts) in every
# store made by new_store(), so a store holds the current pages' charts, not every edit's.
_BUILD = 0
_STORES: list[Store] = []


def new_store() -> Store:
    """A store for :func:`kept`, whose charts end_build lets go of with the others."""
    made: Store = OrderedDict()
    _STORES.append(made)
    return made


# Charts by everything they are drawn from (budget, channel, timeline and risk charts):
# plans written alike draw the same chart, and `mkdocs serve` rebuilds draw an unchanged
# one once. A chart is read-only once built; its JSON and markup are kept on it.
_DRAWN = new_store()
_DRAWN_MAX = 256
_AT_MOST: int | None = None  # every store's bound in the page worker (keep_at_most)


def kept(store: Store, most: int, key: tuple, build: Callable[[], _Drawn]) -> _Drawn:
    """``build()``, or what it returned for the same ``key`` in ``store`` (made by
    :func:`new_store`), which holds at most ``most`` (least recent out)."""
    found = store.get(key)
    if found is None:
        found = store[key] = (_BUILD, build())
        if _AT_MOST is not None:
            most = min(most, _AT_MOST)
        while len(store) > most:
            store.popitem(last=False)
    else:
        store.move_to_end(key)
        if found[0] != _BUILD:
            store[key] = (_BUILD, found[1])
    return found[1]


PerData = weakref.WeakKeyDictionary[MetricFrame, dict[tuple, Any]]


def per_data(cache: PerData, data: MetricFrame, key: tuple, build: Callable[[], _Drawn]) -> _Drawn:
    """``build()``, or what it returned for the same ``key`` over the same ``data``: plans
    over the same cube draw a chart once; what is kept goes with the cube (a data edit
    under `mkdocs serve` makes a new one)."""
    kept = cache.setdefault(data, {})
    found = kept.get(key)
    if found is None:
        found = kept[key] = build()
    return found


def keep_at_most(most: int | None) -> None:
    """Every store keeps at most ``most`` charts (``None``: each its own bound). The page
    worker (workers.py): what it keeps helps only its own later pages, and each chart
    kept is memory of the worker's (the 200-plan site with every chart: ~12 MB by its
    80th page, of ~48 MB). The build, while workers prepare most pages: what it keeps
    counts against the workers' memory limit (issue 12)."""
    global _AT_MOST
    _AT_MOST = most


def new_build() -> None:
    """A build starts: the charts kept so far are the last build's until shown again."""
    global _BUILD
    _BUILD += 1


def end_build() -> None:
    """A build is over: the kept charts no page it rendered showed go (a page `mkdocs
    serve` kept from an earlier build holds its charts itself)."""
    for store in _STORES:
        for key in [k for k, (shown, _) in store.items() if shown != _BUILD]:
            del store[key]


def drawn(key: tuple, build: Callable[[], _Drawn]) -> _Drawn:
    """``build()``, or what it returned for the same ``key`` (least recent out)."""
    return kept(_DRAWN, _DRAWN_MAX, key, build)


def drawn_key(
    kind: str, view: PlanView, t: _T, fmt: Formatter, *inputs: object, kpis: bool = False
) -> tuple:
    """A chart's cache key: ``repr`` of what it is drawn from (which tells ``-0.0`` from
    ``0.0`` and ``1`` from ``1.0``, and keeps a mapping's order: a value's colour is its
    place in ``value_labels``), with the language, currency and the site's value names and
    colours every chart reads; ``kpis``: and the plan's KPI definitions (what a KPI name
    resolves to, its label and format, depends on them and the data's columns only)."""
    text = repr(
        (
            kind,
            t.language,
            fmt.language,
            fmt.currency,
            tuple(view.value_labels.items()),
            tuple(getattr(view, "value_colors", {}).items()),
            inputs,
        )
    )
    return (text, view.registry.signature) if kpis else (text,)


_SUMS: PerData = weakref.WeakKeyDictionary()  # period_sums


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
    week_start: int = 0,
) -> pd.DataFrame:
    """Sums of ``measures`` per period (and per ``by`` value) up to ``end``.

    Index: period start (``date``), or (period, value). Weeks start on ``week_start``
    (0 = Monday … 6 = Sunday). Cached per MetricFrame, so pages that share data
    aggregate once.
    """
    data = data.covering((*([by] if by else []), *(dim for dim, _ in filters)))
    key = (tuple(measures), every, by, end, filters, week_start)
    return per_data(
        _SUMS,
        data,
        key,
        lambda: _period_sums(data, measures, every, by, end, filters, week_start),
    )


def _period_sums(
    data: MetricFrame,
    measures: Sequence[str],
    every: str,
    by: str | None,
    end: date,
    filters: tuple,
    week_start: int = 0,
) -> pd.DataFrame:
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
            # day 0 of the epoch, 1970-01-01, was a Thursday (weekday 3)
            back = (days.astype("int64") + 3 - week_start) % 7
            periods = days - back.astype("timedelta64[D]")
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
    return out


def _measure_total(kpi: Kpi, sums: pd.DataFrame) -> pd.Series:
    """Volume used to rank split series: the KPI's last measure (its denominator)."""
    m = kpi.measures[-1]
    return sums[m] if m in sums else pd.Series(0.0, index=sums.index)


def _finite(v: Any) -> float | None:
    return None if v is None or not math.isfinite(float(v)) else float(v)
