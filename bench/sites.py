"""The generated sites `make bench` builds: the same plan pages for Planbook, for a bare
Material site (the shortcodes stay literal text) and for the peer plugin.

A plan page places **every section** Planbook has (:data:`SECTIONS_PLACED`); the charts
variant adds every chart. ``reports()`` is the one section left out: it lists generated
report pages, which would give the Planbook site pages the bare site does not have.
"""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

from bench.bigdata import CHANNELS, DAYS, START

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

# Every section shortcode, in the order of a real plan page (README "Shortcodes").
SECTIONS_PLACED: tuple[str, ...] = (
    "kpi_table()",
    "plan_quality()",
    "channel_table()",
    "budget_table()",
    "phases()",
    "cadence_table()",
    'content_calendar(start="2026-10", months=2)',
    "personas()",
    "team()",
    "risks()",
    "review_checklist()",
    'report(period="2027-01")',
)
# Sections a bench page deliberately does not place, and why (checked by the smoke test).
SECTIONS_LEFT_OUT: dict[str, str] = {
    "reports": "lists generated report pages, which the bare site would not have",
}

CHARTS_PLACED: tuple[str, ...] = (
    "goal_charts()",
    'kpi_trend("ctr", by="channel")',
    "budget_chart()",
    'channel_chart(metric="revenue")',
    'funnel_chart(by="channel")',
    "timeline_chart()",
    "risk_matrix()",
)

POSTS_CHANNELS = ("wechat", "weibo", "xiaohongshu", "zhihu")
PEER_ROWS = 50


def _shortcodes(calls: tuple[str, ...]) -> str:
    return "\n".join(f"{{{{ {call} }}}}\n" for call in calls)


# Budget shares (per cent, summing to 100) that plan ``i`` takes rotated by ``i``.
SHARES = (16, 14, 12, 10, 10, 9, 8, 8, 7, 6)


def plan_numbers(i: int) -> dict:
    """Plan ``i``'s own budget and goal figures. Real plans differ in their numbers, so
    no two bench plans draw the same budget table, goal rows or charts: a cache keyed by
    what a section is drawn from must not make the bench look faster than a real site."""
    k = i % len(SHARES)
    return {
        "total": 60_000_000 + (i * 7_919_000) % 80_000_000,
        "shares": [SHARES[(k + n) % len(SHARES)] / 100 for n in range(len(SHARES))],
        "ctr": round(0.03 + (i % 7) * 0.005, 3),
        "conversions": 400_000 + i * 1_500,
        "roi": round(1.2 + (i % 5) * 0.1, 1),
        "spend": 5_000 + i * 10,
        "cpa": 40 + i % 9,
        "clicks": 5_000_000 + i * 10_000,
        "likelihood": 1 + i % 5,
    }


def plan_page(i: int, charts: bool = False) -> str:
    """Plan page ``i``: goals on three channels chosen by ``i`` (figures from
    :func:`plan_numbers`), budget, phases, content
    cadence over ``data/posts.csv``, personas, team, risks, review sign-offs, and every
    section placed (plus every chart when ``charts``). Reads ``data/big.csv``."""
    a, b, c = CHANNELS[i % 10], CHANNELS[(i + 3) % 10], CHANNELS[(i + 6) % 10]
    v = plan_numbers(i)
    allocations = "\n".join(
        f"      - {{item: {x}, share: {share}, match: [{x}]}}"
        for x, share in zip(CHANNELS, v["shares"], strict=True)
    )
    head = textwrap.dedent(f"""\
    ---
    title: 基准计划 {i:03d}
    plan:
      id: bench-{i:03d}
      owner: 营销总监
      status: review
      period: {{start: 2026-09-01, end: 2027-08-31}}
      metrics: [data/big.csv]
      goals:
        - {{id: ctr, statement: {a} 点击率提升, kpi: ctr, window: 7d, filter: {{channel: {a}}}, baseline: 0.01, target: {v["ctr"]}, deadline: 2027-06-30, owner: 优化师}}
        - {{id: conversions, statement: {b} 转化, kpi: conversions, filter: {{channel: {b}}}, baseline: 0, target: {v["conversions"]}, deadline: 2027-08-31}}
        - {{id: roi, statement: 全渠道 ROI, kpi: roi, baseline: 0.5, target: {v["roi"]}, deadline: 2027-08-31}}
        - {{id: spend, statement: 日均花费, kpi: spend, aggregate: daily_mean, window: 7d, filter: {{channel: [{a}, {c}]}}, baseline: 1000, target: {v["spend"]}, deadline: 2027-03-31}}
        - {{id: cpa, statement: {c} CPA, kpi: cpa, filter: {{channel: {c}}}, baseline: 80, target: {v["cpa"]}, deadline: 2027-08-31}}
      budget:
        total: {v["total"]}
        by: channel
        allocations:
    ALLOCATIONS
      phases:
        - {{name: 预热期, start: 2026-09-01, end: 2026-10-31, milestones: [{{name: 官宣, date: 2026-09-15, done: true}}]}}
        - {{name: 爆发期, start: 2026-11-01, end: 2027-02-28, goals: [{{id: burst-clicks, statement: 爆发期点击, kpi: clicks, aggregate: sum, filter: {{channel: {b}}}, baseline: 0, target: {v["clicks"]}}}]}}
        - {{name: 稳定期, start: 2027-03-01, end: 2027-08-31}}
      content:
        cadence:
          - {{channel: wechat, per: week, min: 2, max: 3}}
          - {{channel: weibo, per: week, min: 3, max: 5}}
          - {{channel: xiaohongshu, per: week, min: 3, max: 5}}
          - {{channel: zhihu, per: month, min: 4}}
        themes:
          - {{name: 新品种草, start: 2026-09-01, end: 2026-10-31}}
          - {{name: 双11 转化, start: 2026-11-01, end: 2026-11-30}}
        posts: [data/posts.csv]
      personas:
        - {{id: p1, name: 李明, age: 30, city: 上海, occupation: IT 工程师, interests: [数码, 健身]}}
        - {{id: p2, name: 王芳, age: 26, city: 成都, occupation: 新媒体运营}}
      team:
        - {{role: 营销总监, name: 张伟, duties: 统筹}}
        - {{role: 数据分析师, name: 王芳, duties: 效果监测}}
      risks:
        - {{id: pr, title: 负面舆情, category: reputation, likelihood: {v["likelihood"]}, impact: 5, owner: 公关, mitigation: 舆情监测}}
        - {{id: traffic, title: 流量激增, category: technical, likelihood: 3, impact: 4, owner: 技术, mitigation: 扩容}}
      review:
        approvals:
          - {{role: legal, name: 张律师, date: 2026-08-28, decision: approved}}
        checklist:
          copyright: {{state: done, by: 赵敏, date: 2026-08-27}}
          accuracy: {{state: done, by: 王芳, date: 2026-08-27}}
    ---
    # 基准计划 {i:03d}

    本计划覆盖百度 SEM、微信、微博、抖音、小红书与知乎，按周复盘。

    """)
    page = head.replace("ALLOCATIONS", allocations) + _shortcodes(SECTIONS_PLACED)
    if charts:
        page += "\n" + _shortcodes(CHARTS_PLACED)
    return page


