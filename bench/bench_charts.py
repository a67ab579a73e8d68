"""Chart benchmark: payload of the pacing chart for 10,000 and 1,000,000 source rows,
time to build and serialise every chart of a plan page, and chart JSON bytes per page.

    .venv/bin/python bench/bench_charts.py [--pages N]
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bigdata import write_big_csv

from planbook.project import Project, Settings
from planbook.views import charts
from planbook.views.render_env import environment

PLAN = """\
---
plan:
  id: bench
  period: {start: 2026-09-01, end: 2027-08-31}
  metrics: [data/ads.csv]
  goals:
    - {id: ctr, statement: CTR to 4%, kpi: ctr, baseline: 0.03, target: 0.04, deadline: 2027-08-31}
    - {id: sem-roi, statement: SEM ROI, kpi: roi, filter: {channel: baidu-sem}, baseline: 1, target: 2, deadline: 2027-08-31}
    - {id: conv, statement: Conversions, kpi: conversions, aggregate: sum, baseline: 0, target: 9000000, deadline: 2027-08-31}
  budget:
    total: 50000000
    allocations:
      - {item: search, share: 0.5, cap: 30000000, match: [baidu-sem, seo]}
      - {item: social, share: 0.5, match: [wechat, weibo, douyin, xiaohongshu, bilibili, zhihu, kol, email]}
  phases:
    - {name: Build-up, start: 2026-09-01, end: 2026-11-30, milestones: [{name: Launch, date: 2026-09-15, done: true}]}
    - {name: Growth, start: 2026-12-01, end: 2027-05-31}
    - {name: Maturity, start: 2027-06-01, end: 2027-08-31}
  risks:
    - {id: pr, title: PR crisis, category: reputation, likelihood: 3, impact: 5}
    - {id: budget, title: Budget overrun, category: financial, likelihood: 3, impact: 3}
---
# Bench
"""

PAGE_CHARTS = (
    ("goal_chart", ("ctr",), {}),
    ("goal_charts", (), {}),
    ("kpi_trend", ("ctr",), {"by": "channel"}),
    ("kpi_trend", ("roi",), {"by": "campaign"}),
    ("budget_chart", (), {}),
    ("channel_chart", (), {}),
    ("funnel_chart", (), {"by": "channel"}),
    ("timeline_chart", (), {}),
    ("risk_matrix", (), {}),
)


def json_bytes(html: str) -> int:
    found = re.findall(r'data-pb-chart="[^"]+">(.*?)</script>', html)
    return sum(len(s.encode("utf-8")) for s in found)


def site(root: Path, rows: int):
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "plan.md").write_text(PLAN, "utf-8")
    write_big_csv(root / "data" / "ads.csv", rows)
    project = Project(Settings(root=root, docs_dir=root / "docs", language="zh"))
    page = next(p for p in project.scan() if p.plan)
    t = time.perf_counter()
    view = project.evaluate(page)
    return view, time.perf_counter() - t


def run(workdir: Path, pages: int = 200) -> dict:
    """Chart payload for a 10,000- and a 1,000,000-row source, and chart time per page."""
    env = environment()
    out: dict[str, dict] = {}
    for rows in (10_000, 1_000_000):
        root = workdir / f"r{rows}"
        if root.exists():
            shutil.rmtree(root)
        view, evaluate_s = site(root, rows)
        pacing = charts.render_chart(
            "goal_chart", view, ("ctr",), {}, env=env, language="zh", chart_id="pb-b-0"
        )
        t = time.perf_counter()
        first_html = [
            charts.render_chart(n, view, a, k, env=env, language="zh", chart_id=f"pb-b-{i}")
            for i, (n, a, k) in enumerate(PAGE_CHARTS)
        ]
        cold = time.perf_counter() - t
        t = time.perf_counter()
        for _ in range(pages):
            for i, (n, a, k) in enumerate(PAGE_CHARTS):
                charts.render_chart(n, view, a, k, env=env, language="zh", chart_id=f"pb-b-{i}")
        warm = (time.perf_counter() - t) / pages
        out[str(rows)] = {
            "pacing_chart_json_bytes": json_bytes(pacing),
            "plan_evaluation_ms": round(evaluate_s * 1000, 1),
            "charts_first_page_ms": round(cold * 1000, 1),
            "charts_per_page_ms": round(warm * 1000, 1),
            "chart_json_bytes_per_page": sum(json_bytes(h) for h in first_html),
            "charts_per_page": len(PAGE_CHARTS),
        }
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=200, help="pages sharing the data (warm)")
    opts = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        result = run(Path(tmp), opts.pages)
    for rows, r in result.items():
        print(f"source rows {int(rows):,}")
        for key, value in r.items():
            print(f"  {key:28} {value:>12,}")


if __name__ == "__main__":
    main()
