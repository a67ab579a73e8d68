"""Goals, reports and lint read the cube's per-day sums as numpy arrays, memoized on the
cube: the memo must be keyed by filter, dropped with the cube, and give the numbers a
fresh evaluation gives; a report evaluates each goal once per day it needs."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planbook.cube import Daily
from planbook.frontmatter import Locations
from planbook.metrics import reports
from planbook.metrics.kpis import (
    KpiRegistry,
    MetricFrame,
    PacingConfig,
    evaluate_goal,
)
from planbook.metrics.reports import build_report, goal_as_of, parse_period
from planbook.metrics.series import forecast, metric_series
from planbook.model import Goal, Plan
from planbook.project import Project, Settings
from tests.conftest import write_site

START = date(2026, 9, 1)


def _frame() -> MetricFrame:
    """sem: 10 clicks on day d (d = 1..10), 100 impressions; feed: 1 click, 50 impressions."""
    rows = []
    for d in range(1, 11):
        day = START + timedelta(days=d - 1)
        rows.append({"date": day, "channel": "sem", "clicks": 10.0 * d, "impressions": 100.0})
        rows.append({"date": day, "channel": "feed", "clicks": 1.0, "impressions": 50.0})
    df = pd.DataFrame(rows)
    df["date"] = pd.to_datetime(df["date"])
    return MetricFrame(df)


def _plan() -> Plan:
    return Plan.model_validate({"id": "p", "period": {"start": "2026-09-01", "end": "2026-12-31"}})


def _goal(**kw: object) -> Goal:
    base = {"id": "g", "statement": "s", "baseline": 0, "target": 1000, "deadline": "2026-12-31"}
    base.update(kw)
    return Goal.model_validate(base)


def _run(g: Goal, data: MetricFrame, as_of: date | None = None):
    p = _plan()
    return evaluate_goal(
        g,
        index=0,
        plan=p,
        data=data,
        registry=KpiRegistry(p.kpis, data.measures),
        as_of=as_of,
        pacing=PacingConfig(),
        file="p.md",
        locations=Locations(),
    )


def test_arrays_are_kept_per_filter_and_differ_between_filters():
    data = _frame()
    sem, feed = (("channel", ("sem",)),), (("channel", ("feed",)),)
    a, b = data.arrays(sem), data.arrays(feed)
    assert a is data.arrays(sem)  # memoized ...
    assert a is not b  # ... per filter
    assert a.column("clicks").tolist() == [10.0 * d for d in range(1, 11)]
    assert b.column("clicks").tolist() == [1.0] * 10
    assert data.arrays().column("clicks").tolist() == [10.0 * d + 1 for d in range(1, 11)]
    # Two goals on one cube, one filter each: each reads its own sums.
    on_sem = _run(_goal(kpi="clicks", filter={"channel": "sem"}), data)
    on_feed = _run(_goal(kpi="clicks", filter={"channel": "feed"}), data)
    assert on_sem.actual == 550 and on_feed.actual == 10
    assert on_sem.series.tolist() == [5.0 * d * (d + 1) for d in range(1, 11)]
    assert on_feed.series.tolist() == [float(d) for d in range(1, 11)]
    # A ratio over one channel: sem's CTR on day 3 is (10 + 20 + 30) / 300.
    ctr = _run(_goal(kpi="ctr", baseline=0.1, target=0.2, filter={"channel": "sem"}), data)
    assert ctr.series.iloc[2] == pytest.approx(60 / 300)


def test_arrays_read_as_the_frame_does():
    data = _frame()
    daily = data.daily()
    arrays = data.arrays()
    assert arrays.days.tolist() == [d.date() for d in daily.index]
    kpi = KpiRegistry([], data.measures).get("ctr")
    for start, end, window in ((START, START + timedelta(days=9), None), (START, START, 3)):
        via_frame = metric_series(kpi, daily, start, end, None, window)
        via_arrays = metric_series(kpi, arrays, start, end, None, window)
        pd.testing.assert_series_equal(via_frame, via_arrays)
    # Spans and "before" are inclusive day slices of the sorted days.
    assert arrays.span(START + timedelta(days=2), START + timedelta(days=4)) == slice(2, 5)
    assert arrays.before(START + timedelta(days=2)) == slice(0, 2)
    assert arrays.span(date(2030, 1, 1), None) == slice(10, 10)


def test_last_fills_forward_over_missing_days():
    df = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-09-02", "2026-09-05"]),
            "channel": "a",
            "followers": [7.0, 9.0],
        }
    )
    data = MetricFrame(df)
    kpi = KpiRegistry([], data.measures).get("followers")
    series = metric_series(kpi, data.arrays(), START, START + timedelta(days=5), "last", None)
    assert np.isnan(series.iloc[0])  # nothing before the first value
    assert series.iloc[1:].tolist() == [7.0, 7.0, 7.0, 9.0, 9.0]


def _varied() -> MetricFrame:
    """Thirty days with gaps and a spike: running, trailing and forward-filled values differ."""
    rows = []
    for d in range(30):
        if d % 7 == 3:
            continue  # a day without rows
        day = START + timedelta(days=d)
        clicks = 5.0 + d + (400.0 if d == 20 else 0.0)
        rows.append({"date": day, "channel": "sem", "clicks": clicks, "impressions": 90.0 + d})
    df = pd.DataFrame(rows)
    df["date"] = pd.to_datetime(df["date"])
    return MetricFrame(df)


GOAL_KINDS = [
    {"kpi": "clicks"},
    {"kpi": "clicks", "window": "7d"},
    {"kpi": "clicks", "aggregate": "daily_mean", "window": "7d"},
    {"kpi": "clicks", "aggregate": "last"},
    {"kpi": "ctr", "baseline": 0.01, "target": 0.5},
    {"kpi": "ctr", "window": "7d", "baseline": 0.01, "target": 0.5},
]


@pytest.mark.parametrize("kind", GOAL_KINDS)
def test_values_as_of_any_day_equal_a_fresh_cubes_in_either_order(kind):
    g = _goal(**kind)
    early, late = START + timedelta(days=12), START + timedelta(days=27)
    later_first = _frame_results(_varied(), g, (late, early))
    earlier_first = _frame_results(_varied(), g, (early, late))
    for day in (early, late):
        alone = _frame_results(_varied(), g, (day,))[day]  # a cube that computed nothing else
        assert later_first[day] == alone == earlier_first[day]
    # The series is read from the frame too (no memo): the same numbers.
    data = _varied()
    r = _run(g, data, late)
    kpi = KpiRegistry([], data.measures).get(g.kpi)
    window = int(g.window[:-1]) if g.window else None
    fresh = metric_series(kpi, data.daily(), START, late, g.aggregate, window)
    assert r.series.to_numpy().tobytes() == fresh.to_numpy().tobytes()
    assert r.forecast == forecast(fresh.to_numpy(), START, late, g.deadline, 28)


def _frame_results(data: MetricFrame, g: Goal, days: tuple[date, ...]) -> dict[date, tuple]:
    out = {}
    for day in days:
        r = _run(g, data, day)
        out[day] = (r.actual, r.forecast, r.series.index.tolist(), r.series.to_numpy().tobytes())
    return out


def test_a_cube_rebuilt_after_a_csv_edit_reads_the_new_numbers(tmp_path: Path):
    def csv(clicks: int) -> str:
        rows = [f"2026-09-{d:02d},sem,{clicks},100" for d in range(1, 11)]
        return "date,channel,clicks,impressions\n" + "\n".join(rows) + "\n"

    plan = """\
    ---
    plan:
      id: r
      period: {start: 2026-09-01, end: 2026-12-31}
      metrics: [data/m.csv]
      goals:
        - {id: c, statement: clicks, kpi: clicks, baseline: 0, target: 1000, deadline: 2026-12-31}
    ---
    # R
    """
    write_site(tmp_path, {"r.md": plan}, {"m.csv": csv(5)})
    project = Project(Settings(root=tmp_path, docs_dir=tmp_path / "docs"))
    project.scan()
    before = project.evaluate(project.plans["r"])
    assert before is not None and before.goals[0].actual == 50
    assert before.data.arrays().column("clicks").tolist() == [5.0] * 10
    day = date(2026, 9, 5)
    assert goal_as_of(before, 0, day, PacingConfig()).actual == 25
    (tmp_path / "data" / "m.csv").write_text(csv(7), "utf-8")
    project.begin_build()
    project.scan()
    after = project.evaluate(project.plans["r"])
    assert after is not None and after.data is not before.data
    assert after.data.arrays().column("clicks").tolist() == [7.0] * 10
    assert after.goals[0].actual == 70
    assert goal_as_of(after, 0, day, PacingConfig()).actual == 35  # not the old view's 25


REPORTED = """\
---
plan:
  id: r
  period: {start: 2026-09-01, end: 2027-02-28}
  metrics: [data/m.csv]
  reports: {every: month}
  goals:
    - {id: ctr, statement: CTR, kpi: ctr, baseline: 0.02, target: 0.05, deadline: 2027-02-28}
    - {id: conv, statement: Conversions, kpi: conversions, baseline: 0, target: 1000, deadline: 2027-02-28}
    - {id: late, statement: Late, kpi: clicks, baseline: 0, target: 9000, start: 2026-10-01, deadline: 2027-02-28}
