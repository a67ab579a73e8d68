"""What a build renders, imports and gives the search index (issue 12): no plotly without
a chart, number tables out of the search index and prose in it, and a `mkdocs serve`
page edit that renders only that page and the pages that list it."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import write_site
from tests.sitebuild.test_plan_page import CSV
from tests.sitebuild.test_site_features import PLAN_CN, PLAN_US

PLAN = """\
---
title: 秋季推广
plan:
  id: autumn
  owner: 营销总监
  status: review
  period: {start: 2026-09-01, end: 2026-10-31}
  metrics: [data/ads.csv]
  goals:
    - {id: clicks, statement: 点击目标陈述, kpi: clicks, baseline: 0, target: 987654, deadline: 2026-10-31}
  budget:
    total: 123457
    allocations:
      - {item: sem, amount: 61728}
      - {item: social, amount: 61729}
  team:
    - {role: 数据分析师, name: 欧阳娜娜, duties: 效果监测}
  risks:
    - {id: pr, title: "负面舆情 <script>alert(1)</script>", category: reputation, likelihood: 2, impact: 5, owner: 公关, mitigation: 舆情监测}
  personas:
    - {id: p1, name: 诸葛明, city: 杭州}
---
# 秋季推广

正文里的一句话。
"""


def test_a_build_without_charts_never_imports_plotly(tmp_path: Path) -> None:
    root = write_site(tmp_path, {"index.md": "# 首页\n", "autumn.md": PLAN}, {"ads.csv": CSV})
    script = textwrap.dedent(f"""
        import logging, sys
        logging.basicConfig(level=logging.ERROR)
        from mkdocs.commands.build import build
        from mkdocs.config import load_config
        build(load_config({str(root / "mkdocs.yml")!r}))
        print(sorted(m for m in sys.modules if m.split(".")[0] == "plotly"))
    """)
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip().splitlines()[-1] == "[]"
    page = (root / "site/autumn/index.html").read_text("utf-8")
    assert "pb-spark" in page and "plotly.min.js" not in page


def _index(root: Path, uri: str) -> list[dict]:
    docs = json.loads((root / "site/search/search_index.json").read_text("utf-8"))["docs"]
    return [d for d in docs if d["location"].startswith(uri)]


def test_search_index_has_the_prose_not_the_number_tables(build_site) -> None:
    built = build_site({"index.md": "# 首页\n", "autumn.md": PLAN}, {"ads.csv": CSV})
    assert built.error is None, built.messages
    entries = _index(built.root, "autumn/")
    text = " ".join(d["title"] + " " + d["text"] for d in entries).replace("\u200b", "")
    for words in ("正文里的一句话", "欧阳娜娜", "数据分析师", "诸葛明", "杭州", "舆情监测"):
        assert words in text  # prose sections stay searchable
    # cells of a table are separate words, and markup in a value stays text
    assert "数据分析师 欧阳娜娜 效果监测" in text
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "点击目标陈述" in text  # the goals table gives its statements, not its figures
    assert "PBSLOT" not in text and "PBHEAD" not in text
    # ... and the page has all of it, as tables, with no placeholder left
    raw = built.raw("autumn/index.html")
    assert "PBSLOT" not in raw and "PBHEAD" not in raw
    page = built.html("autumn/index.html")
    assert "点击目标陈述" in page.select_one(".pb-goals table").get_text()
    numbers = {
        cell.get_text(" ", strip=True)
        for cell in page.select(".pb-goals td.pb-num, .pb-budget td.pb-num, .pb-summary")
    }
    numbers = {n for n in numbers if len(n) >= 4 and any(c.isdigit() for c in n)}
    assert len(numbers) >= 4, numbers
    for shown in numbers:
        assert shown not in text  # goals, budget, summary: number tables are not indexed
    assert "欧阳娜娜" in page.select_one(".pb-team table").get_text()
    assert page.select_one(".pb-risks table") is not None
    assert "<script>alert(1)</script>" not in raw


PHASED = PLAN.replace(
    "  team:\n",
    """  phases:
    - name: 预热期
      start: 2026-09-01
      end: 2026-09-30
      focus: 新品曝光
      goals:
        - {id: warm, statement: 预热期点击, kpi: clicks, baseline: 0, target: 24681, owner: 欧阳娜娜}
  team:
