"""The loader's fast path read in segments from disk, hashing as it reads, and the
``max_file_mb`` limit (issue 12). Files are kept small: the head and segment sizes
are made small instead."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planbook.data import DataStore
from planbook.diagnostics import Severity
from planbook.sources import files, reader
from planbook.sources.digest import content_key


def _rows(n: int, *, commas_from: int | None = None, empty_until: int = 0) -> list[str]:
    """An ad export's rows; impressions written ``"1,234"`` from row ``commas_from``
    on, spend empty before row ``empty_until``."""
    out = []
    for i in range(n):
        day = f"2026-09-{1 + i % 28:02d}"
        imp = 1000 + i * 7
        shown = f'"{imp:,}"' if commas_from is not None and i >= commas_from else str(imp)
        spend = "" if i < empty_until else f"{i % 50}.25"
        out.append(f"{day},ch{i % 3},活动{i % 5},{shown},{i % 11},{spend}")
    return out


HEADER = "date,channel,campaign,impressions,clicks,spend"


def _load(root: Path, name: str, data: bytes, store: DataStore | None = None):
    path = root / "data" / name
    path.write_bytes(data)
    return (store or DataStore(root)).load(path)


def _same(a, b) -> None:
    """Two tables hold the same rows, types and messages."""
    pd.testing.assert_frame_equal(a.frame, b.frame)
    assert [(d.rule, d.line, d.message) for d in a.diagnostics] == [
        (d.rule, d.line, d.message) for d in b.diagnostics
    ]


@pytest.fixture
def small_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 300-byte head and 200-byte segments: a few KB take the path of a large file."""
    monkeypatch.setattr(files, "HEAD", 300)
    monkeypatch.setattr(reader, "SEGMENT", 200)


CASES = {
    "plain": "\n".join([HEADER, *_rows(120)]) + "\n",
    # Thousands separators only after the first segments: the column is text there,
    # numbers before; spend missing in the first segments, numbers after.
    "late-commas": "\n".join([HEADER, *_rows(120, commas_from=90, empty_until=40)]) + "\n",
    # A report title above the header, a totals row and a footer below the table,
    # irregular rows and a row of separators in the middle.
    "shaped": "\n".join(
        [
            "Campaign report",
            "2026-09-01 - 2026-09-28",
            HEADER,
            *_rows(50),
            "2026-09-03,ch1,活动1,12,3",
            ",,,,,",
            "2026-09-04,ch1,活动1,abc,3,1.5",
            *_rows(50),
            "合计,,,999,99,99",
            "",
            "# exported by a tool",
        ]
    )
    + "\n",
    # A quoted newline far from the start: pyarrow stops, the exact path reads it.
    "quoted-newline": "\n".join(
        [HEADER, *_rows(60), '2026-09-05,ch1,"two\nlines",5,1,2', *_rows(60)]
    )
    + "\n",
    "bom-crlf": "\ufeff" + "\r\n".join([HEADER, *_rows(100)]) + "\r\n",
    # Rows reported with their lines deep into the file, blank lines before them: the
    # line numbers come from the segments that hold those rows only.
    "lines": "\n".join(
        [
            HEADER,
            *_rows(40),
            "",
            "\r",
            *_rows(30),
            "2026-13-45,ch1,活动1,5,1,2",
            *_rows(30),
            "",
            "2026-09-02,ch2,活动2,abc,1,2",
            *_rows(20),
            "合计,,,999,99,99",
        ]
    )
    + "\n",
}
# Cases the fast path reads (the others have rows pyarrow cannot read).
FAST = {"plain", "late-commas", "bom-crlf", "lines"}


