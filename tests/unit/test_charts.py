"""Chart figure specs built from a small evaluated plan: traces, points, aggregation,
payload size, escaping, determinism and argument messages."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from planbook.project import Project, Settings
from planbook.views import charts
from planbook.views.charts.common import index_text
from planbook.views.render_env import environment

HOSTILE = "</script><img src=x onerror=alert(1)>"
START = date(2026, 9, 7)  # a Monday: two full weeks of data

PLAN = """\
---
plan:
  id: demo
  status: draft
  period: {start: 2026-09-07, end: 2026-12-31}
  metrics: [data/ads.csv]
  goals:
    - id: sem-ctr
      statement: "SEM CTR %(statement)s"
      kpi: ctr
      filter: {channel: sem}
      baseline: 0.03
      target: 0.06
      deadline: 2026-12-31
    - {id: clicks, statement: Clicks, kpi: clicks, aggregate: sum, baseline: 0, target: 5000, deadline: 2026-12-31}
  budget:
    total: 10000
    allocations:
      - {item: sem, share: 0.6, cap: 7000}
      - {item: social, share: 0.4}
  phases:
    - name: Warm-up
      start: 2026-09-07
      end: 2026-10-15
      milestones: [{name: Launch, date: 2026-09-10, done: true}, {name: Wave 2, date: 2026-10-01}]
    - {name: Growth, start: 2026-10-16, end: 2026-12-31}
  risks:
    - {id: pr, title: PR crisis, category: reputation, likelihood: 3, impact: 5}
    - {id: gaps, title: Tracking gaps, category: operational, likelihood: 2, impact: 2}
