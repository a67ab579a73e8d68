"""The MkDocs adapter: options, events, and diagnostics to MkDocs logging. Nothing else."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files

from .config import PlanbookConfig
from .diagnostics import Diagnostic, Severity
from .i18n import language_of
from .kpis import PacingConfig
from .project import Page, Project, Settings
from .render import SECTIONS, Renderer, defined_sections
from .render_env import shipped_templates
from .shortcodes import Shortcode, find

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.pages import Page as MkPage

log = get_plugin_logger("planbook")

CSS_URI = "assets/planbook/planbook.css"


class PlanbookPlugin(BasePlugin[PlanbookConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.project: Project | None = None
        self.renderer: Renderer | None = None
        self.slots: dict[str, dict[str, str]] = {}
        self.page_errors: dict[str, list[Diagnostic]] = {}
        self.is_serve = False

    # ------------------------------------------------------------------ setup

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this object across `mkdocs serve` rebuilds: caches survive.
        self.is_serve = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        root = Path(config.config_file_path or ".").resolve().parent
        try:
            as_of = date.fromisoformat(self.config.as_of) if self.config.as_of else None
        except ValueError:
            raise PluginError(
                f"planbook: as_of: expected an ISO date (YYYY-MM-DD), got {self.config.as_of!r}"
            ) from None
        theme_language = config.theme.get("language") if config.theme else None
        language = self.config.language or language_of(theme_language)
        settings = Settings(
            root=root,
            docs_dir=Path(config.docs_dir),
            data_dir=self.config.data_dir,
            language=language,
            columns=dict(self.config.columns),
            encoding=self.config.encoding,
            as_of=as_of,
            pacing=PacingConfig(
                self.config.pacing_on_track, self.config.pacing_at_risk, self.config.forecast_days
            ),
            budget_tolerance=self.config.budget_tolerance,
            sections=tuple(self.config.sections),
            auto_append=self.config.auto_append,
        )
        if self.project is None:
            self.project = Project(settings)
        self.project.begin_build(settings)
        custom = Path(self.config.custom_templates) if self.config.custom_templates else None
        self.renderer = Renderer(language, custom)
        self.slots = {}
        self.page_errors = {}
        if CSS_URI not in config.extra_css:
            config.extra_css.append(CSS_URI)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled or self.project is None:
            return None
        # Persona pages must be known before any plan renders: read every page's front matter.
        for file in files.documentation_pages():
            self.project.read_page(file.src_uri, file.content_string)
        css = shipped_templates() / "assets" / "planbook.css"
        files.append(File.generated(config, CSS_URI, abs_src_path=str(css)))
        return files

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> None:
        if self.project is not None:
            data = self.project.settings.root / self.project.settings.data_dir
            if data.is_dir():
                server.watch(str(data))
        if self.config.custom_templates:
            server.watch(self.config.custom_templates)

    # ------------------------------------------------------------------ pages

    def on_page_markdown(
        self, markdown: str, *, page: MkPage, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.config.enabled or self.project is None or self.renderer is None:
            return None
        project, renderer = self.project, self.renderer
        src = project.read_page(page.file.src_uri, page.file.content_string)
        first_line = src.front.body_line + (len(src.front.body) - len(src.front.body.lstrip("\n")))
        known = set(SECTIONS)
        nonce = hashlib.sha1(page.file.src_uri.encode()).hexdigest()[:8].upper()
        markdown, calls = find(
            markdown, known, file=src.file, first_line=first_line, token_prefix=f"PBSLOT{nonce}N"
        )
        diags: list[Diagnostic] = list(src.diagnostics)
        slots: dict[str, str] = {}

        def url_for(src_uri: str) -> str:
            target = files.get_file_from_path(src_uri)
            return target.url_relative_to(page.file) if target else src_uri

        view = project.evaluate(src)
        if view is not None:
            diags.extend(view.diagnostics)
        placed = set()
        for call in calls:
            diags.extend(call.diagnostics)
            if call.diagnostics:
                continue
            placed.add(call.name)
            slots[call.token] = self._render_call(call, view, src, url_for, diags)
        if view is not None and self.config.auto_append:
            defined = set(defined_sections(view))
            extra = []
            for name in project.settings.sections:
                if name in defined and name not in placed:
                    token = f"PBSLOT{nonce}A{len(extra)}Z"
                    slots[token] = renderer.section(name, view, {}, url_for)
                    extra.append(f"## {renderer.labels('section.' + name)}\n\n{token}\n")
            if extra:
                markdown = markdown.rstrip("\n") + "\n\n" + "\n".join(extra)
        head = ""
        if view is not None and self.config.summary:
            head += renderer.plan_summary(view)
        if src.persona is not None:
            head += renderer.persona_card(src.persona)
        errors = [d for d in diags if d.severity is not Severity.INFO]
        self.page_errors[page.file.src_uri] = errors
        slots["__head__"] = renderer.errors(errors) + head
        self.slots[page.file.src_uri] = slots
        for d in diags:
            _log(d)
        return markdown

    def _render_call(
        self, call: Shortcode, view: Any, src: Page, url_for: Any, diags: list[Diagnostic]
    ) -> str:
        assert self.renderer is not None
        problem = self.renderer.check_arguments(call.name, call.args, call.kwargs)
        if problem is None and view is None:
            problem = f"{{{{ {call.name}() }}}} needs a plan: this page has no `plan:` front matter"
        if problem is not None:
            diags.append(
                Diagnostic(
                    src.file, call.line, None, "shortcode/arguments", Severity.ERROR, problem
                )
            )
            return ""
        return self.renderer.section(call.name, view, call.kwargs, url_for)

    def on_page_content(
        self, html: str, *, page: MkPage, config: MkDocsConfig, files: Files
    ) -> str | None:
        slots = self.slots.get(page.file.src_uri)
        if not slots:
            return None
        head = slots.get("__head__", "")
        for token, fragment in slots.items():
            if token == "__head__":
                continue
            wrapped = f"<p>{token}</p>"
            html = (
                html.replace(wrapped, fragment)
                if wrapped in html
                else html.replace(token, fragment)
            )
        if head:
            end = html.find("</h1>")
            html = html[: end + 5] + head + html[end + 5 :] if end >= 0 else head + html
        return html

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        if self.project is not None:
            for d in self.project.data_diagnostics():
                _log(d)
        return env


def _log(d: Diagnostic) -> None:
    if d.severity is Severity.ERROR:
        log.error(str(d))
    elif d.severity is Severity.WARNING:
        log.warning(str(d))
    else:
        log.info(str(d))
