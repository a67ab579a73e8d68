"""The MkDocs adapter: options, events, and diagnostics to MkDocs logging. Nothing else."""

from __future__ import annotations

import contextlib
import gc
import logging
import re
import shutil
import sys
import weakref
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkDocsPage
from mkdocs.utils.meta import YAML_RE, get_data

from . import format as formats
from .build_log import LEVEL, log_diagnostic, quiet_jieba, uncount_in_strict_mode
from .config import PlanbookConfig, config_file_language, option_error_in, settings_from
from .data import DataStore
from .diagnostics import Diagnostic, Severity
from .fields import meta_text
from .frontmatter import safe_meta
from .messages import line, msg, say
from .metrics.reports import report_page_source, report_pages
from .page_workers import (
    Calls,
    ExportWriter,
    Options,
    PageWorkers,
    how_many,
    made,
    url_from,
)
from .project import Page, Project, duplicate_ids, release_memory
from .serve_cache import Banners, Kept, banner_html
from .serve_wake import rebuild_at_once
from .sources.memory import huge_pages, no_huge_pages
from .sources.watch import DataWatch
from .views.charts import common as chart_store
from .views.charts.assets import charts_css_path, charts_js_path, plotly_js_path, script_tags
from .views.charts.common import CHARTS_CSS_URI, CHARTS_JS_URI, LOCALE_JS_URI, PLOTLY_URI
from .views.checklist import blocked_message, review_index
from .views.nav_titles import name_sections
from .views.page_language import page_language, with_html_lang
from .views.pages import Prepared, prepare
from .views.placing import SEARCHABLE, fill, fill_late, fill_outline, place_words
from .views.render import Renderer
from .views.render_env import shipped_templates

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page as MkPage

log = get_plugin_logger("planbook")
quiet_jieba()

CSS_URI = "assets/planbook/planbook.css"
JS_URI = "assets/planbook/planbook.js"
INDEX_TOKEN = "PBREVIEWINDEXZ"

#: `mkdocs serve` forks a page worker beside the server's threads (its file watcher's
#: among them): verified on Linux only; elsewhere the server prepares every page itself.
SERVE_FORKS = sys.platform.startswith("linux")


