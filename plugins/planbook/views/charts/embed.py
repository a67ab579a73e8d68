"""Charts -> HTML (figure, JSON payload, data table) and the assets pages with charts load."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from ...format import formatter
from ..render_env import shipped_templates
from .arguments import _bind
from .assets import (  # noqa: F401  (their home until the asset paths moved out)
    chart_assets,
    charts_css_path,
    charts_js_path,
    plotly_js_path,
    script_tags,
)
from .common import (
    _T,
    Chart,
    to_json,
    with_config,
)
from .goals import goal_figure, trend_figure
from .payload import compact
from .pieces import Pieces
from .planning import risk_figure, timeline_figure
from .spend import budget_figure, channel_figure, funnel_figures

if TYPE_CHECKING:
    import jinja2

    from ...metrics.evaluation import PlanView


def render_figures(
    charts: Sequence[Chart], *, env: jinja2.Environment, language: str, chart_id: str, kind: str
) -> str:
    """HTML for ready-built charts (figure, JSON payload, data table)."""
    return _render(charts, env=env, language=language, chart_id=chart_id, kind=kind)


def _render(
    charts: Sequence[Chart],
    *,
    env: jinja2.Environment,
    language: str,
    chart_id: str,
    kind: str,
    grid: bool = False,
) -> str:
    for chart in charts:
        chart.shown()
    ids = [
        chart_id if len(charts) == 1 and not grid else f"{chart_id}-{i}" for i in range(len(charts))
    ]
    t = _T(language)
    if not _overridden(env):
        written = [(chart, i, _json(chart, language)) for chart, i in zip(charts, ids, strict=True)]
        return _written(written, t, kind, chart_id, grid)
    items = [
        {"chart": chart, "id": i, "json": _payload(chart, language)}
        for chart, i in zip(charts, ids, strict=True)
    ]
    template = "charts/grid.html" if grid else "charts/figure.html"
    return env.get_template(template).render(
        items=items,
        kind=kind,
        t=t,
        title=t("chart.goals"),
        grid_id=chart_id,
        chart_rows=chart_rows,
    )


TEMPLATES = ("charts/figure.html", "charts/grid.html", "charts/body.html", "charts/table.html")


def _overridden(env: jinja2.Environment) -> bool:
    """Whether the site's ``custom_templates`` has one of the chart templates: then the
    templates render, else :func:`_written` writes the same markup in Python."""
    found = env.globals.get("planbook_chart_templates")
    if found is None:
        import jinja2

        shipped = shipped_templates().resolve()
        loader = env.loader
        paths = loader.searchpath if isinstance(loader, jinja2.FileSystemLoader) else None
        found = paths is None or any(
            (Path(folder) / name).is_file()
            for folder in paths
            if Path(folder).resolve() != shipped
            for name in TEMPLATES
        )
        env.globals["planbook_chart_templates"] = found
    return bool(found)


def _written(
    items: list[tuple[Chart, str, str | None]], t: _T, kind: str, grid_id: str, grid: bool
) -> Pieces:
    """charts/figure.html or charts/grid.html (and body.html, table.html), written here:
    the templates cost ~0.5 s on a 200-plan site with every chart. A test renders both
    and compares them byte for byte. The markup knows its pieces (:class:`.pieces.Pieces`):
    a chart another page shows already is kept by reference until the page is written."""
    out: list[tuple[str, bool]] = []
    if grid:
        out.append(
            (
                f'<div class="planbook pb-chart-grid" id="{escape(grid_id)}" '
                f'data-pb-kind="{escape(kind)}" data-search-exclude>\n',
                False,
            )
        )
        head = '<figure class="pb-chart-figure">\n'
    else:
        head = (
            f'<figure class="planbook pb-chart-figure" data-pb-kind="{escape(kind)}" '
            "data-search-exclude>\n"
        )
    for chart, chart_id, json in items:
        out.append((head, False))
        out.extend(_body(chart, str(escape(chart_id)), json, t))
        out.append(("</figure>\n", False))
    if grid:
        out.append(("</div>", False))
    return Pieces(out)


def _body(chart: Chart, chart_id: str, json: str | None, t: _T) -> list[tuple[str, bool]]:
    """charts/body.html for one chart, as pieces: its markup around its id and JSON is
    written once per language and kept on the chart (shared, once another page shows it)."""
    key = f"body:{t.language}"  # json is None exactly when the chart has no figure
    parts: tuple[str, ...] | None = chart.payloads.get(key)
    if parts is None:
        parts = chart.payloads[key] = _body_parts(chart, json is not None, t)
    shared = chart.pages > 1
    if json is None:
        return [(parts[0], shared)]
    return [
        (parts[0], shared),
        (chart_id, False),
        (parts[1], shared),
        (chart_id, False),
        (parts[2], shared),
        (json, shared),
        (parts[3], shared),
    ]


def _body_parts(chart: Chart, drawn: bool, t: _T) -> tuple[str, ...]:
    title = escape(chart.title)
    head = f'<figcaption class="pb-chart__title">{title}</figcaption>\n'
    tail = ""
    if chart.caption and drawn:
        lines = "".join(f"<li>{escape(line)}</li>" for line in chart.caption)
        tail += f'<ol class="pb-chart__key">{lines}</ol>'
    if chart.rows:
        num = ' class="pb-num"'
        cells = "".join(
            f"<th{num if i else ''}>{escape(h)}</th>" for i, h in enumerate(chart.headers)
        )
        tail += (
            '<details class="pb-chart__data">\n'
            f"  <summary>{escape(t('chart.data'))}</summary>\n"
            '  <div class="pb-scroll"><table class="pb-table">\n'
            f"    <thead><tr>{cells}</tr></thead>\n"
            "    <tbody>\n"
            f"      {chart_rows(chart)}\n"
            "    </tbody>\n"
            "  </table></div>\n"
            "</details>"
        )
    if not drawn:
        note = escape(chart.note or t("chart.no_data"))
        return (f'{head}<p class="pb-empty pb-chart__empty">{note}</p>\n{tail}',)
    return (
        f'{head}<div id="',
        f'" class="pb-chart" style="height: {escape(chart.height)}px" role="img" '
        f'aria-label="{title}"></div>\n<script type="application/json" data-pb-chart="',
        '">',
        f"</script>\n{tail}",
    )


def _json(chart: Chart, language: str) -> str | None:
    """The chart's JSON for the page (kept on the chart: a cached chart is on many pages)."""
    if chart.figure is None:
        return None
    text = chart.payloads.get(language)
    if text is None:
        text = chart.payloads[language] = to_json(compact(with_config(chart.figure, language)))
    return text


