"""Real `mkdocs build`: a plan whose spend comes from the ad export and whose revenue
comes from the orders file shows ROI per channel and in total (file-aware row rule)."""

from __future__ import annotations

import pytest

DAYS = range(1, 11)
# Per day: sem ¥100 spend, social ¥50 (the ad export); sem ¥150 revenue, social ¥40,
# seo ¥30 (the orders file, which has no spend column).
ADS = "date,channel,spend,clicks\n" + "".join(
    f"2026-09-{d:02d},{ch},{spend},10\n"
    for d in DAYS
    for ch, spend in (("sem", 100), ("social", 50))
)
ORDERS = "日期,渠道,销售额\n" + "".join(
    f"2026-09-{d:02d},{ch},{rev}\n"
    for d in DAYS
    for ch, rev in (("sem", 150), ("social", 40), ("seo", 30))
)

PLAN = """\
---
title: 两个文件
plan:
  id: two-files
  owner: 营销总监
  status: review
  period: {start: 2026-09-01, end: 2026-09-30}
  metrics: [data/ads.csv, data/orders.csv]
---
# 两个文件
"""


@pytest.fixture
def soup(build_site):
    built = build_site(
        {"index.md": "# Home\n", "plans/two.md": PLAN}, {"ads.csv": ADS, "orders.csv": ORDERS}
    )
    assert built.error is None, built.messages
    return built.html("plans/two/index.html")


def _roi_cells(soup) -> dict[str, str]:
    table = soup.select_one(".pb-channels")
    heads = [th.get_text(strip=True) for th in table.select("thead th")]
    col = heads.index("投资回报率") - 1  # the first header is the channel's
    out = {}
    for tr in table.select("tbody tr"):
        out[tr["data-channel"]] = tr.find_all("td")[col + 1].get_text(strip=True)
    total = table.select_one("tfoot tr").find_all("td")[col]
    out["total"] = total.get_text(strip=True)
    return out


def test_roi_from_spend_and_revenue_in_different_files(soup):
    cells = _roi_cells(soup)
    # sem 1500 / 1000 - 1; social 400 / 500 - 1; total (1500 + 400) / 1500 - 1, seo (only
    # revenue) left out of the total and named in the footnote.
    assert cells == {"sem": "50.0%", "social": "-20.0%", "seo": "—", "total": "26.7%*"}
    note = soup.select_one(".pb-channels").find_next(
        string=lambda s: "投资回报率" in s and "合计行" in s
    )
    assert note is not None and "齐全的 2 项" in note and "另有 1 项" in note
