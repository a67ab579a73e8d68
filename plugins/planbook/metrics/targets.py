"""Phased targets: a goal's pacing line through its milestones, the target of the phase
in effect on a day, and phase goals (阶段目标) as goals of their own.

A goal without milestones paces on the straight line from its baseline at its start to
its target at its deadline. With ``milestones: [{date, target}, …]`` the line runs
through each milestone in turn: the value expected on a day is read off the segment
that day falls in, and the *phase target* on a day is the target of the first
milestone on or after it (the deadline's target after the last one).
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, Severity
from ..frontmatter import Locations, PathKey, format_path
from ..messages import msg

if TYPE_CHECKING:
    from ..model import Goal, Phase, PhaseGoal, Plan

Line = list[tuple[date, float]]


def milestone_date(date_: date | None, phase: str | None, phases: Sequence[Phase]) -> date | None:
    """A milestone's date: its own, or the end of the phase it names (None: unknown)."""
    if date_ is not None:
        return date_
    for ph in phases:
        if ph.name == phase:
            return ph.end
    return None


def pacing_line(goal: Goal, start: date, phases: Sequence[Phase] = ()) -> Line:
    """``[(start, baseline), (milestone date, milestone target) …, (deadline, target)]``.

    Milestones that cannot be placed (unknown phase, outside start..deadline, out of
    order) are left out: :func:`check_targets` reports them where they are written."""
    line: Line = [(start, goal.baseline)]
    for m in goal.milestones:
        day = milestone_date(m.date, m.phase, phases)
        if day is None or not line[-1][0] < day < goal.deadline:
            continue
        line.append((day, m.target))
    line.append((goal.deadline, goal.target))
    return line


def expected_at(line: Line, day: date) -> float:
    """The value the pacing line expects on ``day`` (the baseline before the start, the
    target after the deadline)."""
    if day <= line[0][0]:
        return line[0][1]
    for start, end in itertools.pairwise(line):
        if day <= end[0]:
            return _between(start, end, day)
    return line[-1][1]


def expected_along(line: Line, days: list[date]) -> list[float]:
    """``[expected_at(line, d) for d in days]``, the same numbers, in one walk along the
    line for days in order on a line whose dates are in order (a goal chart's table:
    ~50 days; expected_at looks for each day's segment from the start); otherwise
    expected_at for each day."""
    dated = [d for d, _ in line]
    if any(a > b for a, b in itertools.pairwise(dated)) or any(
        a > b for a, b in itertools.pairwise(days)
    ):
        return [expected_at(line, d) for d in days]
    out: list[float] = []
    k, ends = 1, len(line)
    for d in days:
        if d <= dated[0]:
            out.append(line[0][1])
            continue
        while k < ends and d > dated[k]:
            k += 1
        out.append(line[-1][1] if k == ends else _between(line[k - 1], line[k], d))
    return out


def _between(start: tuple[date, float], end: tuple[date, float], day: date) -> float:
    """The pacing line's value on ``day`` within the segment from ``start`` to ``end``."""
    (d0, v0), (d1, v1) = start, end
    span = (d1 - d0).days
    return v1 if span <= 0 else v0 + (v1 - v0) * (day - d0).days / span


def phase_target(line: Line, day: date) -> tuple[date, float]:
    """The target in effect on ``day``: the first milestone on or after it (the phase
    it closes), else the goal's own target at its deadline."""
    for d, v in line[1:]:
        if day <= d:
            return d, v
    return line[-1]


def steps(line: Line) -> tuple[list[date], list[float]]:
    """The phase targets as a step line for a chart: each phase's target held from the
    previous milestone up to its own date (plotly ``line.shape = "hv"``)."""
    xs = [d for d, _ in line[:-1]] + [line[-1][0]]
    ys = [v for _, v in line[1:]] + [line[-1][1]]
    return xs, ys


def as_goal(goal: PhaseGoal, phase: Phase) -> Goal:
    """A phase goal as a plain goal running from the phase's start to its end (or the
    goal's own start and deadline)."""
    from ..model import Goal

    key = (id(goal), id(phase))
    found = _AS_GOAL.get(key)
    if found is not None and found[0] is goal and found[1] is phase:
        return found[2]  # checked when the page was read, evaluated now: converted once
    data = goal.model_dump(exclude={"start", "deadline"})
    data["start"] = goal.start or phase.start
    data["deadline"] = goal.deadline or phase.end
    result = Goal.model_validate(data)
    if len(_AS_GOAL) >= 4096:
        _AS_GOAL.clear()
    _AS_GOAL[key] = (goal, phase, result)  # holds both: their ids cannot be reused meanwhile
    return result


