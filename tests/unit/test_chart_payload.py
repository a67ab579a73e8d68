"""Chart payloads with known numbers (a year-long plan, 10 clicks a day), the data-table
rows written without jinja, and chart builds that never import plotly."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date, timedelta
from pathlib import Path

import jinja2
import pytest
from markupsafe import Markup

from planbook.project import Project, Settings
from planbook.views import charts
from planbook.views.charts.embed import table_rows
from planbook.views.charts.payload import AXIS_COLOURS, LOADER_CONFIG, compact
from planbook.views.render_env import environment

# 10 clicks a day from Jan 1: the running total on day k (0-based) is 10 * (k + 1), and
# the pacing line from 0 on Jan 1 to 3,640 on Dec 31 (364 days on) expects 10 * k.
PLAN = """\
---
plan:
  id: long
  period: {start: 2026-01-01, end: 2026-12-31}
  metrics: [data/ads.csv]
  goals:
    - {id: clicks, statement: Clicks, kpi: clicks, aggregate: sum, baseline: 0, target: 3640, deadline: 2026-12-31}
---
# Long
"""

DAY0 = date(2026, 1, 1)


def long_view(root: Path, days: int, channel: str = "sem", clicks: int = 10):
    (root / "docs").mkdir(parents=True)
    (root / "data").mkdir()
    (root / "docs" / "plan.md").write_text(PLAN, "utf-8")
    csv = ["date,channel,clicks"]
    csv += [f'{DAY0 + timedelta(days=k)},"{channel}",{clicks}' for k in range(days)]
    (root / "data" / "ads.csv").write_text("\n".join(csv) + "\n", "utf-8")
    project = Project(Settings(root=root, docs_dir=root / "docs", language="en"))
    view = project.evaluate(next(p for p in project.scan() if p.plan))
    assert view is not None
    return view


def goal_chart(view) -> charts.Chart:
    (chart,) = charts.build_charts("goal_chart", view, ("clicks",), {}, language="en")
    return chart


def iso(k: int) -> str:
    return (DAY0 + timedelta(days=k)).isoformat()


def test_a_goal_of_100_days_plots_every_day_and_tables_every_7th_from_the_last(tmp_path):
    chart = goal_chart(long_view(tmp_path, 100))
    actual, pacing, target = chart.figure["data"][:3]
    assert actual["x"] == [iso(k) for k in range(100)]
    assert actual["y"] == [10.0 * (k + 1) for k in range(100)]
    assert actual["text"][:2] == ["10", "20"] and actual["text"][-1] == "1,000"
    assert pacing["x"] == ["2026-01-01", "2026-12-31"] and pacing["y"] == [0, 3640]
    assert target["y"] == [3640, 3640]
    # the table: day 99 (as of) and every 7th day before it, oldest first
    days = list(range(99, -1, -7))[::-1]
    assert [row[0] for row in chart.rows] == [
        f"{(DAY0 + timedelta(days=k)):%b} {(DAY0 + timedelta(days=k)).day}, 2026" for k in days
    ]
    assert chart.rows[0] == ["Jan 2, 2026", "20", "10"]
    assert chart.rows[-1] == ["Apr 10, 2026", "1,000", "990"]
    assert [row[1:] for row in chart.rows] == [[f"{10 * (k + 1):,}", f"{10 * k:,}"] for k in days]


def test_a_goal_of_250_days_plots_every_7th_day_from_the_as_of_day(tmp_path):
    chart = goal_chart(long_view(tmp_path, 250))
    actual = chart.figure["data"][0]
    days = list(range(249, -1, -7))[::-1]  # 36 points, the last one the as-of day
    assert actual["x"] == [iso(k) for k in days]
    assert actual["x"][-1] == "2026-09-07" == chart.figure["layout"]["shapes"][1]["x0"]
    assert actual["y"] == [10.0 * (k + 1) for k in days]
    assert actual["text"] == [f"{10 * (k + 1):,}" for k in days]
    assert len(chart.rows) == 36  # up to 60 points the table has them all
    assert chart.rows[-1] == ["Sep 7, 2026", "2,500", "2,490"]


def test_hover_shows_the_exact_figure_not_the_six_digit_y_that_places_the_point(tmp_path):
    # 1,358,027 clicks a day: y is rounded to 6 significant digits for the JSON, the hover
    # text is the figure the KPI table shows (it once hovered 1,358,030)
    view = long_view(tmp_path, 3, clicks=1358027)
    actual = goal_chart(view).figure["data"][0]
    assert actual["y"] == [1358030.0, 2716050.0, 4074080.0]
    assert actual["text"] == ["1,358,027", "2,716,054", "4,074,081"]
    (trend,) = charts.build_charts("kpi_trend", view, ("clicks",), {"every": "day"}, language="en")
    line = trend.figure["data"][0]
    assert line["y"] == [1358030.0] * 3
    assert line["text"] == [row[1] for row in trend.rows] == ["1,358,027"] * 3
    assert line["hovertemplate"] == "%{text}<extra>%{fullData.name}</extra>"


def test_a_goal_without_any_value_draws_nothing(tmp_path):
    view = long_view(tmp_path, 3)
    g = view.goals[0]
    g.series = g.series * float("nan")
    chart = goal_chart(view)
    assert chart.figure is None and chart.note == "No data to chart yet"


# The markup the data-table rows had when charts/table.html looped over the cells.
LOOP = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True).from_string(
    "{% for row in rows %}\n"
    '      <tr>{% for cell in row %}<td{% if not loop.first %} class="pb-num"{% endif %}>'
    "{{ cell }}</td>{% endfor %}</tr>\n"
    "{% endfor %}"
)

HOSTILE_ROWS = [
    [["</script><img src=x onerror=alert(1)>", "1"], ["a\nb", "<b>&amp;</b>", "'\"`"]],
    [["x\x00y", "\x01"], ["\x00\x01", ""]],  # the characters the fast way joins with
    [[Markup("<b>kept</b>"), "<i>"]],  # markup a caller marked safe stays markup
    [["only"], ["a", "b", "c"]],
    [["label", "1,234"]],
]


@pytest.mark.parametrize("rows", HOSTILE_ROWS)
def test_table_rows_are_the_markup_of_the_cell_loop(rows):
    assert LOOP.render(rows=rows) == "      " + table_rows(rows) + "\n"


def test_table_rows_escape_every_cell():
    html = str(table_rows([["</script><script>alert(1)</script>", "<img src=x>"], ["a\nb", "&"]]))
    assert "<script" not in html and "<img" not in html
    assert "&lt;/script&gt;&lt;script&gt;" in html and "&amp;" in html
    assert table_rows([]) == ""


def test_hostile_channel_names_stay_text_in_chart_tables_and_json(tmp_path):
    hostile = "</script><img src=x onerror=alert(1)>\x01"
    view = long_view(tmp_path, 20, channel=hostile.replace('"', ""))
    html = charts.render_chart(
        "kpi_trend",
        view,
        ("clicks",),
        {"by": "channel"},
        env=environment(),
        language="en",
        chart_id="pb-h",
    )
    assert "<img" not in html and html.count("</script>") == 1  # the payload's own end
    body = re.search(r'data-pb-chart="pb-h">(.*?)</script>', html, re.S)
    assert body is not None and "<" not in body.group(1)
    names = [t["name"] for t in json.loads(body.group(1))["data"]]
    assert names == ["&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;\x01"]
    assert '<th class="pb-num">&lt;/script&gt;&lt;img' in html


LOADER = Path(__file__).parents[2] / "templates" / "assets" / "planbook-charts.js"


def expand(payload: dict) -> dict:
    """What planbook-charts.js does to a payload before plotting (its expand and CONFIG)."""
    out = dict(payload)
    xs = out.pop("xs", None)
    if xs:
        out["data"] = [
            {**t, "x": xs[t["x"]]} if type(t.get("x")) is int else t for t in out["data"]
        ]
    out["layout"] = {
        k: {**AXIS_COLOURS, **v} if re.fullmatch(r"[xy]axis\d*", k) else v
        for k, v in out["layout"].items()
    }
    out["config"] = {**LOADER_CONFIG, **out["config"]}
    return out


def _js_object(js: str, name: str) -> dict:
    """A plain object literal of the loader (bare keys, JSON values) as a dict."""
    body = re.search(rf"var {name} = (\{{.*?\}});\n", js, re.S).group(1)
    return json.loads(re.sub(r"(\w+): ", r'"\1": ', body))


def test_the_loader_puts_back_what_the_payload_leaves_out():
    js = LOADER.read_text("utf-8")
    assert _js_object(js, "CONFIG") == {"responsive": True, **LOADER_CONFIG}
    assert _js_object(js, "AXIS") == AXIS_COLOURS
    assert "spec: expand(JSON.parse(script.textContent))" in js


def test_every_payload_expands_to_its_figure_and_a_trend_writes_its_dates_once(tmp_path):
    from tests.unit.test_charts import evaluate, rows

    view = evaluate(tmp_path, rows(campaigns=1, social="social"))
    calls = [
        ("goal_charts", (), {}),
        ("kpi_trend", ("ctr",), {"by": "channel"}),
        ("kpi_trend", ("clicks",), {}),
        ("budget_chart", (), {}),
        ("channel_chart", (), {}),
        ("funnel_chart", (), {}),
        ("funnel_chart", (), {"by": "channel"}),
        ("timeline_chart", (), {}),
        ("risk_matrix", (), {}),
    ]
    for name, args, kwargs in calls:
        for chart in charts.build_charts(name, view, args, kwargs, language="zh"):
            full = charts.with_config(chart.figure, "zh")
            payload = compact(full)
            assert expand(json.loads(charts.to_json(payload))) == full, name
            assert payload["config"] == {"locale": "zh-CN"}
    (trend,) = charts.build_charts("kpi_trend", view, ("ctr",), {"by": "channel"}, language="zh")
    payload = compact(trend.figure)
    dates = [f"2026-09-{d:02d}" for d in range(7, 21)]  # daily, two channels
    assert payload["xs"] == [dates] and [t["x"] for t in payload["data"]] == [0, 0]
    assert trend.figure["data"][1]["x"] == dates  # the figure itself is not changed


def test_goal_charts_are_shared_by_what_they_show_and_the_cache_is_bounded(tmp_path, monkeypatch):
    from planbook.views.charts import goals

    a = goal_chart(long_view(tmp_path / "a", 20))
    again = goal_chart(long_view(tmp_path / "b", 20))  # another plan, the same goal and data
    assert again is a
    assert again.rows[-1] == ["Jan 20, 2026", "200", "190"]
    longer = goal_chart(long_view(tmp_path / "c", 21))
    assert longer is not a and longer.rows[-1] == ["Jan 21, 2026", "210", "200"]
    view = long_view(tmp_path / "d", 20)
    (zh,) = charts.build_charts("goal_chart", view, ("clicks",), {}, language="zh")
    assert zh is not a and zh.rows[-1][0] == "2026年1月20日"
    (small,) = charts.build_charts("goal_charts", view, (), {}, language="en")
    assert small is not a and small.height == 260
    g = view.goals[0]
    g.series = g.series.copy()
    g.series.iloc[5] += 1  # one value differs: its own chart
    changed = goal_chart(view)
    assert changed is not a and changed.figure["data"][0]["y"][5] == 61.0
    assert a.figure["data"][0]["y"][5] == 60.0
    monkeypatch.setattr(goals, "_GOALS_MAX", 2)
    goal_chart(long_view(tmp_path / "e", 22))
    assert len(goals._GOALS) == 2


def test_a_chart_shown_on_two_pages_keeps_its_own_ids_and_its_payload_per_language(tmp_path):
    hostile = "</script><b>x</b>"
    view = long_view(tmp_path, 20)
    view.goals[0].goal = view.goals[0].goal.model_copy(update={"statement": hostile})
    chart = goal_chart(view)
    env = environment()
    first = charts.render_figures([chart], env=env, language="zh", chart_id="p1", kind="goal_chart")
    second = charts.render_figures(
        [chart], env=env, language="zh", chart_id="p2", kind="goal_chart"
    )
    assert first.replace('"p1"', '"p2"') == second
    english = charts.render_figures(
        [chart], env=env, language="en", chart_id="p3", kind="goal_chart"
    )
    locales = [
        json.loads(p)["config"]["locale"]
        for p in re.findall(r'">(\{.*?)</script>', first + english)
    ]
    assert locales == ["zh-CN", "en-US"]
    assert "<b>" not in first + english and "&lt;/script&gt;&lt;b&gt;" in first
    assert chart.rows[-1] == ["Jan 20, 2026", "200", "190"]
    assert '<td>Jan 20, 2026</td><td class="pb-num">200</td>' in english


HOSTILE_TEXT = '</script><img src=x onerror=alert(1)> "q" & \x00\x01 {{ x }}\n二'


def _chart(**kw) -> charts.Chart:
    base = dict(title="Clicks", figure={"data": [{"type": "bar", "y": [1]}], "layout": {}})
    return charts.Chart(**{**base, **kw})


CASES = {
    "drawn, table": _chart(headers=["Day", "Clicks"], rows=[["Sep 1", "10"], ["Sep 2", "20"]]),
    "drawn, no table": _chart(),
    "drawn, key and table": _chart(caption=["a", HOSTILE_TEXT], headers=["x"], rows=[["1"]]),
    "not drawn, note": _chart(figure=None, note=HOSTILE_TEXT, caption=["unshown"]),
    "not drawn, no note": _chart(figure=None, headers=["x", "y"], rows=[["1", "2"]]),
    "hostile": _chart(
        title=HOSTILE_TEXT,
        height=240,
        caption=[HOSTILE_TEXT],
        headers=[HOSTILE_TEXT, HOSTILE_TEXT],
        rows=[[HOSTILE_TEXT, HOSTILE_TEXT]],
    ),
}


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("grid", [False, True])
@pytest.mark.parametrize("case", sorted(CASES))
def test_chart_markup_written_in_python_is_the_templates_markup(case, grid, language, monkeypatch):
    from planbook.views.charts import embed

    env = environment()
    picked = [CASES[case], CASES["drawn, table"]] if grid else [CASES[case]]

    def render(templates: bool) -> str:
        monkeypatch.setattr(embed, "_overridden", lambda env: templates)
        fresh = [charts.Chart(**{**c.__dict__, "payloads": {}}) for c in picked]
        kind = "goal_charts" if grid else '<kind "x">'
        once = embed._render(
            fresh, env=env, language=language, chart_id="pb-c<1>", kind=kind, grid=grid
        )
        again = embed._render(  # the second time from the pieces kept on the chart
            fresh, env=env, language=language, chart_id="pb-c<2>", kind=kind, grid=grid
        )
        return once + "\n----\n" + again

    written = render(templates=False)
    assert written == render(templates=True)
    assert "<img" not in written and "</script><" not in written.replace("</script>\n", "")


def test_a_site_template_for_charts_is_rendered_not_bypassed(tmp_path):
    from planbook.views.charts import embed

    (tmp_path / "charts").mkdir()
    (tmp_path / "charts" / "body.html").write_text("OWN {{ chart.title }}", "utf-8")
    own = embed._render(
        [_chart()], env=environment(tmp_path), language="en", chart_id="c", kind="k"
    )
    assert "OWN Clicks" in own
    assert not embed._overridden(environment()) and embed._overridden(environment(tmp_path))


def test_a_goal_chart_stays_kept_while_300_other_goal_charts_are_drawn(tmp_path, monkeypatch):
    """A plan page shows ~5 goal charts: a plan ~60 pages on that shows the same goal over
    the same data shows the chart drawn first (256 kept let it go and drew it again)."""
    from planbook.format import formatter
    from planbook.views.charts import common, goals

    goals._GOALS.clear()
    view = long_view(tmp_path, 20)
    first = goal_chart(view)
    drawn: list[int] = []
    real = goals._goal_figure
    monkeypatch.setattr(goals, "_goal_figure", lambda *a, **k: drawn.append(1) or real(*a, **k))
    g = view.goals[0]
    t, fmt = common._T("en"), formatter("en", view.plan.currency)
    others = [
        goals.goal_figure(
            dataclasses.replace(g, goal=g.goal.model_copy(update={"target": 4000.0 + i})), t, fmt
        )
        for i in range(300)
    ]
    assert len(drawn) == 300 and len({id(c) for c in others}) == 300
    assert goal_chart(view) is first and len(drawn) == 300  # kept, not drawn again
    goals._GOALS.clear()
