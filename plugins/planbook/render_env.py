"""The jinja2 environment every HTML fragment is rendered with."""

from __future__ import annotations

from pathlib import Path

import jinja2

_HERE = Path(__file__).resolve().parent


def shipped_templates() -> Path:
    """The templates shipped with the package (a wheel), or the repository's ``templates/``."""
    installed = _HERE / "templates"
    if installed.is_dir():
        return installed
    return _HERE.parent.parent / "templates"


def environment(custom_dir: Path | None = None) -> jinja2.Environment:
    """Autoescaping environment; a site's ``custom_dir`` overrides any shipped template."""
    paths = [str(custom_dir)] if custom_dir else []
    paths.append(str(shipped_templates()))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(paths),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    from .charts import sparkline  # late: charts imports this module

    env.globals["sparkline"] = sparkline
    return env