---
# R
"""


def _rows() -> str:
    lines = ["date,channel,impressions,clicks,spend,conversions,revenue"]
    for month, days in ((9, 30), (10, 31), (11, 30)):
        for d in range(1, days + 1):
            lines.append(f"2026-{month:02d}-{d:02d},sem,1000,{30 + d},100,{d % 4},{50 + d}")
            lines.append(f"2026-{month:02d}-{d:02d},wechat,800,20,90,{d % 3},300")
    return "\n".join(lines) + "\n"


@pytest.fixture
def view(tmp_path: Path):
    write_site(tmp_path, {"plans/r.md": REPORTED}, {"m.csv": _rows()})
    project = Project(Settings(root=tmp_path, docs_dir=tmp_path / "docs", language="zh"))
    project.scan()
    v = project.evaluate(project.plans["r"])
    assert v is not None and not v.diagnostics
    return v


def _fields(r) -> tuple:
    return (
        r.status,
        r.as_of,
        r.actual,
        r.expected,
        r.progress,
        r.expected_progress,
        r.forecast,
        r.line,
        r.series.index.tolist(),
        r.series.to_numpy().tobytes(),
    )


def test_a_reports_evaluations_equal_fresh_ones_at_the_period_ends(view):
    period = parse_period("2026-11")
    report = build_report(view, period, pacing=PacingConfig())
    for i, row in enumerate(report.kpis):
        for got, day in ((row.at_end, period.end), (row.before, period.previous().end)):
            fresh = evaluate_goal(
                view.plan.goals[i],
                index=i,
                plan=view.plan,
                data=view.data,
                registry=view.registry,
                as_of=day,
                pacing=PacingConfig(),
                file="",
                locations=Locations(),
            )
            assert got is not None and _fields(got) == _fields(fresh)
    # The goal that starts in October has no "before" in a report of October.
    october = build_report(view, parse_period("2026-10"), pacing=PacingConfig())
    assert october.kpis[2].before is None and october.kpis[2].at_end.actual is not None


def test_each_goal_is_evaluated_once_per_day_a_report_needs(view, monkeypatch):
    calls: list[tuple[str, date]] = []
    real = reports.evaluate_goal

    def counted(goal, **kw):
        calls.append((goal.id, kw["as_of"]))
        return real(goal, **kw)

    monkeypatch.setattr(reports, "evaluate_goal", counted)
    for key in ("2026-10", "2026-11", "2026-10"):
        build_report(view, parse_period(key), pacing=PacingConfig())
    # September and October ends for the goals that started by then; the October end
    # serves both reports, and building October again evaluates nothing. November's end
    # is the plan's as-of day: the view's own results serve it (issue 12).
    assert view.as_of == date(2026, 11, 30)
    ends = [date(2026, 9, 30), date(2026, 10, 31)]
    expected = [(g, d) for g in ("ctr", "conv") for d in ends] + [("late", date(2026, 10, 31))]
    assert sorted(calls) == sorted(expected)
    assert len(calls) == len(set(calls))
    # Other pacing settings are another evaluation.
    build_report(view, parse_period("2026-10"), pacing=PacingConfig(on_track=0.9))
    assert len(calls) == len(expected) + 5


# --------------------------------------------------------------------------- forecast


def test_forecast_is_the_median_slope_line_worked_by_hand():
    # Seven days from Sep 1: 0, 1, 2, 3, 4, 5 and a spike of 100. Of the 21 pairwise
    # slopes, 15 (pairs without the spike) are 1 and 6 are larger: the median is 1. The
    # intercept is the median of y - x = 0, 0, 0, 0, 0, 0, 94: 0. At Sep 21 (day 20): 20.
    values = np.array([0, 1, 2, 3, 4, 5, 100], dtype="float64")
    as_of = START + timedelta(days=6)
    assert forecast(values, START, as_of, date(2026, 9, 21), 28) == 20.0
    # Missing days are left out of the fit, not read as 0: a line 2x + 3 with two gaps
    # still gives 2 * 20 + 3 at day 20.
    line = np.array([3, 5, np.nan, 9, 11, np.nan, 15, 17, 19], dtype="float64")
    assert forecast(line, START, START + timedelta(days=8), date(2026, 9, 21), 28) == 43.0


def test_forecast_fits_only_the_last_days_and_needs_seven():
    # Fourteen days: the first seven fall 10 a day, the last seven rise 1 a day from 0.
    # With days=7 only the rise counts: x = 0..6 from Sep 8, so Sep 21 is x = 13 -> 13.
    values = np.array([70, 60, 50, 40, 30, 20, 10, 0, 1, 2, 3, 4, 5, 6], dtype="float64")
    as_of = START + timedelta(days=13)
    assert forecast(values, START, as_of, date(2026, 9, 21), 7) == 13.0
    # One value of the last seven missing: six points are too few for a trend.
    values[10] = np.nan
    assert forecast(values, START, as_of, date(2026, 9, 21), 7) is None
    # On or after the deadline the forecast is the value itself.
    assert forecast(values, START, as_of, as_of, 7) == 6.0


def test_daily_of_an_empty_frame_has_no_days():
    empty = MetricFrame(
        pd.DataFrame({"date": pd.to_datetime([]), "clicks": pd.Series([], dtype="float64")})
    )
    arrays = empty.arrays()
    assert isinstance(arrays, Daily) and len(arrays) == 0
    assert arrays.column("clicks").shape == (0,) and arrays.column("nothing").shape == (0,)


def test_budget_returns_per_allocation_including_a_constant_formula():
    from planbook.metrics.budget import evaluate_budget

    data = _frame()
    df = data.raw().assign(spend=lambda f: f["impressions"], revenue=lambda f: f["clicks"] * 3)
    data = MetricFrame(df)
    plan = Plan.model_validate(
        {
            "id": "p",
            "period": {"start": "2026-09-01", "end": "2026-12-31"},
            # A plan's own "roas" shadows the built-in: a constant, the same for each item.
            "kpis": [{"id": "roas", "formula": "2"}],
            "budget": {
                "total": 10000,
                "by": "channel",
                "allocations": [{"item": "sem", "amount": 6000}, {"item": "feed", "amount": 4000}],
            },
        }
    )
    result = evaluate_budget(
        plan,
        data,
        KpiRegistry(plan.kpis, data.measures),
        START + timedelta(days=9),
        tolerance=0.1,
        file="p.md",
        locations=Locations(),
    )
    assert result is not None
    sem, feed = result.rows
    # sem: spend 1,000 and revenue 3 * 550 = 1,650; feed: spend 500, revenue 30.
    assert (sem.spent, feed.spent) == (1000.0, 500.0)
    assert sem.returns == {"roi": pytest.approx(0.65), "roas": 2.0}
    assert feed.returns == {"roi": pytest.approx(30 / 500 - 1), "roas": 2.0}
