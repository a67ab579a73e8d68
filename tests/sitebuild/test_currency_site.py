"""Real `mkdocs build`: a CNY plan reading a Baidu export in yuan and a Google Ads export
in US dollars (outside report F3, plan ``e-mixed-currency``). Before, the budget showed
Google's $9,479.14 as ¥0.95万 and the total ¥2.77万 added dollars to yuan; the channel
table gave google 34.3 % of spend and a CPA of ¥130. Now the dollars are left out of every
figure, the clicks and conversions still count, and an error at the plan's ``metrics``
entry says why and what to do.

Shapes: the tester's two files. ``google.csv`` is a Google Ads "Campaign report" download
(title line, quoted date range, ``Currency code`` column, quoted ``"2,310.40"``; find_string
hits 71602189015 and 70660605693); ``baidu.csv`` a 百度营销 计划报告 (GB18030, CRLF,
数据生成时间 preamble and a blank line above the header; hits 15996662737, 16539739003).
"""

from __future__ import annotations

import logging

import pytest

GOOGLE = """\
Campaign report
"September 1, 2026 - September 7, 2026"
Day,Campaign,Currency code,Impr.,Clicks,Cost,Conversions
2026-09-01,Brand US,USD,"43,330",640,"2,310.40",25.00
2026-09-02,Brand US,USD,"30,709",1415,"1,556.50",10.00
2026-09-03,Brand US,USD,"26,718",742,"3,287.06",0.00
2026-09-04,Brand US,USD,"7,451",208,164.32,7.00
2026-09-05,Brand US,USD,"4,463",239,671.59,19.00
2026-09-06,Brand US,USD,"27,452",526,"1,346.56",12.00
2026-09-07,Brand US,USD,"11,194",201,142.71,0.00
"""
BAIDU = (
    "数据生成时间：2026-09-08 09:41\r\n数据生成条件：\r\n1. 时间范围：20260901-20260907\r\n"
    "2. 时间单位：分日\r\n\r\n"
    "日期,推广计划,账户,展现,点击,消费,点击率,平均点击价格,网页转化,商桥转化,电话转化\r\n"
    "2026-09-01,品牌词,acc,18112,433,1805.61,,,5,0,0\r\n"
    "2026-09-02,品牌词,acc,47456,737,3043.81,,,5,0,0\r\n"
    "2026-09-03,品牌词,acc,19211,219,232.14,,,20,0,0\r\n"
    "2026-09-04,品牌词,acc,38460,1547,4671.94,,,30,0,0\r\n"
    "2026-09-05,品牌词,acc,45711,725,1464.50,,,12,0,0\r\n"
    "2026-09-06,品牌词,acc,32423,1531,4807.34,,,12,0,0\r\n"
    "2026-09-07,品牌词,acc,30215,716,2169.48,,,9,0,0\r\n"
)

PLAN = """\
---
title: edge mixed-currency
plan:
  id: e-mixed-currency
  owner: t
  status: draft
  period: {{start: 2026-09-01, end: 2026-12-31}}
  currency: {currency}
  metrics:
    - {{"path": "data/edge/mixed-currency/baidu.csv", "set": {{"channel": "baidu"}}}}
    - {{"path": "data/edge/mixed-currency/google.csv", "set": {{"channel": "google"}}}}
  goals:
    - {{id: sum-clicks, statement: s, kpi: clicks, baseline: 0, target: 10000000, deadline: 2026-12-31}}
  budget:
    total: 1000000
    by: channel
    allocations:
      - {{item: baidu, label: 百度, share: 0.5}}
      - {{item: google, label: Google, share: 0.5}}
---

# edge mixed-currency

{{{{ kpi_table() }}}}

{{{{ budget_table() }}}}

{{{{ channel_table() }}}}
"""

DATA = {
    "edge/mixed-currency/baidu.csv": BAIDU.encode("gb18030"),
    "edge/mixed-currency/google.csv": GOOGLE,
}
PAGE = "plans/e-mixed-currency/index.html"


def _rows(soup, css: str) -> list[list[str]]:
    table = soup.select_one(css)
    return [
        [c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])]
        for tr in table.select("tbody tr, tfoot tr")
    ]


def _build(build_site, currency: str = "CNY", language: str = "zh", **kw):
    pages = {"index.md": "# Home\n", "plans/e-mixed-currency.md": PLAN.format(currency=currency)}
    return build_site(pages, DATA, language=language, **kw)


