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
from planbook.sources import encoding

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
