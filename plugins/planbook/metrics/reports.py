"""Periodic reports: KPI values per closed period against the previous period and the
pacing line, channel table, top movers, goal status changes and recommendations
computed from the numbers. Which periods a plan reports on, and their pages, is
:mod:`.periods`."""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
import pandas as pd

from ..cube import Daily
from ..format import Formatter, is_missing
from ..frontmatter import Locations
from ..model import Goal
from .breakdown import Breakdown, breakdown
from .budget import evaluate_budget
from .evaluation import PlanView
from .kpis import (
    GoalResult,
    KpiError,
    PacingConfig,
    evaluate_goal,
    filter_key,
    goal_filters,
    kpi_values,
)
from .periods import EVERY as EVERY  # the calendar periods live in periods.py
from .periods import MAX_REPORT_PAGES as MAX_REPORT_PAGES
from .periods import Period as Period
from .periods import closed_periods as closed_periods
from .periods import parse_period as parse_period
from .periods import period_containing as period_containing
from .periods import report_page_source as report_page_source
from .periods import report_pages as report_pages
from .periods import report_pages_problem as report_pages_problem
from .targets import phase_target

REPORT_KPIS = ("spend", "conversions", "revenue", "cac", "cpa", "roi")


# --------------------------------------------------------------------------- report