@pytest.mark.parametrize("case", sorted(CASES))
def test_segmented_read_from_disk_matches_the_exact_reader(
    root: Path, small_reads: None, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    data = CASES[case].encode("utf-8")
    assert len(data) > 10 * reader.SEGMENT
    read = reader.read_fast
    used: list[bool] = []

    def fast_path(*args: object, **kwargs: object) -> object:
        raw = read(*args, **kwargs)
        used.append(raw is not None)
        return raw

    monkeypatch.setattr(reader, "read_fast", fast_path)
    fast = _load(root, "fast.csv", data)
    assert used == [case in FAST]
    monkeypatch.setattr(files, "ENGINE", "exact")
    exact = _load(root, "exact.csv", data)
    assert len(fast.frame) > 90
    _same(fast, exact)
    assert fast.digest == content_key(data)


def test_gbk_file_read_in_segments_matches_its_utf8_twin(root: Path, small_reads: None) -> None:
    text = "\n".join(["日期,渠道,推广计划,展现量,点击量,消费(元)", *_rows(150)]) + "\n"
    gbk = _load(root, "gbk.csv", text.encode("gbk"))
    utf8 = _load(root, "utf8.csv", text.encode("utf-8"))
    assert gbk.encoding == "gb18030"
    pd.testing.assert_frame_equal(gbk.frame, utf8.frame)
    assert sorted(set(gbk.frame["campaign"])) == [f"活动{i}" for i in range(5)]
    assert gbk.digest == content_key(text.encode("gbk"))


def test_numbers_with_separators_in_a_later_segment_are_numbers(
    root: Path, small_reads: None
) -> None:
    text = "\n".join([HEADER, *_rows(120, commas_from=100)]) + "\n"
    t = _load(root, "late.csv", text.encode())
    assert t.frame["impressions"].dtype == np.float64
    assert float(t.frame["impressions"].sum()) == sum(1000 + i * 7 for i in range(120))
    assert not t.diagnostics


def test_a_table_ending_above_the_file_end_is_hashed_whole(root: Path, small_reads: None) -> None:
    data = ("\n".join([HEADER, *_rows(80), "", "Second table", "a,b", "1,2"]) + "\n").encode()
    t = _load(root, "two.csv", data)
    assert len(t.frame) == 80
    assert [d.rule for d in t.diagnostics] == ["data/after-table"]
    assert t.digest == content_key(data)


def test_changed_file_is_parsed_again_and_same_content_is_not(root: Path) -> None:
    store = DataStore(root)
    a = _load(root, "a.csv", ("\n".join([HEADER, *_rows(5)]) + "\n").encode(), store)
    path = root / "data" / "a.csv"
    path.write_bytes(path.read_bytes())  # same bytes, new mtime
    b = store.load(path)
    assert b is a and store.parse_count == 1
    path.write_bytes(("\n".join([HEADER, *_rows(6)]) + "\n").encode())
    c = store.load(path)
    assert len(c.frame) == 6 and c.digest == content_key(path.read_bytes())


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_an_edited_file_larger_than_the_head_is_read_again(
    root: Path, small_reads: None, case: str, encoding: str
) -> None:
    """`mkdocs serve`: a known file whose content changed is parsed from its bytes; past
    the head the parser looked at the file's tail on disk, which a bytes parse has not
    (every plan became plan/internal-error after one CSV edit)."""
    store = DataStore(root)
    text = CASES[case].replace("date,channel,campaign", "日期,渠道,推广计划")
    if encoding == "gbk":
        text = text.lstrip("\ufeff")  # a GBK file has no BOM
    first = _load(root, "edit.csv", text.encode(encoding), store)
    edited = text.replace(",ch1,", ",ch9,")
    assert edited != text
    again = _load(root, "edit.csv", edited.encode(encoding), store)
    fresh = DataStore(root).load(root / "data" / "edit.csv")  # straight from disk
    assert store.parse_count == 2 and again is not first
    _same(again, fresh)
    assert "ch9" in set(again.frame["channel"]) and "ch1" not in set(again.frame["channel"])


def test_an_edited_file_is_read_from_disk_not_kept_in_memory(root: Path, small_reads: None) -> None:
    """`mkdocs serve`: a CSV edit read the whole file into one bytes object, and the new
    table's line map kept it alive (a second copy of every edited file, +68 MB on the
    bench's). The edit is parsed from disk like a first read; its lines stay right."""
    store = DataStore(root)
    text = "\n".join([HEADER, *_rows(30)]) + "\n"
    _load(root, "e.csv", text.encode(), store)
    lines = text.splitlines()
    lines[25] = (
        lines[25].replace(",ch1,", ",ch7,").replace(",ch0,", ",ch7,").replace(",ch2,", ",ch7,")
    )
    again = _load(root, "e.csv", ("\n".join(lines) + "\n").encode(), store)
    assert store.parse_count == 2 and "ch7" in set(again.frame["channel"])
    held = [v for v in vars(again.line_of).values() if isinstance(v, (bytes, bytearray))]
    assert held == []
    assert again.lines([24]) == [26]  # row 24 (0-based) is line 26: header, then 25 rows


# --------------------------------------------------------------------- max_file_mb


def test_a_file_over_max_file_mb_is_refused_with_the_way_out(root: Path) -> None:
    data = ("\n".join([HEADER, *_rows(40)]) + "\n").encode()
    store = DataStore(root, max_file_mb=0.001)
    t = _load(root, "big.csv", data, store)
    assert store.parse_count == 0
    assert len(t.frame) == 0 and not t.ok
    [d] = t.diagnostics
    assert (d.file, d.line, d.rule, d.severity) == (
        "data/big.csv",
        None,
        "data/too-large",
        Severity.ERROR,
    )
    assert d.message == (
        f"file is {len(data):,} bytes, over the 0.001 MB limit (`max_file_mb`); save it as "
        "Parquet (data/*.parquet is aggregated by DuckDB, the `warehouse` extra, without "
        "loading it), read it from a warehouse source, or raise `max_file_mb` (reading "
        "takes about 3x the file's size in memory)"
    )


def test_max_file_mb_shows_megabytes_and_lets_smaller_files_through(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = _load(
        root, "small.csv", b"date,clicks\n2026-09-01,1\n", DataStore(root, max_file_mb=0.1)
    )
    assert small.ok and len(small.frame) == 1
    path = root / "data" / "large.csv"
    path.write_bytes(b"date,clicks\n" + b"2026-09-01,1\n" * 20_000)  # 260,012 bytes
    [d] = DataStore(root, max_file_mb=0.25).load(path).diagnostics
    assert d.message.startswith("file is 0.3 MB, over the 0.25 MB limit (`max_file_mb`);")
    assert DataStore(root, max_file_mb=0.3).load(path).ok


def test_max_file_mb_in_a_site_build(build_site) -> None:
    plan = """\
    ---
    plan:
      id: p
      period: {start: 2026-09-01, end: 2026-09-30}
      metrics: [data/ads.csv]
      goals:
        - {id: clicks, statement: Clicks, kpi: clicks, baseline: 0, target: 10, deadline: 2026-09-30}
    ---
    # P
    """
    csv = "date,channel,clicks\n" + "2026-09-01,sem,1\n" * 100
    built = build_site(
        {"plans/p.md": plan}, {"ads.csv": csv}, options="max_file_mb: 0.001", strict=False
    )
    assert built.error is None, built.messages
    errors = built.logged(40)
    size = len(csv.encode())
    assert errors == [
        f"planbook: data/ads.csv: 错误: 文件大小为 {size:,} 字节，超过 0.001 MB 的上限"
        "（`max_file_mb`）；请另存为 Parquet（data/*.parquet 由 DuckDB 聚合，需安装 `warehouse` "
        "扩展，不必整个读入内存），或改用数据仓库数据源，或调高 `max_file_mb`（读取约占文件大小 "
        "3 倍的内存） [data/too-large]"
    ]
    # The plan still builds, without the file's rows.
    assert "计划没有列出有数据行的指标文件 [smart/no-data]" in " ".join(built.logged(20))
    refused = build_site({"plans/p.md": plan}, {"ads.csv": csv}, options="max_file_mb: 0")
    assert refused.error is not None


def test_the_content_key_is_the_same_read_whole_in_pieces_or_from_disk(tmp_path: Path) -> None:
    """The parser (pieces as it reads them), an edit check (the file in blocks) and
    bytes in memory give one key; any change of content, or of size, gives another."""
    from planbook.sources.digest import ContentKey, file_key

    data = ("\n".join([HEADER, *_rows(500)]) + "\n").encode()
    path = tmp_path / "k.csv"
    path.write_bytes(data)
    pieces = ContentKey()
    for start in range(0, len(data), 333):
        pieces.update(memoryview(data)[start : start + 333])
    assert pieces.hexdigest() == file_key(path) == content_key(data)
    one_digit = data.replace(b"1007", b"1008", 1)
    assert one_digit != data and content_key(one_digit) != content_key(data)
    assert content_key(data + b"\n") != content_key(data)
    assert content_key(b"") != content_key(b"\x00")
    swapped = data[1:2] + data[:1] + data[2:]
    assert content_key(swapped) != content_key(data)