class PlanbookPlugin(BasePlugin[PlanbookConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.project: Project | None = None
        self.renderer: Renderer | None = None
        self.prepared: dict[str, Prepared] = {}
        # `mkdocs build`: the first section of each kind packed, which the others of its
        # kind are compressed against (Prepared.pack)
        self.dictionaries: dict[str, bytes] = {}
        self.kept = Kept()  # across `mkdocs serve` rebuilds (serve_cache.py)
        self.rendered: list[str] = []  # pages rendered in this build (kept ones are not)
        self.searchable = SEARCHABLE
        self.titles: dict[str, str] = {}
        self.files: Files | None = None
        self.is_serve = False
        self.dirty = False  # `mkdocs serve --dirty`: MkDocs renders modified pages only
        self.frozen = False  # gc.freeze() at startup, undone at shutdown (on_startup)
        self.serve_frozen = False  # frozen by a `mkdocs serve` start
        # `mkdocs serve`: the data store memory was last given back for (a new store
        # is a first build of its data)
        self.trimmed: weakref.ref[DataStore] | None = None
        self.duplicates: list[Diagnostic] = []
        self.problems: list[Diagnostic] = []  # errors and warnings of this build
        self.banners = Banners()  # `mkdocs serve`: the problems on every page
        # page -> (its `page.meta`, its Markdown) from Planbook's own reading of its front
        # matter, between `_read_source` and `_give_meta` (see there)
        self.metas: dict[str, tuple[dict[str, Any], str]] = {}
        # src_uri -> the language a page is written in where it names one (an English
        # plan, its reports, persona or copy on a Chinese site): its <html lang>
        self.languages: dict[str, str] = {}
        # diagnostics logged this build and the last one, by id: (itself, language, line)
        self.said: dict[int, tuple[Diagnostic, str, str]] = {}
        self.said_before: dict[int, tuple[Diagnostic, str, str]] = {}
        # the processes preparing pages ahead of MkDocs (page_workers.py), from the first
        # page on (whether it is yet to come), and their figures
        self.ahead: PageWorkers | None = None
        self.at_first_page = False
        # the CSV downloads, by a thread where the build forks no page worker (behind)
        self.exports = ExportWriter()
        self.behind = True
        self.huge_before: bool | None = None  # numpy's huge-page hint before on_startup
        self.worker_figures: dict[str, Any] = {}  # the last build's (tests, bench)
        # `mkdocs serve`: data files written are read again at once (sources/watch.py)
        self.data_watch: DataWatch | None = None

    # ------------------------------------------------------------------ setup

    def load_config(
        self, options: dict[str, Any], config_file_path: str | None = None
    ) -> tuple[list[tuple[str, Exception]], list[tuple[str, str]]]:
        """MkDocs' option validation, with the plugin's own option messages said in the
        site's language (MkDocs' own wording of a type or choice error stays as it is)."""
        errors, warnings = super().load_config(options, config_file_path)
        if not errors:
            return errors, warnings
        chosen = self.config.get("language")
        language = chosen if chosen in ("zh", "en") else config_file_language(config_file_path)
        return [(key, option_error_in(e, language)) for key, e in errors], warnings

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps this object across `mkdocs serve` rebuilds: caches survive.
        self.is_serve = command == "serve"
        self.dirty = self.is_serve and dirty
        if self.is_serve and self.frozen and not self.serve_frozen:
            # started again to serve after a build (MkDocs keeps the plugin): what the
            # build left must be collectable
            gc.unfreeze()
            gc.collect()
            self.frozen = False
        if not self.frozen:
            # What is alive now (MkDocs, the theme, pandas, pydantic: some 90,000-150,000
            # objects) lives to the end: out of the collector's sight, each of the build's
            # full collections walks only what the build makes (200 plans: about half
            # their time). `mkdocs serve` freezes only this: what its rebuilds make stays
            # collectable, and the collection after a data edit took 0.05 s instead of
            # 0.11 s, its on_files 0.55 s instead of 0.73 s (200-plan bench site).
            gc.freeze()
            self.frozen = True
            self.serve_frozen = self.is_serve
        if self.is_serve:
            # before the server starts its watcher thread: rebuilds share one malloc
            # arena, so the memory a data edit frees goes back (release_memory)
            from .sources.memory import one_arena

            one_arena()
        # numpy's huge-page hint off for the build's short-lived large arrays, unless
        # the user set it (memory.no_huge_pages)
        before = no_huge_pages()
        if self.huge_before is None:  # a session not shut down keeps the first
            self.huge_before = before

    def on_shutdown(self) -> None:
        # MkDocs keeps this object for the next `load_config` in the same process (a
        # script, a test, an editor integration): what a `mkdocs serve` session kept is
        # let go, and a build that starts without `on_startup` is a plain build again.
        self.is_serve = self.dirty = False
        if self.huge_before is not None:  # numpy's setting as it was before the session
            huge_pages(self.huge_before)
            self.huge_before = None
        self.kept.clear()
        self.titles = {}
        self.said, self.said_before = {}, {}
        self._stop_worker()
        if self.data_watch is not None:
            self.data_watch.stop()
            self.data_watch = None
        self.ahead = None
        self.project = None
        self.trimmed = None
        if self.frozen:
            gc.unfreeze()  # the process goes on (tests, an embedding tool): all collectable
            self.frozen = self.serve_frozen = False

    def _report(self, d: Diagnostic) -> None:
        """Log a diagnostic; remember errors and warnings for the `mkdocs serve` banner.
        `mkdocs serve`: a kept page's diagnostics are the same objects build after build,
        and each is worded once (thousands on a large site), not at every rebuild."""
        if not log.isEnabledFor(LEVEL[d.severity]):
            # `mkdocs build -q`: nobody reads it, so it is not worded (a 200-plan site
            # has ~4,000 plan-quality notes); the banner's problems are kept all the same
            if d.severity is not Severity.INFO:
                self.problems.append(d)
            return
        language = self.project.settings.language if self.project else "en"
        said = self.said.get(id(d)) or self.said_before.get(id(d))
        if said is None or said[0] is not d or said[1] != language:
            said = (d, language, line(d, language))
        if self.is_serve:  # `mkdocs build` has no next build: its lines are not kept
            self.said[id(d)] = said  # holds d: the id stays its own
        log_diagnostic(log, d, said[2])
        if d.severity is not Severity.INFO:
            self.problems.append(d)

    def _word(self, d: Diagnostic) -> str:
        """A note as `_report` logs it (a page worker words its pages' notes)."""
        return line(d, self.project.settings.language if self.project else "en")

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        settings = settings_from(self.config, config)
        if self.project is None:
            self.project = Project(settings)
        self.project.begin_build(settings)
        formats.new_build()  # the shared formatters' texts: kept while this build shows them
        chart_store.new_build()  # and the charts kept by their inputs
        chart_store.keep_at_most(None)  # each store's own bound, until a worker starts
        custom = Path(self.config.custom_templates) if self.config.custom_templates else None
        self.renderer = Renderer(settings.language, custom)
        self.prepared = {}
        self.dictionaries = {}
        self.rendered = []
        self.said_before, self.said = (self.said if self.is_serve else {}), {}
        if not self.dirty:  # --dirty: the pages MkDocs does not render keep their titles
            self.titles = {}
        self.problems = []
        self.banners.new_build()
        if self.is_serve:
            # `mkdocs serve` with `strict: true`: MkDocs aborts a rebuild on any warning, and
            # the server then appears stuck. Planbook's own diagnostics stay on the page and
            # in a banner instead; they still fail `mkdocs build --strict`.
            uncount_in_strict_mode(log)
        self.searchable = SEARCHABLE if self.config.search_sections else frozenset()
        self.metas = {}
        self.languages = {}
        self._read_front_matter_once(config)
        if CSS_URI not in config.extra_css:
            config.extra_css.append(CSS_URI)
        if JS_URI not in [str(s) for s in config.extra_javascript]:
            config.extra_javascript.append(JS_URI)
        if CHARTS_CSS_URI not in config.extra_css:
            config.extra_css.append(CHARTS_CSS_URI)
        return config

    def _read_front_matter_once(self, config: MkDocsConfig) -> None:
        """MkDocs parses each page's front matter again after Planbook has (PyYAML's full
        Python constructor: more time than Planbook's own reading). Hand it the page's
        source with the front matter taken off, and give it the same ``page.meta`` from
        Planbook's reading before any plugin sees the page. Registered here, not as an
        ``on_page_read_source`` method, so that a site whose other plugin reads sources
        keeps its reader (MkDocs runs only one) and gets no warning."""
        events = config.plugins.events
        if events["page_read_source"] or not isinstance(events.get("page_markdown"), list):
            return
        events["page_read_source"].append(self._read_source)
        events["page_markdown"].insert(0, self._give_meta)  # before every other plugin

    def _read_source(self, *, page: MkPage, config: MkDocsConfig) -> str | None:
        """The page's source with its front matter off (``None``: MkDocs reads the page
        itself), for a page whose ``page.meta`` Planbook can give exactly as MkDocs would:
        a plain MkDocs page, text without carriage returns (MkDocs' front-matter pattern
        does not match them), a front matter both readers find at the same place, no YAML
        tags, no error, a mapping (MkDocs keeps anything else in the Markdown)."""
        if self.project is None or type(page) is not MkDocsPage:
            return None
        try:
            source = page.file.content_string
        except (OSError, ValueError):
            return None  # MkDocs reads it again and says what is wrong
        if "\r" in source:
            return None
        m = YAML_RE.match(source)
        if m is None or _TAG.search(m.group(1)):
            return None
        front = self.project.read_page(page.file.src_uri, source).front
        meta = safe_meta(front)  # None when the YAML could not be read, or not like PyYAML
        if meta is None or len(front.body) != len(source) - m.end():
            return None
        body = source[m.end() :]
        self.metas[page.file.src_uri] = (meta, body.lstrip("\n"))
        # A blank first line: MkDocs finds no front matter and takes the rest as it is.
        return "\n" + body

    def _give_meta(
        self, markdown: str, *, page: MkPage, config: MkDocsConfig, files: Files
    ) -> None:
        """``page.meta`` from Planbook's reading, for a page `_read_source` gave MkDocs."""
        given = self.metas.pop(page.file.src_uri, None)
        if given is not None and not page.meta and markdown == given[1]:
            page.meta = given[0]

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled or self.project is None:
            return None
        # Persona pages must be known before any plan renders: read every page's front matter.
        docs = files.documentation_pages()
        pages = [self.project.read_page(file.src_uri, file.content_string) for file in docs]
        if not self.is_serve:
            gc.freeze()  # the pages read live to the end of the build (see _first_page)
            self.frozen = True  # on_shutdown thaws it, also if no page is reached
        self.duplicates = duplicate_ids(pages)
        language = self.project.settings.language
        self.project.cubes_first()  # the data's raw rows go before the plans' evaluations
        for page in list(self.project.plans.values()):
            view = self.project.evaluate(page)
            for uri, period in report_pages(view) if view is not None else ():
                source = report_page_source(view, period, view.plan.language or language)
                files.append(File.generated(config, uri, content=source))
                if view.plan.language:
                    self.languages[uri] = view.plan.language
        css = shipped_templates() / "assets" / "planbook.css"
        files.append(File.generated(config, CSS_URI, abs_src_path=str(css)))
        js = shipped_templates() / "assets" / "planbook.js"
        files.append(File.generated(config, JS_URI, abs_src_path=str(js)))
        # plotly.js (4.8 MB, and the plotly package that holds it) only after the build, and
        # only if a page has a chart; the small chart assets go into every site.
        for uri, path in (
            (LOCALE_JS_URI, shipped_templates() / "assets" / "plotly-locale-zh-cn.js"),
            (CHARTS_JS_URI, charts_js_path()),
            (CHARTS_CSS_URI, charts_css_path()),
        ):
            files.append(File.generated(config, uri, abs_src_path=str(path)))
        if self.config.review and self.config.review_page:
            title = self.renderer.labels("section.review_checklist") if self.renderer else "Review"
            files.append(
                File.generated(
                    config, self.config.review_page, content=f"# {title}\n\n{INDEX_TOKEN}\n"
                )
            )
        self.files = files
        uris = [f.src_uri for f in files]
        self.kept.new_build(self.project, uris, lambda uri: bool(files.get_file_from_path(uri)))
        # The raw rows went before the evaluations (cubes_first); rows an evaluation
        # read again (DataStore.rows) go now (issue 12).
        self.project.release_rows()
        if self.project.evicted:
            gc.collect()  # the old tables and cubes, before this build makes its pages
        if self.dirty:
            # `mkdocs serve --dirty`: a kept page that is still current is this build's
            # as it is (the review index, the strict check, the problems banner)
            current = self.kept.mark_stale(
                self.project, docs, pages, lambda src: self._key(src, None)
            )
            for uri, kept in current.items():
                self.prepared[uri] = kept
                for d in kept.diagnostics:
                    self._report(d)
        self._stop_worker()  # a build that failed before its end left one running
        self.ahead = None
        self.worker_figures = {}
        self.at_first_page = True
        self.behind = True  # until a page worker is forked (_first_page)
        return files

    def _workers(self) -> int:
        """How many processes prepare pages (option ``workers``)."""
        assert self.project is not None
        return how_many(self.config.workers, len(self.project.plans))

    def _first_page(self, config: MkDocsConfig, files: Files) -> None:
        """`mkdocs build` reaches its first page: every plugin's on_files and on_nav have
        run. What is alive now (the evaluated plans, the pages read, the site's files)
        lives to the end of the build: out of the collector's sight, the build's full
        collections walk only what the pages make. It was frozen only before forking the
        page worker, and a site too large for one (1,000 plans) forked none: its full
        collections took 1.5 s of CPU, 0.8 s with this freeze and the one after the pages
        are read (on_files; issue 12). The worker, when there is one, starts here (it
        freezes before it forks, so that the collector writes to none of what it reads).

        `mkdocs serve` freezes nothing more (see on_startup), and forks a worker for a
        rebuild that renders many pages again (its first build, a data edit: the 200-plan
        bench site's CSV edit took 2.5-2.7 s instead of 3.1-3.3 s), not for a page edit."""
        if not self.is_serve:
            gc.freeze()
            self.frozen = True
        if self._workers() > 1 and (not self.is_serve or SERVE_FORKS):
            assert self.project is not None and self.renderer is not None
            ours = self._read_source in config.plugins.events["page_read_source"]

            def read_source(page: MkPage) -> str | None:
                return self._read_source(page=page, config=config)

            keeps = previous = None
            if self.is_serve:
                project = self.project

                def keeps(src_uri: str) -> bool:
                    file = files.get_file_from_path(src_uri)
                    if file is None or src_uri not in self.kept:
                        return False
                    # (a page's reading is cached: on_page_markdown reads it again as is)
                    src = project.read_page(src_uri, file.content_string)
                    return self.kept.likely_kept(src_uri, self._key(src, None))

                def previous(src_uri: str, src: Page, markdown: str) -> Prepared | None:
                    return self._previous(src_uri, self._key(src, markdown))

            inclusion = InclusionLevel.is_in_serve if self.is_serve else InclusionLevel.is_included

            self.ahead = PageWorkers(
                self.project,
                self.renderer,
                Options(
                    summary=self.config.summary,
                    searchable=self.searchable,
                    review=bool(self.config.review),
                    review_page=self.config.review_page,
                    auto=self.config.workers == "auto",
                    site_dir=config.site_dir,
                    serve=self.is_serve,
                ),
                Calls(
                    included=lambda files: files.documentation_pages(inclusion=inclusion),
                    markdown_of=lambda text: get_data(text)[0],
                    read_source=read_source if ours else None,
                    log=log,
                    word=self._word if log.isEnabledFor(logging.INFO) else None,
                    keeps=keeps,
                    previous=previous,
                ),
                files,
                figures=self.worker_figures,
            )
            self.ahead.start()
            # No thread of ours may be alive at a worker's fork (ExportWriter): once one
            # is forked (a next one may follow), the build writes its downloads itself.
            self.behind = self.ahead.worker is None

    def _stop_worker(self) -> None:
        """Stop the page worker, if one runs (its figures stay in ``worker_figures``)."""
        self.at_first_page = False
        if self.ahead is not None:
            self.ahead.stop()

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_worker()
        chart_store.keep_at_most(None)  # the bound a worker set (`mkdocs serve` goes on)
        with contextlib.suppress(OSError):  # the build's own error is the one to tell
            self.exports.finish()

    def _key(self, src: Page, markdown: str | None) -> tuple:
        assert self.project is not None and self.renderer is not None
        return self.kept.key(
            self.project, self.renderer, src, markdown, summary=self.config.summary
        )

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> None:
        ours = [p for p in (self.config.custom_templates, self.config.profiles_dir) if p]
        for path in ours:
            server.watch(path)
        data = self.project.settings.root / self.project.settings.data_dir if self.project else None
        if data is not None and data.is_dir():
            server.watch(str(data))
            if self.data_watch is None:  # a write there asks for the rebuild at once
                wake = rebuild_at_once(server, data, [config.docs_dir, *config.watch, *ours])
                self.data_watch = DataWatch(data, self._read_again, wake)
                self.data_watch.start()

    def _read_again(self, path: Path) -> int:
        """A data file was written (:class:`DataWatch`'s thread): its new read starts."""
        project = self.project
        return project.store.read_again(path) if project is not None else 0

    # ------------------------------------------------------------------ pages

    def on_page_markdown(
        self, markdown: str, *, page: MkPage, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.config.enabled or self.project is None or self.renderer is None:
            return None
        src = self.project.read_page(page.file.src_uri, page.file.content_string)
        own = page_language(src)
        if own is not None:
            self.languages[page.file.src_uri] = own
        for name in ("title", "description"):
            value = page.meta.get(name)
            if value is not None:  # Material writes both as HTML (<title>, nav, <meta>)
                page.meta[name] = escape(meta_text(value))  # text, a list's too

        # `mkdocs serve`: a page whose text, plan evaluation, templates and site layout are
        # unchanged since the last build renders to the same HTML, and so does a report of
        # a plan whose evaluation is unchanged; pages that list the site (portfolio,
        # calendars) are always rendered again. `mkdocs build` has no next build: it keeps
        # nothing (the evaluations a page shows are looked up only to be kept).
        key = self._key(src, markdown) if self.is_serve else None
        kept = self.kept.reusable(self.project, page.file.src_uri, key) if key else None
        if self.at_first_page:
            self.at_first_page = False
            self._first_page(config, files)
        if kept is not None:
            prepared = kept
        elif self.ahead is not None and self.ahead.takes(page.file.src_uri):
            # The worker renders this page's sections while MkDocs turns the outline
            # into HTML and renders the other pages; they are taken (or prepared here,
            # if the worker has not got that far) just before the page is written.
            self.prepared.pop(page.file.src_uri, None)
            return self.ahead.defer(page.file.src_uri, markdown, src, page.file, key=key)
        else:
            prepared = prepare(
                self.project,
                self.renderer,
                src,
                markdown,
                url_for=url_from(files, page.file),
                summary=self.config.summary,
                previous=self._previous(page.file.src_uri, key) if key is not None else None,
            )
            self.rendered.append(page.file.src_uri)
            if key is None:
                self.kept.pages.pop(page.file.src_uri, None)
            else:
                self.kept.keep(self.project, page.file.src_uri, key, prepared)
        self.prepared[page.file.src_uri] = prepared
        for d in prepared.diagnostics:
            self._report(d)
        if not self.is_serve:  # no next build
            self._made(page.file.src_uri, prepared)
        return prepared.markdown

    def _made(self, src_uri: str, prepared: Prepared) -> None:
        assert self.project is not None
        made(self.project, src_uri, prepared)

    def _previous(self, src_uri: str, key: tuple) -> Prepared | None:
        custom = bool(self.config.custom_templates)
        return self.kept.previous(src_uri, key, custom_templates=custom)

    def on_page_content(
        self, html: str, *, page: MkPage, config: MkDocsConfig, files: Files
    ) -> str | None:
        prepared = self.prepared.get(page.file.src_uri)
        self.titles[page.file.src_uri] = page.title or page.file.src_uri
        deferred = self.ahead.deferred.get(page.file.src_uri) if self.ahead else None
        if deferred is not None:
            return fill_outline(html, deferred.shape)
        if prepared is None:
            return None
        html = fill(html, prepared, late=True, searchable=self.searchable)
        return self._with_extras(html, prepared, page, config, pack=not self.is_serve)

    def _with_extras(
        self,
        html: str,
        prepared: Prepared,
        page: MkPage,
        config: MkDocsConfig,
        *,
        pack: bool,
        written: bool = False,
    ) -> str:
        """The page's CSV downloads written beside it (unless a page worker has,
        ``written``), and plotly's script tags if it has a chart. ``pack``: its sections
        wait for on_post_page, after every other page's Markdown (`mkdocs build`), packed."""
        if prepared.exports and not written:
            self.exports.write(
                config.site_dir, page.file.dest_uri, prepared.exports, behind=self.behind
            )
            if not self.is_serve:
                prepared.exports = {}  # written; `mkdocs serve` keeps them with the page
        if prepared.charts:
            # One URL for plotly.js on every page: the browser fetches it once per session.
            html += script_tags("../" * page.url.count("/"))
        if pack:
            prepared.pack(self.dictionaries)
        return html

    @event_priority(50)  # before search plugins read page.content (default priority 0)
    def on_page_context(
        self, context: Any, *, page: MkPage, config: MkDocsConfig, nav: Navigation
    ) -> Any:
        ahead = self.ahead
        if ahead is None or page.file.src_uri not in ahead.deferred:
            return None
        prepared = self._complete(page.file.src_uri)
        written = ahead.deferred.pop(page.file.src_uri).written
        html = place_words(page.content or "", prepared, searchable=self.searchable)
        page.content = self._with_extras(html, prepared, page, config, pack=False, written=written)
        if not ahead.deferred:
            self._stop_worker()  # every page of the worker's is taken: its memory goes
        return context

    def _complete(self, src_uri: str) -> Prepared:
        """A page MkDocs was given the outline of, taken from the worker or prepared here
        (page_workers.py); the first time, the build's own bookkeeping of a page made."""
        assert self.ahead is not None
        prepared, new = self.ahead.complete(src_uri)
        if new:
            self.rendered.append(src_uri)
            self.prepared[src_uri] = prepared
            for d in prepared.diagnostics if prepared.said is None else prepared.said:
                if isinstance(d, str):
                    log.info(d)  # a note the worker worded (its _word)
                else:
                    self._report(d)
            prepared.said = None
            key = self.ahead.deferred[src_uri].key
            if key is not None:  # `mkdocs serve`: kept for the next rebuild
                assert self.project is not None
                self.kept.keep(self.project, src_uri, key, prepared)
            else:
                self._made(src_uri, prepared)
        return prepared

    @event_priority(100)  # before minifiers, which would drop the comment placeholders
    def on_post_page(self, output: str, *, page: MkPage, config: MkDocsConfig) -> str | None:
        own = self.languages.get(page.file.src_uri)
        if own is not None:
            # Material's <html lang> is the theme's, site-wide: an English plan on a
            # Chinese site said lang="zh" to screen readers and the browser's translator.
            output = with_html_lang(output, own)
        prepared = self.prepared.get(page.file.src_uri)
        if prepared is not None:
            output = fill_late(output, prepared, searchable=self.searchable)
            if not self.is_serve:
                # `mkdocs build` renders each page once: its HTML is in the output now.
                # What on_post_build still reads (diagnostics, charts, review) stays; a
                # 1,000-plan site held ~165 MB of finished sections until the end.
                prepared.release()
        if self.is_serve and self.renderer is not None:
            output = self.banners.on_page(output, page.file, self.problems, self._banner)
        if not self.config.review_page or page.file.src_uri != self.config.review_page:
            return output
        assert self.renderer is not None and self.files is not None
        for src_uri in self.ahead.pending() if self.ahead else ():
            # pages written after this one: their reviews; their sections wait packed
            self._complete(src_uri).pack(placed=False)
        files = self.files

        def url_of(src_uri: str) -> str:
            target = files.get_file_from_path(src_uri)
            return target.url_relative_to(page.file) if target else src_uri

        reviews = [(uri, p.review) for uri, p in self.prepared.items() if p.review is not None]
        env, language = self.renderer.env, self.renderer.language
        html = review_index(reviews, self.titles, url_of, env, language)
        return output.replace(f"<p>{INDEX_TOKEN}</p>", html)

    def _banner(self, file: File, problems: list[Diagnostic]) -> str:
        """The banner of ``problems`` on the page of ``file`` (its links are relative)."""
        assert self.renderer is not None and self.project is not None
        return banner_html(self.renderer, self.project, self.files, file, problems)

    @event_priority(100)  # before other plugins read the built site (an archive, a link check)
    def _downloads_written(self, *, config: MkDocsConfig) -> None:
        self._stop_worker()
        try:
            self.exports.finish()  # every page's CSV downloads are in the site (ExportWriter)
        except OSError as e:
            language = self.project.settings.language if self.project else "en"
            where = e.filename if isinstance(e.filename, str) else config.site_dir
            said = msg("pages/export-write", path=where, error=e.strerror or e)
            raise PluginError(say(said, language)) from None

    def _on_post_build(self, *, config: MkDocsConfig) -> None:
        chart_store.keep_at_most(None)  # the stores' own bounds again (scripts, tests)
        project = self.project
        if self.is_serve:
            self.banners.again(self.problems, self._banner)
            formats.end_build()  # the texts of figures no page of this build shows go
            chart_store.end_build()  # and the charts
            self.said_before = {}  # the last build's lines: this one's are in self.said
        if self.is_serve and project is not None:
            store = project.store
            swept = project.sweep()  # removed files and pages: what no edit evicts
            if swept or project.evicted or self.trimmed is None or self.trimmed() is not store:
                # `mkdocs serve`: the first build's peak and a data edit's old tables go
                # back to the system, so the server's memory stays that of one build.
                # After a data edit on_files has collected the old tables already.
                release_memory(collect=bool(swept) or not project.evicted)
                self.trimmed = weakref.ref(store)
        if any(p.charts for p in self.prepared.values()):
            target = Path(config.site_dir) / PLOTLY_URI
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(plotly_js_path(), target)
        language = project.settings.language if project else "en"
        found = (d for p in self.prepared.values() for d in p.diagnostics)
        blocked = None if self.is_serve else blocked_message(found, language)
        if blocked:
            raise PluginError(blocked)

    on_post_build = CombinedEvent(_downloads_written, _on_post_build)

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        """Name a plan's folder section after the plan, and its reports folder in the
        site's language (MkDocs names sections after folders: "Spring launch 2027")."""
        if self.project is None or self.renderer is None:
            return None
        name_sections(
            nav.items, self.project.plans_by_uri(), self.renderer, from_folders=config.nav is None
        )
        return nav

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        if self.ahead is None or not self.ahead.deferred:
            self._stop_worker()  # every page's Markdown is done: its memory goes before the HTML
        if self.project is not None:
            for d in self.duplicates:
                self._report(d)
            for d in self.project.data_diagnostics():
                self._report(d)
            if self.config.review:
                for d in self.project.ruleset()[1]:
                    self._report(d)
        return env


# A YAML tag (`!!str`, `!local`) starts a token: PyYAML's loaders then differ from
# Planbook's reading in ways a path cannot mend.
_TAG = re.compile(r"(?:^|[\s\[\{,])!", re.M)
