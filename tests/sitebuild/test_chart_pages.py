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
