"""A page's outline (``pages.outline``: its Markdown with a token per section, and which
section each token is) is what ``prepare`` makes before it renders anything. `mkdocs
build` hands MkDocs the outline while the page worker renders the sections, and takes
them just before the page is written (issue 12): the outline must be ``prepare``'s to
the byte, for every page of the example site and for pages with problems, and
``fill_outline`` then ``place_words`` must leave the page's HTML exactly as
``fill(late=True)`` does, for sections rendered here or packed by the worker."""

from __future__ import annotations

import copy
from pathlib import Path

import markdown as md
import pytest

from planbook.project import Project, Settings
from planbook.views.pages import outline, prepare
from planbook.views.placing import (
    HEAD_MARK,
    SEARCHABLE,
    fill,
    fill_outline,
    place_words,
    words_ahead,
)
from planbook.views.render import Renderer

REPO = Path(__file__).resolve().parents[2]

CSV = "date,channel,impressions,clicks,spend,revenue\n2026-09-01,sem,1000,50,100,300\n"

PLAN = """\
---
title: "秋季推广 </script><b>x</b>"
plan:
  id: autumn
  status: draft
  period: {{start: 2026-09-01, end: 2026-10-31}}
  metrics: [data/ads.csv]
  goals:
    - {{id: ctr, statement: 点击率, kpi: ctr, baseline: 0.04, target: 0.06, deadline: 2026-09-30}}
  budget:
    total: 10000
    allocations:
      - {{item: sem, share: 1}}
  personas: [li-ming, nobody]
  team:
    - {{role: 分析师, name: "王芳 <i>"}}
  risks:
    - {{id: r1, title: 舆情, category: reputation, likelihood: 2, impact: 5}}
---
# 秋季推广

{body}
"""

BODIES = {
    "placed": "{{ kpi_table() }}\n\n{{ personas() }}\n\n{{ risks() }}",
    "inline": "见 {{ kpi_table() }} 与 {{ team() }} 两节。",
    "typo": "{{ kpi_tabel() }}\n\n{{ goal_chart(123) }}\n\n{{ budget_table(by=1) }}",
    "code": "```\n{{ kpi_table() }}\n```\n\n`{{ risks() }}`\n\n{{first_name}}",
    "twice": "{{ kpi_table() }}\n\n{{ kpi_table() }}\n\n{{ review_checklist() }}",
    "nothing": "只有正文。",
    "charts": '{{ goal_chart("ctr") }}\n\n{{ budget_chart() }}',
}

COPY = """\
---
review: {market: cn}
---
# 文案

全网第一的 {{ review_checklist() }} 与 {{ kpi_table() }}
"""

OUT_OF_SCOPE = "# 说明\n\n{{ review_checklist() }}\n"

PERSONA = "---\npersona: {id: li-ming, name: 李明}\n---\n# 李明\n"

PLAIN = "# 说明\n\n正文，没有短代码。\n"  # no section, no head


def _site(tmp_path: Path, **settings: object) -> Project:
    docs = tmp_path / "docs"
    (docs / "plans").mkdir(parents=True)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "ads.csv").write_text(CSV, encoding="utf-8")
    for name, body in BODIES.items():
        text = PLAN.format(body=body).replace("id: autumn", f"id: {name}")
        (docs / "plans" / f"{name}.md").write_text(text, encoding="utf-8")
    (docs / "copy.md").write_text(COPY, encoding="utf-8")
    (docs / "about.md").write_text(OUT_OF_SCOPE, encoding="utf-8")
    (docs / "li-ming.md").write_text(PERSONA, encoding="utf-8")
    (docs / "plain.md").write_text(PLAIN, encoding="utf-8")
    return Project(Settings(root=tmp_path, docs_dir=docs, **settings))  # type: ignore[arg-type]


def _pages(project: Project) -> list:
    pages = project.scan()
    assert pages
    return pages


def _same_outline(project: Project, renderer: Renderer) -> int:
    """Every page's outline, made first (the build, at each page's Markdown), against
    ``prepare`` made afterwards from the last page back, each page then let go of as the
    build and its worker do (its notes dropped from the plan's evaluation, its text
    released): what one page's preparation leaves behind changes no other's outline."""
    pages = _pages(project)
    shapes = {}
    for src in pages:
        shapes[src.src_uri] = outline(project, renderer, src, src.front.body.lstrip("\n"))
    for src in reversed(pages):
        text = src.front.body.lstrip("\n")
        prepared = prepare(project, renderer, src, text, url_for=lambda u: u)
        shape = shapes[src.src_uri]
        assert shape.markdown == prepared.markdown, src.src_uri
        assert shape.kinds == prepared.kinds, src.src_uri
        assert list(shape.kinds) == list(prepared.slots), src.src_uri
        prepared.logged()
        project.release_page(src.src_uri)
    return len(pages)


