"""Attribution over many channels (outside report, finding 6: 1,000 channels took 81 s,
1,500 more than 120 s): the Markov removal effects come from one inverse of the chain, not
one solve per channel, and past :data:`MAX_CHANNELS` the channels with the fewest touches
are one channel, ``(other)``, under every model, said on the page in both languages."""

from __future__ import annotations

import numpy as np
import pytest

from planbook.metrics.analysis import attribution
from planbook.metrics.analysis.attribution import MAX_CHANNELS, MODELS, OTHER, attribute
from tests.analysis.test_site import ADS


def _conversion_probability(counts: np.ndarray, k: int, removed: int | None) -> float:
    """The definition, one solve per channel: transitions into ``removed`` go to null."""
    conv_s, null_s = k + 1, k + 2
    c = counts.copy()
    if removed is not None:
        s = removed + 1
        c[:, null_s] += c[:, s]
        c[:, s] = 0.0
        c[s, :] = 0.0
    totals = c.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.where(totals[:, None] > 0, c / totals[:, None], 0.0)
    transient = np.arange(k + 1)
    q = p[np.ix_(transient, transient)]
    return float(np.linalg.solve(np.eye(k + 1) - q, p[transient, conv_s])[0])


def _paths(rng: np.random.Generator, users: int, channels: int) -> tuple[np.ndarray, ...]:
    rows = []
    for u in range(users):
        n = int(rng.integers(1, 6))
        for t in range(n):
            # channels drawn unevenly (a few large ones), repeats and self-loops included
            ch = int(min(rng.geometric(0.15) - 1, channels - 1))
            last = t == n - 1
            converts = last and rng.random() < 0.4
            rows.append((f"u{u}", t, f"ch{ch:03d}", float(converts), 10.0 * converts))
    u, d, c, x, r = zip(*rows, strict=True)
    return (
        np.array(u, dtype=object),
        np.array(d),
        np.array(c, dtype=object),
        np.array(x),
        np.array(r),
    )


