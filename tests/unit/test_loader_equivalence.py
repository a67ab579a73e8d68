"""The fast reader's measures against the exact reader's (issue 12): the parse threads
convert each segment's measures (``1,234`` in quoted cells read as numbers) and write
them straight into the columns; whatever the cells, the segment size and the number of
threads, the table and the messages are the ones the ``csv``-module path gives."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from planbook.data import DataStore
from planbook.sources import files, reader
from planbook.sources.categories import code_type
from tests.unit.loader_spy import spy_fast

_PLAIN = st.one_of(
    st.integers(min_value=-(10**15), max_value=10**15).map(str),
    st.floats(allow_nan=False, allow_infinity=False, width=64).map(repr),
    st.sampled_from(["0", "-0", "-0.0", "+5", "007", "1e308", "-1e308", "2.5e-300", "0.1"]),
)
_GROUPED = st.integers(min_value=1000, max_value=10**12).map(
    lambda v: f'"{v:,}"'
) | st.sampled_from(['"-12,345.5"', '"1,234"', '"0,000"'])
_MISSING = st.sampled_from(["", "--", "N/A", "nan", "NaN", "null"])
_ODD = st.sampled_from(["1e309", "-1e309", "inf", "abc", '"1,2,3"'])


def _cells(odd: bool) -> st.SearchStrategy[str]:
    parts = [_PLAIN, _PLAIN, _GROUPED, _MISSING] + ([_ODD] if odd else [])
    return st.one_of(*parts)


def _text(rows: list[tuple[str, str]]) -> bytes:
    lines = ["date,channel,impressions,spend"]
    for i, (a, b) in enumerate(rows):
        lines.append(f"2026-09-{1 + i % 28:02d},ch{i % 3},{a},{b}")
    return ("\n".join(lines) + "\n").encode()


def _bits(values: pd.Series) -> list[object]:
    """Values compared bit for bit (``-0.0`` is not ``0.0``), every NaN alike."""
    out = values.to_numpy(dtype=np.float64, na_value=np.nan)
    return ["nan" if np.isnan(v) else int(np.float64(v).view(np.int64)) for v in out]


def _read(
    data: bytes,
    engine: str,
    segment: int,
    workers: int,
    raws: list | None = None,
    block: int = reader.PARSE_BLOCK,
) -> tuple:
    """The table, its messages and whether the fast path read it (its ``Raw`` goes to
    ``raws`` when given)."""
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as mp:
        root = Path(tmp)
        (root / "data").mkdir()
        (root / "data" / "m.csv").write_bytes(data)
        mp.setattr(files, "ENGINE", engine)
        mp.setattr(files, "HEAD", 256)
        mp.setattr(reader, "SEGMENT", segment)
        mp.setattr(reader, "WORKERS", workers)
        mp.setattr(reader, "PARSE_BLOCK", block)
        results = spy_fast(mp)
        table = DataStore(root).load(root / "data" / "m.csv")
    messages = [(d.line, d.field, d.rule, d.message) for d in table.diagnostics]
    if raws is not None:
        raws.extend(results)
    return table, messages, bool(results and results[0] is not None)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(st.tuples(_cells(False), _cells(False)), min_size=1, max_size=60),
    segment=st.sampled_from([64, 200, 1 << 20]),
    workers=st.integers(min_value=1, max_value=4),
    block=st.sampled_from([256, 1 << 19]),
)
def test_numbers_read_by_the_parse_threads_are_the_exact_readers(
    rows: list[tuple[str, str]], segment: int, workers: int, block: int
) -> None:
    """... also when pyarrow parses a segment in several blocks (``PARSE_BLOCK``)."""
    data = _text(rows)
    fast, fast_messages, used = _read(data, "pyarrow", segment, workers, block=block)
    event("fast path" if used else "exact path")
    exact, exact_messages, _ = _read(data, "exact", segment, workers)
    assert fast_messages == exact_messages
    assert list(fast.frame.columns) == list(exact.frame.columns)
    for m in ("impressions", "spend"):
        assert fast.frame[m].dtype == np.float64
        assert _bits(fast.frame[m]) == _bits(exact.frame[m]), m
    assert fast.frame["channel"].astype(str).tolist() == exact.frame["channel"].astype(str).tolist()
    if used:
        assert len(fast.frame) == len(rows)


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(st.tuples(_cells(True), _cells(True)), min_size=1, max_size=40),
    segment=st.sampled_from([64, 200]),
    workers=st.integers(min_value=1, max_value=4),
)
def test_non_finite_and_text_cells_give_the_exact_readers_messages(
    rows: list[tuple[str, str]], segment: int, workers: int
) -> None:
    data = _text(rows)
    fast, fast_messages, used = _read(data, "pyarrow", segment, workers)
    event("fast path" if used else "exact path")
    exact, exact_messages, _ = _read(data, "exact", segment, workers)
    assert fast_messages == exact_messages
    assert len(fast.frame) == len(exact.frame)
    for m in ("impressions", "spend"):
        assert _bits(fast.frame[m]) == _bits(exact.frame[m]), m


def test_the_fast_path_reads_zero_huge_and_grouped_numbers() -> None:
    """The cells the properties above mix, read by the fast path itself (not handed to
    the exact reader), across segments on several threads. ``-0`` is 0 whichever way
    pyarrow typed its column (as an integer it has no sign; as a float or as text with
    separators it had one), as in the exact reader."""
    rows = [("-0", '"1,234"'), ("1e308", "-0.0"), ('"12,345,678"', "2.5e-300")] * 30
    fast, messages, used = _read(_text(rows), "pyarrow", 64, 4)
    assert used and not messages
    imp = fast.frame["impressions"].to_numpy()
    assert imp[0] == 0 and imp[1] == 1e308 and imp[2] == 12345678
    spend = fast.frame["spend"].to_numpy()
    assert spend[0] == 1234 and spend[1] == 0 and spend[2] == 2.5e-300
    assert not np.signbit(imp[::3]).any() and not np.signbit(spend[1::3]).any()
    exact, _, _ = _read(_text(rows), "exact", 64, 4)
    assert not np.signbit(exact.frame["spend"].to_numpy()).any()


@settings(max_examples=100, deadline=None)
@given(
    offsets=st.lists(st.none() | st.integers(min_value=0, max_value=400), max_size=50),
    base=st.integers(min_value=-30_000, max_value=30_000),
    wide=st.booleans(),
    split=st.integers(min_value=1, max_value=7),
    sliced=st.booleans(),
)
def test_date_codes_from_day_numbers_name_the_same_day_for_every_row(
    offsets: list[int | None], base: int, wide: bool, split: int, sliced: bool
) -> None:
    """A typed date column coded from its day numbers, chunk by chunk in place: each
    row's code names its own day (missing: -1), the days are distinct and sorted,
    whatever the chunks, their offsets and nulls; a span too wide for 16-bit codes is
    left to Arrow's dictionary encoding."""
    import pyarrow as pa

    from planbook.sources.coded import day_codes as _day_codes

    days = [None if d is None else base + d for d in offsets]
    if wide and days:
        days[-1] = base + (1 << 15)
    chunks = [pa.array(days[i : i + split], pa.date32()) for i in range(0, len(days), split)]
    column = pa.chunked_array(chunks, pa.date32())
    if sliced and days:  # chunks that start inside their buffers
        column, days = column.slice(1), days[1:]
    got = _day_codes(column)
    present = [d for d in days if d is not None]
    if not present or max(present) - min(present) >= 1 << 15:
        assert got is None
        return
    assert got is not None
    codes, uniq = got
    assert codes.dtype == np.int16 and len(codes) == len(days)
    assert uniq.astype(np.int64).tolist() == sorted(set(present))
    for code, day in zip(codes.tolist(), days, strict=True):
        assert (code == -1) if day is None else int(uniq[code].astype(np.int64)) == day


