"""Every chart type drawn by plotly.js in headless Chromium, offline, in both palettes."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

HOSTILE = "</script><img src=x onerror=alert(1)>"

# What a chart drew: trace types, points per trace as plotly computed them, SVG elements.
INFO = """(id) => {
  const el = document.getElementById(id);
  return {
    types: el._fullData.map((t) => t.type),
    points: el.calcdata.map((c) => c.length),
    svgTraces: el.querySelectorAll("g.trace").length,
    bars: el.querySelectorAll("g.barlayer g.point, g.funnellayer g.point").length,
    markers: el.querySelectorAll("g.scatterlayer path.point").length,
    slices: el.querySelectorAll("g.slice").length,
    heatmaps: el.querySelectorAll("g.heatmaplayer image").length,
    // x as plotted (a trend's dates travel once in the payload) and an axis colour the
    // loader puts back into every axis
    xs: el.data.map((t) => (Array.isArray(t.x) ? t.x.length + " from " + t.x[0] : typeof t.x)),
    grid: (el.layout.xaxis || {}).gridcolor,
  };
}"""


def _charts(s):
    return s.page.eval_on_selector_all(".pb-chart", "els => els.map(e => e.id)")


def test_every_chart_type_draws_its_traces_and_points(session):
    session.open("plans/demo/")
    ids = _charts(session)
    assert len(ids) == 9
    info = {i: session.page.evaluate(INFO, i) for i in ids}
    goal, grid_a, grid_b, trend, budget, channels, funnel, timeline, risks = (info[i] for i in ids)
    # goal pacing: actual (70 days, Sep 1 - Nov 9), pacing line, target, forecast
    assert goal["types"] == ["scatter"] * 4
    assert goal["points"] == [70, 2, 2, 2]
    assert goal["svgTraces"] == 4
    assert grid_a["points"][0] == 70 and grid_b["types"] == ["scatter"] * 4
    # CTR by week (Mondays Aug 31 - Nov 9: 11 weeks) for three channels
    assert trend["types"] == ["scatter"] * 3
    assert trend["points"] == [11, 11, 11]
    assert trend["markers"] == 33
    assert trend["xs"] == ["11 from 2026-08-31"] * 3
    assert goal["xs"][0] == "70 from 2026-09-01"
    # the loader's colour, however the plotly.js version writes it back (6.3 spaces it)
    grid = re.compile(r"rgba\(\s*\d+,\s*\d+,\s*\d+,\s*0\.08\)")
    assert all(grid.fullmatch(i["grid"]) for i in info.values()), [i["grid"] for i in info.values()]
    # budget: planned, spent, caps, allocation donut
    assert budget["types"] == ["bar", "bar", "scatter", "pie"]
    assert budget["bars"] == 6
    assert budget["points"][2] == 2
    assert budget["slices"] == 3
    # channels: spend/revenue bubbles, ROI and ROAS bars (no new_customers column: no CAC)
    assert channels["types"] == ["scatter", "bar", "bar"]
    assert channels["points"] == [3, 3, 3]
    assert channels["bars"] == 6
    # funnel: impressions -> clicks -> conversions
    assert funnel["types"] == ["funnel"]
    assert funnel["bars"] == 3
    # timeline: two phases, two done milestones, one open
    assert timeline["types"] == ["bar", "scatter", "scatter"]
    assert timeline["points"] == [2, 2, 1]
    assert timeline["bars"] == 2
    # risk matrix: the 5 x 5 grid and three risks
    assert risks["types"] == ["heatmap", "scatter"]
    assert risks["points"][1] == 3
    assert risks["heatmaps"] == 1
    session.screenshot("browser-demo-light.png")


def test_no_console_errors_and_nothing_leaves_localhost(session):
    session.open("plans/demo/")
    session.page.wait_for_timeout(300)
    assert session.errors == []
    outside = [u for u in session.requests if not u.startswith(session.base)]
    assert outside == []
    plotly = [u for u in session.requests if u.endswith("/assets/planbook/plotly.min.js")]
    assert plotly == [session.base + "assets/planbook/plotly.min.js"]


def _colours(session, chart_id):
    return session.page.evaluate(
        """(id) => {
          const el = document.getElementById(id);
          const tick = el.querySelector(".xtick text");
          const line = el.querySelector("g.scatterlayer g.trace path.js-line");
          return {tick: getComputedStyle(tick).fill, line: getComputedStyle(line).stroke};
        }""",
        chart_id,
    )


def test_dark_palette_switches_chart_colours(session):
    session.open("plans/demo/")
    trend = _charts(session)[3]
    light = _colours(session, trend)
    session.page.locator('[data-md-component="palette"] label:not([hidden])').first.click()
    session.page.wait_for_function(
        "document.body.getAttribute('data-md-color-scheme') === 'slate' "
        "&& document.body.hasAttribute('data-pb-palette')"
    )
    session.page.wait_for_timeout(300)
    dark = _colours(session, trend)
    assert dark["tick"] != light["tick"]  # axis text follows --md-default-fg-color
    assert dark["line"] != light["line"]  # the categorical palette has a slate variant
    session.screenshot("browser-demo-dark.png")
    assert session.errors == []


def test_hostile_strings_show_literally_and_never_run(session):
    session.open("plans/demo/")
    session.page.wait_for_timeout(500)
    page = session.page
    assert session.dialogs == []
    assert page.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0
    captions = page.eval_on_selector_all("figcaption", "els => els.map(e => e.textContent)")
    assert any(HOSTILE in c for c in captions)
    legend = page.eval_on_selector_all(".legendtext", "els => els.map(e => e.textContent)")
    assert HOSTILE in legend
    cells = page.eval_on_selector_all(".pb-chart__data td", "els => els.map(e => e.textContent)")
    assert HOSTILE in cells


def test_a_chart_without_data_says_so(session):
    session.open("plans/empty/")
    page = session.page
    notes = page.eval_on_selector_all(".pb-chart__empty", "els => els.map(e => e.textContent)")
    assert len(notes) == 2
    assert page.evaluate("document.querySelectorAll('.pb-chart').length") == 0
    assert session.errors == []
    session.screenshot("browser-empty.png")


def test_trend_hover_shows_the_figure_of_the_table_below_it(session):
    # hover text is the exact figure in the tables' format (the table said 1.2 %, the
    # hover 1.24 %; a count hovered 1.358e+6 through d3's ",.4~g"), under the date
    session.open("plans/demo/")
    page = session.page
    trend = _charts(session)[3]
    page.locator(f"#{trend}").scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    box = page.locator(f"#{trend} .nsewdrag").first.bounding_box()
    page.mouse.move(box["x"] + 10, box["y"] + 10)
    page.mouse.move(box["x"] + box["width"] * 0.8, box["y"] + box["height"] / 2, steps=8)
    page.wait_for_selector(f"#{trend} .hoverlayer text", timeout=5_000)
    hover = page.eval_on_selector_all(
        f"#{trend} .hoverlayer text", "els => els.map(e => e.textContent)"
    )
    table = page.eval_on_selector_all(
        f"#{trend} ~ .pb-chart__data tbody tr",
        "rows => rows.map(r => Array.from(r.cells).map(c => c.textContent.trim()))",
    )
    headers = page.eval_on_selector_all(
        f"#{trend} ~ .pb-chart__data thead th", "ths => ths.map(th => th.textContent.trim())"
    )
    (row,) = [r for r in table if r[0] == hover[0]]  # the hovered week, by its date
    assert sorted(hover[1:]) == sorted(
        f"{name} : {cell}" for name, cell in zip(headers[1:], row[1:], strict=True)
    )
    assert session.errors == [] and session.dialogs == []
