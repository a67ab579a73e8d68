"""Builds with page workers (`mkdocs build`, and each rebuild of `mkdocs serve` that renders
enough pages), the build's side: which pages a worker prepares, when it starts and when
another follows it, and how the build takes a page's sections from it or prepares them
itself (workers.py is the worker process and its protocol).

The plugin (plugin.py) gives MkDocs each such page's outline at on_page_markdown
(:meth:`PageWorkers.defer`) and completes the page just before MkDocs writes it
(:meth:`PageWorkers.complete`). Nothing here imports MkDocs: the plugin hands in the two
things of MkDocs' it needs (:class:`Calls`), and a site's files and pages are used only
through the attributes named there.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, Severity
from .metrics.reports import forget_as_of
from .project import Page, Project
from .views.analysis.views import utm_taxonomy
from .views.charts import common as chart_store
from .views.pages import Outline, Prepared, UrlFor, outline, prepare
from .views.placing import words_ahead
from .views.render import Renderer
from .workers import (
    Worker,
    adopt,
    decode,
    encode,
    memory_limit,
    status_kb,
    worth_starting,
)

#: A worker that stopped at its memory limit is followed by another when it prepared at
#: least this many pages and as many are left (fewer: the build prepares them).
MIN_FOLLOW = 8

#: Pages the build prepares itself after the one at which it found a worker stopped, while
#: the next worker starts (the charts bench site: the build waited ~0.15 s for each new
#: worker's first page, which came after its start: fork, copies, templates).
LEAD = 2

#: Charts each of the page worker's stores keeps (the build: 256): on a site whose plans
#: differ it draws each chart once, and what it keeps is its own memory (issue 12).
WORKER_CHARTS = 8

#: `mkdocs serve` forks a worker for a rebuild that renders at least this many pages
#: again (a data edit); a page edit renders one page and perhaps its report.
SERVE_JOBS = 8


def how_many(chosen: str | int, plans: int) -> int:
    """Processes that prepare pages (option ``workers``; ``auto``: 2 with 2 CPUs or more
    and 20 plans or more; a number is capped at 2)."""
    if chosen != "auto":
        return min(int(chosen), 2)
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return 2 if cpus >= 2 and plans >= 20 else 1


@dataclass(frozen=True)
class Options:
    """The plugin's options the page workers follow."""

    summary: bool  # option ``summary``: what prepare shows
    searchable: frozenset[str]  # the sections whose words search indexes (placing.py)
    review: bool  # option ``review``
    review_page: str | None  # option ``review_page``: the build prepares the index itself
    auto: bool  # option ``workers: auto``: fork only when worth it
    site_dir: str  # where the CSV downloads go
    #: `mkdocs serve`: the pages a worker prepares are kept for the next rebuild, with
    #: their CSV downloads (not what their sections were drawn from, ``inputs``: plan
    #: items took the 200-plan site 0.5 s a rebuild to unpickle)
    serve: bool = False


@dataclass(frozen=True)
class Calls:
    """What the page workers need of MkDocs and of the plugin (plugin.py hands them in)."""

    #: the site's documentation pages MkDocs renders (``InclusionLevel.is_included``), as
    #: files with ``src_uri`` and ``generated_by``
    included: Callable[[Any], Iterable[Any]]
    #: a page's text without its front matter (``mkdocs.utils.meta.get_data``)
    markdown_of: Callable[[str], str]
    #: the plugin's reading of a page's source, when it is MkDocs' (``None``: MkDocs
    #: reads the pages itself); given the file's ``page``
    read_source: Callable[[Any], str | None] | None
    #: where the workers say what became of them (`mkdocs build -v`) and internal errors
    log: logging.Logger | logging.LoggerAdapter
    #: a note (an ``INFO`` diagnostic) as the line the build logs; ``None``: the build
    #: logs no notes (`mkdocs build -q`, a script's logging), and the worker drops them
    word: Callable[[Diagnostic], str] | None = None
    #: `mkdocs serve`: whether the build will likely keep a page as the last rebuild
    #: rendered it (no worker prepares it); a guess, the build decides at the page
    keeps: Callable[[str], bool] | None = None
    #: `mkdocs serve`: the page's last rendering whose planning sections prepare may
    #: reuse (``Kept.previous``), given its path, the page and its Markdown
    previous: Callable[[str, Page, str], Prepared | None] | None = None


