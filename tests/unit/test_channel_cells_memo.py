"""Channel cells are kept by what they are drawn from (issue 12): plans that show the
same channel table get the same cells, formatted once; any other value, column, format,
partial total or formatter is formatted anew, and a kept table reads exactly as a fresh
one (-0.0 beside 0.0, huge, non-finite and missing values, both languages)."""

from __future__ import annotations

from types import SimpleNamespace as NS

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planbook.format import Formatter
from planbook.views import render
from planbook.views.render import _channel_cells, channel_cells

IDS = ("spend", "clicks", "cpc", "roi")
FORMATS = {"spend": "currency", "clicks": "number", "cpc": "decimal", "roi": "percent"}
VALUE = st.one_of(
    st.none(),
    st.sampled_from([0.0, -0.0, 1e308, -1e308, 1e18, 12.5, 0.05, 3.0]),
    st.floats(allow_nan=True, allow_infinity=True),
)


def _columns(ids):
    return [NS(id=i, format=FORMATS[i]) for i in ids]


def _breakdown(table, total, partial):
    rows = [NS(key=f"c{k}<", values=dict(zip(IDS, vs, strict=True))) for k, vs in enumerate(table)]
    return NS(
        rows=rows,
        total=NS(values=dict(zip(IDS, total, strict=True))) if total is not None else None,
        partial={i: (1, 1) for i in partial},
    )


def _same(a, b) -> bool:
    return (a.cols, [str(r) for r in a.rows], str(a.total)) == (
        b.cols,
        [str(r) for r in b.rows],
        str(b.total),
    )


@settings(max_examples=200, deadline=None)
@given(
    table=st.lists(st.tuples(VALUE, VALUE, VALUE, VALUE), max_size=5),
    total=st.one_of(st.none(), st.tuples(VALUE, VALUE, VALUE, VALUE)),
    partial=st.sets(st.sampled_from(IDS)),
    flip=st.booleans(),
    language=st.sampled_from(["zh", "en"]),
    ids=st.sampled_from([IDS, IDS[:2], ("roi", "spend")]),
)
def test_a_kept_table_reads_as_a_fresh_one(table, total, partial, flip, language, ids) -> None:
    fmt = Formatter(language, "CNY")
    first = _breakdown(table, total, partial)
    channel_cells(first, _columns(ids), fmt)

    # the same table again, its zeros' signs flipped: -0.0 == 0.0 finds the kept cells
    def signed(vs):
        return tuple((-v if v == 0 and flip else v) if v is not None else v for v in vs)

    again = _breakdown([signed(vs) for vs in table], signed(total) if total else None, partial)
    got = channel_cells(again, _columns(ids), fmt)
    rows = [*again.rows, *([again.total] if again.total else [])]
    assert _same(got, _channel_cells(again, _columns(ids), fmt, rows))


@pytest.mark.parametrize("language", ["zh", "en"])
def test_the_same_table_is_formatted_once(monkeypatch, language) -> None:
    calls = []
    real = render._channel_cells

    def counted(*args):
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(render, "_channel_cells", counted)
    fmt = Formatter(language, "CNY")
    table = [(1e6, 10.0, 2.5, 0.3), (-0.0, None, float("inf"), -0.5)]
    total = (1e6, 10.0, 2.5, 0.25)
    first = channel_cells(_breakdown(table, total, {"cpc"}), _columns(IDS), fmt)
    assert channel_cells(_breakdown(table, total, {"cpc"}), _columns(IDS), fmt) is first
    assert len(calls) == 1
    # another value, partial total, column list, format or formatter: formatted anew
    other = [(1e6, 11.0, 2.5, 0.3), table[1]]
    channel_cells(_breakdown(other, total, {"cpc"}), _columns(IDS), fmt)
    channel_cells(_breakdown(table, total, set()), _columns(IDS), fmt)
    channel_cells(_breakdown(table, None, {"cpc"}), _columns(IDS), fmt)
    channel_cells(_breakdown(table, total, {"cpc"}), _columns(IDS[:3]), fmt)
    money = [NS(id=i, format="currency") for i in IDS]
    channel_cells(_breakdown(table, total, {"cpc"}), money, fmt)
    channel_cells(_breakdown(table, total, {"cpc"}), _columns(IDS), Formatter(language, "USD"))
    assert len(calls) == 7
    # values that are not floats (ints from a site's own data): never kept
    ints = channel_cells(_breakdown([(1, 2, 3, 4)], None, set()), _columns(IDS), fmt)
    assert channel_cells(_breakdown([(1, 2, 3, 4)], None, set()), _columns(IDS), fmt) is not ints
