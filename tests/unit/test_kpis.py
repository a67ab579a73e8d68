"""KPI engine: built-ins, plan formulas, aggregation, pacing, forecast, channel breakdown."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from planbook.frontmatter import Locations
from planbook.metrics.breakdown import breakdown
from planbook.metrics.kpis import (
    BUILTIN_KPIS,
    KpiError,
    KpiRegistry,
    MetricFrame,
    PacingConfig,
    check_kpis,
    evaluate_goal,
    pacing_status,
)
from planbook.model import Goal, Plan

START = date(2026, 9, 1)


def frame(days: int = 30, **per_day: float) -> MetricFrame:
    """Two channels; sem gets the given per-day values, social a tenth of them."""
    dates = pd.date_range(START, periods=days, freq="D")
    parts = []
    for channel, scale in (("sem", 1.0), ("social", 0.1)):
        data = {"date": dates, "channel": channel}
        data.update({k: np.full(days, v * scale) for k, v in per_day.items()})
        parts.append(pd.DataFrame(data))
    return MetricFrame(pd.concat(parts, ignore_index=True))


def plan(**kw: object) -> Plan:
    base = {"id": "p", "period": {"start": "2026-09-01", "end": "2026-12-31"}}
    base.update(kw)
    return Plan.model_validate(base)


def goal(**kw: object) -> Goal:
    base = {"id": "g", "statement": "s", "baseline": 0, "target": 1, "deadline": "2026-12-31"}
    base.update(kw)
    return Goal.model_validate(base)


def run(g: Goal, data: MetricFrame, p: Plan | None = None, as_of: date | None = None):
    p = p or plan()
    reg = KpiRegistry(p.kpis, data.measures)
    return evaluate_goal(
        g,
        index=0,
        plan=p,
        data=data,
        registry=reg,
        as_of=as_of,
        pacing=PacingConfig(),
        file="content/p.md",
        locations=Locations(),
    )


def test_builtins_resolve_to_their_measures():
    reg = KpiRegistry([], ["clicks", "impressions", "spend", "revenue"])
    assert reg.get("ctr").measures == ("clicks", "impressions")
    assert reg.get("roi").measures == ("revenue", "spend")
    assert set(BUILTIN_KPIS) >= {
        "ctr",
        "cpc",
        "cpm",
        "cvr",
        "cpa",
        "cac",
        "roas",
        "roi",
        "aov",
        "open_rate",
        "click_to_open_rate",
        "unsubscribe_rate",
        "interaction_rate",
        "retention",
    }


def test_ratio_kpi_is_a_ratio_of_sums():
    # sem: 100 clicks / 1000 impressions (10 %); social: 10 / 100 (10 %) but let social's
    # impressions be far higher on one channel so a mean of ratios would differ
    dates = pd.date_range(START, periods=2, freq="D")
    df = pd.DataFrame(
        {
            "date": list(dates) * 2,
            "channel": ["a", "a", "b", "b"],
            "clicks": [10.0, 10.0, 1.0, 1.0],
            "impressions": [100.0, 100.0, 1000.0, 1000.0],
        }
    )
    r = run(goal(kpi="ctr", baseline=0.01, target=0.2), MetricFrame(df))
    assert r.actual == pytest.approx(22 / 2200)  # not (10 % + 0.1 %) / 2


def test_aggregates_sum_daily_mean_last_and_window():
    data = frame(days=10, sessions=100.0)
    assert run(goal(kpi="sessions", target=5000), data).actual == 1100  # 10 days x 110
    assert run(goal(kpi="sessions", aggregate="daily_mean", target=200), data).actual == 110
    assert run(goal(kpi="sessions", aggregate="last", target=200), data).actual == 110
    assert run(goal(kpi="sessions", window="3d", target=500), data).actual == 330


def test_division_by_zero_is_no_data_not_a_crash():
    data = frame(days=5, clicks=0.0, impressions=0.0)
    r = run(goal(kpi="ctr", target=0.05), data)
    assert r.actual is None and r.status == "no_data"


def test_pacing_statuses_with_tolerances():
    g = goal(kpi="x", baseline=0, target=100, deadline="2026-09-11")  # 10 days
    p = PacingConfig(on_track=0.95, at_risk=0.8)
    mid = START + timedelta(days=5)  # expected 50
    assert pacing_status(g, START, mid, 49, p)[0] == "on_track"
    assert pacing_status(g, START, mid, 45, p)[0] == "at_risk"
    assert pacing_status(g, START, mid, 30, p)[0] == "off_track"
    assert pacing_status(g, START, mid, 100, p)[0] == "achieved"
    assert pacing_status(g, START, date(2026, 9, 11), 99, p)[0] == "off_track"  # deadline missed
    assert pacing_status(g, START, date(2026, 8, 30), None, p)[0] == "not_started"
    assert pacing_status(g, START, mid, None, p)[0] == "no_data"
    _, expected, progress, share = pacing_status(g, START, mid, 49, p)
    assert (expected, progress, share) == (50, 0.49, 0.5)


def test_lower_is_better_goals():
    g = goal(kpi="x", baseline=30, target=20, deadline="2026-09-11")
    mid = START + timedelta(days=5)  # expected 25
    assert pacing_status(g, START, mid, 25, PacingConfig())[0] == "on_track"
    assert pacing_status(g, START, mid, 29, PacingConfig())[0] == "off_track"
    assert pacing_status(g, START, mid, 19, PacingConfig())[0] == "achieved"


def test_forecast_extends_the_recent_trend():
    dates = pd.date_range(START, periods=30, freq="D")
    df = pd.DataFrame({"date": dates, "channel": "a", "sessions": np.arange(30, dtype=float) * 10})
    r = run(
        goal(kpi="sessions", aggregate="last", baseline=0, target=1000, deadline="2026-10-10"),
        MetricFrame(df),
    )
    # a straight line rising 10 a day: 290 on Sep 30, 390 on Oct 10
    assert r.forecast == pytest.approx(390)


def test_as_of_is_the_latest_date_and_clipped_to_the_deadline():
    data = frame(days=30, sessions=1.0)
    r = run(goal(kpi="sessions", deadline="2026-09-15", target=10), data)
    assert r.as_of == date(2026, 9, 15)
    assert run(goal(kpi="sessions", target=100), data).as_of == date(2026, 9, 30)


def test_unknown_kpi_and_column_messages():
    data = frame(days=3, clicks=1.0, impressions=10.0)
    r = run(goal(kpi="cttr"), data)
    assert [str(d) for d in r.diagnostics] == [
        "content/p.md:1: error: plan.goals[0].kpi: unknown KPI or column 'cttr' (did you mean "
        "'ctr'?); built-in KPIs: ctr, cpc, cpm, cvr, cpa, cac, roas, roi, aov, open_rate, "
        "click_to_open_rate, unsubscribe_rate, interaction_rate, retention; data columns: "
        "clicks, impressions [kpi/unknown]"
    ]
    r = run(goal(kpi="roi"), data)
    assert [d.message for d in r.diagnostics] == [
        "KPI 'roi' needs column(s) revenue, spend, which the plan's data does not have "
        "(columns: clicks, impressions)"
    ]


def test_filter_on_unknown_dimension_and_value():
    data = frame(days=3, clicks=1.0, impressions=10.0)
    r = run(goal(kpi="ctr", filter={"region": "east"}), data)
    assert r.diagnostics[0].message == (
        "no column 'region' to filter on in the plan's data (dimensions: channel)"
    )
    r = run(goal(kpi="ctr", filter={"channel": "smm"}), data)
    assert r.diagnostics[0].message == (
        "no rows with channel = 'smm' (did you mean 'sem'?); values: sem, social"
    )
    assert r.status == "no_data"


def test_aggregate_on_a_formula_kpi_is_refused():
    data = frame(days=3, clicks=1.0, impressions=10.0)
    r = run(goal(kpi="ctr", aggregate="daily_mean"), data)
    assert r.diagnostics[0].message == (
        "'ctr' is a formula KPI, always computed from the sums of its measures "
        "((clicks / impressions)); remove aggregate: daily_mean"
    )


@pytest.mark.parametrize(
    ("kpis", "message"),
    [
        (
            [{"id": "a", "formula": "spend / fans"}],
            "formula of 'a' refers to unknown name 'fans'; names are data columns or KPI ids",
        ),
        (
            [{"id": "a", "formula": "b + 1"}, {"id": "b", "formula": "a * 2"}],
            "KPI formulas refer to each other in a cycle: a -> b -> a",
        ),
        (
            [{"id": "a", "formula": "__import__('os')"}],
            "formula of 'a': formula \"__import__('os')\" uses a function call; only numbers, "
            "names, + - * / and parentheses are allowed",
        ),
    ],
)
def test_plan_formula_errors_are_located_at_the_formula(kpis, message):
    p = plan(kpis=kpis)
    reg = KpiRegistry(p.kpis, ["spend", "clicks"])
    diags = check_kpis(
        p, reg, file="content/p.md", locations=Locations({("plan", "kpis", 0, "formula"): 9})
    )
    assert diags[0].message == message
    assert diags[0].field == "plan.kpis[0].formula" and diags[0].line == 9
    with pytest.raises(KpiError):
        reg.get("a")


def test_plan_kpi_over_other_kpis_expands_to_sums():
    p = plan(kpis=[{"id": "margin-roi", "formula": "roi * 100", "format": "number"}])
    data = frame(days=2, spend=100.0, revenue=250.0)
    r = run(goal(kpi="margin-roi", baseline=0, target=200), data, p)
    assert r.actual == pytest.approx(150.0)


def test_breakdown_totals_are_ratios_of_sums():
    data = frame(days=10, clicks=10.0, impressions=100.0, spend=50.0)
    reg = KpiRegistry([], data.measures)
    b = breakdown(data, reg, "channel", START, date(2026, 9, 30))
    rows = {r.key: r for r in b.rows}
    assert rows["sem"].values["spend"] == 500 and rows["social"].values["spend"] == 50
    assert rows["sem"].share == pytest.approx(500 / 550)
    assert b.total.values["ctr"] == pytest.approx(110 / 1100)
    assert math.isclose(b.total.values["cpc"], 550 / 110)


def test_breakdown_total_ratio_reads_only_rows_with_all_measures():
    dates = pd.date_range(START, periods=1, freq="D")
    df = pd.DataFrame(
        {
            "date": list(dates) * 2,
            "channel": ["sem", "seo"],
            "spend": [100.0, np.nan],
            "revenue": [150.0, 1000.0],
        }
    )
    data = MetricFrame(df)
    b = breakdown(data, KpiRegistry([], data.measures), "channel", START, START)
    assert b.total.values["revenue"] == 1150  # the sum keeps every row
    assert b.total.values["roi"] == pytest.approx(0.5)  # not 1150 / 100 - 1


def test_forecast_is_not_tipped_by_a_one_day_spike():
    dates = pd.date_range(START, periods=30, freq="D")
    values = np.arange(30, dtype=float) * 10
    values[25] += 5000  # a 双11-style spike
    df = pd.DataFrame({"date": dates, "channel": "a", "sessions": values})
    r = run(
        goal(kpi="sessions", aggregate="last", baseline=0, target=1000, deadline="2026-10-10"),
        MetricFrame(df),
    )
    assert r.forecast == pytest.approx(390)
