"""Row semantics of real downloads: every case the real-exports issue reproduced.

Each test names the case it pins. Messages are asserted exactly: they are what a
marketer reads when a file is wrong.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planbook.data import DataStore, ReadOptions, Table
from planbook.diagnostics import Severity
from planbook.frontmatter import Locations
from planbook.messages import say
from planbook.metrics.breakdown import breakdown
from planbook.metrics.kpis import KpiRegistry, MetricFrame, PacingConfig, pacing_status
from planbook.model import Goal, MetricSource
from planbook.sources import files

ENGINES = ["pyarrow", "exact"]


def load(root: Path, name: str, content: str | bytes, encoding: str = "utf-8", **opts) -> Table:
    p = root / "data" / name
    p.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return DataStore(root).load(p, ReadOptions(**opts))


def load_as(root: Path, name: str, content: bytes, encoding: str) -> Table:
    p = root / "data" / name
    p.write_bytes(content)
    return DataStore(root).load(p, ReadOptions(encoding=encoding))


def rules(t: Table) -> list[tuple[str, int | None, str]]:
    return [(d.rule, d.line, d.message) for d in t.diagnostics]


# --------------------------------------------------------------------------- crashes


def test_gbk_short_row_with_fullwidth_money_is_excluded(root: Path, engine: str) -> None:
    text = (
        "日期,渠道,花费,点击量\r\n"
        "2026-10-20,微信,￥５１０.１１,２００\r\n"
        "2026-10-21,微信,￥512.70\r\n"
        '2026-10-22,抖音,"￥1,931.65",４７６\r\n'
    )
    t = load(root, "gbk.csv", text, "gbk")
    assert t.encoding == "gb18030"
    assert rules(t) == [
        ("data/bad-row", 3, "1 row excluded (line 3): expected 4 fields as in the header, got 3")
    ]
    assert t.frame["spend"].tolist() == [510.11, 1931.65]
    assert t.frame["clicks"].tolist() == [200.0, 476.0]


def test_second_date_like_column_is_a_dimension(root: Path, engine: str) -> None:
    t = load(root, "d.csv", "date,end_date,channel,clicks\n2026-09-01,2026-09-07,sem,5\n")
    assert t.diagnostics == ()
    assert t.frame["end_date"].tolist() == ["2026-09-07"]
    assert t.frame["clicks"].tolist() == [5.0]


def test_meta_reporting_starts_and_ends(root: Path, engine: str) -> None:
    text = (
        '"Reporting starts","Reporting ends","Campaign name","Amount spent (USD)",Impressions\n'
        "2026-09-01,2026-09-01,Prospecting,10.50,100\n"
        "2026-09-02,2026-09-02,Prospecting,11.25,120\n"
    )
    t = load(root, "meta.csv", text)
    assert t.frame["spend"].sum() == pytest.approx(21.75)
    assert t.frame["date"].dt.day.tolist() == [1, 2]


def test_trailing_comma_on_every_row(root: Path, engine: str) -> None:
    text = (
        "date,channel,campaign,clicks,impressions\n"
        "2026-09-01,sem,brand,10,100,\n"
        "2026-09-02,sem,brand,20,200,\n"
        "2026-09-03,sem,brand,30,300\n"
    )
    t = load(root, "t.csv", text)
    assert t.diagnostics == ()
    assert t.frame["clicks"].tolist() == [10.0, 20.0, 30.0]


@pytest.mark.parametrize("value", ["inf", "1e309", "-inf", "¥1e400"])
def test_non_finite_money_is_an_error_with_line_and_column(
    root: Path, engine: str, value: str
) -> None:
    t = load(root, "inf.csv", f"date,channel,spend\n2026-09-01,sem,1\n2026-09-02,sem,{value}\n")
    d = next(d for d in t.diagnostics if d.rule == "data/non-finite")
    assert (d.severity, d.line, d.field) == (Severity.ERROR, 3, "spend")
    assert d.message == (
        f"1 row excluded (line 3): '{value}' in column 3 ('spend') is not a finite number"
    )
    assert t.frame["spend"].tolist() == [1.0]


@pytest.mark.parametrize(
    ("baseline", "target", "actual", "better", "status"),
    [
        (0.025, 0.025, 0.026, True, "achieved"),
        (0.025, 0.025, 0.024, True, "achieved"),  # 4 % short: within on_track's 5 %
        (0.025, 0.025, 0.021, True, "at_risk"),
        (0.025, 0.025, 0.010, True, "off_track"),
        (0, 0, 0, True, "achieved"),
        (0, 0, -1, True, "off_track"),
        (50, 50, 48, False, "achieved"),  # a CPA held at or below 50
        (50, 50, 70, False, "off_track"),
    ],
)
def test_hold_goal_target_equals_baseline(
    baseline: float, target: float, actual: float, better: bool, status: str
) -> None:
    goal = Goal(
        id="hold",
        statement="hold",
        kpi="ctr",
        baseline=baseline,
        target=target,
        deadline=date(2026, 12, 31),
    )
    got = pacing_status(goal, date(2026, 9, 1), date(2026, 10, 1), actual, PacingConfig(), better)
    assert got[0] == status
    assert got[1] == target


# --------------------------------------------------------------------------- silently wrong


def test_meta_account_summary_row_is_not_counted(root: Path, engine: str) -> None:
    text = (
        '"Reporting starts","Reporting ends","Campaign name",Day,Reach,Impressions,'
        '"Amount spent (USD)","Link clicks"\n'
        "2026-09-01,2026-09-02,,,900,3000,30.00,60\n"
        '2026-09-01,2026-09-02,"A",2026-09-01,400,1000,10.00,20\n'
        '2026-09-01,2026-09-02,"B",2026-09-02,600,2000,20.00,40\n'
    )
    t = load(root, "meta.csv", text)
    assert t.profile == "meta-ads"
    assert t.frame["spend"].sum() == 30.0 and t.frame["impressions"].sum() == 3000.0
    d = next(d for d in t.diagnostics if d.rule == "data/totals-row")
    assert (d.severity, d.line) == (Severity.INFO, 2)
    assert d.message == (
        "1 totals row excluded (line 2): a summary row with no campaign or channel that "
        "restates the other rows' sums"
    )


def test_blank_dimension_row_that_does_not_restate_sums_is_data(root: Path, engine: str) -> None:
    text = "date,campaign,spend\n2026-09-01,,5\n2026-09-01,A,10\n2026-09-02,B,20\n"
    t = load(root, "b.csv", text)
    assert t.frame["spend"].sum() == 35.0


def _frame(root: Path, text: str) -> MetricFrame:
    store = DataStore(root)
    (root / "data" / "x.csv").write_text(text, encoding="utf-8")
    frame, _ = store.frame(["data/x.csv"], file="p.md", locations=Locations())
    return MetricFrame(frame)


def test_ratio_uses_only_rows_with_all_inputs(root: Path) -> None:
    text = (
        "date,channel,impressions,clicks\n"
        "2026-09-01,sem,1000,10\n"
        "2026-09-01,sem,N/A,90\n"
        "2026-09-01,social,,5\n"
    )
    mf = _frame(root, text)
    reg = KpiRegistry([], mf.measures)
    ctr = reg.get("ctr")
    req = mf.require(ctr.measures)
    assert req == ("clicks", "impressions")
    daily = mf.daily((), req)
    assert daily["clicks"].iloc[0] / daily["impressions"].iloc[0] == pytest.approx(0.01)
    # Clicks alone still count every row that has clicks.
    assert mf.daily()["clicks"].iloc[0] == 105.0
    b = breakdown(mf, reg, "channel", date(2026, 9, 1), date(2026, 9, 30), kpis=["clicks", "ctr"])
    by = {r.key: r.values for r in b.rows}
    assert by["sem"]["ctr"] == pytest.approx(0.01) and by["sem"]["clicks"] == 100.0
    assert b.total is not None and b.total.values["ctr"] == pytest.approx(0.01)


def test_short_row_with_later_date_does_not_move_the_as_of_date(root: Path, engine: str) -> None:
    text = "date,channel,clicks\n2026-09-01,sem,5\n2026-09-30,sem\n"
    t = load(root, "s.csv", text)
    assert rules(t) == [
        ("data/bad-row", 3, "1 row excluded (line 3): expected 3 fields as in the header, got 2")
    ]
    assert t.frame["date"].max().date() == date(2026, 9, 1)


def test_typo_year_is_reported_and_does_not_move_the_as_of_date(root: Path) -> None:
    from planbook.metrics.kpis import plan_as_of
    from planbook.metrics.plan_scope import outside_period
    from planbook.model import Plan

    text = "date,channel,clicks\n2026-09-01,sem,5\n2026-09-02,sem,6\n2062-09-03,sem,7\n"
    (root / "data" / "x.csv").write_text(text, encoding="utf-8")
    store = DataStore(root)
    sources, _ = store.gather(["data/x.csv"], file="p.md", locations=Locations())
    plan = Plan.model_validate(
        {
            "id": "p",
            "owner": "o",
            "status": "draft",
            "period": {"start": "2026-09-01", "end": "2027-02-28"},
            "metrics": ["data/x.csv"],
        }
    )
    mf = MetricFrame(store.combine(sources))
    assert plan_as_of(plan, mf, None) == date(2026, 9, 2)
    [d] = outside_period(sources, plan, file="p.md")
    assert (d.file, d.line, d.rule, d.severity) == (
        "data/x.csv",
        4,
        "data/outside-period",
        Severity.WARNING,
    )
    assert d.message == (
        "1 row dated after the plan's period ends (2026-09-01 – 2027-02-28) not used for "
        "plan 'p' (line 4; first: 2062-09-03)"
    )


def test_semicolon_file_with_decimal_commas(root: Path, engine: str) -> None:
    text = "date;channel;spend;clicks\n2026-09-01;sem;1.234,56;1,5\n2026-09-02;sem;2,5;3\n"
    t = load(root, "eu.csv", text)
    assert t.diagnostics == ()
    assert t.frame["spend"].tolist() == [1234.56, 2.5]
    assert t.frame["clicks"].tolist() == [1.5, 3.0]


def test_semicolon_file_with_ambiguous_grouping_is_refused(root: Path, engine: str) -> None:
    text = "date;channel;clicks\n2026-09-01;sem;1,234\n2026-09-02;sem;2\n"
    t = load(root, "amb.csv", text)
    assert rules(t) == [
        (
            "data/decimal",
            None,
            "numbers such as '1,234' could use ',' as thousands separator or as decimal mark; "
            'set `decimal: ","` or `decimal: "."` on the source',
        )
    ]
    assert len(t.frame) == 0
    t2 = load(root, "amb.csv", text, decimal=".")
    assert t2.frame["clicks"].tolist() == [1234.0, 2.0]
    t3 = load(root, "amb.csv", text, decimal=",")
    assert t3.frame["clicks"].tolist() == [1.234, 2.0]


@pytest.mark.parametrize(
    ("encoding", "text", "column", "values"),
    [
        ("big5", "日期,廣告活動,點擊\n2026-09-01,春季新品推廣,5\n", "廣告活動", ["春季新品推廣"]),
        (
            "shift_jis",
            "date,キャンペーン,clicks\n2026-09-01,春の新商品セール,5\n",
            "キャンペーン",
            ["春の新商品セール"],
        ),
        ("cp1252", "date,campaign,clicks\n2026-09-01,Café Noël,5\n", "campaign", ["Café Noël"]),
        ("utf-16", "date\tcampaign\tclicks\n2026-09-01\t品牌词\t5\n", "campaign", ["品牌词"]),
    ],
)
def test_legacy_encodings_are_detected_not_garbled(
    root: Path, engine: str, encoding: str, text: str, column: str, values: list[str]
) -> None:
    t = load(root, "enc.csv", text, encoding)
    assert t.encoding == encoding
    assert t.frame[column].tolist() == values


def test_big5_is_not_read_as_gbk(root: Path) -> None:
    # Big5 "中文" is valid GBK too (as kana): the kana rows do not count as Chinese.
    t = load(root, "b5.csv", b"date,x\n2026-09-01," + "中文".encode("big5") + b"\n")
    assert (t.encoding, t.frame["x"].tolist()) == ("big5", ["中文"])


def test_ambiguous_encoding_names_what_would_work(root: Path) -> None:
    # Kanji-range bytes that GB18030, Big5 and Shift-JIS all read, with no kana.
    t = load(root, "amb.csv", b"date,x\n2026-09-01,\xe0\x40\xe0\x41\n")
    [d] = t.diagnostics
    assert (d.rule, d.severity, d.line) == ("data/encoding", Severity.ERROR, None)
    assert d.message == (
        "cannot tell the file's encoding: it is not UTF-8 and reads as GB18030 or Big5 or "
        "Shift-JIS alike; set the one it is (gb18030, big5, shift_jis) on the source, e.g. "
        "`metrics: [{path: data/amb.csv, encoding: shift_jis}]`, or save the file as UTF-8"
    )
    t2 = load_as(root, "amb2.csv", b"date,x\n2026-09-01,\xe0\x40\xe0\x41\n", "shift_jis")
    assert t2.diagnostics == ()


@pytest.mark.parametrize(
    "label", ["合计", "总计：", "汇总", "Total", "Grand total", "Total: Account"]
)
def test_totals_in_any_dimension_column(root: Path, engine: str, label: str) -> None:
    text = f"date,channel,campaign,spend\n2026-09-01,sem,a,1\n2026-09-01,{label},,1\n"
    t = load(root, "tot.csv", text)
    assert t.frame["spend"].sum() == 1.0
    [d] = [d for d in t.diagnostics if d.rule == "data/totals-row"]
    assert d.field == "channel" and d.line == 3


@pytest.mark.parametrize("name", ["Total - Brand", "Total Brand", "Totally Shoes", "合作伙伴"])
def test_real_campaigns_named_like_totals_stay(root: Path, engine: str, name: str) -> None:
    t = load(root, "c.csv", f"campaign,date,spend\n{name},2026-09-01,5\n")
    assert t.frame["campaign"].tolist() == [name]
    assert t.diagnostics == ()


def test_dimension_codes_keep_their_form(root: Path, engine: str) -> None:
    text = (
        "date,region,campaign_id,channel,clicks\n"
        "2026-09-01,010,12345678901234567890,true,1\n"
        "2026-09-02,021,00000000000000000001,false,2\n"
    )
    t = load(root, "codes.csv", text)
    assert t.frame["region"].tolist() == ["010", "021"]
    assert t.frame["campaign_id"].tolist() == ["12345678901234567890", "00000000000000000001"]
    assert t.frame["channel"].tolist() == ["true", "false"]


def test_goal_on_an_exports_rate_column_names_the_builtin(root: Path) -> None:
    from planbook.metrics.kpis import evaluate_goal
    from planbook.model import Plan

    text = (
        "日期,渠道,点击率,点击量,展现量\n2026-09-01,sem,1.5%,15,1000\n2026-09-02,sem,2.5%,25,1000\n"
    )
    mf = _frame(root, text)
    assert mf.rates == {"点击率": "ctr"}
    plan = Plan.model_validate(
        {
            "id": "p",
            "owner": "o",
            "status": "draft",
            "period": {"start": "2026-09-01", "end": "2026-09-30"},
            "goals": [
                {
                    "id": "g",
                    "statement": "s",
                    "kpi": "点击率",
                    "baseline": 0,
                    "target": 0.03,
                    "deadline": "2026-09-30",
                }
            ],
        }
    )
    reg = KpiRegistry([], mf.measures)
    r = evaluate_goal(
        plan.goals[0],
        index=0,
        plan=plan,
        data=mf,
        registry=reg,
        as_of=None,
        pacing=PacingConfig(),
        file="p.md",
        locations=Locations(),
    )
    [d] = r.diagnostics
    assert (d.rule, d.field) == ("kpi/rate-column", "plan.goals[0].kpi")
    assert d.message == (
        "'点击率' is the export's own rate or average column (点击率); rates are never summed "
        "or averaged across rows: use the built-in KPI 'ctr' (clicks / impressions), computed "
        "from the summed measures"
    )


def test_legacy_toutiao_levels(root: Path) -> None:
    fixture = Path(__file__).parents[1] / "exports/toutiao-legacy/group-plan-daily.xlsx"
    (root / "data" / "tt.xlsx").write_bytes(fixture.read_bytes())
    t = DataStore(root).load(root / "data" / "tt.xlsx")
    assert t.profile == "toutiao-legacy"
    # 广告组 is the campaign level there, 广告计划 the ad-group level.
    assert set(t.frame["campaign"]) == {"头条-会员拉新", "头条-秋季新品推广"}
    assert "新品-信息流-女性" in set(t.frame["ad_group"])


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlink_to_a_file_in_data_is_counted_once(root: Path) -> None:
    (root / "data" / "a.csv").write_text("date,clicks\n2026-09-01,5\n", encoding="utf-8")
    os.symlink(root / "data" / "a.csv", root / "data" / "b.csv")
    store = DataStore(root)
    frame, diags = store.frame(["data/*.csv"], file="p.md", locations=Locations())
    assert frame["clicks"].sum() == 5.0
    [d] = diags
    assert (d.rule, d.severity) == ("data/duplicate-source", Severity.WARNING)
    assert d.message == (
        "'data/b.csv' is the same file as read by plan.metrics[0] (through 'data/a.csv'); "
        "its rows are counted once"
    )


def test_the_same_download_saved_twice_is_counted_once(root: Path) -> None:
    """A browser saves the same report downloaded again as "report (1).csv": the two
    files have the same bytes, and every figure counted twice would be silently double
    (outside test F1: clicks 30,766 for 15,383). Same bytes and same `set`: counted once,
    with a warning; the same content with another `set` (two channels) is two sources."""
    text = "date,clicks,spend\n2026-09-01,5,10.5\n2026-09-02,7,3\n"
    (root / "data" / "report.csv").write_text(text, encoding="utf-8")
    (root / "data" / "report (1).csv").write_text(text, encoding="utf-8")
    other = text.replace(",7,", ",8,").replace("-09-0", "-10-0")  # other days
    (root / "data" / "other.csv").write_text(other, encoding="utf-8")
    store = DataStore(root)
    frame, diags = store.frame(["data/*.csv"], file="p.md", locations=Locations())
    assert frame["clicks"].sum() == 5 + 7 + 5 + 8
    [d] = diags
    assert (d.rule, d.severity) == ("data/duplicate-content", Severity.WARNING)
    assert d.message == (
        "'data/report.csv' has the same content as 'data/report (1).csv': the same report "
        "downloaded twice? Its rows are counted once; delete one of the two files"
    )
    assert say(d.message, "zh") == (
        "'data/report.csv' 与 'data/report (1).csv' 的内容完全相同：同一份报告下载了两次？"
        "其中的行只计算一次；请删除其中一个文件"
    )
    two = [
        SimpleNamespace(path="data/report.csv", set={"channel": "a"}),
        SimpleNamespace(path="data/report (1).csv", set={"channel": "b"}),
    ]
    frame, diags = store.frame(two, file="p.md", locations=Locations())
    assert frame["clicks"].sum() == 24 and diags == []  # two channels: not the same rows


def test_downloads_of_overlapping_days_are_said_not_silently_summed(root: Path) -> None:
    """A re-pull of the last days beside the first download (Baidu 计划报告 0901-0907 and
    0905-0907, outside test F2) holds the same day and campaign twice: both are counted
    (two accounts may well have campaigns of the same name), with a warning naming the
    files, the days and what to do."""
    week = "".join(f"2026-09-0{d},品牌词,{d}\n2026-09-0{d},通用词,{10 * d}\n" for d in range(1, 8))
    again = "".join(f"2026-09-0{d},品牌词,{d + 1}\n" for d in range(5, 8))
    (root / "data" / "a-0901.csv").write_text("日期,推广计划,点击\n" + week, encoding="utf-8")
    (root / "data" / "b-0905.csv").write_text("日期,推广计划,点击\n" + again, encoding="utf-8")
    store = DataStore(root)
    frame, diags = store.frame(["data/*.csv"], file="p.md", locations=Locations())
    assert frame["clicks"].sum() == 28 + 280 + 21  # counted, and said
    [d] = [d for d in diags if d.severity is not Severity.INFO]
    assert (d.rule, d.severity, d.field) == (
        "data/overlapping-files",
        Severity.WARNING,
        "plan.metrics[0]",
    )
    assert d.message == (
        "'data/b-0905.csv' and 'data/a-0901.csv' both have rows for the same days and the "
        "same campaign (2026-09-05 – 2026-09-07, 3 of them); both are counted, so those days "
        "count twice if one file is a newer download of the other: delete the older one, or "
        "download days that do not overlap"
    )
    assert say(d.message, "zh") == (
        "'data/b-0905.csv' 和 'data/a-0901.csv' 都有同一天、同样 campaign 的行（2026-09-05 – "
        "2026-09-07，共 3 组）；两者都计入，如果其中一个是另一个的重新下载，这些天会被算两次："
        "请删除较旧的文件，或下载不重叠的日期"
    )
    # other campaigns on the same days, days that do not meet, two platforms by `set`:
    # no rows in common, nothing said
    (root / "data" / "b-0905.csv").write_text(
        "日期,推广计划,点击\n" + again.replace("品牌词", "新品词"), encoding="utf-8"
    )
    (root / "data" / "c.csv").write_text("日期,推广计划,点击\n2026-10-01,品牌词,1\n", "utf-8")
    assert DataStore(root).frame(["data/*.csv"], file="p.md", locations=Locations())[1] == []
    (root / "data" / "sogou.csv").write_text("日期,推广计划,点击\n" + week, encoding="utf-8")
    two = [
        SimpleNamespace(path="data/a-0901.csv", set={"channel": "baidu"}),
        SimpleNamespace(path="data/sogou.csv", set={"channel": "sogou"}),
    ]
    assert DataStore(root).frame(two, file="p.md", locations=Locations())[1] == []


def test_overlapping_downloads_without_dimensions_count_days(root: Path) -> None:
    (root / "data" / "a.csv").write_text("date,clicks\n2026-09-01,1\n2026-09-02,2\n", "utf-8")
    (root / "data" / "b.csv").write_text("date,clicks\n2026-09-02,2\n2026-09-03,3\n", "utf-8")
    _, diags = DataStore(root).frame(["data/*.csv"], file="p.md", locations=Locations())
    [d] = diags
    assert d.message.startswith(
        "'data/b.csv' and 'data/a.csv' both have rows for the same days (2026-09-02 – "
        "2026-09-02, 1 day); both are counted"
    )


# Meta Ads Manager "Export table data" by day (shape: the meta-ads profile's sources;
# tests/exports/meta-ads): Purchases and its value are EMPTY on a day without purchases.
META = (
    '\ufeff"Reporting starts","Reporting ends","Campaign name",Day,"Amount spent (USD)",'
    'Impressions,"Link clicks",Purchases,"Purchases conversion value"\n'
    '2026-09-01,2026-09-03,"Fall Launch",2026-09-01,100.00,5000,50,4,400.00\n'
    '2026-09-01,2026-09-03,"Fall Launch",2026-09-02,80.00,4000,40,,\n'
    '2026-09-01,2026-09-03,"Fall Launch",2026-09-03,120.00,6000,60,6,700.00\n'
)


def test_meta_leaves_a_zero_empty_and_it_is_read_as_zero(root: Path) -> None:
    """Outside test F4: the empty Purchases of a day without purchases was a gap, and
    CPA and ROI left that day's spend out (CPA 107 where Meta's own summary said 129).
    The meta-ads profile says its empty counts are zeros (blank_is_zero): 0, said."""
    t = load(root, "meta.csv", META)
    assert t.profile == "meta-ads"
    assert t.frame["conversions"].tolist() == [4.0, 0.0, 6.0]
    assert t.frame["revenue"].tolist() == [400.0, 0.0, 700.0]
    frame = MetricFrame(t.frame)
    spend, conversions = (frame.raw()[m].sum() for m in ("spend", "conversions"))
    assert spend / conversions == 30.0  # 300 / 10: the day without purchases counts
    notes = [d for d in t.diagnostics if d.rule == "data/blank-is-zero"]
    assert [(d.line, d.field, d.severity) for d in notes] == [
        (3, "conversions", Severity.INFO),
        (3, "revenue", Severity.INFO),
    ]
    assert notes[0].message == (
        "'Purchases' is empty on 1 row (line 3): read as 0, as this export leaves a count "
        "empty when it is zero"
    )
    assert (
        say(notes[0].message, "zh")
        == "第 3 行的 “Purchases” 为空：按 0 读取（该导出在数量为零时留空）"
    )


# TikTok Ads Manager custom report by day (shape: tests/exports/tiktok-ads and the
# tiktok-ads profile's notes): a small count is masked as "<5".
TIKTOK = (
    "By Day,Campaign name,Cost,Impressions,Clicks (destination),Conversions\n"
    "2026-09-01,Autumn Drop,148.61,22810,142,<5\n"
    "2026-09-02,Autumn Drop,174.39,23653,246,7\n"
    "2026-09-03,Autumn Drop,100.00,10000,100,＜ 5\n"
    "2026-09-04,Autumn Drop,50.00,5000,50,lots\n"
)


def test_a_masked_count_is_missing_for_its_column_only(root: Path) -> None:
    """Outside test F5: "<5" made the whole row a bad row, and a third of the spend,
    clicks and impressions went with it. It is missing for Conversions only; a real
    bad number still sets its row aside."""
    t = load(root, "tiktok.csv", TIKTOK)
    assert t.profile == "tiktok-ads"
    assert t.frame["clicks"].tolist() == [142.0, 246.0, 100.0]  # line 5 ("lots"): a bad row
    assert t.frame["spend"].sum() == pytest.approx(148.61 + 174.39 + 100.0)
    conv = t.frame["conversions"].tolist()
    assert np.isnan(conv[0]) and conv[1] == 7.0 and np.isnan(conv[2])
    [note] = [d for d in t.diagnostics if d.rule == "data/masked-number"]
    assert (note.line, note.field, note.severity) == (2, "conversions", Severity.INFO)
    assert note.message == (
        "'Conversions' is '<5' on 2 rows (lines 2, 4): a count the platform hides when "
        "it is small; left out of that column's sums and of the ratios that use it (those "
        "sums are short by less than that number a row), the rows' other columns count"
    )
    assert say(note.message, "zh").startswith(
        "第 2、4 行的 “Conversions” 为 “<5”：平台在数量较小时隐藏的值"
    )
    [bad] = [d for d in t.diagnostics if d.rule == "data/bad-number"]
    assert bad.line == 5


@pytest.mark.parametrize("label", ["Account total", "Search totals", "All campaigns", "全部计划"])
def test_a_summary_labelled_in_a_name_cell_without_a_date_is_a_total(root: Path, label) -> None:
    """Outside test F14: a summary row with its label in the name column and no date
    was a row missing its date (a warning: --strict failed on a plain download). It is
    the file's total (info); a dated "Brand total" campaign stays, and a dateless row of
    a real name is still a missing date."""
    text = (
        "date,campaign,clicks\n2026-09-01,Brand total,5\n2026-09-02,Search,7\n"
        f",{label},12\n,Search,3\n"
    )
    t = load(root, "t.csv", text)
    assert t.frame["clicks"].sum() == 12  # the dated "Brand total" row counts
    assert sorted((d.line, d.rule, d.severity) for d in t.diagnostics) == [
        (4, "data/totals-row", Severity.INFO),
        (5, "data/missing-date", Severity.WARNING),
    ]


@pytest.mark.parametrize("span", ["2026-09-01~2026-09-07", "2026-09-01 至 2026-09-07"])
def test_a_date_cell_of_two_days_is_a_report_summed_over_days(root: Path, span: str) -> None:
    """Outside test F9: Baidu's 时间单位 合计 writes the range in 日期; it was a bad date
    (a warning: the plan then had no data and no hint). It is refused as a row over
    several days, as Meta's are, with what to do; a plain bad date is still one."""
    text = f"日期,推广计划,点击\n{span},品牌词,100\n{span},通用词,50\n2026-09-0x,品牌词,1\n"
    t = load(root, "r.csv", text)
    assert len(t.frame) == 0
    multi, bad = (
        next(d for d in t.diagnostics if d.rule == rule)
        for rule in ("data/multi-day-row", "data/bad-date")
    )
    assert (multi.line, multi.severity, bad.line) == (2, Severity.ERROR, 4)
    assert multi.message == (
        "2 rows excluded (lines 2, 3): each covers several days, not one (the first: "
        "2026-09-01 to 2026-09-07, in '日期'); export the report with one row per day (a "
        "time unit of days: 时间单位 分日, Segment > Time > Day)"
    )
    assert say(multi.message, "zh") == (
        "第 2、3 行未计入：每行覆盖多天，不是一天的数据（第一行：2026-09-01 至 2026-09-07，见 '日期'）；"
        "请按天导出报表（时间单位选“分日”）"
    )


