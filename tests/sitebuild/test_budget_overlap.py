"""A channel matched by two budget allocations is counted once, in the first, with an
error on the second (an outside test saw ¥800 spent of a real ¥500, both items "spending
too fast", and the portfolio's total off alike)."""

from __future__ import annotations

import logging

CSV = (
    "date,channel,impressions,clicks,spend\n"
    "2026-09-01,sem,1000,50,300\n"
    "2026-09-01,social,2000,40,200\n"
)

PLAN = """---
plan:
  id: p
  title: Overlap
  period: {start: 2026-09-01, end: 2026-12-31}
  metrics: [data/ads.csv]
  budget:
    total: 1000
    allocations:
      - {item: search, label: 搜索广告, share: 0.5, match: [sem]}
      - {item: paid-media, label: 付费媒体, share: 0.5, match: [sem, social, social]}
---
# P

{{ budget_table() }}
"""


def test_an_overlapping_match_is_counted_once_and_reported(build_site) -> None:
    built = build_site({"p.md": PLAN}, {"ads.csv": CSV}, strict=False)
    assert built.error is None
    errors = built.logged(logging.ERROR)
    assert errors == [
        "planbook: docs/p.md:11: 错误: plan.budget.allocations[1].match: 'sem' 已计入分配项 'search'"
        "（allocations[0]）；每个 channel 值只属于一个分配项，其花费只在那里计算"
        " [budget/overlapping-match]"
    ]
    soup = built.html("p/index.html")
    spent = {
        tr["data-item"]: tr.find_all("td")[2].get_text(" ", strip=True)
        for tr in soup.select("tr[data-item]")
    }
    # social once (listed twice in one allocation), sem only in the first allocation
    assert spent == {"search": "¥300", "paid-media": "¥200"}
    total = soup.select_one("tfoot") or soup.select("tr")[-1]
    assert "¥500" in total.get_text(" ", strip=True)
    assert "¥800" not in soup.get_text()


def test_a_strict_build_fails_on_it(build_site) -> None:
    built = build_site({"p.md": PLAN}, {"ads.csv": CSV}, language="en")
    assert built.error is not None
    assert any(
        "'sem' is counted in 'search' (allocations[0]) already; a channel value belongs to "
        "one allocation, so its spend is counted there only" in m
        for m in built.logged(logging.ERROR)
    )
