"""KPIs: the built-in library, plan formulas, aggregation, goal evaluation and pacing.

Ratio KPIs are always ratios of sums: a KPI's formula is expanded down to base
measures (columns), the measures are summed over the window, and only then is the
formula evaluated. A mean of daily ratios is never taken.
"""

from __future__ import annotations

import difflib
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

import numpy as np
import pandas as pd

from ..columns import DATE, MEASURES
from ..cube import MetricFrame  # re-exported: MetricFrame lives in cube.py
from ..diagnostics import Diagnostic, Severity
from ..frontmatter import Locations, PathKey, format_path
from ..messages import msg
from ..model import Goal, KpiDef, Plan, window_days
from . import formula as fx
from .series import (
    goal_forecast,
    goal_series,
    metric_series,  # noqa: F401  (re-exported: it lived here)
)
from .series import nan_to_none as _nan_to_none
from .targets import expected_at, pacing_line

Format = Literal["number", "percent", "currency", "decimal"]


@dataclass(frozen=True)
class BuiltinKpi:
    id: str
    zh: str
    en: str
    formula: str
    format: Format
    higher_is_better: bool


BUILTIN_KPIS: dict[str, BuiltinKpi] = {
    k.id: k
    for k in (
        BuiltinKpi("ctr", "点击率", "CTR", "clicks / impressions", "percent", True),
        BuiltinKpi("cpc", "平均点击成本", "CPC", "spend / clicks", "currency", False),
        BuiltinKpi("cpm", "千次展现成本", "CPM", "spend / impressions * 1000", "currency", False),
        BuiltinKpi("cvr", "转化率", "Conversion rate", "conversions / clicks", "percent", True),
        BuiltinKpi("cpa", "单次转化成本", "CPA", "spend / conversions", "currency", False),
        BuiltinKpi("cac", "获客成本", "CAC", "spend / new_customers", "currency", False),
        BuiltinKpi("roas", "广告支出回报", "ROAS", "revenue / spend", "decimal", True),
        BuiltinKpi("roi", "投资回报率", "ROI", "revenue / spend - 1", "percent", True),
        BuiltinKpi("aov", "客单价", "AOV", "revenue / orders", "currency", True),
        BuiltinKpi("open_rate", "邮件打开率", "Open rate", "opens / delivered", "percent", True),
        BuiltinKpi(
            "click_to_open_rate",
            "点击打开率",
            "Click-to-open rate",
            "clicks / opens",
            "percent",
            True,
        ),
        BuiltinKpi(
            "unsubscribe_rate",
            "退订率",
            "Unsubscribe rate",
            "unsubscribes / delivered",
            "percent",
            False,
        ),
        BuiltinKpi(
            "interaction_rate",
            "互动率",
            "Interaction rate",
            "interactions / impressions",
            "percent",
            True,
        ),
        BuiltinKpi(
            "retention",
            "7日留存率",
            "7-day retention",
            "retained_users / cohort_users",
            "percent",
            True,
        ),
    )
}

# Measures where more is worse (for channel tables and colouring).
LOWER_IS_BETTER_MEASURES = frozenset({"spend", "unsubscribes", "bounces"})
CURRENCY_MEASURES = frozenset({"spend", "revenue"})


def key(name: str) -> str:
    """KPI ids may use '-' (``wechat-cpf``); formulas refer to them with '_'."""
    return name.strip().lower().replace("-", "_")


@dataclass(frozen=True)
class Kpi:
    """A resolved KPI: a measure column or a formula expanded down to measures."""

    id: str
    label_zh: str
    label_en: str
    expr: fx.Expr
    format: Format
    higher_is_better: bool
    measures: tuple[str, ...]
    is_measure: bool

    def label(self, language: str) -> str:
        return self.label_zh if language.startswith("zh") else self.label_en


class KpiError(ValueError):
    """A KPI name or formula that cannot be resolved."""

    def __init__(self, message: str, rule: str = "kpi/unknown") -> None:
        super().__init__(message)
        self.rule = rule


# Resolved KPIs per registry signature (definitions, columns); a Kpi is immutable.
_RESOLVED: dict[tuple, tuple[dict[str, Kpi], dict[str, Kpi]]] = {}
_RESOLVED_MAX = 256


