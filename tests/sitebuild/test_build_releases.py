"""`mkdocs build` renders each page once and has no next build: what the plugin kept only
for `mkdocs serve` is not kept, and what a page no longer needs once it is written goes
(issue 12: a 1,000-plan site's memory), while the site and its messages stay the same."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from tests.conftest import write_site
from tests.sitebuild.test_release_rows_site import COPY, CSV, PLAN

# A plan with an error (an unknown persona) and a cadence, and a warning-free twin.
CADENCE = "  content:\n    cadence:\n      - {channel: wechat, per: week, min: 1}\n"
BROKEN = PLAN.format(pid="plan-a", end="2026-10-31").replace(
    "  budget:", "  personas: [nobody]\n" + CADENCE + "  budget:"
)
PAGES = {
    "index.md": "# 首页\n\n{{ portfolio() }}\n",
    "copy.md": COPY,
    "plans/a.md": BROKEN + "\n{{ content_calendar() }}\n\n{{ cadence_table() }}\n",
    "plans/b.md": PLAN.format(pid="plan-b", end="2026-10-15"),
    # rendered after the plans (MkDocs renders folder by folder): it reads their content
    "zz/summary.md": "# 汇总\n\n{{ portfolio() }}\n",
}


def _build(
    root: Path, command: str, caplog: pytest.LogCaptureFixture, kept: dict | None = None
) -> tuple[object, list[str], dict]:
    """Build the site as ``command`` does: the plugin, Planbook's logged lines, and the
    worded lines the plugin kept when the build ended (shutdown lets a session's go)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    write_site(root, PAGES, {"ads.csv": CSV})
    caplog.clear()
    caplog.set_level(logging.INFO, logger="mkdocs.plugins.planbook")
    cfg = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"))
    cfg.plugins.on_startup(command=command, dirty=False)
    plugin = cfg.plugins["planbook"]
    try:
        build(cfg)
        said = dict(plugin.said)  # type: ignore[attr-defined]
        if kept is not None:  # what shutdown lets go of
            kept["project"] = plugin.project  # type: ignore[attr-defined]
    finally:
        cfg.plugins.on_shutdown()
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("mkdocs.plugins.planbook")]
    return plugin, lines, said


def test_build_logs_every_diagnostic_but_keeps_no_worded_lines(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # (MkDocs keeps a plugin object that defines on_startup: look before the next build)
    _, logged_served, said_served = _build(tmp_path / "serve", "serve", caplog)
    assert any(s[0].rule == "plan/unknown-persona" for s in said_served.values())
    built, logged, said_built = _build(tmp_path / "build", "build", caplog)
    persona = [m for m in logged if "plan/unknown-persona" in m]
    assert len(persona) == 1 and "nobody" in persona[0]
    assert sorted(logged) == sorted(logged_served)  # the same messages either way
    assert said_built == {} and built.said_before == {}  # type: ignore[attr-defined]
    assert any(d.rule == "plan/unknown-persona" for d in built.problems)  # type: ignore[attr-defined]


def test_build_lets_go_of_a_written_pages_sections_and_their_inputs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    served, _, _ = _build(tmp_path / "serve", "serve", caplog)
    kept = served.prepared["plans/a.md"]  # type: ignore[attr-defined]
    # `mkdocs serve` keeps what the planning sections were drawn from, for its next build
    assert {kept.kinds[t] for t in kept.inputs} >= {"content_calendar", "cadence_table"}
    assert kept.slots and not kept.packed
    built, _, _ = _build(tmp_path / "build", "build", caplog)
    prepared = built.prepared  # type: ignore[attr-defined]
    assert set(prepared) >= {"index.md", "plans/a.md", "plans/b.md"}
    for p in prepared.values():
        assert (p.slots, p.packed, p.inputs, p.search, p.markdown) == ({}, {}, {}, {}, "")
        assert p.kinds == {}  # which shortcode each section was goes with the sections
    assert any(d.rule == "plan/unknown-persona" for d in prepared["plans/a.md"].diagnostics)
    # ... once they are in the written page: the section tables are there
    html = (tmp_path / "build/site/plans/a/index.html").read_text("utf-8")
    assert "PBSLOT" not in html and html.count("<table") >= 2


def test_page_meta_copies_the_front_matters_containers_and_shares_its_text() -> None:
    from planbook.frontmatter import read_front_matter, safe_meta

    front = read_front_matter(BROKEN, "docs/plans/a.md")
    meta = safe_meta(front)
    assert meta is not None and meta == {**front.data, "plan": meta["plan"]}
    plan, read = meta["plan"], front.data["plan"]
    assert plan is not read and plan["goals"] is not read["goals"]  # edits stay on the page
    assert plan["goals"][0] is not read["goals"][0]
    assert (
        plan["id"] is read["id"] and plan["goals"][0]["statement"] is read["goals"][0]["statement"]
    )
    assert str(plan["period"]["start"]) == "2026-09-01" != read["period"]["start"].__class__
    plan["goals"][0]["statement"] = "changed"
    assert read["goals"][0]["statement"] == "点击率"


def _pages_html(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): p.read_text("utf-8") for p in sorted(site.rglob("*.html"))}


