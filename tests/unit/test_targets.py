"""Phased targets: the pacing line through milestones, the phase target on and after a
milestone day, pacing status on the piecewise line, and exact messages for milestones,
phase goals and objectives that cannot be placed."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest

from planbook.frontmatter import read_front_matter
from planbook.metrics.kpis import PacingConfig, pacing_status
from planbook.metrics.targets import expected_at, pacing_line, phase_target, steps
from planbook.model import Goal, Plan, check_plan, validate

START = date(2026, 9, 1)


def _goal(**kw: object) -> Goal:
    data = {
        "id": "g",
        "statement": "s",
        "kpi": "sessions",
        "baseline": 1000,
        "target": 2000,
        "deadline": date(2026, 12, 31),
        "milestones": [
            {"date": date(2026, 10, 1), "target": 1100},
            {"date": date(2026, 11, 30), "target": 1800},
        ],
    }
    data.update(kw)
    return Goal.model_validate(data)


def test_the_line_runs_through_each_milestone() -> None:
    line = pacing_line(_goal(), START)
    assert line == [
        (START, 1000),
        (date(2026, 10, 1), 1100),
        (date(2026, 11, 30), 1800),
        (date(2026, 12, 31), 2000),
    ]
    assert expected_at(line, date(2026, 8, 1)) == 1000  # before the start: the baseline
    assert expected_at(line, date(2026, 9, 16)) == 1050  # halfway along the first segment
    assert expected_at(line, date(2026, 10, 1)) == 1100  # on the milestone
    assert expected_at(line, date(2026, 10, 31)) == 1450
    assert expected_at(line, date(2027, 3, 1)) == 2000  # after the deadline: the target


def test_phase_target_on_and_after_a_milestone_day() -> None:
    line = pacing_line(_goal(), START)
    assert phase_target(line, START) == (date(2026, 10, 1), 1100)
    assert phase_target(line, date(2026, 10, 1)) == (date(2026, 10, 1), 1100)
    assert phase_target(line, date(2026, 10, 2)) == (date(2026, 11, 30), 1800)
    assert phase_target(line, date(2026, 12, 1)) == (date(2026, 12, 31), 2000)
    assert phase_target(line, date(2027, 1, 5)) == (date(2026, 12, 31), 2000)


def test_steps_hold_each_phase_target_until_its_milestone() -> None:
    xs, ys = steps(pacing_line(_goal(), START))
    assert xs == [START, date(2026, 10, 1), date(2026, 11, 30), date(2026, 12, 31)]
    assert ys == [1100, 1800, 2000, 2000]


def test_a_goal_without_milestones_keeps_the_straight_line() -> None:
    line = pacing_line(_goal(milestones=[]), START)
    assert line == [(START, 1000), (date(2026, 12, 31), 2000)]
    straight = pacing_status(_goal(milestones=[]), START, date(2026, 10, 1), 1100, PacingConfig())
    piecewise = pacing_status(
        _goal(), START, date(2026, 10, 1), 1100, PacingConfig(), line=pacing_line(_goal(), START)
    )
    # Straight line: 30 of 121 days -> expected 1,248; 1,100 is at risk (0.40 of 0.25).
    assert straight[0] == "off_track" and straight[1] == pytest.approx(1247.93, abs=0.01)
    # Through the milestone: expected exactly 1,100 on its day -> on track.
    assert piecewise[:2] == ("on_track", 1100)


@pytest.mark.parametrize(
    ("day", "actual", "status"),
    [
        (date(2026, 10, 1), 1100, "on_track"),  # on the milestone, at its target
        (date(2026, 10, 1), 1085, "at_risk"),  # 85 of the 100 expected by now: 0.85
        (date(2026, 10, 1), 1075, "off_track"),  # 0.75, below pacing_at_risk
        (date(2026, 10, 2), 1100, "at_risk"),  # the day after, the steeper phase begins
        (date(2026, 11, 30), 1700, "at_risk"),  # 700 of 800 expected progress: 0.875
        (date(2026, 11, 30), 1500, "off_track"),
        (date(2026, 12, 31), 2000, "achieved"),
    ],
)
def test_status_at_phase_boundaries(day: date, actual: float, status: str) -> None:
    goal = _goal()
    got = pacing_status(goal, START, day, actual, PacingConfig(), line=pacing_line(goal, START))
    assert got[0] == status


def _check(plan_yaml: str) -> list[tuple[str | None, str, str]]:
    text = (
        "---\nplan:\n" + textwrap.indent(textwrap.dedent(plan_yaml).strip("\n"), "  ") + "\n---\n"
    )
    front = read_front_matter(text, "p.md")
    plan, diags = validate(
        Plan, front.data["plan"], file="p.md", locations=front.locations, prefix=("plan",)
    )
    assert plan is not None, diags
    return [
        (d.field, d.rule, d.message)
        for d in check_plan(plan, file="p.md", locations=front.locations)
    ]


PLAN = """
id: p
period: {start: 2026-09-01, end: 2026-12-31}
phases:
  - {name: 预热期, start: 2026-09-01, end: 2026-10-15}
  - {name: 爆发期, start: 2026-10-16, end: 2026-11-30}
"""


def test_milestone_messages() -> None:
    found = _check(
        PLAN
        + """
goals:
  - id: g
    statement: s
    kpi: sessions
    baseline: 1
    target: 2
    deadline: 2026-11-30
    milestones:
      - {date: 2026-10-01, target: 1.2}
      - {date: 2026-09-20, target: 1.3}
      - {phase: 预热, target: 1.4}
      - {date: 2026-12-20, target: 1.5}
      - {target: 1.6}
      - {date: 2026-10-20, phase: 爆发期, target: 1.7}
      - {phase: 爆发期, target: 1.8}
