"""Metric CSV ingest: encodings, headers, numbers, dates, excluded rows, paths, cache."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planbook import data
from planbook.data import DataStore, Table, normalize_header, parse_numbers, slugify
from planbook.diagnostics import Diagnostic, Severity
from planbook.frontmatter import Locations
from planbook.model import MetricSource
from planbook.sources import files


def write(root: Path, name: str, text: str | bytes, encoding: str = "utf-8") -> Path:
    p = root / "data" / name
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        p.write_bytes(text.encode(encoding))
    else:
        p.write_bytes(text)
    return p


def load(root: Path, name: str, text: str | bytes, encoding: str = "utf-8", **kw) -> Table:
    return DataStore(root, **kw).load(write(root, name, text, encoding))


def only(diags: tuple[Diagnostic, ...] | list[Diagnostic]) -> Diagnostic:
    assert len(diags) == 1, diags
    return diags[0]


BASIC = """\
date,channel,campaign,impressions,clicks,spend,conversions,revenue
2026-09-01,sem,brand,"1,000",50,120.5,3,900
2026-09-02,sem,brand,2000,80,200,4,1200
2026-09-02,social,kol,3000,90,300,5,1500
"""


# --------------------------------------------------------------------------- basics


def test_basic_types_and_values(root: Path, engine: str) -> None:
    t = load(root, "a.csv", BASIC)
    assert t.path == "data/a.csv"
    assert t.diagnostics == ()
    assert t.encoding == "utf-8"
    assert t.dimensions == ("channel", "campaign")
    assert t.measures == ("impressions", "clicks", "spend", "conversions", "revenue")
    f = t.frame
    assert list(f.columns) == ["date", *t.dimensions, *t.measures]
    assert f["date"].dtype == np.dtype("datetime64[ns]")
    assert all(f[m].dtype == np.float64 for m in t.measures)
    # Dimensions are categoricals of their text: no string copies for a million rows.
    assert all(isinstance(f[d].dtype, pd.CategoricalDtype) for d in t.dimensions)
    assert all(f[d].cat.categories.dtype == "str" for d in t.dimensions)
    assert f["impressions"].tolist() == [1000.0, 2000.0, 3000.0]
    assert f["channel"].tolist() == ["sem", "sem", "social"]
    assert f["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-09-01", "2026-09-02", "2026-09-02"]
    from planbook.sources.digest import content_key

    assert t.digest == content_key((root / "data/a.csv").read_bytes())


def test_missing_values_are_nan_not_errors(root: Path, engine: str) -> None:
    text = "date,channel,spend,clicks\n2026-09-01,,--,1\n2026-09-02,sem,N/A,\n2026-09-03,-,,2\n"
    t = load(root, "m.csv", text)
    assert t.diagnostics == ()
    assert np.isnan(t.frame["spend"]).all()
    assert t.frame["clicks"].tolist()[0] == 1.0 and np.isnan(t.frame["clicks"][1])
    assert t.frame["channel"].tolist()[:2] == ["", "sem"]


def test_all_empty_rows_are_ignored(root: Path, engine: str) -> None:
    t = load(root, "e.csv", "date,channel,spend\n2026-09-01,sem,1\n,,\n\n2026-09-02,sem,2\n")
    d = only(t.diagnostics)
    assert (d.rule, d.severity, d.line) == ("data/empty-row", Severity.INFO, 3)
    assert d.message == "1 row with only separators skipped (line 3)"
    assert t.frame["spend"].tolist() == [1.0, 2.0]


# --------------------------------------------------------------------------- encodings


def test_gbk_file_with_chinese_headers(root: Path, engine: str) -> None:
    text = (
        "日期,渠道,推广计划,展现量,点击量,消费(元),转化数\n"
        '2026/9/1,百度,春季上新,"1,234",56,￥78.90,3\n'
        "2026年9月2日,微信,会员日,2000,60,100,4\n"
    )
    t = load(root, "gbk.csv", text, encoding="gbk")
    assert t.encoding == "gb18030"
    assert t.diagnostics == ()
    assert t.dimensions == ("channel", "campaign")
    assert t.measures == ("impressions", "clicks", "spend", "conversions")
    assert t.frame["channel"].tolist() == ["百度", "微信"]
    assert t.frame["campaign"].tolist() == ["春季上新", "会员日"]
    assert t.frame["spend"].tolist() == [78.9, 100.0]
    assert t.frame["impressions"].tolist() == [1234.0, 2000.0]
    assert t.frame["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-09-01", "2026-09-02"]
    # never raw bytes
    assert all(isinstance(v, str) for v in t.frame["campaign"])


def test_gbk_data_with_ascii_header(root: Path, engine: str) -> None:
    t = load(root, "g2.csv", "date,channel,spend\n2026-09-01,微信,1\n", encoding="gbk")
    assert t.encoding == "gb18030"
    assert t.frame["channel"].tolist() == ["微信"]


def test_utf8_bom(root: Path, engine: str) -> None:
    text = "\ufeff日期,渠道,消费\n2026-09-01,微信,1\n2026-09-02,微信,abc\n"
    t = load(root, "bom.csv", text)
    assert t.encoding == "utf-8-sig"
    assert t.frame["channel"].tolist() == ["微信"]
    d = only(t.diagnostics)
    assert (d.file, d.line, d.field, d.severity) == ("data/bom.csv", 3, "spend", Severity.WARNING)
    assert d.message == "1 row excluded (line 3): expected a number, got 'abc'"


def test_undecodable_bytes(root: Path, engine: str) -> None:
    raw = b"date,channel,spend\n2026-09-01,ok,1\n2026-09-02,\x80\xff\xfe,2\n"
    t = load(root, "bad.csv", raw)
    d = only(t.diagnostics)
    assert (d.file, d.line, d.field, d.severity, d.rule) == (
        "data/bad.csv",
        3,
        None,
        Severity.ERROR,
        "data/encoding",
    )
    assert d.message == (
        "cannot decode the file (tried UTF-8, GB18030, Big5, Shift-JIS, cp1252; first bad "
        "byte at line 3); save it as UTF-8 or set `encoding` on the source"
    )
    assert len(t.frame) == 0 and list(t.frame.columns) == ["date"]


def test_forced_encoding(root: Path, engine: str) -> None:
    t = load(root, "f.csv", "date,channel\n2026-09-01,微信\n", encoding="gbk")
    assert t.encoding == "gb18030"
    t2 = DataStore(root, encoding="gbk").load(root / "data/f.csv")
    assert t2.encoding == "gb18030"  # GBK is read as its superset
    assert t2.frame["channel"].tolist() == ["微信"]
    t3 = DataStore(root, encoding="utf-8").load(root / "data/f.csv")
    d = only(t3.diagnostics)
    assert (d.line, d.rule) == (2, "data/encoding")
    assert d.message == (
        "cannot decode the file as UTF-8 (first bad byte at line 2); "
        "save it as UTF-8 or set `encoding` on the source"
    )


# --------------------------------------------------------------------------- files


def test_missing_file(root: Path) -> None:
    t = DataStore(root).load(root / "data" / "nope.csv")
    d = only(t.diagnostics)
    assert (d.file, d.line, d.severity, d.rule, d.message) == (
        "data/nope.csv",
        None,
        Severity.ERROR,
        "data/missing-file",
        "file not found",
    )
    assert len(t.frame) == 0


def test_empty_file(root: Path, engine: str) -> None:
    t = load(root, "empty.csv", b"")
    d = only(t.diagnostics)
    assert (d.file, d.severity, d.rule, d.message) == (
        "data/empty.csv",
        Severity.WARNING,
        "data/empty",
        "file is empty (0 bytes); no rows read",
    )
    assert len(t.frame) == 0


def test_header_only(root: Path, engine: str) -> None:
    t = load(root, "h.csv", "date,channel,spend\n")
    d = only(t.diagnostics)
    assert (d.file, d.line, d.severity, d.rule, d.message) == (
        "data/h.csv",
        1,
        Severity.WARNING,
        "data/no-rows",
        "file has a header but no data rows",
    )
    assert list(t.frame.columns) == ["date", "channel", "spend"]
    assert t.measures == ("spend",)


def test_no_date_column(root: Path, engine: str) -> None:
    t = load(root, "nd.csv", "channel,spend\nsem,1\n")
    d = only(t.diagnostics)
    assert (d.line, d.severity, d.rule) == (1, Severity.ERROR, "data/no-date-column")
    assert d.message == (
        "no date column among the headers ('channel', 'spend'); name it 'date' or '日期', "
        "or map its header to 'date' with the `columns` option"
    )


# --------------------------------------------------------------------------- rows


def test_totals_rows_are_info(root: Path, engine: str) -> None:
    text = 'date,channel,spend\n2026-09-01,sem,1\n2026-09-02,sem,2\n合计,,3\nTotal,,"1,234"\n'
    t = load(root, "t.csv", text)
    d = only(t.diagnostics)
    assert (d.file, d.line, d.field, d.severity, d.rule) == (
        "data/t.csv",
        4,
        "date",
        Severity.INFO,
        "data/totals-row",
    )
    assert d.message == "2 totals rows excluded (lines 4, 5): '合计' is a total, not a day's data"
    assert t.frame["spend"].tolist() == [1.0, 2.0]


def test_totals_in_first_column(root: Path, engine: str) -> None:
    text = "渠道,日期,消费\nsem,2026-09-01,1\nGrand Total,--,3\n"
    t = load(root, "t1.csv", text)
    d = only(t.diagnostics)
    assert (d.line, d.field, d.severity) == (3, "channel", Severity.INFO)
    assert d.message == "1 totals row excluded (line 3): 'Grand Total' is a total, not a day's data"
    assert len(t.frame) == 1


def test_bad_numbers_grouped_with_lines(root: Path, engine: str) -> None:
    rows = [f"2026-09-{d:02d},sem,{d}" for d in range(1, 21)]
    for i in (16, 17, 19):  # data rows 16, 17, 19 -> lines 17, 18, 20
        rows[i - 1] = rows[i - 1].rsplit(",", 1)[0] + ",abc"
    t = load(root, "n.csv", "date,channel,spend\n" + "\n".join(rows) + "\n")
    d = only(t.diagnostics)
    assert (d.file, d.line, d.field, d.severity, d.rule) == (
        "data/n.csv",
        17,
        "spend",
        Severity.WARNING,
        "data/bad-number",
    )
    assert d.message == "3 rows excluded (lines 17, 18, 20): expected a number, got 'abc'"
    assert len(t.frame) == 17


def test_bad_numbers_and_more(root: Path, engine: str) -> None:
    rows = [f"2026-09-{d:02d},x{d}" for d in range(1, 9)]
    t = load(root, "n2.csv", "date,clicks\n" + "\n".join(rows) + "\n")
    d = only(t.diagnostics)
    assert d.message == (
        "8 rows excluded (lines 2, 3, 4, 5, 6 and 3 more): expected a number, got 'x1'"
    )
    assert len(t.frame) == 0


def test_blank_lines_and_crlf_keep_line_numbers(root: Path, engine: str) -> None:
    text = "date,spend\r\n2026-09-01,1\r\n\r\n2026-09-02,oops\r\n"
    d = only(load(root, "crlf.csv", text).diagnostics)
    assert (d.line, d.message) == (4, "1 row excluded (line 4): expected a number, got 'oops'")


def test_bad_and_missing_dates(root: Path, engine: str) -> None:
    text = (
        "date,channel,spend\n"
        "2026-09-01,sem,1\n"
        "2026-13-01,sem,2\n"
        "yesterday,sem,3\n"
        ",sem,4\n"
        "2026-09-05 10:30:00,sem,5\n"
    )
    t = load(root, "d.csv", text)
    bad, missing = sorted(t.diagnostics, key=lambda d: d.rule)
    assert (bad.line, bad.field, bad.severity, bad.rule) == (
        3,
        "date",
        Severity.WARNING,
        "data/bad-date",
    )
    assert bad.message == (
        "2 rows excluded (lines 3, 4): expected a date such as 2026-09-01, got '2026-13-01'"
    )
    assert (missing.line, missing.rule, missing.message) == (
        5,
        "data/missing-date",
        "1 row excluded (line 5): no date",
    )
    assert t.frame["date"].dt.strftime("%Y-%m-%d").tolist() == ["2026-09-01", "2026-09-05"]
    assert t.frame["spend"].tolist() == [1.0, 5.0]


def test_date_formats(root: Path, engine: str) -> None:
    text = (
        "date,spend\n2026-09-01,1\n2026/09/02,1\n2026/9/3,1\n2026年9月4日,1\n"
        "2026-09-05T08:00:00,1\n20260906,1\n２０２６-０９-０７,1\n"
    )
    t = load(root, "df.csv", text)
    assert t.diagnostics == ()
    assert t.frame["date"].dt.day.tolist() == [1, 2, 3, 4, 5, 6, 7]
    assert (t.frame["date"] == t.frame["date"].dt.normalize()).all()


def test_wrong_number_of_fields(root: Path, engine: str) -> None:
    text = "date,channel,spend\n2026-09-01,sem,1\n2026-09-02,sem,2,extra\n2026-09-03,sem,3\n"
    t = load(root, "w.csv", text)
    d = only(t.diagnostics)
    assert (d.line, d.severity, d.rule) == (3, Severity.WARNING, "data/bad-row")
    assert d.message == "1 row excluded (line 3): expected 3 fields as in the header, got 4"
    assert t.frame["spend"].tolist() == [1.0, 3.0]


# --------------------------------------------------------------------------- headers


def test_header_aliases_and_units(root: Path, engine: str) -> None:
    text = "日期,媒体,消费（元）,Amount spent (USD),Impr.,点击量\n2026-09-01,sem,1,2,3,4\n"
    t = DataStore(root).load(write(root, "h.csv", text))
    d = only(t.diagnostics)
    assert (d.line, d.field, d.severity, d.rule) == (
        1,
        "spend",
        Severity.ERROR,
        "data/duplicate-column",
    )
    assert d.message == (
        "columns '消费（元）' (column 3) and 'Amount spent (USD)' (column 4) both map to "
        "'spend'; only the first is used: rename one, or map it to another name with the "
        "`columns` option"
    )
    assert t.measures == ("spend", "impressions", "clicks")
    assert t.frame["spend"].tolist() == [1.0]


@pytest.mark.parametrize(
    ("header", "canonical"),
    [
        ("消费(元)", "spend"),
        ("消费（元）", "spend"),
        ("Cost (CNY)", "spend"),
        ("Amount spent (USD)", "spend"),
        ("  CLICKS ", "clicks"),
        ("展现量【次】", "impressions"),
        ("new_users", "new_users"),
        ("New Users", "new_users"),
        ("日期", "date"),
    ],
)
def test_canonical_names(header: str, canonical: str) -> None:
    assert files.canonical(header, files.alias_table(None)) == (canonical, True)


def test_normalize_and_slugify() -> None:
    assert normalize_header("\ufeff Ｃｏｓｔ\u3000（ＣＮＹ） ") == "cost (cny)"
    assert slugify("Video Plays (3s)") == "video_plays_3s"
    assert slugify("互动率%") == "互动率"


def test_unknown_columns(root: Path, engine: str) -> None:
    text = (
        "date,Keyword Text,Video Plays (3s),Ad ID,CTR\n"
        '2026-09-01,running shoes,"1,200",00123,5.2%\n'
        "2026-09-02,跑鞋,300,00124,4%\n"
    )
    t = load(root, "u.csv", text)
    assert t.diagnostics == ()
    assert t.dimensions == ("keyword_text", "ad_id")
    # The export's own CTR is a rate: never summed, kept out of the measures.
    assert t.measures == ("video_plays_3s",)
    assert t.rates == (("ctr", "ctr"),)
    assert t.frame["keyword_text"].tolist() == ["running shoes", "跑鞋"]
    assert t.frame["ad_id"].tolist() == ["00123", "00124"]
    assert t.frame["video_plays_3s"].tolist() == [1200.0, 300.0]


def test_unknown_column_with_some_text_is_a_dimension(root: Path, engine: str) -> None:
    t = load(root, "u2.csv", "date,note\n2026-09-01,12\n2026-09-02,see above\n")
    assert t.diagnostics == ()
    assert t.dimensions == ("note",)
    assert t.frame["note"].tolist() == ["12", "see above"]


def test_site_aliases(root: Path, engine: str) -> None:
    text = "Tag,粉丝净增,Kosten\n2026-09-01,5,10\n"
    t = load(
        root,
        "s.csv",
        text,
        aliases={"tag": "date", "粉丝净增": "new_followers", "KOSTEN": "spend"},
    )
    assert t.diagnostics == ()
    assert t.measures == ("new_followers", "spend")
    assert t.frame["spend"].tolist() == [10.0]


def test_site_alias_overrides_builtin(root: Path, engine: str) -> None:
    t = load(root, "s2.csv", "date,点击,消费\n2026-09-01,5,10\n", aliases={"点击": "link_clicks"})
    assert t.measures == ("link_clicks", "spend")


def test_tsv_and_semicolon(root: Path, engine: str) -> None:
    t = load(root, "t.tsv", "date\tchannel\tspend\n2026-09-01\tsem\t1\n")
    assert t.frame["spend"].tolist() == [1.0]
    t = load(root, "s.csv", "date;channel;spend\n2026-09-01;sem;2\n")
    assert t.frame["spend"].tolist() == [2.0]


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,234", 1234.0),
        ("1，234", 1234.0),
        ("¥1,234.50", 1234.5),
        ("￥ 99", 99.0),
        ("$12", 12.0),
        ("€7.5", 7.5),
        ("CN¥8", 8.0),
        ("US$9", 9.0),
        ("RMB 10", 10.0),
        ("100元", 100.0),
        ("5.2%", 0.052),
        ("５.２％", 0.052),
        ("１２３４．５", 1234.5),
        ("  42  ", 42.0),
        ("(1,234)", -1234.0),
        ("-3", -3.0),
        ("1.5万", 15000.0),
        ("2亿", 2e8),
        ("1e3", 1000.0),
    ],
)
def test_parse_numbers(text: str, value: float) -> None:
    values, bad = parse_numbers(pd.Series([text], dtype="str"))
    assert not bad[0]
    assert values[0] == pytest.approx(value)


@pytest.mark.parametrize("text", ["--", "-", "", "N/A", "n/a", "NA", "null", "—"])
def test_parse_numbers_missing(text: str) -> None:
    values, bad = parse_numbers(pd.Series([text], dtype="str"))
    assert np.isnan(values[0]) and not bad[0]


@pytest.mark.parametrize("text", ["abc", "1.2.3", "12abc", "¥", "%"])
def test_parse_numbers_bad(text: str) -> None:
    values, bad = parse_numbers(pd.Series([text], dtype="str"))
    assert np.isnan(values[0]) and bad[0]


_FULL = str.maketrans("0123456789.", "０１２３４５６７８９．")


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.integers(min_value=0, max_value=99),
    st.sampled_from(["", "¥", "$", "€", "CN¥", "US$", "￥"]),
    st.booleans(),
    st.booleans(),
)
def test_number_round_trip(
    whole: int, cents: int, currency: str, grouped: bool, full_width: bool
) -> None:
    value = abs(whole) + cents / 100
    body = f"{value:,.2f}" if grouped else f"{value:.2f}"
    if full_width:
        body = body.translate(_FULL)
    text = f"-{currency}{body}" if whole < 0 else f"{currency}{body}"
    values, bad = parse_numbers(pd.Series([text], dtype="str"))
    assert not bad[0], text
    expected = -value if whole < 0 else value
    assert values[0] == pytest.approx(expected, rel=1e-12), text


@settings(max_examples=100, deadline=None)
@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(lambda x: round(x, 4)))
def test_percent_round_trip(x: float) -> None:
    values, bad = parse_numbers(pd.Series([f"{x}%"], dtype="str"))
    assert not bad[0]
    assert values[0] == pytest.approx(x / 100, rel=1e-12, abs=1e-15)


# --------------------------------------------------------------------------- paths


def resolve(store: DataStore, pattern: str) -> tuple[list[Path], list[Diagnostic]]:
    return store.resolve(pattern, file="content/plan.md", line=7, field="plan.metrics[0]")


def test_resolve_glob_sorted(root: Path) -> None:
    for name in ("b.csv", "a.csv", "c.txt.bak", "sub/d.csv"):
        write(root, f"spring/{name}", "date\n")
    paths, diags = resolve(DataStore(root), "data/spring/*.csv")
    assert diags == []
    assert [p.name for p in paths] == ["a.csv", "b.csv"]
    paths, _ = resolve(DataStore(root), "data/spring/**/*.csv")
    assert [p.relative_to(root).as_posix() for p in paths] == [
        "data/spring/a.csv",
        "data/spring/b.csv",
        "data/spring/sub/d.csv",
    ]


@pytest.mark.parametrize(
    ("pattern", "rule", "message"),
    [
        (
            "data/../secrets.csv",
            "data/path-outside",
            "path 'data/../secrets.csv' uses '..'; metric files must stay inside 'data/'",
        ),
        (
            "/etc/passwd",
            "data/path-outside",
            "absolute path '/etc/passwd' is not allowed; write it relative to the project "
            "root, inside 'data/' (e.g. 'data/campaign/*.csv')",
        ),
        (
            "content/x.csv",
            "data/path-outside",
            "path 'content/x.csv' is outside 'data/'; metric files must live in 'data/' "
            "(e.g. 'data/x.csv')",
        ),
        ("data/none/*.csv", "data/no-match", "'data/none/*.csv' matches no files"),
        ("data/missing.csv", "data/missing-file", "file 'data/missing.csv' not found"),
    ],
)
def test_resolve_errors(root: Path, pattern: str, rule: str, message: str) -> None:
    paths, diags = resolve(DataStore(root), pattern)
    assert paths == []
    d = only(diags)
    assert (d.file, d.line, d.field, d.severity, d.rule, d.message) == (
        "content/plan.md",
        7,
        "plan.metrics[0]",
        Severity.ERROR,
        rule,
        message,
    )


def test_resolve_symlink_escaping(root: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside") / "x.csv"
    outside.write_text("date\n")
    link = root / "data" / "link.csv"
    try:
        os.symlink(outside, link)
    except OSError:  # pragma: no cover - platforms without symlinks
        pytest.skip("symlinks not available")
    paths, diags = resolve(DataStore(root), "data/*.csv")
    assert paths == []
    d = only(diags)
    assert d.rule == "data/path-outside"
    assert d.message == (
        "'data/link.csv' is a link to a file outside 'data/'; copy the file into 'data/' instead"
    )


def test_resolve_not_csv(root: Path) -> None:
    write(root, "notes.md", "hi")
    _, diags = resolve(DataStore(root), "data/notes.md")
    assert (
        only(diags).message
        == "'data/notes.md' is not a metric file (expected .csv, .tsv, .txt, .xlsx or .parquet)"
    )


# --------------------------------------------------------------------------- cache


def test_cache_hit_does_not_parse_again(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = data._parse

    def counting(*args, **kw):
        calls.append(args[0])
        return real(*args, **kw)

    monkeypatch.setattr(data, "_parse", counting)
    p = write(root, "c.csv", BASIC)
    store = DataStore(root)
    first = store.load(p)
    second = store.load(p)
    assert second is first
    assert calls == ["data/c.csv"]
    # Touched but unchanged: hashed again, still not parsed.
    st = p.stat()
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert store.load(p) is first
    assert calls == ["data/c.csv"]


def test_cache_invalidated_when_content_changes(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    real = data._parse
    monkeypatch.setattr(data, "_parse", lambda *a, **k: calls.append(a[0]) or real(*a, **k))
    p = write(root, "c.csv", BASIC)
    store = DataStore(root)
    first = store.load(p)
    write(root, "c.csv", BASIC.replace("120.5", "999"))
    st = p.stat()
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    second = store.load(p)
    assert second is not first
    assert second.digest != first.digest
    assert second.frame["spend"].tolist()[0] == 999.0
    assert len(calls) == 2


def test_used_tables(root: Path) -> None:
    a = write(root, "a.csv", BASIC)
    b = write(root, "b.csv", BASIC)
    store = DataStore(root)
    store.load(b)
    store.load(a)
    assert [t.path for t in store.used_tables()] == ["data/a.csv", "data/b.csv"]
    store.begin_build()
    assert store.used_tables() == []
    store.load(a)  # served from the cache, still counted
    assert [t.path for t in store.used_tables()] == ["data/a.csv"]


# --------------------------------------------------------------------------- frame


def test_frame_combines_sources(root: Path) -> None:
    write(root, "spring/sem.csv", "date,campaign,clicks,spend\n2026-09-01,brand,10,5\n")
    write(root, "spring/email.csv", "date,emails_sent,opens\n2026-09-01,100,20\n")
    write(root, "bad.csv", "date,spend\n2026-09-01,x\n")
    store = DataStore(root)
    sources = [
        MetricSource(path="data/spring/sem.csv", set={"channel": "sem"}),
        MetricSource(path="data/spring/email.csv", set={"channel": "email"}),
        MetricSource(path="data/nothing/*.csv"),
        MetricSource(path="data/bad.csv"),
    ]
    locs = Locations(
        {("plan", "metrics"): 5, ("plan", "metrics", 0): 6, ("plan", "metrics", 2): 9}, 1
    )
    frame, diags = store.frame(sources, file="content/p.md", locations=locs)
    assert list(frame.columns) == [
        "date",
        "campaign",
        "channel",
        "clicks",
        "spend",
        "emails_sent",
        "opens",
    ]
    assert frame["channel"].tolist() == ["sem", "email"]
    assert frame["campaign"].tolist() == ["brand", ""]
    assert np.isnan(frame["clicks"][1]) and frame["opens"][1] == 20.0
    assert frame["clicks"].dtype == np.float64
    d = only(diags)
    assert (d.file, d.line, d.field, d.rule) == (
        "content/p.md",
        9,
        "plan.metrics[2]",
        "data/no-match",
    )
    # Table-level diagnostics come once per build from used_tables().
    bad = [t for t in store.used_tables() if t.diagnostics]
    assert [t.path for t in bad] == ["data/bad.csv"]


def test_frame_counts_a_file_once_and_set_overrides(root: Path) -> None:
    write(root, "a.csv", "date,channel,spend\n2026-09-01,x,1\n")
    store = DataStore(root)
    locs = Locations({("plan", "metrics", 1, "path"): 12, ("plan", "metrics", 0): 10}, 1)
    frame, diags = store.frame(
        [MetricSource(path="data/*.csv", set={"channel": "sem"}), MetricSource(path="data/a.csv")],
        file="content/p.md",
        locations=locs,
    )
    assert frame["channel"].tolist() == ["sem"]
    assert frame["spend"].tolist() == [1.0]
    over, dup = diags
    assert over.rule == "data/set-overrides-column"
    assert (
        over.message
        == "'data/a.csv' has its own 'channel' column; the value 'sem' from `set` replaces it"
    )
    assert (dup.line, dup.field, dup.rule) == (12, "plan.metrics[1].path", "data/duplicate-source")
    assert (
        dup.message
        == "'data/a.csv' is the same file as read by plan.metrics[0]; its rows are counted once"
    )


def test_frame_empty_sources(root: Path) -> None:
    frame, diags = DataStore(root).frame([], file="p.md", locations=Locations())
    assert diags == [] and list(frame.columns) == ["date"] and len(frame) == 0
