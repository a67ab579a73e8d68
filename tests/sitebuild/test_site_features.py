"""Real builds: portfolio, reports in the navigation, review page, errors on the page,
escaping, and what bad input does to a build."""

from __future__ import annotations

import json

import pytest

from tests.sitebuild.test_plan_page import CSV

PLAN_CN = """\
---
plan:
  id: cn-plan
  title: 中国计划
  owner: 张伟
  status: review
  period: {start: 2026-09-01, end: 2026-12-31}
  metrics: [data/ads.csv]
  reports: {every: week}
  goals:
    - {id: ctr, statement: 点击率, kpi: ctr, baseline: 0.02, target: 0.03, deadline: 2026-12-31}
    - {id: conv, statement: 转化, kpi: conversions, baseline: 0, target: 100000, deadline: 2026-10-01}
  budget:
    total: 10000
    allocations:
      - {item: sem, share: 0.5}
      - {item: social, share: 0.5}
---
# 中国计划
"""

PLAN_US = """\
---
plan:
  id: us-plan
  title: US plan
  owner: Dana
  status: draft
  currency: USD
  period: {start: 2026-09-01, end: 2026-12-31}
  metrics: [data/ads.csv]
  budget:
    total: 2000
    allocations:
      - {item: sem, amount: 1000}
      - {item: social, amount: 1000}
---
# US plan
"""

INDEX = "# 首页\n\n{{ portfolio() }}\n"


def test_portfolio_lists_every_plan_with_totals(build_site):
    built = build_site(
        {"index.md": INDEX, "plans/cn.md": PLAN_CN, "plans/us.md": PLAN_US}, {"ads.csv": CSV}
    )
    assert built.error is None, built.messages
    soup = built.html("index.html")
    rows = {tr["data-plan"]: tr for tr in soup.select(".pb-portfolio tbody tr")}
    assert sorted(rows) == ["cn-plan", "us-plan"]
    cn = [td.get_text(" ", strip=True) for td in rows["cn-plan"].find_all("td")]
    # spend since 2026-09-01: (100 + 50) * 10 days
    assert cn[4:7] == ["¥1.00万", "¥1,500", "15.0%"]
    # the conversions goal missed its deadline: the plan's overall status is the worst one
    assert rows["cn-plan"].select("td")[8].get_text(strip=True) == "落后"
    assert cn[9] == "4"  # open review items: the four required sign-offs are missing
    totals = {tr["data-currency"]: tr.get_text(" ", strip=True) for tr in soup.select("tfoot tr")}
    assert totals["CNY"].startswith("合计（CNY，1 个计划）")
    assert "US$2,000" in totals["USD"] and "US$1,500" in totals["USD"]
    assert rows["cn-plan"].select_one("a")["href"] == "plans/cn/"
    # budget used vs period elapsed per plan, as a chart with its data table
    payload = json.loads(soup.select_one("script[data-pb-chart]").string)
    *used, elapsed = payload["data"]  # used on pace / ahead of the period (own legend entry)
    shares = {y: x for tr in used for y, x in zip(tr["y"], tr["x"], strict=True)}
    assert shares == {"中国计划": 0.15, "US plan": 0.75}  # 1,500 of 10,000 and of 2,000
    assert elapsed["x"] == pytest.approx([10 / 122, 10 / 122])
    assert soup.select_one("script[src$='assets/planbook/plotly.min.js']") is not None


