"""Known-answer tests: textbook statistics, a hand-computed five-path attribution, and a
hand-scored ten-customer RFM file."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from planbook.metrics.analysis.attribution import MODELS, attribute
from planbook.metrics.analysis.customers import quintile_scores, rfm, segment_of
from planbook.metrics.analysis.experiments import (
    lift_interval,
    readout,
    sample_size,
    srm_test,
    two_proportion_test,
    wilson_interval,
)
from planbook.metrics.analysis.spec import Experiment
from tests.analysis.fixtures import FIVE_PATHS, TEN_CUSTOMERS

# ------------------------------------------------------------------ experiments


def test_two_proportion_z_test_against_the_textbook_formula():
    # 100/1000 vs 130/1000: pooled p = 0.115, SE = sqrt(p(1-p)(2/1000)), z = 0.03 / SE
    z, p = two_proportion_test(100, 1000, 130, 1000)
    se = math.sqrt(0.115 * 0.885 * 2 / 1000)
    assert z == pytest.approx(0.03 / se)
    assert z == pytest.approx(2.1027, abs=1e-4)
    assert p == pytest.approx(math.erfc(z / math.sqrt(2)))
    assert p == pytest.approx(0.0355, abs=1e-4)


def test_power_matches_cohens_table():
    # Cohen (1988), table 6.4.1: h = 0.20, two-sided α = .05, power .80 -> n = 392 per group
    from statsmodels.stats.power import NormalIndPower

    assert NormalIndPower().solve_power(0.2, alpha=0.05, power=0.8) == pytest.approx(392.4, abs=0.1)
    # h for 10% -> 12%: 2·asin(√.12) − 2·asin(√.10); n = 2·((1.95996 + 0.84162) / h)²
    h = 2 * math.asin(math.sqrt(0.12)) - 2 * math.asin(math.sqrt(0.10))
    expected = 2 * ((1.959964 + 0.841621) / h) ** 2
    assert sample_size(0.10, 0.20) == math.ceil(expected) == 3835


def test_wilson_interval_and_lift_interval():
    low, high = wilson_interval(100, 1000)
    # Wilson: (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)
    z = 1.959964
    p, n = 0.1, 1000
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert (low, high) == pytest.approx((centre - half, centre + half))
    lo, hi = lift_interval(100, 1000, 130, 1000)
    # log ratio: ln(1.3) ± z·sqrt(1/130 − 1/1000 + 1/100 − 1/1000)
    se = math.sqrt(1 / 130 - 1 / 1000 + 1 / 100 - 1 / 1000)
    assert lo == pytest.approx(math.exp(math.log(1.3) - z * se) - 1, abs=1e-6)
    assert hi == pytest.approx(math.exp(math.log(1.3) + z * se) - 1, abs=1e-6)


def test_sample_ratio_mismatch():
    assert srm_test([5000, 5000]) == pytest.approx(1.0)
    # χ² = (100² + 100²) / 5000 = 4 -> p = 0.0455
    assert srm_test([4900, 5100]) == pytest.approx(0.0455, abs=1e-4)
    assert srm_test([4000, 6000]) < 0.001


def _exp(**kw) -> Experiment:
    base = {
        "id": "hero",
        "hypothesis": "h",
        "variants": ["a", "b"],
        "start": date(2026, 10, 1),
        "mde": 0.2,
    }
    return Experiment.model_validate({**base, **kw})


def _rows(na, xa, nb, xb, days=2):
    rows = []
    for d in range(days):
        day = pd.Timestamp("2026-10-01") + pd.Timedelta(days=d)
        rows.append((day, "a", na / days, xa / days))
        rows.append((day, "b", nb / days, xb / days))
    return pd.DataFrame(rows, columns=["date", "variant", "users", "conversions"])


def test_no_winner_before_the_planned_sample():
    # significant at p = 0.0355, but the plan asked for 2,000 per variant: keep running
    r = readout(_exp(sample=2000), _rows(1000, 100, 1000, 130))
    assert r.variants[1].p_value == pytest.approx(0.0355, abs=1e-4)
    assert r.decision == "keep_running" and r.winner is None
    assert r.remaining == 1000
    assert r.daily == pytest.approx(500)  # 2,000 exposures a day over two variants
    assert r.days_left == 2
    shipped = readout(_exp(sample=1000), _rows(1000, 100, 1000, 130))
    assert (shipped.decision, shipped.winner) == ("ship", "b")
    assert shipped.variants[1].lift == pytest.approx(0.3)


def test_decisions_without_a_winner_and_on_mismatch():
    same = readout(_exp(sample=1000), _rows(1000, 100, 1000, 102))
    assert same.decision == "stop_no_difference"
    worse = readout(_exp(sample=1000), _rows(1000, 130, 1000, 100))
    assert worse.decision == "stop_worse"
    srm = readout(_exp(sample=1000), _rows(4000, 400, 6000, 600))
    assert srm.srm and srm.decision == "stop_srm"
    planned = readout(_exp(mde=0.2), _rows(1000, 100, 1000, 130))
    assert planned.required == 3835 and planned.required_from == "mde"
    assert readout(_exp(sample=1000), _rows(0, 0, 0, 0).iloc[:0]).decision == "no_data"


def test_bonferroni_for_several_treatments():
    r = readout(
        _exp(variants=["a", "b", "c"], sample=100),
        pd.concat([_rows(1000, 100, 1000, 130), _rows(0, 0, 1000, 110).assign(variant="c")]),
    )
    assert r.alpha == pytest.approx(0.025)
    # p = 0.0355 is above 0.025: not significant after the correction
    assert not r.variants[1].significant


# ------------------------------------------------------------------ attribution


def _five(**kw):
    u, d, c, x, r = zip(*FIVE_PATHS, strict=True)
    return attribute(
        np.array(u, dtype=object),
        np.array(d),
        np.array(c, dtype=object),
        np.array(x, dtype=float),
        np.array(r, dtype=float),
        **kw,
    )


def test_five_paths_every_model_by_hand():
    res = _five()
    assert res.channels == ["a", "b", "c"]
    assert (res.paths, res.users, res.touches) == (3, 5, 6)
    conv = {m: res.conversions[m].tolist() for m in MODELS}
    assert conv["first_touch"] == [2, 1, 0]
    assert conv["last_touch"] == [1, 0, 2]
    # linear: u1 1/3 each, u2 1 to a, u3 1/2 each
    assert conv["linear"] == pytest.approx([1 / 3 + 1, 1 / 3 + 1 / 2, 1 / 3 + 1 / 2])
    # time decay (half-life 7): u1 ages 14, 7, 0 -> .25, .5, 1 (/1.75); u3 ages 1, 0
    w = 2 ** (-1 / 7)
    assert conv["time_decay"] == pytest.approx(
        [0.25 / 1.75 + 1, 0.5 / 1.75 + w / (1 + w), 1 / 1.75 + 1 / (1 + w)]
    )
    # position: u1 .4/.2/.4, u2 1, u3 .5/.5
    assert conv["position"] == pytest.approx([1.4, 0.7, 0.9])
    # revenue follows the same shares: u1 100, u2 50, u3 80
    assert res.revenue["linear"].tolist() == pytest.approx(
        [100 / 3 + 50, 100 / 3 + 40, 100 / 3 + 40]
    )
    assert res.revenue["first_touch"].tolist() == [150, 80, 0]


def test_markov_removal_effect_by_hand():
    # start: a 3/5, b 1/5, c 1/5; a: b 2/3, conv 1/3; b: c 2/3, null 1/3; c: conv 2/3, null 1/3
    # P(conv) = .6 · 17/27 + .2 · 4/9 + .2 · 2/3 = 0.6
    # without a: 2/9 -> RE 17/27; without b: 1/3 -> RE 4/9; without c: 1/5 -> RE 2/3
    res = _five()
    assert res.removal_effect.tolist() == pytest.approx([17 / 27, 4 / 9, 2 / 3])
    total = 17 / 27 + 4 / 9 + 2 / 3
    shares = [17 / 27 / total, 4 / 9 / total, 2 / 3 / total]
    assert res.conversions["markov"].tolist() == pytest.approx([3 * s for s in shares])
    assert res.revenue["markov"].tolist() == pytest.approx([230 * s for s in shares])


def test_lookback_drops_old_touches_and_touchless_conversions_go_to_none():
    res = _five(lookback=10)
    # u1's touch of a (14 days before) is out: u1 is now b -> c
    assert res.dropped_touches == 1
    assert res.conversions["first_touch"].tolist() == [1, 2, 0]
    only_conversion = attribute(
        np.array(["x"], dtype=object),
        np.array([0]),
        np.array([""], dtype=object),
        np.array([1.0]),
        np.array([9.0]),
    )
    assert only_conversion.channels == ["(none)"]
    assert only_conversion.unattributed == 1
    for m in MODELS:
        assert only_conversion.conversions[m].tolist() == [1]


def test_position_based_shares_are_configurable_and_add_up():
    res = _five(first_share=0.3, last_share=0.3)
    # u1: .3/.4/.3, u2: 1, u3: .5/.5
    assert res.conversions["position"].tolist() == pytest.approx([1.3, 0.9, 0.8])
    for m in MODELS:
        assert res.conversions[m].sum() == pytest.approx(3)


def test_row_order_does_not_matter():
    rng = np.random.default_rng(1)
    u, d, c, x, r = (np.array(col) for col in zip(*FIVE_PATHS, strict=True))
    # the conversion row of u1 and its last touch share a day: order them by an explicit key
    order = np.arange(len(u))
    p = rng.permutation(len(u))
    res = attribute(u[p].astype(object), d[p], c[p].astype(object), x[p], r[p], order=order[p])
    base = _five()
    for m in MODELS:
        assert res.conversions[m].tolist() == pytest.approx(base.conversions[m].tolist())


# ------------------------------------------------------------------------ RFM


def test_quintiles_with_ties():
    assert quintile_scores(np.arange(1, 11)).tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    # five customers tied at one order all get the lowest score of their group
    assert quintile_scores(np.array([1, 1, 1, 1, 1, 2, 2, 3, 4, 5])).tolist() == [
        1, 1, 1, 1, 1, 3, 3, 4, 5, 5,
    ]  # fmt: skip
    # recency: fewer days is better
    assert quintile_scores(np.array([0, 10, 20]), higher_is_better=False).tolist() == [4, 2, 1]


def test_ten_customers_scored_by_hand():
    orders = [(c, d, a) for c, rows in TEN_CUSTOMERS.items() for d, a in rows]
    cust, days, amounts = zip(*orders, strict=True)
    res = rfm(
        np.array(cust, dtype=object),
        np.array(days, dtype="datetime64[D]"),
        np.array(amounts, dtype=float),
        as_of=date(2026, 12, 31),
        margin=0.5,
        lifetime_years=2,
    )
    per = res.customers
    # recency (days): c01 1, c02 6, c03 11, c04 16, c05 31, c06 60, c07 91, c08 107, c09 152,
    # c10 183 -> R 5 5 4 4 3 3 2 2 1 1
    assert per["recency"].tolist() == [1, 6, 11, 16, 31, 60, 91, 107, 152, 183]
    assert per["r"].tolist() == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]
    # frequency 4 3 1 2 1 2 3 1 2 1: ones rank 1 (score 1), twos rank 5 (3), threes 8 (4), four 10 (5)
    assert per["f"].tolist() == [5, 4, 1, 3, 1, 3, 4, 1, 3, 1]
    # monetary 1500 600 80 220 50 120 2400 30 80 20: ranks 9 6 3(tie) 7 2 5 10 1 3(tie) ... wait
    # sorted: 20 30 50 80 80 120 220 600 1500 2400 -> ranks 1 2 3 4 4 6 7 8 9 10
    assert per["monetary"].tolist() == [1500, 600, 80, 220, 50, 120, 2400, 30, 80, 20]
    assert per["m"].tolist() == [5, 4, 2, 4, 2, 3, 5, 1, 2, 1]
    assert per["segment"].tolist() == [
        "high_value",  # c01 5/5/5
        "high_value",  # c02 5/4/4
        "potential",  # c03 4/1/2
        "potential",  # c04 4/3/4
        "potential",  # c05 3/1/2
        "potential",  # c06 3/3/3
        "needs_care",  # c07 2/4/5
        "hibernating",  # c08 2/1/1
        "needs_care",  # c09 1/3/2
        "hibernating",  # c10 1/1/1
    ]
    seg = {s.id: s for s in res.segments}
    assert seg["high_value"].customers == 2
    assert seg["high_value"].revenue_share == pytest.approx(2100 / 5100)
    assert seg["loyal"].customers == 0 and seg["loyal"].clv is None
    # CLV: margin .5 × revenue / years since the first order × 2 years; c01 since 2026-10-01
    years_c01 = (date(2026, 12, 31) - date(2026, 10, 1)).days / 365.25
    assert per.loc["c01", "clv"] == pytest.approx(0.5 * 1500 / years_c01 * 2)
    # c03 ordered 11 days ago: at least 30 days are assumed
    assert per.loc["c03", "clv"] == pytest.approx(0.5 * 80 / (30 / 365.25) * 2)


def test_segment_rules():
    r = np.array([5, 2, 3, 4, 1, 3])
    f = np.array([4, 3, 5, 1, 1, 4])
    m = np.array([4, 1, 1, 1, 3, 1])
    assert segment_of(r, f, m).tolist() == [
        "high_value",
        "needs_care",
        "loyal",
        "potential",
        "needs_care",
        "loyal",
    ]
