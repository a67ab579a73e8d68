"""Periodic reports: period edges and numbers known by construction."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from planbook.metrics.kpis import PacingConfig
from planbook.metrics.reports import (
    build_report,
    closed_periods,
    parse_period,
    period_containing,
    report_pages,
)
from planbook.project import Project, Settings
from tests.conftest import write_site


def test_week_spanning_two_months_is_one_iso_week():
    p = period_containing(date(2026, 10, 1), "week")
    assert (p.key, p.start, p.end) == ("2026-W40", date(2026, 9, 28), date(2026, 10, 4))
    assert p.previous().key == "2026-W39"
    assert p.label("zh") == "2026年第40周（09-28 – 10-04）"


def test_a_plans_sunday_weeks_are_its_reports_weeks():
    """content.week_start: sunday gave the calendar Sunday weeks while weekly reports ran
    Monday to Sunday (outside reading, stop 31): both follow the plan's week start."""
    p = parse_period("2026-W45", "week", 6)
    assert (p.key, p.start, p.end) == ("2026-W45", date(2026, 11, 1), date(2026, 11, 7))
    assert p.start.weekday() == 6
    assert p == period_containing(date(2026, 11, 7), "week", 6)
    assert period_containing(date(2026, 11, 8), "week", 6).key == "2026-W46"
    before = p.previous()
    assert (before.key, before.start, before.end) == (
        "2026-W44",
        date(2026, 10, 25),
        date(2026, 10, 31),
    )
    periods = closed_periods(
        date(2026, 10, 1), date(2026, 12, 31), date(2026, 10, 24), "week", week_start=6
    )
    assert [(q.key, q.start) for q in periods] == [
        ("2026-W40", date(2026, 9, 27)),
        ("2026-W41", date(2026, 10, 4)),
        ("2026-W42", date(2026, 10, 11)),
        ("2026-W43", date(2026, 10, 18)),
    ]
    assert p.label("en") == "Week 45, 2026 (11-01 – 11-07)"


def test_month_and_quarter_edges():
    assert period_containing(date(2026, 12, 31), "month").end == date(2026, 12, 31)
    assert period_containing(date(2027, 2, 1), "month").end == date(2027, 2, 28)
    q = period_containing(date(2026, 12, 31), "quarter")
    assert (q.key, q.start, q.end) == ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31))
    assert q.previous().key == "2026-Q3"
    assert parse_period("2026-W53", "week").start == date(2026, 12, 28)


def test_partial_current_period_is_not_reported():
    periods = closed_periods(date(2026, 9, 15), date(2027, 2, 28), date(2026, 11, 29), "month")
    assert [p.key for p in periods] == ["2026-09", "2026-10"]
    # the last day of a month closes it
    periods = closed_periods(date(2026, 9, 1), date(2027, 2, 28), date(2026, 11, 30), "month")
    assert [p.key for p in periods][-1] == "2026-11"
    assert closed_periods(date(2026, 9, 1), date(2026, 12, 31), None, "week") == []


@pytest.mark.parametrize("key", ["2026-13", "2026-Q5", "2026/10", "October"])
def test_bad_period_keys(key):
    with pytest.raises(ValueError) as e:
        parse_period(key)
    assert str(e.value) == (
        "expected a period such as 2026-10 (month), 2026-Q4 (quarter) or 2026-W43 (ISO week), "
        f"got {key!r}"
    )


def test_a_week_past_the_years_last_iso_week_names_the_last_one():
    with pytest.raises(ValueError, match="2026 has weeks W01 to W53"):
        parse_period("2026-W60")


def _rows() -> str:
    # September: sem spends 100/day and earns 50/day (ROI -50 %), wechat spends 100 and earns
    # 400 (ROI 300 %). October: sem 100 -> 60 (ROI -40 %), wechat 100 -> 300. No data in
    # November at all (a period with no data).
    lines = ["date,channel,impressions,clicks,spend,conversions,revenue"]
    for month, days, sem_rev, wc_rev in ((9, 30, 50, 400), (10, 31, 60, 300)):
        for d in range(1, days + 1):
            lines.append(f"2026-{month:02d}-{d:02d},sem,1000,40,100,2,{sem_rev}")
            lines.append(f"2026-{month:02d}-{d:02d},wechat,1000,20,100,4,{wc_rev}")
    lines.append("2026-12-02,sem,1000,40,100,2,50")
    return "\n".join(lines) + "\n"


PLAN = """\
---
plan:
  id: r
  period: {start: 2026-09-01, end: 2027-02-28}
  metrics: [data/m.csv]
  reports: {every: month, roi_threshold: 0.0, shift_share: 0.25}
  goals:
    - {id: ctr, statement: CTR, kpi: ctr, baseline: 0.02, target: 0.05, deadline: 2027-02-28}
    - {id: conv, statement: Conversions, kpi: conversions, baseline: 0, target: 1000, deadline: 2027-02-28}
---
# R
"""