def _payload(chart: Chart, language: str) -> Markup | None:
    text = _json(chart, language)
    return None if text is None else Markup(text)


_CELL = '</td><td class="pb-num">'
_ROW = "</td></tr>\n      <tr><td>"


def table_rows(rows: Sequence[Sequence[object]]) -> Markup:
    """The ``<tr>`` rows of a chart's data table, escaped: the first cell a label, the
    others numbers. ``charts/table.html`` writes them (through :func:`chart_rows`): a jinja
    loop over the ~270,000 cells of a 200-plan site with charts cost half a second.

    Plain text is joined with two control characters, escaped in one call and split
    into cells again; a cell that holds one of them, or is not plain text, takes the
    cell-by-cell way."""
    if not rows:
        return Markup("")
    joined = "\x01".join(["\x00".join(row) for row in rows]) if _plain(rows) else None
    if (
        joined is not None
        and joined.count("\x00") == sum(len(row) - 1 for row in rows)
        and joined.count("\x01") == len(rows) - 1
    ):
        text = str(escape(joined)).replace("\x00", _CELL).replace("\x01", _ROW)
        return Markup(f"<tr><td>{text}</td></tr>")
    return Markup(
        "\n      ".join(
            "<tr><td>" + _CELL.join([escape(cell) for cell in row]) + "</td></tr>"
            if row
            else "<tr></tr>"
            for row in rows
        )
    )


def _plain(rows: Sequence[Sequence[object]]) -> bool:
    for row in rows:
        if not row:
            return False
        for cell in row:
            if type(cell) is not str:
                return False
    return True


def chart_rows(chart: Chart) -> Markup:
    """:func:`table_rows` of a chart's table, written once for a chart several pages show."""
    text = chart.payloads.get("rows")
    if text is None:
        text = chart.payloads["rows"] = str(table_rows(chart.rows))
    return Markup(text)


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
    return _render(
        charts,
        env=env,
        language=language,
        chart_id=chart_id,
        kind=name,
        grid=name == "goal_charts",
    )