def test_build_lets_go_of_a_rendered_pages_text_and_line_map(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planbook.frontmatter import ReleasedLocations
    from planbook.project import Project

    served: dict = {}
    _build(tmp_path / "serve", "serve", caplog, served)
    page = served["project"]._pages["plans/a.md"]
    assert not page.front.released and "content_calendar" in page.front.body
    assert page.front.data["plan"]["id"] == "plan-a"  # serve keeps the plan's mapping
    assert not isinstance(page.front.locations, ReleasedLocations)

    with monkeypatch.context() as m:  # the same build keeping everything: the reference
        m.setattr(Project, "release_page", lambda self, src_uri: None)
        _, logged_kept, _ = _build(tmp_path / "kept", "build", caplog)
    found: dict = {}
    built, logged, _ = _build(tmp_path / "build", "build", caplog, found)
    assert logged == logged_kept
    html_built = _pages_html(tmp_path / "build/site")
    assert len(html_built) >= 3 and html_built == _pages_html(tmp_path / "kept/site")
    project = found["project"]
    for uri in ("index.md", "plans/a.md", "plans/b.md"):
        front = project._pages[uri].front
        assert front.released and front.body == "" and uri not in project._read
        assert "plan" not in front.data  # the model stays (below); page.meta has its copy
        assert isinstance(front.locations, ReleasedLocations)
    # the plans, their evaluations and diagnostics stay for index pages and on_post_build
    assert project.plans["plan-b"].plan.id == "plan-b"
    assert any(d.rule == "plan/unknown-persona" for d in built.problems)  # type: ignore[attr-defined]
    assert len([m for m in logged if "plan/unknown-persona" in m]) == 1

    # A later page asking for a line of a released one gets it from the file again ...
    released = project._pages["plans/a.md"].front.locations
    fresh = project._pages["plans/a.md"]
    from planbook.frontmatter import read_front_matter

    text = (tmp_path / "build/docs/plans/a.md").read_text("utf-8")
    expected = read_front_matter(text, fresh.file).locations
    assert released.line(("plan", "personas")) == expected.line(("plan", "personas")) > 1
    assert released.sub(("plan",)).lines == expected.sub(("plan",)).lines
    # ... and a second build in the same process reads the page again, not the released one
    _build(tmp_path / "build", "build", caplog, found)
    assert _pages_html(tmp_path / "build/site") == html_built
    assert found["project"]._pages["plans/a.md"] is not fresh


def test_a_released_line_map_of_a_changed_file_falls_back_to_the_default(tmp_path: Path) -> None:
    from planbook.project import Project, Settings

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "p.md").write_text("---\ntitle: T\nplan:\n  id: x\n---\n# T\n", encoding="utf-8")
    project = Project(Settings(root=tmp_path, docs_dir=docs))
    page = project.read_page("p.md", (docs / "p.md").read_text("utf-8"))
    assert page.front.locations.line(("plan", "id")) == 4
    project.release_page("p.md")
    (docs / "p.md").write_text("---\n\n\ntitle: T\nplan:\n  id: x\n---\n", encoding="utf-8")
    assert page.front.locations.line(("plan", "id")) == page.front.locations.default
    assert page.front.body == ""
    # read again (a next build): parsed anew, with the file's new lines
    again = project.read_page("p.md", (docs / "p.md").read_text("utf-8"))
    assert again is not page and again.front.locations.line(("plan", "id")) == 6


