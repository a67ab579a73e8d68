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

from collections.abc import Callable
from typing import Any

from .analysis.views import utm_taxonomy
from .frontmatter import Locations
from .pages import Prepared
from .project import Page, PlanView, Project
from .render import Renderer
from .render_env import generation

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