def test_a_report_downloaded_without_its_days_is_told_how_to_download_it(root: Path) -> None:
    """Outside test F7: a Google Ads report without Segment > Time > Day was told that
    its header was the title line ('Campaign report', line 1). The header with the
    most known columns is quoted, at its line, with how to download the days."""
    text = (
        "Campaign report\n"
        '"September 1, 2026 - September 7, 2026"\n'
        "Campaign,Impr.,Clicks,Cost,Conversions\n"
        "Brand,1000,50,25.00,2\n"
    )
    t = load(root, "g.csv", text)
    [d] = [d for d in t.diagnostics if d.rule == "data/no-date-column"]
    assert d.line == 3
    assert d.message == (
        "no date column among the headers ('Campaign', 'Impr.', 'Clicks', 'Cost', "
        "'Conversions'): this Google Ads report was downloaded without one row per day; "
        "download it again with a daily breakdown (Google Ads: Segment > Time > Day; GA4: "
        "add Date as a dimension; 时间单位: 分日)"
    )
    plain = load(root, "p.csv", "Report\nchannel,clicks,spend\nsem,5,2\n")
    [d] = [d for d in plain.diagnostics if d.rule == "data/no-date-column"]
    assert d.line == 2 and d.message.startswith(
        "no date column among the headers ('channel', 'clicks', 'spend'); name it"
    )


