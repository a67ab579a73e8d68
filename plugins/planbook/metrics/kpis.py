"""KPIs of goals: aggregation, goal evaluation, pacing and forecast, over the KPI library
(built-in KPIs and plan formulas, :mod:`.kpi_registry`).

Ratio KPIs are always ratios of sums: a KPI's formula is expanded down to base
measures (columns), the measures are summed over the window, and only then is the
formula evaluated. A mean of daily ratios is never taken.
"""

from __future__ import annotations

import difflib
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from ..cube import MetricFrame  # re-exported: MetricFrame lives in cube.py
from ..diagnostics import Diagnostic, Severity
from ..frontmatter import Locations, PathKey, format_path
from ..messages import msg
from ..model import Goal, Plan, window_days
from . import formula as fx
from .kpi_registry import BUILTIN_KPIS, Kpi, KpiError, KpiRegistry, key

# The KPI library lives in kpi_registry.py; its names stay importable from here.
from .kpi_registry import CURRENCY_MEASURES as CURRENCY_MEASURES
from .kpi_registry import LOWER_IS_BETTER_MEASURES as LOWER_IS_BETTER_MEASURES
from .kpi_registry import BuiltinKpi as BuiltinKpi
from .kpi_registry import Format as Format
from .kpi_registry import kpi_values as kpi_values
from .series import (
    goal_forecast,
    goal_series,
    metric_series,  # noqa: F401  (re-exported: it lived here)
)
from .series import nan_to_none as _nan_to_none
from .statements import show
from .targets import expected_at, pacing_line

# --------------------------------------------------------------------------- data views


def unknown_dimension(dim: str, data: MetricFrame) -> str:
    """The message for a filter on a column the data does not have."""
    close = difflib.get_close_matches(dim, data.dimensions, n=1, cutoff=0.6)
    hint = msg("hint.close", close=close[0]) if close else ""
    dims = ", ".join(data.dimensions) or msg("none")
    return msg("kpi/unknown-dimension", dim=dim, hint=hint, dims=dims)


# --------------------------------------------------------------------------- goals

STATUSES = ("achieved", "on_track", "at_risk", "off_track", "not_started", "no_data")
STATUS_RANK = {
    s: i
    for i, s in enumerate(
        ("achieved", "on_track", "not_started", "no_data", "at_risk", "off_track")
    )
}


@dataclass(frozen=True)
class PacingConfig:
    """Status thresholds as a share of the progress expected by now."""

    on_track: float = 0.95
    at_risk: float = 0.80
    forecast_days: int = 28


@dataclass
class GoalResult:
    goal: Goal
    kpi: Kpi | None
    start: date
    as_of: date | None
    actual: float | None = None
    expected: float | None = None
    progress: float | None = None
    expected_progress: float | None = None
    forecast: float | None = None
    status: str = "no_data"
    series: pd.Series = field(default_factory=lambda: pd.Series(dtype="float64"))
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # The pacing line: start, each milestone, deadline (planbook.metrics.targets.pacing_line).
    line: list[tuple[date, float]] = field(default_factory=list)
    # The least value the KPI can have (0 for a rate or a cost) when the recent trend fell
    # below it before the deadline: no forecast then (``forecast`` is None), see
    # :func:`bounded_forecast`.
    forecast_floor: float | None = None

    @property
    def format(self) -> str:
        return self.kpi.format if self.kpi else "number"


def _hold_status(
    goal: Goal, actual: float, pacing: PacingConfig, higher_is_better: bool
) -> tuple[str, float | None]:
    """A goal whose target equals its baseline holds a level: achieved while the actual
    stays at or beyond the target within the tolerance (1 − ``on_track``), at risk
    within 1 − ``at_risk``, else off track."""
    target = goal.target
    gap = (actual - target) if higher_is_better else (target - actual)
    if gap >= 0:
        return "achieved", 1.0
    scale = abs(target)
    short = -gap / scale if scale else float("inf")
    progress = max(0.0, 1.0 - short) if np.isfinite(short) else 0.0
    if short <= 1 - pacing.on_track:
        return "achieved", progress
    if short <= 1 - pacing.at_risk:
        return "at_risk", progress
    return "off_track", progress