@dataclass
class Deferred:
    """A page MkDocs was given the outline of."""

    markdown: str  # what MkDocs handed on_page_markdown: the sections are made from it
    shape: Outline
    file: Any  # the page's file (``dest_uri``, ``url_relative_to``)
    src: Page  # the page as Planbook read it then
    prepared: Prepared | None = None  # once taken from the worker or made here
    key: tuple | None = None  # `mkdocs serve`: what the page is kept under (serve_cache.py)
    written: bool = False  # its CSV downloads were written by the worker


@dataclass
class PageWorkers:
    """The page workers of one `mkdocs build`, from its first page to its end."""

    project: Project
    renderer: Renderer
    options: Options
    calls: Calls
    files: Any  # the build's files (``get_file_from_path``), final at the first page
    #: the workers' figures, for tests and the benchmark (the plugin's ``worker_figures``)
    figures: dict[str, Any] = field(default_factory=dict)
    worker: Worker | None = None
    #: the pages MkDocs was given an outline of, whose sections a worker renders meanwhile
    deferred: dict[str, Deferred] = field(default_factory=dict)

    # ------------------------------------------------------------------ workers

    def start(self, jobs: list[str] | None = None) -> None:
        """Fork a worker. The first starts at the build's first page: every plugin's
        on_files and on_nav have run, so the site's files, their URLs and the evaluated
        plans are final. It prepares the pages in the order MkDocs renders them, while
        MkDocs turns their outlines into HTML and renders the other pages; the build takes
        each page's sections just before it writes the page (:meth:`complete`), or
        prepares them itself if the worker has not got that far.

        ``jobs``: a worker that follows one which stopped at its memory limit, for the
        pages left; a new process holds none of the copies the last one had gathered."""
        project, renderer, options, calls = self.project, self.renderer, self.options, self.calls
        files = self.files
        first = jobs is None
        if jobs is None:
            # Plan pages and their reports, each drawn from its own plan: what the worker
            # reads (and so copies) grows page by page. A page that lists the site (a
            # portfolio) reads every plan at once: the build prepares such pages, and
            # copy pages.
            plans = project.plans_by_uri()
            jobs = [
                f.src_uri
                for f in calls.included(files)
                if f.src_uri in plans or (f.generated_by and f.src_uri != options.review_page)
            ]
            if calls.keeps is not None:
                # `mkdocs serve`: only the pages this rebuild renders again
                jobs = [u for u in jobs if not calls.keeps(u)]

        def run(src_uri: str, warm: bool = False) -> bytes | None:  # in the child
            file = files.get_file_from_path(src_uri)
            if file is None or file.page is None:
                return None
            # the Markdown MkDocs hands on_page_markdown (Page.read_source), as far as the
            # plugin's reading goes: another plugin's change makes the parent's differ
            source = calls.read_source(file.page) if calls.read_source else None
            markdown = calls.markdown_of(file.content_string if source is None else source)
            src = project.read_page(src_uri, file.content_string)
            used = len(project.store.used_tables())
            url_for = url_from(files, file)
            summary = options.summary
            # (the warm-up in the build takes nothing of the last rendering's)
            previous = (
                calls.previous(src_uri, src, markdown) if calls.previous and not warm else None
            )
            prepared = prepare(
                project,
                renderer,
                src,
                markdown,
                url_for=url_for,
                summary=summary,
                previous=previous,
            )
            if warm:
                return None
            # a table the page read first (a post list) must be in the parent's build
            # too (its diagnostics, on_env): the parent prepares that page itself
            payload = None
            if len(project.store.used_tables()) == used:
                # the search words on_page_context places, made from the sections here
                words_ahead(prepared, searchable=options.searchable)
                # its notes worded here (~20 a plan page; 4,000 lines took the 200-plan
                # build ~0.07 s), or dropped where nobody logs them; the build logs the
                # lines in their order and keeps the other diagnostics
                # (`mkdocs serve` keeps the page with its diagnostics, logged again
                # while it is kept: the build words them)
                said = None if options.serve else _said(prepared.diagnostics, calls.word)
                if said is not None:
                    prepared.said = said
                    prepared.diagnostics = [d for d in said if not isinstance(d, str)]
                if prepared.exports:
                    # the page's CSV downloads, written here (see write_exports); `mkdocs
                    # serve` keeps them with the page, for a rebuild that keeps it
                    write_exports(options.site_dir, file.dest_uri, prepared.exports)
                    if not options.serve:
                        prepared.exports = {}
                payload = encode(prepared, markdown, src.digest)
            made(project, src_uri, prepared)  # as the parent does after each page
            return payload

        # The two processes together hold no more than the build's peak so far (its data
        # loading) and 16 MB, or than the build now and 32 MB if that is more
        # (workers.memory_limit).
        # `auto` forks only when that leaves room for a useful share of the pages (1,000
        # plans: ~30 of 1,000; workers.worth_starting); a number given forks anyway.
        # A next worker (``jobs`` given) is held to the same limit: the child stops at
        # it, and the limit is never less than 32 MB above the build then.
        if first and options.auto and not worth_starting(status_kb(), len(jobs)):
            self.figures["skipped"] = True
            return
        if first and options.serve and len(jobs) < SERVE_JOBS:
            # `mkdocs serve` after a page edit: the page (and its report) is prepared
            # sooner than a worker is forked
            self.figures["skipped"] = True
            return
        # What every page reads, made once per build on first use, is made before the
        # fork: made in the worker, it would read every plan (and copy what it reads)
        # and be made again here. The UTM taxonomy reads every plan's data and budget.
        if options.review:
            utm_taxonomy(project)
        if jobs and first:
            # and what else a plan page makes on first use (templates, the review's
            # and the planning sections' once-per-build tables): the first plan page is
            # prepared here once, its result dropped. In the worker it copied 36 MB of
            # the 200-plan site at its first page, then ~45 KB a page.
            run(jobs[0], warm=True)
        # What is alive now stays out of the collector's sight in this process too (the
        # plugin froze it before): a full collection walks (writes to) every object it
        # tracks, and each page it writes to is then copied for the worker. Not in
        # `mkdocs serve`, where what a rebuild lets go of must stay collectable.
        if not options.serve:
            gc.freeze()
        now = status_kb()
        self.worker = Worker.start(jobs, run, limit_kb=memory_limit(now), setup=_in_the_worker)
        if self.worker is not None:
            # The build's charts count against the workers' limit with theirs, and the
            # workers draw most pages: the build keeps as few as they do (the 200-plan
            # site with every chart: its memory grew 178 -> 195 MB, and ~110 of 200
            # pages came from workers; 189 MB and ~165 so). The same pages either way.
            chart_store.keep_at_most(WORKER_CHARTS)
            self.figures.setdefault("at_fork", now)
            self.figures["workers"] = (self.figures.get("workers") or 0) + 1

    def _follow(self, current: str) -> None:
        """The worker stopped at its memory limit (its own copies of what it and the build
        touched since the fork grow page by page): a new one takes the pages after
        ``current`` that nobody has prepared, if it is worth it."""
        if self.worker is None or not (self.worker.done and self.worker.full):
            return
        gave = self.worker.taken
        self.stop()
        rest = [u for u in self.pending() if u != current]
        # the next pages are the build's while the new worker starts (its first page
        # copies what the build touched since its own start): it would wait for them
        rest = rest[LEAD:]
        if len(rest) >= MIN_FOLLOW and gave >= MIN_FOLLOW:
            self.start(jobs=rest)

    def stop(self) -> None:
        """Stop the worker and, for the benchmark, add its private memory to the file
        named by ``PLANBOOK_WORKER_MEMORY`` (kB; bench/_build.py)."""
        worker, self.worker = self.worker, None
        if worker is None:
            return
        kb = worker.close()
        figures = self.figures
        figures |= {
            "pages": max(len(worker.index), figures.get("pages") or 0),
            "taken": worker.taken + (figures.get("taken") or 0),
            "done": worker.done,  # it sent its last message
            "full": worker.full,  # and stopped at its memory limit
            "kb": kb,
            "build_kb": worker.parent_kb,  # the build's resident memory at the worker's end
        }
        figures["waited_ms"] = int(worker.waited * 1000) + (figures.get("waited_ms") or 0)
        self.calls.log.debug(
            "page worker prepared %d of %d pages (the build waited %d ms for it)",
            worker.taken,
            len(worker.index),
            figures["waited_ms"],
        )
        figures.update(status_kb())
        out = os.environ.get("PLANBOOK_WORKER_MEMORY")
        if out and kb is not None:
            # the worker's private memory at its end and the build's resident memory then
            # (else now, later: more); both grow while the worker lives, so together
            # that is about the most they held at once
            rss = worker.parent_kb or figures.get("VmRSS", 0)
            with contextlib.suppress(OSError), open(out, "a", encoding="ascii") as f:
                f.write(f"{kb} {rss}\n")

    # ------------------------------------------------------------------ pages

    def takes(self, src_uri: str) -> bool:
        """Whether a running worker prepares this page."""
        return self.worker is not None and src_uri in self.worker.index

    def defer(
        self, src_uri: str, markdown: str, src: Page, file: Any, key: tuple | None = None
    ) -> str:
        """The page's outline (its Markdown with a token per section) for MkDocs: a worker
        renders the sections meanwhile (:meth:`complete` takes them). ``key``: `mkdocs
        serve`'s, under which the page is kept once complete."""
        shape = outline(self.project, self.renderer, src, markdown)
        self.deferred[src_uri] = Deferred(markdown, shape, file, src, key=key)
        return shape.markdown

    def complete(self, src_uri: str) -> tuple[Prepared, bool]:
        """A page MkDocs was given the outline of: the worker's preparation, or the
        build's own if the worker has not got to it, made from the same Markdown (once);
        and whether it is new (the first call for the page)."""
        deferred = self.deferred[src_uri]
        if deferred.prepared is not None:
            return deferred.prepared, False
        src = deferred.src  # as read at on_page_markdown (the file is not read again)
        taken = self._take(src_uri, deferred.markdown, src) if self.worker else None
        if taken is None:
            self._follow(src_uri)
        else:
            deferred.written = self.options.serve  # the worker wrote the downloads
        previous = self.calls.previous if taken is None else None
        prepared = taken or prepare(
            self.project,
            self.renderer,
            src,
            deferred.markdown,
            url_for=url_from(self.files, deferred.file),
            summary=self.options.summary,
            previous=previous(src_uri, src, deferred.markdown) if previous else None,
        )
        if prepared.markdown != deferred.shape.markdown or list(prepared.kinds) != list(
            deferred.shape.kinds
        ):
            # cannot happen (prepare starts with the same outline): said, never hidden
            self.calls.log.error(
                "internal error: the sections of %s were prepared for other "
                "Markdown than its outline; please report this",
                src_uri,
            )
        deferred.prepared = prepared
        return prepared, True

    def pending(self) -> list[str]:
        """The pages given as outlines whose sections the build has not taken yet."""
        return [u for u, d in self.deferred.items() if d.prepared is None]

    def _take(self, src_uri: str, markdown: str, src: Page) -> Prepared | None:
        """The worker's preparation of this page, when made from the very Markdown and
        page text MkDocs hands the plugin now; ``None``: prepare it here."""
        assert self.worker is not None
        payload = self.worker.take(src_uri)
        if payload is None:
            return None
        got = decode(payload)
        if got is None:
            self.calls.log.debug(
                "page worker: a result that could not be read (%s); the build "
                "prepares the remaining pages itself",
                src_uri,
            )
            self.worker.stop()  # garbage: the rest is prepared here
            return None
        used, digest, prepared = got
        if used != markdown or digest != src.digest:
            return None
        prepared.view = self.project.evaluate(src)
        adopt(self.project, src, prepared)
        self.worker.taken += 1
        return prepared