_WORDS = st.sampled_from(
    ["baidu", "渠道", "a b", '"x,y"', "", "N/A", "-", "None", "NA", " padded ", "é", "Total Brand"]
)


@settings(max_examples=40, deadline=None)
@given(
    rows=st.lists(
        st.tuples(_WORDS, st.integers(min_value=0, max_value=299)), min_size=1, max_size=400
    ),
    segment=st.sampled_from([64, 200, 1 << 20]),
    workers=st.integers(min_value=1, max_value=4),
    block=st.sampled_from([256, 1 << 19]),
)
@example(rows=[("渠道", i) for i in range(300)], segment=200, workers=3, block=256)
@example(rows=[("渠道", i) for i in range(300)], segment=1 << 20, workers=2, block=256)
def test_dimensions_numbered_across_segments_are_the_exact_readers(
    rows: list[tuple[str, int]], segment: int, workers: int, block: int
) -> None:
    """Dimensions are numbered segment by segment as the parse threads hand them over
    (``categories.Categories``): the same values, in the order first seen, as the exact
    reader's; the codes the reader hands over are the narrowest pandas keeps (int8 up to
    126 values, then int16), whatever the segment size and the number of threads."""
    lines = ["date,channel,campaign,impressions"]
    for i, (word, camp) in enumerate(rows):
        lines.append(f"2026-09-{1 + i % 28:02d},{word},活动-{camp:03d},{i}")
    data = ("\n".join(lines) + "\n").encode()
    raws: list = []
    fast, fast_messages, used = _read(data, "pyarrow", segment, workers, raws, block)
    event("fast path" if used else "exact path")
    exact, exact_messages, _ = _read(data, "exact", segment, workers)
    assert fast_messages == exact_messages
    for name in ("channel", "campaign"):
        got, want = fast.frame[name], exact.frame[name]
        assert got.astype(str).tolist() == want.astype(str).tolist(), name
        assert list(got.cat.categories) == list(want.cat.categories), name
    if used:
        raw = raws[0].frame
        for name in ("c1", "c2"):
            column = raw[name]
            assert column.cat.categories.dtype == "str"
            assert column.cat.codes.dtype == code_type(len(column.cat.categories))