def pacing_status(
    goal: Goal,
    start: date,
    as_of: date,
    actual: float | None,
    pacing: PacingConfig,
    higher_is_better: bool = True,
    line: Sequence[tuple[date, float]] = (),
) -> tuple[str, float | None, float | None, float]:
    """(status, expected value, progress, expected progress) at ``as_of``; the expected
    value is read off ``line`` (through the goal's milestones) when given."""
    span = (goal.deadline - start).days
    elapsed = min(max((as_of - start).days, 0), span) if span > 0 else span
    expected_progress = elapsed / span if span > 0 else 1.0
    delta = goal.target - goal.baseline
    expected = goal.baseline + delta * expected_progress
    if len(line) > 2 and span > 0 and delta != 0:
        expected = expected_at(list(line), min(max(as_of, start), goal.deadline))
        expected_progress = (expected - goal.baseline) / delta
    if as_of < start:
        return "not_started", expected, None, expected_progress
    if actual is None:
        return "no_data", expected, None, expected_progress
    if delta == 0:
        status, hold = _hold_status(goal, actual, pacing, higher_is_better)
        return status, goal.target, hold, 1.0
    progress = (actual - goal.baseline) / delta
    if progress >= 1.0:
        return "achieved", expected, progress, expected_progress
    if as_of >= goal.deadline:
        return "off_track", expected, progress, expected_progress
    if expected_progress <= 0:
        status = "on_track" if progress >= 0 else "at_risk"
        return status, expected, progress, expected_progress
    ratio = progress / expected_progress
    if ratio >= pacing.on_track:
        status = "on_track"
    elif ratio >= pacing.at_risk:
        status = "at_risk"
    else:
        status = "off_track"
    return status, expected, progress, expected_progress


def filter_key(spec: dict[str, list[str]]) -> tuple:
    """A hashable, ordered form of ``{dimension: [values]}`` (cache key and mask spec)."""
    return tuple(sorted((dim, tuple(values)) for dim, values in spec.items()))


def goal_filters(goal: Goal) -> tuple:
    return filter_key(goal.filter)


def evaluate_goal(
    goal: Goal,
    *,
    index: int,
    plan: Plan,
    data: MetricFrame,
    registry: KpiRegistry,
    as_of: date | None,
    pacing: PacingConfig,
    file: str,
    locations: Locations,
    path: PathKey | None = None,
) -> GoalResult:
    """Evaluate one goal: actual as of the as-of date, pacing (through its milestones),
    status and forecast. ``path`` locates a goal that is not ``plan.goals[index]``.

    What the goal's figures are is kept with the cube (:func:`_judged`): plans written
    alike share their goal models (planbook.sharing), and each such goal is judged once
    per cube, KPI definitions, line and day; each result has its own diagnostics, placed
    in its own page (issue 12)."""
    start = goal.start or plan.period.start
    base: PathKey = path or ("plan", "goals", index)
    line = pacing_line(goal, start, plan.phases)
    scratch, problems = _judged(goal, start, line, plan, data, registry, as_of, pacing)
    # the judged figures with its own line, diagnostics and (empty) series; by its
    # constructor (dataclasses.replace took ~1.5 us more, a copy of the instance's
    # __dict__ ~60 bytes more per result)
    s = scratch
    result = GoalResult(
        goal,
        s.kpi,
        start,
        s.as_of,
        s.actual,
        s.expected,
        s.progress,
        s.expected_progress,
        s.forecast,
        s.status,
        series=s.series if s.series is not _NO_SERIES else pd.Series(dtype="float64"),
        line=line,
        forecast_floor=s.forecast_floor,
    )
    for sub, rule, text, sev in problems:
        full = (*base, *sub)
        result.diagnostics.append(
            Diagnostic(file, locations.line(full), format_path(full), rule, sev, text)
        )
    return result


# A goal's figures over a cube (the GoalResult its evaluation filled in, whose series is
# _NO_SERIES when it has none), and its problems with their paths inside the goal: a
# GoalResult without where it is written.
_Judged = tuple[GoalResult, tuple[tuple[PathKey, str, str, Severity], ...]]


_NO_SERIES = pd.Series(dtype="float64")
# Goals judged per cube (kept with its other memos) before the cube's list is started
# again: a `mkdocs serve` session re-reads edited pages, whose goals are new objects.
_JUDGED_MAX = 4096


def _judged(
    goal: Goal,
    start: date,
    line: list[tuple[date, float]],
    plan: Plan,
    data: MetricFrame,
    registry: KpiRegistry,
    as_of: date | None,
    pacing: PacingConfig,
) -> _Judged:
    """:func:`_evaluate` once per goal object, KPI resolutions (registries with the same
    definitions and columns share them), start, pacing line, end of the plan's period,
    as-of day and pacing settings over ``data``: all it reads."""
    memo = memos_of(data)
    judged = memo.get(("judged",))
    if judged is None or len(judged) >= _JUDGED_MAX:
        judged = memo[("judged",)] = {}
    resolved = getattr(registry, "_cache", registry)  # shared by equal registries
    try:
        key = (id(goal), id(resolved), start, tuple(line), plan.period.end, as_of, pacing)
        found = judged.get(key)
    except TypeError:  # an unhashable value in a hand-made pacing config
        key, found = None, None
    if found is not None:  # its goal and resolutions are alive: the ids are theirs
        return found[2]
    # its line is the first caller's (each result gets its own: evaluate_goal)
    scratch = GoalResult(goal, None, start, as_of, series=_NO_SERIES, line=line)
    problems: list[tuple[PathKey, str, str, Severity]] = []
    _evaluate(scratch, goal, plan, data, registry, as_of, pacing, problems)
    out = (scratch, tuple(problems))
    if key is not None:
        # the objects whose ids the key holds: kept alive with it, no other object has them
        judged[key] = (goal, resolved, out)
    return out