""",
)


def test_phase_goal_figures_are_not_indexed_their_words_are(build_site) -> None:
    built = build_site(
        {"index.md": "# 首页\n", "autumn.md": PHASED + "\n{{ phases() }}\n"}, {"ads.csv": CSV}
    )
    assert built.error is None, built.messages
    entries = _index(built.root, "autumn/")
    text = " ".join(d["title"] + " " + d["text"] for d in entries).replace("\u200b", "")
    page = built.html("autumn/index.html")
    (item,) = page.select(".pb-phase-goals li[data-goal=warm]")
    figures = item.select_one("small").get_text(" ", strip=True)
    assert "24,681" in figures and "欧阳娜娜" in figures
    status = item.select_one(".pb-chip").get_text(strip=True)
    for words in ("预热期点击", "预热期", "新品曝光"):
        assert words in text  # the phase and its goal stay findable
    assert "24,681" not in text and status not in text  # figures and status are not


def test_search_sections_false_indexes_no_section(build_site) -> None:
    built = build_site(
        {"index.md": "# 首页\n", "autumn.md": PLAN},
        {"ads.csv": CSV},
        options="search_sections: false",
    )
    assert built.error is None, built.messages
    text = " ".join(d["text"] for d in _index(built.root, "autumn/")).replace("\u200b", "")
    assert "正文里的一句话" in text and "欧阳娜娜" not in text and "987,654" not in text
    assert "欧阳娜娜" in built.html("autumn/index.html").select_one(".pb-team").get_text()


def use_custom_templates(root: Path, templates: dict[str, str]) -> None:
    """Give the site's planbook plugin ``custom_templates: overrides`` holding
    ``templates`` (path in the folder -> text)."""
    for name, text in templates.items():
        path = root / "overrides" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    yml = root / "mkdocs.yml"
    yml.write_text(
        yml.read_text("utf-8").replace(
            "  - planbook", "  - planbook:\n      custom_templates: overrides"
        ),
        "utf-8",
    )


def _in_process_build(root: Path, command: str):
    """Build the site in this process as `mkdocs <command>` does; the planbook plugin."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    cfg = load_config(str(root / "mkdocs.yml"))
    cfg.plugins.on_startup(command=command, dirty=False)
    build(cfg)
    return cfg.plugins["planbook"]


def _serve_build(root: Path):
    return _in_process_build(root, "serve")


def test_serve_page_edit_renders_that_page_and_the_pages_that_list_it(tmp_path: Path) -> None:
    us = PLAN_US.replace("  currency: USD\n", "  currency: USD\n  reports: {every: week}\n")
    root = write_site(
        tmp_path,
        {
            "index.md": "# 首页\n\n{{ portfolio() }}\n",
            "plans/cn.md": PLAN_CN,
            "plans/us.md": us,
            "notes.md": "# Notes\n",
        },
        {"ads.csv": CSV},
    )
    plugin = _serve_build(root)
    first = set(plugin.rendered)
    us_reports = {u for u in first if u.startswith("plans/us/reports/")}
    cn_reports = {u for u in first if u.startswith("plans/cn/reports/")}
    assert us_reports and cn_reports
    assert {"index.md", "plans/cn.md", "plans/us.md", "notes.md"} <= first

    again = _serve_build(root)  # nothing changed: only the page listing the site renders
    assert again is plugin
    assert plugin.rendered == ["index.md"]

    page = root / "docs/plans/us.md"
    page.write_text(page.read_text("utf-8").replace("# US plan", "# US plan\n\nEdited."), "utf-8")
    _serve_build(root)
    assert set(plugin.rendered) == {"plans/us.md", "index.md"} | us_reports
    html = (root / "site/plans/us/index.html").read_text("utf-8")
    assert "Edited." in html and "PBSLOT" not in html
    # kept pages are whole: their sections were put back, not left as placeholders
    cn = (root / "site/plans/cn/index.html").read_text("utf-8")
    assert "pb-goals" in cn and "PBSLOT" not in cn and "PBHEAD" not in cn

    use_custom_templates(root, {"sections/team.html": "<p>custom team</p>\n"})
    _serve_build(root)  # new options and templates: every page renders again
    assert {"plans/cn.md", "plans/us.md", "notes.md"} <= set(plugin.rendered)

    (root / "docs/notes.md").unlink()  # a removed page leaves nothing kept behind
    _serve_build(root)
    assert "notes.md" not in plugin.kept and "plans/cn.md" in plugin.kept


