"""Deterministic, realistic metric exports of any size for benchmarks.

``write_big_csv(path, rows)`` writes what an ad-platform export looks like:
``date, channel, campaign, impressions, clicks, spend, conversions, revenue``
for ~10 channels x 40 campaigns over 365 days, with ~10 % of the larger
numbers written with thousands separators (``"12,345"``, quoted as Excel does)
and Chinese campaign names. Generation is vectorised with numpy and done in
chunks, so 5,000,000 rows take a few seconds and little memory.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

CHANNELS = (
    "baidu-sem",
    "wechat",
    "weibo",
    "douyin",
    "xiaohongshu",
    "bilibili",
    "zhihu",
    "email",
    "seo",
    "kol",
)
CAMPAIGNS_PER_CHANNEL = 40
DAYS = 365
START = np.datetime64("2026-09-01")

HEADERS_EN = (
    "date",
    "channel",
    "campaign",
    "impressions",
    "clicks",
    "spend",
    "conversions",
    "revenue",
)
HEADERS_ZH = ("日期", "渠道", "推广计划", "展现量", "点击量", "消费(元)", "转化数", "收入(元)")
_THEMES = (
    "春季上新",
    "会员日",
    "新品首发",
    "品牌专区",
    "直播带货",
    "开学季",
    "双十一预热",
    "年货节",
)

_CHUNK = 250_000


def _grouped(values: np.ndarray) -> np.ndarray:
    """Integers < 1e9 as strings with thousands separators (``1234567`` -> ``1,234,567``)."""
    v = values.astype(np.int64)
    millions, rest = np.divmod(v, 1_000_000)
    thousands, units = np.divmod(rest, 1_000)
    units_s = np.char.zfill(units.astype("U3"), 3)
    thousands_s = thousands.astype("U3")
    out = np.where(v >= 1_000, np.char.add(np.char.add(thousands_s, ","), units_s), v.astype("U12"))
    big = v >= 1_000_000
    if big.any():
        with_m = np.char.add(
            np.char.add(millions.astype("U3"), ","),
            np.char.add(np.char.add(np.char.zfill(thousands_s, 3), ","), units_s),
        )
        out = np.where(big, with_m, out)
    return np.asarray(out, dtype=str)


def _quote_grouped(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Write ``values`` (ints) as plain numbers, or quoted with separators where ``mask``."""
    plain = values.astype(np.int64).astype("U12")
    grouped = np.char.add(np.char.add('"', _grouped(values)), '"')
    return np.where(mask & (values >= 1000), grouped, plain)


def _money(values: np.ndarray) -> np.ndarray:
    """Two-decimal amounts as strings, vectorised."""
    cents = np.round(values * 100).astype(np.int64)
    whole, frac = np.divmod(cents, 100)
    return np.char.add(np.char.add(whole.astype("U12"), "."), np.char.zfill(frac.astype("U2"), 2))


def _campaign_names() -> np.ndarray:
    names = []
    for c, channel in enumerate(CHANNELS):
        for k in range(CAMPAIGNS_PER_CHANNEL):
            theme = _THEMES[(c + k) % len(_THEMES)]
            names.append(f"{theme}-{channel}-{k + 1:03d}")
    return np.array(names)


def _chunk_lines(rng: np.random.Generator, start: int, stop: int) -> str:
    n = stop - start
    idx = np.arange(start, stop, dtype=np.int64)
    day = idx % DAYS
    campaign = (idx // DAYS) % (len(CHANNELS) * CAMPAIGNS_PER_CHANNEL)
    channel = campaign // CAMPAIGNS_PER_CHANNEL
    dates = np.datetime_as_string(START + day.astype("timedelta64[D]"), unit="D")
    campaigns = _campaign_names()[campaign]
    channels = np.array(CHANNELS)[channel]

    base = rng.lognormal(mean=8.5, sigma=1.2, size=n)
    impressions = np.minimum(np.round(base), 50_000_000).astype(np.int64)
    ctr = rng.uniform(0.005, 0.08, size=n)
    clicks = rng.binomial(impressions, ctr)
    cpc = rng.uniform(0.3, 6.0, size=n)
    spend = clicks * cpc
    cvr = rng.uniform(0.01, 0.12, size=n)
    conversions = rng.binomial(clicks, cvr)
    revenue = conversions * rng.uniform(40.0, 400.0, size=n)
    sep = rng.random(n) < 0.10

    cols = [
        dates,
        channels,
        campaigns,
        _quote_grouped(impressions, sep),
        clicks.astype("U12"),
        _money(spend),
        conversions.astype("U12"),
        _money(revenue),
    ]
    line = cols[0]
    for col in cols[1:]:
        line = np.char.add(np.char.add(line, ","), col)
    return "\n".join(line.tolist()) + "\n"


def write_big_csv(
    path: Path,
    rows: int,
    *,
    encoding: str = "utf-8",
    chinese_headers: bool = False,
    seed: int = 7,
) -> Path:
    """Write a deterministic export of ``rows`` data rows to ``path`` and return it.

    The same ``rows`` and ``seed`` give the same values whatever the encoding, so
    a GBK file and its UTF-8 twin hold the same data.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    headers = HEADERS_ZH if chinese_headers else HEADERS_EN
    with path.open("w", encoding=encoding, newline="") as fh:
        fh.write(",".join(headers) + "\n")
        for start in range(0, rows, _CHUNK):
            fh.write(_chunk_lines(rng, start, min(rows, start + _CHUNK)))
    return path


if __name__ == "__main__":  # pragma: no cover - manual use
    out = write_big_csv(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000)
    print(out, out.stat().st_size)
