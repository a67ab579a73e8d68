"""Plan quality: SMART lint of a plan's goals, each rule with an id, a default severity
and the planning guides' reasoning (README, "Plan quality").

The rules read the evaluated goals and the plan's data; they never read the clock.
Every rule reports at ``info`` by default (advice: shown in the plan-quality section and
by ``planbook check``, never failing a build). A site switches a rule off, or raises it
to ``warning`` or ``error`` so CI enforces it, with the plugin option ``lint_rules``
(``{smart/no-owner: off, smart/statement-mismatch: error}``).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from ..cube import Daily
from ..diagnostics import Diagnostic, Severity
from ..format import plain_amount, plain_number, plain_percent
from ..frontmatter import Locations, PathKey, format_path
from ..i18n import Labels
from ..messages import msg, say
from ..model import Plan, allocation_amount, window_days
from .kpis import GoalResult, Kpi, MetricFrame, goal_filters, memos_of
from .series import metric_series
from .statements import quote, show, statement_check
from .targets import pacing_line


@dataclass(frozen=True)
class Rule:
    """A plan-quality rule; what it finds and why it matters are catalogued in both
    languages (``lint.summary.<id>`` / ``lint.why.<id>`` in messages/lint.py)."""

    id: str
    letter: str  # S, M, A, R, T or O (owner)
    severity: Severity

    def summary_in(self, language: str | None) -> str:
        return say(msg(f"lint.summary.{self.id}"), language)

    def why_in(self, language: str | None) -> str:
        return say(msg(f"lint.why.{self.id}"), language)


RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        Rule("smart/vague-statement", "S", Severity.INFO),
        Rule("smart/statement-mismatch", "S", Severity.INFO),
        Rule("smart/no-data", "M", Severity.INFO),
        Rule("smart/unprecedented-growth", "A", Severity.INFO),
        Rule("smart/budget-short", "A", Severity.INFO),
        Rule("smart/no-objective", "R", Severity.INFO),
        Rule("smart/conflicting-goals", "R", Severity.INFO),
        Rule("smart/no-milestones", "T", Severity.INFO),
        Rule("smart/no-owner", "O", Severity.INFO),
    )
}

LEVELS = ("off", "info", "warning", "error")
QUARTER_DAYS = 92
MONTH_DAYS = 28
COST_MEASURES = {"conversions": "CPA", "new_customers": "CAC", "orders": "cost per order"}
VOLUME_MEASURES = frozenset(
    {"spend", "impressions", "clicks", "conversions", "new_customers", "orders", "new_followers"}
)


@dataclass(frozen=True)
class Located:
    """A goal as evaluated, and where it is written (``plan.goals[2]``)."""

    path: PathKey
    result: GoalResult


def lint_plan(
    plan: Plan,
    goals: Sequence[Located],
    data: MetricFrame,
    *,
    file: str,
    locations: Locations,
    levels: Mapping[str, str] | None = None,
    channel_dimension: str = "channel",
) -> list[Diagnostic]:
    """The plan-quality findings of ``plan`` (its goals as evaluated, phase goals too)."""
    levels = levels or {}
    found: list[Diagnostic] = []

    def note(rule: str, path: PathKey, message: str) -> None:
        level = levels.get(rule, RULES[rule].severity.value)
        if level == "off":
            return
        full = ("plan", *path)
        found.append(
            Diagnostic(
                file, locations.line(full), format_path(full), rule, Severity(level), message
            )
        )

    objectives = bool(plan.objectives)
    empty = data.empty  # a pandas property that walks the frame's axes: once, not per goal
    for item in goals:
        g, goal, path = item.result, item.result.goal, item.path
        first, then = _goal_notes(g, data, plan, empty, channel_dimension)
        for rule, sub, message in first:
            note(rule, (*path, sub), message)
        if objectives and goal.objective is None:
            known = ", ".join(o.id for o in plan.objectives)
            note(
                "smart/no-objective",
                (*path, "id"),
                msg("smart/no-objective", goal=goal.id, known=known),
            )
        for rule, sub, message in then:
            note(rule, (*path, sub), message)
    for p, phase in enumerate(plan.phases):
        for m, milestone in enumerate(phase.milestones):
            if not milestone.owner:
                note(
                    "smart/no-owner",
                    ("phases", p, "milestones", m),
                    msg(
                        "smart/no-owner.milestone",
                        milestone=quote(milestone.name),
                        phase=quote(phase.name),
                    ),
                )
    _conflicts(goals, channel_dimension, note)
    return found


# A goal's findings (rule, field under the goal, message): those before its objective's
# and those after, in the order lint_plan reports them.
Notes = tuple[tuple[str, str, str], ...]

# Goals' findings kept per cube (with its other memos, kpis.memos_of): plans written alike
# share their goal models (planbook.sharing) and their KPI resolutions, and find the
# same (issue 12).
_NOTES_MAX = 4096  # per cube, then started again (`mkdocs serve` reads edited goals anew)


def _goal_notes(
    g: GoalResult, data: MetricFrame, plan: Plan, empty: bool, dimension: str
) -> tuple[Notes, Notes]:
    """:func:`_judge_goal`, once per goal object, KPI, errors or not, start, pacing line,
    as-of day, forecast, budget and currency over ``data``: all it reads."""
    broken = any(d.severity is Severity.ERROR for d in g.diagnostics)
    if not g.line:  # the growth rule reads the plan's phases then
        return _judge_goal(g, data, plan, empty, dimension, broken)
    memos = memos_of(data)
    memo = memos.get(("notes",))
    if memo is None or len(memo) >= _NOTES_MAX:
        memo = memos[("notes",)] = {}
    goal, kpi, budget = g.goal, g.kpi, plan.budget
    key = (
        id(goal),
        id(kpi),
        broken,
        g.start,
        tuple(g.line),
        g.as_of,
        g.forecast,
        id(budget),
        plan.currency,
        dimension,
    )
    found = memo.get(key)
    if found is not None:  # its goal, KPI and budget are alive: the ids are theirs
        return found[3]
    notes = _judge_goal(g, data, plan, empty, dimension, broken)
    # the objects whose ids the key holds: kept alive with it, no other object has them
    memo[key] = (goal, kpi, budget, notes)
    return notes


def _judge_goal(
    g: GoalResult, data: MetricFrame, plan: Plan, empty: bool, dimension: str, broken: bool
) -> tuple[Notes, Notes]:
    goal = g.goal
    first: list[tuple[str, str, str]] = []
    numbers = statement_check(goal.statement, goal.baseline, g.format, goal.target)
    if numbers == "vague":
        first.append(
            (
                "smart/vague-statement",
                "statement",
                msg(
                    "smart/vague-statement",
                    statement=quote(goal.statement),
                    baseline=show(goal.baseline, g.format),
                    target=show(goal.target, g.format),
                    deadline=goal.deadline,
                ),
            )
        )
    elif numbers is not None:
        first.append(("smart/statement-mismatch", "statement", numbers))
    if not broken and g.kpi is not None:
        message = _no_data(g, data, empty)
        if message:
            first.append(("smart/no-data", "kpi", message))
        else:
            growth = _growth(g, data, plan)
            if growth:
                first.append(("smart/unprecedented-growth", "target", growth))
            short = _budget_short(g, data, plan, dimension)
            if short:
                first.append(("smart/budget-short", "target", short))
    then: list[tuple[str, str, str]] = []
    span = (goal.deadline - g.start).days
    if span > QUARTER_DAYS and not goal.milestones:
        then.append(
            (
                "smart/no-milestones",
                "deadline",
                msg("smart/no-milestones", span=span, start=g.start, deadline=goal.deadline),
            )
        )
    if not goal.owner:
        then.append(("smart/no-owner", "id", msg("smart/no-owner", goal=goal.id)))
    return tuple(first), tuple(then)


# --------------------------------------------------------------------------- data rules


def _daily(g: GoalResult, data: MetricFrame) -> Daily:
    kpi = g.kpi
    assert kpi is not None
    require = () if kpi.is_measure else data.require(kpi.measures)
    return data.arrays(goal_filters(g.goal), require)


def _day(day: np.datetime64) -> date:
    return day.astype("datetime64[D]").astype(object)


def _no_data(g: GoalResult, data: MetricFrame, empty: bool) -> str | None:
    """Why goal ``g`` has no data (``empty``: ``data.empty``, asked once per plan)."""
    kpi = g.kpi
    assert kpi is not None
    if empty:
        return msg("smart/no-data.no-files", kpi=kpi.id)
    if any(m not in data.measures for m in kpi.measures):
        return None  # kpi/missing-column says which
    daily = _daily(g, data)
    cols = [c for c in kpi.measures if c in daily.index]
    if not len(daily) or not cols or all(np.isnan(daily.column(c)).all() for c in cols):
        where = ", ".join(f"{d}={'/'.join(v)}" for d, v in g.goal.filter.items())
        if where:
            return msg("smart/no-data.filtered", kpi=kpi.id, where=where, measures=kpi.measures)
        return msg("smart/no-data", kpi=kpi.id, measures=kpi.measures)
    return None


def _cumulative(g: GoalResult, kpi: Kpi) -> bool:
    return kpi.is_measure and g.goal.aggregate in (None, "sum") and not g.goal.window


def _growth(g: GoalResult, data: MetricFrame, plan: Plan) -> str | None:
    """Required growth (steepest segment of the pacing line) against the best 28 days of
    the data before the goal starts; the forecast when there is too little history."""
    goal, kpi = g.goal, g.kpi
    assert kpi is not None
    daily = _daily(g, data)
    history = daily.before(g.start)
    up = goal.target > goal.baseline
    line = g.line or pacing_line(goal, g.start, plan.phases)
    if _cumulative(g, kpi):
        if not up or goal.baseline < 0:
            return None
        need = max(
            (v1 - v0) / max((d1 - d0).days, 1) for (d0, v0), (d1, v1) in itertools.pairwise(line)
        )
        col = daily.column(kpi.id)[history]
        have = ~np.isnan(col)
        col, days = col[have], daily.days[history][have]
        if len(col) >= MONTH_DAYS:
            # 28-day sums over every day from the first with data (days without rows: 0).
            offsets = (days - days[0]).astype(np.int64)
            per_day = np.zeros(int(offsets[-1]) + 1)
            per_day[offsets] = col
            total = np.concatenate([[0.0], np.cumsum(per_day)])
            sums = total[MONTH_DAYS:] - total[:-MONTH_DAYS]
            at = int(np.argmax(sums))
            best = float(sums[at]) / MONTH_DAYS
            if np.isfinite(best) and need > best * 1.0001:
                end = _day(days[0]) + timedelta(days=at + MONTH_DAYS - 1)
                return msg(
                    "smart/unprecedented-growth.daily",
                    need=plain_amount(need),
                    target=plain_number(goal.target),
                    deadline=goal.deadline,
                    best=plain_amount(best),
                    end=end,
                )
            return None
        return _forecast_short(g)
    if goal.baseline <= 0 or goal.target <= 0:
        return None
    rates = [
        (v1 / v0) ** (MONTH_DAYS / max((d1 - d0).days, 1)) - 1
        for (d0, v0), (d1, v1) in itertools.pairwise(line)
        if v0 > 0 and v1 > 0
    ]
    if not rates:
        return None
    need = max(rates) if up else min(rates)
    if (up and need <= 0) or (not up and need >= 0):
        return None
    first = _day(daily.days[0]) if history.stop > history.start else None
    if first is None or (g.start - first).days < 2 * MONTH_DAYS:
        return _forecast_short(g)
    window = None if goal.aggregate == "last" else MONTH_DAYS
    window = window_days(goal.window) if goal.window else window
    # The goal's value on each day before the start (a full daily index), compared with
    # its value 28 days earlier: numpy over positions, no per-day Python.
    series = metric_series(kpi, daily, first, g.start - timedelta(days=1), goal.aggregate, window)
    values = series.to_numpy(dtype="float64")
    if window:  # trailing windows that start before the data are partial: left out
        values = values.copy()
        values[: window - 1] = np.nan
    if len(values) <= MONTH_DAYS:
        return _forecast_short(g)
    now, then = values[MONTH_DAYS:], values[:-MONTH_DAYS]
    ok = np.isfinite(now) & np.isfinite(then) & (then > 0)
    if not ok.any():
        return None
    change = np.full(len(now), np.nan)
    change[ok] = now[ok] / then[ok] - 1
    at = int(np.nanargmax(change) if up else np.nanargmin(change))
    best = float(change[at])
    best_day = series.index[MONTH_DAYS + at]
    if (up and need <= best) or (not up and need >= best):
        return None
    word = "best" if up else "steepest"
    shown_need = plain_percent(need, signed=True)
    shown_best = plain_percent(best, signed=True)
    digits = 2
    while shown_need == shown_best and digits <= 4:  # +5.5% vs +5.5%: show where they differ
        shown_need = plain_percent(need, signed=True, digits=digits)
        shown_best = plain_percent(best, signed=True, digits=digits)
        digits += 1
    return msg(
        "smart/unprecedented-growth.monthly",
        need=shown_need,
        baseline=show(goal.baseline, g.format),
        target=show(goal.target, g.format),
        deadline=goal.deadline,
        word=word,
        best=shown_best,
        day=best_day.date(),
    )


def _forecast_short(g: GoalResult) -> str | None:
    goal = g.goal
    if g.forecast is None or g.as_of is None or g.as_of >= goal.deadline:
        return None
    up = goal.target > goal.baseline
    short = g.forecast < goal.target if up else g.forecast > goal.target
    if not short:
        return None
    return msg(
        "smart/unprecedented-growth.forecast",
        forecast=show(g.forecast, g.format),
        target=show(goal.target, g.format),
    )


def _budget_short(g: GoalResult, data: MetricFrame, plan: Plan, dimension: str) -> str | None:
    goal, kpi = g.goal, g.kpi
    assert kpi is not None
    if (
        plan.budget is None
        or kpi.id not in COST_MEASURES
        or not _cumulative(g, kpi)
        or goal.target <= goal.baseline
        or "spend" not in data.measures
    ):
        return None
    daily = data.arrays(goal_filters(goal), data.require(("spend", kpi.id)))
    spent, counted = daily.column("spend"), daily.column(kpi.id)
    both = ~np.isnan(spent) & ~np.isnan(counted)  # the days with both

    def days_with_both(rows: slice) -> np.ndarray:
        return np.flatnonzero(both[rows]) + rows.start

    rows, when = days_with_both(daily.before(g.start)), ""
    if not len(rows) and g.as_of is not None:
        rows, when = days_with_both(daily.span(g.start, g.as_of)), f"{g.start} – {g.as_of}"
    if not len(rows):
        return None
    spend, count = float(spent[rows].sum()), float(counted[rows].sum())
    if count <= 0 or spend <= 0:
        return None
    if not when:  # before the start
        when = f"{_day(daily.days[rows[0]])} – {_day(daily.days[rows[-1]])}"
    cost = spend / count
    budget = plan.budget
    amount = budget.total
    wanted = set(goal.filter.get(dimension, ()))
    if wanted and budget.by == dimension:
        matched = [a for a in budget.allocations if a.item in wanted or wanted & set(a.match or ())]
        if matched:
            amount = sum(allocation_amount(a, budget.total) for a in matched)
    need = goal.target - goal.baseline
    affordable = amount / cost
    if need <= affordable:
        return None
    name = msg(f"smart/budget-short.{kpi.id}")  # COST_MEASURES[kpi.id] in each language
    cur = plan.currency
    return msg(
        "smart/budget-short",
        need=plain_number(need),
        kpi=kpi.id,
        cost=plain_number(round(need * cost)),
        cur=cur,
        name=name,
        unit=plain_number(round(cost, 2)),
        when=when,
        amount=plain_number(amount),
        affordable=plain_number(math.floor(affordable)),
    )


# --------------------------------------------------------------------------- conflicts


def _channels(g: GoalResult, dimension: str) -> set[str] | None:
    """The channels a goal is about (None: all of them)."""
    values = g.goal.filter.get(dimension)
    return set(values) if values else None


def _conflicts(
    goals: Sequence[Located], dimension: str, note: Callable[[str, PathKey, str], None]
) -> None:
    costs = [
        item
        for item in goals
        if item.result.kpi is not None
        and not item.result.kpi.is_measure
        and "spend" in item.result.kpi.measures
        and item.result.goal.target < item.result.goal.baseline
    ]
    volumes = [
        item
        for item in goals
        if item.result.kpi is not None
        and item.result.kpi.is_measure
        and item.result.kpi.id in VOLUME_MEASURES
        and item.result.goal.target > item.result.goal.baseline
    ]
    for cost in costs:
        kpi = cost.result.kpi
        assert kpi is not None
        for volume in volumes:
            measure = volume.result.kpi.id  # type: ignore[union-attr]
            if measure != "spend" and measure not in kpi.measures:
                continue
            a, b = _channels(cost.result, dimension), _channels(volume.result, dimension)
            shared = None if a is None and b is None else (a or b or set()) & (b or a or set())
            if shared is not None and not shared:
                continue
            where = (
                msg(
                    "smart/conflicting-goals.where",
                    dimension=(dimension, Labels("zh")(f"dim.{dimension}")),
                    values=sorted(shared),
                )
                if shared
                else msg("smart/conflicting-goals.every")
            )
            note(
                "smart/conflicting-goals",
                (*cost.path, "target"),
                msg(
                    "smart/conflicting-goals",
                    cost=cost.result.goal.id,
                    kpi=kpi.id,
                    volume=volume.result.goal.id,
                    measure=measure,
                    where=where,
                ),
            )


def explain_rule(
    rule: str, levels: Mapping[str, str] | None = None, language: str | None = "en"
) -> str:
    """``planbook check --explain smart/…``: the rule, its level on this site, and why, in
    the site's language; ``KeyError`` with the message (and a close match) when unknown."""
    import difflib

    found = RULES.get(rule)
    if found is None:
        close = difflib.get_close_matches(rule, list(RULES), n=1, cutoff=0.6)
        known = list(RULES)
        said = (
            msg("lint.unknown-rule.close", rule=rule, close=close[0], known=known)
            if close
            else msg("lint.unknown-rule", rule=rule, known=known)
        )
        raise KeyError(say(said, language))
    level = (levels or {}).get(rule, found.severity.value)
    return say(
        msg(
            "lint.explain",
            rule=found.id,
            letter=msg(f"lint.letter.{found.letter}"),
            level=msg(f"lint.level.{level}"),
            summary=msg(f"lint.summary.{found.id}"),
            why=msg(f"lint.why.{found.id}"),
        ),
        language,
    )