def test_dimension_codes_take_the_type_pandas_keeps() -> None:
    """``code_type`` is pandas' own choice for a categorical of that many values, so
    ``Categorical.from_codes`` keeps the codes it is given (no copy of a million)."""
    for count in (1, 126, 127, 128, 32766, 32767, 32768):
        codes = np.zeros(3, dtype=code_type(count))
        made = pd.Categorical.from_codes(codes, categories=pd.RangeIndex(count), validate=False)
        assert made.codes.dtype == code_type(count), count


def _typed_dates(days: list[int | None], split: int, sliced: bool) -> tuple[pd.Series, list]:
    """A ``date32`` column in chunks of ``split`` rows, as the fast reader hands it to
    the conversion (an Arrow-backed series), and the day numbers it holds."""
    import pyarrow as pa

    chunks = [pa.array(days[i : i + split], pa.date32()) for i in range(0, len(days), split)]
    column = pa.chunked_array(chunks, pa.date32())
    if sliced and days:  # chunks that start inside their buffers
        column, days = column.slice(1), days[1:]
    return pd.Series(pd.arrays.ArrowExtensionArray(column)), days


@settings(max_examples=100, deadline=None)
@given(
    offsets=st.lists(st.none() | st.integers(min_value=0, max_value=400), min_size=1, max_size=50),
    base=st.sampled_from([-106_900, -106_751, -30_000, 0, 20_000, 106_400, 106_751, 200_000]),
    split=st.integers(min_value=1, max_value=7),
    sliced=st.booleans(),
)
def test_typed_dates_straight_from_their_day_numbers_are_the_gathered_ones(
    offsets: list[int | None], base: int, split: int, sliced: bool
) -> None:
    """A typed date column's rows as ``datetime64[ns]`` made from the day numbers
    (``Text.dates``: no codes, no gather) are bit for bit the ones the codes pick from
    the distinct days (``parsed[codes]``, NaT where missing); days the nanosecond range
    does not hold (before 1677-09-22, after 2262-04-11: ``astype`` wraps them around)
    are NaT in ``parsed`` and left to the gather. Asking for the codes afterwards gives ``day_codes``' own."""
    from planbook.sources.coded import Text as _Text
    from planbook.sources.coded import day_codes as _day_codes

    s, days = _typed_dates([None if d is None else base + d for d in offsets], split, sliced)
    text = _Text(s, False, "utf-8")
    present = [d for d in days if d is not None]
    if not present:
        return  # dictionary-encoded, as before
    direct = text.dates()
    assert text.missing == (len(present) < len(days))
    codes = text.codes
    expected = np.append(text.parsed, np.datetime64("NaT", "ns"))[
        np.where(codes < 0, len(text.parsed), codes)
    ]
    inside = min(present) >= -106_751 and max(present) <= 106_751
    far = [d for d in present if not -106_751 <= d <= 106_751]
    assert np.isnat(text.parsed).sum() == len(set(far))
    if direct is None:
        assert not inside
    else:
        assert inside
        assert direct.dtype == np.dtype("datetime64[ns]") and len(direct) == len(days)
        assert direct.view(np.int64).tolist() == expected.view(np.int64).tolist()
    import pyarrow as pa

    coded = _day_codes(pa.chunked_array(s.array.__arrow_array__().chunks, pa.date32()))
    assert coded is not None
    assert codes.dtype == coded[0].dtype and codes.tolist() == coded[0].tolist()
    assert text.dates() is None  # once coded, the caller gathers