---
# Demo
"""


def rows(campaigns: int = 1, social: str = "social") -> str:
    """14 days. sem: even days 1000 impressions / 100 clicks, odd days 3000 / 60
    (split evenly over ``campaigns`` rows); ``social``: 2000 / 20 a day."""
    out = ["date,channel,campaign,impressions,clicks,spend,conversions,revenue"]
    for i in range(14):
        d = START + timedelta(days=i)
        imp, clk = (1200, 120) if i % 2 == 0 else (3600, 72)
        for c in range(campaigns):
            out.append(
                f"{d},sem,c{c},{imp // campaigns},{clk // campaigns},{120 // campaigns},"
                f"{24 // campaigns},{600 // campaigns}"
            )
        out.append(f'{d},"{social}",s,2000,20,50,1,40')
    return "\n".join(out) + "\n"


def evaluate(root: Path, csv: str, statement: str = "to 6%", language: str = "en"):
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "data").mkdir(exist_ok=True)
    (root / "docs" / "plan.md").write_text(PLAN % {"statement": statement}, "utf-8")
    (root / "data" / "ads.csv").write_text(csv, "utf-8")
    project = Project(Settings(root=root, docs_dir=root / "docs", language=language))
    page = next(p for p in project.scan() if p.plan)
    view = project.evaluate(page)
    assert view is not None
    return view


@pytest.fixture
def view(tmp_path):
    return evaluate(tmp_path, rows())


def figure(view, name, *args, **kwargs):
    (chart,) = charts.build_charts(name, view, args, kwargs, language="en")
    return chart


def payload(html: str) -> list[str]:
    return re.findall(r'<script type="application/json" data-pb-chart="[^"]+">(.*?)</script>', html)


def render(view, name, *args, chart_id="pb-test-0", **kwargs) -> str:
    return charts.render_chart(
        name, view, args, kwargs, env=environment(), language="en", chart_id=chart_id
    )


def test_weekly_ctr_is_computed_from_weekly_sums(view):
    chart = figure(view, "kpi_trend", "ctr", by="channel", every="week")
    traces = {t["name"]: t for t in chart.figure["data"]}
    sem = traces["sem"]
    assert sem["x"] == ["2026-09-07", "2026-09-14"]
    # week 1: 4 even + 3 odd days = 696 / 15600; week 2: 3 even + 4 odd = 648 / 18000.
    # (The mean of daily ratios would be 6.57 % and 5.43 %.)
    assert sem["y"] == [charts.num(696 / 15600), 0.036]
    assert traces["social"]["y"] == [0.01, 0.01]
    overall = figure(view, "kpi_trend", "ctr", every="week").figure["data"]
    assert [t["y"] for t in overall] == [[charts.num(836 / 29600), charts.num(788 / 32000)]]


def test_weekly_trend_follows_the_plans_week_start(tmp_path):
    """A plan whose weeks start on Sunday (content.week_start) sums its weekly trend over
    the same Sunday weeks as its calendar and weekly reports."""
    plan = PLAN.replace("  risks:", "  content: {week_start: sunday}\n  risks:", 1)
    (tmp_path / "docs").mkdir()
    (tmp_path / "data").mkdir()
    (tmp_path / "docs" / "plan.md").write_text(plan % {"statement": "to 6%"}, "utf-8")
    (tmp_path / "data" / "ads.csv").write_text(rows(), "utf-8")
    project = Project(Settings(root=tmp_path, docs_dir=tmp_path / "docs", language="en"))
    sunday = project.evaluate(next(p for p in project.scan() if p.plan))
    assert sunday.plan.first_weekday == 6
    clicks = figure(sunday, "kpi_trend", "clicks", every="week").figure["data"][0]
    # Mon 09-07 … Sun 09-20: the Sunday weeks from 09-06 (6 days), 09-13 (7) and 09-20 (1)
    assert clicks["x"] == ["2026-09-06", "2026-09-13", "2026-09-20"]
    assert clicks["y"] == [3 * 120 + 3 * 72 + 6 * 20, 4 * 120 + 3 * 72 + 7 * 20, 72 + 20]


def test_trend_every_is_chosen_by_span(view):
    assert figure(view, "kpi_trend", "clicks").figure["data"][0]["x"][0] == "2026-09-07"
    assert len(figure(view, "kpi_trend", "clicks").figure["data"][0]["x"]) == 14  # daily
    assert charts.auto_every(date(2026, 1, 1), date(2026, 3, 31)) == "day"
    assert charts.auto_every(date(2026, 1, 1), date(2026, 12, 31)) == "week"
    assert charts.auto_every(date(2025, 1, 1), date(2027, 6, 30)) == "month"
    month = figure(view, "kpi_trend", "clicks", every="month").figure["data"][0]
    assert month["x"] == ["2026-09-01"]
    assert month["y"] == [7 * 120 + 7 * 72 + 14 * 20]


def test_goal_pacing_chart(view):
    chart = figure(view, "goal_chart", "sem-ctr")
    actual, pacing, target, forecast = chart.figure["data"]
    assert len(actual["x"]) == 14 and actual["x"][-1] == "2026-09-20"
    assert pacing["x"] == ["2026-09-07", "2026-12-31"] and pacing["y"] == [0.03, 0.06]
    assert target["y"] == [0.06, 0.06]
    assert forecast["x"] == ["2026-09-20", "2026-12-31"]
    lines = [s["x0"] for s in chart.figure["layout"]["shapes"]]
    assert lines == ["2026-12-31", "2026-09-20"]  # deadline and as-of markers
    assert chart.figure["layout"]["yaxis"]["tickformat"].endswith("%")
    # one date format per language: the tables' (Babel medium), not ISO
    assert chart.headers and chart.rows[-1][0] == "Sep 20, 2026"
    grid = charts.build_charts("goal_charts", view, (), {}, language="en")
    assert len(grid) == 2


def test_other_charts_traces_and_points(view):
    budget = figure(view, "budget_chart").figure["data"]
    # planned, spent on pace, spent too fast (its own legend entry), caps, allocation
    assert [t["type"] for t in budget] == ["bar", "bar", "bar", "scatter", "pie"]
    assert [t.get("orientation") for t in budget[:3]] == ["h"] * 3
    assert budget[0]["x"] == [6000, 4000]
    spent = {y: x for t in budget[1:3] for y, x in zip(t["y"], t["x"], strict=True)}
    assert spent == {"sem": 1680, "social": 700}
    assert budget[1]["offsetgroup"] == budget[2]["offsetgroup"] == "spent"
    assert budget[2]["name"] == "Spent (Spending ahead of time)"
    assert budget[3]["x"] == [7000]
    channel = figure(view, "channel_chart").figure["data"]
    assert [t["type"] for t in channel] == ["scatter", "bar", "bar"]
    assert channel[0]["x"] == [1680, 700] and channel[0]["y"] == [8400, 560]
    assert channel[1]["x"] == [4, -0.2]  # ROI = revenue / spend - 1, bars across
    assert channel[1]["y"] == ["sem", "social"] and channel[1]["text"] == ["400.0%", "-20.0%"]
    funnel = figure(view, "funnel_chart").figure["data"]
    assert funnel[0]["x"] == [61600, 1624, 350]
    per_channel = figure(view, "funnel_chart", by="channel")
    # counts differ by orders of magnitude: the stage-to-stage rates per value are drawn
    ctr, cvr = per_channel.figure["data"]
    assert ctr["y"] == ["sem", "social"]  # by impressions
    assert ctr["x"] == [0.04, 0.01] and cvr["x"] == [0.25, 0.05]
    assert ctr["text"] == ["4.00%", "1.00%"]
    assert ctr["marker"]["color"] == cvr["marker"]["color"]
    assert per_channel.headers == [
        "Channel",
        "Impressions",
        "Clicks",
        "Clicks / Impressions",
        "Conversions",
        "Conversions / Clicks",
        "Revenue",
        "Revenue per conversion",
    ]
    assert per_channel.rows[0][:6] == ["sem", "33,600", "1,344", "4.00%", "336", "25.00%"]
    sem_only = figure(view, "funnel_chart", "sem").figure["data"]
    assert sem_only[0]["x"] == [33600, 1344, 336]
    timeline = figure(view, "timeline_chart").figure["data"]
    assert [len(t["x"]) for t in timeline] == [2, 1, 1]
    risk = figure(view, "risk_matrix").figure["data"]
    assert [t["type"] for t in risk] == ["heatmap", "scatter"]
    # numbered by score on the matrix (titles collide there), named in the key below it
    assert risk[1]["text"] == ["2", "1"]
    assert figure(view, "risk_matrix").caption == ["PR crisis", "Tracking gaps"]


def test_budget_legend_names_the_bars_and_the_donut_names_its_slices(view):
    """The legend mixed the bars' states and the donut's items, a teal slice beside the
    teal of "spent" (outside reading, stop 31): the slices are named on the donut."""
    data = figure(view, "budget_chart").figure["data"]
    pie = next(t for t in data if t["type"] == "pie")
    assert pie["showlegend"] is False
    assert "%{label}" in pie["texttemplate"] and "%{percent}" in pie["texttemplate"]
    in_legend = [t["name"] for t in data if t.get("showlegend", True)]
    assert in_legend == ["Planned", "Spent", "Spent (Spending ahead of time)", "Cap"]


@pytest.mark.parametrize("metric", ["revenue", "conversions", "roi"])
def test_channel_bubbles_are_placed_from_zero(view, metric):
    """Spend from ¥8万 made a channel with half another's spend look a tenth of it
    (outside reading, stop 31): both axes of the bubbles start at zero."""
    lay = figure(view, "channel_chart", metric).figure["layout"]
    for axis in (lay["xaxis"], lay["yaxis"]):
        assert axis["rangemode"] == "tozero"
        assert "tickvals" not in axis or axis["tickvals"][0] <= 0
    assert lay["xaxis"]["tickvals"][0] == 0


def test_payload_does_not_grow_with_row_count(tmp_path):
    small = evaluate(tmp_path / "a", rows(campaigns=1))
    large = evaluate(tmp_path / "b", rows(campaigns=24))
    assert large.data.source_rows > 12 * small.data.source_rows  # the cube sums them
    for name, args, kwargs in (
        ("goal_chart", ("sem-ctr",), {}),
        ("kpi_trend", ("ctr",), {"by": "channel"}),
        ("funnel_chart", (), {}),
    ):
        assert payload(render(small, name, *args, **kwargs)) == payload(
            render(large, name, *args, **kwargs)
        )


def test_hostile_strings_cannot_break_out(tmp_path):
    view = evaluate(tmp_path, rows(social=HOSTILE), statement=HOSTILE)
    html = render(view, "kpi_trend", "ctr", by="channel") + render(view, "goal_chart", "sem-ctr")
    for body in payload(html):
        assert (
            "<" not in body
            and ">" not in body
            and "&" not in body[:0] + body.replace("\\u0026", "")
        )
        data = json.loads(body)
        text = json.dumps(data, ensure_ascii=False)
        assert HOSTILE not in text  # entity-escaped for plotly's pseudo-HTML
    names = [t["name"] for t in json.loads(payload(html)[0])["data"]]
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in names
    assert html.count("<script") == 2 and html.count("</script>") == 2
    assert "<img" not in html
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in html  # caption and table


def test_output_is_deterministic(tmp_path):
    first = evaluate(tmp_path / "a", rows())
    second = evaluate(tmp_path / "b", rows())
    for name in charts.CHARTS:
        args = {"goal_chart": ("sem-ctr",), "kpi_trend": ("ctr",)}.get(name, ())
        assert render(first, name, *args) == render(second, name, *args)


def test_bad_arguments_are_explained(view):
    def check(name, *args, **kwargs):
        return charts.check_chart_arguments(name, args, kwargs, view)

    assert check("goal_chart", "sem-ctr") is None
    assert "did you mean 'sem-ctr'" in check("goal_chart", "sem-ctl")
    assert "needs goal" in check("goal_chart")
    assert "did you mean 'ctr'" in check("kpi_trend", "ctx")
    assert "did you mean 'week'" in check("kpi_trend", "ctr", every="weekly")
    assert "did you mean 'channel'" in check("kpi_trend", "ctr", by="chanel")
    assert "has no argument colour" in check("budget_chart", colour="red")
    assert "at most 0 positional" in check("risk_matrix", 1)
    assert "'revenue' or 'conversions'" in check("channel_chart", "profit")
    assert "did you mean 'sem'" in check("funnel_chart", "semm")


def test_no_data_says_so(tmp_path):
    view = evaluate(tmp_path, "date,channel,impressions,clicks\n")
    html = render(view, "goal_chart", "sem-ctr") + render(view, "funnel_chart")
    assert html.count("pb-chart__empty") == 2
    assert "data-pb-chart" not in html and 'class="pb-chart"' not in html


def test_assets_and_script_tags():
    assert charts.plotly_js_path().name == "plotly.min.js" and charts.plotly_js_path().is_file()
    assert charts.charts_js_path().is_file() and charts.charts_css_path().is_file()
    tags = charts.script_tags("../../")
    assert '<script src="../../assets/planbook/plotly.min.js" defer></script>' in tags
    assert tags.index("plotly.min.js") < tags.index("planbook-charts.js")
    assert 'src="assets/planbook/' in charts.script_tags("")


def test_one_colour_per_value_on_every_chart(view):
    colours = {}
    bubbles = figure(view, "channel_chart").figure["data"][0]
    colours["bubbles"] = dict(zip(bubbles["text"], bubbles["marker"]["color"], strict=True))
    rates = figure(view, "funnel_chart", by="channel").figure["data"][0]
    colours["funnel"] = dict(zip(rates["y"], rates["marker"]["color"], strict=True))
    trend = figure(view, "kpi_trend", "ctr", by="channel").figure["data"]
    colours["trend"] = {t["name"]: t["line"]["color"] for t in trend}
    assert colours["bubbles"] == colours["funnel"] == colours["trend"]
    assert colours["trend"]["sem"] == charts.value_colour("sem", {})


def test_value_colour_is_derived_from_the_value_and_configurable():
    labels = {"sem": "百度 SEM", "wechat": "微信"}
    assert charts.value_colour("sem", labels) == "pb:c0"
    assert charts.value_colour("wechat", labels) == "pb:c1"
    # not listed: a hash of the value, the same in every build
    assert charts.value_colour("douyin", labels) == charts.value_colour("douyin", {})
    assert charts.value_colour("douyin", {}).startswith("pb:c")
    assert charts.value_colour("wechat", labels, {"wechat": 9}) == "pb:c8"
    assert charts.value_colour("wechat", labels, {"wechat": "#07c160"}) == "#07c160"


# ----------------------------------------------------------------------------- index text


@pytest.mark.parametrize(
    "index",
    [
        pd.CategoricalIndex(["wechat", "baidu-sem", "wechat"], categories=["baidu-sem", "wechat"]),
        pd.CategoricalIndex(pd.array(["b", "a", "c"], dtype="string[pyarrow]")),
        pd.CategoricalIndex(["010", "0010", "1e3"]),  # text stays as written
        pd.CategoricalIndex([], categories=["a", "b"]),
        pd.CategoricalIndex(["a", None, "b"]),  # a missing value: the index's own reading
        pd.CategoricalIndex(["a"], categories=[f"c{i}" for i in range(500)] + ["a"]),  # many
        pd.CategoricalIndex([1, 2, 1]),  # numbers as categories
        pd.Index(["x", "y"]),
        pd.Index([3, 4]),
    ],
)
def test_index_text_is_the_text_of_each_value(index: pd.Index) -> None:
    assert index_text(index) == [str(v) for v in index.tolist()]