def _said(
    diagnostics: list[Diagnostic], word: Callable[[Diagnostic], str] | None
) -> list[Diagnostic | str] | None:
    """A page's diagnostics with its notes worded (``word``) or, without ``word``,
    left out; ``None`` when it has no notes."""
    if not any(d.severity is Severity.INFO for d in diagnostics):
        return None
    out: list[Diagnostic | str] = []
    for d in diagnostics:
        if d.severity is not Severity.INFO:
            out.append(d)
        elif word is not None:
            out.append(word(d))
    return out


def made(project: Project, src_uri: str, prepared: Prepared) -> None:
    """`mkdocs build` (and a page worker, for its pages): a page is prepared, and what only
    it needed goes: its text and line map, its notes (logged now) and the goal evaluations
    its reports made as of a day (issue 12)."""
    project.release_page(src_uri)
    prepared.logged()
    plans = project.plans
    used = (project.evaluate(plans[i]) for i in prepared.uses if i in plans)
    forget_as_of([prepared.view, *used])


def write_exports(site_dir: str, dest_uri: str, exports: dict[str, str]) -> None:
    """A page's CSV downloads, beside the page in the built site. The page worker writes
    those of the pages it prepares: 600 small files on the 200-plan bench site, whose
    writes took the build up to 0.5 s of system time while the worker ran beside it. If
    the build prepares such a page itself (the worker had not finished it, or stopped),
    it writes them again, the same bytes at the same places: two writers at once still
    leave the whole file, and one the worker was stopped in the middle of is rewritten."""
    folder = (Path(site_dir) / dest_uri).parent
    folder.mkdir(parents=True, exist_ok=True)
    failed: OSError | None = None
    for name, text in exports.items():
        try:
            (folder / name).write_text(text, encoding="utf-8")
        except OSError as e:  # the page's other downloads are written all the same
            failed = failed or e
    if failed is not None:
        raise failed


