"""A figure as it is embedded in the page: what every chart shares is left to the loader.

``planbook-charts.js`` puts back, before plotting, what :func:`compact` leaves out:

- the plotly config every chart has (toolbar, no Chart Studio links, PNG export): the
  loader's ``CONFIG``; the payload keeps what differs (the locale);
- the axis colours of :func:`.common.axis` on every ``xaxis*`` / ``yaxis*``;
- an ``x`` array that several traces share (a trend's dates, once per series) is
  written once in ``"xs"`` and each trace names it by its index (``"x": 0``).

A 200-plan page with every chart carried 41.6 kB of chart JSON; shared, 32 kB.
"""

from __future__ import annotations

import re
from typing import Any

from .common import TOOLBAR, axis

# planbook-charts.js CONFIG (a test reads the loader and checks they agree).
LOADER_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "showLink": False,
    "modeBarButtons": TOOLBAR,
    "toImageButtonOptions": {"format": "png", "scale": 2},
}

AXIS_COLOURS: dict[str, str] = axis()

SHARED_MIN = 8  # shorter x arrays stay in their trace

_AXIS = re.compile(r"[xy]axis\d*")


def compact(figure: dict[str, Any]) -> dict[str, Any]:
    """The payload of ``figure`` (a plotly figure with its config); the input is not changed."""
    out = dict(figure)
    if isinstance(figure.get("config"), dict):
        out["config"] = {
            k: v
            for k, v in figure["config"].items()
            if k not in LOADER_CONFIG or LOADER_CONFIG[k] != v
        }
    layout = figure.get("layout")
    if isinstance(layout, dict):
        out["layout"] = {
            key: _bare_axis(value) if _AXIS.fullmatch(key) and isinstance(value, dict) else value
            for key, value in layout.items()
        }
    data = figure.get("data")
    if isinstance(data, list):
        xs: list[list[Any]] = []
        counts: dict[int, int] = {}
        for trace in data:
            x = trace.get("x") if isinstance(trace, dict) else None
            if isinstance(x, list) and len(x) >= SHARED_MIN:
                i = next((j for j, seen in enumerate(xs) if seen == x), None)
                if i is None:
                    xs.append(x)
                    i = len(xs) - 1
                counts[i] = counts.get(i, 0) + 1
        shared = [xs[i] for i, n in counts.items() if n > 1]
        if shared:
            out["xs"] = shared
            traces = []
            for trace in data:
                x = trace.get("x") if isinstance(trace, dict) else None
                i = next((j for j, s in enumerate(shared) if isinstance(x, list) and s == x), None)
                traces.append(trace if i is None else {**trace, "x": i})
            out["data"] = traces
    return out


def _bare_axis(ax: dict[str, Any]) -> dict[str, Any]:
    if not all(ax.get(k) == v for k, v in AXIS_COLOURS.items()):
        return ax  # an axis with colours of its own keeps all three
    return {k: v for k, v in ax.items() if k not in AXIS_COLOURS}
