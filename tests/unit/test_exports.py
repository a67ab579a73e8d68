"""CSV downloads (issue 10): the page's language, a stable `id` column, Excel-safe cells."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from planbook.project import Project, Settings
from planbook.views.exports import _cell, _csv, export_csv
from tests.conftest import write_site

# Two days, two channels; a channel code and texts a spreadsheet would run as formulas.
DATA = """\
date,channel,clicks,spend,conversions,revenue
2026-09-01,douyin,10,100,2,300
2026-09-01,=cmd|' /C calc'!A0,5,50,1,20
2026-09-02,douyin,10,100,2,300
"""

PLAN = """\
---
plan:
  id: p
  period: {start: 2026-09-01, end: 2026-09-30}
  metrics: [data/m.csv]
  goals:
    - id: conv
      statement: "=HYPERLINK(\\"http://evil\\",\\"点我\\")"
      kpi: conversions
      baseline: 0
      target: 100
      deadline: 2026-09-30
      owner: "@SUM(1+1)"
  budget:
    total: 1000
    allocations:
      - {item: douyin, amount: 600}
      - {item: misc, amount: 400, spent: 10, label: "-1+2\\n第二行 \\"引号\\""}
---
# P
"""


def _view(tmp_path: Path, language: str, labels: dict | None = None):
    write_site(tmp_path, {"plans/p.md": PLAN}, {"m.csv": DATA})
    settings = Settings(
        root=tmp_path,
        docs_dir=tmp_path / "docs",
        language=language,
        value_labels=labels or {"douyin": {"zh": "抖音", "en": "Douyin"}},
    )
    project = Project(settings)
    project.scan()
    view = project.evaluate(project.plans["p"])
    assert view is not None
    return view


def _rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_goals_csv_in_chinese_with_status_translated_and_formulas_neutralised(tmp_path):
    text = export_csv(_view(tmp_path, "zh"), "kpi_table", "zh")
    assert text == (
        "\ufeffid,目标,KPI,基线,目标值,实际,进度,应达,状态,截止预测,截止日期,负责人,数据截至\r\n"
        'conv,"\'=HYPERLINK(""http://evil"",""点我"")",转化数,0,100,5,0.05,3.44827586206897,'
        "按计划,,2026-09-30,'@SUM(1+1),2026-09-02\r\n"
    )


def test_goals_csv_in_english(tmp_path):
    rows = _rows(export_csv(_view(tmp_path, "en"), "kpi_table", "en"))
    assert rows[0] == [
        "id",
        "Goal",
        "KPI",
        "Baseline",
        "Target",
        "Actual",
        "Progress",
        "Expected",
        "Status",
        "Forecast",
        "Deadline",
        "Owner",
        "Data as of",
    ]
    assert rows[1][8] == "On track"


def test_channels_csv_names_values_through_value_labels_and_keeps_the_code(tmp_path):
    view = _view(tmp_path, "zh")
    rows = _rows(export_csv(view, "channel_table", "zh"))
    assert rows[0][:3] == ["id", "渠道", "消费"]
    assert rows[0][-1] == "花费占比"
    by_id = {r[0]: r for r in rows[1:]}
    assert by_id["douyin"][1] == "抖音"
    # a channel value from the data that reads as a formula stays text in both columns
    assert by_id["'=cmd|' /C calc'!A0"][1] == "'=cmd|' /C calc'!A0"
    assert by_id["total"][1] == "合计"
    rows = _rows(export_csv(_view(tmp_path / "en", "en"), "channel_table", "en"))
    assert rows[0][:3] == ["id", "Channel", "Spend"]
    assert {r[0]: r[1] for r in rows[1:]}["douyin"] == "Douyin"


def test_budget_csv_in_both_languages(tmp_path):
    text = export_csv(_view(tmp_path, "zh"), "budget_table", "zh")
    lines = text.split("\r\n")
    assert lines[0] == (
        "\ufeffid,项目,占比,计划,上限,已花费,花费来源,预算使用,剩余,周期已过,"
        "超出上限,花费过快,ROI,ROAS,CAC"
    )
    assert lines[1].startswith("douyin,抖音,0.6,600,,200,指标数据,0.333333333333333,400,")
    assert lines[1].endswith(",0.0666666666666667,否,是,2,3,")  # spent a third in 2 of 30 days
    # a label with a formula start, a line break and quotes: one quoted cell, not run
    rows = _rows(text)
    assert rows[2][:7] == ["misc", '\'-1+2\n第二行 "引号"', "0.4", "400", "", "10", "按发票录入"]
    en = _rows(export_csv(_view(tmp_path / "en", "en"), "budget_table", "en"))
    assert en[0][6:12] == [
        "Spend source",
        "Budget used",
        "Remaining",
        "Period elapsed",
        "Over cap",
        "Spending ahead of time",
    ]
    assert en[1][6] == "Metric data" and en[2][6] == "From invoices" and en[1][10] == "no"


def test_csv_export_neutralises_spreadsheet_formulas():
    text = _csv(["a", "=b"], [['=HYPERLINK("x")', -3.5], ["+1 day", "-"]])
    assert text == '\ufeffa,\'=b\r\n"\'=HYPERLINK(""x"")",-3.5\r\n\'+1 day,\'-\r\n'


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+86 138", "'+86 138"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("  =1+1", "'  =1+1"),
        ("\n=1+1", "'\n=1+1"),
        ("\u3000=1", "'\u3000=1"),
        ("-inf", "'-inf"),
        ("-5", "-5"),
        ("-1.5e3", "-1.5e3"),
        ("a=b", "a=b"),
        ("抖音", "抖音"),
        (" 空格", " 空格"),
        (float("inf"), ""),
        (float("nan"), ""),
        (-0.25, "-0.25"),
        (3, "3"),
    ],
)
def test_cells(value, cell):
    assert _cell(value) == cell


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (12_345_678_902.0, "12345678902"),  # a big advertiser's yearly impressions
        (123_456_789.13, "123456789.13"),
        (0.1 + 0.2, "0.3"),  # a sum's last-bit noise is not shown
        (-0.0, "0"),
        (2.0**60, "1.15292150460685e+18"),
        (float("inf"), ""),
        (float("nan"), ""),
    ],
)
def test_numbers_in_a_download_read_back_as_the_page_shows_them(value: float, text: str) -> None:
    from planbook.views.exports import _cell, _cells

    assert _cell(value) == text and _cells([value]) == [text]