def _evaluate(
    result: GoalResult,
    goal: Goal,
    plan: Plan,
    data: MetricFrame,
    registry: KpiRegistry,
    as_of: date | None,
    pacing: PacingConfig,
    problems: list[tuple[PathKey, str, str, Severity]],
) -> None:
    start = result.start

    def diag(path: PathKey, rule: str, msg: str, sev: Severity = Severity.ERROR) -> None:
        problems.append((path, rule, msg, sev))

    rate = _rate_column(goal.kpi, data)
    if rate is not None:
        name, builtin = rate
        instead = (
            msg(
                "kpi/rate-column.builtin",
                builtin=builtin,
                formula=fx.to_text(registry.get(builtin).expr).removeprefix("(").removesuffix(")"),
            )
            if builtin
            else msg("kpi/rate-column.formula")
        )
        diag(
            ("kpi",),
            "kpi/rate-column",
            msg("kpi/rate-column", kpi=goal.kpi, name=name, instead=instead),
        )
        return
    try:
        kpi = registry.get(goal.kpi)
    except KpiError as e:
        diag(("kpi",), e.rule, e.args[0])
        return
    result.kpi = kpi
    if kpi.is_measure and kpi.id in data.non_additive and goal.aggregate in (None, "sum"):
        diag(
            ("aggregate",),
            "kpi/non-additive",
            msg("kpi/non-additive", kpi=kpi.id),
        )
        return
    if goal.aggregate is not None and not kpi.is_measure:
        diag(
            ("aggregate",),
            "kpi/aggregate-ratio",
            msg(
                "kpi/aggregate-ratio",
                kpi=kpi.id,
                formula=fx.to_text(kpi.expr),
                aggregate=goal.aggregate,
            ),
        )
        return
    missing = [m for m in kpi.measures if m not in data.measures]
    if missing and not data.empty:
        diag(
            ("kpi",),
            "kpi/missing-column",
            msg(
                "kpi/missing-column",
                kpi=kpi.id,
                missing=missing,
                columns=", ".join(data.measures) or msg("none"),
            ),
        )
        return
    for dim, values in goal.filter.items():
        if dim not in data.dimensions:
            diag(("filter", dim), "kpi/unknown-dimension", unknown_dimension(dim, data))
            return
        known = data.values(dim)
        for v in values:
            if v not in known:
                close = difflib.get_close_matches(v, known, n=1, cutoff=0.5)
                hint = msg("hint.close", close=close[0]) if close else ""
                diag(
                    ("filter", dim),
                    "kpi/unknown-value",
                    msg("kpi/unknown-value", dim=dim, value=v, hint=hint, known=known[:12]),
                    Severity.WARNING,
                )
    filters = goal_filters(goal)
    require = () if kpi.is_measure else data.require(kpi.measures)
    with np.errstate(over="ignore", invalid="ignore"):  # huge sums overflow to inf
        daily = data.arrays(filters, require)
        latest = data.latest(filters, plan.period.end)
    if require:
        _report_partial(data, kpi, filters, start, goal.deadline, diag)
    if as_of is None:
        as_of = latest
    if as_of is None:
        result.status = "no_data"
        return
    as_of = min(as_of, goal.deadline)
    result.as_of = as_of
    window = window_days(goal.window) if goal.window else None
    if as_of < start:
        status, expected, _, exp_prog = pacing_status(
            goal, start, as_of, None, pacing, kpi.higher_is_better, result.line
        )
        result.status, result.expected, result.expected_progress = status, expected, exp_prog
        return
    result.series = goal_series(kpi, daily, start, as_of, goal.aggregate, window)
    values = result.series.to_numpy()
    actual = _nan_to_none(values[-1]) if len(values) else None
    status, expected, progress, exp_prog = pacing_status(
        goal, start, as_of, actual, pacing, kpi.higher_is_better, result.line
    )
    result.actual, result.expected, result.progress = actual, expected, progress
    result.expected_progress, result.status = exp_prog, status
    if actual is not None:
        projected = goal_forecast(
            kpi,
            daily,
            result.series,
            start,
            as_of,
            goal.deadline,
            pacing.forecast_days,
            goal.aggregate,
            window,
        )
        result.forecast = projected
        if as_of < goal.deadline:  # a projection (at the deadline: the actual itself)
            result.forecast, result.forecast_floor = bounded_forecast(projected, kpi.floor, actual)
        if result.forecast_floor is not None:
            diag(
                ("kpi",),
                "kpi/forecast-floor",
                msg(
                    "kpi/forecast-floor",
                    kpi=kpi.id,
                    deadline=goal.deadline.isoformat(),
                    trend=show(projected, kpi.format) if projected is not None else "",
                    floor=show(result.forecast_floor, kpi.format),
                ),
                Severity.INFO,
            )
    return


