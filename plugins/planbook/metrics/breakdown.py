"""A plan's figures split by one dimension (the channel table, a report's channels):
per-value sums and ratio KPIs over a span, with each value's share of spend and a
total that counts a ratio only over the values that have all its measures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from ..cube import MetricFrame, Totals
from . import formula as fx
from .kpis import Kpi, KpiError, KpiRegistry, memos_of
from .series import nan_to_none as _nan_to_none

__all__ = ["CHANNEL_KPIS", "CHANNEL_MEASURES", "Breakdown", "BreakdownRow", "breakdown"]

CHANNEL_KPIS = ("ctr", "cpc", "cvr", "cpa", "cac", "roas", "roi")
CHANNEL_MEASURES = ("spend", "impressions", "clicks", "conversions", "new_customers", "revenue")


@dataclass
class BreakdownRow:
    key: str
    values: dict[str, float | None]
    share: float | None = None


@dataclass
class Breakdown:
    dimension: str
    columns: list[Kpi]
    rows: list[BreakdownRow]
    total: BreakdownRow | None
    # ratio id -> (values counted in its total, values with only some of its measures)
    partial: dict[str, tuple[int, int]] = field(default_factory=dict)


def breakdown(
    data: MetricFrame,
    registry: KpiRegistry,
    dim: str,
    start: date,
    end: date,
    kpis: Sequence[str] | None = None,
    filters: tuple = (),
) -> Breakdown:
    """Per-``dim`` sums and ratio KPIs (ratios of the sums) over ``start``..``end``.

    Numpy over the per-value sums: this runs for every plan page and every report. Kept
    on the cube per KPI definitions (:attr:`KpiRegistry.signature`), span, KPIs and
    filters: plans over the same sources and period share it. Each caller gets its own
    copy of the rows (a renderer may reorder or relabel them).
    """
    key = ("breakdown", registry.signature, dim, start, end, tuple(kpis or ()), filters)
    memo = memos_of(data)
    found = memo.get(key)
    if found is None:
        # Sums of huge values overflow to inf (shown as no value), never a warning.
        with np.errstate(over="ignore", invalid="ignore"):
            found = memo[key] = _breakdown(data, registry, dim, start, end, kpis, filters)
    return Breakdown(
        found.dimension,
        list(found.columns),
        [BreakdownRow(r.key, dict(r.values), r.share) for r in found.rows],
        BreakdownRow(found.total.key, dict(found.total.values), found.total.share)
        if found.total is not None
        else None,
        dict(found.partial),
    )


def _breakdown(
    data: MetricFrame,
    registry: KpiRegistry,
    dim: str,
    start: date,
    end: date,
    kpis: Sequence[str] | None,
    filters: tuple,
) -> Breakdown:
    t = data.totals(dim, start, end, filters)
    names = list(kpis) if kpis else [*CHANNEL_MEASURES, *CHANNEL_KPIS]
    columns: list[Kpi] = []
    per_kpi: dict[str, np.ndarray] = {}
    sums_of: dict[str, Totals] = {}
    for n in names:
        try:
            k = registry.get(n)
        except KpiError:
            continue
        if all(m in t.index for m in k.measures) and all(t.present(m) for m in k.measures):
            columns.append(k)
            # A ratio reads only the rows that have all its measures.
            req = () if k.is_measure else data.require(k.measures)
            tk = data.totals(dim, start, end, filters, req) if req else t
            sums_of[k.id] = tk
            evaluated = np.atleast_1d(
                np.asarray(fx.evaluate(k.expr, {m: tk.column(m) for m in k.measures}), dtype=float)
            )
            if tk.keys == t.keys and evaluated.shape == (len(t.keys),):
                per_kpi[k.id] = evaluated  # the same keys in the same order
                continue
            per_key = {key_: i for i, key_ in enumerate(tk.keys)}
            per_kpi[k.id] = np.array(
                [evaluated[per_key[key_]] if key_ in per_key else np.nan for key_ in t.keys]
            )
    spend = t.column("spend") if "spend" in t.index else None
    spend_total = float(np.nansum(spend)) if spend is not None else None
    rows: list[BreakdownRow] = []
    # Every value at once: Python floats, None where there is no value.
    table = np.column_stack([per_kpi[k.id] for k in columns]) if columns else None
    cells = (
        [
            [v if f else None for v, f in zip(r, ok, strict=True)]
            for r, ok in zip(table.tolist(), np.isfinite(table).tolist(), strict=True)
        ]
        if table is not None
        else [[] for _ in t.keys]
    )
    ids = [k.id for k in columns]
    for i, key in enumerate(t.keys):
        vals = dict(zip(ids, cells[i], strict=True))
        if key == "" or all(v is None for v in vals.values()):
            continue  # rows of sources without this dimension (e.g. a retention export)
        share = None
        if spend_total and spend is not None and np.isfinite(spend[i]):
            share = float(spend[i]) / spend_total
        rows.append(BreakdownRow(key, vals, share))
    # The reader's order: the largest spend first, values without spend last.
    rows.sort(key=lambda r: (r.values.get("spend") is None, -(r.values.get("spend") or 0.0)))
    total = None
    partial: dict[str, tuple[int, int]] = {}
    if rows:
        values: dict[str, float | None] = {}
        for k in columns:
            # A ratio's total reads only the rows that have all its measures: revenue from
            # channels without spend must not lift the total ROI.
            cols = {m: sums_of[k.id].column(m) for m in k.measures}
            complete = np.logical_and.reduce([~np.isnan(c) for c in cols.values()])
            if len(cols) > 1:  # values with only some of the inputs are not in the total
                some = np.logical_or.reduce([~np.isnan(t.column(m)) for m in k.measures])
                n, left = int(complete.sum()), int(some.sum()) - int(complete.sum())
                if left > 0:
                    partial[k.id] = (n, left)
            sums = {
                m: float(c[complete].sum()) if complete.any() else np.nan for m, c in cols.items()
            }
            values[k.id] = _nan_to_none(fx.evaluate(k.expr, sums))
        total = BreakdownRow("", values, 1.0 if spend_total else None)
    return Breakdown(dim, columns, rows, total, partial)
