"""Charts -> HTML (figure, JSON payload, data table) and the assets pages with charts load."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

from ..format import formatter
from ..render_env import shipped_templates
from .arguments import _bind
from .common import (
    _T,
    CHARTS_CSS_URI,
    CHARTS_JS_URI,
    LOCALE_JS_URI,
    PLOTLY_URI,
    Chart,
    to_json,
    with_config,
)
from .goals import goal_figure, trend_figure
from .planning import risk_figure, timeline_figure
from .spend import budget_figure, channel_figure, funnel_figures

if TYPE_CHECKING:
    import jinja2

    from ..project import PlanView


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
