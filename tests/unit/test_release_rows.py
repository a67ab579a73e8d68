"""The raw rows of a large metric file go once the build's cubes are built (issue 12):
the store lets go of them (a weak reference dies), the wider cubes the pages read are
built before, and rows asked for afterwards are the file read again, never different
figures."""

from __future__ import annotations

import gc
import weakref
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planbook import project as project_module
from planbook.columns import UTM_DIMS
from planbook.data import DataStore, Source
from planbook.metrics.plan_scope import outside_period
from planbook.project import Project, Settings
from planbook.review import ReviewConfig
from planbook.review.utm import UtmOptions
from planbook.views.analysis.views import utm_taxonomy

HEADER = "date,channel,campaign,region,clicks,spend"


def _csv(days: int = 40) -> str:
    rows = [
        f"2026-{8 + (d >= 31):02d}-{d % 31 + (d >= 31):02d},{ch},camp-{ch}-{d % 3},r{d % 2},{d + i},{d * 1.1 + i:.2f}"
        for d in range(1, days)
        for i, ch in enumerate(("sem", "feed", "kol"))
    ]
    return HEADER + "\n" + "\n".join(rows) + "\n"


def _plan(pid: str, start: str, end: str) -> str:
    return (
        "---\nplan:\n"
        f"  id: {pid}\n  owner: t\n  status: draft\n"
        f"  period: {{start: {start}, end: {end}}}\n"
        "  metrics: [data/m.csv]\n"
        "  goals:\n"
        "    - {id: g, statement: s, kpi: clicks, baseline: 0, target: 100,"
        f" deadline: {end}, filter: {{channel: [sem]}}}}\n"
        "---\n# p\n"
    )


def _project(root: Path, utm: bool = True) -> Project:
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "data").mkdir(exist_ok=True)
    (root / "data" / "m.csv").write_text(_csv(), "utf-8")
    (root / "docs" / "a.md").write_text(_plan("a", "2026-08-01", "2026-09-05"), "utf-8")
    (root / "docs" / "b.md").write_text(_plan("b", "2026-08-10", "2026-08-31"), "utf-8")
    review = ReviewConfig(utm=UtmOptions() if utm else None)
    project = Project(Settings(root=root, docs_dir=root / "docs", review=review))
    project.begin_build()
    project.scan()
    for page in list(project.plans.values()):
        project.evaluate(page)
    return project


def test_the_store_lets_go_of_a_large_tables_rows_and_reads_them_again(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "m.csv").write_text(_csv(), "utf-8")
    (tmp_path / "data" / "small.csv").write_text(_csv(3), "utf-8")
    store = DataStore(tmp_path)
    table = store.load(tmp_path / "data" / "m.csv")
    small = store.load(tmp_path / "data" / "small.csv")
    before = table.frame.copy(deep=True)
    combined = store.combine([Source(table)])
    frame, column = weakref.ref(table.frame), weakref.ref(table.frame["clicks"].to_numpy())
    parses = store.parse_count

    assert store.release_rows(len(before)) == [table]  # the small file keeps its rows
    gc.collect()
    assert frame() is None and column() is None
    assert table.frame.empty and list(table.frame.columns) == list(before.columns)
    assert table.frame.dtypes.to_dict() == before.dtypes.to_dict()
    assert len(small.frame) == 6 and store.rows(small) is small.frame
    # Still the file's cache: no parse for the table itself ...
    assert store.load(tmp_path / "data" / "m.csv") is table and store.parse_count == parses
    # ... and its rows, when asked for, are the file read again, equal to the first ones,
    # and kept until the next release: one read however many uses.
    pd.testing.assert_frame_equal(store.rows(table), before, check_exact=True)
    pd.testing.assert_frame_equal(store.combine([Source(table)]), combined, check_exact=True)
    assert store.parse_count == parses + 1 and len(table.frame) == len(before)
    assert store.release_rows(1) == [table, small]
    assert table.frame.empty and small.frame.empty
    assert store.release_rows(1) == []  # each table once


def test_rows_of_a_file_edited_since_are_read_but_not_kept(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    path = tmp_path / "data" / "m.csv"
    path.write_text(_csv(), "utf-8")
    store = DataStore(tmp_path)
    table = store.load(path)
    assert store.release_rows(1) == [table]
    path.write_text(_csv(5), "utf-8")
    assert len(store.rows(table)) == 12  # the file as it is now ...
    assert table.frame.empty  # ... not taken for the table's own rows
    assert len(store.load(path).frame) == 12 and store.load(path) is not table


def test_only_tables_used_this_build_let_go(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "m.csv").write_text(_csv(), "utf-8")
    store = DataStore(tmp_path)
    table = store.load(tmp_path / "data" / "m.csv")
    store.begin_build()
    assert store.release_rows(1) == [] and len(table.frame) == 117


def test_a_project_lets_go_of_the_rows_after_building_the_cubes_the_pages_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(project_module, "RELEASE_ROWS", 1)
    kept = _project(tmp_path / "kept")
    project = _project(tmp_path / "released")
    [table] = project.store.used_tables()
    rows = weakref.ref(table.frame)
    assert project.release_rows() == 1
    gc.collect()
    assert rows() is None and table.frame.empty
    parses = project.store.parse_count
    # The UTM taxonomy's wider cube was built with the plan's cube: no file read again.
    assert utm_taxonomy(project) == utm_taxonomy(kept)
    assert project.store.parse_count == parses
    views = {p: project.evaluate(project.plans[p]) for p in ("a", "b")}
    assert all(v is not None for v in views.values())
    data = views["a"].data  # type: ignore[union-attr]
    assert data.covering(UTM_DIMS) is not data
    # A cube nobody announced after the release: read again, the same figures.
    wide = data.covering(("region",))
    same = kept.evaluate(kept.plans["a"]).data.covering(("region",))  # type: ignore[union-attr]
    assert project.store.parse_count == parses + 1
    pd.testing.assert_frame_equal(wide.frame, same.frame, check_exact=True)
    assert np.array_equal(wide.counts, same.counts)
    assert wide.totals_by("region", date(2026, 8, 1), date(2026, 9, 30)).equals(
        same.totals_by("region", date(2026, 8, 1), date(2026, 9, 30))
    )


def test_rows_outside_a_period_are_found_after_the_release(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(project_module, "RELEASE_ROWS", 1)
    project = _project(tmp_path)
    sources, _ = project.store.gather(
        ["data/m.csv"], file="c.md", locations=project.plans["a"].front.locations
    )
    plan = project.plans["b"].plan
    assert plan is not None
    before = outside_period(sources, plan, file="c.md")
    assert [d.rule for d in before] == ["data/outside-period"]
    project.release_rows()
    assert sources[0].table.frame.empty
    # No memo: the rows come from the store (the file read again), the same findings.
    assert outside_period(sources, plan, file="c.md", rows=project.store.rows) == before
    memo: dict = {}
    assert outside_period(sources, plan, file="c.md", memo=memo, rows=project.store.rows) == before
    parses = project.store.parse_count
    assert outside_period(sources, plan, file="c.md", memo=memo, rows=project.store.rows) == before
    assert project.store.parse_count == parses  # the memo keeps the rows and first days


def test_without_the_utm_check_no_wider_cube_is_built(tmp_path: Path) -> None:
    project = _project(tmp_path, utm=False)
    view = project.evaluate(project.plans["a"])
    assert view is not None and view.data._wider == {}
    assert project.release_rows() == 0  # a small file keeps its rows