def test_traditional_chinese_headers_find_their_columns(root: Path) -> None:
    """Outside test F12: a Big5 download from a Taiwan or Hong Kong interface (曝光次數,
    點擊次數, 花費) was decoded but its headers matched nothing. Headers are compared with
    traditional characters simplified; the values stay as written."""
    text = "日期,廣告名稱,曝光次數,點擊次數,花費\n2026-09-01,春季廣告,1000,20,30.5\n"
    t = load_as(root, "tw.csv", text.encode("big5"), "big5")
    assert {"impressions", "clicks", "spend", "campaign"} <= set(t.frame.columns)
    assert t.frame["clicks"].sum() == 20 and t.frame["campaign"].tolist() == ["春季廣告"]


def test_excel_date_serials_are_dates(root: Path) -> None:
    """Outside test F11: a workbook whose date cells are formatted General gives their
    serial numbers (46266 is 2026-09-01); every row was lost as a bad date. Five-digit
    serials of 1954-2119 are dates; other numbers are still bad dates."""
    t = load(root, "s.csv", "date,clicks\n46266,5\n46267.0,7\n99999,1\n123,1\n")
    assert [str(d)[:10] for d in t.frame["date"]] == ["2026-09-01", "2026-09-02"]
    [bad] = [d for d in t.diagnostics if d.rule == "data/bad-date"]
    assert bad.line == 4 and "'99999'" in bad.message


