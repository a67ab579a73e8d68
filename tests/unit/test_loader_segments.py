"""Exact messages from the segmented fast path (issue 12): a bad cell in the last
segment, in a row across a segment boundary, a quoted newline across a boundary, a BOM,
CRLF, GBK and a ragged row, each with its file, line and field, the same as the exact
``csv`` reader gives. Segments are made 200 bytes so a few KB cross many of them."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from planbook import project as project_module
from planbook.data import DataStore
from planbook.sources import files, memory, reader
from tests.unit.loader_spy import spy_fast

HEADER = "date,channel,campaign,impressions,clicks,spend"


def _row(i: int) -> str:
    return f"2026-09-{1 + i % 28:02d},ch{i % 3},camp{i % 5},{1000 + i},{i % 11},{i % 50}.25"


@pytest.fixture
def small_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "HEAD", 300)
    monkeypatch.setattr(reader, "SEGMENT", 200)


def _both(root: Path, monkeypatch: pytest.MonkeyPatch, data: bytes) -> tuple:
    """The table read by the engine as configured (fast path first) and by the exact
    reader, and whether the fast path read it."""
    (root / "data" / "m.csv").write_bytes(data)
    results = spy_fast(monkeypatch)
    fast = DataStore(root).load(root / "data" / "m.csv")
    monkeypatch.setattr(files, "ENGINE", "exact")
    exact = DataStore(root).load(root / "data" / "m.csv")
    monkeypatch.setattr(files, "ENGINE", "pyarrow")
    return fast, exact, bool(results and results[0] is not None)


def _messages(table: object) -> list[tuple]:
    return [(d.file, d.line, d.field, d.rule, d.message) for d in table.diagnostics]


def test_bad_cell_in_the_last_segment(
    root: Path, small_reads: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [_row(i) for i in range(80)]
    rows[-1] = rows[-1].rsplit(",", 1)[0] + ",12x"
    data = ("\n".join([HEADER, *rows]) + "\n").encode()
    fast, exact, used = _both(root, monkeypatch, data)
    assert used
    assert _messages(fast) == _messages(exact)
    (d,) = fast.diagnostics
    assert (d.file, d.line, d.field, d.rule) == ("data/m.csv", 81, "spend", "data/bad-number")
    assert "'12x'" in d.message and "line 81" in d.message
    assert len(fast.frame) == 79 and fast.frame["spend"].dtype == np.float64


def test_bad_cell_in_a_row_across_a_segment_boundary(
    root: Path, small_reads: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [_row(i) for i in range(60)]
    head = len(HEADER) + 1
    # The row whose bytes hold the 200th byte past the header (where a segment would
    # end if it were cut at a fixed size) gets a bad number.
    at, pos = 0, head
    for at, r in enumerate(rows):  # noqa: B007
        if pos + len(r) + 1 > head + 200:
            break
        pos += len(r) + 1
    assert pos < head + 200 < pos + len(rows[at]) + 1
    rows[at] = rows[at].rsplit(",", 3)[0] + ",n/a?,1,2.5"
    data = ("\n".join([HEADER, *rows]) + "\n").encode()
    fast, exact, used = _both(root, monkeypatch, data)
    assert used
    assert _messages(fast) == _messages(exact)
    (d,) = fast.diagnostics
    assert (d.line, d.field, d.rule) == (at + 2, "impressions", "data/bad-number")
    assert "'n/a?'" in d.message


def test_quoted_newline_across_a_segment_boundary(
    root: Path, small_reads: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows: list[str] = []
    while sum(len(r) + 1 for r in rows) < 150:
        rows.append(_row(len(rows)))
    start = sum(len(r) + 1 for r in rows)
    lead = '2026-09-06,ch1,"'
    # The quoted newline is the last newline before the segment's 200th byte: the
    # segment ends inside the quotes.
    quoted = lead + "x" * (195 - start - len(lead)) + '\nlines and more",5,1,2'
    assert start + quoted.index("\n") == 195 and start + len(quoted) > 200
    rows.append(quoted)
    rows.extend(_row(i) for i in range(len(rows), 60))
    rows[40] = rows[40].rsplit(",", 1)[0] + ",bad"
    data = ("\n".join([HEADER, *rows]) + "\n").encode()
    fast, exact, used = _both(root, monkeypatch, data)
    assert not used  # pyarrow finds the quote unclosed: the exact path reads the file
    assert _messages(fast) == _messages(exact)
    (d,) = fast.diagnostics
    # Row 40 is on line 43: the header, 40 rows before it, and one extra physical line.
    assert (d.line, d.field, d.rule) == (43, "spend", "data/bad-number")
    assert any("\nlines and more" in c for c in set(fast.frame["campaign"]))


def test_quoted_newline_inside_a_segment_keeps_later_lines(
    root: Path, small_reads: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pyarrow reads a quoted newline in the middle of a segment; the rows after it in
    that segment, and in every later one, keep their physical lines."""
    rows = [_row(i) for i in range(60)]
    rows[2] = '2026-09-03,ch1,"two\nlines",5,1,2'
    rows[3] = rows[3].rsplit(",", 1)[0] + ",bad1"
    rows[50] = rows[50].rsplit(",", 1)[0] + ",bad2"
    data = ("\n".join([HEADER, *rows]) + "\n").encode()
    fast, exact, used = _both(root, monkeypatch, data)
    assert used  # pyarrow reads it; the lines come from the csv module
    assert _messages(fast) == _messages(exact)
    (d,) = fast.diagnostics
    assert (d.line, d.field, d.rule) == (6, "spend", "data/bad-number")
    assert "lines 6, 53" in d.message