def test_the_outline_appends_what_prepare_appends(tmp_path: Path) -> None:
    """What the outline says without rendering: a plan's sections not placed are
    appended (the review checklist among them: a plan is reviewed), a page outside the
    review gets none, a placed section is not appended again, a misspelt or malformed
    shortcode gets no section."""
    project = _site(tmp_path)
    renderer = Renderer("zh")
    shapes = {
        src.src_uri: outline(project, renderer, src, src.front.body.lstrip("\n"))
        for src in _pages(project)
    }
    nothing = shapes["plans/nothing.md"]
    every = ["kpi_table", "plan_quality", "channel_table", "budget_table", "personas", "team"]
    assert [name for _, name in nothing.appended] == [*every, "risks", "review_checklist"]
    assert nothing.markdown.endswith(f"## 合规与内容审核\n\n{nothing.appended[-1][0]}\n")
    assert shapes["about.md"].appended == [] and shapes["plain.md"].kinds == {}
    placed = [name for _, name in shapes["plans/placed.md"].appended]
    assert "kpi_table" not in placed and "personas" not in placed and "team" in placed
    typo = shapes["plans/typo.md"]
    assert [c.name for c in typo.calls if c.diagnostics] == [
        "kpi_tabel",
        "goal_chart",
        "budget_table",
    ]
    assert "kpi_tabel" not in typo.kinds.values()


@pytest.mark.parametrize("auto_append", [True, False])
@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_outline_is_prepares_markdown_for_pages_with_problems(
    tmp_path: Path, auto_append: bool, language: str
) -> None:
    project = _site(tmp_path, auto_append=auto_append, language=language)
    assert _same_outline(project, Renderer(language)) == len(BODIES) + 4


def test_the_outline_is_prepares_markdown_on_the_example_site() -> None:
    from mkdocs.config import load_config

    from planbook.config import settings_from

    config = load_config(str(REPO / "mkdocs.yml"))
    plugin = config.plugins["planbook"]
    settings = settings_from(plugin.config, config)  # type: ignore[arg-type]
    project = Project(settings)
    pages = list((REPO / "content").rglob("*.md"))
    assert _same_outline(project, Renderer(settings.language)) == len(pages) > 10


def _html(markdown: str) -> str:
    return md.markdown(markdown, extensions=["toc", "tables"])


@pytest.mark.parametrize("taken", ["built-here", "from-the-worker", "packed-early"], ids=str)
@pytest.mark.parametrize("searchable", [SEARCHABLE, frozenset()], ids=["search", "no-search"])
def test_fill_outline_then_place_words_is_fill_late(
    tmp_path: Path, taken: str, searchable: frozenset[str]
) -> None:
    project = _site(tmp_path)
    renderer = Renderer("zh")
    for src in _pages(project):
        text = src.front.body.lstrip("\n")
        shape = outline(project, renderer, src, text)
        prepared = prepare(project, renderer, src, text, url_for=lambda u: u)
        html = _html(prepared.markdown)
        expected = fill(html, copy.deepcopy(prepared), late=True, searchable=searchable)
        page = copy.deepcopy(prepared)
        if taken != "built-here":  # as the worker sends it: words made
            words_ahead(page, searchable=searchable)
        if taken == "packed-early":  # taken for the review index, long before its write
            page.pack(placed=False)
        got = place_words(fill_outline(html, shape), page, searchable=searchable)
        assert got == expected, src.src_uri
        assert (HEAD_MARK in got) == bool(prepared.head), src.src_uri


def test_place_words_puts_the_words_at_every_placeholder_of_a_section(tmp_path: Path) -> None:
    """A token MkDocs' Markdown left twice (another plugin copied a paragraph) is
    replaced at both places, as fill does; a token inside a paragraph's text, beside
    a paragraph of its own, is left as fill leaves it."""
    project = _site(tmp_path)
    renderer = Renderer("zh")
    src = next(p for p in _pages(project) if p.src_uri == "plans/placed.md")
    text = src.front.body.lstrip("\n")
    shape = outline(project, renderer, src, text)
    prepared = prepare(project, renderer, src, text, url_for=lambda u: u)
    token = next(t for t, name in shape.kinds.items() if name == "personas")
    html = f"<h1>x</h1><p>{token}</p><div><p>{token}</p></div><p>see {token}</p>"
    expected = fill(html, copy.deepcopy(prepared), late=True)
    got = place_words(fill_outline(html, shape), copy.deepcopy(prepared))
    assert got == expected
    assert got.count(f"<!--{token}-->") == 2 and got.count("李明") == 2
    assert f"<p>see {token}</p>" in got