def test_files_that_are_not_tables_say_what_they_are(root: Path) -> None:
    """Outside test F13: an .xls (many Chinese back-ends still hand them out), a web
    page saved as .xls or .csv, a damaged workbook, UTF-16 without its BOM."""
    data = root / "data"
    (data / "report.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    (data / "page.xls").write_bytes(b"<html><body><table><tr><td>1</td></tr></table>")
    (data / "page.csv").write_text("<!DOCTYPE html>\n<html><table></table></html>\n", "utf-8")
    (data / "cut.xlsx").write_bytes(b"PK\x03\x04" + b"\x14\x00" * 20)  # cut short
    text = "日期,广告名称,曝光次数,点击次数,花费\r\n2026-09-01,品牌,1000,20,30.5\r\n"
    (data / "le.csv").write_bytes(text.encode("utf-16-le"))

    def said(path: str) -> list[str]:
        store = DataStore(root)
        _, diags = store.frame([path], file="p.md", locations=Locations())
        table_diags = [d for t in store.used_tables() for d in t.diagnostics]
        return [d.message for d in (*diags, *table_diags) if d.severity is Severity.ERROR]

    assert said("data/report.xls") == [
        "'data/report.xls' is an Excel 97-2003 workbook (.xls), which is not read: open it "
        "in Excel or WPS and save it as .xlsx (or CSV)"
    ]
    page = (
        "'data/{}' is a web page (HTML) saved under a spreadsheet's name, not a table "
        "file: open it in Excel or WPS and save it as .xlsx or CSV"
    )
    assert said("data/page.xls") == [page.format("page.xls")]
    assert said("data/page.csv") == [page.format("page.csv")]
    [cut] = said("data/cut.xlsx")
    assert cut.startswith(
        "cannot read the workbook (a damaged or unfinished download? download it again, or "
        "open it in Excel or WPS and save it): "
    )
    le = DataStore(root).load(data / "le.csv")
    assert (le.encoding, le.frame["clicks"].sum()) == ("utf-16", 20)


def test_german_numbers_are_told_which_decimal_mark_to_set(root: Path) -> None:
    """Outside test F8: a German Google Ads download quotes "1.256,85" and writes 54.040
    (thousands) bare; it was told that it uses both marks, as if it were inconsistent.
    It is told which column says what, and which `decimal` reads it right."""
    text = (
        'date,campaign,impressions,clicks,spend\n2026-09-01,Marque,54.040,735,"1.256,85"\n'
        '2026-09-02,Marque,35.139,1503,"2.104,20"\n'
    )
    [d] = load(root, "de.csv", text).diagnostics
    assert (d.rule, d.severity) == ("data/decimal", Severity.ERROR)
    assert d.message == (
        "'spend' writes numbers with a decimal comma ('1.256,85') and 'impressions' with a "
        "'.' ('54.04'): if '.' groups thousands in this file (German or French settings: "
        '54.040 for 54040), set `decimal: ","` on the source; if it is a decimal point '
        'there, set `decimal: "."`'
    )
    fixed = load(root, "de.csv", text, decimal=",")
    assert fixed.frame["impressions"].tolist() == [54040.0, 35139.0]
    assert fixed.frame["spend"].sum() == pytest.approx(1256.85 + 2104.20)


def test_line_numbers_after_a_quoted_newline(root: Path, engine: str) -> None:
    text = 'date,campaign,clicks\n2026-09-01,"two\nlines",1\n2026-09-02,b,oops\n2026-09-03,c,3\n'
    t = load(root, "q.csv", text)
    [d] = t.diagnostics
    assert (d.rule, d.line) == ("data/bad-number", 4)
    assert d.message == "1 row excluded (line 4): expected a number, got 'oops'"
    assert t.frame["campaign"].tolist() == ["two\nlines", "c"]


# --------------------------------------------------------------------------- real downloads


def test_google_ads_excel_csv_needs_no_options(root: Path) -> None:
    text = (
        "Campaign report\r\nSeptember 1, 2026 - September 2, 2026\r\n"
        "Day\tCampaign\tImpr.\tClicks\tCost\r\n"
        "2026-09-01\tTotal Brand\t1,000\t10\t5.00\r\n"
        "2026-09-02\tGeneric\t2,000\t20\t7.50\r\n"
        "Total: Account\t\t3,000\t30\t12.50\r\n"
    )
    t = load(root, "g.csv", text.encode("utf-16"))
    assert (t.profile, t.encoding) == ("google-ads-excel", "utf-16")
    assert t.frame["campaign"].tolist() == ["Total Brand", "Generic"]
    assert t.frame["spend"].sum() == 12.5
    assert [d.rule for d in t.diagnostics] == ["data/profile", "data/preamble", "data/totals-row"]
    assert t.diagnostics[1].message == (
        "2 lines above the header skipped (lines 1, 2: 'Campaign report' …); the header is line 3"
    )


def test_preamble_count_and_list_agree_with_a_blank_line(root: Path, engine: str) -> None:
    # Outside report F10. Shape of a 百度营销 搜索推广 计划报告 download (GB18030, seven
    # comma-padded lines of 数据生成时间 / 时间范围 / 时间单位 …, a blank line, the header on
    # line 9): import pages quoting "前七行为概述内容，第八行为标题", find_string hits
    # 15996662737 and 16539739003. The blank line was counted (8) but not listed (7).
    from planbook.messages import say

    pad = ",,,,,"
    text = (
        f"数据生成时间：2026-09-08 09:41{pad}\r\n账户：示例账户{pad}\r\n"
        f"1. 时间范围：20260901-20260907{pad}\r\n2. 时间单位：分日{pad}\r\n"
        f"3. 推广设备：全部{pad}\r\n4. 推广网络：全部{pad}\r\n5. 推广计划：全部{pad}\r\n"
        "\r\n"
        "日期,推广计划,展现,点击,消费,点击率\r\n"
        "2026-09-01,品牌词,12199,251,750.49,2.06%\r\n"
    )
    t = load(root, "baidu.csv", text, "gb18030")
    [d] = [d for d in t.diagnostics if d.rule == "data/preamble"]
    assert (d.line, d.extra) == (9, (("rows", "8"),))
    assert d.message == (
        "8 lines above the header skipped (lines 1, 2, 3, 4, 5 and 3 more: "
        "'数据生成时间：2026-09-08 09:41,,,,,' …); the header is line 9"
    )
    assert say(d.message, "zh") == (
        "跳过表头上方的 8 行（第 1、2、3、4、5 行等 8 行："
        "'数据生成时间：2026-09-08 09:41,,,,,' …）；表头在第 9 行"
    )
    assert t.frame["clicks"].tolist() == [251.0]


def test_preamble_of_blank_lines_only_lists_them(root: Path) -> None:
    from planbook.messages import say

    t = load(root, "b.csv", "\n\ndate,clicks\n2026-09-01,5\n")
    [d] = [d for d in t.diagnostics if d.rule == "data/preamble"]
    assert d.message == (
        "2 lines above the header skipped (lines 1, 2: blank lines); the header is line 3"
    )
    assert say(d.message, "zh") == "跳过表头上方的 2 行（第 1、2 行：空行）；表头在第 3 行"


def test_encoding_option_accepts_utf16(root: Path) -> None:
    p = root / "data" / "u.csv"
    p.write_bytes("date,clicks\n2026-09-01,5\n".encode("utf-16"))
    t = DataStore(root, encoding="utf-16").load(p)
    assert t.frame["clicks"].tolist() == [5.0]
    assert MetricSource(path="data/u.csv", encoding="utf-16").encoding == "utf-16"
    with pytest.raises(ValueError, match="unknown encoding 'klingon'"):
        MetricSource(path="data/u.csv", encoding="klingon")


def test_xlsx_is_read_not_misreported_as_utf8(root: Path) -> None:
    fixture = Path(__file__).parents[1] / "exports/qianchuan/plan-daily.xlsx"
    (root / "data" / "q.xlsx").write_bytes(fixture.read_bytes())
    t = DataStore(root).load(root / "data" / "q.xlsx")
    assert t.encoding == "xlsx" and t.profile == "qianchuan"
    assert not [d for d in t.diagnostics if d.severity == Severity.ERROR]
    t2 = DataStore(root).load(root / "data" / "q.xlsx", ReadOptions(sheet="nope"))
    [d] = [d for d in t2.diagnostics if d.rule == "data/xlsx"]
    assert d.message.startswith("no sheet 'nope' in the workbook (sheets: ")


@pytest.mark.parametrize(
    "header",
    [
        "时间-天,推广计划名称,推广组名称,展现,点击次数,网页转化",
        "日期,项目名称,单元名称,整体展现次数,整体点击次数,整体消耗,整体成交金额",
        "Day,Campaign type,Session default channel group,Purchases conversion value",
        "Send Date,Total Recipients,Successful Deliveries",
        "日期,新关注人数,私信进线数,目标转化量",
    ],
)
def test_headers_real_exports_use_are_known(root: Path, header: str) -> None:
    from planbook.sources.files import alias_table, canonical

    aliases = alias_table(None)
    for h in header.split(","):
        assert canonical(h, aliases)[1], h


# --------------------------------------------------------------------------- property


_ROW = st.one_of(
    st.tuples(st.just("ok"), st.integers(1, 28), st.integers(0, 10**6)),
    st.tuples(st.just("short"), st.integers(1, 28), st.integers(0, 9)),
    st.tuples(st.just("long"), st.integers(1, 28), st.integers(0, 9)),
    st.tuples(st.just("trailing"), st.integers(1, 28), st.integers(0, 9)),
    st.tuples(st.just("total"), st.integers(1, 28), st.integers(0, 9)),
    st.tuples(st.just("baddate"), st.integers(1, 28), st.integers(0, 9)),
    st.tuples(st.just("badnum"), st.integers(1, 28), st.integers(0, 9)),
    st.tuples(st.just("inf"), st.integers(1, 28), st.integers(0, 9)),
    st.tuples(st.just("quoted"), st.integers(1, 28), st.integers(0, 9)),
    st.tuples(st.just("empty"), st.integers(1, 28), st.integers(0, 9)),
    st.tuples(st.just("blank"), st.integers(1, 28), st.integers(0, 9)),
    st.tuples(st.just("missing"), st.integers(1, 28), st.integers(0, 9)),
)


def _line(kind: str, day: int, n: int) -> str:
    d = f"2026-09-{day:02d}"
    return {
        "ok": f"{d},sem,c{n % 3},{n},{n * 10}",
        "short": f"{d},sem,c{n}",
        "long": f"{d},sem,c{n},1,2,x",
        "trailing": f"{d},sem,c{n},1,2,",
        "total": f"{d},合计,,{n},{n}",
        "baddate": f"2026-13-{day:02d},sem,c{n},1,2",
        "badnum": f"{d},sem,c{n},abc,2",
        "inf": f"{d},sem,c{n},1e400,2",
        "quoted": f'{d},sem,"c,\n{n}",1,2',
        "empty": ",,,,",
        "blank": "",
        "missing": f"{d},sem,c{n},--,",
    }[kind]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(_ROW, max_size=25), engine=st.sampled_from(ENGINES))
