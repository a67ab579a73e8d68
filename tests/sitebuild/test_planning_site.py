"""Real `mkdocs build`s of fixture sites for issue 14: phased pacing at phase boundaries,
the content calendar around month edges and week starts, the cadence table, the plan
quality section, and the messages of misused planning shortcodes."""

from __future__ import annotations

import json
import logging
from datetime import date, timedelta

import pytest

PHASED = """\
---
plan:
  id: phased
  owner: lead
  period: {start: 2026-09-01, end: 2026-12-31}
  metrics: [data/m.csv]
  reports: {every: month}
  goals:
    - id: visits
      statement: 日均访问从 1,000 提升到 2,000
      kpi: sessions
      aggregate: daily_mean
      baseline: 1000
      target: 2000
      deadline: 2026-12-31
      owner: seo
      milestones:
        - {date: 2026-10-01, target: 1100, owner: seo}
        - {phase: 爆发期, target: 1800}
  phases:
    - {name: 预热期, start: 2026-09-01, end: 2026-10-01}
    - name: 爆发期
      start: 2026-10-02
      end: 2026-11-30
      goals:
        - {id: burst-visits, statement: 爆发期累计访问 100000, kpi: sessions, baseline: 0,
           target: 100000, owner: seo}
---
# Phased

{{ kpi_table() }}

{{ goal_chart("visits") }}

{{ plan_quality() }}
"""


def _sessions(until: date, per_day) -> str:
    rows = ["date,channel,sessions"]
    d = date(2026, 9, 1)
    while d <= until:
        rows.append(f"{d},seo,{per_day(d)}")
        d += timedelta(days=1)
    return "\n".join(rows) + "\n"


@pytest.mark.parametrize(
    ("as_of", "phase_text", "status"),
    [
        # On the milestone day the phase target is the milestone's own.
        ("2026-10-01", "阶段目标 1,100 · 2026年10月1日", "on_track"),
        # The day after, the next phase's target applies and the line climbs faster.
        ("2026-10-02", "阶段目标 1,800 · 2026年11月30日", "at_risk"),
    ],
)
def test_phased_pacing_at_a_phase_boundary(build_site, as_of, phase_text, status) -> None:
    built = build_site(
        {"index.md": "# x\n", "plans/phased/index.md": PHASED},
        {"m.csv": _sessions(date.fromisoformat(as_of), lambda d: 1100)},
        options=f"as_of: {as_of}",
    )
    assert built.error is None, built.messages
    html = built.html("plans/phased/index.html")
    row = html.select_one('tr[data-goal="visits"]')
    assert row is not None and row["data-status"] == status
    assert row.select_one(".pb-phase-target").get_text(" ", strip=True) == phase_text
    # The chart: pacing through the milestones, phase targets as steps.
    script = html.select_one("script[data-pb-chart]")
    figure = json.loads(script.string)
    traces = figure["figures"][0]["data"] if "figures" in figure else figure["data"]
    pacing, target = traces[1], traces[2]
    assert pacing["x"] == ["2026-09-01", "2026-10-01", "2026-11-30", "2026-12-31"]
    assert pacing["y"] == [1000, 1100, 1800, 2000]
    assert target["line"]["shape"] == "hv" and target["y"] == [1100, 1800, 2000, 2000]
    # The phase goal is evaluated over its phase and shown with the phases.
    phases = html.select_one(".pb-phases")
    goal = phases.select_one('li[data-goal="burst-visits"]')
    assert goal is not None and "爆发期累计访问 100000" in goal.get_text()


def test_report_judges_a_month_against_its_phase_target(build_site) -> None:
    built = build_site(
        {"index.md": "# x\n", "plans/phased/index.md": PHASED},
        {"m.csv": _sessions(date(2026, 11, 30), lambda d: 1100 if d.month < 11 else 1850)},
        options="as_of: 2026-11-30",
    )
    assert built.error is None, built.messages
    september = built.html("plans/phased/reports/2026-09/index.html")
    cell = september.select_one('tr[data-goal="visits"] .pb-phase-target')
    # No milestone falls in September: the target in effect at its end, not judged.
    assert (
        cell.get_text(" ", strip=True) == "阶段目标 1,100 · 10月1日"
    )  # the report's year not repeated
    assert "pb-delta--good" not in cell["class"]
    october = built.html("plans/phased/reports/2026-10/index.html")
    cell = october.select_one('tr[data-goal="visits"] .pb-phase-target')
    # The milestone of 10-01 falls in October: judged on its day (mean 1,100 reached).
    assert cell.get_text(" ", strip=True) == "阶段目标 1,100 · 10月1日 ✔"
    november = built.html("plans/phased/reports/2026-11/index.html")
    cell = november.select_one('tr[data-goal="visits"] .pb-phase-target')
    # On 11-30 the mean since the start is about 1,350: the 1,800 milestone is missed.
    assert cell.get_text(" ", strip=True) == "阶段目标 1,800 · 11月30日 ✘"
    assert "pb-delta--bad" in cell["class"]