@pytest.fixture
def view(tmp_path: Path):
    write_site(tmp_path, {"plans/r.md": PLAN}, {"m.csv": _rows()})
    project = Project(Settings(root=tmp_path, docs_dir=tmp_path / "docs", language="zh"))
    project.scan()
    v = project.evaluate(project.plans["r"])
    assert v is not None and not v.diagnostics
    return v


def test_report_numbers(view):
    report = build_report(view, parse_period("2026-10"), pacing=PacingConfig(), shift_share=0.25)
    ctr, conv = report.kpis
    # October CTR over both channels: (40 + 20) * 31 / (2000 * 31) = 3 %; September the same
    assert ctr.value == pytest.approx(0.03) and ctr.previous == pytest.approx(0.03)
    assert conv.value == 6 * 31 and conv.previous == 6 * 30
    assert conv.delta == 6 and conv.good is True
    # the goal measure at the period end is the running total since the start
    assert conv.at_end.actual == 6 * 61
    rows = {r.key: r.values for r in report.channels.rows}
    assert rows["sem"]["roi"] == pytest.approx(60 / 100 - 1)
    assert rows["wechat"]["roi"] == pytest.approx(2.0)
    (rec,) = [r for r in report.recommendations if r.kind == "shift-budget"]
    # sem stayed below 0 % ROI for two months: move 25 % of its October spend (3,100)
    assert rec.amount == 800  # 775 rounded to hundreds
    assert rec.message_zh == (
        "sem 的 ROI 连续两期低于 0%（上期 -50.0%，本期 -40.0%）：建议下期从 sem 调出约 ¥800"
        "（本期花费的 25%）投向 ROI 最高的 wechat（200.0%）。"
    )


def test_period_without_data(view):
    report = build_report(view, parse_period("2026-11"), pacing=PacingConfig())
    assert report.has_data is False
    assert all(r.value is None for r in report.kpis)


def test_report_pages_skip_the_running_period(view):
    assert [(uri, p.key) for uri, p in report_pages(view)] == [
        ("plans/r/reports/2026-11.md", "2026-11"),
        ("plans/r/reports/2026-10.md", "2026-10"),
        ("plans/r/reports/2026-09.md", "2026-09"),
    ]


def test_no_two_period_advice_from_before_the_plan(view):
    # September's previous month is August, before the plan: one period is not "two in a row"
    report = build_report(view, parse_period("2026-09"), pacing=PacingConfig())
    assert [r for r in report.recommendations if r.kind == "shift-budget"] == []


def test_a_flat_percentage_is_neither_good_nor_bad(view):
    report = build_report(view, parse_period("2026-10"), pacing=PacingConfig())
    ctr = report.kpis[0]
    assert ctr.delta == pytest.approx(0.0) and ctr.good is None


SLIM = """\
---
plan:
  id: s
  period: {start: 2026-09-01, end: 2026-12-31}
  metrics: [data/m.csv]
  reports: {every: month, roi_threshold: 0.01}
  budget:
    total: 70000
    allocations:
      - {item: sem, amount: 50000, cap: 55000}
      - {item: wechat, amount: 20000}
---
# S
"""


def test_recommendations_read_percentages_as_the_report_table_does(tmp_path):
    from bs4 import BeautifulSoup

    from planbook.views.render import Renderer

    # sem: spend 1,000 and revenue 1,005 a day, ROI 0.5 % (Python's "{:.0%}" said 0 % or
    # 1 %); wechat 100 -> 300 a day. sem spends 61,000 (cap 55,000) by October's end.
    lines = ["date,channel,spend,revenue"]
    for month, days in ((9, 30), (10, 31)):
        for d in range(1, days + 1):
            lines += [
                f"2026-{month:02d}-{d:02d},sem,1000,1005",
                f"2026-{month:02d}-{d:02d},wechat,100,300",
            ]
    write_site(tmp_path, {"plans/s.md": SLIM}, {"m.csv": "\n".join(lines) + "\n"})
    project = Project(
        Settings(
            root=tmp_path,
            docs_dir=tmp_path / "docs",
            language="zh",
            value_labels={"sem": {"zh": "百度搜索", "en": "Baidu search"}},
        )
    )
    project.scan()
    view = project.evaluate(project.plans["s"])
    report = build_report(
        view, parse_period("2026-10"), pacing=PacingConfig(), roi_threshold=0.01, shift_share=0.25
    )
    shift = next(r for r in report.recommendations if r.kind == "shift-budget")
    assert shift.message_zh == (
        "百度搜索 的 ROI 连续两期低于 1%（上期 0.5%，本期 0.5%）：建议下期从 百度搜索 调出约 ¥7,800"
        "（本期花费的 25%）投向 ROI 最高的 wechat（200.0%）。"
    )
    # (value names follow the plan's language; an English plan's report reads message_en)
    assert shift.message_en == (
        "百度搜索 ROI stayed below 1% for two periods (0.5%, 0.5%): move about CN¥7,800 "
        "(25% of its spend this period) to wechat, the best channel (200.0% ROI), next period."
    )
    html = BeautifulSoup(Renderer("zh").report(report), "html.parser")
    row = html.select_one(".pb-report tr[data-channel='sem']")
    assert "0.5%" in [td.get_text(strip=True) for td in row.select("td")]
    over = next(r for r in report.recommendations if r.kind == "over-cap")
    assert (
        over.message_zh
        == "百度搜索 已花费 ¥6.10万，超出上限 ¥5.50万 共 ¥0.60万：暂停追加投放或申请调整上限。"
    )
    assert over.message_en.startswith(
        "百度搜索 has spent CN¥61,000, CN¥6,000 over its cap CN¥55,000:"
    )