def bounded_forecast(
    trend: float | None, floor: float | None, actual: float
) -> tuple[float | None, float | None]:
    """``(forecast, floor it fell below)`` of a trend extrapolated to the deadline, for a
    KPI that is never below ``floor`` (:attr:`Kpi.floor`: 0 for CTR, CPA, CPC, a count;
    -1 for ROI; ``None``: unbounded). A trend below the floor is no projection: the
    straight line leaves the values the KPI can have before the deadline (a week of a
    falling CTR drawn to a deadline months away gave -31.4 %), and 0 in its place would
    be one too (a CPA of ¥0 reads as a target beaten), so there is no forecast and the
    floor says why. A value below the floor by rounding alone is the floor."""
    if trend is None or floor is None or trend >= floor:
        return trend, None
    if floor - trend <= 1e-9 * max(1.0, abs(actual), abs(floor)):
        return floor, None
    return None, floor


def check_kpis(
    plan: Plan, registry: KpiRegistry, *, file: str, locations: Locations
) -> list[Diagnostic]:
    """Resolve every plan-defined KPI so bad formulas are reported where they are written."""
    diags = []
    for i, k in enumerate(plan.kpis):
        if key(k.id) in BUILTIN_KPIS:
            path: PathKey = ("plan", "kpis", i, "id")
            diags.append(
                Diagnostic(
                    file,
                    locations.line(path),
                    format_path(path),
                    "kpi/shadows-builtin",
                    Severity.WARNING,
                    msg("kpi/shadows-builtin", kpi=k.id),
                )
            )
        try:
            registry.get(k.id)
        except KpiError as e:
            path = ("plan", "kpis", i, "formula")
            diags.append(
                Diagnostic(
                    file, locations.line(path), format_path(path), e.rule, Severity.ERROR, e.args[0]
                )
            )
    return diags


def plan_as_of(plan: Plan, data: MetricFrame, configured: date | None) -> date | None:
    """The plan's as-of date: configured, or the latest date in its data up to the end
    of the plan's period (rows dated later are reported by the project, not used)."""
    return plan.as_of or configured or data.latest(until=plan.period.end)


def _rate_column(name: str, data: MetricFrame) -> tuple[str, str | None] | None:
    """``(column, built-in KPI)`` when a goal's ``kpi`` names an export's rate column."""
    from ..sources.profiles import slugify

    k = key(name)
    if k in BUILTIN_KPIS or k in data.measures:
        return None
    for candidate in (name, k, slugify(name)):
        if candidate in data.rates:
            return candidate, data.rates[candidate]
    return None


def _report_partial(
    data: MetricFrame, kpi: Kpi, filters: tuple, start: date, end: date, diag: Any
) -> None:
    """An info note on how many rows a ratio leaves out for lacking one of its inputs."""
    key = ("partial_rows", kpi.measures, filters, start, end)
    memo = memos_of(data)
    count = memo.get(key)
    if count is None:
        count = memo[key] = data.partial_rows(kpi.measures, filters, start, end)
    if count:
        diag(
            ("kpi",),
            "kpi/partial-rows",
            msg(
                "kpi/partial-rows",
                kpi=kpi.id,
                needs=kpi.measures,
                n=count,
                verb="are" if count != 1 else "is",
            ),
            Severity.INFO,
        )


# --------------------------------------------------------------------------- channel table

# What is computed from a cube besides its per-day arrays (breakdowns, partial-row counts),
# kept while the cube lives.
_MEMOS: weakref.WeakKeyDictionary[MetricFrame, dict[tuple, Any]] = weakref.WeakKeyDictionary()


def memos_of(data: MetricFrame) -> dict[tuple, Any]:
    """What is worked out once per cube (goal judgements, breakdowns, lint findings),
    by a key of the caller's: it goes with the cube."""
    found = _MEMOS.get(data)
    if found is None:
        found = _MEMOS[data] = {}
    return found
