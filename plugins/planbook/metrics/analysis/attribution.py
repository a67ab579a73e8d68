"""Channel credit for conversions and revenue under six attribution models.

Input: one row per event of a user (or order): the date (and, when the file has
one, a ``timestamp`` that orders events within a day), the channel of the touch,
and the conversions and revenue of the event. A row with conversions > 0 is a
conversion; every row with a channel is a touch (a conversion row's own channel
is its last touch). A user's *path* is the run of touches since their previous
conversion; only touches within ``lookback`` days before the conversion count.
Paths that end without a conversion feed the Markov model only.

Per converting path with touches t₁ … tₙ (the conversion's value V: its
conversions, or its revenue), a touch's share is

- first touch: 1 for t₁; last touch: 1 for tₙ; linear: 1/n;
- time decay: 2^(−age/half_life) normalised over the path (age = days from the
  touch to the conversion);
- position-based: ``first_share`` to t₁, ``last_share`` to tₙ and the rest evenly
  over t₂ … tₙ₋₁ (n = 1: all to t₁; n = 2: first and last rescaled to add up to 1);
- data-driven (Markov chain removal effect): a first-order chain over the states
  start, the channels, conversion and null, with transition probabilities counted
  from all paths (start → t₁ → … → tₙ → conversion or null). P is the probability
  of reaching conversion from start; removing channel c sends every transition into
  c to null, giving P₋c. The removal effect RE_c = 1 − P₋c / P, and channel c gets
  RE_c / Σ RE of the conversions and revenue of the converting paths. Removing c
  leaves exactly the paths that never reach c, so P₋c = P − h_c · x_c (h_c: the
  probability that start ever reaches c, x_c: that c reaches conversion), all read
  from one inverse of the chain's transient part instead of one solve per channel.

More than :data:`MAX_CHANNELS` channels: the ones with the most touches are taken one by
one and the rest are one channel, :data:`OTHER`, under every model (the inverse is cubic
in the channels, and the tables hold a row per channel); the result names them.

Conversions without any touch in the lookback window are credited to ``(none)``
under every model. Everything is numpy over the whole table: one sort, then
per-path sums with ``bincount`` (no Python loop over users or paths).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

MODELS: tuple[str, ...] = (
    "first_touch",
    "last_touch",
    "linear",
    "time_decay",
    "position",
    "markov",
)
NONE = "(none)"
OTHER = "(other)"
# Channels taken one by one; the rest are grouped as OTHER (see the module's docstring).
MAX_CHANNELS = 100


@dataclass
class AttributionResult:
    """Credit per channel (rows) and model: conversions and revenue."""

    channels: list[str]
    conversions: dict[str, np.ndarray]  # model -> per channel
    revenue: dict[str, np.ndarray]
    removal_effect: np.ndarray  # per channel (NaN for (none))
    total_conversions: float
    total_revenue: float
    paths: int  # converting paths
    users: int
    touches: int  # touches counted (inside the lookback of a conversion)
    dropped_touches: int  # touches of converting paths older than the lookback
    unattributed: float  # conversions without a touch in the window
    first: pd.Timestamp | None = None
    last: pd.Timestamp | None = None
    spend: dict[str, float] = field(default_factory=dict)
    other: tuple[str, ...] = ()  # the channels grouped as OTHER (fewest touches), sorted
    limit: int = MAX_CHANNELS  # the channels taken one by one, at most


def attribute(
    users: np.ndarray,
    days: np.ndarray,
    channels: np.ndarray,
    conversions: np.ndarray,
    revenue: np.ndarray,
    *,
    order: np.ndarray | None = None,
    lookback: int = 30,
    half_life: float = 7.0,
    first_share: float = 0.4,
    last_share: float = 0.4,
    max_channels: int = MAX_CHANNELS,
) -> AttributionResult:
    """Attribute over events given as arrays of equal length.

    ``users``: any hashable ids; ``days``: day numbers (int) or datetime64;
    ``channels``: text, "" for events without a channel; ``conversions`` and
    ``revenue``: numbers (NaN counts as 0); ``order``: an optional secondary sort key
    within a day (e.g. a timestamp), else the row order.
    """
    n = len(users)
    day = _day_numbers(days)
    conv = np.nan_to_num(np.asarray(conversions, dtype=float), nan=0.0)
    rev = np.nan_to_num(np.asarray(revenue, dtype=float), nan=0.0)
    u_codes, u_uniques = pd.factorize(pd.Series(users, dtype=object), sort=False)
    ch_series = pd.Series(channels, dtype=object).fillna("").astype(str)
    c_codes, c_uniques = pd.factorize(ch_series, sort=True)
    channel_names = [str(c) for c in c_uniques]
    c_codes, channel_names, other = _group_tail(c_codes, channel_names, max_channels)
    empty_code = channel_names.index("") if "" in channel_names else -1
    keys = [np.arange(n)]  # lexsort: the last key sorts first; row order breaks ties
    if order is not None:
        keys.append(np.asarray(order))
    keys += [day, u_codes]
    idx = np.lexsort(keys)
    u, d, c, x, r = u_codes[idx], day[idx], c_codes[idx], conv[idx], rev[idx]
    is_conv = x > 0
    touch = c != empty_code
    # Path ids: a path starts at a user's first row and after each conversion.
    start = np.ones(n, dtype=bool)
    if n:
        start[1:] = (u[1:] != u[:-1]) | is_conv[:-1]
    path = np.cumsum(start) - 1
    n_paths = int(path[-1]) + 1 if n else 0
    last_row = np.zeros(n_paths, dtype=np.int64)
    if n:
        last_row[path] = np.arange(n)  # the last assignment per path wins: its last row
    path_conv = is_conv[last_row] if n else np.zeros(0, dtype=bool)
    end_day = d[last_row] if n else np.zeros(0)
    age = end_day[path] - d if n else np.zeros(0)
    in_window = touch & (age <= lookback) & (age >= 0)
    counted = in_window & path_conv[path] if n else in_window
    dropped = int(np.count_nonzero(touch & ~in_window & (path_conv[path] if n else touch)))

    # Per-path touch positions among the counted touches.
    t_path = path[counted]
    t_chan = c[counted]
    t_age = age[counted].astype(float)
    t_n = np.bincount(t_path, minlength=n_paths)
    pos = _rank_within(t_path)
    n_of = t_n[t_path]
    value_c = x[last_row]
    value_r = r[last_row]
    conv_paths = path_conv & (t_n > 0)
    unattributed = float(value_c[path_conv & (t_n == 0)].sum())
    unattributed_rev = float(value_r[path_conv & (t_n == 0)].sum())

    weights: dict[str, np.ndarray] = {
        "first_touch": (pos == 0).astype(float),
        "last_touch": (pos == n_of - 1).astype(float),
        "linear": 1.0 / np.maximum(n_of, 1),
    }
    decay = np.power(2.0, -t_age / half_life)
    weights["time_decay"] = decay / np.bincount(t_path, weights=decay, minlength=n_paths)[t_path]
    weights["position"] = _position_weights(pos, n_of, first_share, last_share)

    k = len(channel_names)
    conv_credit: dict[str, np.ndarray] = {}
    rev_credit: dict[str, np.ndarray] = {}
    for model, w in weights.items():
        conv_credit[model] = np.bincount(t_chan, weights=w * value_c[t_path], minlength=k)
        rev_credit[model] = np.bincount(t_chan, weights=w * value_r[t_path], minlength=k)

    # Markov: every path's touches inside its window (converting or not).
    m_rows = in_window
    effect = _removal_effects(path[m_rows], c[m_rows], path_conv, k, n_paths)
    usable = np.where(np.isnan(effect), 0.0, effect)
    total_effect = usable.sum()
    share = usable / total_effect if total_effect > 0 else np.zeros(k)
    conv_credit["markov"] = share * float(value_c[conv_paths].sum())
    rev_credit["markov"] = share * float(value_r[conv_paths].sum())

    # The (none) row: conversions without a touch, the same under every model.
    if empty_code >= 0:
        names = channel_names
        none_at = empty_code
        names[none_at] = NONE
    else:
        names = [*channel_names, NONE]
        none_at = k
        for model in MODELS:
            conv_credit[model] = np.append(conv_credit[model], 0.0)
            rev_credit[model] = np.append(rev_credit[model], 0.0)
        effect = np.append(effect, np.nan)
    for model in MODELS:
        conv_credit[model][none_at] = unattributed
        rev_credit[model][none_at] = unattributed_rev
    effect[none_at] = np.nan
    dates = np.asarray(days)
    first = last = None
    if n and np.issubdtype(dates.dtype, np.datetime64):
        first, last = pd.Timestamp(dates.min()), pd.Timestamp(dates.max())
    keep = [i for i, name in enumerate(names) if name != NONE or unattributed > 0]
    return AttributionResult(
        channels=[names[i] for i in keep],
        conversions={m: conv_credit[m][keep] for m in MODELS},
        revenue={m: rev_credit[m][keep] for m in MODELS},
        removal_effect=effect[keep],
        total_conversions=float(value_c[path_conv].sum()),
        total_revenue=float(value_r[path_conv].sum()),
        paths=int(path_conv.sum()),
        users=len(u_uniques),
        touches=int(counted.sum()),
        dropped_touches=dropped,
        unattributed=unattributed,
        first=first,
        last=last,
        other=other,
        limit=max_channels,
    )


def _group_tail(
    codes: np.ndarray, names: list[str], limit: int
) -> tuple[np.ndarray, list[str], tuple[str, ...]]:
    """``(codes, names, the names grouped)``: past ``limit`` channels, the ones with the
    most rows are kept (ties by name) and the others become one channel, :data:`OTHER`,
    coded last. ``""`` (no channel) is no channel and stays."""
    real = [i for i, name in enumerate(names) if name != ""]
    if len(real) <= limit:
        return codes, names, ()
    rows = np.bincount(codes, minlength=len(names))
    ranked = sorted(real, key=lambda i: (-int(rows[i]), names[i]))
    kept = sorted(ranked[:limit] + [i for i, name in enumerate(names) if name == ""])
    mapping = np.full(len(names), len(kept), dtype=np.int64)
    mapping[kept] = np.arange(len(kept))
    grouped = tuple(sorted(names[i] for i in ranked[limit:]))
    return mapping[codes], [names[i] for i in kept] + [OTHER], grouped


def _day_numbers(days: np.ndarray) -> np.ndarray:
    arr = np.asarray(days)
    if np.issubdtype(arr.dtype, np.datetime64):
        return arr.astype("datetime64[D]").astype(np.int64)
    return arr.astype(np.int64)


def _rank_within(groups: np.ndarray) -> np.ndarray:
    """0-based position of each element within its run of equal (sorted) group ids."""
    n = len(groups)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.ones(n, dtype=bool)
    starts[1:] = groups[1:] != groups[:-1]
    first_index = np.maximum.accumulate(np.where(starts, np.arange(n), 0))
    return np.arange(n) - first_index


def _position_weights(pos: np.ndarray, n_of: np.ndarray, first: float, last: float) -> np.ndarray:
    w = np.zeros(len(pos))
    one = n_of == 1
    w[one] = 1.0
    two = n_of == 2
    pair = first + last
    w[two & (pos == 0)] = first / pair if pair > 0 else 0.5
    w[two & (pos == 1)] = last / pair if pair > 0 else 0.5
    many = n_of >= 3
    w[many & (pos == 0)] = first
    w[many & (pos == n_of - 1)] = last
    middle = many & (pos > 0) & (pos < n_of - 1)
    w[middle] = (1.0 - first - last) / (n_of[middle] - 2)
    return w


def _removal_effects(
    t_path: np.ndarray, t_chan: np.ndarray, path_conv: np.ndarray, k: int, n_paths: int
) -> np.ndarray:
    """Removal effect per channel code (NaN for channels without touches)."""
    # States: 0 start, 1..k channels, k+1 conversion, k+2 null.
    conv_s, null_s = k + 1, k + 2
    size = k + 3
    touched_paths = np.unique(t_path)
    if len(touched_paths) == 0:
        return np.full(k, np.nan)
    state = t_chan + 1
    first = np.ones(len(t_path), dtype=bool)
    first[1:] = t_path[1:] != t_path[:-1]
    last = np.ones(len(t_path), dtype=bool)
    last[:-1] = t_path[1:] != t_path[:-1]
    src = np.concatenate([np.zeros(int(first.sum()), dtype=np.int64), state[:-1][~last[:-1]]])
    dst = np.concatenate([state[first], state[1:][~last[:-1]]])
    ends = state[last]
    outcome = np.where(path_conv[t_path[last]], conv_s, null_s)
    src = np.concatenate([src, ends])
    dst = np.concatenate([dst, outcome])
    counts = np.bincount(src * size + dst, minlength=size * size).reshape(size, size)
    x, reach = _absorption(counts.astype(float), k)
    effects = np.full(k, np.nan)
    present = np.flatnonzero(np.bincount(t_chan, minlength=k) > 0)
    base = float(x[0])
    if base <= 0:
        effects[present] = 0.0
        return effects
    # Without c, the paths through c end in null: P₋c = P − h_c · x_c, RE_c = h_c · x_c / P.
    effects[present] = reach[present + 1] * x[present + 1] / base
    return effects


def _absorption(counts: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """``(x, h)`` over the transient states (start and the channels) of the chain counted
    in ``counts``: ``x[s]`` the probability that ``s`` reaches conversion, ``h[s]`` that
    start ever reaches ``s``, from the fundamental matrix N = (I − Q)⁻¹ (N[0, s] is the
    expected visits of ``s`` from start, N[s, s] those from ``s`` itself: h = N[0] / diag N)."""
    conv_s = k + 1
    totals = counts.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(totals[:, None] > 0, counts / totals[:, None], 0.0)
    size = k + 1  # start and the channels
    a = np.eye(size) - p[:size, :size]
    try:
        n = np.linalg.inv(a)
    except np.linalg.LinAlgError:
        n = np.linalg.pinv(a)
    x = n @ p[:size, conv_s]
    diagonal = np.diag(n)
    with np.errstate(invalid="ignore", divide="ignore"):
        reach = np.where(diagonal > 0, n[0] / diagonal, 0.0)
    return x, reach


def attribute_frame(
    frame: pd.DataFrame,
    *,
    user: str,
    channel: str,
    conversions: str,
    revenue: str,
    lookback: int,
    half_life: float,
    first_share: float,
    last_share: float,
) -> AttributionResult:
    """:func:`attribute` over a loaded touchpoint table (columns named by the plan)."""
    order = None
    if "timestamp" in frame.columns:
        ts = frame["timestamp"]
        if pd.api.types.is_numeric_dtype(ts):
            order = np.nan_to_num(ts.to_numpy(dtype=float), nan=0.0)
        else:
            order = pd.factorize(ts.astype(str), sort=True)[0]
    rev = frame[revenue].to_numpy(dtype=float) if revenue in frame.columns else np.zeros(len(frame))
    return attribute(
        frame[user].astype(str).to_numpy(dtype=object),
        frame["date"].to_numpy(dtype="datetime64[ns]"),
        frame[channel].astype(str).to_numpy(dtype=object),
        frame[conversions].to_numpy(dtype=float),
        rev,
        order=order,
        lookback=lookback,
        half_life=half_life,
        first_share=first_share,
        last_share=last_share,
    )
