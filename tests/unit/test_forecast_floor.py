"""A forecast never goes below the least value its KPI can have (outside report F6).

The tester's shape: seven days of data (2026-09-01 .. 07) and a deadline months away
(2026-12-31), on a falling trend. The daily sums below are those of the tester's 巨量引擎
GBK export (``files/oceanengine``, plan ``t-oe-gbk``: 项目 × 广告 by day, ``消耗`` /
``展示数`` / ``点击数`` / ``转化数``), where the KPI table showed CTR -31.4 % and CPA
-¥79.31 at the deadline.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from planbook.columns import MEASURES
from planbook.frontmatter import Locations
from planbook.messages import say
from planbook.metrics import formula as fx
from planbook.metrics.kpis import (
    BUILTIN_KPIS,
    KpiRegistry,
    MetricFrame,
    PacingConfig,
    bounded_forecast,
    evaluate_goal,
)
from planbook.model import Goal, Plan

DAYS = pd.date_range("2026-09-01", periods=7, freq="D")
OCEANENGINE = {
    "impressions": [134919, 111102, 123478, 85077, 69933, 117137, 73505],
    "clicks": [6133, 3987, 2370, 1391, 2432, 1753, 3666],
    "spend": [11883.36, 12658.74, 6087.90, 4027.94, 9440.24, 3245.69, 13297.07],
    "conversions": [80, 41, 64, 39, 49, 39, 85],
}


def data(**columns: list[float]) -> MetricFrame:
    values = columns or OCEANENGINE
    return MetricFrame(
        pd.DataFrame({"date": DAYS, "channel": "douyin", **{k: v for k, v in values.items()}})
    )


def plan(**kw: object) -> Plan:
    base = {"id": "p", "period": {"start": "2026-09-01", "end": "2026-12-31"}, **kw}
    return Plan.model_validate(base)


def evaluate(kpi: str, p: Plan | None = None, frame: MetricFrame | None = None, **kw: object):
    p = p or plan()
    frame = frame or data()
    g = Goal.model_validate(
        {"id": "g", "statement": "s", "kpi": kpi, "baseline": 0, "target": 1}
        | {"deadline": "2026-12-31"}
        | kw
    )
    return evaluate_goal(
        g,
        index=0,
        plan=p,
        data=frame,
        registry=KpiRegistry(p.kpis, frame.measures),
        as_of=None,
        pacing=PacingConfig(),
        file="content/p.md",
        locations=Locations(),
    )


def notes(r) -> list[str]:
    return [d.message for d in r.diagnostics if d.rule == "kpi/forecast-floor"]


def test_a_falling_ctr_has_no_forecast_below_zero() -> None:
    r = evaluate("ctr")
    assert r.actual == pytest.approx(21732 / 715151)
    assert (r.forecast, r.forecast_floor) == (None, 0.0)
    [d] = [d for d in r.diagnostics if d.rule == "kpi/forecast-floor"]
    assert (d.severity.value, d.field, d.file) == ("info", "plan.goals[0].kpi", "content/p.md")
    assert d.message == (
        "no forecast for ctr at the deadline 2026-12-31: the recent trend drawn out to it "
        "gives -31.36%, and ctr cannot be below 0%"
    )
    assert say(d.message, "zh") == (
        "ctr 在截止日 2026-12-31 无预测：按近期趋势外推到截止日为 -31.36%，而 ctr 不可能低于 0%"
    )


def test_a_falling_cpa_has_no_forecast_below_zero() -> None:
    r = evaluate("cpa", baseline=500, target=50)
    assert r.actual == pytest.approx(60640.94 / 397)
    assert (r.forecast, r.forecast_floor) == (None, 0.0)
    assert notes(r) == [
        "no forecast for cpa at the deadline 2026-12-31: the recent trend drawn out to it "
        "gives -79.31, and cpa cannot be below 0"
    ]


@pytest.mark.parametrize(
    ("aggregate", "window"), [("daily_mean", None), ("last", None), (None, "3d")]
)
def test_a_count_falling_by_day_or_window_has_no_negative_forecast(aggregate, window) -> None:
    kw = {k: v for k, v in (("aggregate", aggregate), ("window", window)) if v}
    r = evaluate("clicks", target=100000, **kw)
    assert r.actual is not None and r.actual > 0
    assert (r.forecast, r.forecast_floor) == (None, 0.0)


def test_a_running_total_keeps_its_forecast() -> None:
    r = evaluate("clicks", target=100000)
    assert r.forecast is not None and r.forecast > r.actual
    assert r.forecast_floor is None and notes(r) == []


def test_a_rising_rate_keeps_its_forecast() -> None:
    rising = dict(OCEANENGINE, clicks=[1000, 1500, 2000, 2500, 3000, 3500, 4000])
    r = evaluate("ctr", frame=data(**rising))
    assert r.forecast is not None and r.forecast > r.actual
    assert r.forecast_floor is None


def test_at_the_deadline_the_forecast_is_the_actual() -> None:
    r = evaluate("ctr", deadline="2026-09-05")
    assert r.forecast == r.actual and r.forecast_floor is None and notes(r) == []


def test_roi_floor_is_minus_one_hundred_percent() -> None:
    # revenue falling to nothing while spend stays: ROI tends to -100 %, never below.
    falling = dict(OCEANENGINE, revenue=[30000, 20000, 9000, 2000, 500, 100, 0])
    r = evaluate("roi", frame=data(**falling))
    assert (r.forecast, r.forecast_floor) == (None, -1.0)
    assert notes(r)[0].endswith("and roi cannot be below -100%")


def test_a_plan_formula_of_measures_is_bounded_and_a_difference_is_not() -> None:
    kpis = [
        {"id": "cost-per-mille-clicks", "label": "x", "formula": "spend / clicks * 1000"},
        {"id": "gap", "label": "m", "formula": "clicks - impressions"},
    ]
    p = plan(kpis=kpis)
    reg = KpiRegistry(p.kpis, data().measures)
    assert reg.get("cost-per-mille-clicks").floor == 0.0
    assert reg.get("gap").floor is None
    # Every built-in KPI is a rate, a cost or an average of what it counts: never
    # below 0, but ROI (revenue / spend - 1), never below -100 %.
    every = {k: KpiRegistry([], list(MEASURES)).get(k).floor for k in BUILTIN_KPIS}
    assert every == {k: -1.0 if k == "roi" else 0.0 for k in BUILTIN_KPIS}
    # A difference may be negative: its trend is a forecast like any other.
    m = evaluate("gap", p)
    assert m.forecast is not None and m.forecast < 0 and m.forecast_floor is None


def test_a_column_of_another_name_has_no_floor() -> None:
    falling = dict(OCEANENGINE, net_followers=[50, 30, 10, -5, -20, -40, -60])
    r = evaluate("net_followers", frame=data(**falling), aggregate="daily_mean")
    assert r.forecast is not None and r.forecast < 0 and r.forecast_floor is None


def test_bounded_forecast() -> None:
    assert bounded_forecast(None, 0.0, 1.0) == (None, None)
    assert bounded_forecast(-5.0, None, 1.0) == (-5.0, None)  # unbounded KPI
    assert bounded_forecast(0.0, 0.0, 1.0) == (0.0, None)
    assert bounded_forecast(-1e-17, 0.0, 0.03) == (0.0, None)  # rounding: the floor itself
    assert bounded_forecast(-0.314, 0.0, 0.03) == (None, 0.0)
    assert bounded_forecast(-1.2, -1.0, 0.5) == (None, -1.0)
    assert bounded_forecast(1e308, 0.0, 1.0) == (1e308, None)


@pytest.mark.parametrize(
    ("formula", "low"),
    [
        ("clicks / impressions", 0.0),
        ("spend / impressions * 1000", 0.0),
        ("revenue / spend - 1", -1.0),
        ("clicks * 2 - 3", -3.0),
        ("1 / (clicks + 1)", 0.0),
        ("0 * unknown", 0.0),
        ("revenue - spend", -math.inf),
        ("(revenue - spend) / spend", -math.inf),  # at least -1, but not seen so
        ("-clicks", -math.inf),
        ("unknown / clicks", -math.inf),
        ("spend / (clicks - impressions)", -math.inf),
        ("2 / -clicks", -math.inf),
    ],
)
def test_lower_bound(formula: str, low: float) -> None:
    known = {"clicks", "impressions", "spend", "revenue"}
    assert fx.lower_bound(fx.parse(formula), known.__contains__) == low


def test_lower_bound_of_a_huge_shared_expression_is_quick() -> None:
    # Expanded KPIs share sub-expressions: each is bounded once.
    e: fx.Expr = fx.Name("clicks")
    for _ in range(200):
        e = fx.BinOp("+", e, e)
    assert fx.lower_bound(e, {"clicks"}.__contains__) == 0.0
    assert np.isfinite(fx.lower_bound(fx.BinOp("/", e, fx.Num(1e300)), {"clicks"}.__contains__))
