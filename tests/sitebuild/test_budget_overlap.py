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


def test_the_total_rows_use_reads_as_the_card_above_it(build_site) -> None:
    """The card said 51.2% and the total row 51% (outside reading, stop 30)."""
    page = PLAN.replace("match: [sem, social, social]", "match: [social]")
    built = build_site({"p.md": page}, {"ads.csv": CSV.replace(",200\n", ",212.3\n")})
    soup = built.html("p/index.html")
    figures = [f.get_text(" ", strip=True) for f in soup.select(".pb-figure")]
    assert "预算使用 51.2%" in figures
    total = soup.select_one("tfoot").get_text(" ", strip=True)
    assert "51.2%" in total
    rows = [tr.get_text(" ", strip=True) for tr in soup.select("tr[data-item]")]
    assert any("60.0%" in r for r in rows) and any("42.5%" in r for r in rows)  # 300/500, 212.3/500
