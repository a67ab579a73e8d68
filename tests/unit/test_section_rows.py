"""The goals table's and the report's rows built in Python (issue 12): the same HTML a
template drawing them from the data writes, and hostile text stays text."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from planbook.metrics.kpis import PacingConfig
from planbook.metrics.reports import build_report, parse_period
from planbook.project import Project, Settings
from planbook.views.render import Renderer
from tests.conftest import write_site

LOOPS = Path(__file__).parent / "fixtures" / "loop_templates"
XSS = "<script>alert('x')</script>"


def _rows() -> str:
    lines = ["date,channel,impressions,clicks,spend,conversions,revenue"]
    for month, days in ((9, 30), (10, 31)):
        for d in range(1, days + 1):
            lines.append(f"2026-{month:02d}-{d:02d},sem,1000,{30 + d},100,2,{50 + d}")
            lines.append(f"2026-{month:02d}-{d:02d},wechat,1000,20,100,{d % 5},400")
    return "\n".join(lines) + "\n"


PLAN = f"""\
---
plan:
  id: h
  language: {{language}}
  period: {{{{start: 2026-09-01, end: 2026-12-31}}}}
  metrics: [data/m.csv]
  reports: {{{{every: month}}}}
  goals:
    - id: ctr
      statement: "CTR {XSS} & \\"quoted\\"\\nsecond line"
      kpi: ctr
      baseline: 0.02
      target: 0.05
      deadline: 2026-12-31
      owner: "<b>owner</b>"
      filter: {{{{channel: [sem, wechat]}}}}
      milestones:
        - {{{{date: 2026-10-15, target: 0.03}}}}
        - {{{{date: 2026-11-30, target: 0.04}}}}
    - id: conv
      statement: Conversions
      kpi: conversions
      baseline: 0
      target: 1000
      deadline: 2026-12-31
      window: 7d
    - id: daily
      statement: Daily clicks
      kpi: clicks
      aggregate: daily_mean
      baseline: 10
      target: 60
      deadline: 2026-12-31
    - id: empty
      statement: "{XSS}"
      kpi: revenue
      baseline: 0
      target: 5000
      deadline: 2026-12-31
      filter: {{{{channel: nowhere}}}}
