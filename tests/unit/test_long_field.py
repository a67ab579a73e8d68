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
