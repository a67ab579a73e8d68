"""`mkdocs serve`: pages kept from one rebuild to the next (issue 12).

A page whose text, plan evaluation, templates, options and site layout are unchanged
since the last build renders to the same HTML, and so does a report of a plan whose
evaluation is unchanged: it is kept, with the evaluations it shows, and not prepared
again. A page whose plans were evaluated again (a data edit) is prepared again, with its
planning sections at hand where they were drawn from the same inputs. Pages that list
the site (portfolio, calendars) are always prepared again. `mkdocs build` has no next
build and keeps nothing.

The plugin (plugin.py) asks :meth:`Kept.reusable` before it prepares a page and hands
:meth:`Kept.keep` what it prepared; nothing here imports MkDocs.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic
from .frontmatter import Locations
from .metrics.evaluation import PlanView
from .project import Page, Project
from .views.analysis.views import utm_taxonomy
from .views.pages import Prepared
from .views.render import Renderer
from .views.render_env import generation

#: The evaluations of the other plans a page shows (a report's plan) by plan id, and for
#: a calendar the copy pages' digests and its post lists: what else its HTML depends on.
Uses = list[tuple[str, Any]]


class Kept:
    """The pages kept across `mkdocs serve` rebuilds, and the stale pages of this build."""

    def __init__(self) -> None:
        # page -> (key, prepared page, what it shows: Uses)
        self.pages: dict[str, tuple[tuple, Prepared, Uses]] = {}
        # pages whose plans were evaluated again (a data edit): (key, their planning
        # sections), which prepare reuses where drawn from the same inputs
        self.stale: dict[str, tuple[tuple, Prepared]] = {}
        self.files_key = ""  # the site's pages: a page's links depend on them
        self.copy_key: tuple[tuple[str, str], ...] | None = None  # copy pages and digests

    def __contains__(self, src_uri: str) -> bool:
        return src_uri in self.pages

    def clear(self) -> None:
        self.pages, self.stale = {}, {}

    def new_build(self, project: Project, uris: list[str], exists: Callable[[str], bool]) -> None:
        """Every page of this build has been read and every plan evaluated (on_files;
        ``uris``: the site's files). A removed page's kept HTML (and the evaluation it
        holds) goes with it, and so does a page's whose plans were evaluated again: it
        is prepared again, with its planning sections only, and not their evaluation,
        at hand."""
        self.files_key = "\n".join(sorted(uris))
        self.copy_key = None  # every page has been read: the copy pages are known
        kept, self.pages, self.stale = self.pages, {}, {}
        for uri, k in kept.items():
            if not exists(uri):
                continue
            if _current(project, k[1], k[2]):
                self.pages[uri] = k
            elif k[1].inputs:
                sections = {t: k[1].slots[t] for t in k[1].inputs}
                light = Prepared("", slots=sections, kinds=dict(k[1].kinds), inputs=k[1].inputs)
                self.stale[uri] = (k[0], light)

    def key(
        self,
        project: Project,
        renderer: Renderer,
        src: Page,
        markdown: str | None,
        *,
        summary: bool,
    ) -> tuple:
        """What a page's rendering depends on besides the plans it shows (:meth:`uses`):
        its text, its plan's evaluation, templates, the site's layout and options."""
        return (
            markdown,
            src.digest,
            id(project.evaluate(src)),
            self.files_key,
            id(project.settings),
            generation(renderer.env),
            summary,
            # The UTM check of a page's copy reads every plan's channels and budget items.
            utm_taxonomy(project),
        )

    def reusable(
        self, project: Project, src_uri: str, key: tuple, *, text: bool = True
    ) -> Prepared | None:
        """The page as kept, when nothing it was made from has changed; ``text=False``:
        its Markdown is not at hand (the digest of the page's source stands for it)."""
        kept = self.pages.get(src_uri)
        if kept is None:
            return None
        same_key = kept[0] == key if text else kept[0][1:] == key[1:]
        if same_key and _same(kept[2], self.uses(project, kept[1])):
            return kept[1]
        return None

    def previous(self, src_uri: str, key: tuple, *, custom_templates: bool) -> Prepared | None:
        """The page's last rendering, when only the evaluations it showed changed (same
        text, templates, options and layout): prepare reuses its planning sections where
        their inputs are unchanged. Never with custom templates, which see the whole view."""
        old = self.stale.pop(src_uri, None) or self.pages.get(src_uri)
        if old is None or custom_templates:
            return None
        # (markdown, digest, id(view), files, settings, templates, ...): all but the view
        same = old[0][:2] == key[:2] and old[0][3:6] == key[3:6]
        return old[1] if same else None

    def mark_stale(
        self,
        project: Project,
        docs: Sequence[Any],
        pages: Sequence[Page],
        key_of: Callable[[Page], tuple],
    ) -> dict[str, Prepared]:
        """`mkdocs serve --dirty`: MkDocs renders only the pages whose source is newer than
        their built file, so a page showing what changed elsewhere (a data edit, a plan it
        lists or reports on, templates, options) would keep its old numbers. Such a page's
        built file is dated back: MkDocs renders it again. ``docs``: the site's pages
        (MkDocs' files, ``abs_dest_path``), as read (``pages``); ``key_of``: a page's
        :meth:`key` without its Markdown (the digest of its source stands for it). The
        kept pages that are still current, by path."""
        current: dict[str, Prepared] = {}
        for file, src in zip(docs, pages, strict=True):
            dest = file.abs_dest_path
            if not os.path.isfile(dest):
                continue  # MkDocs renders it anyway
            kept = self.reusable(project, file.src_uri, key_of(src), text=False)
            if kept is not None:
                current[file.src_uri] = kept
            else:
                os.utime(dest, (0, 0))
        return current

    def likely_kept(self, src_uri: str, key: tuple) -> bool:
        """`mkdocs serve` with a page worker: whether the build will likely keep the page
        as the last rebuild rendered it, so that no worker prepares it (``key`` without
        its Markdown). A guess, made cheaply for every page the worker could take (a page
        edit found none to take in ~20 ms with :meth:`reusable`): the page was kept with
        the evaluations of this build (new_build let go of the others) and with the same
        key. The post lists and copy pages a calendar shows are left to the build's own
        check at the page (:meth:`reusable`), which prepares a page the guess kept from
        the worker; the site is the same either way."""
        kept = self.pages.get(src_uri)
        return kept is not None and kept[0][1:] == key[1:]

    def keep(self, project: Project, src_uri: str, key: tuple, prepared: Prepared) -> None:
        """A page prepared this build, kept for the next one (a page that lists the site
        is not: it is prepared again at every build)."""
        if prepared.lists_site:
            self.pages.pop(src_uri, None)
        else:
            self.pages[src_uri] = (key, prepared, self.uses(project, prepared))

    def uses(self, project: Project, prepared: Prepared) -> Uses:
        """The evaluations of the other plans a page shows (a report's plan); held, so
        that an id is never that of a newer evaluation."""
        out: Uses = []
        for plan_id in sorted(prepared.uses):
            page = project.plans.get(plan_id)
            out.append((plan_id, project.evaluate(page) if page else None))
        if prepared.lists_copy:
            # A calendar or cadence: the copy pages' text (their `publish:`) and the
            # contents of the post lists of the plans it shows.
            published = project.published.items()
            views = [prepared.view, *(view for _, view in out)]
            posts = []
            for view in views:
                content = view.plan.content if view is not None else None
                if content is not None and content.posts:
                    sources, _ = project.store.gather(content.posts, file="", locations=Locations())
                    posts.extend(src.key for src in sources)
            if self.copy_key is None:  # once per build, not once per calendar page
                self.copy_key = tuple(sorted((uri, page.digest) for uri, page in published))
            out.append(("", (self.copy_key, tuple(posts))))
        return out


def _current(project: Project, prepared: Prepared, uses: Uses) -> bool:
    """Whether the evaluations a kept page holds are still this build's (every plan is
    evaluated in on_files; a kept page of a plan evaluated again is stale)."""
    views = [view for _, view in uses if isinstance(view, PlanView)]
    if prepared.view is not None:
        views.append(prepared.view)
    return all(project.current_view(v.page.src_uri) is v for v in views)


def _same(a: Uses, b: Uses) -> bool:
    """Same plans, and the very same evaluations of them."""
    return len(a) == len(b) and all(
        x[0] == y[0] and (x[1] is y[1] or (isinstance(x[1], tuple) and x[1] == y[1]))
        for x, y in zip(a, b, strict=True)
    )


_BODY = re.compile(r"<body\b[^>]*>", re.I)

#: a page's banner of ``problems``, given its file (the plugin's, over banner_html)
Banner = Callable[[Any, list[Diagnostic]], str]


def banner_html(
    renderer: Renderer, project: Project, files: Any, file: Any, problems: list[Diagnostic]
) -> str:
    """The banner of ``problems`` on the page of ``file``: each links to the page it is
    about, relative to this one (``files``: the site's, ``get_file_from_path``)."""
    links: dict[str, str | None] = {}
    if files is not None:
        prefix = project.relpath(project.settings.docs_dir) + "/"
        for d in problems:
            if d.file.startswith(prefix) and d.file not in links:
                target = files.get_file_from_path(d.file[len(prefix) :])
                links[d.file] = target.url_relative_to(file) if target else None
    return renderer.serve_banner(problems, links)


class Banners:
    """`mkdocs serve`: every page says that the site has problems, and where. A page
    worker's pages say their problems only as MkDocs writes them (page_workers.py), so a
    page written before the build's last problem was known is written again at the
    build's end (:meth:`again`) with the banner of every problem."""

    def __init__(self) -> None:
        # page -> (its file, how many problems its banner showed)
        self.written: dict[str, tuple[Any, int]] = {}

    def new_build(self) -> None:
        self.written = {}

    def on_page(self, output: str, file: Any, problems: list[Diagnostic], banner: Banner) -> str:
        """A page's HTML with the banner of the problems known now, if any."""
        self.written[file.src_uri] = (file, len(problems))
        return _after_body(output, banner(file, problems)) if problems else output

    def again(self, problems: list[Diagnostic], banner: Banner) -> None:
        """The build's end: the pages whose banner missed some of ``problems`` (the
        build's, which only grow), written again with all of them."""
        written, self.written = self.written, {}
        if not problems:
            return
        for file, count in written.values():
            if count == len(problems):
                continue
            new = banner(file, problems)
            old = banner(file, problems[:count]) if count else ""
            if new == old:
                continue
            path = Path(file.abs_dest_path)
            try:
                html = path.read_text(encoding="utf-8")
            except OSError:
                continue  # not written (another plugin's doing): nothing to correct
            if old and old in html:
                html = html.replace(old, new, 1)
            else:
                html = _after_body(html, new)
            path.write_text(html, encoding="utf-8")


def _after_body(html: str, banner: str) -> str:
    """``banner`` at the top of the page's ``<body>``."""
    return _BODY.sub(lambda m: m.group(0) + banner, html, count=1)
