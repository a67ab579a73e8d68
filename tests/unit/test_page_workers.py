"""The build's side of the page workers (planbook/page_workers.py) without MkDocs: a
site's files are stand-ins with the attributes the module reads. A page given as its
outline is completed once, from the worker when it prepared it from the same Markdown,
else here; either way it is ``prepare``'s page. (The whole build with workers, against
a serial one byte for byte: tests/sitebuild/test_workers_site.py.)"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from planbook import page_workers, workers
from planbook.diagnostics import Diagnostic, Severity
from planbook.page_workers import Calls, Options, PageWorkers, how_many
from planbook.project import Project
from planbook.views.pages import prepare
from planbook.views.placing import SEARCHABLE
from planbook.views.render import Renderer
from tests.unit.test_outline import _site

log = logging.getLogger("tests.page_workers")


@pytest.fixture(autouse=True)
def _chart_bound_restored():
    """A worker started here bounds the chart stores of this process, as it does the
    build's until its end (the plugin's on_post_build lifts it): lifted after each test."""
    from planbook.views.charts import common

    yield
    common.keep_at_most(None)


@dataclass
class _File:
    """What page_workers reads of an MkDocs file."""

    src_uri: str
    content_string: str
    generated_by: str | None = None
    page: Any = field(default_factory=object)

    @property
    def dest_uri(self) -> str:
        return self.src_uri.removesuffix(".md") + "/index.html"

    def url_relative_to(self, other: _File) -> str:
        return f"rel:{self.src_uri}"


class _Files(list):
    def get_file_from_path(self, src_uri: str) -> _File | None:
        return next((f for f in self if f.src_uri == src_uri), None)


def _build(tmp_path: Path) -> tuple[Project, Renderer, _Files]:
    project = _site(tmp_path)
    pages = project.scan()
    files = _Files(
        _File(p.src_uri, (project.settings.docs_dir / p.src_uri).read_text("utf-8")) for p in pages
    )
    for page in pages:
        project.evaluate(page)
    return project, Renderer(language="zh"), files


def _workers(
    project: Project,
    renderer: Renderer,
    files: _Files,
    site: Path,
    word: Callable[[Diagnostic], str] | None = None,
) -> PageWorkers:
    options = Options(
        summary=True,
        searchable=SEARCHABLE,
        review=True,
        review_page=None,
        auto=False,
        site_dir=str(site),
    )
    calls = Calls(
        included=lambda fs: list(fs),
        markdown_of=lambda text: (
            text.split("\n---\n", 1)[1].lstrip("\n") if text.startswith("---\n") else text
        ),
        read_source=None,
        log=log,
        word=word,
    )
    return PageWorkers(project, renderer, options, calls, files)


def _page(project: Project, files: _Files, src_uri: str) -> tuple[Any, str]:
    """The page as the build reads it, and its Markdown (what MkDocs hands the plugin)."""
    file = files.get_file_from_path(src_uri)
    assert file is not None
    src = project.read_page(src_uri, file.content_string)
    return src, src.front.body.lstrip("\n")


def test_how_many_processes_prepare_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    assert how_many(1, 500) == 1
    assert how_many(2, 1) == 2  # a number given is taken (tests, a user's choice)
    assert how_many(64, 500) == 2  # at most one worker
    monkeypatch.setattr("os.sched_getaffinity", lambda pid: {0, 1}, raising=False)
    assert how_many("auto", 20) == 2
    assert how_many("auto", 19) == 1  # few plans: a fork costs more than it gives
    monkeypatch.setattr("os.sched_getaffinity", lambda pid: {0}, raising=False)
    assert how_many("auto", 500) == 1  # one CPU


@pytest.mark.parametrize(
    ("logged", "lz4"),
    [(True, True), (False, True), (True, False)],
    ids=["notes-logged", "quiet", "zlib"],
)
def test_pages_a_worker_prepares_are_prepares_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, logged: bool, lz4: bool
) -> None:
    """A real worker (forked) prepares every plan page while the pages are deferred (the
    test waits for it, as MkDocs' rendering of the other pages would); each completed
    page is the one ``prepare`` makes here, taken once, and its CSV downloads are written
    beside it by the worker."""
    project, renderer, files = _build(tmp_path)
    monkeypatch.setattr(page_workers, "memory_limit", lambda now: None)
    if not lz4:  # a site without data: pyarrow is not loaded, the results are zlib's
        monkeypatch.setattr("planbook.workers._lz4", lambda: None)
    tags: list[bytes] = []  # how each result the build read was compressed
    unsqueeze = workers.unsqueeze

    def read(data: bytes, codec: object) -> bytes:
        tags.append(data[:1])
        return unsqueeze(data, codec)

    monkeypatch.setattr(workers, "unsqueeze", read)
    word = (lambda d: f"worded {d.rule} {d.field}") if logged else None
    ahead = _workers(project, renderer, files, tmp_path / "site", word)
    ahead.start()
    assert ahead.worker is not None and ahead.figures["workers"] == 1
    plans = sorted(u for u in (f.src_uri for f in files) if ahead.takes(u))
    assert plans == sorted(project.plans_by_uri()) and "copy.md" not in plans
    shapes = {}
    for uri in plans:
        src, markdown = _page(project, files, uri)
        shapes[uri] = ahead.defer(uri, markdown, src, files.get_file_from_path(uri))
    assert ahead.pending() == plans
    worker = ahead.worker
    deadline = time.monotonic() + 60
    while not (worker.done or worker.gone) and time.monotonic() < deadline:
        worker._poll(1.0)  # the build's rendering meanwhile: the worker gets through
        worker._read_until(-2)  # (before every page: each result is kept for later)
    assert worker.done
    got = {}
    for uri in plans:
        prepared, new = ahead.complete(uri)
        assert new and prepared.markdown == shapes[uri]
        again, new = ahead.complete(uri)
        assert again is prepared and not new  # once
        got[uri] = prepared
    assert ahead.pending() == []
    ahead.stop()
    assert ahead.worker is None and ahead.figures["taken"] == len(plans)
    assert tags == [b"4" if lz4 else b"z"] * len(plans)
    assert (tmp_path / "site" / "plans" / "charts").is_dir()  # its pages' downloads
    for uri, prepared in got.items():
        src, markdown = _page(project, files, uri)
        here = prepare(project, renderer, src, markdown, url_for=lambda u: u)
        assert list(prepared.kinds) == list(here.kinds), uri
        # its notes worded in the worker, in their place among the other diagnostics
        # (the build logs them as they are), or left out where nobody logs notes
        info = Severity.INFO
        assert any(d.severity is info for d in here.diagnostics), uri  # it has notes
        expected = [
            (f"worded {d.rule} {d.field}" if d.severity is info else d)
            for d in here.diagnostics
            if logged or d.severity is not info
        ]
        assert prepared.said == expected, uri
        assert prepared.diagnostics == [d for d in here.diagnostics if d.severity is not info]


def test_without_a_worker_the_build_prepares_the_page(tmp_path: Path) -> None:
    project, renderer, files = _build(tmp_path)
    ahead = _workers(project, renderer, files, tmp_path / "site")
    assert not ahead.takes("plans/placed.md")  # no worker started
    src, markdown = _page(project, files, "plans/placed.md")
    file = files.get_file_from_path("plans/placed.md")
    shape = ahead.defer("plans/placed.md", markdown, src, file)
    prepared, new = ahead.complete("plans/placed.md")
    assert new and prepared.markdown == shape and ahead.figures == {}


def test_sections_made_for_other_markdown_are_said_as_an_internal_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """It cannot happen (``prepare`` starts with the outline), but if the sections were
    ever made for other Markdown than the page's outline, it is said, not hidden."""
    project, renderer, files = _build(tmp_path)
    ahead = _workers(project, renderer, files, tmp_path / "site")
    src, markdown = _page(project, files, "plans/placed.md")
    ahead.defer("plans/placed.md", markdown, src, files.get_file_from_path("plans/placed.md"))
    real = page_workers.prepare

    def other(project, renderer, src, markdown, **kwargs):  # type: ignore[no-untyped-def]
        return real(project, renderer, src, markdown + "\n\n{{ team() }}\n", **kwargs)

    monkeypatch.setattr(page_workers, "prepare", other)
    with caplog.at_level(logging.ERROR, logger=log.name):
        ahead.complete("plans/placed.md")
    said = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert said == [
        "internal error: the sections of plans/placed.md were prepared for other Markdown "
        "than its outline; please report this"
    ]


def test_export_writer_writes_behind_and_waits_for_every_file_at_finish(tmp_path: Path) -> None:
    """`mkdocs serve` and builds without a page worker: a page's CSV downloads are written
    by one thread, all of them in the site when ``finish`` returns, and the thread is gone
    then (none is alive at a later fork, or when MkDocs cleans the site folder)."""
    writer = page_workers.ExportWriter()
    by: list[str] = []
    write = page_workers.write_exports

    def recording(site_dir: str, dest_uri: str, exports: dict[str, str]) -> None:
        by.append(threading.current_thread().name)
        write(site_dir, dest_uri, exports)

    page_workers.write_exports = recording  # type: ignore[assignment]
    try:
        for k in range(50):
            exports = {f"p{k}-goals.csv": f"\ufeffid,实际\nclicks,{k}\n", f"p{k}-budget.csv": "x\n"}
            writer.write(str(tmp_path), f"plans/p{k}/index.html", exports, behind=True)
        writer.finish()
    finally:
        page_workers.write_exports = write  # type: ignore[assignment]
    assert len(by) == 50 and {name.split("_")[0] for name in by} == {"planbook-exports"}
    assert (tmp_path / "plans/p49/p49-goals.csv").read_text("utf-8") == "\ufeffid,实际\nclicks,49\n"
    assert len(list(tmp_path.glob("plans/*/*.csv"))) == 100
    assert writer.pool is None and writer.pending == []
    assert not [t for t in threading.enumerate() if t.name.startswith("planbook-exports")]


def test_export_writer_writes_at_once_where_a_worker_is_forked(tmp_path: Path) -> None:
    """``behind=False`` (a build that forks page workers): the file is there on return and
    no thread is started."""
    writer = page_workers.ExportWriter()
    writer.write(str(tmp_path), "a/index.html", {"a-goals.csv": "id\n"}, behind=False)
    assert (tmp_path / "a/a-goals.csv").read_text("utf-8") == "id\n"
    assert writer.pool is None
    writer.finish()


def test_export_writer_raises_a_failed_write_at_finish_after_the_others(tmp_path: Path) -> None:
    """A write that fails (here the page's folder is a file) is raised at ``finish``, by
    the thread or not; the pages after it are written all the same."""
    (tmp_path / "bad").write_text("not a folder", "utf-8")
    for behind in (True, False):
        writer = page_workers.ExportWriter()
        writer.write(str(tmp_path), "bad/index.html", {"bad-goals.csv": "id\n"}, behind=behind)
        writer.write(str(tmp_path), f"ok{behind}/index.html", {"a.csv": "id\n"}, behind=behind)
        with pytest.raises(FileExistsError):
            writer.finish()
        assert (tmp_path / f"ok{behind}/a.csv").read_text("utf-8") == "id\n"
        assert writer.pool is None and writer.pending == [] and writer.failed == []
        writer.finish()  # the failure was said once
