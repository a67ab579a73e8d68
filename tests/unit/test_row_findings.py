"""Row semantics of the shapes a tester found read wrong or reported badly (summary rows
with labels Planbook did not know, a second table right under the first, CR-only line
ends, a Chinese message with an English half, GB18030 text outside GB2312).

The fixtures are in ``fixtures/rows/`` (their README says where each shape comes from);
messages are asserted exactly, in English and Chinese where they are new or changed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planbook.data import DataStore, ReadOptions, Table
from planbook.diagnostics import Severity
from planbook.messages import say
from planbook.sources import encoding, files

FIXTURES = Path(__file__).parent / "fixtures" / "rows"


def load(root: Path, name: str, content: str | bytes, **opts) -> Table:
    p = root / "data" / name
    p.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return DataStore(root).load(p, ReadOptions(**opts))


def fixture(root: Path, name: str, **opts) -> Table:
    return load(root, name, (FIXTURES / name).read_bytes(), **opts)


def only(t: Table, rule: str):
    [d] = [d for d in t.diagnostics if d.rule == rule]
    return d


# --------------------------------------------------------------------------- GB18030


def test_gb18030_with_emoji_and_rare_hanzi_is_read(root: Path, engine: str) -> None:
    t = fixture(root, "gb18030-emoji-names.csv")
    assert t.encoding == "gb18030"
    assert t.diagnostics == ()
    assert sorted(set(t.frame["campaign"])) == ["秋季上新😀笔记", "𠀀𪚥好物种草"]
    assert t.frame["spend"].sum() == pytest.approx(2320.5)
    assert t.frame["impressions"].sum() == 55000


def test_gb18030_is_the_sole_decoding_only_for_plain_text() -> None:
    head = "date,campaign,spend\n2026-09-01,品牌".encode("gb18030")
    emoji = head + "😀,5\n".encode("gb18030")
    assert encoding.detect(emoji, complete=True) == encoding.EncodingGuess("gb18030")
    # U+0378 is unassigned: bytes that are not GB18030 text decode to such characters.
    odd = head + "\u0378,5\n".encode("gb18030")
    assert encoding.detect(odd, complete=True) == encoding.EncodingGuess(None, ("gb18030",))


def test_sole_but_doubtful_gb18030_names_one_encoding(root: Path) -> None:
    t = load(root, "odd.csv", "date,x\n2026-09-01,品牌\u0378\n".encode("gb18030"))
    [d] = t.diagnostics
    assert (d.rule, d.severity, d.line) == ("data/encoding", Severity.ERROR, None)
    assert d.message == (
        "cannot tell the file's encoding: it is not UTF-8, and read as GB18030 (the only "
        "encoding that decodes it) it holds unassigned or private-use characters; if GB18030 "
        "is right, set it on the source, e.g. `metrics: [{path: data/odd.csv, encoding: "
        "gb18030}]`, or save the file as UTF-8"
    )
    assert say(d.message, "zh") == (
        "无法判断文件编码：它不是 UTF-8；只有按 GB18030 能解码，但解出的文本含有未分配或私用区"
        "字符；如果确实是 GB18030，请在数据源上设置，例如 `metrics: [{path: data/odd.csv, "
        "encoding: gb18030}]`，或把文件另存为 UTF-8"
    )


# --------------------------------------------------------------------------- slash dates


def test_ambiguous_slash_dates_are_said_whole_in_the_sites_language(
    root: Path, engine: str
) -> None:
    t = fixture(root, "excel-us-slash-dates.csv")
    d = only(t, "data/date-format")
    assert (d.severity, d.line, d.field) == (Severity.ERROR, 2, "date")
    assert d.message == (
        "dates such as '9/1/2026' could be day/month or month/day; set `date_format` on the "
        'source (e.g. `date_format: "%d/%m/%Y"`)'
    )
    assert say(d.message, "zh") == (
        "像 “9/1/2026” 这样的日期既可能是日/月，也可能是月/日；请在数据源上设置 `date_format`"
        '（例如 `date_format: "%d/%m/%Y"`）'
    )
    assert len(t.frame) == 0


def test_slash_dates_read_with_their_format(root: Path, engine: str) -> None:
    t = fixture(root, "excel-us-slash-dates.csv", date_format="%m/%d/%Y")
    assert t.diagnostics == ()
    assert t.frame["spend"].sum() == pytest.approx(3001.25)
    assert str(t.frame["date"].max().date()) == "2026-09-07"


# --------------------------------------------------------------------------- totals rows


def test_per_day_subtotals_and_a_dash_summary_are_excluded(root: Path, engine: str) -> None:
    t = fixture(root, "subtotals-per-day.csv")
    assert t.frame["spend"].sum() == pytest.approx(1867.5)
    assert t.frame["impressions"].sum() == 18666
    assert sorted(set(t.frame["campaign"])) == ["产品词-华东", "品牌词-全国", "竞品词-测试"]
    d = only(t, "data/totals-row")
    assert (d.severity, d.line, d.field) == (Severity.INFO, 5, "campaign")
    assert d.message == (
        "4 totals rows excluded (lines 5, 9, 13, 14): '小计' is a total, not a day's data"
    )
    assert (
        say(d.message, "zh") == "第 5、9、13、14 行的合计行未计入：“小计” 是合计，不是某一天的数据"
    )


def test_all_rows_restating_the_day_are_excluded_and_real_all_rows_stay(
    root: Path, engine: str
) -> None:
    t = fixture(root, "all-rows-by-device.csv")
    assert t.frame["spend"].sum() == pytest.approx(180.5)
    assert t.frame["clicks"].sum() == 290
    assert sorted(set(t.frame["campaign"])) == ["Generic", "Retargeting", "Total Brand"]
    assert t.frame[t.frame["campaign"] == "Retargeting"]["device"].tolist() == ["All", "All"]
    d = only(t, "data/totals-row")
    assert (d.line, d.field) == (7, "campaign")
    assert d.message == (
        "3 totals rows excluded (lines 7, 13, 14): 'All' is a total, not a day's data"
    )


SUMMARY = (
    "日期,推广计划,展现量,点击量,消费,转化数\n"
    "2026-09-01,品牌词,1000,50,120.50,3\n"
    "2026-09-02,产品词,2000,80,300.25,5\n"
    "2026-09-03,品牌词,1500,60,99.25,2\n"
    "2026-09-03,{label},4500,190,520.00,10\n"
)


@pytest.mark.parametrize(
    "label",
    [
        "小计",
        "共计",
        "总体",
        "账户汇总",
        "全部汇总",
        "当日合计：",
        "Summary",
        "SUMMARY:",
        "Grand total",
        "共3条记录",
        "共 3 条",
        " 小计 ",
        # ambiguous alone: a total because the row restates the others' sums
        "全部",
        "All",
        "Sum",
        "all:",
    ],
)
def test_summary_labels_dated_like_the_data(root: Path, engine: str, label: str) -> None:
    t = load(root, "s.csv", SUMMARY.format(label=label))
    assert t.frame["spend"].sum() == pytest.approx(520.0)
    d = only(t, "data/totals-row")
    assert (d.severity, d.line, d.field) == (Severity.INFO, 5, "campaign")
    said = label.strip()  # the reader trims cells
    assert d.message == f"1 totals row excluded (line 5): '{said}' is a total, not a day's data"
    assert say(d.message, "zh") == f"第 5 行的合计行未计入：“{said}” 是合计，不是某一天的数据"


@pytest.mark.parametrize("label", ["-", "--", "—", "N/A", "n/a", ""])
def test_placeholder_dimension_restating_the_sums_is_a_summary(
    root: Path, engine: str, label: str
) -> None:
    t = load(root, "s.csv", SUMMARY.format(label=label))
    assert t.frame["spend"].sum() == pytest.approx(520.0)
    d = only(t, "data/totals-row")
    assert (d.line, d.field) == (5, None)
    assert d.message == (
        "1 totals row excluded (line 5): a summary row with no campaign or channel that "
        "restates the other rows' sums"
    )
    assert (
        say(d.message, "zh") == "第 5 行的合计行未计入：没有推广计划或渠道、重复其他行之和的汇总行"
    )


@pytest.mark.parametrize("label", ["All", "全部", "Sum", "-", "N/A"])
def test_ambiguous_label_that_does_not_restate_the_sums_is_data(
    root: Path, engine: str, label: str
) -> None:
    t = load(root, "s.csv", SUMMARY.format(label=label).replace("520.00", "77.00"))
    assert t.frame["spend"].sum() == pytest.approx(520.0 + 77.0)
    assert [d for d in t.diagnostics if d.rule == "data/totals-row"] == []
    assert label in t.frame["campaign"].tolist()


@pytest.mark.parametrize(
    "name",
    ["Total Brand", "小计划", "全部商品", "Summary Sale", "All Stars", "Sum41", "品牌词合计划"],
)
def test_campaigns_that_only_contain_a_label_stay(root: Path, engine: str, name: str) -> None:
    t = load(root, "c.csv", SUMMARY.format(label=name))
    assert t.frame["spend"].sum() == pytest.approx(1040.0)
    assert t.diagnostics == ()


# --------------------------------------------------------------------------- CR line ends


def test_cr_only_line_ends_are_read(root: Path, engine: str) -> None:
    t = fixture(root, "mac-cr-only.csv")
    assert t.diagnostics == ()
    assert len(t.frame) == 6
    assert t.frame["spend"].sum() == pytest.approx(624.5)
    assert t.frame["clicks"].sum() == 350


def test_cr_only_lines_are_counted_per_cr(root: Path, engine: str) -> None:
    text = (
        "日期,推广计划,展现量,点击量,消费\r"
        "2026-09-01,品牌词,1000,50,120.50\r"
        "2026-09-02,产品词,2000\r"
        "2026-09-03,品牌词,1500,60,99.25\r"
        "9月4日?,品牌词,1,1,1\r"
        "2026-09-05,小计,2500,110,219.75\r"
    )
    for name, data in (("u.csv", text.encode("utf-8")), ("g.csv", text.encode("gb18030"))):
        t = load(root, name, data)
        assert t.frame["spend"].sum() == pytest.approx(219.75), name
        assert [(d.rule, d.line, d.message) for d in t.diagnostics] == [
            (
                "data/bad-row",
                3,
                "1 row excluded (line 3): expected 5 fields as in the header, got 3",
            ),
            (
                "data/totals-row",
                6,
                "1 totals row excluded (line 6): '小计' is a total, not a day's data",
            ),
            (
                "data/bad-date",
                5,
                "1 row excluded (line 5): expected a date such as 2026-09-01, got '9月4日?'",
            ),
        ], name


def test_cr_only_utf16_is_read(root: Path) -> None:
    text = "date\tcampaign\tclicks\r2026-09-01\t品牌词\t5\r2026-09-02\t不错\t7\r"
    t = load(root, "w.csv", text.encode("utf-16"))
    assert t.diagnostics == ()
    assert t.frame["campaign"].tolist() == ["品牌词", "不错"]
    assert t.frame["clicks"].sum() == 12


@pytest.mark.parametrize("engine_name", ["pyarrow", "exact"])
def test_cr_only_file_beyond_the_head_is_read_whole(
    root: Path, engine_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "ENGINE", engine_name)
    rows = [f"2026-09-{1 + i % 28:02d},c{i % 7},{i},1.25" for i in range(50000)]
    rows[-1] = "2026-09-30,c0,1"  # short: named with its line
    text = "date,campaign,clicks,spend\r" + "\r".join(rows) + "\r"
    assert len(text) > 1 << 20
    t = load(root, "big.csv", text)
    assert len(t.frame) == 49999
    assert [(d.rule, d.line) for d in t.diagnostics] == [("data/bad-row", 50001)]


# --------------------------------------------------------------------------- second table


def test_second_section_right_under_the_first_ends_the_table(root: Path, engine: str) -> None:
    t = fixture(root, "two-sections-no-blank.csv")
    assert t.encoding == "gb18030"
    assert t.frame["spend"].sum() == pytest.approx(830.0)
    assert t.frame["impressions"].sum() == 6600
    assert sorted(set(t.frame["campaign"])) == ["产品词", "品牌词"]
    [d] = t.diagnostics
    assert (d.rule, d.severity, d.line, d.field) == ("data/after-table", Severity.INFO, 6, None)
    assert d.message == (
        "5 lines below the table not read (lines 6, 7, 8, 9, 10): a footer or a second table"
    )
    assert say(d.message, "zh") == "表格下方的 5 行未读取（第 6、7、8、9、10 行）：页脚或第二个表格"


def test_the_header_line_again_ends_the_table_with_a_warning(root: Path, engine: str) -> None:
    """More of this table (two downloads joined, a paged export) or the same report
    twice (as here: 09-01 and 09-02 again): not summed either way, and a warning, not a
    note, since the rows may belong in the total (stop 30)."""
    text = (
        "Date,Campaign,Impressions,Clicks,Spend\n"
        "2026-09-01,Brand,100,5,1.50\n"
        "2026-09-02,Brand,120,6,1.75\n"
        " date , CAMPAIGN ,Impressions,Clicks,Spend\n"
        "2026-09-01,Brand,100,5,1.50\n"
        "2026-09-02,Brand,120\n"
        "2026-09-03,Brand,130,7,2.00\n"
    )
    t = load(root, "h.csv", text)
    assert t.frame["spend"].sum() == pytest.approx(3.25)
    assert [(d.rule, d.line, d.severity.value, d.message) for d in t.diagnostics] == [
        (
            "data/repeated-header",
            4,
            "warning",
            "the header line again: 4 lines from there not read (lines 4, 5, 6, 7); if they "
            "are more of this table (two downloads joined, a paged export), delete the "
            "repeated header line, if they repeat it, delete them",
        )
    ]
    assert say(t.diagnostics[0].message, "zh") == (
        "表头又出现了一次：从那里起的第 4、5、6、7 行未读取；如果它们是同一张表的后续数据"
        "（两份下载拼接、分页导出），请删除重复的表头行；如果是重复的数据，请删除它们"
    )


def test_a_row_naming_a_column_but_holding_numbers_is_not_a_header(root: Path, engine: str) -> None:
    text = "date,campaign,clicks,spend\n2026-09-01,a,5,1.5\ndate,campaign,7,2.5\n2026-09-02,b,1,1\n"
    t = load(root, "n.csv", text)
    assert t.frame["spend"].sum() == pytest.approx(2.5)
    assert [(d.rule, d.line, d.message) for d in t.diagnostics] == [
        (
            "data/bad-date",
            3,
            "1 row excluded (line 3): expected a date such as 2026-09-01, got 'date'",
        )
    ]