class ExportWriter:
    """A build's CSV downloads, written by one thread beside it where the build forks no
    page worker (a site too large for one, a `mkdocs serve` page edit). Those writes
    (mkdir, then three small files per plan page) took ~1 ms each during a build on the
    bench machine, where the same calls alone take ~0.03 ms: 0.6-0.8 s of every 200-plan
    `mkdocs serve` rebuild, waited on by the build's one thread. A thread waiting on the file system
    leaves the GIL to the build (issue 12).

    Where a page worker is forked, pages are written as they come (``behind=False``):
    the workers fork with no thread of ours alive (workers.py: fork safety). Either way a
    write that fails (a full disk, a folder in the way) does not stop the others: the
    first failure is raised by :meth:`finish`, which the plugin says as a message."""

    def __init__(self) -> None:
        self.pool: ThreadPoolExecutor | None = None
        self.pending: list[Future[None]] = []
        self.failed: list[OSError] = []

    def write(self, site_dir: str, dest_uri: str, exports: dict[str, str], *, behind: bool) -> None:
        """``exports`` beside the page ``dest_uri``: now, or by the thread (``behind``).
        The dict is not changed afterwards by the caller (the plugin replaces it)."""
        if not behind:
            try:
                write_exports(site_dir, dest_uri, exports)
            except OSError as e:
                self.failed.append(e)
            return
        if self.pool is None:
            self.pool = ThreadPoolExecutor(1, thread_name_prefix="planbook-exports")
        self.pending.append(self.pool.submit(write_exports, site_dir, dest_uri, exports))

    def finish(self) -> None:
        """Wait for every write and end the thread (the build's end, or its failure: no
        thread is left between builds, when MkDocs cleans the site folder). The first
        write that failed (an ``OSError``) is raised here, once every other has landed."""
        pending, self.pending = self.pending, []
        errors: list[BaseException] = [*self.failed]
        errors += [e for e in (f.exception() for f in pending) if e is not None]
        self.failed = []
        if self.pool is not None:
            self.pool.shutdown()
            self.pool = None
        if errors:
            raise errors[0]


def url_from(files: Any, file: Any) -> UrlFor:
    """Links from ``file``'s page to other pages by their source path (what ``prepare``
    calls ``url_for``): the build and its page worker make them alike."""

    def url_for(src_uri: str) -> str:
        target = files.get_file_from_path(src_uri)
        return target.url_relative_to(file) if target else src_uri

    return url_for


def _in_the_worker() -> None:
    """The page worker's own settings, in the worker (workers.Worker.start's ``setup``):
    caches that help only its own later pages are kept small. Output is the same: a
    chart not kept is drawn again from the same inputs."""
    chart_store.keep_at_most(WORKER_CHARTS)