@dataclass
class KpiRow:
    goal: Goal
    label: str
    format: str
    value: float | None
    previous: float | None
    at_end: GoalResult
    before: GoalResult | None
    higher_is_better: bool
    # The phase target the period is judged against (milestone date, target), and
    # whether the actual at the period's end reached it (None: not judged yet).
    phase: tuple[date, float] | None = None
    phase_met: bool | None = None

    @property
    def delta(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def delta_pct(self) -> float | None:
        if self.delta is None or not self.previous:
            return None
        return self.delta / abs(self.previous)

    @property
    def good(self) -> bool | None:
        """Did the KPI move the right way (toward the goal's target)?"""
        if self.delta is None:
            return None
        flat = (
            abs(self.delta) < 0.0005
            if self.format == "percent"
            else abs(self.delta_pct or 0) < 0.0005
        )
        if self.delta == 0 or flat:
            return None
        return (self.delta > 0) == self.higher_is_better


@dataclass
class Mover:
    channel: str
    metric: str
    previous: float
    value: float

    @property
    def delta(self) -> float:
        return self.value - self.previous

    @property
    def digits(self) -> int:
        """Decimals the three numbers are shown with: none for whole numbers, one for
        fractional ones (conversions split by attribution)."""
        whole = float(self.previous).is_integer() and float(self.value).is_integer()
        return 0 if whole else 1

    @property
    def shown_delta(self) -> float:
        """The change as the difference of the two numbers shown (168.6 → 183.4 read
        "169 → 183 ▲ 14" when each was rounded alone)."""
        return round(self.value, self.digits) - round(self.previous, self.digits)


@dataclass
class Recommendation:
    kind: str  # shift-budget, over-cap, over-pace, off-track
    message_zh: str
    message_en: str
    amount: float | None = None

    def message(self, language: str) -> str:
        return self.message_zh if language == "zh" else self.message_en


@dataclass
class Report:
    view: PlanView
    period: Period
    previous: Period
    kpis: list[KpiRow]
    channels: Breakdown | None
    previous_channels: Breakdown | None
    movers: list[Mover]
    status_changes: list[tuple[Goal, str, str]]
    recommendations: list[Recommendation] = field(default_factory=list)
    has_data: bool = True


def _period_values(
    result_kpi, daily: Daily, goal: Goal, periods: Sequence[tuple[date, date]]
) -> list[float | None]:
    """The goal's KPI over each ``(start, end)`` of ``periods``, from its daily sums
    (kept on ``daily`` per KPI, aggregate and period: plans over the same sources share
    them)."""
    cols = [m for m in result_kpi.measures if m in daily.index]
    if len(cols) < len(result_kpi.measures):
        return [None] * len(periods)
    kpi = (result_kpi.expr, result_kpi.measures, result_kpi.is_measure, goal.aggregate)
    out: list[float | None] = []
    for start, end in periods:
        key = ("period", *kpi, start, end)
        if key not in daily.memo:
            # The days are sorted: a period is a slice of the cube's arrays.
            table = daily.values[daily.span(start, end)][:, [daily.index[c] for c in cols]]
            with np.errstate(over="ignore", invalid="ignore"):  # huge sums: no value
                daily.memo[key] = _value(result_kpi, goal, cols, table)
        out.append(daily.memo[key])
    return out


def _value(result_kpi, goal: Goal, cols: list[str], values: np.ndarray) -> float | None:
    present = ~np.isnan(values)
    if not present.any():
        return None
    if result_kpi.is_measure:
        col = values[present[:, 0], 0]
        if not len(col):
            return None
        if goal.aggregate == "daily_mean":
            return float(col.mean())
        if goal.aggregate == "last":
            return float(col[-1])
        return float(col.sum())
    sums = np.where(present.any(axis=0), np.nansum(values, axis=0), np.nan)
    v = kpi_values(result_kpi, dict(zip(cols, sums, strict=True)))
    return None if not np.isfinite(v) else float(v)


# Goal evaluations as of a day, per plan view: the report of a period evaluates each goal
# at the period's end and at the previous period's end, and the next period's report
# evaluates that day again. Kept while the view lives (id -> weak reference, memo).
_AS_OF: dict[int, tuple[weakref.ReferenceType, dict[tuple, GoalResult]]] = {}


def _evaluations(view: PlanView) -> dict[tuple, GoalResult]:
    key = id(view)
    entry = _AS_OF.get(key)
    if entry is None or entry[0]() is not view:

        def drop(ref: weakref.ReferenceType, key: int = key) -> None:
            if key in _AS_OF and _AS_OF[key][0] is ref:
                del _AS_OF[key]

        entry = (weakref.ref(view, drop), {})
        _AS_OF[key] = entry
    return entry[1]


def forget_as_of(views: Iterable[PlanView | None]) -> None:
    """`mkdocs build`, once a page that showed reports of ``views`` is made: their goal
    evaluations as of a day go (a 1,000-plan site held ~10,000 of them, ~3 MB, to the end
    of the build). A later report of the same plan evaluates its days again, to the same
    figures: each goal's figures are kept with the cube (planbook.metrics.kpis), so that is a
    lookup and a new result each."""
    for view in views:
        entry = _AS_OF.get(id(view)) if view is not None else None
        if entry is not None and entry[0]() is view:
            del _AS_OF[id(view)]


def goal_as_of(view: PlanView, index: int, day: date, pacing: PacingConfig) -> GoalResult:
    """``plan.goals[index]`` of an evaluated plan, evaluated as of ``day`` (once per plan
    view, goal, day and pacing settings). The view's own result when it was judged on
    that day with those settings: the same figures (only its diagnostics, which a report
    does not show, name the page)."""
    memo = _evaluations(view)
    key = (index, day, pacing)
    found = memo.get(key)
    if found is None and view.pacing == pacing and index < len(view.goals):
        own = view.goals[index]
        # as_of is the day the goal was judged at (its deadline at the latest) once its
        # data was read; ``day`` then gives the same judgement
        if own.goal is view.plan.goals[index] and own.as_of == day:
            found = memo[key] = own
    if found is None:
        found = memo[key] = evaluate_goal(
            view.plan.goals[index],
            index=index,
            plan=view.plan,
            data=view.data,
            registry=view.registry,
            as_of=day,
            pacing=pacing,
            file="",
            locations=Locations(),
        )
    return found


def build_report(
    view: PlanView,
    period: Period,
    *,
    pacing: PacingConfig,
    roi_threshold: float = 0.0,
    shift_share: float = 0.2,
    budget_tolerance: float = 0.1,
    dimension: str = "channel",
    language: str = "zh",
) -> Report:
    """Everything one report page shows, for ``period`` of an evaluated plan."""
    plan, data = view.plan, view.data
    prev = period.previous()
    rows: list[KpiRow] = []
    changes: list[tuple[Goal, str, str]] = []
    for i, goal in enumerate(plan.goals):
        try:
            kpi = view.registry.get(goal.kpi)
        except KpiError:
            continue
        # A ratio reads only the rows that have all its measures.
        with np.errstate(over="ignore", invalid="ignore"):  # huge sums overflow to inf
            daily = data.arrays(
                goal_filters(goal), () if kpi.is_measure else data.require(kpi.measures)
            )
        at_end = goal_as_of(view, i, period.end, pacing)
        before = None
        if prev.end >= (goal.start or plan.period.start):
            before = goal_as_of(view, i, prev.end, pacing)
            if before.status != at_end.status:
                changes.append((goal, before.status, at_end.status))
        better = goal.target > goal.baseline
        now, earlier = _period_values(
            kpi, daily, goal, [(period.start, period.end), (prev.start, prev.end)]
        )
        row = KpiRow(
            goal,
            kpi.label(language),
            kpi.format,
            now,
            earlier,
            at_end,
            before,
            better,
        )
        row.phase, row.phase_met = _phase_judgement(at_end, period)
        rows.append(row)
    has_dim = dimension in data.dimensions
    only = filter_key(plan.channel_filter)
    channels = before_channels = None
    if has_dim:
        channels = breakdown(
            data, view.registry, dimension, period.start, period.end, REPORT_KPIS, only
        )
        before_channels = breakdown(
            data, view.registry, dimension, prev.start, prev.end, REPORT_KPIS, only
        )
        channels = _without_empty_columns(channels)
    report = Report(
        view,
        period,
        prev,
        rows,
        channels,
        before_channels,
        _movers(channels, before_channels),
        changes,
    )
    report.has_data = bool(channels and channels.rows) or any(r.value is not None for r in rows)
    report.recommendations = _recommend(
        report, roi_threshold, shift_share, budget_tolerance, pacing
    )
    return report


def _without_empty_columns(b: Breakdown) -> Breakdown:
    """The channel table without the columns no channel has a value in (a plan without
    new-customer data shows no 获客成本 column of dashes)."""
    rows = b.rows + ([b.total] if b.total else [])
    keep = [k for k in b.columns if any(not is_missing(r.values.get(k.id)) for r in rows)]
    if len(keep) == len(b.columns):
        return b
    return replace(
        b, columns=keep, partial={k: v for k, v in b.partial.items() if k in {c.id for c in keep}}
    )


def _phase_judgement(
    at_end: GoalResult, period: Period
) -> tuple[tuple[date, float] | None, bool | None]:
    """A goal with milestones: the phase target a period answers to (the last milestone
    that falls in it, else the one in effect at its end), and whether the goal's value on
    that milestone's day reached it (None: no milestone falls in the period, or no value)."""
    line = at_end.line
    if len(line) <= 2:
        return None, None
    inside = [(d, v) for d, v in line[1:] if period.start <= d <= period.end]
    target = inside[-1] if inside else phase_target(line, period.end)
    if not inside:
        return target, None
    series = at_end.series
    day = pd.Timestamp(target[0])
    value = series.get(day) if len(series) else None
    if value is None or not np.isfinite(value):
        return target, None
    up = at_end.goal.target > at_end.goal.baseline
    return target, bool(value >= target[1] if up else value <= target[1])


def _values(b: Breakdown | None, metric: str) -> dict[str, float]:
    if b is None:
        return {}
    return {r.key: r.values[metric] for r in b.rows if r.values.get(metric) is not None}


def _movers(now: Breakdown | None, before: Breakdown | None, top: int = 3) -> list[Mover]:
    metric = next(
        (
            m
            for m in ("conversions", "revenue", "spend")
            if now is not None and any(k.id == m for k in now.columns)
        ),
        None,
    )
    if metric is None:
        return []
    a, b = _values(now, metric), _values(before, metric)
    movers = [Mover(ch, metric, b.get(ch, 0.0), a.get(ch, 0.0)) for ch in sorted(set(a) | set(b))]
    movers = [m for m in movers if m.delta != 0]
    movers.sort(key=lambda m: (-abs(m.delta), m.channel))
    return movers[:top]


_FMT: dict[tuple[str, str], Formatter] = {}


def _formatter(language: str, currency: str) -> Formatter:
    found = _FMT.get((language, currency))
    if found is None:
        found = _FMT[(language, currency)] = Formatter(language, currency)
    return found


def _recommend(
    report: Report, threshold: float, share: float, tolerance: float, pacing: PacingConfig
) -> list[Recommendation]:
    out: list[Recommendation] = []
    currency = report.view.plan.currency
    names = report.view.value_labels
    zh, en = _formatter("zh", currency).money, _formatter("en", currency).money
    # Measured percentages as the tables show them (one decimal: ROI 0.5 %, never "1 %"
    # beside a table that says 0.5 %); a configured threshold or share as written.
    pct = _formatter("en", currency).percent  # the same text in both languages

    def setting(v: float) -> str:
        return pct(v, 0 if round(v * 100, 6).is_integer() else 1)

    roi_now, roi_before = _values(report.channels, "roi"), _values(report.previous_channels, "roi")
    if report.previous.end < report.view.plan.period.start:
        roi_before = {}  # "two periods in a row" counts periods of the plan only
    spend_now = _values(report.channels, "spend")
    best = sorted(
        ((r, ch) for ch, r in roi_now.items() if r >= threshold and spend_now.get(ch)), reverse=True
    )
    for ch in sorted(roi_now):
        if (
            roi_now[ch] < threshold
            and ch in roi_before  # two periods of the plan, not one before it started
            and roi_before[ch] < threshold
            and ch in spend_now
        ):
            amount = round(spend_now[ch] * share, -2)
            if not best or amount <= 0:
                continue
            target_roi, target = best[0]
            out.append(
                Recommendation(
                    "shift-budget",
                    f"{names.get(ch, ch)} 的 ROI 连续两期低于 {setting(threshold)}（上期 "
                    f"{pct(roi_before[ch])}，本期 {pct(roi_now[ch])}）：建议下期从 {names.get(ch, ch)} "
                    f"调出约 {zh(amount)}（本期花费的 {setting(share)}）投向 ROI 最高的 "
                    f"{names.get(target, target)}（{pct(target_roi)}）。",
                    f"{names.get(ch, ch)} ROI stayed below {setting(threshold)} for two periods "
                    f"({pct(roi_before[ch])}, {pct(roi_now[ch])}): move about {en(amount)} "
                    f"({setting(share)} of its spend this period) to {names.get(target, target)}, "
                    f"the best channel ({pct(target_roi)} ROI), next period.",
                    amount,
                )
            )
    view = report.view
    budget = view.budget
    if budget is None or budget.as_of != report.period.end or budget.tolerance != tolerance:
        # the view's budget is as of its own date: evaluated again unless that is the
        # period's end (the same figures; only its diagnostics name the page)
        budget = evaluate_budget(
            view.plan,
            view.data,
            view.registry,
            report.period.end,
            tolerance=tolerance,
            file="",
            locations=Locations(),
        )
    if budget is not None:
        for row in budget.rows:
            label = names.get(row.item, row.item) if row.label == row.item else row.label
            if row.source != "data":
                continue  # spend recorded by hand is today's, not the period's: no advice
            if row.over_cap and row.spent is not None and row.cap is not None:
                over = row.spent - row.cap
                # one unit for the three amounts, as in the budget table (not ¥6.1万 beside
                # ¥6,000)
                amounts = [row.spent, row.cap, over]
                z, e = (
                    [f.cell(v, f.column(amounts, "currency")) for v in amounts]
                    for f in (_formatter("zh", currency), _formatter("en", currency))
                )
                out.append(
                    Recommendation(
                        "over-cap",
                        f"{label} 已花费 {z[0]}，超出上限 {z[1]} 共 {z[2]}：暂停追加投放或申请调整上限。",
                        f"{label} has spent {e[0]}, {e[2]} over its cap "
                        f"{e[1]}: stop adding spend or ask for a higher cap.",
                        over,
                    )
                )
            elif budget.over_pace(row) and row.used is not None and budget.elapsed is not None:
                # as the budget figures show them, with the decimals that tell them apart
                used, elapsed = _formatter("en", currency).apart(
                    row.used, budget.elapsed, "percent"
                )
                out.append(
                    Recommendation(
                        "over-pace",
                        f"{label} 已用预算 {used}，而周期仅过去 {elapsed}：放缓投放节奏。",
                        f"{label} has used {used} of its budget with {elapsed} "
                        "of the period gone: slow the pace of spend.",
                    )
                )
    for r in report.kpis:
        if r.at_end.status == "off_track":
            out.append(
                Recommendation(
                    "off-track",
                    f"目标「{r.goal.statement}」落后于进度：复盘渠道与创意，必要时调整目标或资源。",
                    f"Goal \u201c{r.goal.statement}\u201d is off track: review channels and creative, "
                    "or adjust the target or the resources.",
                )
            )
    return out
