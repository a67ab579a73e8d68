"""`mkdocs serve` rebuilds in one process (issue 12): what a data edit collects, and which
planning sections a data edit renders again."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

from tests.conftest import write_site
from tests.sitebuild.test_plan_page import CSV
from tests.sitebuild.test_render_cost import PLAN, _kpi_cells, _serve_build


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
