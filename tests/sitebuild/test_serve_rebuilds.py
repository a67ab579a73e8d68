"""`mkdocs serve` rebuilds in one process (issue 12): what a data edit collects, and which
planning sections a data edit renders again."""

from __future__ import annotations

import gc
import os
import threading
import time
import weakref
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.conftest import write_site
from tests.sitebuild.test_plan_page import CSV
from tests.sitebuild.test_render_cost import (
    PLAN,
    WINTER,
    _kpi_cells,
    _serve_build,
    use_custom_templates,
)


def _end_sessions() -> None:
    from mkdocs.config.defaults import MkDocsConfig

    cache = MkDocsConfig.plugins.plugin_cache
    for plugin in cache.values():
        if hasattr(plugin, "on_shutdown"):
            plugin.on_shutdown()
    cache.clear()


@pytest.fixture(autouse=True)
def _sessions_end():
    """Each test's `mkdocs serve` session starts and ends as its process would: MkDocs
    keeps a plugin with on_startup for the process (Planbook; Material's search, which
    has no on_shutdown and whose `--dirty` session kept the last site's index entries: a
    later test's plain build of another site indexed them). Planbook's session is shut
    down, and every kept plugin let go of, before (an earlier module's build) and after."""
    _end_sessions()
    yield
    _end_sessions()


def test_serve_data_edit_collects_the_heap_once(tmp_path: Path, monkeypatch) -> None:
    """A data edit frees the old table and cube with one full collection (on_files, before
    the pages render), not a second one after the build: each walks the whole heap of
    the serving process. The first build and a page edit collect as before."""
    calls: list[int] = []
    collect = gc.collect

    def counting(*args: int) -> int:
        calls.append(args[0] if args else 2)
        return collect(*args)

    root = write_site(tmp_path, {"plans/autumn.md": PLAN}, {"ads.csv": CSV})
    monkeypatch.setattr(gc, "collect", counting)
    plugin = _serve_build(root)
    assert calls.count(2) == 1  # the first build: once, after it
    project = plugin.project
    old = next(t for t in project.store.used_tables() if t.path == "data/ads.csv")
    gone = weakref.ref(old)
    del old
    calls.clear()
    page = root / "docs/plans/autumn.md"
    page.write_text(page.read_text("utf-8") + "\nEdited.\n", "utf-8")
    _serve_build(root)
    assert calls.count(2) == 0  # a page edit: no collection

    (root / "data/ads.csv").write_text(
        CSV.replace("2026-09-01,sem,1000,50,", "2026-09-01,sem,1000,5050,"), "utf-8"
    )
    _serve_build(root)
    assert calls.count(2) == 1
    assert gone() is None  # the old table is freed all the same
    assert "5,700" in _kpi_cells(root, "plans/autumn/index.html")