def test_serve_copy_page_utm_findings_follow_an_edit_of_another_plans_budget(
    tmp_path: Path,
) -> None:
    """A copy page's UTM check reads every plan's channels and budget items: a kept copy
    page must not keep findings of the taxonomy before another page's edit."""
    copy = textwrap.dedent("""\
        ---
        title: 微博文案
        review: {channel: social, status: review}
        ---
        # 微博文案

        [购买](https://shop.example.cn/p?utm_source=kol&utm_medium=social&utm_campaign=autumn)
        """)
    root = write_site(tmp_path, {"plans/autumn.md": PLAN, "copy/weibo.md": copy}, {"ads.csv": CSV})
    plugin = _serve_build(root)
    html = (root / "site/copy/weibo/index.html").read_text("utf-8")
    assert "utm/unknown-value" in html  # 'kol' is no channel or budget item of any plan
    page = root / "docs/plans/autumn.md"
    page.write_text(
        page.read_text("utf-8").replace(
            "{item: social, amount: 61729}", "{item: kol, amount: 61729}"
        ),
        "utf-8",
    )
    _serve_build(root)
    assert "copy/weibo.md" in plugin.rendered
    html = (root / "site/copy/weibo/index.html").read_text("utf-8")
    assert "utm/unknown-value" not in html


def test_serve_calendar_page_kept_until_copy_or_posts_change(tmp_path: Path) -> None:
    """A page with a content calendar renders again when a copy page or its post list
    changes, not when another plan page is edited."""
    from tests.sitebuild.test_planning_site import CONTENT_PLAN, COPY, POSTS

    root = write_site(
        tmp_path,
        {"plans/content.md": CONTENT_PLAN, "plans/cn.md": PLAN_CN, "copy/blog.md": COPY},
        {"posts.csv": POSTS, "ads.csv": CSV},
    )
    plugin = _serve_build(root)
    assert "plans/content.md" in plugin.rendered

    cn = root / "docs/plans/cn.md"
    cn.write_text(cn.read_text("utf-8") + "\nEdited.\n", "utf-8")
    _serve_build(root)
    assert "plans/cn.md" in plugin.rendered and "plans/content.md" not in plugin.rendered

    blog = root / "docs/copy/blog.md"
    blog.write_text(blog.read_text("utf-8").replace("2026-11-01", "2026-11-02"), "utf-8")
    _serve_build(root)
    assert "plans/content.md" in plugin.rendered
    html = (root / "site/plans/content/index.html").read_text("utf-8")
    assert 'data-day="2026-11-02"' in html or "2026-11-02" in html

    _serve_build(root)
    assert "plans/content.md" not in plugin.rendered
    posts = root / "data/posts.csv"
    posts.write_text(POSTS.replace("周六", "周六改"), "utf-8")
    _serve_build(root)
    assert "plans/content.md" in plugin.rendered
    assert "周六改" in (root / "site/plans/content/index.html").read_text("utf-8")


WINTER = (
    PLAN.replace("id: autumn", "id: winter")
    .replace("title: 秋季推广", "title: 冬季推广")
    .replace("# 秋季推广", "# 冬季推广")
    .replace("data/ads.csv", "data/other.csv")
    .replace("  team:\n", "  reports: {every: week}\n  team:\n")
)