def test_portfolio_money_columns_keep_one_unit_per_currency(build_site):
    small = PLAN_CN.replace("id: cn-plan", "id: cn-small").replace("total: 10000", "total: 8741")
    big = PLAN_CN.replace("total: 10000", "total: 168300")
    built = build_site(
        {"index.md": INDEX, "plans/cn.md": big, "plans/small.md": small, "plans/us.md": PLAN_US},
        {"ads.csv": CSV},
    )
    assert built.error is None, built.messages
    soup = built.html("index.html")
    cells = {
        tr["data-plan"]: [td.get_text(strip=True) for td in tr.select("td.pb-num")][:2]
        for tr in soup.select(".pb-portfolio tbody tr")
    }
    # budget column in 万 for every CNY plan (the total reaches ¥17.70万), spent in yuan
    assert cells == {
        "cn-plan": ["¥16.83万", "¥1,500"],
        "cn-small": ["¥0.87万", "¥1,500"],
        "us-plan": ["US$2,000", "US$1,500"],
    }
    totals = {
        tr["data-currency"]: [td.get_text(strip=True) for td in tr.select("td.pb-num")][:2]
        for tr in soup.select(".pb-portfolio tfoot tr")
    }
    assert totals == {"CNY": ["¥17.70万", "¥3,000"], "USD": ["US$2,000", "US$1,500"]}


def test_review_box_on_a_draft_page_shows_info_and_marks_the_text_in_its_line(build_site):
    copy = """\
    ---
    review: {market: cn, channel: social, status: draft}
    ---
    # 文案

    <span title='"><img src=x onerror=alert(1)>'>新品</span> 全网最低价，快来抢购吧
    """
    built = build_site({"copy.md": copy}, strict=True)
    assert built.error is None, built.messages  # a draft's findings are info: strict passes
    box = built.html("copy/index.html").select_one(".planbook-review")
    [row] = box.select("tr.planbook-finding")
    assert row["data-severity"] == "info" and row["class"][-1] == "planbook-info"
    assert [s.get_text() for s in row.select("td:nth-of-type(3) small")] == [
        "提示",
        "离开草稿后为错误",
    ]
    cell = row.select_one("td.planbook-context")
    assert cell.select_one("mark").get_text() == "全网最低"
    # read as text: the cut tag's tail and the tags themselves are not shown
    assert cell.get_text() == "…新品 全网最低价，快来抢购吧"
    assert box.select("img") == [] and "错误</small>" not in str(row).replace("为错误", "")
    assert row.select_one("code.planbook-rule").get_text() == "cn-ad-law/absolute-terms"


def test_weekly_reports_are_generated_into_the_navigation(build_site):
    built = build_site({"plans/cn.md": PLAN_CN}, {"ads.csv": CSV})
    assert built.error is None, built.messages
    # data runs 2026-09-01 (Tue) .. 09-10 (Thu): only ISO week 36 (Aug 31 - Sep 6) is closed
    report = built.html("plans/cn/reports/2026-W36/index.html")
    assert report.select_one(".pb-report")["data-period"] == "2026-W36"
    assert not (built.root / "site/plans/cn/reports/2026-W37").exists()
    plan = built.html("plans/cn/index.html")
    nav = [a["href"] for a in plan.select("nav a")]
    assert "reports/2026-W36/" in nav
    links = [a["href"] for a in plan.select(".pb-reports a")]
    assert links == ["reports/2026-W36/"]
    assert not (built.root / "docs" / "plans" / "cn").exists()  # nothing written into docs


def test_review_page_and_checklist(build_site):
    copy = """\
    ---
    review: {market: cn, channel: social, status: draft}
    ---
    # 文案

    全网最低价，赶快下单！
    """
    built = build_site(
        {"copy.md": copy, "plans/cn.md": PLAN_CN},
        {"ads.csv": CSV},
        options="review_page: review.md",
    )
    assert built.error is None, built.messages
    soup = built.html("copy/index.html")
    assert "全网最低" in soup.select_one(".planbook-review").get_text()
    index = built.html("review/index.html")
    assert "copy/" in [a.get("href", "").lstrip("./") for a in index.select("a")] or any(
        "copy" in a.get("href", "") for a in index.select("table a")
    )