def _dirty_build(root: Path):
    """A rebuild of `mkdocs serve --dirty`: same process, same site folder, not cleaned."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    cfg = load_config(str(root / "mkdocs.yml"))
    cfg.plugins.on_startup(command="serve", dirty=True)
    build(cfg, dirty=True)
    return cfg.plugins["planbook"]


def _edit(path: Path, text: str) -> None:
    """Write ``text``, dated later than any file the last build wrote (MkDocs' --dirty
    compares modification times)."""
    path.write_text(text, "utf-8")
    later = time.time() + 60
    os.utime(path, (later, later))


def test_serve_dirty_data_edit_renders_the_pages_that_show_it(tmp_path: Path) -> None:
    """`mkdocs serve --dirty` renders only pages whose source changed: a data edit changes
    no page source, yet the pages showing the data (and the portfolio listing them) must
    not keep the old numbers. Pages that do not show it are neither rendered nor written."""
    root = write_site(
        tmp_path,
        {
            "index.md": "# 首页\n\n{{ portfolio() }}\n",
            "plans/autumn.md": PLAN,
            "plans/winter.md": WINTER,
            "notes.md": "# Notes\n",
        },
        {"ads.csv": CSV, "other.csv": CSV},
    )
    plugin = _dirty_build(root)
    winter_reports = {u for u in plugin.rendered if u.startswith("plans/winter/reports/")}
    assert winter_reports and "700" in _kpi_cells(root, "plans/winter/index.html")
    autumn = root / "site/plans/autumn/index.html"
    notes = root / "site/notes/index.html"
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in (autumn, notes)}

    (root / "data/other.csv").write_text(
        CSV.replace("2026-09-01,sem,1000,50,", "2026-09-01,sem,1000,5050,"), "utf-8"
    )
    assert _dirty_build(root) is plugin
    assert set(plugin.rendered) == {"plans/winter.md", "index.md"} | winter_reports
    assert "5,700" in _kpi_cells(root, "plans/winter/index.html")  # not the old 700
    assert "5,700" not in _kpi_cells(root, "plans/autumn/index.html")
    for page, (mtime, content) in before.items():  # not written again
        assert page.stat().st_mtime_ns == mtime and page.read_bytes() == content
    # the pages MkDocs did not render are still this build's (review index, strict check)
    assert {"plans/autumn.md", "notes.md", "plans/winter.md"} <= set(plugin.prepared)

    # a page edit: that page and the portfolio that lists it
    page = root / "docs/plans/autumn.md"
    _edit(page, page.read_text("utf-8").replace("正文里的一句话。", "正文里的一句话。改过。"))
    _dirty_build(root)
    assert set(plugin.rendered) == {"plans/autumn.md", "index.md"}
    assert "改过。" in autumn.read_text("utf-8")
    assert "5,700" in _kpi_cells(root, "plans/winter/index.html")

    _dirty_build(root)  # nothing changed: only the page listing the site renders
    assert plugin.rendered == ["index.md"]


POSTS = """\
发布时间,渠道,标题,链接,状态
2026-09-02 09:00,weibo,九月第一篇,https://weibo.com/a,已发布
2026-09-08 09:00,weibo,九月第二篇,https://weibo.com/b,已发布
"""
CONTENT = (
    PLAN.replace(
        "  team:\n",
        "  content:\n"
        "    cadence:\n"
        "      - {channel: weibo, per: week, min: 2, max: 3}\n"
        "    posts: [data/posts.csv]\n"
        "  team:\n",
    )
    + '\n{{ kpi_table() }}\n\n{{ cadence_table() }}\n\n{{ content_calendar(start="2026-09") }}\n'
)


def _section(root: Path, uri: str, css: str) -> str:
    from bs4 import BeautifulSoup

    html = (root / "site" / uri).read_text("utf-8")
    found = BeautifulSoup(html, "html.parser").select_one(css)
    assert found is not None, css
    return str(found)


def test_serve_data_edit_reuses_planning_sections_drawn_from_the_same_inputs(
    tmp_path: Path, monkeypatch
) -> None:
    """A data edit evaluates the plan again and renders its page again, but the cadence
    table and the calendar (drawn from the plan, its as-of date and its posts) are reused
    while those are the same; a later date in the data (a new as-of date) or an edited
    post list renders them again."""
    from planbook.views.planning import views

    renders: list[str] = []
    render = views.render

    def counting(project, renderer, name, *args, **kwargs):
        renders.append(name)
        return render(project, renderer, name, *args, **kwargs)

    monkeypatch.setattr(views, "render", counting)
    root = write_site(tmp_path, {"plans/autumn.md": CONTENT}, {"ads.csv": CSV, "posts.csv": POSTS})
    plugin = _serve_build(root)
    uri = "plans/autumn/index.html"
    assert {"cadence_table", "content_calendar"} <= set(renders)
    calendar = _section(root, uri, ".pb-calendar")
    cadence = _section(root, uri, "div.pb-cadence")
    assert "九月第二篇" in calendar

    renders.clear()
    ads = root / "data/ads.csv"
    ads.write_text(CSV.replace("2026-09-01,sem,1000,50,", "2026-09-01,sem,1000,5050,"), "utf-8")
    _serve_build(root)
    assert "plans/autumn.md" in plugin.rendered  # the page renders again
    assert "5,700" in _kpi_cells(root, uri)  # with the new number
    assert "cadence_table" not in renders and "content_calendar" not in renders
    assert _section(root, uri, ".pb-calendar") == calendar
    assert _section(root, uri, "div.pb-cadence") == cadence

    renders.clear()  # a later day in the data: a new as-of date, judged again
    ads.write_text(ads.read_text("utf-8") + "2026-09-24,sem,1000,50,100,5,600\n", "utf-8")
    _serve_build(root)
    assert {"cadence_table", "content_calendar"} <= set(renders)
    assert _section(root, uri, "div.pb-cadence") != cadence

    renders.clear()  # the data and the post list edited together
    ads.write_text(CSV, "utf-8")
    (root / "data/posts.csv").write_text(POSTS.replace("九月第二篇", "九月改过"), "utf-8")
    _serve_build(root)
    assert "content_calendar" in renders
    assert "九月改过" in _section(root, uri, ".pb-calendar")
    assert "九月第二篇" not in _section(root, uri, ".pb-calendar")


def test_serve_planning_sections_never_reused_with_custom_templates(tmp_path: Path) -> None:
    """Custom templates see the whole evaluation: with them a data edit renders every
    section of the page again."""
    from planbook.views.planning import views

    root = write_site(tmp_path, {"plans/autumn.md": CONTENT}, {"ads.csv": CSV, "posts.csv": POSTS})
    use_custom_templates(root, {"sections/team.html": "<p>custom team</p>\n"})
    _serve_build(root)
    renders: list[str] = []
    render = views.render

    def counting(project, renderer, name, *args, **kwargs):
        renders.append(name)
        return render(project, renderer, name, *args, **kwargs)

    import pytest

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(views, "render", counting)
        (root / "data/ads.csv").write_text(
            CSV.replace("2026-09-01,sem,1000,50,", "2026-09-01,sem,1000,5050,"), "utf-8"
        )
        _serve_build(root)
    assert {"cadence_table", "content_calendar"} <= set(renders)


def test_serve_kept_pages_diagnostics_are_logged_every_build_and_worded_once(
    tmp_path: Path, monkeypatch, caplog
) -> None:
    """Every rebuild logs the site's diagnostics again (a kept page's too), but a kept
    page's diagnostics are the same objects and are worded once, not at every rebuild."""
    import logging

    import planbook.plugin as adapter

    worded: list[str] = []
    line = adapter.line

    def counting(d, language):
        worded.append(d.rule)
        return line(d, language)

    monkeypatch.setattr(adapter, "line", counting)
    broken = PLAN.replace("    - {id: p1, name: 诸葛明, city: 杭州}", "    - nobody")
    root = write_site(
        tmp_path, {"plans/autumn.md": broken, "notes.md": "# Notes\n"}, {"ads.csv": CSV}
    )
    caplog.set_level(logging.INFO, logger="mkdocs.plugins.planbook")
    _serve_build(root)
    assert "plan/unknown-persona" in worded
    first = [r.getMessage() for r in caplog.records if "plan/unknown-persona" in r.getMessage()]
    assert len(first) == 1 and "nobody" in first[0]

    worded.clear()
    caplog.clear()
    notes = root / "docs/notes.md"
    notes.write_text("# Notes\n\nEdited.\n", "utf-8")
    plugin = _serve_build(root)
    assert plugin.rendered == ["notes.md"]
    again = [r.getMessage() for r in caplog.records if "plan/unknown-persona" in r.getMessage()]
    assert again == first  # logged again, the same words
    assert "plan/unknown-persona" not in worded  # not worded again
    assert any("unknown-persona" in d.rule for d in plugin.problems)  # in the banner

    worded.clear()
    page = root / "docs/plans/autumn.md"
    page.write_text(page.read_text("utf-8") + "\nEdited.\n", "utf-8")
    _serve_build(root)  # the page evaluated again: new diagnostics, worded
    assert "plan/unknown-persona" in worded


