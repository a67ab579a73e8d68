"""A file's currency is read where the file states it, and a plan never adds the money
of two currencies (outside report F3: a Google Ads file in USD shown as ¥ on a CNY plan
and added to the CNY spend of a Baidu file).

Shapes, as the outside report found them in public code:

* Google Ads "Campaign report" download with a ``Currency code`` column (title line,
  date-range line, header, quoted ``"1,234.56"`` numbers): find_string hits 71602189015
  and 70660605693; the ``google-ads`` profile's own sources.
* Meta Ads Manager "Export table data" with the currency in the money headers
  (``Amount spent (USD)`` / ``(IDR)`` / ``(SGD)``, ``CPC (cost per link click) (USD)``):
  hits 55064320773, 60425632569 and 70226026546.
* TikTok Ads Manager custom report with ``£`` in the money cells (``£100``) and ``<5``
  masked counts: hit 53168036197.
* 百度营销 计划报告 (GB18030, 数据生成时间 preamble, a blank line, no currency anywhere):
  hits 15996662737 and 16539739003.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from planbook.cli import load_settings
from planbook.data import DataStore, ReadOptions, Table
from planbook.messages import from_json, say, to_json
from planbook.project import Project
from planbook.sources.currency import SIGNS, Stated, codes_of
from tests.conftest import write_site

GOOGLE = (
    "Campaign report\n"
    '"September 1, 2026 - September 7, 2026"\n'
    "Day,Campaign,Currency code,Impr.,Clicks,Cost,Conversions\n"
    '2026-09-01,Brand US,USD,"43,330",640,"2,310.40",25.00\n'
    '2026-09-02,Brand US,USD,"30,709",1415,"1,556.50",10.00\n'
    '2026-09-03,Brand US,USD,"26,718",742,"3,287.06",0.00\n'
)
META = (
    "\ufeffReporting starts,Reporting ends,Campaign name,Day,Amount spent (USD),Impressions,"
    '"CPM (cost per 1,000 impressions) (USD)",Link clicks,CPC (cost per link click) (USD),'
    "Purchases,Purchases conversion value\n"
    "2026-09-01,2026-09-02,Fall Launch,2026-09-01,777.00,7640,101.70,185,4.20,28,3045.84\n"
    "2026-09-01,2026-09-02,Fall Launch,2026-09-02,500.00,5000,100.00,100,5.00,10,1000.00\n"
)
TIKTOK = (
    "\ufeffBy Day,Campaign name,Cost,Impressions,Clicks (destination),CTR (destination),"
    "Conversions\n"
    "2026-09-01,TT A,£873.24,28969,1149,3.97%,7\n"
    "2026-09-01,TT B,£2468.70,39607,585,1.48%,18\n"
    "2026-09-02,TT A,£612.48,30652,704,2.30%,8\n"
)
BAIDU = (
    "数据生成时间：2026-09-08 09:41\r\n数据生成条件：\r\n1. 时间范围：20260901-20260907\r\n"
    "2. 时间单位：分日\r\n\r\n"
    "日期,推广计划,账户,展现,点击,消费,点击率,平均点击价格,网页转化\r\n"
    "2026-09-01,品牌词,acc,18112,433,1805.61,,,5\r\n"
    "2026-09-02,品牌词,acc,47456,737,3043.81,,,5\r\n"
    "2026-09-03,品牌词,acc,19211,219,232.14,,,20\r\n"
)


def load(root: Path, name: str, text: str | bytes, **opts: str) -> Table:
    p = root / "data" / name
    p.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return DataStore(root).load(p, ReadOptions(**opts))


def said(t: Table) -> list[tuple[str, list[str], str, str, str]]:
    return [(s.said, sorted(s.codes), s.kind, s.header, s.example) for s in t.currency]


# --------------------------------------------------------------------------- reading


def test_google_ads_currency_code_column(root: Path, engine: str) -> None:
    t = load(root, "google.csv", GOOGLE)
    assert t.profile == "google-ads"
    assert said(t) == [("USD", ["USD"], "column", "Currency code", "")]
    assert t.money == ("spend",)
    assert "currency_code" not in t.frame.columns  # still not a dimension (profile: ignore)


def test_meta_amount_spent_header(root: Path, engine: str) -> None:
    t = load(root, "meta.csv", META)
    assert t.profile == "meta-ads"
    assert said(t) == [
        ("USD", ["USD"], "header", "Amount spent (USD)", ""),
        ("USD", ["USD"], "header", "CPM (cost per 1,000 impressions) (USD)", ""),
        ("USD", ["USD"], "header", "CPC (cost per link click) (USD)", ""),
    ]
    assert t.money == ("spend", "revenue")


def test_tiktok_pound_cells(root: Path, engine: str) -> None:
    t = load(root, "tiktok.csv", TIKTOK)
    assert t.profile == "tiktok-ads"
    assert said(t) == [("£", ["GBP"], "cells", "Cost", "£873.24")]
    assert t.frame["spend"].tolist() == [873.24, 2468.70, 612.48]  # read as before


def test_a_file_that_states_nothing_is_unchanged(root: Path, engine: str) -> None:
    t = load(root, "baidu.csv", BAIDU.encode("gb18030"))
    assert t.currency == () and t.money == ("spend",)
    plain = load(root, "plain.csv", "date,campaign,spend,clicks\n2026-09-01,a,1234.5,3\n")
    assert plain.currency == ()


@pytest.mark.parametrize(
    ("cell", "sign", "codes"),
    [
        ('"$1,234.56"', "$", sorted(SIGNS["$"])),
        ('"US$1,234.56"', "US$", ["USD"]),
        ("€12.50", "€", ["EUR"]),
        ("¥12.50", "¥", ["CNY", "JPY"]),
        ("￥12.50", "¥", ["CNY", "JPY"]),
        ("RMB 12.50", "RMB", ["CNY"]),
        ("12.50元", "元", ["CNY"]),
        ("CN¥12.50", "CN¥", ["CNY"]),
        ('"1,234.56 USD"', "USD", ["USD"]),
        ("(£12.50)", "£", ["GBP"]),
        ("-$5.00", "$", sorted(SIGNS["$"])),
    ],
)
def test_signs_in_money_cells(root: Path, engine: str, cell: str, sign: str, codes) -> None:
    t = load(
        root, "s.csv", f"date,campaign,spend,clicks\n2026-09-01,a,{cell},3\n2026-09-02,b,7,4\n"
    )
    [(got, got_codes, kind, header, example)] = said(t)
    assert (got, got_codes, kind, header) == (sign, codes, "cells", "spend")
    assert example == cell.strip('"')


def test_signs_in_a_gb18030_file(root: Path, engine: str) -> None:
    # The shape of test_row_semantics' GBK file: full-width digits and ￥ in 花费.
    text = (
        "日期,渠道,花费,点击量\r\n2026-10-20,微信,￥５１０.１１,２００\r\n"
        '2026-10-22,抖音,"￥1,931.65",４７６\r\n'
    )
    t = load(root, "gbk.csv", text.encode("gbk"))
    assert t.encoding == "gb18030"
    assert said(t) == [("¥", ["CNY", "JPY"], "cells", "花费", "￥５１０.１１")]


def test_chinese_money_header_units(root: Path, engine: str) -> None:
    t = load(root, "oe.csv", "日期,计划,消耗(元),点击数\n2026-09-01,a,12.5,3\n")
    assert said(t) == [("元", ["CNY"], "header", "消耗(元)", "")]


def test_signs_in_cells_that_are_not_money_say_nothing(root: Path, engine: str) -> None:
    t = load(root, "c.csv", "date,campaign,clicks,spend\n2026-09-01,$a,5,1.5\n")
    assert t.currency == ()


def test_an_xlsx_currency_column(root: Path) -> None:
    from tests.sitebuild.test_xlsx_sheets import _xlsx

    rows: list[list[object]] = [["Day", "Campaign", "Currency code", "Cost", "Clicks"]]
    rows += [["2026-09-01", "A", "EUR", 12.5, 3], ["2026-09-02", "A", "EUR", "€7.5", 4]]
    t = load(root, "g.xlsx", _xlsx([("Sheet1", rows, False, [])]))
    assert said(t) == [
        ("EUR", ["EUR"], "column", "Currency code", ""),
        ("€", ["EUR"], "cells", "Cost", "€7.5"),
    ]
    assert t.frame["spend"].tolist() == [12.5, 7.5]


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("USD", {"USD"}),
        ("usd", None),  # a code counts in capitals (``Clicks (all)``: no lek)
        ("all", None),
        ("ALL", {"ALL"}),
        ("$", set(SIGNS["$"])),
        ("hk$", {"HKD"}),
        ("人民币", {"CNY"}),
        ("XYZ", None),
        ("<b>X</b>", None),
        ("", None),
    ],
)
def test_codes_of(text: str, codes) -> None:
    assert codes_of(text) == (None if codes is None else frozenset(codes))


def test_codes_of_a_column_value_in_any_case() -> None:
    assert codes_of("usd", any_case=True) == frozenset({"USD"})
    assert codes_of("Usd", any_case=True) == frozenset({"USD"})


def test_a_currency_column_with_markup_a_newline_and_a_huge_number(root: Path, engine: str) -> None:
    big = "9" * 400
    text = (
        "date,campaign,currency,spend\n"
        '2026-09-01,a,<b>X</b>,1\n2026-09-02,a,"US\nD",2\n'
        f"2026-09-03,a,{big},3\n2026-09-04,a,,4\n2026-09-05,a,--,5\n"
    )
    t = load(root, "h.csv", text)
    assert [(s.said, s.codes, s.kind) for s in t.currency] == [
        ("<b>X</b>", frozenset(), "column"),
        ("US\nD", frozenset(), "column"),
        (big, frozenset(), "column"),
    ]
    assert t.frame["spend"].sum() == 15


def test_a_markup_header_unit_is_no_currency(root: Path, engine: str) -> None:
    text = (
        "Reporting starts,Reporting ends,Campaign name,Day,Amount spent (<b>X</b>),Impressions\n"
        "2026-09-01,2026-09-01,A,2026-09-01,5.5,10\n"
    )
    t = load(root, "m.csv", text)
    assert t.profile == "meta-ads" and t.currency == ()
    assert t.frame["spend"].tolist() == [5.5]


def test_a_huge_money_cell_with_a_sign(root: Path, engine: str) -> None:
    t = load(
        root, "b.csv", 'date,spend\n2026-09-01,"$99,999,999,999,999,999,999"\n2026-09-02,$1e999\n'
    )
    assert [s.said for s in t.currency] == ["$"]
    assert t.frame["spend"].tolist() == [99_999_999_999_999_999_999.0]
    assert [d.rule for d in t.diagnostics] == ["data/non-finite"]


def test_many_values_in_a_currency_column_are_cut(root: Path) -> None:
    rows = "".join(f"2026-09-01,a,C{i:02d},1\n" for i in range(40))
    t = load(root, "m.csv", "date,campaign,currency,spend\n" + rows)
    assert len(t.currency) == 10


def test_a_million_plain_text_numbers_are_checked_by_their_ends(root: Path) -> None:
    # A `;` file: measures come as text. Every cell a plain number: nothing else is read.
    import pandas as pd
    import pyarrow as pa

    from planbook.sources.currency import _signs

    values = pa.array([f"{x:.2f}" for x in np.arange(200_000) / 7])
    s = pd.Series(pd.arrays.ArrowExtensionArray(pa.chunked_array([values])))
    assert _signs(s, "utf-8") == []
    signed = pa.array([f"{x:.2f}" for x in np.arange(1000)] + ["€3.00"])
    s = pd.Series(pd.arrays.ArrowExtensionArray(pa.chunked_array([signed])))
    assert _signs(s, "utf-8") == [("€", frozenset({"EUR"}), "€3.00")]


# --------------------------------------------------------------------------- plans

PLAN = """\
---
title: 两种货币
plan:
  id: mixed
  owner: 投放
  status: draft
  period: {{start: 2026-09-01, end: 2026-12-31}}
  currency: {currency}
  metrics:
    - {{path: data/baidu.csv, set: {{channel: baidu}}}}
    - {{path: data/google.csv, set: {{channel: google}}}}