@pytest.mark.parametrize(
    ("encoding", "bom", "newline"),
    [("utf-8", True, "\n"), ("utf-8", False, "\r\n"), ("gbk", False, "\r\n")],
)
def test_bom_crlf_and_gbk_keep_lines_and_fields(
    root: Path,
    small_reads: None,
    monkeypatch: pytest.MonkeyPatch,
    encoding: str,
    bom: bool,
    newline: str,
) -> None:
    rows = [_row(i).replace("camp", "活动") for i in range(70)]
    rows[33] = rows[33].rsplit(",", 2)[0] + ",七,1.5"  # clicks: text
    rows[66] = rows[66].rsplit(",", 1)[0] + ",1e309"  # spend: beyond the float range
    text = ("\ufeff" if bom else "") + newline.join(
        ["日期,渠道,推广计划,展现量,点击量,消费", *rows]
    )
    fast, exact, used = _both(root, monkeypatch, (text + newline).encode(encoding))
    assert used
    assert _messages(fast) == _messages(exact)
    found = {(d.line, d.field, d.rule) for d in fast.diagnostics}
    assert found == {(35, "clicks", "data/bad-number"), (68, "spend", "data/non-finite")}
    bad = next(d for d in fast.diagnostics if d.rule == "data/bad-number")
    assert "'七'" in bad.message
    non_finite = next(d for d in fast.diagnostics if d.rule == "data/non-finite")
    assert "1e309" in non_finite.message
    assert sorted(set(fast.frame["campaign"])) == [f"活动{i}" for i in range(5)]