def test_serve_forgets_removed_pages_and_data_files(tmp_path: Path) -> None:
    """A plan page and its data file removed during `mkdocs serve`: its evaluation, cube
    and parsed table are gone after the rebuild (no edit ever evicts them otherwise),
    while the other plan's and the post list's stay cached."""
    root = write_site(
        tmp_path,
        {"plans/autumn.md": CONTENT, "plans/winter.md": WINTER},
        {"ads.csv": CSV, "other.csv": CSV, "posts.csv": POSTS},
    )
    plugin = _serve_build(root)
    project = plugin.project
    store = project.store
    winter = project.evaluate(project.plans["winter"])
    autumn = project.evaluate(project.plans["autumn"])
    table = next(t for t in store.used_tables() if t.path == "data/other.csv")
    gone = [weakref.ref(x) for x in (winter, winter.data, table)]
    del winter, table
    parses = store.parse_count

    page = root / "docs/plans/autumn.md"  # a page edit: every file stays parsed
    page.write_text(page.read_text("utf-8") + "\nEdited.\n", "utf-8")
    _serve_build(root)
    assert store.parse_count == parses
    assert all(ref() is not None for ref in gone)

    (root / "docs/plans/winter.md").unlink()
    (root / "data/other.csv").unlink()
    _serve_build(root)
    assert [ref() for ref in gone] == [None, None, None]
    assert store.parse_count == parses  # ads.csv and posts.csv were not read again
    assert project.evaluate(project.plans["autumn"]).data is autumn.data
    assert "winter" not in project.plans

    (root / "data/other.csv").write_text(CSV, "utf-8")  # back: read again, not remembered
    (root / "docs/plans/winter.md").write_text(WINTER, "utf-8")
    _serve_build(root)
    assert store.parse_count == parses + 1
    assert "700" in _kpi_cells(root, "plans/winter/index.html")