BOTH = """\
---
plan:
  id: b
  period: {start: 2026-09-01, end: 2026-12-31}
  metrics: [data/m.csv]
  reports: {every: month, roi_threshold: 0.01}
  goals:
    - {id: ctr, statement: CTR, kpi: ctr, window: 7d, baseline: 0.01, target: 0.05, deadline: 2026-12-31}
    - {id: conv, statement: Conversions, kpi: conversions, baseline: 0, target: 900, deadline: 2026-10-15}
    - {id: spend, statement: Spend, kpi: spend, aggregate: daily_mean, baseline: 0, target: 2000, deadline: 2026-12-31}
  budget:
    total: 70000
    allocations:
      - {item: sem, amount: 50000, cap: 55000}
      - {item: wechat, amount: 20000}
---
# B
"""


def _pairs(report) -> list[tuple]:
    """What a report shows of its goals and advice (figures and words)."""
    out: list[tuple] = [
        (r.kind, r.message_zh, r.message_en, r.amount) for r in report.recommendations
    ]
    for row in report.kpis:
        for res in (row.at_end, row.before):
            if res is None:
                out.append(None)
                continue
            out.append(
                (
                    res.as_of,
                    res.actual,
                    res.expected,
                    res.progress,
                    res.expected_progress,
                    res.forecast,
                    res.status,
                    res.line,
                    list(res.series.items()),
                )
            )
    out.append(report.status_changes)
    return out


def test_a_report_on_the_views_day_reuses_its_budget_and_goals(tmp_path, monkeypatch):
    """The report of the period that ends on the plan's as-of day reads the view's budget
    and goal results (issue 12: the budget was evaluated twice per plan); the same figures
    and advice as evaluated anew. Another period evaluates its own."""
    import dataclasses

    from planbook.metrics import reports

    lines = ["date,channel,impressions,clicks,spend,conversions,revenue"]
    for month, days in ((9, 30), (10, 31)):
        for d in range(1, days + 1):
            lines += [
                f"2026-{month:02d}-{d:02d},sem,1000,{30 + d},{1000 + d},2,1005",
                f"2026-{month:02d}-{d:02d},wechat,900,20,100,{d % 3},300",
            ]
    write_site(tmp_path, {"plans/b.md": BOTH}, {"m.csv": "\n".join(lines) + "\n"})
    project = Project(Settings(root=tmp_path, docs_dir=tmp_path / "docs", language="zh"))
    project.scan()
    view = project.evaluate(project.plans["b"])
    assert view is not None and view.as_of == date(2026, 10, 31)
    calls: dict[str, int] = {"budget": 0, "goal": 0}

    def counted(name, fn):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return fn(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(reports, "evaluate_budget", counted("budget", reports.evaluate_budget))
    monkeypatch.setattr(reports, "evaluate_goal", counted("goal", reports.evaluate_goal))
    october = parse_period("2026-10")
    kw = {"pacing": PacingConfig(), "roi_threshold": 0.01, "shift_share": 0.25}
    report = build_report(view, october, **kw)
    # September's end for each goal, and the conversions goal at October's end: the view
    # judged it at its deadline (Oct 15), not on the period's end
    assert calls == {"budget": 0, "goal": 4}
    assert {r.kind for r in report.recommendations} >= {"over-cap", "shift-budget"}
    ctr, conv, spend = report.kpis
    assert ctr.at_end is view.goals[0] and spend.at_end is view.goals[2]
    assert conv.at_end is not view.goals[1]
    fresh = build_report(dataclasses.replace(view, pacing=None, budget=None), october, **kw)
    assert calls == {"budget": 1, "goal": 10}
    assert _pairs(fresh) == _pairs(report)
    # other settings or another day: evaluated as asked
    build_report(view, october, **{**kw, "pacing": PacingConfig(on_track=0.9)})
    assert calls == {"budget": 1, "goal": 16}
    build_report(view, parse_period("2026-09"), **kw)
    assert calls["budget"] == 2


@pytest.mark.parametrize(
    ("previous", "value", "digits", "shown"),
    [
        (168.6, 183.4, 1, 14.8),  # read "169 → 183 ▲ 14" when each was rounded alone
        (169.4, 183.6, 1, 14.2),
        (100.0, 79.0, 0, -21.0),
        (103.0, 79.0, 0, -24.0),
    ],
)
def test_a_movers_change_is_the_difference_of_the_numbers_shown(previous, value, digits, shown):
    from planbook.metrics.reports import Mover

    m = Mover("google", "conversions", previous, value)
    assert m.digits == digits
    assert m.shown_delta == pytest.approx(shown)
    assert round(m.value, digits) - round(m.previous, digits) == pytest.approx(m.shown_delta)