# Converted phase goals by the identity of the (immutable) phase goal and phase.
_AS_GOAL: dict[tuple[int, int], tuple[PhaseGoal, Phase, Goal]] = {}


def check_targets(plan: Plan, *, file: str, locations: Locations) -> list[Diagnostic]:
    """Milestones that cannot be placed, phase goals outside their phase, goals naming
    an objective the plan does not declare."""
    diags: list[Diagnostic] = []

    def err(path: PathKey, rule: str, msg: str) -> None:
        full = ("plan", *path)
        diags.append(
            Diagnostic(file, locations.line(full), format_path(full), rule, Severity.ERROR, msg)
        )

    objectives = [o.id for o in plan.objectives]
    goal_ids = {g.id: ("goals", i) for i, g in enumerate(plan.goals)}
    located: list[tuple[PathKey, Goal]] = [(("goals", i), g) for i, g in enumerate(plan.goals)]
    for p, phase in enumerate(plan.phases):
        for j, pg in enumerate(phase.goals):
            path: PathKey = ("phases", p, "goals", j)
            if pg.deadline is not None and not phase.start <= pg.deadline <= phase.end:
                err(
                    (*path, "deadline"),
                    "plan/deadline-outside-phase",
                    msg(
                        "plan/deadline-outside-phase",
                        deadline=pg.deadline,
                        phase=phase.name,
                        start=phase.start,
                        end=phase.end,
                    ),
                )
                continue
            if pg.start is not None and not phase.start <= pg.start <= (pg.deadline or phase.end):
                err(
                    (*path, "start"),
                    "plan/goal-start",
                    msg(
                        "plan/goal-start.phase",
                        at=pg.start,
                        start=phase.start,
                        deadline=pg.deadline or phase.end,
                    ),
                )
                continue
            if pg.id in goal_ids:
                first = format_path(goal_ids[pg.id])
                err(
                    (*path, "id"),
                    "plan/duplicate-id",
                    msg("plan/duplicate-id.phase", id=pg.id, first=first),
                )
                continue
            goal_ids[pg.id] = path
            if pg.target == pg.baseline:
                err(
                    (*path, "target"),
                    "plan/target-equals-baseline",
                    msg("plan/target-equals-baseline", target=pg.target),
                )
                continue
            located.append((path, as_goal(pg, phase)))
    for path, goal in located:
        if goal.objective is not None and goal.objective not in objectives:
            close = difflib.get_close_matches(goal.objective, objectives, n=1, cutoff=0.6)
            hint = msg("hint.close", close=close[0]) if close else ""
            known = ", ".join(objectives) or msg("plan/unknown-objective.none")
            err(
                (*path, "objective"),
                "plan/unknown-objective",
                msg("plan/unknown-objective", objective=goal.objective, hint=hint, known=known),
            )
        _check_milestones(plan, path, goal, err)
    return diags


def _check_milestones(
    plan: Plan, path: PathKey, goal: Goal, err: Callable[[PathKey, str, str], None]
) -> None:
    start = goal.start or plan.period.start
    names = [ph.name for ph in plan.phases]
    previous: date | None = None
    for k, m in enumerate(goal.milestones):
        where: PathKey = (*path, "milestones", k)
        if (m.date is None) == (m.phase is None):
            err(where, "plan/milestone", msg("plan/milestone.date-or-phase"))
            continue
        day = milestone_date(m.date, m.phase, plan.phases)
        if day is None:
            close = difflib.get_close_matches(str(m.phase), names, n=1, cutoff=0.5)
            hint = msg("hint.close", close=close[0]) if close else ""
            err(
                (*where, "phase"),
                "plan/milestone",
                msg(
                    "plan/milestone.phase",
                    phase=m.phase,
                    hint=hint,
                    names=", ".join(names) or msg("none"),
                ),
            )
            continue
        field = (*where, "date" if m.date is not None else "phase")
        if not start < day < goal.deadline:
            err(
                field,
                "plan/milestone",
                msg("plan/milestone.outside", day=day, start=start, deadline=goal.deadline),
            )
            continue
        if previous is not None and day <= previous:
            err(
                field,
                "plan/milestone",
                msg("plan/milestone.order", day=day, previous=previous),
            )
            continue
        previous = day