def test_review_page_lists_titles_escaped_once(build_site):
    copy = '---\ntitle: "R&D 新品 <Q3> 发布"\nreview: {status: review}\n---\n# R&D\n\n最佳产品\n'
    built = build_site(
        {"c.md": copy}, {"ads.csv": CSV}, options="review_page: review.md", strict=False
    )
    raw = built.raw("review/index.html")
    assert 'href="../c/">R&amp;D 新品 &lt;Q3&gt; 发布</a>' in raw  # was R&amp;amp;D …
    assert "&amp;amp;" not in raw and "&amp;lt;" not in raw
    cells = [a.get_text() for a in built.html("review/index.html").select("table a")]
    assert "R&D 新品 <Q3> 发布" in cells


def test_bad_front_matter_fails_strict_and_shows_on_page(build_site):
    bad = PLAN_CN.replace("target: 0.03", "target: abc")
    built = build_site({"plans/cn.md": bad}, {"ads.csv": CSV}, strict=False)
    assert built.error is None
    # A Chinese site: the log and the error box say it in Chinese, the rule id as it is.
    message = "docs/plans/cn.md:11: 错误: plan.goals[0].target: 应为数字，实际为 “abc” [schema]"
    assert any(message in m for m in built.logged(40))
    box = built.html("plans/cn/index.html").select_one(".admonition.failure")
    assert "plan.goals[0].target" in box.get_text() and "应为数字，实际为 “abc”" in box.get_text()
    assert "[schema]" in box.get_text()
    strict = build_site({"plans/cn.md": bad}, {"ads.csv": CSV}, strict=True)
    assert strict.error is not None


def test_metrics_outside_data_is_an_error(build_site):
    bad = PLAN_CN.replace("metrics: [data/ads.csv]", "metrics: [data/../mkdocs.yml]")
    built = build_site({"plans/cn.md": bad}, {"ads.csv": CSV}, strict=False)
    errors = built.logged(40)
    assert any("docs/plans/cn.md:8" in m and "plan.metrics[0]" in m for m in errors), errors


def test_hostile_strings_are_escaped(build_site):
    hostile = "</script><img src=x onerror=alert(1)>"
    plan = PLAN_CN.replace("statement: 点击率", f'statement: "{hostile}"')
    csv = CSV.replace(",social,", ',"<b>soc</b>ial",')
    plan = plan.replace(
        "{item: social, share: 0.5}", "{item: social, share: 0.5, match: ['<b>soc</b>ial']}"
    )
    built = build_site({"plans/cn.md": plan}, {"ads.csv": csv})
    assert built.error is None, built.messages
    raw = built.raw("plans/cn/index.html")
    assert "<img src=x" not in raw and "<b>soc</b>" not in raw
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in raw
    assert "&lt;b&gt;soc&lt;/b&gt;ial" in raw


def test_approved_plan_with_open_review_items_fails_the_build(build_site):
    approved = PLAN_CN.replace("status: review", "status: approved")
    built = build_site({"plans/cn.md": approved}, {"ads.csv": CSV}, strict=False)
    assert built.error is not None
    assert any("review/blocked" in m for m in built.logged(40))


def test_bad_shortcode_arguments_are_reported_with_line(build_site):
    plan = PLAN_CN.replace("# 中国计划", "# 中国计划\n\n{{ kpi_table(goal=['ctr']) }}\n\n{{ risks(")
    built = build_site({"plans/cn.md": plan}, {"ads.csv": CSV}, strict=False)
    errors = built.logged(40)
    assert any(
        "docs/plans/cn.md:21: 错误: {{ kpi_table() }}：goal: 未知参数 'goal'（是不是 'goals'？） "
        "[shortcode/arguments]" in m
        for m in errors
    ), errors
    assert any("docs/plans/cn.md:23:1: 错误: 短代码 '{{ risks(' 格式有误" in m for m in errors), (
        errors
    )