def test_build_lets_go_of_a_plans_content_items_after_its_page(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planbook.project import PAGE_MEMOS, Project
    from planbook.views.planning import views as planning

    made: list[str] = []
    plan_items = planning.plan_items

    def counted(project, view):  # type: ignore[no-untyped-def]
        key = ("content-items", view.page.src_uri, view.page.digest)
        if key not in project.memo:
            made.append(view.page.src_uri)
        return plan_items(project, view)

    monkeypatch.setattr(planning, "plan_items", counted)
    served: dict = {}
    _build(tmp_path / "serve", "serve", caplog, served)
    assert ("content-items", "plans/a.md") in {k[:2] for k in served["project"].memo}
    assert made.count("plans/a.md") == 1  # one making per build, every reader shares it

    with monkeypatch.context() as m:  # the same build keeping everything: the reference
        m.setattr(Project, "release_page", lambda self, src_uri: None)
        _, logged_kept, _ = _build(tmp_path / "kept", "build", caplog)
    made.clear()
    left: dict[str, list] = {}
    release_page = Project.release_page

    def release(self: Project, src_uri: str) -> None:
        release_page(self, src_uri)
        left[src_uri] = [k for k in self.memo if k[0] in PAGE_MEMOS and k[1] == src_uri]

    monkeypatch.setattr(Project, "release_page", release)
    _, logged, _ = _build(tmp_path / "build", "build", caplog)
    assert "content-items" in PAGE_MEMOS
    assert left["plans/a.md"] == [] and left["plans/b.md"] == []  # gone with the page
    # the summary after the plans made plan a's items again: the same portfolio
    assert made.count("plans/a.md") == 2
    html = _pages_html(tmp_path / "build/site")
    assert html == _pages_html(tmp_path / "kept/site") and logged == logged_kept
    summary = html["zz/summary/index.html"]
    assert summary.count("plan-a") >= 1 and summary.count("plan-b") >= 1


def test_build_lets_go_of_a_pages_notes_once_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from planbook.diagnostics import Severity
    from planbook.project import Project
    from planbook.views.pages import Prepared

    served, logged_served, _ = _build(tmp_path / "serve", "serve", caplog)
    kept = served.prepared["plans/a.md"]  # type: ignore[attr-defined]
    notes = [d for d in kept.diagnostics if d.severity is Severity.INFO]
    assert any(d.rule.startswith("smart/") for d in notes)  # plan-quality findings
    assert any(d.severity is Severity.INFO for d in kept.view.quality)

    with monkeypatch.context() as m:  # the same build keeping everything: the reference
        m.setattr(Project, "release_page", lambda self, src_uri: None)
        m.setattr(Prepared, "logged", lambda self: None)
        _, logged_kept, _ = _build(tmp_path / "kept", "build", caplog)
    built, logged, _ = _build(tmp_path / "build", "build", caplog)
    assert logged == logged_kept and sorted(logged) == sorted(logged_served)
    assert any(r.levelno == logging.INFO and "smart/" in r.getMessage() for r in caplog.records)
    html = _pages_html(tmp_path / "build/site")
    assert html == _pages_html(tmp_path / "kept/site")
    assert "smart/vague-statement" in html["plans/a/index.html"]  # the page shows them
    prepared = built.prepared["plans/a.md"]  # type: ignore[attr-defined]
    assert all(d.severity is not Severity.INFO for d in prepared.diagnostics)
    assert all(d.severity is not Severity.INFO for d in prepared.view.quality)
    assert any(d.rule == "plan/unknown-persona" for d in prepared.diagnostics)  # errors stay

    # Built twice by one plugin without a shutdown between (a script): the second build
    # evaluates the plans again and shows their notes again
    cfg = load_config(str(tmp_path / "build/mkdocs.yml"), site_dir=str(tmp_path / "again"))
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        build(cfg)
        first = _pages_html(tmp_path / "again")
        build(cfg)
    finally:
        cfg.plugins.on_shutdown()
    assert _pages_html(tmp_path / "again") == first == html
