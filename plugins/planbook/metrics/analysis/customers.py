"""RFM tiers and historical customer lifetime value from an orders file.

Scores (1 = worst, 5 = best), computed at the as-of date over every customer in the
file:

- R (recency) from the days since the customer's last order (fewer is better),
  F (frequency) from the number of orders, M (monetary) from the total amount.
- Quintile score = 1 + ⌊5 · (rank − 1) / N⌋, where rank is the customer's 1-based
  position when the N customers are sorted from worst to best and tied customers
  share the lowest rank of their group (so ties always get the same score).

Segments, the first rule that matches:

| segment | rule |
|---|---|
| ``high_value`` | R ≥ 4 and F ≥ 4 and M ≥ 4 |
| ``needs_care`` | R ≤ 2 and (F ≥ 3 or M ≥ 3): good customers drifting away |
| ``loyal`` | F ≥ 4 |
| ``potential`` | R ≥ 3 |
| ``hibernating`` | everyone else |

Historical CLV (a documented estimate, not a probabilistic model): per customer,
margin × (revenue per year) × lifetime_years, where revenue per year is the
customer's total amount divided by the years observed (from their first order to the
as-of date, at least 30 days, so new customers are not extrapolated from one day).
A segment's CLV is the mean over its customers. CLV / CAC per channel divides the
mean CLV of the customers first acquired through a channel by that channel's CAC
(spend / new customers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

SEGMENTS: tuple[str, ...] = ("high_value", "loyal", "potential", "needs_care", "hibernating")
MIN_YEARS = 30 / 365.25


@dataclass
class Segment:
    id: str
    customers: int
    share: float  # of customers
    revenue: float
    revenue_share: float
    clv: float | None
    recency: float | None  # mean days since the last order
    orders: float | None  # mean orders per customer


@dataclass
class ChannelValue:
    channel: str
    customers: int
    clv: float | None
    spend: float | None
    new_customers: float | None
    cac: float | None
    ratio: float | None


@dataclass
class RfmResult:
    as_of: date | None
    customers: (
        pd.DataFrame
    )  # one row per customer: recency, frequency, monetary, r, f, m, segment, clv
    segments: list[Segment]
    total_revenue: float
    orders: int
    channels: list[ChannelValue] = field(default_factory=list)


def quintile_scores(values: np.ndarray, higher_is_better: bool = True) -> np.ndarray:
    """1..5 scores: 1 + ⌊5 · (rank − 1) / N⌋ with ties at their lowest rank."""
    v = np.asarray(values, dtype=float)
    n = len(v)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    key = v if higher_is_better else -v
    rank = pd.Series(key).rank(method="min").to_numpy()
    return (1 + np.floor(5 * (rank - 1) / n)).astype(np.int64)


def segment_of(r: np.ndarray, f: np.ndarray, m: np.ndarray) -> np.ndarray:
    conditions = [
        (r >= 4) & (f >= 4) & (m >= 4),
        (r <= 2) & ((f >= 3) | (m >= 3)),
        f >= 4,
        r >= 3,
    ]
    choices = ["high_value", "needs_care", "loyal", "potential"]
    return np.select(conditions, choices, default="hibernating")


def rfm(
    customer: np.ndarray,
    days: np.ndarray,
    amount: np.ndarray,
    *,
    as_of: date | None = None,
    margin: float = 1.0,
    lifetime_years: float = 3.0,
    channel: np.ndarray | None = None,
) -> RfmResult:
    """RFM scores, segments and historical CLV of the orders given as arrays."""
    d = pd.to_datetime(pd.Series(days)).dt.normalize()
    frame = pd.DataFrame(
        {
            "customer": pd.Series(customer, dtype=object).astype(str),
            "date": d,
            "amount": np.nan_to_num(np.asarray(amount, dtype=float), nan=0.0),
        }
    )
    if channel is not None:
        frame["channel"] = pd.Series(channel, dtype=object).fillna("").astype(str).to_numpy()
    if frame.empty:
        return RfmResult(as_of, _empty_customers(), [], 0.0, 0)
    ref = pd.Timestamp(as_of) if as_of is not None else frame["date"].max()
    frame = frame[frame["date"] <= ref]
    g = frame.groupby("customer", sort=True)
    last = g["date"].max()
    first = g["date"].min()
    per = pd.DataFrame(
        {
            "recency": (ref - last).dt.days.astype(float),
            "frequency": g.size().astype(float),
            "monetary": g["amount"].sum(),
            "first": first,
        }
    )
    if "channel" in frame.columns:
        firsts = frame.sort_values(["customer", "date"], kind="stable").drop_duplicates("customer")
        per["channel"] = firsts.set_index("customer")["channel"].reindex(per.index)
    per["r"] = quintile_scores(per["recency"].to_numpy(), higher_is_better=False)
    per["f"] = quintile_scores(per["frequency"].to_numpy())
    per["m"] = quintile_scores(per["monetary"].to_numpy())
    per["segment"] = segment_of(per["r"].to_numpy(), per["f"].to_numpy(), per["m"].to_numpy())
    years = np.maximum((ref - per["first"]).dt.days.to_numpy(dtype=float) / 365.25, MIN_YEARS)
    per["clv"] = margin * per["monetary"].to_numpy() / years * lifetime_years
    total = float(per["monetary"].sum())
    n = len(per)
    segments: list[Segment] = []
    for seg in SEGMENTS:
        rows = per[per["segment"] == seg]
        if rows.empty:
            segments.append(Segment(seg, 0, 0.0, 0.0, 0.0, None, None, None))
            continue
        revenue = float(rows["monetary"].sum())
        segments.append(
            Segment(
                seg,
                len(rows),
                len(rows) / n,
                revenue,
                revenue / total if total else 0.0,
                float(rows["clv"].mean()),
                float(rows["recency"].mean()),
                float(rows["frequency"].mean()),
            )
        )
    return RfmResult(ref.date(), per, segments, total, len(frame))


def _empty_customers() -> pd.DataFrame:
    return pd.DataFrame(
        columns=["recency", "frequency", "monetary", "first", "r", "f", "m", "segment", "clv"]
    )


def channel_values(
    result: RfmResult,
    spend: dict[str, float],
    new_customers: dict[str, float],
    since: date | None,
) -> list[ChannelValue]:
    """CLV / CAC per acquisition channel.

    CAC = spend / new customers of the channel; new customers come from the plan's
    metrics (``new_customers``) when it has them for the channel, else they are the
    customers whose first order in the orders file falls on or after ``since``.
    """
    per = result.customers
    if "channel" not in per.columns or per.empty:
        return []
    out: list[ChannelValue] = []
    for ch, rows in per.groupby("channel", sort=True):
        name = str(ch)
        if not name:
            continue
        clv = float(rows["clv"].mean()) if len(rows) else None
        s = spend.get(name)
        newc = new_customers.get(name)
        if not newc and since is not None:
            newc = float((rows["first"] >= pd.Timestamp(since)).sum()) or None
        cac = s / newc if s is not None and newc else None
        ratio = clv / cac if clv is not None and cac else None
        out.append(ChannelValue(name, len(rows), clv, s, newc, cac, ratio))
    return out
