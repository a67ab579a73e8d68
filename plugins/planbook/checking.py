"""What ``planbook check`` reports: every diagnostic a site build would log (page front
matter, data, review findings, shortcodes, duplicate ids, rule packs), for the whole
site or the pages under given paths; pages outside the docs folder are reviewed as copy.
No click here: :mod:`.cli` prints the result and sets the exit status."""

from __future__ import annotations

import os
from pathlib import Path

from .diagnostics import Diagnostic, Severity
from .messages import msg
from .project import Page, Project, Settings, duplicate_ids
from .views.pages import prepare_file
from .views.render import Renderer


def collect(settings: Settings, paths: tuple[Path, ...] = ()) -> list[Diagnostic]:
    """Every diagnostic the site build would log, for the pages under ``paths``.

    A named page or folder outside the docs folder is checked too: its pages are
    reviewed as copy with the site's defaults. A named folder without pages is an error
    (nothing would be checked)."""
    project = Project(settings)
    renderer = Renderer(settings.language)
    pages = project.scan()
    docs = settings.docs_dir.resolve()
    wanted: list[Path] = []
    outside: list[Path] = []
    diags: list[Diagnostic] = []
    for given in paths:
        path = given.resolve()
        inside = path == docs or docs in path.parents
        found = [f for f in sorted(path.rglob("*.md")) if f.is_file()] if path.is_dir() else [path]
        if not found or (path.is_file() and path.suffix.lower() != ".md"):
            what = "folder" if path.is_dir() else "file"
            diags.append(
                Diagnostic(
                    project.relpath(path),
                    None,
                    None,
                    "check/nothing-to-check",
                    Severity.ERROR,
                    msg(f"check/nothing-to-check.{what}"),
                )
            )
            continue
        if inside:
            wanted.append(path)
        else:
            outside.extend(f for f in found if not (f == docs or docs in f.parents))
            wanted.extend(f for f in found if f == docs or docs in f.parents)
    selected = [
        page
        for page in pages
        if not paths
        or any(
            (a := (settings.docs_dir / page.src_uri).resolve()) == w or w in a.parents
            for w in wanted
        )
    ]
    for page in selected:
        prepared = prepare_file(project, renderer, page)
        diags.extend(prepared.diagnostics)
    diags.extend(
        d for d in duplicate_ids(pages) if not paths or d.file in {p.file for p in selected}
    )
    if outside:
        diags.extend(_collect_outside(settings, outside))
    data = project.data_diagnostics()
    if paths:  # the files the pages checked read (every plan's were read for the UTM check)
        read = _files_read(project, selected)
        data = [d for d in data if d.file in read]
    diags.extend(data)
    if settings.review_enabled:
        diags.extend(project.ruleset()[1])  # unknown or broken rule packs stop the build too
    unique = sorted(
        set(diags),
        key=lambda d: (d.file, d.line or 0, d.column or 0, d.rule, d.field or "", str(d.message)),
    )
    return unique


def _files_read(project: Project, pages: list[Page]) -> set[str]:
    """The data files (paths as diagnostics name them) the plans among ``pages`` read:
    their metrics and post lists (looked up once per build: the store keeps them)."""
    out: set[str] = set()
    for page in pages:
        plan = page.plan
        if plan is None:
            continue
        lists = [plan.metrics, *([plan.content.posts] if plan.content else [])]
        for sources in lists:
            found, _ = project.store.gather(sources, file=page.file, locations=page.front.locations)
            out.update(src.table.path for src in found)
    return out


def _collect_outside(settings: Settings, files: list[Path]) -> list[Diagnostic]:
    """Pages outside the docs folder: reviewed as copy (every page in review scope)."""
    import dataclasses

    review = dataclasses.replace(settings.review, all_pages=True)
    project = Project(dataclasses.replace(settings, review=review))
    renderer = Renderer(settings.language)
    project.scan()  # persona pages and plans of the site, for references
    diags: list[Diagnostic] = []
    for path in files:
        src_uri = os.path.relpath(path, settings.docs_dir.resolve()).replace(os.sep, "/")
        page = project.read_page(src_uri, path.read_text(encoding="utf-8-sig"))
        diags.extend(prepare_file(project, renderer, page).diagnostics)
    return diags
