"""A real `mkdocs build` of plans written alike with every chart: the pages after the
first keep the charts they share by reference until they are written (charts/pieces.py)
and show the same charts as the first, each with its own ids; hostile text stays text."""

from __future__ import annotations

import json
import re

import pytest

HOSTILE = "</script><!--x-->\u2028预算"

PLAN = """\
---
plan:
  id: {id}
  period: {{start: 2026-09-01, end: 2026-10-31}}
  metrics: [data/ads.csv]
  goals:
    - {{id: clicks, statement: "{statement}", kpi: clicks, aggregate: sum, baseline: 0, target: 200, deadline: 2026-10-31}}
    - {{id: roi, statement: ROI, kpi: roi, baseline: 0.5, target: 1.5, deadline: 2026-10-31}}
  budget:
    total: 1000
    allocations:
      - {{item: sem, share: 0.6, cap: 700}}
      - {{item: social, share: 0.4}}
  phases:
    - {{name: 预热期, start: 2026-09-01, end: 2026-09-30, milestones: [{{name: "{statement}", date: 2026-09-10, done: true}}]}}
    - {{name: Growth, start: 2026-10-01, end: 2026-10-31}}
  risks:
    - {{id: pr, title: "{statement}", category: reputation, likelihood: 3, impact: 5}}
---

# {id}

{{{{ goal_charts() }}}}

{{{{ kpi_trend("ctr", by="channel") }}}}

{{{{ budget_chart() }}}}

{{{{ channel_chart(metric="revenue") }}}}

{{{{ funnel_chart(by="channel") }}}}

{{{{ timeline_chart() }}}}

{{{{ risk_matrix() }}}}
"""

CSV = "date,channel,impressions,clicks,spend,conversions,revenue\n" + "".join(
    f"2026-09-{d:02d},sem,{1000 + d},{50 + d},{20 + d},{d % 4},{30 * d}\n"
    f"2026-09-{d:02d},social,{800 + d},{30 + d},{10 + d},{d % 3},{20 * d}\n"
    for d in range(1, 21)
)

FIGURES = re.compile(
    r'<figure class="planbook pb-chart-figure".*?</figure>|'
    r'<div class="planbook pb-chart-grid".*?</figure>\n</div>',
    re.S,
)


def charts_of(raw: str) -> list[str]:
    """The page's chart markup with its chart ids made neutral."""
    return [re.sub(r"pb-chart-[0-9a-f]{8}-", "pb-chart-ID-", m) for m in FIGURES.findall(raw)]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_plans_written_alike_show_the_same_charts_each_with_its_own_ids(build_site, language):
    pages = {"index.md": "# Home\n"}
    for i in range(4):
        pages[f"p{i}.md"] = PLAN.format(id=f"plan-{i}", statement="点击 200")
    pages["hostile.md"] = PLAN.format(id="hostile", statement=HOSTILE.replace("\u2028", "\\u2028"))
    built = build_site(pages, {"ads.csv": CSV}, language=language)
    assert built.error is None, built.messages
    shown = [charts_of(built.raw(f"p{i}/index.html")) for i in range(4)]
    assert len(shown[0]) == 7  # the goal grid and six charts
    assert all(s == shown[0] for s in shown[1:])
    ids = [re.findall(r'data-pb-chart="([^"]+)"', built.raw(f"p{i}/index.html")) for i in range(4)]
    assert (
        len({i for page in ids for i in page}) == sum(map(len, ids)) == 4 * 8
    )  # two goals and six charts, all drawn
    raw = built.raw("hostile/index.html")
    payloads = re.findall(
        r'<script type="application/json" data-pb-chart="[^"]+">(.*?)</script>', raw, re.S
    )
    assert len(payloads) == 8
    figures = [json.loads(p) for p in payloads]
    text = json.dumps(figures, ensure_ascii=False)
    assert "&lt;/script&gt;&lt;!--x--&gt;\u2028预算" in text  # plotly shows it as text
    for p in payloads:
        assert "<" not in p and "\u2028" not in p
    # the hostile title stays escaped text in the page's figure captions and tables
    assert "</script><!--x-->" not in raw
    assert built.html("hostile/index.html").find(string=re.compile("预算")) is not None


AMOUNTS_PLAN = """\
---
plan:
  id: amounts
  period: {start: 2026-09-01, end: 2026-10-31}
  metrics: [data/amounts.csv]
  goals:
    - {id: spend, statement: 花费, kpi: spend, aggregate: sum, baseline: 0, target: 3000000, deadline: 2026-10-31}
    - {id: ctr, statement: 点击率, kpi: ctr, baseline: 0.01, target: 0.05, deadline: 2026-10-31}
---

# amounts

{{ goal_chart("spend") }}

{{ goal_chart("ctr") }}
"""

# Amounts in 万 from the first day, a tie at the 万's second decimal (12,345 -> 1.2345),
# 20 days: more new values than Formatter.values formats one by one.
AMOUNTS_CSV = "date,channel,impressions,clicks,spend,conversions,revenue\n" + "".join(
    f"2026-09-{d:02d},sem,{997 * d},{13 * d + d % 7},{12345 + 987.65 * d},1,10\n"
    for d in range(1, 21)
)


def test_goal_chart_hover_texts_and_table_rows_read_as_the_tables_format(build_site, tmp_path):
    """A zh goal chart's hover texts and its table's actual and expected cells are each
    value's text in the tables' format (Formatter.value: ¥…万, 1.2%), as written on the
    built page, for amounts in 万 and percentages (issue 12: values formats them as one
    array)."""
    from bs4 import BeautifulSoup

    from planbook.format import Formatter
    from planbook.metrics.targets import expected_at
    from planbook.project import Project, Settings

    built = build_site({"index.md": "# Home\n", "p.md": AMOUNTS_PLAN}, {"amounts.csv": AMOUNTS_CSV})
    assert built.error is None, built.messages
    raw = built.raw("p/index.html")
    project = Project(Settings(root=tmp_path, docs_dir=tmp_path / "docs", language="zh"))
    page = next(p for p in project.scan() if p.plan)
    view = project.evaluate(page)
    fmt = Formatter("zh", "CNY")
    payloads = re.findall(
        r'<script type="application/json" data-pb-chart="[^"]+">(.*?)</script>', raw, re.S
    )
    tables = [  # the goal charts' data tables (the page has the review's too)
        t
        for t in BeautifulSoup(raw, "html.parser").select("table.pb-table")
        if [th.get_text() for th in t.find_all("th")] == ["日期", "实际", "应达"]
    ]
    assert len(payloads) == len(tables) == 2
    for goal, payload, table in zip(view.goals, payloads, tables, strict=True):
        values = goal.series.tolist()
        assert len(values) == 20
        hover = json.loads(payload)["data"][0]["text"]
        assert hover == [fmt.value(v, goal.format) for v in values]
        line = goal.line
        cells = [[td.get_text() for td in tr.find_all("td")] for tr in table.find_all("tr")[1:]]
        days = goal.series.index.date.tolist()
        assert cells == [
            [fmt.date(d), fmt.value(v, goal.format), fmt.value(expected_at(line, d), goal.format)]
            for d, v in zip(days, values, strict=True)
        ]
    spend_hover = json.loads(payloads[0])["data"][0]["text"]
    assert spend_hover[0] == "¥1.33万" and all(t.endswith("万") for t in spend_hover)
    assert json.loads(payloads[1])["data"][0]["text"][0].endswith("%")
