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
This package never imports mkdocs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .arguments import CHARTS, EVERY, ChartSpec, check_chart_arguments
from .assets import chart_assets, charts_css_path, charts_js_path, plotly_js_path, script_tags
from .common import (
    CHART_LABELS,
    CHARTS_CSS_URI,
    CHARTS_JS_URI,
    DATE_HOVER,
    LOCALE_JS_URI,
    MAX_SERIES,
    PALETTE_SIZE,
    PLOTLY_LOCALES,
    PLOTLY_URI,
    TOOLBAR,
    Chart,
    ChartError,
    auto_every,
    axis,
    colour,
    day,
    esc,
    layout,
    num,
    nums,
    period_sums,
    short,
    to_json,
    value_axis,
    value_colour,
    view_colour,
    vline,
    with_config,
)

# The figure builders load with the first chart a build draws: a site without charts
# never imports them (PEP 562 module attributes).
_LAZY = {
    "build_charts": "embed",
    "render_chart": "embed",
    "render_figures": "embed",
    "goal_figure": "goals",
    "trend_figure": "goals",
    "portfolio_figure": "planning",
    "risk_figure": "planning",
    "timeline_figure": "planning",
    "FUNNEL_STAGES": "spend",
    "budget_figure": "spend",
    "channel_figure": "spend",
    "funnel_figures": "spend",
}

if TYPE_CHECKING:
    from .embed import build_charts, render_chart, render_figures
    from .goals import goal_figure, trend_figure
    from .planning import portfolio_figure, risk_figure, timeline_figure
    from .spend import FUNNEL_STAGES, budget_figure, channel_figure, funnel_figures


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "CHARTS",
    "CHARTS_CSS_URI",
    "CHARTS_JS_URI",
    "CHART_LABELS",
    "DATE_HOVER",
    "EVERY",
    "FUNNEL_STAGES",
    "LOCALE_JS_URI",
    "MAX_SERIES",
    "PALETTE_SIZE",
    "PLOTLY_LOCALES",
    "PLOTLY_URI",
    "TOOLBAR",
    "Chart",
    "ChartError",
    "ChartSpec",
    "auto_every",
    "axis",
    "budget_figure",
    "build_charts",
    "channel_figure",
    "chart_assets",
    "charts_css_path",
    "charts_js_path",
    "check_chart_arguments",
    "colour",
    "day",
    "esc",
    "funnel_figures",
    "goal_figure",
    "layout",
    "num",
    "nums",
    "period_sums",
    "plotly_js_path",
    "portfolio_figure",
    "render_chart",
    "render_figures",
    "risk_figure",
    "script_tags",
    "short",
    "timeline_figure",
    "to_json",
    "trend_figure",
    "value_axis",
    "value_colour",
    "view_colour",
    "vline",
    "with_config",
]