def test_ragged_row_deep_in_the_file(
    root: Path, small_reads: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [_row(i) for i in range(60)]
    rows[47] = "2026-09-03,ch1,camp1,12,3"  # one field short
    data = ("\n".join([HEADER, *rows]) + "\n").encode()
    fast, exact, used = _both(root, monkeypatch, data)
    assert not used  # another field count: the exact path reads the file
    assert _messages(fast) == _messages(exact)
    (d,) = fast.diagnostics
    assert (d.line, d.rule) == (49, "data/bad-row")
    assert "line 49" in d.message and len(fast.frame) == 59


def test_measures_are_one_float_array_each_in_their_own_block(
    root: Path, small_reads: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fast path's measures are float64 columns of their own (no 2-D block holding a
    copy of every measure), written across many segments into arrays whose guessed size
    (here far too small) grows."""
    monkeypatch.setattr(reader, "_body_size", lambda *a: 1)
    rows = [_row(i) for i in range(400)]
    (root / "data" / "m.csv").write_bytes(("\n".join([HEADER, *rows]) + "\n").encode())
    t = DataStore(root).load(root / "data" / "m.csv")
    assert len(t.frame) == 400 and not t.diagnostics
    for m in ("impressions", "clicks", "spend"):
        assert t.frame[m].dtype == np.float64
    assert t.frame["impressions"].tolist() == [1000.0 + i for i in range(400)]
    assert t.frame["spend"].tolist() == [i % 50 + 0.25 for i in range(400)]
    assert len(t.frame._mgr.blocks) == len(t.frame.columns)


def test_a_read_sizes_its_body_once(
    root: Path, small_reads: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The body's size (a stat of the file) is taken once a read: it sizes the measures'
    arrays and decides whether the read gives memory back as it goes and at its end."""
    sizes: list[int] = []
    size = reader._body_size
    monkeypatch.setattr(reader, "_body_size", lambda *a: sizes.append(size(*a)) or sizes[-1])
    rows = [_row(i) for i in range(200)]
    (root / "data" / "m.csv").write_bytes(("\n".join([HEADER, *rows]) + "\n").encode())
    t = DataStore(root).load(root / "data" / "m.csv")
    assert len(t.frame) == 200 and not t.diagnostics
    assert len(sizes) == 1 and sizes[0] > 0


@pytest.mark.parametrize("workers", [1, 3, 4])
def test_segments_come_back_in_order_whatever_the_number_of_workers(
    root: Path, small_reads: None, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    monkeypatch.setattr(reader, "WORKERS", workers)
    rows = [_row(i) for i in range(300)]
    rows[250] = rows[250].rsplit(",", 2)[0] + ",x,1.5"
    fast, exact, used = _both(root, monkeypatch, ("\n".join([HEADER, *rows]) + "\n").encode())
    assert used
    assert _messages(fast) == _messages(exact)
    assert [d.line for d in fast.diagnostics] == [252]
    for name in fast.frame.columns:
        assert fast.frame[name].astype(str).tolist() == exact.frame[name].astype(str).tolist()
    assert fast.frame["impressions"].tolist()[:3] == [1000.0, 1001.0, 1002.0]


def test_freed_memory_is_handed_back_once_per_new_cube_not_per_read(
    root: Path, small_reads: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planbook.project import Project, Settings

    calls: list[int] = []
    monkeypatch.setattr(project_module._memory, "release_memory", lambda: calls.append(1))
    rows = "\n".join([HEADER, *map(_row, range(50))]) + "\n"
    (root / "data" / "m.csv").write_text(rows, "utf-8")
    assert len(DataStore(root).load(root / "data" / "m.csv").frame) == 50
    assert calls == []  # a small read alone: the next read reuses what the last one freed
    (root / "docs").mkdir()
    plan = (
        "---\nplan:\n  owner: t\n  status: draft\n"
        "  period: {start: 2026-09-01, end: 2026-09-30}\n"
        "  metrics: [data/m.csv]\n  goals:\n"
        "    - {id: g, statement: s, kpi: clicks, baseline: 0, target: 100,"
        " deadline: 2026-09-30}\n"
        "---\n# p\n"
    )
    for name in ("a", "b"):
        (root / "docs" / f"{name}.md").write_text(plan.replace("owner", f"id: {name}\n  owner"))
    project = Project(Settings(root=root, docs_dir=root / "docs"))
    project.begin_build()
    project.scan()
    views = [project.evaluate(page) for page in project.plans.values()]
    assert len(views) == 2 and all(v is not None and v.goals for v in views)
    # Two plans, one cube: what the read freed goes back before the aggregation, and
    # what the aggregation freed after it.
    assert calls == [1, 1]
    memory._TRIM = None
    monkeypatch.undo()
    memory.release_memory()  # the real one never fails, with or without glibc


def test_a_large_read_hands_its_parse_memory_back_before_the_rows_are_converted(
    root: Path, small_reads: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parse threads' freed buffers would stay under the converted table and the
    cube's aggregation (the build's peak, issue 12): a body of at least
    ``TRIM_AFTER`` bytes gives them back once, as soon as its columns are joined."""
    events: list[str] = []
    monkeypatch.setattr(reader, "release_memory", lambda: events.append("release"))
    real_finish = files.Parser._finish

    def finish(self: files.Parser, *args: object) -> object:
        events.append("convert")
        return real_finish(self, *args)

    monkeypatch.setattr(files.Parser, "_finish", finish)
    rows = "\n".join([HEADER, *map(_row, range(50))]) + "\n"
    (root / "data" / "m.csv").write_text(rows, "utf-8")
    body = len(rows.encode()) - len(HEADER) - 1
    monkeypatch.setattr(reader, "TRIM_AFTER", body)
    table = DataStore(root).load(root / "data" / "m.csv")
    assert len(table.frame) == 50 and not table.diagnostics
    assert events == ["release", "convert"]
    events.clear()
    monkeypatch.setattr(reader, "TRIM_AFTER", body + 1)
    assert len(DataStore(root).load(root / "data" / "m.csv").frame) == 50  # parsed again
    assert events == ["convert"]  # one byte short of the threshold: no trim


def test_a_large_read_trims_the_arenas_a_few_times_as_it_goes(
    root: Path, small_reads: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The segments' freed parse buffers go back as the read goes (issue 12: they stacked
    up under the measures of a 1M-row read), but only ``TRIMS`` times a read and at
    least ``TRIM_EVERY`` bytes apart: each trim hands back pages the next segments fault
    in again (rows5m: the 5M-row read trimmed 21 times, its faults 93-99K -> 45-49K at
    4; loader3: once, after the last segment). The last segments' before the join;
    never for a body under ``TRIM_AFTER`` bytes; the table is the same either way. The
    rule is checked at four trims a read whatever ``TRIMS`` is set to."""
    counts: list[int] = []
    monkeypatch.setattr(reader, "release_memory", lambda: None)
    monkeypatch.setattr(reader, "trim_arenas", lambda: counts.append(len(counts)))
    segments: list[int] = []
    split = reader._segments

    def spy(*args: object) -> object:
        for piece in split(*args):  # type: ignore[arg-type]
            segments.append(len(piece))
            yield piece

    def expected(every: int) -> int:  # the rule, segment by segment
        trims, untrimmed = 0, 0
        for size in segments:
            untrimmed += size
            if untrimmed >= every:
                trims, untrimmed = trims + 1, 0
        return trims + (1 if untrimmed else 0)

    monkeypatch.setattr(reader, "_segments", spy)
    rows = "\n".join([HEADER, *map(_row, range(50))]) + "\n"
    (root / "data" / "m.csv").write_text(rows, "utf-8")
    body = len(rows.encode()) - len(HEADER) - 1
    monkeypatch.setattr(reader, "TRIM_AFTER", body)
    monkeypatch.setattr(reader, "TRIM_EVERY", 1)
    monkeypatch.setattr(reader, "TRIMS", 4)
    trimmed = DataStore(root).load(root / "data" / "m.csv")
    assert len(segments) > 8 and sum(segments) == body
    assert len(counts) == expected(body // 4) in (4, 5)
    for every in (body // 2, body):  # TRIM_EVERY apart at least
        counts.clear()
        segments.clear()
        monkeypatch.setattr(reader, "TRIM_EVERY", every)
        assert len(DataStore(root).load(root / "data" / "m.csv").frame) == 50
        assert len(counts) == expected(every) <= 2
    counts.clear()
    segments.clear()
    monkeypatch.setattr(reader, "TRIM_EVERY", 1)
    monkeypatch.setattr(reader, "TRIMS", 1)  # once, when the last segment is in
    assert len(DataStore(root).load(root / "data" / "m.csv").frame) == 50
    assert len(counts) == expected(body) == 1
    counts.clear()
    monkeypatch.setattr(reader, "TRIM_AFTER", body + 1)
    plain = DataStore(root).load(root / "data" / "m.csv")
    assert counts == []
    for name in plain.frame.columns:
        assert trimmed.frame[name].tolist() == plain.frame[name].tolist()
    monkeypatch.undo()
    memory._TRIM = None
    memory.trim_arenas()  # the real one never fails, with or without glibc


def test_measures_beyond_a_short_guess_beside_a_text_segment(
    root: Path, small_reads: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Segments past the guessed size keep arrays of their own, one segment holds text
    in a measure: the column is the one the exact reader gives, row for row."""
    monkeypatch.setattr(reader, "_body_size", lambda *a: 1)
    monkeypatch.setattr(reader, "WORKERS", 4)
    rows = [_row(i) for i in range(300)]
    rows[150] = rows[150].rsplit(",", 2)[0] + ",x,1.5"
    fast, exact, used = _both(root, monkeypatch, ("\n".join([HEADER, *rows]) + "\n").encode())
    assert used and _messages(fast) == _messages(exact)
    for name in ("impressions", "clicks", "spend"):
        assert fast.frame[name].tolist() == exact.frame[name].tolist()
        assert fast.frame[name].dtype == np.float64


def test_measures_are_written_by_the_parse_threads(
    root: Path, small_reads: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each segment's measures are copied into the columns on the thread that parsed it
    (the main thread only joins), once per segment, in any order of finishing."""
    import threading

    seen: list[tuple[int, str]] = []
    write = reader._Measures.write

    def spy(self: object, k: int, *args: object) -> None:
        seen.append((k, threading.current_thread().name))
        write(self, k, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(reader._Measures, "write", spy)
    monkeypatch.setattr(reader, "WORKERS", 3)
    rows = [_row(i) for i in range(200)]
    (root / "data" / "m.csv").write_bytes(("\n".join([HEADER, *rows]) + "\n").encode())
    t = DataStore(root).load(root / "data" / "m.csv")
    assert t.frame["impressions"].tolist() == [1000.0 + i for i in range(200)]
    assert sorted(k for k, _ in seen) == list(range(len(seen))) and len(seen) > 10
    assert all(name.startswith("planbook-parse") for _, name in seen)


@pytest.mark.parametrize("at", [5, 60, 118])
def test_a_ragged_row_stops_every_parse_thread(
    root: Path, small_reads: None, monkeypatch: pytest.MonkeyPatch, at: int
) -> None:
    """A segment pyarrow cannot read releases the threads waiting to place the
    segments after it: the read falls back to the exact path instead of hanging."""
    import threading

    monkeypatch.setattr(reader, "WORKERS", 4)
    rows = [_row(i) for i in range(120)]
    rows[at] = "2026-09-03,ch1,camp1,12,3,4,5"  # one field too many
    data = ("\n".join([HEADER, *rows]) + "\n").encode()
    out: list[tuple] = []
    worker = threading.Thread(target=lambda: out.append(_both(root, monkeypatch, data)))
    worker.start()
    worker.join(60)
    assert not worker.is_alive(), "the segmented read hung"
    fast, exact, used = out[0]
    assert not used and _messages(fast) == _messages(exact)
    assert [d.line for d in fast.diagnostics] == [at + 2]


@pytest.mark.parametrize("column", [1, 2])
def test_a_dimension_cell_that_is_not_utf8_deep_in_the_file(
    root: Path, small_reads: None, monkeypatch: pytest.MonkeyPatch, column: int
) -> None:
    """Dimensions are read as bytes and checked once per distinct value: a cell that is
    not UTF-8 far below the head still hands the file to the exact reader, whose
    message names its line, as when pyarrow checked every cell."""
    rows = [_row(i).encode() for i in range(90)]
    fields = rows[70].split(b",")
    fields[column] = b"camp\xff\xfe"
    rows[70] = b",".join(fields)
    data = b"\n".join([HEADER.encode(), *rows]) + b"\n"
    fast, exact, used = _both(root, monkeypatch, data)
    assert not used and _messages(fast) == _messages(exact)
    (d,) = fast.diagnostics
    assert (d.line, d.rule) == (72, "data/encoding") and "line 72" in d.message
    assert len(fast.frame) == 0


def test_dimensions_read_as_bytes_come_back_as_their_text(
    root: Path, small_reads: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [f"2026-09-{1 + i % 28:02d},渠道{i % 3},活动-é-{i % 7},{i},1,2.5" for i in range(80)]
    fast, exact, used = _both(root, monkeypatch, ("\n".join([HEADER, *rows]) + "\n").encode())
    assert used and not fast.diagnostics
    for name in ("channel", "campaign"):
        assert fast.frame[name].cat.categories.dtype == "str"
        assert fast.frame[name].astype(str).tolist() == exact.frame[name].astype(str).tolist()
    assert fast.frame["campaign"].iloc[8] == "活动-é-1"


def test_a_dimension_read_as_it_is_keeps_the_readers_codes(
    root: Path, small_reads: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A dimension whose values need no change (text, none missing) is the reader's
    categorical itself in the table: its codes are not copied (a million rows: 1-2 MB
    a column at the loader's peak). One whose values change (Excel's ``="x"``) gets
    its own codes."""
    rows = [_row(i) for i in range(80)]
    rows[5] = '2026-09-06,"=""ch9""",camp0,1000,1,2.25'
    data = ("\n".join([HEADER, *rows]) + "\n").encode()
    (root / "data" / "m.csv").write_bytes(data)
    raws = spy_fast(monkeypatch)
    table = DataStore(root).load(root / "data" / "m.csv")
    (raw,) = raws
    assert raw is not None
    campaign, channel = table.frame["campaign"].array, table.frame["channel"].array
    assert np.shares_memory(campaign.codes, raw.frame["c2"].array.codes)
    assert not np.shares_memory(channel.codes, raw.frame["c1"].array.codes)
    assert channel[5] == "ch9" and channel[6] == "ch0" and campaign[79] == "camp4"