---
# H
"""


def _view(tmp_path: Path, language: str):
    write_site(tmp_path, {"plans/h.md": PLAN.format(language=language)}, {"m.csv": _rows()})
    names = {"sem": {"zh": f"百度 {XSS}", "en": f"Baidu {XSS}"}, "wechat": "微信 & co"}
    settings = Settings(
        root=tmp_path,
        docs_dir=tmp_path / "docs",
        language="zh",
        as_of=__import__("datetime").date(2026, 10, 31),
        value_labels=names,
    )
    project = Project(settings)
    project.scan()
    view = project.evaluate(project.plans["h"])
    assert view is not None
    assert not [d for d in view.diagnostics if d.severity.value == "error"], view.diagnostics
    return view


@pytest.mark.parametrize("language", ["zh", "en"])
def test_goal_rows_read_as_the_template_loop_wrote_them(tmp_path, language):
    view = _view(tmp_path, language)
    shipped = Renderer("zh").for_language(language)
    loop = Renderer("zh", custom_dir=LOOPS).for_language(language)
    ours = shipped.section("kpi_table", view, {}, lambda u: u)
    theirs = loop.section("kpi_table", view, {}, lambda u: u)
    assert ours == theirs
    # every kind of cell is there: a phase target, a progress bar with its mark, a filter
    # naming two values, an owner, a window and an aggregate
    soup = BeautifulSoup(ours, "html.parser")
    assert len(soup.select("tbody tr")) == 4
    assert soup.select_one("#goal-ctr .pb-phase-target")
    assert soup.select_one("#goal-ctr .pb-bar__mark")
    assert soup.select_one("#goal-ctr .pb-spark")
    some = shipped.section("kpi_table", view, {"goals": ["conv"]}, lambda u: u)
    assert some == loop.section("kpi_table", view, {"goals": ["conv"]}, lambda u: u)
    assert [tr["id"] for tr in BeautifulSoup(some, "html.parser").select("tbody tr")] == [
        "goal-conv"
    ]


def test_goal_rows_keep_hostile_text_text(tmp_path):
    view = _view(tmp_path, "en")
    html = Renderer("en").section("kpi_table", view, {}, lambda u: u)
    assert "<script" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    soup = BeautifulSoup(html, "html.parser")
    row = soup.select_one("#goal-ctr")
    assert row.select_one(".pb-goal").contents[0].startswith(f'CTR {XSS} & "quoted"\nsecond line')
    note = row.select_one(".pb-note").get_text()
    assert f"Baidu {XSS}, 微信 & co" in note and "<b>owner</b>" in note
    assert not soup.select("script, b")


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("period", ["2026-10", "2026-09", "2026-11"])
def test_report_rows_read_as_the_template_loop_wrote_them(tmp_path, language, period):
    view = _view(tmp_path, language)
    report = build_report(view, parse_period(period), pacing=PacingConfig())
    ours = Renderer(language).report(report)
    assert ours == Renderer(language, custom_dir=LOOPS).report(report)
    rows = BeautifulSoup(ours, "html.parser").select(".pb-report > .pb-scroll tbody tr")
    assert [tr["data-goal"] for tr in rows] == ["ctr", "conv", "daily", "empty"]
    if period == "2026-10":  # a change, a phase target judged at the period's end
        assert rows[0].select_one(".pb-delta") and rows[0].select_one(".pb-phase-target")
    assert "<script" not in ours and "&lt;script&gt;" in ours


def test_report_changes_every_way_they_read():
    from datetime import date
    from types import SimpleNamespace as NS

    rows = []
    for i, (fmt, delta, pct, good) in enumerate(
        [
            ("percent", -0.012, -0.2, False),
            ("percent", 0.003, 0.1, None),
            ("number", 5.0, None, True),
            ("currency", -1234.5, None, False),
            ("currency", -1234.5, -0.25, None),
            ("number", 0.0, None, None),
            ("decimal", -2.5, 0.5, 0),
            ("number", None, None, None),
        ]
    ):
        rows.append(
            NS(
                goal=NS(id=f"g{i}", statement=f"{XSS} {i}"),
                label=f"<i>{fmt}</i>",
                format=fmt,
                value=1.5,
                previous=float("nan"),
                delta=delta,
                delta_pct=pct,
                good=good,
                at_end=NS(actual=0.0215, expected=0.0224, status="at_risk"),
                phase=(date(2026, 12, 1), 0.03) if i % 2 else None,
                phase_met=(None, True, False)[i % 3],
            )
        )
    period = NS(key="2026-10", end=date(2026, 10, 31), label=lambda language: "Oct")
    report = NS(
        period=period,
        has_data=True,
        kpis=rows,
        channels=None,
        movers=[],
        status_changes=[],
        recommendations=[],
        view=NS(plan=NS(currency="USD")),
    )
    ours = Renderer("en").report(report)
    assert ours == Renderer("en", custom_dir=LOOPS).report(report)
    soup = BeautifulSoup(ours, "html.parser")
    deltas = [td.get_text() for td in soup.select("tbody tr td:nth-of-type(5)")]
    assert deltas[0] == "▼ -1.2 pp" and deltas[1] == "■ 0.3 pp" and deltas[-1] == "—"
    assert [s["class"][1] for s in soup.select(".pb-delta")[:7]] == [
        "pb-delta--bad",
        "pb-delta--flat",
        "pb-delta--good",
        "pb-delta--bad",
        "pb-delta--flat",
        "pb-delta--flat",
        "pb-delta--bad",
    ]
    assert "<script" not in ours and "<i>" not in ours


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("kpis", [None, ["spend", "roi"]])
def test_channel_rows_read_as_the_template_loop_wrote_them(tmp_path, language, kpis):
    view = _view(tmp_path, language)
    kwargs = {"kpis": kpis} if kpis else {}
    ours = Renderer(language).section("channel_table", view, kwargs, lambda u: u)
    loop = Renderer(language, custom_dir=LOOPS).section("channel_table", view, kwargs, lambda u: u)
    assert ours == loop
    soup = BeautifulSoup(ours, "html.parser")
    assert [tr["data-channel"] for tr in soup.select("tbody tr")] == ["sem", "wechat"]
    assert "<script" not in ours and f"{XSS}" in soup.select_one("tbody tr td").get_text()


def test_calendar_items_escaped_and_each_marked_by_its_own_status():
    from datetime import date
    from types import SimpleNamespace as NS

    from planbook.views.planning.labels import PlanningLabels
    from planbook.views.planning.rows import month_body

    def item(status, overdue, title, channel="sem", page=None, url=None):
        return NS(status=status, channel=channel, overdue=overdue, title=title, page=page, url=url)

    items = [
        item("planned", True, XSS, url='https://x.test/?a=1&b="><script>'),
        item("planned", False, "B", page="copy/<b>.md"),
        item("published", False, "C"),
        item("planned", True, "D", channel=XSS),
    ]
    day = NS(day=date(2026, 10, 1), in_month=True, today=False, items=items)
    html = str(month_body(NS(weeks=[[day]]), PlanningLabels("en"), {"sem": XSS}, lambda u: u))
    soup = BeautifulSoup(html, "html.parser")
    lis = soup.select("li")
    assert [li["class"] for li in lis] == [
        ["pb-calendar__item", "pb-item--planned", "pb-item--overdue"],
        ["pb-calendar__item", "pb-item--planned"],
        ["pb-calendar__item", "pb-item--published"],
        ["pb-calendar__item", "pb-item--planned", "pb-item--overdue"],
    ]
    assert [li.select_one(".pb-chip").get_text() for li in lis] == [XSS, XSS, XSS, XSS]
    assert lis[3]["data-channel"] == XSS and lis[0]["data-channel"] == "sem"
    assert lis[0].a["href"] == 'https://x.test/?a=1&b="><script>' and lis[0].a.get_text() == XSS
    assert lis[1].a["href"] == "copy/<b>.md"
    assert [bool(li.strong) for li in lis] == [True, False, False, True]  # overdue note
    assert lis[2].small is None  # a published item has no status note
    assert "<script" not in html and not soup.select("script, b")


def test_calendar_links_kept_by_title_and_address_but_copy_pages_drawn_per_page():
    """A post's escaped link is made once per title and address (plans sharing a post
    list draw the same posts, issue 12); a copy page's link is relative to each page."""
    from datetime import date
    from types import SimpleNamespace as NS

    from planbook.views.planning.labels import PlanningLabels
    from planbook.views.planning.rows import month_body

    def item(title, page=None, url=None):
        return NS(status="published", channel="sem", overdue=False, title=title, page=page, url=url)

    items = [
        item(XSS, url="https://x.test/?a=1&b=2"),
        item(XSS, url="https://x.test/other"),
        item(XSS),
        item("", url=None),
        item(XSS, page="copy/a.md"),
    ]
    month = NS(weeks=[[NS(day=date(2026, 10, 1), in_month=True, today=False, items=items)]])
    p = PlanningLabels("zh")
    first = str(month_body(month, p, {}, lambda u: f"../{u}"))
    again = str(month_body(month, p, {}, lambda u: f"../{u}"))
    elsewhere = str(month_body(month, p, {}, lambda u: f"../../{u}"))
    assert first == again and first != elsewhere
    assert elsewhere == first.replace('href="../copy/a.md"', 'href="../../copy/a.md"')
    soup = BeautifulSoup(first, "html.parser")
    assert [a["href"] for a in soup.select("a")] == [
        "https://x.test/?a=1&b=2",
        "https://x.test/other",
        "../copy/a.md",
    ]
    assert [li.get_text(strip=True) for li in soup.select("li")] == [
        f"sem{XSS}",
        f"sem{XSS}",
        f"sem{XSS}",
        "sem",
        f"sem{XSS}",
    ]
    assert "<script" not in first