def _kpi_cells(root: Path, uri: str) -> str:
    from bs4 import BeautifulSoup

    html = (root / "site" / uri).read_text("utf-8")
    return BeautifulSoup(html, "html.parser").select_one(".pb-goals table").get_text(" ")


def test_serve_csv_edit_re_evaluates_and_renders_only_the_plans_that_read_it(
    tmp_path: Path, monkeypatch
) -> None:
    """A CSV edit reads that file again, evaluates the plans that read it, renders their
    pages and reports with the new numbers, and keeps everything else: the other file's
    table and cube, the other plan's evaluation and page, and the pages without plans.
    The old table, cube and evaluation are gone after the rebuild."""
    import weakref

    root = write_site(
        tmp_path,
        {"plans/autumn.md": PLAN, "plans/winter.md": WINTER, "notes.md": "# Notes\n"},
        {"ads.csv": CSV, "other.csv": CSV},
    )
    plugin = _serve_build(root)
    project = plugin.project
    winter_reports = {u for u in plugin.rendered if u.startswith("plans/winter/reports/")}
    assert winter_reports
    # ten days of 50 + 20 clicks
    assert "700" in _kpi_cells(root, "plans/winter/index.html")
    autumn = project.evaluate(project.plans["autumn"])
    winter = project.evaluate(project.plans["winter"])
    assert autumn.data is not winter.data  # one cube per file
    store = project.store
    old_table = next(t for t in store.used_tables() if t.path == "data/other.csv")
    gone = [weakref.ref(x) for x in (old_table, winter.data, winter)]
    del old_table, winter  # the test holds nothing of before
    evaluations, parses = project.evaluations, store.parse_count

    # already before the pages render (the old and the new cube are not both resident)
    before_pages: list[list[bool]] = []
    on_nav = type(plugin).on_nav

    def checking(self, nav, **kw):
        before_pages.append([ref() is None for ref in gone])
        return on_nav(self, nav, **kw)

    monkeypatch.setattr(type(plugin), "on_nav", checking)
    other = root / "data/other.csv"
    other.write_text(CSV.replace("2026-09-01,sem,1000,50,", "2026-09-01,sem,1000,5050,"), "utf-8")
    assert _serve_build(root) is plugin
    assert before_pages == [[True, True, True]]
    assert project.evaluations - evaluations == 1  # winter only
    assert store.parse_count - parses == 1  # other.csv only
    assert set(plugin.rendered) == {"plans/winter.md"} | winter_reports
    assert "5,700" in _kpi_cells(root, "plans/winter/index.html")  # not the old 700
    assert "5,700" not in _kpi_cells(root, "plans/autumn/index.html")
    assert project.evaluate(project.plans["autumn"]) is autumn  # cube and view kept
    assert [ref() for ref in gone] == [None, None, None]  # evicted, not just unused

    again = _serve_build(root)  # nothing changed: nothing evaluated or rendered
    assert again.rendered == [] and project.evaluations - evaluations == 1


def test_serve_csv_edit_read_by_every_plan_renders_every_plan_again(tmp_path: Path) -> None:
    """A file every plan reads: every plan page shows the edited number (no page kept
    with the numbers of before); a page that reads no data stays kept."""
    root = write_site(
        tmp_path,
        {
            "plans/autumn.md": PLAN,
            "plans/winter.md": WINTER.replace("data/other.csv", "data/ads.csv"),
            "notes.md": "# Notes\n",
        },
        {"ads.csv": CSV},
    )
    plugin = _serve_build(root)
    ads = root / "data/ads.csv"
    ads.write_text(CSV.replace("2026-09-01,sem,1000,50,", "2026-09-01,sem,1000,5050,"), "utf-8")
    _serve_build(root)
    assert {"plans/autumn.md", "plans/winter.md"} <= set(plugin.rendered)
    assert "notes.md" not in plugin.rendered
    for uri in ("plans/autumn/index.html", "plans/winter/index.html"):
        assert "5,700" in _kpi_cells(root, uri)


