"""`mkdocs build` with a page worker (option ``workers``, planbook/workers.py) makes the
same site, byte for byte, and logs the same lines as a build without one, whatever
happens to the worker, and so does each `mkdocs serve` rebuild that renders many pages;
pages whose Markdown another plugin changed, a `mkdocs serve` page edit and ``workers: 1``
do not use one."""

from __future__ import annotations

import filecmp
import logging
import os
import threading
import time
from pathlib import Path

import pytest

from planbook import page_workers
from planbook import plugin as plugin_module
from tests.conftest import write_site
from tests.sitebuild.test_build_releases import PAGES
from tests.sitebuild.test_release_rows_site import CSV, PLAN

SITE = {
    **PAGES,
    "plans/c.md": PLAN.format(pid="plan-c", end="2026-10-20") + "\n{{ charts() }}\n",
    "plans/d.md": PLAN.format(pid="plan-d", end="2026-10-31").replace("# plan-d", "# <b>&</b>"),
}

HOOK = """\
import time

from mkdocs.plugins import event_priority


@event_priority(100)  # before Planbook
def on_page_markdown(markdown, page, **kwargs):
    if page.file.src_uri == "copy.md":
        if CHURN:  # memory taken and given back, as a page's large strings are
            import mmap

            for _ in range(48):
                block = mmap.mmap(-1, 4 << 20)
                for at in range(0, 4 << 20, 4096):
                    block[at] = 1
                block.close()
        # the second page: the worker (forked at the first) gets ahead of the build
        time.sleep(0.8)
    if page.file.src_uri == "plans/b.md" and CHANGE:
        return markdown + "\\n\\nHOOKED {{ kpi_table() }}\\n"
    return None


def on_page_context(context, page, **kwargs):  # after Planbook's (priority 50)
    if page.file.src_uri == SLOW_AT:  # the build's time for a worker to get ahead again
        time.sleep(0.8)
    return context
"""


@pytest.fixture(autouse=True)
def _no_memory_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker's memory limit depends on this test process's memory (earlier tests'
    peak): off here, so that what the worker reaches depends on the pages only (the
    limit is tested in tests/unit/test_workers.py)."""
    monkeypatch.setattr(page_workers, "memory_limit", lambda now: None)


def _build(
    root: Path,
    caplog: pytest.LogCaptureFixture,
    *,
    workers: int | str,
    level: int = logging.INFO,
    command: str = "build",
    change: bool = False,
    churn: bool = False,
    slow_at: str = "",
) -> tuple[dict, list[tuple[int, str]]]:
    """Build ``SITE``: the plugin's worker figures and Planbook's logged lines."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    write_site(root, SITE, {"ads.csv": CSV}, options=f"workers: {workers}")
    head = f"CHANGE = {change}\nCHURN = {churn}\nSLOW_AT = {slow_at!r}\n"
    (root / "hook.py").write_text(head + HOOK, encoding="utf-8")
    with (root / "mkdocs.yml").open("a", encoding="utf-8") as f:
        f.write("hooks: [hook.py]\n")
    caplog.clear()
    caplog.set_level(level, logger="mkdocs.plugins.planbook")
    cfg = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"))
    cfg.plugins.on_startup(command=command, dirty=False)
    plugin = cfg.plugins["planbook"]
    try:
        build(cfg)
    finally:
        cfg.plugins.on_shutdown()
    lines = [
        (r.levelno, r.getMessage())
        for r in caplog.records
        if r.name.startswith("mkdocs.plugins.planbook")
    ]
    return dict(plugin.worker_figures), lines  # type: ignore[attr-defined]


def _same_tree(a: Path, b: Path) -> None:
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert files_a == files_b
    _, differ, errors = filecmp.cmpfiles(a, b, files_a, shallow=False)
    assert differ == [] and errors == []