CONTENT_PLAN = """\
---
plan:
  id: content
  owner: lead
  period: {start: 2026-10-01, end: 2026-12-31}
  as_of: 2026-11-10
  content:
    week_start: sunday
    cadence:
      - {channel: weibo, per: week, min: 2, max: 3}
      - {channel: blog, per: month, min: 2, max: 4, label: "<i>博客</i>"}
    themes:
      - {name: "双11 <b>冲刺</b>", start: 2026-11-01, end: 2026-11-11}
    posts: [data/posts.csv]
---
# Content

{{ cadence_table() }}

{{ content_calendar(start="2026-10", months=2) }}
"""

POSTS = """\
发布时间,渠道,标题,链接,状态
2026-10-31 09:00,weibo,十月最后一天,https://weibo.com/a,已发布
2026-11-01 09:00,weibo,"<script>alert(1)</script>",javascript:alert(1),已发布
2026-11-07 09:00,weibo,周六,https://weibo.com/c,已发布
2026-11-08 09:00,weibo,周日新的一周,https://weibo.com/d,已发布
2026-11-20 09:00,weibo,下周,https://weibo.com/e,定时发布
"""

COPY = """\
---
title: "博客：</script><img src=x onerror=alert(2)>"
publish: {date: 2026-11-01, channel: blog, status: draft, plan: content}
---
# 博客
"""


def test_calendar_and_cadence_around_month_edges_and_week_starts(build_site, caplog) -> None:
    built = build_site(
        {
            "index.md": "# x\n",
            "plans/content/index.md": CONTENT_PLAN,
            "copy/blog.md": COPY,
            "copy/other.md": "---\npublish: {date: 2026-10-15, channel: blog, status: published, plan: elsewhere}\n---\n# o\n",
        },
        {"posts.csv": POSTS},
        options="as_of: 2026-11-10\nreview_date: 2026-11-10",
    )
    assert built.error is None, built.messages
    html = built.html("plans/content/index.html")
    october, november = html.select(".pb-calendar__month")
    # Sunday weeks: October 2026 opens on Sunday 2026-09-27, November on Sunday 11-01.
    assert october.select("td[data-date]")[0]["data-date"] == "2026-09-27"
    assert november.select("td[data-date]")[0]["data-date"] == "2026-11-01"
    assert [th.get_text() for th in november.select("th")][:2] == ["日", "一"]
    # 10-31 is in October's grid; in November's grid its cell is out of month and empty.
    assert october.select_one('td[data-date="2026-10-31"] .pb-calendar__item') is not None
    out = november.select_one('td[data-date="2026-10-31"]')
    assert out is None or ("pb-calendar__day--out" in out["class"] and not out.select("li"))
    first = november.select_one('td[data-date="2026-11-01"]')
    titles = [li.get_text(" ", strip=True) for li in first.select("li")]
    assert any("<script>alert(1)</script>" in t for t in titles), titles
    assert not november.select('a[href^="javascript"]')
    blog = first.select_one('li[data-channel="blog"]')
    assert blog.select_one("a")["href"].endswith("copy/blog/")
    assert "pb-item--overdue" in blog["class"]  # a draft whose date passed
    assert "<script>alert(1)</script>" not in built.raw("plans/content/index.html")
    assert "双11 <b>冲刺</b>" in november.get_text()
    # Another plan's copy page is not on this calendar.
    assert not html.select('td[data-date="2026-10-15"] li')
    # Cadence: weeks start on Sunday; the week of 11-01 has 2 posts (11-01, 11-07).
    weibo = html.select_one('.pb-cadence tr[data-channel="weibo"]')
    cells = {li["data-window"]: li["class"][-1] for li in weibo.select("li")}
    assert cells["2026-11-01"] == "pb-cadence--met"
    assert cells["2026-11-08"] == "pb-cadence--open"
    assert cells["2026-10-25"] == "pb-cadence--short"  # only 10-31
    blog_row = html.select_one('.pb-cadence tr[data-channel="blog"]')
    assert blog_row.select_one("strong").get_text() == "<i>博客</i>"
    # The overdue draft is noted on its own page, with its line, as info (strict passes).
    infos = built.logged(logging.INFO)
    assert any(
        "docs/copy/blog.md:3: 提示: publish.status: 发布日期 2026-11-01 已过去 9 天（截至 2026-11-10）"
        in m
        for m in infos
    ), infos