def test_serve_gives_memory_back_after_the_first_build_and_data_edits_only(
    tmp_path: Path, monkeypatch
) -> None:
    """`mkdocs serve`: the heap is trimmed (glibc) after the first build and after a
    build that dropped old tables, not after a page edit (which would pay a collection)."""
    from planbook.sources import memory

    trims: list[int] = []
    monkeypatch.setattr(memory, "_TRIM", trims.append)
    root = write_site(tmp_path, {"plans/autumn.md": PLAN}, {"ads.csv": CSV})
    _serve_build(root)
    first = len(trims)
    assert first >= 1 and set(trims) == {0}
    page = root / "docs/plans/autumn.md"
    page.write_text(page.read_text("utf-8") + "\nEdited.\n", "utf-8")
    _serve_build(root)
    assert len(trims) == first  # a page edit: no collection, no trim
    (root / "data/ads.csv").write_text(CSV.replace(",600\n", ",601\n", 1), "utf-8")
    _serve_build(root)
    assert len(trims) > first


def test_release_memory_without_malloc_trim(monkeypatch) -> None:
    """Where the C library has no malloc_trim (musl, macOS, Windows) only the
    collection runs; on glibc the real function is found and called."""
    from planbook import project as project_module
    from planbook.sources import memory

    monkeypatch.setattr(memory, "_TRIM", False)
    project_module.release_memory()
    monkeypatch.setattr(memory, "_TRIM", None)
    project_module.release_memory()
    if sys.platform.startswith("linux"):
        import platform

        if platform.libc_ver()[0] == "glibc":
            assert memory._TRIM


def test_late_filling_reads_the_page_from_its_first_placeholder(
    tmp_path: Path, monkeypatch
) -> None:
    """Per-page work must not grow with the site: the sections go into the finished page
    from its first placeholder on, never through the navigation before it, which lists
    every page (a 1,000-page site made that quadratic)."""
    from planbook.views import placing as pages_module

    seen: dict[str, list[int]] = {}
    real = pages_module._fill_slots

    def counting(output, prepared, searchable):
        seen.setdefault(key, []).append(len(output))
        return real(output, prepared, searchable)

    monkeypatch.setattr(pages_module, "_fill_slots", counting)
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    sizes = {}
    for key, extra in (("small", 2), ("large", 40)):
        notes = {
            f"plans/note-{i:02d}.md": f"# 笔记第 {i} 篇，一个较长的标题\n" for i in range(extra)
        }
        root = write_site(tmp_path / key, {"plans/autumn.md": PLAN, **notes}, {"ads.csv": CSV})
        build(load_config(str(root / "mkdocs.yml")))
        sizes[key] = len((root / "site/plans/autumn/index.html").read_text("utf-8"))
        html = _kpi_cells(root, "plans/autumn/index.html")
        assert "700" in html
    assert sizes["large"] > sizes["small"] + 1000  # the navigation grew with the site
    assert seen["small"] and seen["small"] == seen["large"]  # what was scanned did not


def test_a_build_lets_go_of_each_pages_sections_once_written(tmp_path: Path) -> None:
    pages = {
        "index.md": "# 首页\n",
        "autumn.md": PLAN,
        "winter.md": PLAN.replace("autumn", "winter"),
    }
    root = write_site(tmp_path, pages, {"ads.csv": CSV})
    plugin = _in_process_build(root, "build")
    kept = {uri: p for uri, p in plugin.prepared.items() if p.view is not None}
    assert len(kept) >= 2
    for prepared in kept.values():
        assert prepared.slots == {} and prepared.search == {} and prepared.exports == {}
        assert prepared.packed == {}
        assert prepared.markdown == "" and prepared.head == ""
    page = (root / "site/autumn/index.html").read_text("utf-8")
    assert "点击目标陈述" in page and "PBSLOT" not in page  # written before it went
    assert sorted(p.name for p in (root / "site/autumn").glob("*.csv"))  # exports written
    # `mkdocs serve` keeps them: an unchanged page is served from them next build
    served = _serve_build(root)
    assert all(p.slots for p in served.prepared.values() if p.view is not None)
