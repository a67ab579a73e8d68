"""Real `mkdocs build`: the deadline forecast of a rate, a cost or a count on a falling
trend is never below 0 (outside report F6: CTR -31.4 %, CPA -¥79.31 in the KPI table).

Shape: a 巨量引擎 巨量广告 2.0 数据报表 download (profile ``oceanengine``: GB18030, 时间-天
first, 项目 / 广告 name and ID pairs, quoted thousands separators, ``x.xx%`` rates), one
row a day for seven days, with the daily sums of the tester's oceanengine file (plan
``t-oe-gbk``), and goals whose deadline is months after the last day.
"""

from __future__ import annotations

import pytest

HEADER = "时间-天,项目名称,项目ID,广告名称,消耗,展示数,点击数,点击率,平均点击单价,转化数\r\n"
ROWS = [
    ("2026-09-01", "11,883.36", "134,919", "6,133", 80),
    ("2026-09-02", "12,658.74", "111,102", "3,987", 41),
    ("2026-09-03", "6,087.90", "123,478", "2,370", 64),
    ("2026-09-04", "4,027.94", "85,077", "1,391", 39),
    ("2026-09-05", "9,440.24", "69,933", "2,432", 49),
    ("2026-09-06", "3,245.69", "117,137", "1,753", 39),
    ("2026-09-07", "13,297.07", "73,505", "3,666", 85),
]
CSV = HEADER + "".join(
    f'{day},秋季新品-信息流,7410253698521478523,达人口播-A,"{spend}","{impr}","{clicks}",'
    f"1.00%,1.00,{conv}\r\n"
    for day, spend, impr, clicks, conv in ROWS
)

PLAN = """\
---
title: 趋势
plan:
  id: falling
  owner: 投放
  status: draft
  period: {start: 2026-09-01, end: 2026-12-31}
  metrics: [{path: data/oe.csv, set: {channel: douyin}}]
  goals:
    - {id: ctr, statement: 点击率 8%, kpi: ctr, baseline: 0.01, target: 0.08, deadline: 2026-12-31}
    - {id: cpa, statement: 转化成本 50 元, kpi: cpa, baseline: 500, target: 50, deadline: 2026-12-31}
    - {id: dm, statement: 日均点击 10 万, kpi: clicks, aggregate: daily_mean, baseline: 0, target: 100000, deadline: 2026-12-31}
    - {id: clicks, statement: 点击 10 万, kpi: clicks, baseline: 0, target: 100000, deadline: 2026-12-31}
---
# 趋势

{{ kpi_table() }}
"""


def _forecasts(soup) -> dict[str, tuple[str, str]]:
    """goal id -> (the forecast cell's text without its note, the note)."""
    heads = [th.get_text(strip=True) for th in soup.select(".pb-table thead th")]
    col = next(i for i, h in enumerate(heads) if h in ("截止预测", "Forecast"))
    out = {}
    for tr in soup.select("tr[data-goal]"):
        cell = tr.find_all("td")[col]
        note = cell.select_one(".pb-forecast-floor")
        said = note.get_text(strip=True) if note else ""
        if note:
            note.extract()
        out[tr["data-goal"]] = (cell.get_text(strip=True), said)
    return out


@pytest.mark.parametrize("language", ["zh", "en"])
def test_falling_rates_costs_and_counts_show_no_negative_forecast(build_site, language):
    built = build_site(
        {"index.md": "# Home\n", "plans/falling.md": PLAN},
        {"oe.csv": CSV.encode("gb18030")},
        language=language,
    )
    assert built.error is None, built.messages
    cells = _forecasts(built.html("plans/falling/index.html"))
    running = cells.pop("clicks")
    assert running[1] == "" and not running[0].startswith(("-", "−"))  # a real projection
    if language == "zh":
        assert cells == {
            "ctr": ("—", "趋势外推低于 0.0%，不作预测"),
            "cpa": ("—", "趋势外推低于 ¥0.00，不作预测"),
            "dm": ("—", "趋势外推低于 0，不作预测"),
        }
    else:
        assert cells == {
            "ctr": ("—", "trend falls below 0.0%: not projected"),
            "cpa": ("—", "trend falls below CN¥0.00: not projected"),
            "dm": ("—", "trend falls below 0: not projected"),
        }
    # No forecast trace below 0 in the goal charts either (none is drawn).
    html = built.raw("plans/falling/index.html")
    assert "-31.36" not in html and "−31.4" not in html and "-31.4" not in html