def test_serve_writes_csv_downloads_behind_the_build_and_again_after_a_data_edit(
    tmp_path: Path, monkeypatch
) -> None:
    """`mkdocs serve` forks no page worker for a site this small (see
    tests/sitebuild/test_workers_site.py): a page's CSV downloads are written by one
    thread beside the build (page_workers.ExportWriter), all of them in the site when the
    build returns (the server then serves it), and no thread of it is left between builds.
    A data edit writes them again with the new figures."""
    from planbook import page_workers

    writers: list[str] = []
    write = page_workers.write_exports

    def recording(site_dir: str, dest_uri: str, exports: dict[str, str]) -> None:
        writers.append(threading.current_thread().name)
        write(site_dir, dest_uri, exports)

    monkeypatch.setattr(page_workers, "write_exports", recording)
    root = write_site(tmp_path, {"plans/autumn.md": PLAN}, {"ads.csv": CSV})
    _serve_build(root)
    goals = root / "site/plans/autumn/autumn-goals.csv"

    def clicks() -> str:
        text = goals.read_text("utf-8-sig")
        return next(r for r in text.splitlines() if r.startswith("clicks,")).split(",")[5]

    assert clicks() == "700"
    assert writers and all(name.startswith("planbook-exports") for name in writers)
    assert not [t for t in threading.enumerate() if t.name.startswith("planbook-exports")]

    (root / "data/ads.csv").write_text(
        CSV.replace("2026-09-01,sem,1000,50,", "2026-09-01,sem,1000,5050,"), "utf-8"
    )
    _serve_build(root)
    assert clicks() == "5700"
    assert not [t for t in threading.enumerate() if t.name.startswith("planbook-exports")]


def _build_with_hook(root: Path, hook: str, language: str = "zh"):
    """`mkdocs build` (no page worker: the downloads are written by the build's thread)
    of the one-plan site with ``hook`` as a MkDocs hook; its configuration."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    pages, data = {"plans/autumn.md": PLAN}, {"ads.csv": CSV}
    write_site(root, pages, data, options="workers: 1", language=language)
    (root / "hook.py").write_text(hook, "utf-8")
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as f:
        f.write("hooks: [hook.py]\n")
    cfg = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"))
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        build(cfg)
    finally:
        cfg.plugins.on_shutdown()
    return cfg


HOOK_SEES_DOWNLOADS = """\
from pathlib import Path

import mkdocs.plugins

SEEN = []


@mkdocs.plugins.event_priority(50)  # before plugins of the default priority
def on_post_build(config):
    SEEN.extend(sorted(p.name for p in Path(config.site_dir).rglob("*.csv")))
