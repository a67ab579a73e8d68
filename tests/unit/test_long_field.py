"""A field over the csv module's limit (a pasted image or file in a campaign name) is one
line not read, with a message that says so; the lines below it are read. It was reported
as "cannot be read from here to the end of the file (a quote that is never closed?)" and
every valid line after it was lost (outside test, stop 30)."""

from __future__ import annotations

from pathlib import Path

from planbook.data import DataStore
from planbook.messages import say


def test_a_field_over_the_limit_is_one_line_not_read(root: Path, engine: str) -> None:
    text = (
        "日期,推广计划,展现量,点击量,消费,转化数\n"
        "2026-09-01,A,100,10,5.5,1\n"
        "2026-09-02," + "x" * 1_100_000 + ",100,10,4.5,1\n"
        "2026-09-03,B,100,10,1,1\n"
    )
    path = root / "data" / "long.csv"
    path.write_text(text, "utf-8")
    t = DataStore(root).load(path)
    assert t.frame["spend"].tolist() == [5.5, 1.0]
    (d,) = t.diagnostics
    assert (d.rule, d.line) == ("data/bad-row", 3)
    assert d.message == (
        "1 row excluded (line 3): a field is longer than 131,072 characters (a pasted file "
        "or image?); the lines below are read"
    )
    assert say(d.message, "zh") == (
        "第 3 行未计入：有字段超过 131,072 个字符（可能粘贴了文件或图片？）；下面的行照常读取"
    )


HIDDEN = (
    "date,channel,spend\n"
    "2026-09-01,a,1\n"
    '2026-09-02,"b,2\n'  # a quote opened here ...
    "2026-09-03,c,3\n"
    '2026-09-04,d",4\n'  # ... and closed two lines later: three fields by chance
    "2026-09-05,e,5\n"
)


def test_rows_hidden_in_a_stray_quote_are_said_not_summed(root: Path, engine: str) -> None:
    """The record from line 3 to 5 has the header's three fields by chance: it was one
    row of spend 4 in channel "b,2\\n2026-09-03,c,3\\n2026-09-04,d", and line 4's spend
    was lost without a word (outside test, stop 30)."""
    path = root / "data" / "q.csv"
    path.write_text(HIDDEN, "utf-8")
    t = DataStore(root).load(path)
    assert t.frame["spend"].tolist() == [1.0, 5.0]
    (d,) = t.diagnostics
    assert (d.rule, d.line) == ("data/bad-row", 3)
    assert d.message == (
        "1 row excluded (line 3): a quote opened there closes only on line 5, and the lines "
        "between are inside it (3 fields, the header has 3; a stray quote?)"
    )
    assert say(d.message, "zh") == (
        "第 3 行未计入：这里开始的引号到第 5 行才闭合，中间的行都被包在里面"
        "（3 个字段，表头有 3 个；多了一个引号？）"
    )


def test_a_quoted_text_with_line_breaks_stays_a_value(root: Path, engine: str) -> None:
    """A post's text may hold line breaks and commas: it is not a stray quote."""
    path = root / "data" / "p.csv"
    path.write_text(
        'date,channel,spend\n2026-09-01,"第一行\n第二行, 还有逗号\n2026 年的计划",4\n', "utf-8"
    )
    t = DataStore(root).load(path)
    assert list(t.diagnostics) == [] and t.frame["spend"].tolist() == [4.0]


def test_a_quote_never_closed_is_said_as_such_with_the_lines_it_takes(
    root: Path, engine: str
) -> None:
    """The lines after a quote never closed are lost: the message names them (it said
    "from here to the end of the file", an outside test could not tell how many)."""
    path = root / "data" / "u.csv"
    # blank lines at the end are no lines of the table
    path.write_text(HIDDEN.replace('2026-09-04,d",4\n', "2026-09-04,d,4\n") + "\n\n", "utf-8")
    t = DataStore(root).load(path)
    assert t.frame["spend"].tolist() == [1.0]
    (d,) = t.diagnostics
    assert (d.rule, d.line, d.message) == (
        "data/bad-row",
        3,
        "1 row excluded (line 3): a quote opened on line 3 is never closed: lines 3-6, to the "
        "end of the file, cannot be read",
    )
    assert say(d.message, "zh") == (
        "第 3 行未计入：第 3 行的引号没有闭合：第 3-6 行（到文件末尾）都无法读取"
    )


def test_a_quote_never_closed_on_the_last_line(root: Path, engine: str) -> None:
    path = root / "data" / "v.csv"
    path.write_text('date,channel,spend\n2026-09-01,a,1\n2026-09-02,"b,2\n', "utf-8")
    t = DataStore(root).load(path)
    assert t.frame["spend"].tolist() == [1.0]
    (d,) = t.diagnostics
    assert (d.line, d.message) == (
        3,
        "1 row excluded (line 3): cannot be read from here to the end of the file (a quote "
        "that is never closed?)",
    )
