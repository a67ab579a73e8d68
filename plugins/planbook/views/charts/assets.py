"""Where the charts' files are, and the tags that load them (no figure code: a build
without charts reads these and never imports the rest of the package)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from ..render_env import shipped_templates
from .common import CHARTS_CSS_URI, CHARTS_JS_URI, LOCALE_JS_URI, PLOTLY_URI


def plotly_js_path() -> Path:
    """plotly.min.js from the installed plotly package (written once into the site).

    The package is found, not imported: the build draws nothing in Python (figures are
    plain dicts), and importing plotly costs its validators' start-up."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("plotly is not installed: it ships plotly.min.js")
    return Path(spec.origin).resolve().parent / "package_data" / "plotly.min.js"


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
