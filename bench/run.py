"""`make bench`: build, ingest, review and chart benchmarks with the issue's targets.

Writes bench/out/results.json and prints a Markdown table. Every figure is measured
in this run, on this machine; nothing is hard-coded.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHART_JSON = re.compile(
    r'<script type="application/json" data-pb-chart="[^"]*">(.*?)</script>', re.S
)
OUT = HERE / "out"
sys.path.insert(0, str(HERE.parent))

from bench.bigdata import CHANNELS, write_big_csv  # noqa: E402

MKDOCS_YML = """\
site_name: Bench
docs_dir: docs
theme:
  name: material
  language: zh
  features: [navigation.prune]
plugins:
  - search
{plugin}"""


CHART_SHORTCODES = """
{{ goal_charts() }}

{{ kpi_trend("ctr", by="channel") }}

{{ budget_chart() }}

{{ channel_chart() }}

{{ funnel_chart() }}

{{ timeline_chart() }}
"""


def plan_page(i: int, charts: bool = False) -> str:
    ch = CHANNELS
    a, b, c = ch[i % 10], ch[(i + 3) % 10], ch[(i + 6) % 10]
    allocations = "ALLOCATIONS"
    text = textwrap.dedent(f"""\
    ---
    title: 基准计划 {i:03d}
    plan:
      id: bench-{i:03d}
      owner: 营销总监
      status: review
      period: {{start: 2026-09-01, end: 2027-08-31}}
      metrics: [data/big.csv]
      goals:
        - {{id: ctr, statement: {a} 点击率提升, kpi: ctr, window: 7d, filter: {{channel: {a}}}, baseline: 0.01, target: 0.05, deadline: 2027-06-30, owner: 优化师}}
        - {{id: conversions, statement: {b} 转化, kpi: conversions, filter: {{channel: {b}}}, baseline: 0, target: 400000, deadline: 2027-08-31}}
        - {{id: roi, statement: 全渠道 ROI, kpi: roi, baseline: 0.5, target: 1.5, deadline: 2027-08-31}}
        - {{id: spend, statement: 日均花费, kpi: spend, aggregate: daily_mean, window: 7d, filter: {{channel: [{a}, {c}]}}, baseline: 1000, target: 5000, deadline: 2027-03-31}}
        - {{id: cpa, statement: {c} CPA, kpi: cpa, filter: {{channel: {c}}}, baseline: 80, target: 40, deadline: 2027-08-31}}
      budget:
        total: 100000000
        allocations:
    {allocations}
      phases:
        - {{name: 预热期, start: 2026-09-01, end: 2026-10-31, milestones: [{{name: 官宣, date: 2026-09-15, done: true}}]}}
        - {{name: 爆发期, start: 2026-11-01, end: 2027-02-28}}
        - {{name: 稳定期, start: 2027-03-01, end: 2027-08-31}}
      personas:
        - {{id: p1, name: 李明, age: 30, city: 上海, occupation: IT 工程师, interests: [数码, 健身]}}
        - {{id: p2, name: 王芳, age: 26, city: 成都, occupation: 新媒体运营}}
      team:
        - {{role: 营销总监, name: 张伟, duties: 统筹}}
        - {{role: 数据分析师, name: 王芳, duties: 效果监测}}
      risks:
        - {{id: pr, title: 负面舆情, category: reputation, likelihood: 2, impact: 5, owner: 公关, mitigation: 舆情监测}}
        - {{id: traffic, title: 流量激增, category: technical, likelihood: 3, impact: 4, owner: 技术, mitigation: 扩容}}
    ---
    # 基准计划 {i:03d}

    本计划覆盖百度 SEM、微信、微博、抖音、小红书与知乎，按周复盘。

    {{{{ kpi_table() }}}}
    """)
    rows = "\n".join(f"      - {{item: {x}, share: 0.1}}" for x in ch)
    return text.replace("ALLOCATIONS", rows) + (CHART_SHORTCODES if charts else "")


def make_site(
    root: Path, pages: int, csv: Path, with_plugin: bool, charts: bool = False, search: bool = True
) -> Path:
    if root.exists():
        shutil.rmtree(root)
    (root / "docs" / "plans").mkdir(parents=True)
    (root / "data").mkdir()
    try:  # a hard link: Planbook refuses symlinks that lead out of data/
        os.link(csv, root / "data" / "big.csv")
    except OSError:
        shutil.copyfile(csv, root / "data" / "big.csv")
    plugin = "  - planbook\n" if with_plugin else ""
    if with_plugin and not search:
        plugin = "  - planbook:\n      search_sections: false\n"
    (root / "mkdocs.yml").write_text(MKDOCS_YML.format(plugin=plugin), "utf-8")
    (root / "docs" / "index.md").write_text("# Bench\n", "utf-8")
    for i in range(pages):
        (root / "docs" / "plans" / f"plan-{i:03d}.md").write_text(plan_page(i, charts), "utf-8")
    return root


def timed_build(site: Path, rebuild: bool = False) -> dict:
    cmd = [sys.executable, str(HERE / "_build.py"), str(site)]
    if rebuild:
        cmd += ["--rebuild", str(site / "docs" / "plans" / "plan-007.md")]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"build failed: {' '.join(cmd)}\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def build_bench(rows: int, pages: int) -> dict:
    csv = OUT / f"big-{rows}.csv"
    if not csv.exists():
        write_big_csv(csv, rows)
    size_kb = csv.stat().st_size / 1024
    bare = make_site(OUT / f"bare-{rows}", pages, csv, with_plugin=False)
    full = make_site(OUT / f"plugin-{rows}", pages, csv, with_plugin=True)
    b = timed_build(bare)
    p = timed_build(full)
    with_charts = make_site(OUT / f"charts-{rows}", pages, csv, with_plugin=True, charts=True)
    c = timed_build(with_charts)
    quiet = timed_build(make_site(OUT / f"nosearch-{rows}", pages, csv, True, search=False))
    chart_bytes = [
        sum(len(m) for m in CHART_JSON.findall(page.read_text("utf-8")))
        for page in (with_charts / "site" / "plans").glob("*/index.html")
    ]
    rb = timed_build(make_site(OUT / f"bare-{rows}", pages, csv, False), rebuild=True)
    rp = timed_build(make_site(OUT / f"plugin-{rows}", pages, csv, True), rebuild=True)
    extra_rss = (p["peak_rss_kb"] - b["peak_rss_kb"]) / size_kb
    return {
        "rows": rows,
        "pages": pages,
        "csv_mb": round(size_kb / 1024, 1),
        "bare_s": round(b["seconds"], 2),
        "plugin_s": round(p["seconds"], 2),
        "build_ratio": round(p["seconds"] / b["seconds"], 2),
        "plugin_no_search_sections_s": round(quiet["seconds"], 2),
        "build_ratio_no_search_sections": round(quiet["seconds"] / b["seconds"], 2),
        "csv_parses_per_build": p.get("parses"),
        "extra_peak_rss_x_csv": round(extra_rss, 2),
        "bare_rebuild_s": round(rb["rebuild_seconds"], 2),
        "plugin_rebuild_s": round(rp["rebuild_seconds"], 2),
        "rebuild_ratio": round(rp["rebuild_seconds"] / rb["rebuild_seconds"], 2),
        "charts_s": round(c["seconds"], 2),
        "charts_share_of_core_build": round((c["seconds"] - p["seconds"]) / p["seconds"], 2),
        "chart_json_kb_per_page_max": round(max(chart_bytes) / 1024, 1),
        "chart_json_kb_per_page_mean": round(sum(chart_bytes) / len(chart_bytes) / 1024, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--pages", type=int, default=200)
    ap.add_argument("--big-rows", type=int, default=5_000_000, help="second build run (0 to skip)")
    ap.add_argument(
        "--only",
        choices=["build", "data", "review", "charts", "analysis", "hostile", "warehouse"],
        default=None,
    )
    ap.add_argument(
        "--warehouse-rows",
        type=int,
        default=1_000_000,
        help="events in the DuckDB warehouse benchmark (the issue's figure: 50000000)",
    )
    args = ap.parse_args()
    OUT.mkdir(exist_ok=True)
    results: dict[str, object] = {}
    if args.only in (None, "data"):
        from bench import bench_data

        results["data"] = bench_data.run(OUT / "data", rows=args.rows)
    if args.only in (None, "build"):
        results["build"] = [build_bench(args.rows, args.pages)]
        if args.big_rows:
            results["build"].append(build_bench(args.big_rows, args.pages))  # type: ignore[union-attr]
    if args.only in (None, "review"):
        from bench import bench_review

        results["review"] = bench_review.run(OUT / "review")
    if args.only in (None, "charts") and (HERE / "bench_charts.py").exists():
        from bench import bench_charts

        results["charts"] = bench_charts.run(OUT / "charts")
    if args.only in (None, "analysis"):
        from bench import bench_analysis

        results["analysis"] = bench_analysis.run()
    if args.only in (None, "hostile"):
        from bench import bench_hostile

        results["hostile"] = bench_hostile.run(OUT / "hostile")
    if args.only in (None, "warehouse"):
        from bench import bench_warehouse

        results["warehouse"] = bench_warehouse.run(
            OUT / "warehouse", rows=args.warehouse_rows, pages=args.pages
        )
    (OUT / "results.json").write_text(json.dumps(results, indent=2, default=str), "utf-8")
    print(json.dumps(results, indent=2, default=str))


if __name__ == "__main__":
    main()
