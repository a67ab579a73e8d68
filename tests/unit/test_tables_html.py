"""The goals, channel and budget tables written in Python around their ready-made rows
(issue 12): the same bytes as the shipped templates render (a site folder holding copies
of them makes the templates render), with hostile text, huge and missing numbers."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace as NS

import pytest
from bs4 import BeautifulSoup

from planbook.views.render import Renderer
from planbook.views.render_env import shipped_templates
from planbook.views.tables_html import write_channel_table
from tests.unit import test_section_rows as rows_test

XSS = rows_test.XSS
TABLES = ("sections/kpi_table.html", "sections/channel_table.html", "sections/budget_table.html")

BUDGET = """\
  currency: USD
  budget:
    total: 100000
    by: channel
    allocations:
      - {{item: sem, share: 0.3, cap: 1.0e+300}}
      - {{item: xhs, amount: 20000}}
"""


def _copies(folder: Path) -> Path:
    for name in TABLES:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(shipped_templates() / name, folder / name)
    return folder


@pytest.mark.parametrize("language", ["zh", "en"])
def test_tables_read_as_the_templates_render_them(tmp_path, monkeypatch, language):
    # the goals table's plan, with a budget: sem allocated, wechat's spend unallocated
    monkeypatch.setattr(
        rows_test, "PLAN", rows_test.PLAN.replace("  goals:\n", BUDGET + "  goals:\n")
    )
    view = rows_test._view(tmp_path, language)
    assert view.budget is not None and view.budget.unallocated == {"wechat": 6100.0}
    ours = Renderer(language)
    theirs = Renderer(language, custom_dir=_copies(tmp_path / "overrides"))
    url_for = lambda u: u  # noqa: E731
    for name, kwargs in [
        ("kpi_table", {}),
        ("kpi_table", {"goals": ["nowhere"]}),  # no goal: the empty note
        ("channel_table", {}),
        ("channel_table", {"kpis": ["spend", "roi"]}),  # no column behind the switch
        ("channel_table", {"kpis": ["clicks", "ctr"]}),
        ("budget_table", {}),
    ]:
        html = ours.section(name, view, kwargs, url_for)
        assert html == theirs.section(name, view, kwargs, url_for), (name, kwargs)
        assert "<script" not in html
    budget = BeautifulSoup(ours.section("budget_table", view, {}, url_for), "html.parser")
    assert XSS in budget.get_text() and budget.select_one("tfoot")
    # no data at all: the empty notes
    bare = NS(**{**view.__dict__, "channels": None, "budget": None, "goals": []})
    for name in ("kpi_table", "channel_table", "budget_table"):
        assert ours.section(name, bare, {}, url_for) == theirs.section(name, bare, {}, url_for)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_partial_totals_and_queries_read_as_the_templates_render_them(tmp_path, language):
    """A total ratio counting fewer rows, and warehouse queries (fetched, cached, not)."""
    from planbook.views.render_env import environment

    env = environment()
    ours = Renderer(language)
    kpi = lambda i, first: NS(  # noqa: E731
        id=("spend" if first else f"k{i}<"),
        label=lambda lang, i=i: f"KPI {i} {XSS}",
        measures=["a", "b"] if i % 2 else ["c"],
    )
    columns = [kpi(i, i == 0) for i in range(4)]
    b = NS(
        rows=[],
        total=NS(share=1.0),
        partial={"k1<": (3, 2), "k3<": (10**15, 0), "spend": (1, 1)},
    )
    registry = NS(get=lambda m: NS(label=lambda lang: f"<{m}>"))
    view = NS(channels=b, registry=registry)
    context = {
        "view": view,
        "columns": columns,
        "t": ours.labels,
        "fmt": ours.formatter("CNY"),
        "language": language,
        "export": f"x.csv?{XSS}",
        "rows_html": "<tr>plain text is escaped</tr>\n",
        "cells": NS(total="<td>1</td>"),
    }
    html = write_channel_table(**context)
    assert html == env.get_template("sections/channel_table.html").render(**context)
    assert html.count("<br>") == 2 and "<script" not in html and "<a>" not in html
    queries = [
        NS(label=XSS, fetched="2026-10-01 10:00", cached=True),
        NS(label="q2", fetched="2026-10-02", cached=False),
        NS(label="q3", fetched=None, cached=False),
    ]
    from planbook.views.tables_html import write_kpi_table

    for shown in (queries, queries[2:], []):
        context = {
            "view": NS(as_of=None, data=NS(queries=shown)),
            "goals": [1],
            "rows_html": "",
            "t": ours.labels,
            "fmt": ours.formatter("CNY"),
            "export": None,
        }
        html = write_kpi_table(**context)
        assert html == env.get_template("sections/kpi_table.html").render(**context)
        assert "<script" not in html


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_channel_tables_share_one_list_of_first_columns(language):
    """The plan's channel table and a report's draw their switch and header cells with one
    helper, and the shipped templates read the same list (the environment's global)."""
    from planbook.views.render_env import environment
    from planbook.views.tables_html import FIRST_COLUMNS, channel_heads

    assert environment().globals["first_columns"] is FIRST_COLUMNS
    ours = Renderer(language)
    columns = [
        NS(id=i, label=lambda lang, i=i: f"{i} {XSS}") for i in ("spend", "clicks", "roi", "ctr")
    ]
    toggle, heads = channel_heads(columns, ours.labels, language)
    assert heads.count("pb-more") == 2 and XSS not in heads and "<script" not in heads
    assert ours.labels("table.more", n=2) in toggle
    assert channel_heads(columns[:1], ours.labels, language)[0] == ""  # nothing behind it