def test_dates_of_a_file_without_missing_days_are_never_coded(monkeypatch) -> None:
    """The usual export (an ISO day in every row, no totals label in the date column)
    makes no per-row day codes: the rows' dates come straight from the day numbers
    (counted: ``day_codes`` is not called). A missing day or a blank summary row still
    get their messages, from the codes made when first asked for; a bad day or a totals
    label leave the column as text, coded as before. The same tables and messages as
    the exact reader."""
    from planbook.sources import coded

    calls: list[int] = []
    real = coded.day_codes
    monkeypatch.setattr(coded, "day_codes", lambda *a: calls.append(1) or real(*a))
    body = "".join(
        f"2026-{1 + i % 12:02d}-{1 + i % 28:02d},ch{i % 3},{i},{i * 1.5}\n" for i in range(900)
    )
    head = "date,channel,impressions,spend\n"
    cases = {
        "plain": (head + body, 0),
        "missing": (head + body + ",ch1,5,6\n" + body, 1),
        "bad": (head + body + "2026-02-30,ch1,5,6\n", 0),  # text: the dates are not typed
        "totals": (head + body + "Total,,9,9\n", 0),  # text again
        "summary": (head + "2026-09-01,,3,4.5\n2026-09-01,a,1,1.5\n2026-09-01,b,2,3\n", 1),
        "crlf": ((head + body).replace("\n", "\r\n"), 0),
        "bom": ("\ufeff" + head + body, 0),
        "gbk": ("日期,渠道,展现量,消费\n" + body.replace("ch1", "渠道"), 0),
        "nul": (head + body.replace("ch2", "c\x00h"), 0),
        "quoted newline": (head + body + '2026-09-01,"a\nb",1,2\n,ch1,3,4\n' + body, 1),
        # the fast path gives this one to the exact reader
        "truncated": (head + body + "2026-09-01,ch1", None),
    }
    for name, (text, made) in cases.items():
        calls.clear()
        data = text.encode("gbk" if name == "gbk" else "utf-8")
        fast, fast_messages, used = _read(data, "pyarrow", 4096, 2)
        assert used == (made is not None), name
        assert len(calls) == (made or 0), name
        exact, exact_messages, _ = _read(data, "exact", 4096, 2)
        assert fast_messages == exact_messages, name
        assert fast.frame["date"].dtype == exact.frame["date"].dtype, name
        assert fast.frame["date"].to_numpy().view(np.int64).tolist() == (
            exact.frame["date"].to_numpy().view(np.int64).tolist()
        ), name


def test_days_beyond_the_nanosecond_range_are_unreadable_not_another_century() -> None:
    """numpy turns a day beyond 1677-09-22 .. 2262-04-11 into a date of another century
    without a word (2600-01-05 read as 2015-06-17, inside a plan's period): typed by
    pyarrow or read as text, such a row is excluded with a bad-date warning naming its
    line and its text, alike on both paths; the days at the edges are kept."""
    from planbook.sources.values import parse_dates

    got = parse_dates(["2600-01-05", "1600-03-01", "1677-09-21", "1677-09-22", "2262-04-11"])
    assert np.isnat(got).tolist() == [True, True, True, False, False]
    assert str(got[4])[:10] == "2262-04-11" and str(got[3])[:10] == "1677-09-22"
    body = "".join(f"2026-09-{1 + i % 28:02d},ch{i % 3},{i},{i * 1.5}\n" for i in range(50))
    text = "date,channel,impressions,spend\n" + body + "2600-01-05,ch1,5,6\n2262-04-11,ch2,1,1\n"
    fast, fast_messages, used = _read(text.encode(), "pyarrow", 4096, 2)
    exact, exact_messages, _ = _read(text.encode(), "exact", 4096, 2)
    assert used and fast_messages == exact_messages
    assert [(line, rule) for line, _, rule, _ in fast_messages] == [(52, "data/bad-date")]
    assert "2600-01-05" in fast_messages[0][3]
    for table in (fast, exact):
        assert len(table.frame) == 51
        assert str(table.frame["date"].min())[:10] == "2026-09-01"
        assert str(table.frame["date"].max())[:10] == "2262-04-11"
