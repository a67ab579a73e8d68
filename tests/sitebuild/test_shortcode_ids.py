"""A section's list of ids names only what the plan has: a typo in
``kpi_table(goals=…)``, ``channel_table(kpis=…)`` or ``personas(ids=…)`` emptied the
section without a word, and a keyword given twice let the last win (outside test,
stop 30). Chart shortcodes' messages are said in the site's language."""

from __future__ import annotations

import logging

CSV = "date,channel,impressions,clicks,spend\n2026-09-01,sem,1000,50,300\n"

PAGE = """---
plan:
  id: p
  period: {start: 2026-09-01, end: 2026-12-31}
  metrics: [data/ads.csv]
  goals:
    - {id: web-traffic, statement: 点击 600, kpi: clicks, baseline: 0, target: 600, deadline: 2026-12-31}
    - {id: leads, statement: 点击 700, kpi: clicks, baseline: 0, target: 700, deadline: 2026-12-31}
  personas: [{id: li-ming, name: 李明}]
---
# P

{{ kpi_table(goals=["web_traffic", "leads"]) }}

{{ kpi_table(goals=["leads"], goals=["lead"]) }}

{{ channel_table(kpis=["CTR", "spend"]) }}

{{ personas(ids=["liming"]) }}

{{ goal_chart("nope") }}
"""


def _errors(built) -> list[str]:
    return [m.removeprefix("planbook: ") for m in built.logged(logging.ERROR)]


def test_unknown_ids_are_named_with_a_close_match(build_site) -> None:
    built = build_site({"p.md": PAGE}, {"ads.csv": CSV}, strict=False)
    assert _errors(built) == [
        "docs/p.md:13: 错误: {{ kpi_table() }}：goals= 中的 'web_traffic' 在本计划中不存在"
        "（是不是 'web-traffic'？）；可用：web-traffic, leads [shortcode/arguments]",
        "docs/p.md:15:1: 错误: {{ kpi_table(…) }}：参数 goals 给了两次 [shortcode/arguments]",
        "docs/p.md:17: 错误: {{ channel_table() }}：kpis= 中的 'CTR' 在本计划中不存在"
        "（是不是 'ctr'？）；可用：spend, impressions, clicks, conversions, new_customers, "
        "revenue, ctr, cpc, cvr, cpa, cac, roas … [shortcode/arguments]",
        "docs/p.md:19: 错误: {{ personas() }}：ids= 中的 'liming' 在本计划中不存在"
        "（是不是 'li-ming'？）；可用：li-ming [shortcode/arguments]",
        "docs/p.md:21: 错误: {{ goal_chart() }}：没有 id 为 'nope' 的目标；已有目标："
        "web-traffic, leads [shortcode/arguments]",
    ]
    soup = built.html("p/index.html")
    # the sections are drawn with the ids they know
    goal_rows = [tr for tr in soup.select("table tr") if "leads" in tr.get("data-goal", "")]
    assert goal_rows


def test_in_english_too(build_site) -> None:
    built = build_site({"p.md": PAGE}, {"ads.csv": CSV}, strict=False, language="en")
    errors = _errors(built)
    assert (
        "docs/p.md:13: error: {{ kpi_table() }}: goals= names 'web_traffic', which this plan "
        "has not (did you mean 'web-traffic'?); it has: web-traffic, leads [shortcode/arguments]"
    ) in errors
    assert (
        "docs/p.md:15:1: error: {{ kpi_table(…) }}: goals is given twice [shortcode/arguments]"
        in errors
    )