"""


def test_other_plugins_find_every_download_written_at_their_post_build(
    tmp_path: Path, monkeypatch
) -> None:
    """The downloads written behind the build (a build without page workers) are all in
    the site before any other plugin's on_post_build runs (a zip of the site, a link
    checker): Planbook waits for them first (priority 100). The writes are slowed here,
    so that a build that did not wait would be seen."""

    from planbook import page_workers

    write = page_workers.write_exports

    def slow(site_dir: str, dest_uri: str, exports: dict[str, str]) -> None:
        time.sleep(0.5)
        write(site_dir, dest_uri, exports)

    monkeypatch.setattr(page_workers, "write_exports", slow)
    cfg = _build_with_hook(tmp_path, HOOK_SEES_DOWNLOADS)
    hook = next(p for name, p in cfg.plugins.items() if name.startswith("hook"))
    assert hook.SEEN == ["autumn-budget.csv", "autumn-channels.csv", "autumn-goals.csv"]


HOOK_IN_THE_WAY = """\
from pathlib import Path


def on_files(files, config):
    # after MkDocs cleaned the site folder: a folder where a download goes
    (Path(config.site_dir) / "plans/autumn/autumn-goals.csv").mkdir(parents=True)
"""


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "zh",
            "planbook：无法写入 CSV 下载文件 {target}：Is a directory"
            "（网站目录是否可写、磁盘是否还有空间？）",
        ),
        (
            "en",
            "planbook: cannot write the CSV download {target}: Is a directory (is the site "
            "folder writable, with room left?)",
        ),
    ],
)
def test_a_download_that_cannot_be_written_stops_the_build_with_a_message(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, language: str, said: str
) -> None:
    """A CSV download the build cannot write (a folder in the way; a full disk, a
    read-only site folder) is said in the site's language, naming the file, once every
    other download is written; not a traceback."""
    from mkdocs.exceptions import Abort

    with pytest.raises(Abort):  # MkDocs logs a plugin's error and aborts
        _build_with_hook(tmp_path, HOOK_IN_THE_WAY, language)
    root = tmp_path
    target = root / "site/plans/autumn/autumn-goals.csv"
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert errors == [said.format(target=target)]
    assert (root / "site/plans/autumn/autumn-budget.csv").exists()  # the others landed
    assert not [t for t in threading.enumerate() if t.name.startswith("planbook-exports")]


class _Server:
    """What Planbook's on_serve uses of MkDocs' LiveReloadServer."""

    def __init__(self) -> None:
        self.watched: list[str] = []

    def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
        self.watched.append(path)


def test_serve_reads_a_data_file_again_as_soon_as_it_is_written(tmp_path: Path) -> None:
    """`mkdocs serve`: a data file written starts its new read at once (sources/watch.py),
    before the server's polling notices it and the rebuild reads the pages; the rebuild
    takes that table (no second parse) and shows the new figures. The watch ends with
    the session."""
    root = write_site(tmp_path, {"plans/autumn.md": PLAN}, {"ads.csv": CSV})
    plugin = _serve_build(root)
    server = _Server()
    config = SimpleNamespace(docs_dir=str(root / "docs"), watch=[])
    plugin.on_serve(server, config=config, builder=None)
    assert str(root / "data") in server.watched
    store = plugin.project.store
    parses = store.parse_count

    (root / "data/ads.csv").write_text(
        CSV.replace("2026-09-01,sem,1000,50,", "2026-09-01,sem,1000,5050,"), "utf-8"
    )
    end = time.monotonic() + 10
    while store.parse_count == parses and time.monotonic() < end:
        time.sleep(0.02)
    time.sleep(0.2)  # a second read, of a file read half-written, would come by now
    assert store.parse_count == parses + 1  # read once, before any rebuild asked
    _serve_build(root)
    assert store.parse_count == parses + 1
    assert "5,700" in _kpi_cells(root, "plans/autumn/index.html")

    watch = plugin.data_watch
    assert watch is not None
    plugin.on_shutdown()
    assert plugin.data_watch is None and watch._observer is None