def test_misspelt_shortcode_warns_with_did_you_mean(build_site):
    plan = PLAN_CN.replace("# 中国计划", "# 中国计划\n\n{{ risk_matrx() }} and {{first_name}}")
    built = build_site({"plans/cn.md": plan}, {"ads.csv": CSV}, strict=False)
    assert built.logged(30) == [
        "planbook: docs/plans/cn.md:21:1: 警告: 未知的短代码 'risk_matrx'（是不是 'risk_matrix'？）；"
        "它按原文留在页面中 [shortcode/unknown]"
    ]


def test_unknown_filter_column_in_a_reporting_plan_is_an_error_not_a_crash(build_site):
    plan = PLAN_CN.replace("kpi: ctr,", "kpi: ctr, filter: {chanel: sem},")
    built = build_site(
        {"plans/cn.md": plan, "r.md": '{{ report(plan="cn-plan", period="2026-W36") }}'},
        {"ads.csv": CSV},
        strict=False,
    )
    assert built.error is None
    assert built.logged(40) == [
        "planbook: docs/plans/cn.md:11: 错误: plan.goals[0].filter.chanel: 计划数据中没有可用于筛选的列 "
        "'chanel'（是不是 'channel'？）（维度：channel） [kpi/unknown-dimension]"
    ]


def test_a_broken_plan_reports_its_error_once(build_site):
    plan = PLAN_CN.replace("target: 0.03", "target: abc").replace(
        "# 中国计划", "# 中国计划\n\n{{ kpi_table() }}\n\n{{ budget_chart() }}"
    )
    built = build_site({"plans/cn.md": plan}, {"ads.csv": CSV}, strict=False)
    assert built.logged(40) == [
        "planbook: docs/plans/cn.md:11: 错误: plan.goals[0].target: 应为数字，实际为 “abc” [schema]"
    ]


def test_an_english_plan_on_a_chinese_site(build_site):
    plan = PLAN_US.replace("  currency: USD\n", "  currency: USD\n  language: en\n")
    built = build_site({"plans/us.md": plan}, {"ads.csv": CSV})
    assert built.error is None, built.messages
    soup = built.html("plans/us/index.html")
    assert "Budget and spend" in [h.get_text(strip=True) for h in soup.select("h2")]
    spent = soup.select_one("tr[data-item='sem']").select("td")[2].get_text(strip=True)
    assert spent == "$1,000"
    review = soup.select_one(".planbook-review")
    assert review.select_one("[data-market]")["data-market"] == "en"  # reviewed as English copy
    assert review.select_one("[data-market]").get_text() == "English-language market"


def test_english_copy_on_a_chinese_site_has_an_english_review_box(build_site):
    copy = """\
    ---
    review: {market: en, channel: web, status: review}
    ---
    # Early access

    The best price ever, guaranteed!
    """
    built = build_site({"copy.md": copy, "cn.md": COPY_CN})
    soup = built.html("copy/index.html")
    review = soup.select_one(".planbook-review")
    headers = [th.get_text(strip=True) for th in review.select("th")]
    assert headers[:3] == ["Item", "Required", "State"], headers
    assert review.select_one("[data-market]").get_text() == "English-language market"
    cn = built.html("cn/index.html").select_one(".planbook-review")
    headers = [th.get_text(strip=True) for th in cn.select("th")]
    assert headers[:3] == ["检查项", "必需", "状态"], headers
    # one colon per language: 市场：… on the Chinese page, "Market: …" on the English one
    assert cn.select_one("[data-market]").parent.get_text().startswith("市场：中国大陆")
    assert review.select_one("[data-market]").parent.get_text().startswith("Market: English")


COPY_CN = """\
---
review: {market: cn, channel: social, status: review}
---
# 文案

新品上市。
"""


def test_value_labels_name_channels_in_tables(build_site):
    built = build_site(
        {"plans/cn.md": PLAN_CN}, {"ads.csv": CSV}, options="value_labels: {sem: 百度 SEM}"
    )
    assert built.error is None, built.messages
    row = built.html("plans/cn/index.html").select_one(".pb-channels tr[data-channel='sem']")
    assert row.select_one("td").get_text(strip=True) == "百度 SEM"