def test_plan_quality_section_and_shortcode_messages(build_site) -> None:
    page = """\
---
plan:
  id: q
  period: {start: 2026-09-01, end: 2026-10-31}
  goals:
    - {id: g, statement: "提升<b>品牌</b>", kpi: clicks, baseline: 0, target: 10, deadline: 2026-10-31}
---
# Q

{{ plan_quality() }}

{{ content_calendar(start="2026-13") }}

{{ cadence_table(periods=0) }}
"""
    built = build_site({"index.md": "# x\n", "plans/q.md": page}, strict=False)
    errors = built.logged(logging.ERROR)
    assert (
        "docs/plans/q.md:12: 错误: {{ content_calendar() }} 需要计划中的 `content:`（各渠道的发布频率目标、"
        "主题、帖子列表） [shortcode/arguments]"
    ) in [m.removeprefix("planbook: ") for m in errors], errors
    assert (
        "docs/plans/q.md:14: 错误: {{ cadence_table() }}：periods: 应为不小于 1 的数字，实际为 0 "
        "[shortcode/arguments]"
    ) in [m.removeprefix("planbook: ") for m in errors], errors
    html = built.html("plans/q/index.html")
    rows = html.select(".pb-quality tr[data-rule]")
    assert [r["data-rule"] for r in rows] == [
        "smart/vague-statement",
        "smart/no-data",
        "smart/no-owner",
    ]
    assert "提升<b>品牌</b>" in rows[0].get_text()
    assert html.select_one(".pb-quality b") is None
    # the findings in the page's language, as the build log says them
    said = rows[2].select("td")[1].get_text()
    assert said == "目标 'g' 没有负责人：请写明由谁负责（owner: …）", said
    # and each rule's one-line summary, shown on its code, too (it was English)
    assert [r.select_one("code")["title"] for r in rows] == [
        "目标描述中没有要达到的数字",
        "目标的 KPI 没有数据",
        "目标或里程碑没有负责人",
    ]


def test_calendar_start_month_is_checked(build_site) -> None:
    page = CONTENT_PLAN.replace('start="2026-10", months=2', 'start="2026-13"')
    built = build_site(
        {"index.md": "# x\n", "plans/content/index.md": page}, {"posts.csv": POSTS}, strict=False
    )
    errors = [m.removeprefix("planbook: ") for m in built.logged(logging.ERROR)]
    assert (
        "docs/plans/content/index.md:20: 错误: {{ content_calendar() }}：start: 应为月份，例如 "
        "\"2026-10\"，实际为 '2026-13' [shortcode/arguments]"
    ) in errors, errors


QUALITY_PAGE = """\
---
plan:
  id: q
  owner: lead
  period: {start: 2026-09-01, end: 2026-10-31}
  goals:
    - {id: g, statement: 提升品牌, kpi: clicks, baseline: 0, target: 10, deadline: 2026-10-31, owner: a}
---
# Q
"""