---
# 两种货币
"""


def _frame(root: Path, currency: str = "CNY", data: dict[str, str | bytes] | None = None):
    files = data or {"baidu.csv": BAIDU.encode("gb18030"), "google.csv": GOOGLE}
    write_site(root, {"plans/mixed.md": PLAN.format(currency=currency)}, files)
    project = Project(load_settings(root / "mkdocs.yml"))
    [page] = [p for p in project.scan() if p.plan is not None]
    return project.frame_for(page)


def _sums(frame) -> dict[str, dict[str, float]]:
    rows = frame.frame.groupby("channel", observed=True)[["spend", "clicks"]].sum(min_count=1)
    return {str(k): {m: float(v) for m, v in r.items()} for k, r in rows.iterrows()}


def test_usd_spend_is_not_added_to_a_cny_plan(tmp_path: Path) -> None:
    frame, diags = _frame(tmp_path)
    sums = _sums(frame)
    assert sums["baidu"] == {"spend": pytest.approx(5081.56), "clicks": 1389.0}
    assert np.isnan(sums["google"]["spend"]) and sums["google"]["clicks"] == 2797.0
    assert frame.withheld == frozenset({"spend"})
    [d] = [d for d in diags if d.rule == "data/currency-mismatch"]
    assert (d.file, d.line, d.field, d.severity.value) == (
        "docs/plans/mixed.md",
        11,
        "plan.metrics[1].path",
        "error",
    )
    assert d.message == (
        "'data/google.csv' states its currency as 'USD' (column 'Currency code'), the "
        "plan's currency is CNY: its money (spend) is left out of the plan's figures (no "
        "exchange rate is applied), its other measures still count; set the plan's "
        "`currency: USD` if the plan is kept in USD, or export the report in CNY"
    )
    again = from_json(json.loads(json.dumps(to_json(d.message))))  # a cache on disk
    assert again == d.message and say(again, "zh") == say(d.message, "zh")
    assert say(d.message, "zh") == (
        "'data/google.csv' 标明的货币为 “USD”（“Currency code” 列），计划的货币是 CNY："
        "其金额（spend）不计入计划的数字（不做汇率换算），其他度量照常计入；如果计划以 USD "
        "核算，请把计划的 `currency:` 改为 USD；否则请以 CNY 导出该报表"
    )


def test_a_file_in_the_plans_currency_is_unchanged(tmp_path: Path) -> None:
    frame, diags = _frame(tmp_path, "USD")
    sums = _sums(frame)
    assert sums["google"] == {"spend": pytest.approx(7153.96), "clicks": 2797.0}
    assert sums["baidu"]["spend"] == pytest.approx(
        5081.56
    )  # states none: unchanged (yuan on a USD plan
    # is what the author wrote; nothing in the file says otherwise)
    assert frame.withheld == frozenset()
    assert [d for d in diags if d.rule == "data/currency-mismatch"] == []


def test_a_cpc_over_two_files_leaves_out_the_other_currencys_rows(tmp_path: Path) -> None:
    from datetime import date

    from planbook.metrics.breakdown import breakdown
    from planbook.metrics.kpis import KpiRegistry

    frame, _ = _frame(tmp_path)
    b = breakdown(
        frame, KpiRegistry([], frame.measures), "channel", date(2026, 9, 1), date(2026, 9, 3)
    )
    cpc = {r.key: r.values["cpc"] for r in b.rows}
    assert cpc["baidu"] == pytest.approx(5081.56 / 1389) and cpc["google"] is None
    # the total's CPC is baidu's spend over baidu's clicks, never over google's too
    assert b.total is not None and b.total.values["cpc"] == pytest.approx(5081.56 / 1389)
    assert b.total.values["clicks"] == 1389 + 2797


def test_two_files_in_two_other_currencies(tmp_path: Path) -> None:
    euro = GOOGLE.replace(",USD,", ",EUR,")
    frame, diags = _frame(tmp_path, data={"baidu.csv": euro, "google.csv": GOOGLE})
    errors = [d for d in diags if d.rule == "data/currency-mismatch"]
    assert [d.field for d in errors] == ["plan.metrics[0].path", "plan.metrics[1].path"]
    assert errors[0].message.endswith(
        "its other measures still count; the plan's other files state USD: export every "
        "report of the plan in CNY"
    )
    assert say(errors[1].message, "zh").endswith(
        "计划的其他文件标明的货币为 EUR：请把计划的所有报表都以 CNY 导出"
    )
    assert np.isnan(frame.frame["spend"]).all()


def test_a_dollar_sign_on_a_cny_plan(tmp_path: Path) -> None:
    tiktok = "date,campaign,spend,clicks\n2026-09-01,a,$12.50,3\n"
    _, diags = _frame(tmp_path, data={"baidu.csv": BAIDU.encode("gb18030"), "google.csv": tiktok})
    [d] = [d for d in diags if d.rule == "data/currency-mismatch"]
    assert d.message == (
        "'data/google.csv' states its currency as '$' (cells of column 'spend' such as "
        "'$12.50'), the plan's currency is CNY: its money (spend) is left out of the plan's "
        "figures (no exchange rate is applied), its other measures still count; set the "
        "plan's `currency:` to the file's ISO code (one of ARS, AUD, CAD, CLP, …), or export "
        "the report in CNY"
    )
    assert say(d.message, "zh").endswith(
        "请把计划的 `currency:` 改为该文件货币的 ISO 代码（ARS、AUD、CAD、CLP、… 之一），或以 CNY "
        "导出该报表"
    )


def test_a_dollar_sign_fits_a_usd_plan(tmp_path: Path) -> None:
    tiktok = "date,campaign,spend,clicks\n2026-09-01,a,$12.50,3\n"
    frame, diags = _frame(tmp_path, "USD", data={"baidu.csv": GOOGLE, "google.csv": tiktok})
    assert [d for d in diags if d.rule == "data/currency-mismatch"] == []
    assert frame.frame["spend"].sum() == pytest.approx(7153.96 + 12.5)


def test_markup_in_a_currency_column_is_quoted(tmp_path: Path) -> None:
    hostile = "date,campaign,currency,spend\n2026-09-01,a,<b>X</b>\u2028,1\n"
    _, diags = _frame(tmp_path, data={"baidu.csv": BAIDU.encode("gb18030"), "google.csv": hostile})
    [d] = [d for d in diags if d.rule == "data/currency-mismatch"]
    assert d.message.startswith(
        "'data/google.csv' states its currency as '<b>X</b>' (column 'currency'), "
    )
    assert d.message.endswith(
        "export the report in CNY, or set the plan's `currency:` to the file's ISO code"
    )
    assert say(d.message, "zh").endswith(
        "请以 CNY 导出该报表，或把计划的 `currency:` 改为该文件货币的 ISO 代码"
    )


def test_stated_is_hashable_and_fits() -> None:
    st = Stated("$", SIGNS["$"], "cells", "Cost", "$1")
    assert st.fits("USD") and st.fits("HKD") and not st.fits("CNY")
    assert len({st, Stated("$", SIGNS["$"], "cells", "Cost", "$1")}) == 1


def test_a_profile_marks_more_money(root: Path) -> None:
    folder = root / "profiles"
    folder.mkdir()
    (folder / "acme.yml").write_text(
        "id: acme-ads\nplatform: Acme Ads\ndetect:\n  all: [Report day, Money spent]\n"
        "columns:\n  Report day: date\n  Money spent: spend\n  Budget used: budget_used\n"
        "money: [Budget used]\n",
        encoding="utf-8",
    )
    p = root / "data" / "acme.csv"
    p.write_text(
        "Report day,Currency,Money spent,Budget used,Clicks\n2026-09-01,EUR,1,2,3\n",
        encoding="utf-8",
    )
    t = DataStore(root, profiles_dir=folder).load(p)
    assert t.profile == "acme-ads"
    assert t.money == ("spend", "budget_used")
    assert said(t) == [("EUR", ["EUR"], "column", "Currency", "")]
