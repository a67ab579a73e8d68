"""Decimal marks, thousands separators, UTC offsets and rows over several days: cases an
outside test of real-shaped downloads found read silently wrong (stop 30).

* `"12,50"` quoted in a comma-separated file was read as 1250: a `,` that does not
  group three digits is no thousands separator (parse_numbers, reader.without_commas),
  and the column's numbers tell the decimal mark, as in a `;` file.
* `1.234` in a `;` file was read as 1.234 by pyarrow before the text was looked at: the
  measures of a file whose mark is not sure are read as text (files.Parser._point_sure).
* A Google Ads "Excel .csv" (tab-separated, a profile) with decimal commas: a profile
  no longer makes the mark sure.
* `2026-09-01T23:30:00-07:00` moved to the UTC day on the fast reader only.
* Meta rows over a week (no Day breakdown) were put on their first day.

Messages are asserted exactly, in English and Chinese.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from planbook.data import DataStore, ReadOptions, Table
from planbook.messages import say
from planbook.sources.reader import without_commas
from planbook.sources.values import parse_numbers


def load(root: Path, name: str, content: str, encoding: str = "utf-8", **opts) -> Table:
    p = root / "data" / name
    p.write_bytes(content.encode(encoding))
    return DataStore(root).load(p, ReadOptions(**opts))


def rules(t: Table) -> list[tuple[str, int | None, str]]:
    return [(d.rule, d.line, d.message) for d in t.diagnostics]


@pytest.mark.parametrize(
    ("text", "mark", "value"),
    [
        ("1,234", ".", 1234.0),
        ("1,234.50", ".", 1234.5),
        ("1,234,567.8", ".", 1234567.8),
        ("¥1,234", ".", 1234.0),
        ("(1,234)", ".", -1234.0),
        ("1，234", ".", 1234.0),  # full-width comma
        ("1,234万", ".", 12_340_000.0),
        ("12,50", ".", None),
        ("1,5", ".", None),
        ("1,2345", ".", None),
        ("1234,567", ".", None),
        (",5", ".", None),
        ("1.234,56", ",", 1234.56),
        ("1,5", ",", 1.5),
        ("1.234", ",", 1234.0),
        ("1.5", ",", None),
        ("12.50,5", ",", None),
    ],
)
def test_a_thousands_separator_groups_three_digits(text: str, mark: str, value) -> None:
    values, bad = parse_numbers(pd.Series([text], dtype="str"), mark)
    if value is None:
        assert bad.tolist() == [True]
    else:
        assert values.tolist() == [value] and bad.tolist() == [False]


def test_the_fast_reader_leaves_a_decimal_comma_to_the_text_path() -> None:
    assert without_commas(pa.array(["1,234", "5", None])).to_pylist() == ["1234", "5", None]
    with pytest.raises(pa.ArrowInvalid):
        without_commas(pa.array(["1,234", "12,50"]))


def test_quoted_decimal_commas_in_a_comma_separated_file(root: Path, engine: str) -> None:
    # LibreOffice / Excel in a German or French locale, saved with "," as the separator:
    # the numbers with a decimal comma are quoted.
    text = (
        "日期,推广计划,展现量,点击量,消费,转化数\n"
        '2026-09-01,C0,100,10,"12,50",1\n'
        '2026-09-02,C1,100,10,"7,25",1\n'
        '2026-09-03,C2,100,10,"1,5",1\n'
    )
    t = load(root, "eu.csv", text)
    assert rules(t) == []
    assert t.frame["spend"].tolist() == [12.5, 7.25, 1.5]
    assert t.frame["impressions"].tolist() == [100.0, 100.0, 100.0]


def test_a_decimal_comma_beside_a_decimal_point_is_refused(root: Path, engine: str) -> None:
    text = 'date,channel,spend,revenue\n2026-09-01,sem,"12,50",10.5\n2026-09-02,sem,3,4\n'
    t = load(root, "mixed.csv", text)
    (d,) = t.diagnostics
    assert (d.rule, d.message) == (
        "data/decimal",
        "'spend' writes numbers with a decimal comma ('12,50') and 'revenue' with a '.' "
        "('10.5'): if '.' groups thousands in this file (German or French settings: 54.040 "
        'for 54040), set `decimal: ","` on the source; if it is a decimal point there, set '
        '`decimal: "."`',
    )
    assert len(t.frame) == 0
    # both marks in one column: the general message
    text = 'date,channel,spend\n2026-09-01,sem,"12,50"\n2026-09-02,sem,"1,234.50"\n'
    (d,) = load(root, "mixed2.csv", text).diagnostics
    assert d.message == (
        "numbers use both ',' and '.' as decimal mark; set `decimal: \",\"` or "
        '`decimal: "."` on the source'
    )


def test_thousands_in_a_semicolon_file_are_not_decimals(root: Path, engine: str) -> None:
    # European Excel "CSV": thousands with ".", decimals with ",".
    text = "日期;推广计划;展现量;消费\n2026-09-01;A;1.500;2,5\n2026-09-02;B;2.000;1.234,5\n"
    t = load(root, "eu.csv", text)
    assert rules(t) == []
    assert t.frame["impressions"].tolist() == [1500.0, 2000.0]
    assert t.frame["spend"].tolist() == [2.5, 1234.5]


@pytest.mark.parametrize(("sep", "example"), [(".", "1.234"), (",", "1,234")])
def test_a_semicolon_file_of_only_grouped_numbers_is_refused(
    root: Path, engine: str, sep: str, example: str
) -> None:
    text = f"日期;推广计划;消费\n2026-09-01;A;{example}\n2026-09-02;B;2{sep}500\n"
    t = load(root, "amb.csv", text)
    (d,) = t.diagnostics
    assert d.rule == "data/decimal" and len(t.frame) == 0
    assert d.message == (
        f"numbers such as '{example}' could use '{sep}' as thousands separator or as decimal "
        'mark; set `decimal: ","` or `decimal: "."` on the source'
    )
    assert say(d.message, "zh") == (
        f"'{example}' 这样的数字中 '{sep}' 可能是千分位，也可能是小数点；请在数据源上设置 "
        '`decimal: ","` 或 `decimal: "."`'
    )
    t2 = load(root, "amb.csv", text, decimal=",")
    assert t2.frame["spend"].tolist() == ([1234.0, 2500.0] if sep == "." else [1.234, 2.5])


def test_a_utc_offset_keeps_the_day_the_export_wrote(root: Path, engine: str) -> None:
    # Shopify / Meta API style datetimes: the local day is the export's day, on both
    # readers (pyarrow's ISO parser moved 23:30 -07:00 to the next UTC day).
    text = (
        "日期,推广计划,消费\n"
        "2026-09-01T23:30:00-07:00,C0,10\n"
        "2026-12-31T20:00:00-07:00,C1,20\n"
        "2026-10-01T10:00:00Z,C2,5\n"
        "2026-10-02 08:00:00,C3,1\n"
    )
    t = load(root, "tz.csv", text)
    assert rules(t) == []
    days = [str(d)[:10] for d in t.frame["date"].tolist()]
    assert days == ["2026-09-01", "2026-12-31", "2026-10-01", "2026-10-02"]


META_WEEKLY = (
    # Meta Ads Manager "Export table data" without Breakdown > By time > Day: one row per
    # campaign and reporting period (here two weeks), "Reporting starts" / "Reporting
    # ends" first (the shape of sources/profiles/meta-ads.yml).
    "Reporting starts,Reporting ends,Campaign name,Impressions,Amount spent (USD),Link clicks\n"
    "2026-09-01,2026-09-07,Autumn - Prospecting,70000,700.00,700\n"
    "2026-09-08,2026-09-08,Autumn - Prospecting,10000,100.00,100\n"
    "2026-09-08,2026-09-14,Autumn - Retargeting,20000,300.00,200\n"
)


def test_meta_rows_over_several_days_are_refused_not_put_on_their_first_day(
    root: Path, engine: str
) -> None:
    t = load(root, "meta.csv", META_WEEKLY)
    assert t.profile == "meta-ads"
    (d,) = [d for d in t.diagnostics if d.rule != "data/profile"]
    assert (d.rule, d.line, d.field) == ("data/multi-day-row", 2, "date")
    assert d.message == (
        "2 rows excluded (lines 2, 4): each covers several days, not one (the first: "
        "2026-09-01 to 2026-09-07, by 'Reporting ends'); export the report with a daily "
        "breakdown (Meta Ads Manager: Breakdown > By time > Day)"
    )
    assert say(d.message, "zh") == (
        "第 2、4 行未计入：每行覆盖多天，不是一天的数据（第一行：2026-09-01 至 2026-09-07，"
        "见 'Reporting ends'）；请按天细分导出报表（Meta 广告管理工具：细分 > 按时间 > 天）"
    )
    assert t.frame["spend"].tolist() == [100.0]  # the one-day row stays


def test_meta_daily_rows_keep_their_day_whatever_the_reporting_range(
    root: Path, engine: str
) -> None:
    text = (
        "Reporting starts,Reporting ends,Day,Campaign name,Amount spent (USD)\n"
        "2026-09-01,2026-09-30,2026-09-01,A,10\n"
        "2026-09-01,2026-09-30,2026-09-02,A,20\n"
    )
    t = load(root, "meta-daily.csv", text)
    assert [d.rule for d in t.diagnostics] == ["data/profile"]
    assert t.frame["spend"].tolist() == [10.0, 20.0]