def test_planbook_check_reports_plan_quality_and_levels(tmp_path) -> None:
    from click.testing import CliRunner

    from planbook.cli import main
    from tests.conftest import write_site

    write_site(tmp_path, {"index.md": "# x\n", "plans/q.md": QUALITY_PAGE})
    config = str(tmp_path / "mkdocs.yml")
    runner = CliRunner()
    default = runner.invoke(main, ["check", "-f", config, "--strict", "--lang", "en"])
    assert default.exit_code == 0, default.output  # advice never fails a check
    assert (
        'docs/plans/q.md:7: info: plan.goals[0].statement: statement "提升品牌" has no number '
        'to reach: write the target into it, e.g. "… from 0 to 10 by 2026-10-31" '
        "[smart/vague-statement]"
    ) in default.output
    write_site(
        tmp_path,
        {},
        options="lint_rules:\n  smart/vague-statement: warning\n  smart/no-data: off",
    )
    raised = runner.invoke(main, ["check", "-f", config, "--strict", "--lang", "en"])
    assert raised.exit_code == 1
    assert "docs/plans/q.md:7: warning: plan.goals[0].statement" in raised.output
    assert "smart/no-data" not in raised.output
    explained = runner.invoke(main, ["check", "-f", config, "--explain", "smart/no-data"])
    assert explained.exit_code == 0, explained.output
    assert explained.output.startswith("smart/no-data（可衡量；本站级别：关闭）\n  触发条件：")
    english = ["check", "-f", config, "--explain", "smart/no-data", "--lang", "en"]
    explained = runner.invoke(main, english)
    assert explained.output.startswith("smart/no-data (measurable; level on this site: off)\n")
    unknown = runner.invoke(main, ["check", "-f", config, "--explain", "smart/no-ownr"])
    assert unknown.exit_code == 1
    assert "未知的计划质量规则 'smart/no-ownr'（是否想写 'smart/no-owner'？）" in unknown.output
    write_site(tmp_path, {}, options="lint_rules:\n  smart/no-ownr: off")
    typo = runner.invoke(main, ["check", "-f", config])
    assert typo.exit_code == 1
    assert "未知规则 'smart/no-ownr'（是否想写 'smart/no-owner'？）" in typo.output
    write_site(tmp_path, {}, options="lint_rules:\n  smart/no-owner: loud")
    level = runner.invoke(main, ["check", "-f", config])
    assert "smart/no-owner：应为 off、info、warning、error 之一，实际为 'loud'" in level.output
    write_site(tmp_path, {}, options="lint: false")
    off = runner.invoke(main, ["check", "-f", config])
    assert off.exit_code == 0 and "smart/" not in off.output


def test_report_and_portfolio_show_the_cadence(build_site) -> None:
    plan = CONTENT_PLAN.replace(
        "  as_of: 2026-11-10\n", "  as_of: 2026-11-10\n  reports: {every: month}\n"
    )
    built = build_site(
        {
            "index.md": "# Home\n\n{{ portfolio() }}\n",
            "plans/content/index.md": plan,
        },
        {"posts.csv": POSTS},
        options="as_of: 2026-11-10",
    )
    assert built.error is None, built.messages
    october = built.html("plans/content/reports/2026-10/index.html")
    weibo = october.select_one('.pb-cadence tr[data-channel="weibo"]')
    # Sunday weeks that start in October; the week of 10-25 (one post) is closed: short.
    assert [li["data-window"] for li in weibo.select("li")] == [
        "2026-10-04",
        "2026-10-11",
        "2026-10-18",
        "2026-10-25",
    ]
    assert weibo.select("li")[-1]["class"][-1] == "pb-cadence--short"
    home = built.html("index.html")
    content = home.select_one('tr[data-plan="content"] .pb-portfolio__content')
    # Weibo: six Sunday weeks closed by 11-10, only the week of 11-01 met (2 posts);
    # blog: October closed with none.
    assert (content["data-met"], content["data-closed"]) == ("1", "7")
    # said as a count since the start (the plan page's cadence table shows the last weeks)
    assert content.get_text() == "内容节奏：自计划开始 7 个周期中 1 个达标"


def test_a_report_judges_the_week_that_straddles_its_end(build_site) -> None:
    plan = CONTENT_PLAN.replace("week_start: sunday", "week_start: monday").replace(
        "  as_of: 2026-11-10\n", "  as_of: 2026-11-10\n  reports: {every: month}\n"
    )
    built = build_site(
        {"index.md": "# x\n", "plans/content/index.md": plan},
        {"posts.csv": POSTS},
        options="as_of: 2026-11-10",
    )
    assert built.error is None, built.messages
    october = built.html("plans/content/reports/2026-10/index.html")
    weibo = october.select_one('.pb-cadence tr[data-channel="weibo"]')
    cells = [(li["data-window"], li["class"][-1]) for li in weibo.select("li")]
    # 10-26 .. 11-01 starts in October: judged with its posts of 10-31 and 11-01.
    assert cells[-1] == ("2026-10-26", "pb-cadence--met")
    assert weibo.select("li strong")[-1].get_text() == "2"
