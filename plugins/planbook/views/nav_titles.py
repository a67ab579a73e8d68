"""The titles of MkDocs' navigation sections on a Planbook site: a plan's folder is named
after the plan, a plan's reports folder and the site's own folders (copy/, personas/,
plans/, reports/) read in the site's language. MkDocs names sections after folders
("Spring launch 2027"); the plugin (plugin.py) hands its navigation items in, and nothing
here imports MkDocs: an item is used through ``is_section``, ``children``, ``title`` and
``file`` (``src_uri``, ``name``, ``generated_by``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from .render import Renderer

if TYPE_CHECKING:
    from ..project import Page


def name_sections(
    items: Sequence[Any], plans: Mapping[str, Page], renderer: Renderer, *, from_folders: bool
) -> None:
    """Name the sections under ``items`` (``plans``: plan pages by source path). A
    section holding a plan's ``index`` page takes the plan's title and language for
    what is under it. ``from_folders``: MkDocs made the navigation from the folders (a
    ``nav`` written in mkdocs.yml is left as written, but for a plan's reports folder)."""
    for item in items:
        if not getattr(item, "is_section", False):
            continue
        inner = renderer
        for child in item.children:
            file = getattr(child, "file", None)
            page = plans.get(file.src_uri) if file is not None else None
            if page is not None and file.name == "index" and page.plan is not None:
                # Themes write titles as HTML: the plan's title is text.
                item.title = escape(page.title) if page.title else item.title
                inner = renderer.for_language(page.plan.language)
        if item.title.lower() == "reports" and any(
            getattr(c, "file", None) is not None and c.file.generated_by for c in item.children
        ):
            item.title = inner.labels("report.index")
        elif from_folders:
            key = "nav." + item.title.lower()
            if inner.labels(key) != key:
                item.title = inner.labels(key)
        name_sections(item.children, plans, renderer=inner, from_folders=from_folders)
