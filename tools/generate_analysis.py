"""The example site's analysis data: an A/B test, a touchpoint log and CRM orders per
customer (called by ``tools/generate_data.py``; deterministic like the rest).

- ``ab-landing.csv``: the landing-page hero test of the spring launch, one row per day
  and variant (users, conversions), from 2026-10-20 to the as-of date; variant B
  converts about 12 % better than A.
- ``touchpoints.csv``: one row per touch or conversion of 6,000 visitors between
  2026-09-01 and the as-of date (GA4-like event log, flattened): the channel of each
  touch, and conversions and revenue on the rows where a visitor bought. Search and
  WeChat close, Douyin and Xiaohongshu open.
- ``crm-customers.csv``: the orders of 2,400 customers since 2025-12-01 (customer id,
  date, acquisition channel, amount); a few loyal buyers, many one-off buyers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

AB_START = pd.Timestamp("2026-10-20")
TOUCH_START = pd.Timestamp("2026-09-01")
ORDERS_START = pd.Timestamp("2025-12-01")

# channel: (share of first touches, share of later touches, conversion pull)
TOUCH_CHANNELS = {
    "douyin": (0.30, 0.12, 0.6),
    "xiaohongshu": (0.22, 0.10, 0.7),
    "sem": (0.16, 0.26, 1.6),
    "wechat": (0.10, 0.22, 1.3),
    "kol": (0.12, 0.08, 0.9),
    "email": (0.04, 0.14, 1.1),
    "seo": (0.06, 0.08, 1.0),
}
CUSTOMER_CHANNELS = ("sem", "douyin", "wechat", "kol", "email", "seo")


def ab_landing(rng: np.random.Generator, as_of: pd.Timestamp) -> pd.DataFrame:
    dates = pd.date_range(AB_START, as_of, freq="D")
    rows = []
    for variant, rate in (("a", 0.032), ("b", 0.0358)):
        users = rng.poisson(1450, len(dates))
        conversions = rng.binomial(users, rate)
        rows.append(
            pd.DataFrame(
                {
                    "date": dates.strftime("%Y-%m-%d"),
                    "experiment": "landing-hero",
                    "variant": variant,
                    "users": users,
                    "conversions": conversions,
                }
            )
        )
    out = pd.concat(rows).sort_values(["date", "variant"], kind="stable").reset_index(drop=True)
    return out.rename(columns={"date": "Date"})


def touchpoints(rng: np.random.Generator, as_of: pd.Timestamp, users: int = 6000) -> pd.DataFrame:
    names = list(TOUCH_CHANNELS)
    first_p = np.array([v[0] for v in TOUCH_CHANNELS.values()])
    later_p = np.array([v[1] for v in TOUCH_CHANNELS.values()])
    pull = np.array([v[2] for v in TOUCH_CHANNELS.values()])
    n_touch = rng.integers(1, 6, users)  # 1..5 touches per visitor
    user = np.repeat(np.arange(users), n_touch)
    pos = np.arange(len(user)) - np.repeat(np.cumsum(n_touch) - n_touch, n_touch)
    channel = np.where(
        pos == 0,
        rng.choice(len(names), len(user), p=first_p / first_p.sum()),
        rng.choice(len(names), len(user), p=later_p / later_p.sum()),
    )
    span = (as_of - TOUCH_START).days
    start_day = rng.integers(0, span - 10, users)
    gaps = rng.integers(0, 6, len(user))
    gaps[pos == 0] = 0
    cumulative = np.cumsum(gaps)
    offset = cumulative - np.repeat(cumulative[np.cumsum(n_touch) - n_touch], n_touch)
    day = np.repeat(start_day, n_touch) + offset
    day = np.minimum(day, span)
    # conversion probability grows with the pull of the channels touched
    score = np.bincount(user, weights=pull[channel], minlength=users)
    converts = rng.random(users) < 1 - np.exp(-0.11 * score)
    last = np.cumsum(n_touch) - 1
    conv_rows = pd.DataFrame(
        {
            "user": np.arange(users)[converts],
            "day": day[last][converts],
            "channel": "",
            "conversions": 1,
            "revenue": np.round(rng.gamma(3.0, 120.0, int(converts.sum())), 2),
            "seq": 1,
        }
    )
    touch_rows = pd.DataFrame(
        {
            "user": user,
            "day": day,
            "channel": np.array(names, dtype=object)[channel],
            "conversions": 0,
            "revenue": 0.0,
            "seq": 0,
        }
    )
    out = pd.concat([touch_rows, conv_rows]).sort_values(["day", "user", "seq"], kind="stable")
    return pd.DataFrame(
        {
            "Date": (TOUCH_START + pd.to_timedelta(out["day"], unit="D")).dt.strftime("%Y-%m-%d"),
            "user_id": [f"v{u:05d}" for u in out["user"]],
            "channel": out["channel"].to_numpy(),
            "conversions": out["conversions"].to_numpy(),
            "revenue": [f"{r:.2f}" for r in out["revenue"]],
        }
    )


def crm_customers(
    rng: np.random.Generator, as_of: pd.Timestamp, customers: int = 2400
) -> pd.DataFrame:
    span = (as_of - ORDERS_START).days
    first = rng.integers(0, span, customers)
    orders = 1 + rng.negative_binomial(1, 0.45, customers)
    orders = np.minimum(orders, 12)
    who = np.repeat(np.arange(customers), orders)
    k = np.arange(len(who)) - np.repeat(np.cumsum(orders) - orders, orders)
    gap = rng.exponential(45.0, len(who)).astype(int) + 7
    gap[k == 0] = 0
    offset = np.cumsum(gap) - np.repeat(np.cumsum(gap)[np.cumsum(orders) - orders], orders)
    day = np.repeat(first, orders) + offset
    keep = day <= span
    spend_level = rng.lognormal(6.4, 0.55, customers)
    amount = np.round(spend_level[who] * rng.uniform(0.7, 1.3, len(who)), 2)
    channel = rng.choice(len(CUSTOMER_CHANNELS), customers, p=[0.26, 0.22, 0.18, 0.12, 0.1, 0.12])
    frame = pd.DataFrame(
        {
            "date": (ORDERS_START + pd.to_timedelta(day[keep], unit="D")).strftime("%Y-%m-%d"),
            "customer_id": [f"C{c:06d}" for c in who[keep]],
            "channel": np.array(CUSTOMER_CHANNELS, dtype=object)[channel[who[keep]]],
            "revenue": [f"{a:.2f}" for a in amount[keep]],
        }
    )
    frame = frame.sort_values(["date", "customer_id"], kind="stable").reset_index(drop=True)
    return frame.rename(columns={"date": "Date"})