@pytest.fixture
def serial(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> tuple[Path, list]:
    figures, lines = _build(tmp_path / "serial", caplog, workers=1)
    assert figures == {}  # no worker
    assert any("plan/unknown-persona" in m for _, m in lines)  # the site has diagnostics
    return tmp_path / "serial" / "site", lines


def test_a_worker_builds_the_same_site_and_logs_the_same_lines(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    serial: tuple[Path, list],
) -> None:
    parent, real = os.getpid(), page_workers.write_exports
    by_the_build: list[str] = []

    def write_exports(site_dir: str, dest_uri: str, exports: dict) -> None:
        if os.getpid() == parent:
            by_the_build.append(dest_uri)
        real(site_dir, dest_uri, exports)

    monkeypatch.setattr(page_workers, "write_exports", write_exports)
    figures, lines = _build(tmp_path / "two", caplog, workers=2)
    assert figures["pages"] == 4 + 4  # the plan pages and their reports
    # ahead of the build (see HOOK), it prepared every one
    assert figures["done"] and figures["taken"] == figures["pages"]
    # and wrote their CSV downloads itself (the build wrote none)
    downloads = sorted(p.name for p in (tmp_path / "two" / "site").rglob("*.csv"))
    assert len(downloads) >= 4 and by_the_build == []
    assert figures["kb"] is not None and figures["kb"] > 0  # its memory, for the bench
    _same_tree(serial[0], tmp_path / "two" / "site")
    assert sorted(lines) == sorted(serial[1])


def test_memory_the_build_gives_back_does_not_stop_the_worker(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    serial: tuple[Path, list],
) -> None:
    """With a limit of the build's memory at the fork and 128 MB, the build takes and
    gives back 192 MB while the worker prepares (HOOK; the worker takes 0.08 s a page
    here): the worker prepares every page. Its estimate, when it was both processes'
    page faults since the fork, stopped it (on the 200-plan bench site after 50 of 200
    pages; issue 12). (The room is for a test process that ran many tests before: its
    worker copies more of a heap that earlier tests left in pieces.)"""
    import time

    parent, real = os.getpid(), page_workers.prepare

    def prepare(project, renderer, src, *args, **kwargs):  # type: ignore[no-untyped-def]
        if os.getpid() != parent:  # in the worker: still at work while the build churns
            time.sleep(0.08)
        return real(project, renderer, src, *args, **kwargs)

    monkeypatch.setattr(page_workers, "prepare", prepare)
    monkeypatch.setattr(page_workers, "memory_limit", lambda now: now["VmRSS"] + 128 * 1024)
    figures, lines = _build(tmp_path / "churn", caplog, workers=2, churn=True)
    assert figures["done"] and not figures["full"], figures
    assert figures["taken"] == figures["pages"] == 8
    _same_tree(serial[0], tmp_path / "churn" / "site")
    assert sorted(lines) == sorted(serial[1])


def test_a_worker_at_its_memory_limit_is_followed_by_another(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    serial: tuple[Path, list],
) -> None:
    """A worker stops at its memory limit (its copies of what it and the build touched
    since the fork grow page by page); a new one, which holds none of them, takes the
    pages left (page_workers.PageWorkers._follow) but the next one (page_workers.LEAD
    here), which the build prepares while the new worker starts. Each worker finds
    itself full after three pages: the first prepares the plan pages a-c; the build
    prepares plan d (where it found the first one stopped) and the first report; the
    second worker the other three reports (the build is held at plan d's page for it:
    in a test process many tests have grown, a fork takes longer and the build would
    catch up with it). The same site, the same lines."""
    from planbook import workers

    monkeypatch.setattr(page_workers, "memory_limit", lambda now: now["VmRSS"] + (1 << 30))
    monkeypatch.setattr(page_workers, "MIN_FOLLOW", 2)
    monkeypatch.setattr(page_workers, "LEAD", 1)
    checks = [0]

    def full(self: object) -> bool:  # before each page, in each worker (a copy each)
        checks[0] += 1
        return checks[0] > 3

    monkeypatch.setattr(workers._Memory, "full", full)
    figures, lines = _build(tmp_path / "chain", caplog, workers=2, slow_at="plans/d.md")
    assert figures["workers"] == 2 and figures["done"] and not figures["full"], figures
    assert figures["pages"] == 8 and figures["taken"] == 3 + 3, figures
    _same_tree(serial[0], tmp_path / "chain" / "site")
    assert sorted(lines) == sorted(serial[1])


REVIEW_FIRST = """\
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files


@event_priority(-100)  # after Planbook's on_files, which adds the review index
def on_files(files, config):
    return Files(sorted(files, key=lambda f: f.src_uri != "review.md"))


def on_post_page(output, page, config):
    from pathlib import Path

    with (Path(config.config_file_path).parent / "written.txt").open("a") as f:
        f.write(page.file.src_uri + "\\n")
"""


def test_a_review_index_written_first_lists_the_pages_the_worker_prepares(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The review index (option ``review_page``) lists every page's review when MkDocs
    writes it. Planbook adds it after the other pages; here another plugin puts it first,
    so it is written before any page the worker prepares has been handed over: the build
    takes them all then (plugin._complete), and the index is the serial build's."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    def built(name: str, workers: int) -> dict:
        root = tmp_path / name
        options = f"workers: {workers}\nreview_page: review.md"
        write_site(root, SITE, {"ads.csv": CSV}, options=options)
        (root / "hook.py").write_text(REVIEW_FIRST, encoding="utf-8")
        with (root / "mkdocs.yml").open("a", encoding="utf-8") as f:
            f.write("hooks: [hook.py]\n")
        cfg = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"))
        cfg.plugins.on_startup(command="build", dirty=False)
        plugin = cfg.plugins["planbook"]
        try:
            build(cfg)
        finally:
            cfg.plugins.on_shutdown()
        return dict(plugin.worker_figures)  # type: ignore[attr-defined]

    assert built("serial", 1) == {}
    figures = built("two", 2)
    assert figures["taken"] > 0, figures
    index = (tmp_path / "two" / "site" / "review" / "index.html").read_text("utf-8")
    written = (tmp_path / "two" / "written.txt").read_text("utf-8").split()
    assert written[0] == "review.md" and "plans/a.md" in written  # written first
    for plan in ("plans/a/", "plans/b/", "plans/c/", "plans/d/"):
        assert f'href="../{plan}"' in index, plan
    _same_tree(tmp_path / "serial" / "site", tmp_path / "two" / "site")


def test_the_build_keeps_few_charts_only_while_a_worker_runs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While workers prepare the pages, the build's chart stores keep as few charts as the
    workers' (their memory counts against the workers' limit); each store's own bound
    holds at the start of every build and again at its end."""
    from planbook.views.charts import common

    bounds: list[int | None] = []
    real = common.keep_at_most
    parent = os.getpid()

    def keep_at_most(most: int | None) -> None:
        if os.getpid() == parent:
            bounds.append(most)
        real(most)

    monkeypatch.setattr(common, "keep_at_most", keep_at_most)
    _build(tmp_path / "two", caplog, workers=2)
    assert bounds == [None, page_workers.WORKER_CHARTS, None]
    assert common._AT_MOST is None
    bounds.clear()
    _build(tmp_path / "one", caplog, workers=1)
    assert bounds == [None, None]


def test_charts_the_worker_does_not_keep_are_drawn_alike(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    serial: tuple[Path, list],
) -> None:
    """The worker keeps few charts (page_workers.WORKER_CHARTS); with none kept, each is drawn
    again from the same inputs: the same site."""
    monkeypatch.setattr(page_workers, "WORKER_CHARTS", 0)
    figures, lines = _build(tmp_path / "nocharts", caplog, workers=2)
    assert figures["done"] and figures["taken"] == figures["pages"]
    _same_tree(serial[0], tmp_path / "nocharts" / "site")
    assert sorted(lines) == sorted(serial[1])


@pytest.mark.parametrize("how", ["raise", "exit", "hang"])
def test_a_failing_worker_leaves_the_same_site(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    serial: tuple[Path, list],
    how: str,
) -> None:
    parent, real = os.getpid(), page_workers.prepare
    calls: list[str] = []

    def prepare(project, renderer, src, *args, **kwargs):  # type: ignore[no-untyped-def]
        if os.getpid() != parent and src.src_uri == "plans/b.md":  # in the worker
            if how == "raise":
                raise RuntimeError("worker broke")
            if how == "exit":
                os._exit(3)
            import time

            time.sleep(60)  # hung: the parent waits WAIT_SECONDS, then kills it
        calls.append(src.src_uri)
        return real(project, renderer, src, *args, **kwargs)

    writers: list[str] = []
    real_write = page_workers.write_exports

    def write_exports(site_dir: str, dest_uri: str, exports: dict) -> None:
        if os.getpid() == parent:
            writers.append(threading.current_thread().name)
        real_write(site_dir, dest_uri, exports)

    monkeypatch.setattr(page_workers, "prepare", prepare)
    monkeypatch.setattr(page_workers, "write_exports", write_exports)
    monkeypatch.setattr("planbook.workers.WAIT_SECONDS", 1.0)
    figures, lines = _build(tmp_path / "broken", caplog, workers=2)
    # the worker (from the first plan page on) got to plans/b.md and ended there: the
    # build prepared that page and those the worker had not finished
    assert "plans/b.md" in calls
    # and wrote their downloads itself, on its own thread: a build that forks workers
    # starts no thread of ours (page_workers.ExportWriter)
    assert writers and set(writers) == {threading.main_thread().name}
    assert not figures["done"] and 0 < figures["taken"] < figures["pages"]
    _same_tree(serial[0], tmp_path / "broken" / "site")
    assert sorted(lines) == sorted(serial[1])


def test_a_page_another_plugin_changed_is_prepared_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    parent, real = os.getpid(), page_workers.prepare
    here: list[str] = []

    def prepare(project, renderer, src, *args, **kwargs):  # type: ignore[no-untyped-def]
        if os.getpid() == parent:
            here.append(src.src_uri)
        return real(project, renderer, src, *args, **kwargs)

    monkeypatch.setattr(page_workers, "prepare", prepare)
    _build(tmp_path / "serial", caplog, workers=1, change=True)
    here.clear()
    figures, _ = _build(tmp_path / "two", caplog, workers=2, change=True)
    # the worker prepared every plan and report page (it was ahead, and done), but
    # plans/b.md from Markdown without the hook's change: the build prepared it itself
    assert figures["done"] and "plans/b.md" in here
    assert figures["taken"] == figures["pages"] - 1
    page = (tmp_path / "two" / "site" / "plans" / "b" / "index.html").read_text("utf-8")
    assert "HOOKED" in page and "pb-kpi" in page.split("HOOKED", 1)[1]
    assert figures["taken"] > 0
    _same_tree(tmp_path / "serial" / "site", tmp_path / "two" / "site")


class _ServeSession:
    """``SITE`` under ``root`` (the hook lets a worker get ahead), rebuilt as one `mkdocs
    serve` session does: MkDocs keeps the plugins that have ``on_startup`` for the
    session (its plugin cache, held here so that two sessions can take turns).
    ``dirty``: `mkdocs serve --dirty`, whose rebuilds render only the pages whose source
    is newer than their built file (Planbook dates back those that show what changed)."""

    def __init__(
        self, root: Path, caplog: pytest.LogCaptureFixture, *, workers: int, dirty: bool
    ) -> None:
        write_site(root, SITE, {"ads.csv": CSV}, options=f"workers: {workers}")
        (root / "hook.py").write_text("CHANGE = CHURN = False\nSLOW_AT = ''\n" + HOOK, "utf-8")
        with (root / "mkdocs.yml").open("a", encoding="utf-8") as f:
            f.write("hooks: [hook.py]\n")
        self.root, self.caplog, self.dirty = root, caplog, dirty
        self.plugins: dict[str, object] = {}

    def rebuild(self) -> tuple[dict, list[tuple[int, str]]]:
        """A rebuild: the worker figures and Planbook's lines (sorted)."""
        from mkdocs.commands.build import build
        from mkdocs.config import load_config
        from mkdocs.config.defaults import MkDocsConfig

        cache = MkDocsConfig.plugins.plugin_cache
        cache.clear()
        cache.update(self.plugins)
        self.caplog.clear()
        self.caplog.set_level(logging.INFO, logger="mkdocs.plugins.planbook")
        cfg = load_config(str(self.root / "mkdocs.yml"), site_dir=str(self.root / "site"))
        if not self.plugins:
            cfg.plugins.on_startup(command="serve", dirty=self.dirty)
        self.plugins = dict(cache)
        cache.clear()
        plugin = cfg.plugins["planbook"]
        build(cfg, dirty=self.dirty)
        lines = [
            (r.levelno, r.getMessage())
            for r in self.caplog.records
            if r.name.startswith("mkdocs.plugins.planbook")
        ]
        return dict(plugin.worker_figures), sorted(lines)  # type: ignore[attr-defined]

    def end(self) -> None:
        for plugin in self.plugins.values():
            if hasattr(plugin, "on_shutdown"):
                plugin.on_shutdown()


@pytest.mark.parametrize("dirty", [False, True], ids=["serve", "serve-dirty"])
def test_serve_rebuilds_with_a_worker_make_the_same_site(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, dirty: bool
) -> None:
    """`mkdocs serve` forks a page worker for a rebuild that renders many pages again (its
    first build, a data edit), not for a page edit, and every rebuild leaves the same
    site, byte for byte, and the same lines as a session without one. That includes the
    banner of the site's problems on every page: a page written before the worker's
    pages said theirs (the problem of plans/a.md) gets it again at the build's end.
    What the worker prepared is kept for the next rebuild, downloads included."""
    from bs4 import BeautifulSoup

    alone = _ServeSession(tmp_path / "alone", caplog, workers=1, dirty=dirty)
    ahead = _ServeSession(tmp_path / "ahead", caplog, workers=2, dirty=dirty)

    def step(*, fork: bool) -> None:
        figures, lines = alone.rebuild()
        assert figures == {}
        figures, same_lines = ahead.rebuild()
        if fork:
            assert figures["taken"] > 0 and figures["workers"] >= 1
        else:
            assert figures == {"skipped": True}
        assert same_lines == lines
        _same_tree(alone.root / "site", ahead.root / "site")

    try:
        step(fork=True)  # the first build
        site = ahead.root / "site"
        for uri in ("index.html", "copy/index.html", "plans/b/index.html"):
            html = (site / uri).read_text("utf-8")
            banner = BeautifulSoup(html, "html.parser").select_one(".pb-serve-banner")
            assert banner is not None and "plan/unknown-persona" in banner.get_text(" "), uri
        assert (site / "plans/b/plan-b-goals.csv").is_file()

        for session in (alone, ahead):  # a data edit: every plan page and report again
            ads = session.root / "data/ads.csv"
            text = ads.read_text("utf-8")
            assert ",north,100,1," in text
            ads.write_text(text.replace(",north,100,1,", ",north,100,901,"), "utf-8")
        step(fork=True)

        for session in (alone, ahead):  # a page edit: that page and its report, here
            b = session.root / "docs/plans/b.md"
            b.write_text(b.read_text("utf-8") + "\nEdited.\n", "utf-8")
            later = time.time() + 60  # newer than its built file (--dirty)
            os.utime(b, (later, later))
        step(fork=False)
        # a page the worker prepared, kept from the last rebuild: its downloads again
        assert (site / "plans/a/plan-a-goals.csv").is_file()

        # a copy page's date: plans/a.md (prepared by the worker two rebuilds ago, its
        # text and evaluation unchanged) shows it in its calendar, and is rendered again
        calendar = (site / "plans/a/index.html").read_text("utf-8")
        for session in (alone, ahead):
            copy = session.root / "docs/copy.md"
            text = copy.read_text("utf-8")
            assert "date: 2026-09-10" in text
            copy.write_text(text.replace("date: 2026-09-10", "date: 2026-10-14"), "utf-8")
            later = time.time() + 120
            os.utime(copy, (later, later))
        step(fork=False)
        assert (site / "plans/a/index.html").read_text("utf-8") != calendar
    finally:
        alone.end()
        ahead.end()


def test_serve_forks_no_worker_where_that_is_not_verified(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Off Linux (``SERVE_FORKS``) a `mkdocs serve` rebuild prepares every page itself,
    `mkdocs build` still forks."""
    forks: list[int] = []
    fork = os.fork

    def counted() -> int:
        forks.append(1)
        return fork()

    monkeypatch.setattr(plugin_module, "SERVE_FORKS", False)
    monkeypatch.setattr(os, "fork", counted)
    session = _ServeSession(tmp_path / "serve", caplog, workers=2, dirty=False)
    try:
        figures, _ = session.rebuild()
    finally:
        session.end()
    assert forks == [] and figures == {}
    assert (tmp_path / "serve/site/plans/b/plan-b-goals.csv").is_file()
    figures, _ = _build(tmp_path / "build", caplog, workers=2)
    assert forks and figures["taken"] > 0


@pytest.mark.parametrize(("command", "workers"), [("build", 1), ("build", "auto")])
def test_no_worker_is_forked_without_reason(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    workers: int | str,
) -> None:
    forks: list[int] = []

    def fork() -> int:
        forks.append(1)
        raise OSError("no fork in this test")

    monkeypatch.setattr(os, "fork", fork)
    # `workers: 1`; auto with fewer than 20 plans (`mkdocs serve`: see above)
    figures, _ = _build(tmp_path / "site", caplog, workers=workers, command=command)
    assert forks == [] and figures == {}


@pytest.mark.parametrize("room", [False, True])
def test_auto_forks_only_with_room_for_the_pages(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    serial: tuple[Path, list],
    room: bool,
) -> None:
    """``workers: auto`` on a site it would give a worker (20 plans or more, 2 CPUs: as if
    here) forks only when the memory below the limit can carry a quarter of the pages
    (workers.worth_starting); the site is the same either way."""
    from planbook import workers

    forks: list[int] = []
    real = os.fork

    def fork() -> int:
        forks.append(1)
        return real()

    parent, real_write = os.getpid(), page_workers.write_exports
    writers: list[str] = []

    def write_exports(site_dir: str, dest_uri: str, exports: dict) -> None:
        if os.getpid() == parent:
            writers.append(threading.current_thread().name)
        real_write(site_dir, dest_uri, exports)

    monkeypatch.setattr(os, "fork", fork)
    monkeypatch.setattr(page_workers, "write_exports", write_exports)
    monkeypatch.setattr(plugin_module.PlanbookPlugin, "_workers", lambda self: 2)
    monkeypatch.setattr(workers, "memory_limit", lambda now: now["VmRSS"] + workers.FLOOR_KB)
    if not room:  # the child's start alone would fill the floor
        monkeypatch.setattr(workers, "START_KB", workers.FLOOR_KB + 1)
    figures, lines = _build(tmp_path / "auto", caplog, workers="auto")
    if room:
        assert forks == [1] and figures["taken"] == figures["pages"] == 8
        assert writers == []  # the worker wrote every page's downloads
    else:
        assert forks == [] and figures == {"skipped": True}
        # no worker: the build's downloads are written by its thread (ExportWriter)
        assert len(writers) >= 4 and {w.split("_")[0] for w in writers} == {"planbook-exports"}
    _same_tree(serial[0], tmp_path / "auto" / "site")
    assert sorted(lines) == sorted(serial[1])


def test_a_failed_fork_builds_serially(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    serial: tuple[Path, list],
) -> None:
    def fork() -> int:
        raise OSError("out of processes")

    monkeypatch.setattr(os, "fork", fork)
    figures, lines = _build(tmp_path / "nofork", caplog, workers=2)
    assert figures == {}
    _same_tree(serial[0], tmp_path / "nofork" / "site")
    assert sorted(lines) == sorted(serial[1])


@pytest.mark.parametrize("value", [0, 65, "many", 1.5, True])
def test_the_workers_option_is_auto_or_a_whole_number(build_site, value: object) -> None:
    built = build_site({"index.md": "# x\n"}, options=f"workers: {value!r}".replace("'", ""))
    assert built.error is not None
    assert any("workers" in m for m in built.messages)


def test_an_unreadable_result_is_said_with_mkdocs_verbose(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    serial: tuple[Path, list],
) -> None:
    """A result the build cannot read stops the worker and the build prepares the rest
    (the same site), and `mkdocs build -v` says so: when charts' markup and the
    worker's pickled results first met, every result was unreadable and nothing said it."""
    monkeypatch.setattr(page_workers, "decode", lambda payload: None)
    figures, lines = _build(tmp_path / "garbled", caplog, workers=2, level=logging.DEBUG)
    _same_tree(serial[0], tmp_path / "garbled" / "site")
    assert figures["taken"] == 0
    debug = [m for level, m in lines if level == logging.DEBUG]
    assert any("could not be read" in m for m in debug), debug
    assert any(m.startswith("planbook: page worker prepared 0 of 8 pages") for m in debug), debug
    # the same warnings and errors as the build alone
    assert sorted(x for x in lines if x[0] > logging.DEBUG) == sorted(serial[1])


def test_notes_are_worded_by_the_worker_or_dropped_when_nobody_logs_them(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, serial: tuple[Path, list]
) -> None:
    """The worker words its pages' notes (``INFO``: plan-quality findings, ~20 a plan
    page) as the build would log them, in their place among the page's other lines; with
    notes not logged (`mkdocs build -q`) it leaves them out. Either way the build logs
    what it logs alone, and the site is the same."""
    import re

    figures, lines = _build(tmp_path / "info", caplog, workers=2)
    assert figures["taken"] == figures["pages"]
    notes = [m for level, m in lines if level == logging.INFO]
    assert any("smart/" in m for m in notes)  # the plans' findings, worded by the worker
    assert sorted(lines) == sorted(serial[1])
    # a page's lines in the order the build alone logs them (pages may interleave)
    page = re.compile(r"docs/plans/a\.md")
    assert [x for x in lines if page.search(x[1])] == [x for x in serial[1] if page.search(x[1])]
    _, quiet_serial = _build(tmp_path / "q1", caplog, workers=1, level=logging.WARNING)
    figures, quiet = _build(tmp_path / "q2", caplog, workers=2, level=logging.WARNING)
    assert figures["taken"] == figures["pages"]
    assert quiet and all(level >= logging.WARNING for level, _ in quiet)
    assert sorted(quiet) == sorted(quiet_serial)
    _same_tree(tmp_path / "q1" / "site", tmp_path / "q2" / "site")
    _same_tree(serial[0], tmp_path / "q2" / "site")
