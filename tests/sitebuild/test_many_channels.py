"""A channel table (and a report's) lists the 100 values with the most spend and says how
many more there are: 100,000 channel values made a 70 MB page and a 1 GB build (outside
test, stop 30). The total row and the CSV download keep every value; a site whose own
templates render the sections gets the same page."""

from __future__ import annotations

import csv
import io
import logging
from pathlib import Path

from tests.sitebuild.test_written_sections import _copy_shipped

N = 150
CSV = (
    "date,channel,impressions,clicks,spend\n"
    + "".join(f"2026-09-{1 + i % 6:02d},ch{i:03d},1000,{10 + i},{100 + i}\n" for i in range(N))
    + "2026-09-14,ch000,0,0,0\n"
)  # a later day: the week of Sep 1-6 is over, its report made
PLAN = """---
plan:
  id: p
  period: {start: 2026-09-01, end: 2026-12-31}
  metrics: [data/ads.csv]
  reports: {every: week}
---
# P

{{ channel_table() }}
"""


def _check(built) -> str:
    assert built.error is None, built.logged(logging.ERROR)
    soup = built.html("p/index.html")
    table = soup.select_one(".pb-channels")
    rows = table.select("tbody tr")
    assert len(rows) == 100
    assert rows[0].select_one("th, td").get_text(strip=True) == "ch149"  # most spend first
    caption = table.select_one(".pb-more-rows").get_text(strip=True)
    assert (
        caption == "表中列出花费最高的 100 项，另有 50 项未列出（已计入合计）；CSV 下载包含全部。"
    )
    clicks = sum(10 + i for i in range(N))  # every value, listed or not
    assert f"{clicks:,}" in table.select_one("tfoot").get_text(" ", strip=True)
    download = (built.root / "site" / "p" / "p-channels.csv").read_text("utf-8-sig")
    assert len(list(csv.DictReader(io.StringIO(download)))) == N + 1  # and the total row
    (first, *_) = sorted((built.root / "site" / "p" / "reports").glob("*/index.html"))
    report = built.html(first.relative_to(built.root / "site").as_posix())
    assert len(report.select(".pb-report tbody tr[data-channel]")) == 100
    assert report.select_one(".pb-more-rows") is not None
    # the status rule beside the KPI table: why "on track" may stand beside a missed ✘
    assert report.select_one(".pb-status-rule").get_text() == (
        "状态按进度判断：进度达到应达进度的 95% 及以上为按计划，80% 至 95% 为有风险，更低为落后；"
        "阶段目标后的 ✔/✘ 只看那天是否达到了阶段目标值。"
    )
    return built.raw("p/index.html")


def test_a_table_of_many_channels_lists_the_first_100(build_site, tmp_path: Path) -> None:
    written = _check(build_site({"p.md": PLAN}, {"ads.csv": CSV}))
    _copy_shipped(tmp_path / "own")
    own = _check(
        build_site(
            {"p.md": PLAN}, {"ads.csv": CSV}, options=f"custom_templates: {tmp_path / 'own'}"
        )
    )
    assert own == written
