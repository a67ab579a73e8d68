"""The KPI library: the built-in KPIs, and the registry that resolves a KPI id, a label
(either language) or a column of a plan's data to a :class:`Kpi`, its formula expanded
down to base measures; :func:`kpi_values` evaluates one over summed measures. What the
KPIs of a goal come to (aggregation, pacing, forecast) is :mod:`.kpis`."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from ..columns import DATE, MEASURES, MONEY_MEASURES
from ..messages import msg
from . import formula as fx

if TYPE_CHECKING:
    from ..model import KpiDef

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
CURRENCY_MEASURES = MONEY_MEASURES
# Measures that are never below 0: the canonical counts and amounts, and the counts that
# are not summed across days (a column of another name may be anything).
NON_NEGATIVE_MEASURES = frozenset({*MEASURES, "reach", "users", "followers"})


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

    @property
    def floor(self) -> float | None:
        """The least value the KPI can have, its measures being what they count (0 or
        more, :data:`NON_NEGATIVE_MEASURES`): 0 for a rate, a cost or a count, -1 for ROI
        (revenue / spend - 1); ``None`` when nothing bounds it (a difference of measures,
        a column of another name)."""
        found = _FLOORS.get(self.expr)
        if found is None:
            low = fx.lower_bound(self.expr, NON_NEGATIVE_MEASURES.__contains__)
            found = _FLOORS[self.expr] = (None if low == float("-inf") else low,)
        return found[0]


# Kpi.floor per expression (a few per site; an Expr is immutable and hashable).
_FLOORS: dict[fx.Expr, tuple[float | None]] = {}


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
