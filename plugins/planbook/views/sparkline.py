"""The goals table's sparkline: one inline SVG per goal, its line a single ``<path>``.

The x of each point is written once per series length, the y of the line and of the
target in one loop without a call per point, and the pairs joined into one ``d``
attribute (a 200-plan site draws 1,000 of these per build). :func:`points` gives the
same coordinates as arrays.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import numpy as np
from markupsafe import Markup, escape

from ..format import Formatter, formatter
from ..i18n import language_of

if TYPE_CHECKING:
    from ..metrics.kpis import GoalResult

MAX_POINTS = 40  # a longer series is drawn weekly, counted back from its last day
PAD = 2.0


def _label(language: str, key: str, **kw: object) -> str:
    from .charts import CHART_LABELS  # the charts' label table (one place for its words)

    text = CHART_LABELS.get(language, {}).get(key) or CHART_LABELS["en"][key]
    return text.format(**kw)


def _span(lo: float, hi: float) -> float:
    span = hi - lo
    return span if np.isfinite(span) and span > 0 else 1.0


def _y(values: np.ndarray, lo: float, span: float, height: int) -> np.ndarray:
    with np.errstate(invalid="ignore", over="ignore"):
        y = height - PAD - (height - 2 * PAD) * ((values - lo) / span)
    return np.round(np.clip(np.nan_to_num(y, nan=height - PAD), 0.0, float(height)), 1)


def _y_list(values: list[float], lo: float, span: float, height: int) -> list[float]:
    """:func:`_y` in plain Python for a short series (a sparkline's forty points cost
    less than numpy's call overhead), the same float operations in the same order:
    NaN at the bottom pad, clipped to the box, rounded half-even to one decimal. One
    comprehension with the clip written as comparisons (no ``min``/``max`` call per
    point); ``max(y, 0.0)`` and ``min(y, box)`` keep ``y`` when equal, as this does."""
    top, scale, box = height - PAD, height - 2 * PAD, float(height)
    return [
        round(
            (
                y
                if 0.0 <= (y := top - scale * ((v - lo) / span)) <= box
                else top
                if y != y
                else 0.0
                if y < 0.0
                else box
            )
            * 10
        )
        / 10
        for v in values
    ]


def points(values: np.ndarray, lo: float, hi: float, width: int, height: int) -> np.ndarray:
    """(n, 2) SVG coordinates of ``values`` on a ``width`` x ``height`` box, one decimal."""
    return np.column_stack((_x(len(values), width), _y(values, lo, _span(lo, hi), height)))


def _x(n: int, width: int) -> np.ndarray:
    return np.round(PAD + (width - 2 * PAD) * np.arange(n, dtype="float64") / max(n - 1, 1), 1)


@functools.lru_cache(maxsize=256)
def _x_text(n: int, width: int) -> tuple[str, ...]:
    """The x of each of ``n`` points, written as the path writes them (``x,``): the same
    for every series of that length."""
    return tuple(f"{x:g}," for x in _x(n, width).tolist())


def path_data(xy: np.ndarray) -> str:
    """``M x,y L x,y ...`` for an (n, 2) array (numbers as ``%g`` writes them)."""
    pairs = [f"{x:g},{y:g}" for x, y in xy.tolist()]
    return "M" + "L".join(pairs)


def sparkline(
    g: GoalResult,
    fmt: Formatter | None = None,
    language: str = "en",
    width: int = 96,
    height: int = 24,
) -> Markup:
    """A goal's value over time (weekly points past 40 days) with its target as a dashed
    line; empty markup when the goal has fewer than two finite values."""
    series = g.series
    if len(series) < 2:
        return Markup("")
    values = series.to_numpy(dtype="float64", na_value=np.nan)
    values = values[np.isfinite(values)]
    if len(values) < 2:
        return Markup("")
    if len(values) > MAX_POINTS:
        values = values[(len(values) - 1) % 7 :: 7]
    target = float(g.goal.target)
    finite = values.tolist()
    lo, hi = min(finite), max(finite)
    if np.isfinite(target):
        lo, hi = min(lo, target), max(hi, target)
    # the line and the target in one pass; x depends on the number of points only
    *ys, ty = _y_list([*finite, target], lo, _span(lo, hi), height)
    xs = _x_text(len(ys), width)
    d = "L".join([x + f"{y:g}" for x, y in zip(xs, ys, strict=True)])
    lx, ly = xs[-1][:-1], f"{ys[-1]:g}"
    lang = language_of(language)
    fmt = fmt or formatter(lang)
    kpi = g.kpi.label(lang) if g.kpi else g.goal.kpi
    label = _label(
        lang,
        "chart.trend_spark",
        kpi=kpi,
        first=fmt.value(float(values[0]), g.format),
        last=fmt.value(float(values[-1]), g.format),
    )
    return Markup(
        f'<svg class="pb-spark pb-status--{escape(g.status)}" role="img" '
        f'aria-label="{escape(label)}" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">'
        f'<line class="pb-spark__target" x1="{PAD:g}" x2="{width - PAD:g}" y1="{ty:g}" '
        f'y2="{ty:g}"/>'
        f'<path class="pb-spark__line" d="M{d}"/>'
        f'<circle class="pb-spark__end" cx="{lx}" cy="{ly}" r="2"/></svg>'
    )
