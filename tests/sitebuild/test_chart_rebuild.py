"""A chart kept across builds in one process (`mkdocs serve`, or a script building twice)
counts the pages of each build that show it: a chart one page shows is that page's own
and is compressed with it, build after build (issue 12)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from planbook.views.charts import common
from planbook.views.pages import Prepared
from tests.conftest import write_site
from tests.sitebuild.test_plan_page import CSV
from tests.sitebuild.test_render_cost import PLAN, WINTER, _in_process_build


@pytest.fixture(autouse=True)
def _forget_charts():
    """The kept charts (and the formatters they hold) go with this test's builds: a
    later test counts what the live formatters hold."""
    common._DRAWN.clear()
    yield
    common._DRAWN.clear()
    gc.collect()


def test_a_chart_one_page_shows_is_compressed_in_every_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    packed: list[dict] = []
    pack = Prepared.pack

    def recording(self: Prepared, *args, **kwargs) -> None:
        pack(self, *args, **kwargs)
        packed.append(dict(self.packed))

    monkeypatch.setattr(Prepared, "pack", recording)
    chart = '\n{{ channel_chart(metric="revenue") }}\n'
    root = write_site(
        tmp_path,
        {"plans/autumn.md": PLAN + chart, "plans/winter.md": WINTER, "notes.md": "# N\n"},
        {"ads.csv": CSV, "other.csv": CSV},
    )
    jsons: list[str] = []
    plugins: list[object] = []
    for _ in range(3):  # the same chart, drawn once and kept: each build its one page
        packed.clear()
        plugins.append(_in_process_build(root, "build"))
        (kept,) = [c for _, c in common._DRAWN.values()]
        assert kept.pages == 1
        (json,) = [text for lang, text in kept.payloads.items() if lang in ("zh", "en")]
        jsons.append(json)
        sections = [p for page in packed for p in page.values() if isinstance(p, tuple)]
        assert sections  # the page's chart section, as pieces
        # nothing of it is held by reference: its JSON went into the compressed run
        assert not any(p is json for s in sections for p in s)
        assert any(isinstance(p, bytes) for s in sections for p in s)
    assert jsons[0] is jsons[1] is jsons[2]  # one chart, kept
    assert plugins[0] is plugins[1] is plugins[2]  # one plugin, as `mkdocs serve` keeps it
    assert jsons[0] in (root / "site/plans/autumn/index.html").read_text("utf-8")
