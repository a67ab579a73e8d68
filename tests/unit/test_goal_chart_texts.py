"""A goal chart's hover texts and table rows: each value's text in the tables' format
(Formatter.values / dates, issue 12), the same as value() and date() write one at a time,
for a hostile series too."""

from __future__ import annotations

import dataclasses
import math
from datetime import date

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planbook.format import Formatter, is_missing
from planbook.metrics.targets import expected_at
from planbook.views.charts.common import _T, esc, nums
from planbook.views.charts.goals import _escaped, _goal_figure

from .test_charts import evaluate, rows

HOSTILE = [
    math.nan,
    math.inf,
    -math.inf,
    -0.0,
    0.0,
    5e-324,
    -5e-324,
    0.005,
    0.0005,
    2.675,
    99.995,
    9_999.995,
    99_999.995,
    1e15,
    1e17,
    1e18,
    1e300,
    -1e300,
    -12_345.678,
]


def hostile_series(n: int, start: str = "2026-09-07") -> pd.Series:
    """``n`` days whose values cycle through HOSTILE and ordinary figures."""
    rng = np.random.default_rng(n)
    scale = 10.0 ** rng.integers(-4, 6, n)  # 0.0001 to 100,000: every unit and decimals
    ordinary = (rng.uniform(-2, 2, n) * scale).tolist()
    values = [HOSTILE[i // 3 % len(HOSTILE)] if i % 3 == 0 else ordinary[i] for i in range(n)]
    return pd.Series(values, index=pd.date_range(start, periods=n, freq="D"), dtype="float64")


def one_by_one(g, fmt: Formatter) -> tuple[list[str], list[list[str]]]:
    """The hover texts and table rows as value() and date() write them, one call each
    (the texts before Formatter.values)."""
    values = g.series.to_numpy(dtype="float64")
    days = np.asarray(g.series.index, dtype="datetime64[D]")
    if len(values) > 190:
        picked = np.arange(len(values) - 1, -1, -7)[::-1]
        days, values = days[picked], values[picked]
    ys = nums(values)
    hover = [
        esc(fmt.value(None if y is None else v, g.format))
        for v, y in zip(values.tolist(), ys, strict=True)
    ]
    if len(values) > 60:
        at = np.arange(len(values) - 1, -1, -7)[::-1]
        days, values = days[at], values[at]
    line = g.line or [(g.start, g.goal.baseline), (g.goal.deadline, g.goal.target)]
    table = [
        [
            fmt.date(d),
            fmt.value(None if is_missing(v) else v, g.format),
            fmt.value(expected_at(line, d), g.format),
        ]
        for d, v in zip(days.tolist(), values.tolist(), strict=True)
    ]
    return hover, table


@pytest.fixture(scope="module")
def views(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The chart tests' plan, evaluated once per language (two channels, 14 days)."""
    return {
        language: evaluate(
            tmp_path_factory.mktemp(language), rows(social="<b>x&y</b>"), language=language
        )
        for language in ("zh", "en")
    }


@pytest.fixture(scope="module")
def goals(views: dict) -> dict:
    return {language: view.goals[0] for language, view in views.items()}


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("days", [14, 75, 400])  # daily; a weekly table; weekly points
@pytest.mark.parametrize("kind", ["percent", "number", "currency", "decimal"])
def test_goal_chart_texts_of_a_hostile_series(goals, language, days, kind):
    goal = goals[language]
    kpi = dataclasses.replace(goal.kpi, format=kind) if goal.kpi else None
    g = dataclasses.replace(goal, series=hostile_series(days), kpi=kpi)
    assert g.format == kind
    currency = "CNY" if language == "zh" else "USD"
    chart = _goal_figure(g, _T(language), Formatter(language, currency), compact=False)
    hover, table = one_by_one(g, Formatter(language, currency))
    assert chart.figure["data"][0]["text"] == hover
    assert chart.rows == table
    assert "—" in hover  # NaN and infinite values read as missing ones
    if days == 75:  # every hostile value is plotted
        assert {"1e+18", "1e+300", "-1e+300"} <= set(hover)


def test_escaped_is_esc_of_each_text():
    plain = ["¥1.23万", "—", "12.5%", "-$0.00"]
    assert _escaped(plain) == [esc(t) for t in plain] and _escaped(plain) is not plain
    marked = ["<b>1</b>", "a & b", "x>y", "ok"]
    assert (
        _escaped(marked)
        == [esc(t) for t in marked]
        == ["&lt;b&gt;1&lt;/b&gt;", "a &amp; b", "x&gt;y", "ok"]
    )


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize(
    ("kpi", "by", "every"),
    [("ctr", "channel", "day"), ("clicks", None, "week"), ("cpc", "channel", "week")],
)
def test_trend_texts_read_as_value_writes_each(views, monkeypatch, language, kpi, by, every):
    """A trend's hover texts and table cells are each period's KPI value as value()
    writes it (the hover escaped), its dates as date() writes them."""
    from planbook.views.charts import build_charts, goals

    drawn = []
    real = goals._trend_matrix

    def keeping(*args):
        drawn.append(real(*args))
        return drawn[-1]

    monkeypatch.setattr(goals, "_trend_matrix", keeping)
    goals._TRENDS.clear()
    options = {"every": every, **({"by": by} if by else {})}
    (chart,) = build_charts("kpi_trend", views[language], (kpi,), options, language=language)
    (_, matrix, periods), fmt = drawn[0], Formatter(language)
    matrix = matrix[:, ~np.isnan(matrix).all(axis=0)]  # a series without a value is left out
    kind = views[language].registry.get(kpi).format
    traces = chart.figure["data"]
    assert len(traces) == matrix.shape[1] >= 1
    for i, trace in enumerate(traces):
        assert trace["text"] == [esc(fmt.value(v, kind)) for v in matrix[:, i].tolist()]
    assert chart.rows == [
        [fmt.date(p.date()), *[fmt.value(v, kind) for v in matrix[j].tolist()]]
        for j, p in enumerate(periods)
    ]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31)),
            st.one_of(st.integers(-(10**6), 10**6), st.floats(allow_nan=False, width=64)),
        ),
        min_size=1,
        max_size=6,
    ),
    st.lists(st.dates(min_value=date(2025, 12, 1), max_value=date(2027, 1, 31)), max_size=60),
    st.booleans(),
    st.booleans(),
)
def test_expected_along_the_line_is_expected_at_each_day(line, days, sort_line, sort_days):
    """The same numbers (and types: an int baseline stays an int) as expected_at, for
    lines and days in order or not, milestones on one day, any values."""
    from planbook.metrics.targets import expected_along

    if sort_line:
        line = sorted(line, key=lambda p: p[0])
    if sort_days:
        days = sorted(days)
    want = [expected_at(line, d) for d in days]
    got = expected_along(line, days)
    assert [repr(v) for v in got] == [repr(v) for v in want]
