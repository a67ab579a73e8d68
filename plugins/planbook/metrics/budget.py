"""Budget: allocations, planned vs spent, burn pacing, caps, and return per item."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from ..cube import Totals
from ..diagnostics import Diagnostic, Severity
from ..format import plain_number
from ..frontmatter import Locations, PathKey, format_path
from ..messages import msg
from ..model import Allocation, Plan, allocation_amount
from .kpis import Kpi, KpiError, KpiRegistry, MetricFrame, filter_key, kpi_values

RETURN_KPIS = ("roi", "roas", "cac")


@dataclass
class BudgetRow:
    item: str
    label: str
    planned: float
    share: float
    cap: float | None
    spent: float | None
    source: str | None  # "data", "manual" or None (no spend known)
    returns: dict[str, float | None] = field(default_factory=dict)

    @property
    def used(self) -> float | None:
        if self.spent is None or self.planned <= 0:
            return None
        return self.spent / self.planned

    @property
    def remaining(self) -> float | None:
        return None if self.spent is None else self.planned - self.spent

    @property
    def over_cap(self) -> bool:
        return self.cap is not None and self.spent is not None and self.spent > self.cap


@dataclass
class BudgetResult:
    total: float
    by: str
    rows: list[BudgetRow]
    as_of: date | None
    elapsed: float | None  # share of the plan period elapsed at the as-of date
    tolerance: float
    unallocated: dict[str, float]
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def spent(self) -> float | None:
        known = [r.spent for r in self.rows if r.spent is not None]
        return sum(known) if known else None

    @property
    def used(self) -> float | None:
        return None if self.spent is None else self.spent / self.total

    @property
    def remaining(self) -> float | None:
        return None if self.spent is None else self.total - self.spent

    def over_pace(self, row: BudgetRow) -> bool:
        """Spending faster than time passes (beyond the tolerance)."""
        if row.used is None or self.elapsed is None:
            return False
        return row.used > self.elapsed * (1 + self.tolerance) and row.used > 0

    @property
    def total_over_pace(self) -> bool:
        if self.used is None or self.elapsed is None:
            return False
        return self.used > self.elapsed * (1 + self.tolerance)


def period_elapsed(plan: Plan, as_of: date | None) -> float | None:
    if as_of is None:
        return None
    start, end = plan.period.start, plan.period.end
    days = (end - start).days + 1
    done = (min(as_of, end) - start).days + 1
    return min(max(done / days, 0.0), 1.0)


def evaluate_budget(
    plan: Plan,
    data: MetricFrame,
    registry: KpiRegistry,
    as_of: date | None,
    *,
    tolerance: float,
    file: str,
    locations: Locations,
) -> BudgetResult | None:
    """Planned vs spent per allocation item, up to the as-of date."""
    budget = plan.budget
    if budget is None:
        return None
    diags: list[Diagnostic] = []

    def diag(path: PathKey, rule: str, msg: str, sev: Severity = Severity.WARNING) -> None:
        full = ("plan", "budget", *path)
        diags.append(Diagnostic(file, locations.line(full), format_path(full), rule, sev, msg))

    has_dim = budget.by in data.dimensions
    has_spend = "spend" in data.measures
    empty = data.empty  # once, not per allocation
    if not empty and not has_dim:
        diag(
            ("by",),
            "budget/unknown-dimension",
            msg(
                "budget/unknown-dimension",
                by=budget.by,
                dims=", ".join(data.dimensions) or msg("none"),
            ),
            Severity.ERROR,
        )

    def totals_for(require: tuple[str, ...] = ()) -> Totals | None:
        if as_of is None or not has_dim or as_of < plan.period.start:
            return None
        return data.totals(
            budget.by,
            plan.period.start,
            min(as_of, plan.period.end),
            filter_key(plan.channel_filter),
            require,
        )

    totals = totals_for()
    if totals is not None and not totals.keys:
        totals = None
    returns = []
    for name in RETURN_KPIS:
        try:
            returns.append(registry.get(name))
        except KpiError:
            continue
    # Per return KPI, the sums it reads (a ratio: only rows that have all its measures).
    per_kpi = []
    if totals is not None:
        for k in returns:
            req = data.require(k.measures)
            per_kpi.append((k, req, totals_for(req) if req else None))
    pending: dict[str, list[tuple[dict[str, float | None], dict[str, float]]]] = {}
    matched: dict[str, int] = {}  # value -> the allocation that counts its spend
    rows: list[BudgetRow] = []
    for i, alloc in enumerate(budget.allocations):
        planned = allocation_amount(alloc, budget.total)
        values = []
        for value in _match(alloc):
            j = matched.setdefault(value, i)
            if j == i:
                if value not in values:
                    values.append(value)
            else:  # counted twice, the total spent would be off
                first = budget.allocations[j]
                diag(
                    ("allocations", i, "match" if alloc.match else "item"),
                    "budget/overlapping-match",
                    msg(
                        "budget/overlapping-match", value=value, first=first.item, j=j, by=budget.by
                    ),
                    Severity.ERROR,
                )
        sums = _sums(totals, values) if values else None
        spent: float | None = None
        source = None
        if alloc.spent is not None:
            spent, source = alloc.spent, "manual"
        elif sums is not None and has_spend and np.isfinite(sums.get("spend", np.nan)):
            spent, source = float(sums["spend"]), "data"
        elif sums is not None and "spend" in data.withheld:
            # rows of its own, whose spend is in another currency (data/currency-mismatch)
            diag(
                ("allocations", i),
                "budget/spend-other-currency",
                msg(
                    "budget/spend-other-currency",
                    item=alloc.item,
                    by=budget.by,
                    values=values,
                    currency=plan.currency,
                ),
            )
        elif as_of is not None and not empty and has_dim:
            diag(
                ("allocations", i),
                "budget/no-spend-data",
                msg("budget/no-spend-data", item=alloc.item, by=budget.by, values=values),
            )
        ret: dict[str, float | None] = {}
        if sums is not None and source == "data":
            for k, req, ktotals in per_kpi:
                ksums = _sums(ktotals, values) if req else sums
                if ksums is not None and all(
                    m in ksums and math.isfinite(ksums[m]) for m in k.measures
                ):
                    pending.setdefault(k.id, []).append((ret, ksums))
        rows.append(
            BudgetRow(
                alloc.item,
                alloc.label or alloc.item,
                planned,
                planned / budget.total,
                alloc.cap,
                spent,
                source,
                ret,
            )
        )
        row = rows[-1]
        if row.over_cap:
            diag(
                ("allocations", i, "cap"),
                "budget/over-cap",
                msg(
                    "budget/over-cap",
                    item=alloc.item,
                    spent=plain_number(row.spent or 0),
                    cap=plain_number(alloc.cap or 0),
                ),
            )
    for k, _, _ in per_kpi:  # each return KPI over every allocation at once
        _returns(k, pending.get(k.id, []))
    unallocated: dict[str, float] = {}
    if totals is not None and has_spend:
        for value, spend in zip(totals.keys, totals.column("spend"), strict=True):
            if value not in matched and np.isfinite(spend) and spend > 0:
                unallocated[value] = float(spend)
        if unallocated and budget.allocations:
            listed = ", ".join(f"{k} ({plain_number(v)})" for k, v in unallocated.items())
            diag(
                ("allocations",),
                "budget/unallocated-spend",
                msg("budget/unallocated-spend", by=budget.by, listed=listed),
            )
    return BudgetResult(
        budget.total,
        budget.by,
        rows,
        as_of,
        period_elapsed(plan, as_of),
        tolerance,
        unallocated,
        diags,
    )


def _returns(k: Kpi, entries: list[tuple[dict[str, float | None], dict[str, float]]]) -> None:
    """``k`` over the sums of each entry, into the entry's returns."""
    if not entries:
        return
    columns = {m: np.array([sums[m] for _, sums in entries], dtype="float64") for m in k.measures}
    values = np.atleast_1d(np.asarray(kpi_values(k, columns), dtype="float64"))
    if values.shape != (len(entries),):  # a formula without measures: one value for all
        values = np.full(len(entries), values.flat[0])
    for (ret, _), v in zip(entries, values.tolist(), strict=True):
        ret[k.id] = None if not np.isfinite(v) else float(v)


def _sums(totals: Totals | None, values: list[str]) -> dict[str, float] | None:
    """Sums of each measure over the dimension values an allocation covers (NaN: no data)."""
    if totals is None:
        return None
    sums = totals.sums(values)
    if sums is None:
        return None
    listed = sums.tolist()
    return {m: listed[i] for m, i in totals.index.items()}


def _match(alloc: Allocation) -> list[str]:
    return list(alloc.match) if alloc.match else [alloc.item]