def test_removal_effects_are_the_definitions(monkeypatch: pytest.MonkeyPatch) -> None:
    """P₋c = P − h_c · x_c gives, for every channel, what removing it and solving again
    gives."""
    counted: list = []
    original = attribution._absorption

    def spy(counts: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        counted.append(counts.copy())
        return original(counts, k)

    monkeypatch.setattr(attribution, "_absorption", spy)
    for seed in range(5):
        counted.clear()
        res = attribute(*_paths(np.random.default_rng(seed), 400, 40))
        (counts,) = counted  # one inverse for every channel
        k = counts.shape[0] - 3
        base = _conversion_probability(counts, k, None)
        want = [
            1 - _conversion_probability(counts, k, i) / base
            for i in range(k)
            if counts[:, i + 1].sum() > 0
        ]
        got = res.removal_effect[np.isfinite(res.removal_effect)]
        assert got.tolist() == pytest.approx(want, rel=1e-9, abs=1e-12)


def test_the_channels_past_the_limit_are_one_other_channel() -> None:
    users, days, channels, conversions, revenue = _paths(np.random.default_rng(7), 3000, 60)
    whole = attribute(users, days, channels, conversions, revenue)
    assert whole.other == () and OTHER not in whole.channels
    res = attribute(users, days, channels, conversions, revenue, max_channels=10)
    assert len(res.channels) == 11 and res.channels[-1] == OTHER and res.limit == 10
    # the ten with the most touches are kept, by name; the others grouped
    names, counts = np.unique(channels, return_counts=True)
    ranked = sorted(zip(names, counts, strict=True), key=lambda x: (-x[1], x[0]))
    assert res.channels[:-1] == sorted(str(n) for n, _ in ranked[:10])
    assert res.other == tuple(sorted(str(n) for n, _ in ranked[10:]))
    # nothing is lost: every model credits the same totals, and the kept channels' rule-
    # based credit is the same as without the limit
    for model in MODELS:
        assert res.conversions[model].sum() == pytest.approx(whole.conversions[model].sum())
        assert res.revenue[model].sum() == pytest.approx(whole.revenue[model].sum())
    for model in ("first_touch", "last_touch", "linear", "time_decay", "position"):
        kept = [whole.channels.index(c) for c in res.channels[:-1]]
        assert res.conversions[model][:-1].tolist() == pytest.approx(
            whole.conversions[model][kept].tolist()
        )


def test_the_limit_keeps_the_no_channel_row() -> None:
    users = np.array(["u1", "u1", "u2", "u3", "u3"], dtype=object)
    channels = np.array(["b", "", "a", "c", "a"], dtype=object)
    conversions = np.array([0.0, 1.0, 1.0, 0.0, 1.0])
    res = attribute(users, np.array([0, 1, 0, 0, 1]), channels, conversions, conversions)
    assert res.channels == ["a", "b", "c"]
    one = attribute(
        users, np.array([0, 1, 0, 0, 1]), channels, conversions, conversions, max_channels=1
    )
    assert one.channels == ["a", OTHER] and one.other == ("b", "c")
    assert one.conversions["last_touch"].tolist() == [2.0, 1.0]


def test_a_thousand_channels_take_one_inverse_of_the_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sizes: list[int] = []
    inverse = np.linalg.inv

    def spy(a: np.ndarray) -> np.ndarray:
        sizes.append(a.shape[0])
        return inverse(a)

    monkeypatch.setattr(np.linalg, "inv", spy)
    monkeypatch.setattr(np.linalg, "solve", None)  # no solve per channel
    n = 1000
    users = np.repeat([f"u{i}" for i in range(n)], 2).astype(object)
    days = np.tile([0, 1], n)
    channels = np.array([f"ch{(i + j) % n}" for i in range(n) for j in (0, 1)], dtype=object)
    conversions = np.tile([0.0, 1.0], n)
    res = attribute(users, days, channels, conversions, conversions * 10)
    assert sizes == [MAX_CHANNELS + 2]  # start, the channels kept, (other)
    assert len(res.channels) == MAX_CHANNELS + 1 and len(res.other) == n - MAX_CHANNELS
    assert res.conversions["markov"].sum() == pytest.approx(n)


# ------------------------------------------------------------------------- the page

_MANY = 120  # channels in the built site (MAX_CHANNELS + 20)
_PAGE = """\
---
plan:
  id: ana
  period: {start: 2026-09-01, end: 2026-12-31}
  metrics: [data/ads.csv]
  attribution:
    touchpoints: data/touch.csv
---
# Ana

{{ attribution() }}
"""


def _site_data() -> dict[str, str]:
    touch = "date,user_id,channel,conversions,revenue\n" + "".join(
        f"2026-10-01,u{i},ch{i:03d},0,0\n2026-10-02,u{i},ch{(i + 1) % _MANY:03d},1,10\n"
        for i in range(_MANY)
    )
    ads = ADS + "".join(f"2026-10-01,ch{i:03d},5,0\n" for i in range(_MANY))
    return {"ads.csv": ads, "touch.csv": touch}


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "en",
            "More than 100 channels: the 20 with the fewest touches are grouped as one row, "
            "(other), under every model (the data-driven model's cost grows with the cube of "
            "the channels)",
        ),
        (
            "zh",
            "渠道超过 100 个：触点最少的 20 个渠道合并为 (other) 一行，每个模型都按此计算"
            "（数据驱动模型的计算量随渠道数的三次方增长）",
        ),
    ],
)
def test_the_page_says_which_channels_are_grouped(build_site, language: str, said: str) -> None:
    built = build_site({"plan.md": _PAGE}, _site_data(), language=language, strict=False)
    assert built.error is None, built.messages
    soup = built.html("plan/index.html")
    assert soup.select_one(".pb-attr-grouped").get_text() == said
    rows = soup.select(".pb-attr-conversions tbody tr")
    assert len(rows) == MAX_CHANNELS + 1 and rows[-1]["data-channel"] == OTHER
    # the grouped channels' spend is the (other) row's: 20 × 5
    other = soup.select_one(f'.pb-attr-revenue tr[data-channel="{OTHER}"]')
    assert other.select("td")[1].get_text(strip=True).endswith("¥100")