def posts_csv() -> str:
    """A post list (publish time, channel, title, link, status, reads) over the plan year:
    one post every 2 to 3 days on each of :data:`POSTS_CHANNELS`."""
    import datetime as dt

    start = dt.date.fromisoformat(str(START))
    lines = ["发布时间,渠道,标题,链接,状态,阅读数"]
    for k, channel in enumerate(POSTS_CHANNELS):
        day = k
        n = 0
        while day < DAYS:
            n += 1
            when = start + dt.timedelta(days=day)
            lines.append(
                f"{when.isoformat()} 10:{n % 60:02d},{channel},{channel} 第 {n} 期,"
                f"https://example.com/{channel}/{n},已发布,{1000 + 37 * n}"
            )
            day += 2 + (n % 2)
    return "\n".join(lines) + "\n"


def peer_csv(csv: Path, rows: int = PEER_ROWS) -> str:
    """The first ``rows`` data rows of ``csv`` with its header: the peer's table."""
    with csv.open(encoding="utf-8") as fh:
        return "".join(line for _, line in zip(range(rows + 1), fh, strict=False))


def link_or_copy(src: Path, dst: Path, copy: bool = False) -> None:
    """A hard link (Planbook refuses symlinks that lead out of data/), or a copy where the
    file will be edited or linking fails."""
    if not copy:
        try:
            os.link(src, dst)
            return
        except OSError:
            pass
    shutil.copyfile(src, dst)


def make_site(
    root: Path,
    pages: int,
    csv: Path,
    with_plugin: bool,
    charts: bool = False,
    search: bool = True,
    *,
    kind: str | None = None,
    copy_csv: bool = False,
) -> Path:
    """Write a site of ``pages`` plan pages reading ``csv`` (as ``data/big.csv``).

    ``kind`` is ``planbook``, ``bare`` or ``peer`` (default from ``with_plugin``): the
    bare site has the same pages without the plugin; the peer site has them with
    ``{{ read_csv('data/peer.csv') }}`` (:data:`PEER_ROWS` rows) rendered by
    mkdocs-table-reader-plugin. ``copy_csv`` copies the CSV instead of linking it
    (for `mkdocs serve`, which edits it).
    """
    kind = kind or ("planbook" if with_plugin else "bare")
    if root.exists():
        shutil.rmtree(root)
    (root / "docs" / "plans").mkdir(parents=True)
    (root / "data").mkdir()
    link_or_copy(csv, root / "data" / "big.csv", copy=copy_csv)
    (root / "data" / "posts.csv").write_text(posts_csv(), "utf-8")
    plugin = ""
    if kind == "planbook":
        plugin = "  - planbook\n" if search else "  - planbook:\n      search_sections: false\n"
    elif kind == "peer":
        plugin = "  - table-reader\n"
        (root / "data" / "peer.csv").write_text(peer_csv(csv), "utf-8")
    (root / "mkdocs.yml").write_text(MKDOCS_YML.format(plugin=plugin), "utf-8")
    (root / "docs" / "index.md").write_text("# Bench\n", "utf-8")
    tail = "\n{{ read_csv('data/peer.csv') }}\n" if kind == "peer" else ""
    for i in range(pages):
        page = plan_page(i, charts) + tail
        (root / "docs" / "plans" / f"plan-{i:03d}.md").write_text(page, "utf-8")
    return root