"""
    )
    assert found == [
        (
            "plan.goals[0].milestones[1].date",
            "plan/milestone",
            "milestone on 2026-09-20 is not after the one before it (2026-10-01); list "
            "milestones in date order",
        ),
        (
            "plan.goals[0].milestones[2].phase",
            "plan/milestone",
            "no phase named '预热' (did you mean '预热期'?); phases: 预热期, 爆发期",
        ),
        (
            "plan.goals[0].milestones[3].date",
            "plan/milestone",
            "milestone on 2026-12-20 is outside the goal's run 2026-09-01 – 2026-11-30 (a "
            "milestone lies after the start and before the deadline, where the target itself "
            "applies)",
        ),
        (
            "plan.goals[0].milestones[4]",
            "plan/milestone",
            "a milestone needs exactly one of date or phase",
        ),
        (
            "plan.goals[0].milestones[5]",
            "plan/milestone",
            "a milestone needs exactly one of date or phase",
        ),
        (
            "plan.goals[0].milestones[6].phase",
            "plan/milestone",
            "milestone on 2026-11-30 is outside the goal's run 2026-09-01 – 2026-11-30 (a "
            "milestone lies after the start and before the deadline, where the target itself "
            "applies)",
        ),
    ]


def test_phase_goal_and_objective_messages() -> None:
    found = _check(
        PLAN.replace(
            "  - {name: 预热期, start: 2026-09-01, end: 2026-10-15}\n",
            """  - name: 预热期
    start: 2026-09-01
    end: 2026-10-15
    goals:
      - {id: leads, statement: 预约 1000, kpi: conversions, baseline: 0, target: 1000, objective: grwoth}
      - {id: late, statement: s, kpi: clicks, baseline: 0, target: 5, deadline: 2026-10-20}
      - {id: g, statement: s, kpi: clicks, baseline: 0, target: 5}
""",
        )
        + """
objectives:
  - {id: growth, statement: 增长}
goals:
  - {id: g, statement: s, kpi: sessions, baseline: 1, target: 2, deadline: 2026-11-30, objective: growth}
"""
    )
    assert found == [
        (
            "plan.phases[0].goals[1].deadline",
            "plan/deadline-outside-phase",
            "deadline 2026-10-20 is outside the phase '预热期' 2026-09-01 – 2026-10-15",
        ),
        (
            "plan.phases[0].goals[2].id",
            "plan/duplicate-id",
            "id 'g' is used twice (first at goals[0])",
        ),
        (
            "plan.phases[0].goals[0].objective",
            "plan/unknown-objective",
            "no objective 'grwoth' (did you mean 'growth'?); objectives: growth",
        ),
    ]


def test_a_phase_goal_runs_over_its_phase(tmp_path: Path) -> None:
    from planbook.metrics.targets import as_goal
    from planbook.model import Phase, PhaseGoal

    phase = Phase(name="p", start=date(2026, 9, 1), end=date(2026, 10, 15))
    pg = PhaseGoal(id="x", statement="s", kpi="clicks", baseline=0, target=5)
    goal = as_goal(pg, phase)
    assert (goal.start, goal.deadline) == (date(2026, 9, 1), date(2026, 10, 15))


@pytest.mark.parametrize(
    ("milestone", "field", "message"),
    [
        ("{date: 2026-10-01, target: .nan}", "target", "expected a finite number, got nan"),
        ("{date: 2026-10-01, target: 1e400}", "target", "expected a finite number"),
        ("{date: 2026-10-01, target: true}", "target", "expected a number, got true"),
        ("{date: 20261001, target: 1}", "date", "expected an ISO date (YYYY-MM-DD), got 20261001"),
        ("{date: 2026-10-01, target: 1, due: x}", "due", "unknown field 'due'"),
    ],
)
def test_hostile_milestones(milestone: str, field: str, message: str) -> None:
    text = (
        "---\nplan:\n  id: p\n  period: {start: 2026-09-01, end: 2026-12-31}\n  goals:\n"
        "    - id: g\n      statement: s\n      kpi: clicks\n      baseline: 0\n      target: 5\n"
        f"      deadline: 2026-12-01\n      milestones:\n        - {milestone}\n---\n"
    )
    front = read_front_matter(text, "p.md")
    plan, diags = validate(
        Plan, front.data["plan"], file="p.md", locations=front.locations, prefix=("plan",)
    )
    assert plan is None
    (d,) = diags
    assert (d.line, d.field) == (13, f"plan.goals[0].milestones[0].{field}")
    assert d.message.startswith(message), d.message


def test_diff_names_milestone_and_objective_changes() -> None:
    from planbook.diffing.compare import _goal_compare
    from planbook.diffing.markdown import _value

    a = _goal(objective=None)
    b = _goal(
        objective="growth",
        milestones=[
            {"phase": "预热期", "target": 1200},
            {"date": date(2026, 11, 30), "target": 1800},
        ],
    )
    changes = {c.field: c for c in _goal_compare(None, None)(a, b)}
    assert set(changes) == {"objective", "milestones"}
    c = changes["milestones"]
    assert _value(c.old, c.fmt, "CNY") == "2026-10-01: 1,100; 2026-11-30: 1,800"
    assert _value(c.new, c.fmt, "CNY") == "预热期: 1,200; 2026-11-30: 1,800"
