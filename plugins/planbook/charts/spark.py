"""The goals table's inline SVG sparkline."""

from __future__ import annotations

from markupsafe import Markup, escape

from ..format import Formatter, formatter
from ..kpis import GoalResult
from .common import _T


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
