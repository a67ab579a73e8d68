"""A/B test readouts: rates with intervals, lift, a two-proportion z-test, power,
sample-ratio mismatch and a decision that waits for the planned sample.

Method (stated on the page): a fixed-horizon frequentist test. Each treatment is
compared with the control (the first variant) by a two-sided two-proportion z-test
with the pooled standard error (``statsmodels.stats.proportion.proportions_ztest``);
with more than one treatment the significance level is divided by their number
(Bonferroni). Rates carry Wilson intervals; the lift (rate_B / rate_A − 1) carries the
log-ratio (Katz) interval of ``confint_proportions_2indep``. The sample per variant
comes from the plan's ``sample`` or from Cohen's effect size
h = 2·asin(√p₁) − 2·asin(√p₀) for the minimum detectable effect:
n = 2·((z₁₋α/₂ + z_power) / h)² per variant (``NormalIndPower``). The sample-ratio check is a χ²
goodness-of-fit test of the exposures against an even split (mismatch at p < 0.001).
No winner is called before every variant has the planned sample (no peeking).

statsmodels and scipy are imported when a readout is computed, not when Planbook
starts: most builds have no experiment.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from ...messages import msg
from .spec import Experiment

SRM_THRESHOLD = 0.001
METHOD = "two-proportion z-test"


@dataclass(frozen=True)
class VariantResult:
    name: str
    exposures: float
    conversions: float
    rate: float | None
    rate_low: float | None
    rate_high: float | None
    control: bool = False
    lift: float | None = None  # relative: rate / control rate - 1
    lift_low: float | None = None
    lift_high: float | None = None
    p_value: float | None = None
    significant: bool = False


@dataclass
class Readout:
    """What ``{{ ab_test("id") }}`` shows."""

    experiment: Experiment
    variants: list[VariantResult]
    alpha: float  # per comparison (Bonferroni-adjusted)
    required: int | None  # sample per variant for the planned power
    required_from: str  # "sample" | "mde" | "none"
    baseline: float | None
    remaining: int | None  # exposures still needed by the smallest variant
    daily: float | None  # exposures per day per variant, recent traffic
    days_left: int | None
    srm_p: float | None
    srm: bool
    decision: str  # keep_running | ship | stop_no_difference | stop_worse | stop_srm | no_data
    winner: str | None
    first: date | None
    last: date | None
    notes: list[str] = field(default_factory=list)


# ----------------------------------------------------------------- the statistics


def two_proportion_test(x1: float, n1: float, x2: float, n2: float) -> tuple[float, float]:
    """(z, two-sided p) of the pooled two-proportion z-test of x2/n2 against x1/n1."""
    from statsmodels.stats.proportion import proportions_ztest

    if n1 <= 0 or n2 <= 0 or (x1 + x2) in (0, n1 + n2):
        return 0.0, 1.0
    z, p = proportions_ztest([x2, x1], [n2, n1], alternative="two-sided")
    return float(z), float(p)


def wilson_interval(x: float, n: float, alpha: float = 0.05) -> tuple[float, float]:
    from statsmodels.stats.proportion import proportion_confint

    low, high = proportion_confint(x, n, alpha=alpha, method="wilson")
    return float(low), float(high)


def lift_interval(
    x1: float, n1: float, x2: float, n2: float, alpha: float = 0.05
) -> tuple[float | None, float | None]:
    """Interval of rate2 / rate1 − 1 (log-ratio method); None where undefined."""
    from statsmodels.stats.proportion import confint_proportions_2indep

    if min(x1, x2) <= 0 or x1 >= n1 or x2 >= n2:
        return None, None
    low, high = confint_proportions_2indep(
        x2, n2, x1, n1, method="log", compare="ratio", alpha=alpha
    )
    return float(low) - 1, float(high) - 1


def sample_size(baseline: float, mde: float, alpha: float = 0.05, power: float = 0.8) -> int:
    """Sample per variant to detect a relative lift ``mde`` over ``baseline`` (two-sided)."""
    from statsmodels.stats.power import NormalIndPower
    from statsmodels.stats.proportion import proportion_effectsize

    target = min(baseline * (1 + mde), 0.999999)
    h = abs(float(proportion_effectsize(target, baseline)))
    if h == 0:
        raise ValueError(msg("analysis/failed.mde"))
    n = NormalIndPower().solve_power(effect_size=h, alpha=alpha, power=power, ratio=1.0)
    return math.ceil(float(n))


def srm_test(exposures: list[float]) -> float | None:
    """p-value of the χ² test of ``exposures`` against an even split."""
    from scipy.stats import chisquare

    total = sum(exposures)
    if total <= 0 or len(exposures) < 2:
        return None
    return float(chisquare(exposures).pvalue)


# ----------------------------------------------------------------------- readout


def readout(exp: Experiment, frame: pd.DataFrame, as_of: date | None = None) -> Readout:
    """The readout of ``exp`` over ``frame`` (date, the variant column, exposure and
    metric measures; rows already filtered and inside the experiment's dates)."""
    names = list(exp.variants)
    k = len(names)
    alpha = exp.alpha / (k - 1)
    if frame.empty:
        sums = pd.DataFrame({"n": [0.0] * k, "x": [0.0] * k}, index=names)
        first = last = None
        daily = None
    else:
        grouped = frame.groupby(exp.variant_column, observed=True, sort=False)
        n = grouped[exp.exposure].sum(min_count=1)
        x = grouped[exp.metric].sum(min_count=1)
        sums = pd.DataFrame({"n": n, "x": x}).reindex(names).fillna(0.0)
        first = frame["date"].min().date()
        last = frame["date"].max().date()
        recent = frame[frame["date"] > frame["date"].max() - pd.Timedelta(days=7)]
        per_day = recent.groupby("date")[exp.exposure].sum().mean()
        daily = float(per_day) / k if per_day == per_day else None
    ns = sums["n"].to_numpy(dtype=float)
    xs = sums["x"].to_numpy(dtype=float)
    notes: list[str] = []
    control_n, control_x = ns[0], xs[0]
    results: list[VariantResult] = []
    for i, name in enumerate(names):
        n_i, x_i = float(ns[i]), float(xs[i])
        rate = x_i / n_i if n_i > 0 else None
        low = high = None
        if n_i > 0:
            low, high = wilson_interval(x_i, n_i, exp.alpha)
        if i == 0:
            results.append(VariantResult(name, n_i, x_i, rate, low, high, control=True))
            continue
        lift = lift_low = lift_high = p = None
        if rate is not None and control_n > 0 and control_x > 0:
            lift = rate / (control_x / control_n) - 1
            lift_low, lift_high = lift_interval(control_x, control_n, x_i, n_i, alpha)
            p = two_proportion_test(control_x, control_n, x_i, n_i)[1]
        results.append(
            VariantResult(
                name,
                n_i,
                x_i,
                rate,
                low,
                high,
                lift=lift,
                lift_low=lift_low,
                lift_high=lift_high,
                p_value=p,
                significant=p is not None and p < alpha,
            )
        )
    baseline = exp.baseline
    if baseline is None and control_n > 0 and control_x > 0:
        baseline = control_x / control_n
    required: int | None = None
    required_from = "none"
    if exp.sample is not None:
        required, required_from = exp.sample, "sample"
    elif baseline is not None:
        required, required_from = sample_size(baseline, exp.mde, alpha, exp.power), "mde"
    smallest = float(ns.min()) if k else 0.0
    remaining = None if required is None else max(0, math.ceil(required - smallest))
    days_left = None
    if remaining is not None and remaining > 0 and daily:
        days_left = math.ceil(remaining / daily)
    srm_p = srm_test([float(v) for v in ns])
    srm = srm_p is not None and srm_p < SRM_THRESHOLD
    decision, winner = _decide(results, remaining, srm, float(ns.sum()))
    if exp.end is not None and as_of is not None and as_of > exp.end and decision == "keep_running":
        notes.append("ended_short")
    return Readout(
        exp,
        results,
        alpha,
        required,
        required_from,
        baseline,
        remaining,
        daily,
        days_left,
        srm_p,
        srm,
        decision,
        winner,
        first,
        last,
        notes,
    )


def _decide(
    results: list[VariantResult], remaining: int | None, srm: bool, total: float
) -> tuple[str, str | None]:
    if total <= 0:
        return "no_data", None
    if srm:
        return "stop_srm", None
    if remaining is None or remaining > 0:
        return "keep_running", None  # no peeking: the planned sample is not reached
    winners = [r for r in results[1:] if r.significant and (r.lift or 0) > 0]
    if winners:
        best = max(winners, key=lambda r: r.rate or 0.0)
        return "ship", best.name
    if any(r.significant and (r.lift or 0) < 0 for r in results[1:]):
        return "stop_worse", None
    return "stop_no_difference", None


def finite(value: Any) -> bool:
    return isinstance(value, int | float) and math.isfinite(value)


__all__ = [
    "METHOD",
    "Readout",
    "VariantResult",
    "lift_interval",
    "readout",
    "sample_size",
    "srm_test",
    "two_proportion_test",
    "wilson_interval",
]