class KpiRegistry:
    """Built-in KPIs, the plan's own KPIs, and the measure columns of its data."""

    def __init__(self, plan_kpis: Sequence[KpiDef], columns: Iterable[str]) -> None:
        self.columns = {c for c in columns if c != DATE}
        self.defs: dict[str, tuple[str, str, str, Format, bool]] = {}
        for b in BUILTIN_KPIS.values():
            self.defs[b.id] = (b.zh, b.en, b.formula, b.format, b.higher_is_better)
        for k in plan_kpis:
            label = k.label or k.id
            self.defs[key(k.id)] = (label, label, k.formula, k.format, True)
        # A KPI may be named by its label in either language (`点击率`, `CTR`, `单粉成本`).
        self.labels: dict[str, str] = {}
        for k, (zh, en, *_rest) in self.defs.items():
            for label in (zh, en):
                self.labels.setdefault(label.strip().casefold(), k)
        # What a name resolves to depends on the definitions and the columns only:
        # registries that have the same ones (plans without KPIs of their own over the
        # same sources) share their resolutions instead of parsing every formula again.
        self.signature = (tuple(self.defs.items()), frozenset(self.columns))
        found = _RESOLVED.get(self.signature)
        if found is None:
            if len(_RESOLVED) >= _RESOLVED_MAX:
                _RESOLVED.clear()
            found = _RESOLVED[self.signature] = ({}, {})
        self._cache: dict[str, Kpi] = found[0]  # by id
        self._named: dict[str, Kpi] = found[1]  # by the name asked for

    def known(self) -> list[str]:
        return sorted(set(self.defs) | self.columns)

    def get(self, name: str) -> Kpi:
        """Resolve a KPI id, a KPI label (either language) or a column, or raise
        :class:`KpiError` with a did-you-mean."""
        found = self._named.get(name)
        if found is not None:
            return found
        k = key(name)
        if k not in self.defs and k not in self.columns and k not in MEASURES:
            k = self.labels.get(name.strip().casefold(), k)
        found = self._named[name] = self._get(k, ())
        return found

    def _get(self, k: str, stack: tuple[str, ...]) -> Kpi:
        # Each KPI is resolved once: `k2: k1 + k1` shares k1's expansion instead of
        # expanding it again (22 levels of that used to take minutes).
        if k not in self._cache:
            self._cache[k] = self._resolve(k, stack)
        return self._cache[k]

    def _resolve(self, k: str, stack: tuple[str, ...]) -> Kpi:
        if k in stack:
            cycle = " -> ".join((*stack[stack.index(k) :], k))
            raise KpiError(msg("kpi/cycle", cycle=cycle), "kpi/cycle")
        if k in self.defs:
            zh, en, text, fmt, better = self.defs[k]
            try:
                expr = fx.parse(text)
            except fx.FormulaError as e:
                raise KpiError(msg("kpi/formula", id=k, error=e.args[0]), "kpi/formula") from None

            def lookup(name: str) -> fx.Expr | None:
                return self._get(key(name), (*stack, k)).expr

            expanded = fx.substitute(expr, lookup)
            terms = fx.size(expanded)
            if terms > fx.MAX_TERMS or fx.depth(expanded) > 4 * fx.MAX_DEPTH:
                what = (
                    msg("kpi/formula.terms", most=fx.MAX_TERMS)
                    if terms > fx.MAX_TERMS
                    else msg("kpi/formula.depth", most=4 * fx.MAX_DEPTH)
                )
                raise KpiError(
                    msg("kpi/formula.expands", id=k, what=what),
                    "kpi/formula",
                )
            return Kpi(k, zh, en, expanded, fmt, better, tuple(fx.names(expanded)), False)
        if k in self.columns or k in MEASURES:
            # A canonical measure the data lacks still resolves: the goal then says which
            # columns are missing, which is more useful than "unknown name".
            en, _, zh = MEASURES.get(k, k).partition(" / ")
            fmt: Format = "currency" if k in CURRENCY_MEASURES else "number"
            return Kpi(
                k, zh or en, en, fx.Name(k), fmt, k not in LOWER_IS_BETTER_MEASURES, (k,), True
            )
        close = difflib.get_close_matches(k, self.known(), n=1, cutoff=0.6)
        hint: str = msg("hint.close", close=close[0]) if close else ""
        if not close and not stack:
            near = difflib.get_close_matches(k, list(self.labels), n=1, cutoff=0.5)
            if near:
                hint = msg("hint.close-label", label=self.labels[near[0]], id=near[0])
        if stack:
            raise KpiError(msg("kpi/unknown.in-formula", id=stack[-1], name=k, hint=hint))
        columns = ", ".join(sorted(self.columns)) or msg("none")
        raise KpiError(
            msg("kpi/unknown", name=k, hint=hint, builtins=BUILTIN_KPIS, columns=columns)
        )


# --------------------------------------------------------------------------- data views


def unknown_dimension(dim: str, data: MetricFrame) -> str:
    """The message for a filter on a column the data does not have."""
    close = difflib.get_close_matches(dim, data.dimensions, n=1, cutoff=0.6)
    hint = msg("hint.close", close=close[0]) if close else ""
    dims = ", ".join(data.dimensions) or msg("none")
    return msg("kpi/unknown-dimension", dim=dim, hint=hint, dims=dims)


def kpi_values(kpi: Kpi, sums: pd.DataFrame | pd.Series | dict) -> np.ndarray | float:
    """Evaluate a KPI over summed measures (a row of sums, or a frame of rows of sums)."""
    values: dict[str, object] = {}
    for m in kpi.measures:
        if isinstance(sums, pd.DataFrame):
            values[m] = sums[m].to_numpy(dtype="float64") if m in sums else np.nan
        else:
            v = sums.get(m, np.nan) if hasattr(sums, "get") else np.nan
            values[m] = np.nan if v is None else v
    return fx.evaluate(kpi.expr, values)


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
        result.forecast = goal_forecast(
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
    return


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