def test_every_row_is_in_the_table_or_named(tmp_path_factory, rows, engine) -> None:
    root = tmp_path_factory.mktemp("prop")
    (root / "data").mkdir()
    old = files.ENGINE
    files.ENGINE = engine
    try:
        body = "\n".join(_line(*r) for r in rows)
        t = load(root, "p.csv", "date,channel,campaign,clicks,spend\n" + body + "\n")
    finally:
        files.ENGINE = old
    records = sum(1 for kind, *_ in rows if kind != "blank")
    if any(d.severity == Severity.ERROR and d.get("rows") is None for d in t.diagnostics):
        return  # the file as a whole was refused, with a message
    named = sum(int(d.get("rows") or 0) for d in t.diagnostics)
    assert len(t.frame) + named == records, t.diagnostics
    assert t.frame["date"].dtype == np.dtype("datetime64[ns]")


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=st.binary(max_size=400), engine=st.sampled_from(ENGINES))
def test_arbitrary_bytes_give_a_table_and_diagnostics(tmp_path_factory, raw, engine) -> None:
    root = tmp_path_factory.mktemp("bytes")
    (root / "data").mkdir()
    old = files.ENGINE
    files.ENGINE = engine
    try:
        t = load(root, "b.csv", b"date,channel,clicks\n" + raw)
        t2 = load(root, "c.csv", raw)
    finally:
        files.ENGINE = old
    for table in (t, t2):
        assert "date" in table.frame.columns
        assert all(d.file.startswith("data/") for d in table.diagnostics)


