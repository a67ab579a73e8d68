"""`mkdocs serve` after many CSV edits (issue 12: resident memory after 20 edits within
10 % of after the first build): the caches that live across rebuilds hold what the
current data makes, not every edit's, and the page shows each edit's numbers."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import planbook.format as fm
from planbook.views.charts import common
from tests.conftest import write_site
from tests.sitebuild.test_plan_page import CSV
from tests.sitebuild.test_render_cost import PLAN, WINTER, _kpi_cells, _serve_build

EDITS = 4


def _clicks_csv(k: int) -> str:
    """The fixture CSV with the first row's clicks 50 + 1000 k and revenue 600 + 1000 k:
    ten days of clicks total 700 + 1000 k, of sem revenue 6,000 + 1000 k."""
    row = "2026-09-01,sem,1000,50,100,5,600"
    assert row in CSV
    return CSV.replace(row, f"2026-09-01,sem,1000,{50 + 1000 * k},100,5,{600 + 1000 * k}")


def _formatted_values() -> list[object]:
    """The values every live formatter holds a text for (both generations)."""
    return [key[1] for f in list(fm._MADE) for cache in (f._cache, f._older) for key in cache]


def test_serve_csv_edits_keep_only_the_current_data_in_the_caches(tmp_path: Path) -> None:
    chart = '\n{{ channel_chart(metric="revenue") }}\n'
    root = write_site(
        tmp_path,
        {"plans/autumn.md": PLAN + chart, "plans/winter.md": WINTER + chart, "notes.md": "# N\n"},
        {"ads.csv": CSV, "other.csv": CSV},
    )
    plugin = _serve_build(root)
    project = plugin.project
    assert "700" in _kpi_cells(root, "plans/winter/index.html")
    sizes, lines, charts = [], [], []
    last = weakref.ref(project.evaluate(project.plans["winter"]).data)
    for k in range(1, EDITS + 1):
        (root / "data/other.csv").write_text(_clicks_csv(k), "utf-8")
        assert _serve_build(root) is plugin
        total = 700 + 1000 * k
        # the page shows this edit's numbers, the other plan its own unchanged data
        assert f"{total:,}" in _kpi_cells(root, "plans/winter/index.html")
        assert f"{total:,}" not in _kpi_cells(root, "plans/autumn/index.html")
        gc.collect()
        values = _formatted_values()
        assert float(total) in values or total in values  # this build's figure is kept
        for old in range(1, k):  # no earlier edit's total is
            assert float(700 + 1000 * old) not in values and 700 + 1000 * old not in values
        assert not any(f._older for f in fm._MADE)  # the last build's texts went
        sizes.append(len(values))
        # one cube per data file: the edited file's last cube is gone, and with it its
        # memos (kpis._MEMOS, weak-keyed by the cube)
        assert len(project._frames) == 2 and last() is None
        last = weakref.ref(project.evaluate(project.plans["winter"]).data)
        assert len(project.store._tables) == 2
        assert plugin.said_before == {}  # the last build's log lines went
        lines.append(len(plugin.said))
        # the charts kept by their inputs: the ones this build showed (winter's new one;
        # autumn's page is kept with its chart), none of an earlier edit
        assert all(shown == common._BUILD for shown, _ in common._DRAWN.values())
        charts.append(len(common._DRAWN))
        sem = 6000 + 1000 * k  # the winter chart's sem revenue
        assert f"{sem}" in (root / "site/plans/winter/index.html").read_text("utf-8")
    # every edit changes one figure: the caches stay the same size, edit after edit
    assert max(sizes) - min(sizes) <= 2, sizes
    assert len(set(lines)) == 1, lines
    assert charts == [1] * EDITS
