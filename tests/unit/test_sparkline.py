"""The goals table's sparkline: one SVG path, coordinates inside the box, text escaped."""

from __future__ import annotations

import re
from types import SimpleNamespace

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from planbook.views.sparkline import path_data, points, sparkline


class _Kpi:
    def __init__(self, label: str) -> None:
        self._label = label

    def label(self, language: str) -> str:
        return self._label


def goal(values, target=10.0, label="CTR", status="on_track", kpi=True):
    days = pd.date_range("2026-09-01", periods=len(values), freq="D")
    return SimpleNamespace(
        series=pd.Series(values, index=days, dtype="float64"),
        goal=SimpleNamespace(target=target, kpi="ctr"),
        kpi=_Kpi(label) if kpi else None,
        format="number",
        status=status,
    )


def coords(svg: str) -> list[tuple[float, float]]:
    d = re.search(r'<path class="pb-spark__line" d="M([^"]+)"/>', svg).group(1)
    return [tuple(float(v) for v in p.split(",")) for p in d.split("L")]


def test_one_path_with_every_point_inside_the_box():
    svg = str(sparkline(goal([1, 5, 3, 8, 2]), None, "en"))
    assert svg.startswith('<svg class="pb-spark pb-status--on_track" role="img"')
    assert svg.count("<path") == 1 and "<polyline" not in svg and svg.count("<circle") == 1
    pts = coords(svg)
    assert len(pts) == 5
    assert pts[0] == (2.0, pts[0][1]) and pts[-1][0] == 94.0  # first and last x at the pads
    assert all(2 <= x <= 94 and 2 <= y <= 22 for x, y in pts)
    assert [x for x, _ in pts] == sorted(x for x, _ in pts)
    # the highest value is drawn highest: the target (10) is the top of the box
    assert re.search(r'y1="2" y2="2"', svg)
    end = re.search(r'cx="([\d.]+)" cy="([\d.]+)"', svg).groups()
    assert (float(end[0]), float(end[1])) == pts[-1]


def test_long_series_weekly_counted_back_from_the_last_day():
    values = list(range(100))
    pts = coords(str(sparkline(goal(values, target=50), None, "en")))
    # days 99, 92, ... 1: 15 points, the last day always drawn
    assert len(pts) == 15
    svg = str(sparkline(goal(values, target=50), None, "en"))
    assert 'aria-label="CTR trend: 1 → 99"' in svg


def test_labels_and_status_are_escaped():
    hostile = '<script>alert("x")</script> & "q"'
    svg = str(sparkline(goal([1, 2, 3], label=hostile, status='x" onload="y'), None, "en"))
    assert "<script>" not in svg and 'onload="y' not in svg
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#34;q&#34;" in svg
    zh = str(sparkline(goal([1, 2, 3]), None, "zh"))
    assert 'aria-label="CTR 走势：1 → 3"' in zh


def test_missing_and_non_finite_values_never_reach_the_markup():
    svg = str(sparkline(goal([1, np.nan, np.inf, 4, -np.inf, 2]), None, "en"))
    assert len(coords(svg)) == 3
    assert "nan" not in svg.lower() and "inf" not in svg.lower()
    huge = str(sparkline(goal([-1e308, 1e308, 0], target=float("inf")), None, "en"))
    assert all(0 <= y <= 24 for _, y in coords(huge)) and "nan" not in huge.lower()
    assert str(sparkline(goal([5]), None, "en")) == ""
    assert str(sparkline(goal([np.nan, 1, np.nan]), None, "en")) == ""
    assert str(sparkline(goal([]), None, "en")) == ""


def test_flat_series_and_no_kpi_object():
    svg = str(sparkline(goal([3, 3, 3], target=3, kpi=False), None, "en"))
    assert 'aria-label="ctr trend: 3 → 3"' in svg
    assert len(set(y for _, y in coords(svg))) == 1


def test_path_data_writes_numbers_as_g():
    xy = points(np.array([0.0, 1.0]), 0.0, 1.0, 96, 24)
    assert path_data(xy) == "M2,22L94,2"


def test_the_drawn_path_is_the_points_written_as_path_data():
    # sparkline writes x from a per-length cache and y in one pass with the target:
    # the same coordinates as points() and path_data() give, for every series length
    rng = np.random.default_rng(7)
    for n in (2, 3, 7, 39, 40):
        values = np.cumsum(rng.normal(size=n)) * 1234.5
        svg = str(sparkline(goal(list(values), target=-3.0), None, "en"))
        lo, hi = min(values.min(), -3.0), max(values.max(), -3.0)
        d = path_data(points(values, lo, hi, 96, 24))
        assert f'd="{d}"' in svg
        x, y = d.rsplit("L", 1)[-1].split(",")
        assert f'cx="{x}" cy="{y}"' in svg


def test_plain_y_is_numpys_y_for_every_kind_of_value():
    from planbook.views.sparkline import _y, _y_list

    rng = np.random.default_rng(3)
    odd = [np.nan, np.inf, -np.inf, 1e308, -1e308, 0.0, -0.0, 5e-324, 0.05, 0.15, 0.25]
    for _ in range(200):
        scaled = rng.normal(size=30) * 10.0 ** rng.integers(-3, 9)
        values = [*scaled.tolist(), *rng.choice(odd, 5).tolist()]  # floats, as sparkline has
        lo, span = float(rng.normal()), float(rng.choice([1.0, 1e-9, 3.7, 1e300]))
        assert _y_list(values, lo, span, 24) == _y(np.array(values), lo, span, 24).tolist()


@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=45),
    lo=st.floats(allow_nan=False, allow_infinity=False),
    span=st.one_of(st.just(1.0), st.floats(min_value=1e-300, max_value=1e300)),
    height=st.integers(4, 400),
)
def test_plain_y_is_numpys_y_for_any_floats(
    values: list[float], lo: float, span: float, height: int
) -> None:
    # the comprehension's clip (comparisons, no min/max) against numpy's clip:
    # NaN, infinities, -0.0, huge and subnormal values, points on the box's edges
    from planbook.views.sparkline import _y, _y_list

    plain = _y_list(values, lo, span, height)
    assert plain == _y(np.array(values, dtype="float64"), lo, span, height).tolist()
    assert all(0.0 <= y <= height for y in plain)
    assert [str(y) for y in plain] == [
        str(y) for y in _y(np.array(values, dtype="float64"), lo, span, height).tolist()
    ]  # the same zeros too (a "-0" would reach the path's text)