def test_a_very_long_metrics_path_is_a_message(root: Path) -> None:
    store = DataStore(root)
    paths, [d] = store.resolve("data/" + "x" * 5000 + ".csv", file="p.md", line=7, field="f")
    assert paths == []
    assert (d.rule, d.line, d.field) == ("data/path", 7, "f")
    assert d.message == (
        "path of 5,009 characters is not a file name; expected a path inside 'data/' of at "
        "most 1024 characters"
    )


def test_one_plan_that_fails_does_not_take_the_site_down(
    build_site, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planbook import project

    real = project.Project._evaluate

    def flaky(self, page):
        if page.plan.id == "broken":
            raise ZeroDivisionError("division by zero")
        return real(self, page)

    monkeypatch.setattr(project.Project, "_evaluate", flaky)
    plan = (
        "---\nplan:\n  id: {id}\n  owner: o\n  status: draft\n"
        "  period: {{start: 2026-09-01, end: 2026-09-30}}\n  metrics: [data/a.csv]\n"
        "  goals:\n    - {{id: g, statement: s, kpi: clicks, baseline: 0, target: 10, "
        "deadline: 2026-09-30}}\n---\n# {id}\n"
    )
    # Every section and chart placed on the broken page: none may take the build down.
    placed = (
        "\n".join(
            f"{{{{ {name}() }}}}\n"
            for name in ("kpi_table", "channel_table", "budget_table", "phases", "risks", "team")
        )
        + '\n{{ kpi_trend("clicks") }}\n\n{{ channel_chart() }}\n\n{{ budget_chart() }}\n'
    )
    built = build_site(
        {
            "index.md": "# x\n",
            "ok.md": plan.format(id="fine"),
            "bad.md": plan.format(id="broken") + placed,
        },
        {"a.csv": "date,clicks\n2026-09-01,5\n"},
        strict=False,
    )
    assert built.error is None
    errors = built.logged(40)
    assert any(
        "bad.md" in m
        and "无法计算这个计划（ZeroDivisionError: division by zero" in m  # a Chinese site
        for m in errors
    ), errors
    assert "plan/internal-error" in built.raw("bad/index.html")
    assert "5" in built.html("ok/index.html").get_text()


def test_quoted_newline_across_the_readers_block_boundary(root: Path, engine: str) -> None:
    header = b"date,campaign,clicks\n"
    row = b"2026-09-01,cccccccccc,1\n"
    body = row * ((1 << 20) // len(row) - 1)
    # A quoted field whose newline lies just past the first 1 MiB block of the body.
    special = b'2026-09-02,"' + b"x" * ((1 << 20) - len(body) - 15) + b'\nyy",2\n'
    text = header + body + special + row * 1000 + b"2026-09-03,z,oops\n"
    t = load(root, "big.csv", text)
    assert len(t.frame) == len(body) // len(row) + 1 + 1000
    [d] = t.diagnostics
    assert (d.rule, d.line) == ("data/bad-number", text.count(b"\n"))
    assert t.frame["clicks"].sum() == len(body) // len(row) + 2 + 1000


def _goal_result(root: Path, text: str, goal: dict):
    from planbook.metrics.kpis import evaluate_goal
    from planbook.model import Plan

    mf = _frame(root, text)
    plan = Plan.model_validate(
        {
            "id": "p",
            "owner": "o",
            "status": "draft",
            "period": {"start": "2026-09-01", "end": "2026-09-30"},
            "goals": [{"id": "g", "statement": "s", "deadline": "2026-09-30", **goal}],
        }
    )
    return evaluate_goal(
        plan.goals[0],
        index=0,
        plan=plan,
        data=mf,
        registry=KpiRegistry([], mf.measures),
        as_of=None,
        pacing=PacingConfig(),
        file="p.md",
        locations=Locations(),
    )


def test_goal_ratio_counts_only_complete_rows_and_says_so(root: Path) -> None:
    text = "date,channel,impressions,clicks\n2026-09-01,sem,1000,10\n2026-09-01,sem,N/A,90\n"
    r = _goal_result(root, text, {"kpi": "ctr", "baseline": 0, "target": 0.05})
    assert r.actual == pytest.approx(0.01)
    [d] = r.diagnostics
    assert (d.rule, d.severity, d.field) == ("kpi/partial-rows", Severity.INFO, "plan.goals[0].kpi")
    assert d.message == (
        "ctr is computed over the rows that have clicks and impressions: 1 row with only some "
        "of them is left out"
    )


def test_goal_on_a_non_additive_count(root: Path) -> None:
    text = "date,channel,reach\n2026-09-01,sem,100\n2026-09-02,sem,150\n"
    r = _goal_result(root, text, {"kpi": "reach", "baseline": 0, "target": 500})
    [d] = r.diagnostics
    assert (d.rule, d.field) == ("kpi/non-additive", "plan.goals[0].aggregate")
    assert d.message == (
        "'reach' counts people or a running total (reach, users, followers), which cannot be "
        "added up across days: use `aggregate: last` (the latest day's value) or "
        "`aggregate: daily_mean`"
    )
    ok = _goal_result(
        root, text, {"kpi": "reach", "aggregate": "last", "baseline": 0, "target": 500}
    )
    assert ok.diagnostics == [] and ok.actual == 150.0


@pytest.mark.parametrize("value", [1e300, -1e300, 1.5e308, 1e18])
def test_huge_values_format_instead_of_crashing(value: float) -> None:
    from planbook.format import Formatter

    f = Formatter("zh", "CNY")
    for method in (f.number, f.decimal, f.money, f.percent):
        assert method(value) == f"{value:.3g}"


def test_row_checks_look_at_the_values_before_the_rows() -> None:
    """convert's text columns answer "no totals label" and "no blank cell" from their
    distinct values and smallest code (no array over the rows), and give the rows
    when some value is one."""
    import pandas as pd

    from planbook.sources.convert import _Text

    plain = _Text(pd.Series(pd.Categorical(["sem", "feed", "sem"])), False, "utf-8")
    assert plain.mask(lambda u: u == "Total") is None and not plain.any_empty()
    assert plain.mask(lambda u: u == "feed").tolist() == [False, True, False]
    missing = _Text(pd.Series(pd.Categorical(["sem", None, "sem"])), False, "utf-8")
    assert missing.any_empty() and missing.empty().tolist() == [False, True, False]
    blank = _Text(pd.Series(["sem", " ", "sem"], dtype="str"), False, "utf-8")
    assert blank.any_empty() and blank.empty().tolist() == [False, True, False]
    none = _Text(pd.Series([], dtype="str"), False, "utf-8")
    assert not none.any_empty() and none.mask(bool) is None