def test_usd_spend_is_left_out_of_a_cny_plan(build_site) -> None:
    built = _build(build_site, strict=False)
    assert built.error is None, built.messages
    soup = built.html(PAGE)
    budget = _rows(soup, ".pb-budget")
    assert [r[:3] for r in budget] == [
        ["百度 50.0%", "¥50.00万", "¥1.82万"],
        ["Google 50.0% 无花费数据", "¥50.00万", "—"],
        ["合计", "¥100.00万", "¥1.82万"],  # was ¥2.77万: dollars added to yuan
    ]
    channels = _rows(soup, ".pb-channels")
    assert channels == [
        ["baidu", "¥1.82万", "5,908", "93", "2.6%", "¥3.08", "1.6%", "¥196", "100.0%"],
        ["google", "—", "3,971", "73", "2.6%", "—", "1.8%", "—", "—"],
        ["合计", "¥1.82万", "9,879", "166", "2.6%", "¥3.08*", "1.7%", "¥196*", "100.0%"],
    ]
    kpi = soup.select_one("tr[data-goal='sum-clicks'] td:nth-of-type(3)").get_text(" ", strip=True)
    assert kpi.startswith("9,879")  # both files' clicks
    errors = [li.get_text(" ", strip=True) for li in soup.select(".pb-errors li")]
    assert errors[0] == (
        "content/plans/e-mixed-currency.md:11 plan.metrics[1].path "
        "'data/edge/mixed-currency/google.csv' 标明的货币为 “USD”（“Currency code” 列），计划的货币是 "
        "CNY：其金额（spend）不计入计划的数字（不做汇率换算），其他度量照常计入；如果计划以 USD 核算，"
        "请把计划的 `currency:` 改为 USD；否则请以 CNY 导出该报表 [data/currency-mismatch]"
    ).replace("content/", "docs/")
    assert errors[1].endswith(
        "没有 'google' 以 CNY 计的花费（channel 为 google）：这些行的花费来自另一种货币的文件，"
        "未计入计划的数字（见 plan.metrics 处的 data/currency-mismatch） [budget/spend-other-currency]"
    )
    logged = built.logged(logging.ERROR)
    assert len(logged) == 1 and logged[0].endswith("[data/currency-mismatch]")


def test_the_message_in_english_and_strict_fails(build_site) -> None:
    built = _build(build_site, language="en")
    assert built.error is not None  # --strict: the error stops the build
    [logged] = built.logged(logging.ERROR)
    assert logged == (
        "planbook: docs/plans/e-mixed-currency.md:11: error: plan.metrics[1].path: "
        "'data/edge/mixed-currency/google.csv' states its currency as 'USD' (column 'Currency "
        "code'), the plan's currency is CNY: its money (spend) is left out of the plan's "
        "figures (no exchange rate is applied), its other measures still count; set the "
        "plan's `currency: USD` if the plan is kept in USD, or export the report in CNY "
        "[data/currency-mismatch]"
    )


def test_a_usd_plan_adds_the_usd_file_and_the_file_that_states_nothing(build_site) -> None:
    built = _build(build_site, currency="USD", language="en", strict=False)
    assert built.error is None
    assert built.logged(logging.ERROR) == []
    budget = _rows(built.html(PAGE), ".pb-budget")
    assert [r[2] for r in budget] == ["$18,195", "$9,479", "$27,674"]


@pytest.mark.parametrize(
    "value", ["<b>X</b>", '"U\nSD"', "</script><script>alert(1)</script>", "9" * 300]
)
def test_a_hostile_currency_column_is_quoted(build_site, value: str) -> None:
    hostile = GOOGLE.replace(",USD,", f",{value},")
    data = {**DATA, "edge/mixed-currency/google.csv": hostile}
    pages = {"index.md": "# Home\n", "plans/e-mixed-currency.md": PLAN.format(currency="CNY")}
    built = build_site(pages, data, language="en", strict=False)
    assert built.error is None, built.messages
    raw = built.raw(PAGE)
    assert "<b>X</b>" not in raw and "<script>alert(1)" not in raw
    [error] = [
        li.get_text(" ", strip=True)
        for li in built.html(PAGE).select(".pb-errors li")
        if li.get_text(strip=True).endswith("[data/currency-mismatch]")
    ]
    shown = " ".join(value.strip('"').split())
    shown = shown if len(shown) <= 30 else shown[:29] + "…"
    assert f"states its currency as {shown!r} (column 'Currency code')" in error
    assert error.endswith(
        "export the report in CNY, or set the plan's `currency:` to the file's ISO code "
        "[data/currency-mismatch]"
    )
    budget = _rows(built.html(PAGE), ".pb-budget")
    assert budget[1][2] == "—"  # an unknown currency is not the plan's either
