"""Planbook's shortcodes as macros, for Zensical's macros extension and mkdocs-macros.

Zensical (Material's successor) does not run MkDocs plugins; its macros extension and the
mkdocs-macros plugin load a module's ``define_env(env)`` and render each page as a jinja
template. This adapter registers every Planbook shortcode (``kpi_table``, ``goal_chart``,
``budget_table``, …) as a macro that renders the section for the page being rendered,
from the same engine the MkDocs plugin uses::

    plugins:
      - macros:
          modules: [planbook.macros]
    extra:
      planbook: {data_dir: data}      # the plugin's options

What does not carry over (the MkDocs plugin does these; see the README): sections a plan
defines but does not place are not appended, the one-line summary under the title, the
generated report pages and review page, plan titles in the navigation, and the build
gate (approved plans with open items fail `mkdocs build`): run ``planbook check
--strict`` in CI. Problems are logged (``planbook`` logger) and shown on the page.
"""

from __future__ import annotations

import dataclasses
import logging
import posixpath
import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from .diagnostics import Diagnostic, Severity
from .messages import line
from .project import Project, Settings
from .views.charts import CHARTS, chart_assets, script_tags
from .views.pages import KNOWN, prepare
from .views.render import Renderer
from .views.render_env import shipped_templates

log = logging.getLogger("planbook")

CSS_URI = "assets/planbook/planbook.css"
JS_URI = "assets/planbook/planbook.js"

_SITES: dict[tuple[str, str], _Site] = {}


class _Site:
    """One site's engine, kept across pages (and across ``serve`` rebuilds)."""

    def __init__(self, settings: Settings, site_dir: Path, use_directory_urls: bool) -> None:
        self.project = Project(settings)
        self.renderer = Renderer(settings.language)
        self.site_dir = site_dir
        self.use_directory_urls = use_directory_urls
        self.listing: tuple[tuple[str, float], ...] = ()
        self.logged: set[Diagnostic] = set()
        self.assets_written = False

    def refresh(self) -> None:
        """Read every page again when a page was added, removed or changed (personas and
        portfolio rows come from other pages)."""
        docs = self.project.settings.docs_dir
        listing = tuple(
            sorted((p.relative_to(docs).as_posix(), p.stat().st_mtime) for p in docs.rglob("*.md"))
        )
        if listing != self.listing:
            self.project.begin_build(self.project.settings)
            self.project.scan()
            self.listing = listing

    def url(self, src_uri: str) -> str:
        """The page's URL path (``plans/x/index.md`` -> ``plans/x/``)."""
        stem = src_uri[:-3] if src_uri.endswith(".md") else src_uri
        if not self.use_directory_urls:
            return stem + ".html"
        if stem == "index" or stem.endswith("/index"):
            return stem[:-5]
        return stem + "/"

    def write_assets(self) -> None:
        if self.assets_written:
            return
        shipped = shipped_templates() / "assets"
        files = [(CSS_URI, shipped / "planbook.css"), (JS_URI, shipped / "planbook.js")]
        for uri, path in [*files, *chart_assets()]:
            target = self.site_dir / uri
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        self.assets_written = True


def _settings(conf: Any, project_dir: Path) -> tuple[Settings, Path, bool]:
    """Engine settings from the site configuration (a dict under Zensical, MkDocs'
    config under mkdocs-macros) and the options under ``extra: planbook:``."""
    from .config import PlanbookConfig, settings_from

    extra = conf.get("extra") or {}
    raw = dict(extra.get("planbook") or {})
    config_file = conf.get("config_file_path") or str(project_dir / "mkdocs.yml")
    options = PlanbookConfig(config_file_path=config_file)
    options.load_dict(raw)
    errors, _warnings = options.validate()
    if errors:
        name, error = errors[0]
        raise ValueError(f"extra.planbook.{name}: {error}")
    docs_dir = Path(conf.get("docs_dir") or "docs")
    if not docs_dir.is_absolute():
        docs_dir = project_dir / docs_dir
    theme = conf.get("theme") or {}
    shim = SimpleNamespace(
        config_file_path=config_file,
        docs_dir=str(docs_dir),
        theme=theme if hasattr(theme, "get") else {},
    )
    settings = settings_from(options, shim)  # type: ignore[arg-type]
    # Sections are placed by the author: nothing can be appended after the page here.
    settings = dataclasses.replace(settings, auto_append=False)
    site_dir = Path(conf.get("site_dir") or "site")
    if not site_dir.is_absolute():
        site_dir = project_dir / site_dir
    return settings, site_dir, bool(conf.get("use_directory_urls", True))


def _src_uri(page: Any) -> str | None:
    file = getattr(page, "file", None)  # mkdocs-macros: a MkDocs Page
    if file is not None and getattr(file, "src_uri", None):
        return str(file.src_uri)
    path = getattr(page, "path", None)  # Zensical: the page's path in the docs folder
    return str(path).replace("\\", "/") if path else None


def _call_text(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    parts = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    return f"{{{{ {name}({', '.join(parts)}) }}}}"


def define_env(env: Any) -> None:
    """Register Planbook's shortcodes as macros for the page ``env.page``."""
    project_dir = Path(getattr(env, "project_dir", ".") or ".").resolve()
    conf = env.conf
    key = (
        str(project_dir),
        repr(sorted(((conf.get("extra") or {}).get("planbook") or {}).items())),
    )
    site = _SITES.get(key)
    if site is None:
        settings, site_dir, directory_urls = _settings(conf, project_dir)
        site = _SITES[key] = _Site(settings, site_dir, directory_urls)
    site.refresh()
    for name in sorted(KNOWN | set(CHARTS)):
        env.macro(_macro(site, env, name), name)


def _macro(site: _Site, env: Any, name: str) -> Any:
    def render(*args: Any, **kwargs: Any) -> str:
        src_uri = _src_uri(getattr(env, "page", None))
        if src_uri is None:
            return _call_text(name, args, kwargs)
        return _render(site, src_uri, _call_text(name, args, kwargs))

    render.__name__ = name
    return render


def _render(site: _Site, src_uri: str, call: str) -> str:
    project = site.project
    path = project.settings.docs_dir / src_uri
    src = project.read_page(src_uri, path.read_text(encoding="utf-8-sig"))
    here = site.url(src_uri)

    def url_for(target: str) -> str:
        return posixpath.relpath(site.url(target), here or ".") + (
            "/" if site.use_directory_urls and not target.endswith(".md") else ""
        )

    prepared = prepare(project, site.renderer, src, call, url_for=url_for, summary=False)
    for d in prepared.diagnostics:
        if d not in site.logged:
            site.logged.add(d)
            level = {Severity.ERROR: logging.ERROR, Severity.WARNING: logging.WARNING}
            log.log(level.get(d.severity, logging.INFO), "%s", line(d, site.renderer.language))
    html = "".join(prepared.slots.values())
    problems = [d for d in prepared.diagnostics if d.severity is not Severity.INFO]
    if problems:
        html = site.renderer.errors(problems) + html
    depth = "../" * here.count("/")
    site.write_assets()
    head = (
        f'<link rel="stylesheet" href="{depth}{CSS_URI}">'
        f'<script src="{depth}{JS_URI}" defer></script>'
    )
    if prepared.charts:
        head += script_tags(depth)
    # On lines of its own, so Markdown keeps it as a raw HTML block.
    return f'\n\n<div class="pb-macro">{head}{html}</div>\n\n'
