"""Generate the example site's metric exports in ``data/`` (deterministic).

Usage::

    python tools/generate_data.py [--out data]

About six months of daily rows (2026-05-24 .. 2026-11-21; the last day is the
example sites' as-of date) per channel and campaign, shaped like the files real
platforms export: headers in the platform's language, their number formats and
encodings (one GBK file with a 合计 totals row, one UTF-8 file with a BOM, slash
dates in the web-analytics export, ``$1,234.56`` costs in Google Ads).

The numbers are made to be plausible and consistent with each other: clicks never
exceed impressions, conversions never exceed clicks, sessions from paid channels
follow the platforms' clicks, orders follow sessions. There is a weekly rhythm, a
lift after the spring-launch campaign starts on 2026-09-01, the 双11 pre-sale
(from 10-20) and peak (11-11), and a gradual upward trend so that, at the as-of
date, some of the example plans' goals are on track and others at risk or off
track.

Everything is seeded (one generator per file, seeded from the file's name) and
nothing reads the clock: two runs write byte-identical files. A unit test checks
that the committed ``data/`` equals a fresh run, so change this script and re-run
it rather than editing the CSV files by hand.
"""

from __future__ import annotations

import argparse
import sys
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import generate_analysis as analysis  # tools/ is on sys.path when run as a script
import generate_posts  # the post list of the content calendar
import numpy as np
import pandas as pd

SEED = 20260901
FIRST_DAY = pd.Timestamp("2026-05-24")
AS_OF = pd.Timestamp("2026-11-21")
LAUNCH = pd.Timestamp("2026-09-01")  # spring-launch campaign start (预热期)
BURST = pd.Timestamp("2026-10-16")  # 爆发期
PRESALE = pd.Timestamp("2026-10-20")  # 双11 pre-sale opens
DOUBLE_11 = pd.Timestamp("2026-11-11")
US_HOLIDAY = pd.Timestamp("2026-10-01")  # us-holiday-2026 plan start
BLACK_FRIDAY = pd.Timestamp("2026-11-27")  # after the as-of date: only the run-up shows

DATES = pd.date_range(FIRST_DAY, AS_OF, freq="D")

# Weekly rhythm (Monday .. Sunday).
WEEK_SEARCH = (1.05, 1.03, 1.0, 0.99, 0.94, 0.95, 1.04)
WEEK_SOCIAL = (0.92, 0.94, 0.96, 0.98, 1.04, 1.09, 1.07)
WEEK_WEB = (1.03, 1.02, 1.0, 0.99, 0.95, 0.98, 1.03)
WEEK_SHOP = (0.96, 0.97, 0.98, 0.98, 1.0, 1.06, 1.05)


# --------------------------------------------------------------------------- curves


def days(dates: pd.DatetimeIndex, since: pd.Timestamp) -> np.ndarray:
    """Days from ``since`` to each date (negative before it)."""
    return ((dates - since) / pd.Timedelta(days=1)).to_numpy(dtype=float)


def span(first: pd.Timestamp | str, last: pd.Timestamp | str = AS_OF) -> pd.DatetimeIndex:
    """The dates from ``first`` to ``last`` inclusive (clipped to the data range)."""
    return DATES[DATES.slice_indexer(pd.Timestamp(first), pd.Timestamp(last))]


def weekly(dates: pd.DatetimeIndex, shape: Sequence[float]) -> np.ndarray:
    return np.asarray(shape, dtype=float)[dates.day_of_week.to_numpy()]


def ramp(dates: pd.DatetimeIndex, since: pd.Timestamp, over: float) -> np.ndarray:
    """0 before ``since``, rising linearly to 1 over ``over`` days, then 1."""
    return np.clip(days(dates, since) / over, 0.0, 1.0)


def lerp(dates: pd.DatetimeIndex, a: float, b: float) -> np.ndarray:
    """A straight line from ``a`` on the first date to ``b`` on the last one."""
    t = days(dates, dates[0]) / max(days(dates[-1:], dates[0])[0], 1.0)
    return a + (b - a) * t


def bump(dates: pd.DatetimeIndex, centre: pd.Timestamp, width: float) -> np.ndarray:
    """A Gaussian bump (height 1) centred on ``centre``."""
    return np.exp(-0.5 * (days(dates, centre) / width) ** 2)


def double11(dates: pd.DatetimeIndex, peak: float, presale: float | None = None) -> np.ndarray:
    """Multiplier for the 双11 season: a pre-sale bump from 10-20 and the 11-11 peak."""
    pre = peak * 0.18 if presale is None else presale
    return (
        1.0
        + pre * bump(dates, PRESALE + pd.Timedelta(days=1), 1.6)
        + peak * bump(dates, DOUBLE_11, 1.1)
    )


def black_friday(dates: pd.DatetimeIndex, peak: float) -> np.ndarray:
    """The run-up to Black Friday (the as-of date is six days before it)."""
    return 1.0 + peak * np.clip(1.0 - days(dates, BLACK_FRIDAY) / -21.0, 0.0, 1.0) ** 2


def noise(rng: np.random.Generator, n: int, sigma: float) -> np.ndarray:
    """Multiplicative day-to-day noise with mean 1."""
    return rng.lognormal(-0.5 * sigma**2, sigma, n)


def counts(rng: np.random.Generator, level: np.ndarray) -> np.ndarray:
    return rng.poisson(np.maximum(level, 0.0)).astype(np.int64)


def binomial(rng: np.random.Generator, n: np.ndarray, p: np.ndarray | float) -> np.ndarray:
    return rng.binomial(n, np.clip(p, 0.0, 1.0)).astype(np.int64)


# ------------------------------------------------------------------ number formats


def thousands(values: np.ndarray | pd.Series, decimals: int = 0, prefix: str = "") -> list[str]:
    """``1234.5`` -> ``"1,234.50"`` (Excel-style exports)."""
    return [f"{prefix}{v:,.{decimals}f}" for v in np.asarray(values, dtype=float)]


def plain(values: np.ndarray | pd.Series, decimals: int = 2) -> list[str]:
    return [f"{v:.{decimals}f}" for v in np.asarray(values, dtype=float)]


def iso(dates: pd.Series | pd.DatetimeIndex) -> list[str]:
    return [d.strftime("%Y-%m-%d") for d in pd.DatetimeIndex(dates)]


def slashed(dates: pd.Series | pd.DatetimeIndex) -> list[str]:
    return [d.strftime("%Y/%m/%d") for d in pd.DatetimeIndex(dates)]


# ------------------------------------------------------------------ paid campaigns


@dataclass(frozen=True)
class Paid:
    """One paid campaign: daily impressions, CTR, CPC and CVR paths."""

    name: str
    impressions: tuple[float, float]  # daily level on its first / last day (before lifts)
    ctr: tuple[float, float]
    cpc: tuple[float, float]
    cvr: tuple[float, float]
    start: pd.Timestamp = FIRST_DAY
    end: pd.Timestamp = AS_OF
    launch_lift: float = 0.0  # extra impressions once the spring launch is running
    season: float = 0.0  # 双11 peak (CN) or Black Friday run-up (US)
    week: tuple[float, ...] = WEEK_SEARCH
    ctr_lift: float = 0.0  # CTR added over the launch (better creatives, brand lift)
    aov: float = 0.0  # revenue per conversion (0: no revenue column)


def paid(rng: np.random.Generator, spec: Paid, *, us: bool = False) -> pd.DataFrame:
    dates = span(spec.start, spec.end)
    n = len(dates)
    season = black_friday(dates, spec.season) if us else double11(dates, spec.season)
    level = (
        lerp(dates, *spec.impressions)
        * weekly(dates, spec.week)
        * (1.0 + spec.launch_lift * ramp(dates, LAUNCH, 45))
        * season
        * noise(rng, n, 0.09)
    )
    impressions = counts(rng, level)
    ctr = (lerp(dates, *spec.ctr) + spec.ctr_lift * ramp(dates, LAUNCH, 75)) * noise(rng, n, 0.05)
    clicks = binomial(rng, impressions, ctr)
    # Auctions get dearer in the shopping season.
    cpc = lerp(dates, *spec.cpc) * (1.0 + 0.25 * (season - 1.0) / max(spec.season, 1e-9))
    spend = np.round(clicks * cpc * noise(rng, n, 0.06), 2)
    cvr = lerp(dates, *spec.cvr) * (1.0 + 0.3 * (season - 1.0) / max(spec.season, 1e-9))
    conversions = binomial(rng, clicks, cvr)
    frame = pd.DataFrame(
        {
            "date": dates,
            "campaign": spec.name,
            "impressions": impressions,
            "clicks": clicks,
            "spend": spend,
            "conversions": conversions,
        }
    )
    if spec.aov:
        frame["revenue"] = np.round(conversions * spec.aov * noise(rng, n, 0.12), 2)
    return frame


def stack(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Campaign rows sorted the way exports list them: by date, then campaign."""
    out = pd.concat(frames, ignore_index=True)
    order = {f["campaign"].iloc[0]: i for i, f in enumerate(frames) if len(f)}
    out["_k"] = out["campaign"].map(order)
    return out.sort_values(["date", "_k"], kind="stable").drop(columns="_k").reset_index(drop=True)


# ----------------------------------------------------------------- spring launch (CN)

SEM = [
    Paid(
        "品牌词-青岚",
        impressions=(420, 560),
        ctr=(0.082, 0.088),
        cpc=(2.1, 2.3),
        cvr=(0.04, 0.044),
        launch_lift=1.1,
        season=1.6,
        ctr_lift=0.012,
    ),
    Paid(
        "品类词-空气净化器",
        impressions=(3900, 4200),
        ctr=(0.029, 0.031),
        cpc=(4.2, 4.6),
        cvr=(0.016, 0.019),
        launch_lift=0.15,
        season=1.3,
        ctr_lift=0.006,
    ),
    Paid(
        "竞品词-对比",
        impressions=(1100, 500),  # budget shifted away from the low-ROI campaign
        ctr=(0.019, 0.02),
        cpc=(5.4, 5.8),
        cvr=(0.011, 0.012),
        season=0.8,
    ),
    Paid(
        "春季新品-Q3首发",
        impressions=(1000, 2100),
        ctr=(0.05, 0.06),
        cpc=(3.4, 3.8),
        cvr=(0.024, 0.029),
        start=LAUNCH,
        season=1.8,
    ),
]

OCEAN = [
    Paid(
        "日常-信息流测试",
        impressions=(9000, 7000),
        ctr=(0.014, 0.015),
        cpc=(1.9, 2.0),
        cvr=(0.018, 0.02),
        end=pd.Timestamp("2026-09-14"),
        week=WEEK_SOCIAL,
    ),
    Paid(
        "新品首发-信息流",
        impressions=(11000, 15000),
        ctr=(0.017, 0.021),
        cpc=(1.8, 2.1),
        cvr=(0.019, 0.024),
        start=LAUNCH,
        season=1.7,
        week=WEEK_SOCIAL,
    ),
    Paid(
        "达人种草-挂车",
        impressions=(4800, 7000),
        ctr=(0.024, 0.026),
        cpc=(1.6, 1.8),
        cvr=(0.026, 0.03),
        start=pd.Timestamp("2026-10-10"),
        season=2.2,
        week=WEEK_SOCIAL,
    ),
]

TENCENT = [
    Paid(
        "公众号-关注有礼",
        impressions=(3200, 3600),
        ctr=(0.021, 0.022),
        cpc=(2.4, 2.7),
        cvr=(0.02, 0.022),
        launch_lift=0.6,
        season=0.6,
        week=WEEK_SOCIAL,
    ),
    Paid(
        "朋友圈-新品预约",
        impressions=(4600, 5200),
        ctr=(0.011, 0.012),
        cpc=(3.8, 4.2),
        cvr=(0.03, 0.034),
        start=LAUNCH,
        end=pd.Timestamp("2026-11-05"),
        season=0.5,
        week=WEEK_SOCIAL,
    ),
    Paid(
        "朋友圈-双11预售",
        impressions=(6500, 4500),
        ctr=(0.013, 0.014),
        cpc=(4.0, 4.4),
        cvr=(0.032, 0.036),
        start=PRESALE,
        end=DOUBLE_11,
        season=0.9,
        week=WEEK_SOCIAL,
    ),
]

# Followers gained per click, by Tencent campaign (the 公众号 campaign asks for a follow;
# a better welcome gift from the launch on lifts its rate).
FOLLOW_RATE = {"公众号-关注有礼": 0.17, "朋友圈-新品预约": 0.035, "朋友圈-双11预售": 0.025}
FOLLOW_GIFT = ("公众号-关注有礼", 0.08)

KOL = [  # (活动: creator campaign ending in its utm_campaign, start, end, daily fee, quality)
    ("阿澄的家-小红书种草-kol_achen_0910", "2026-09-10", "2026-10-09", 420.0, 1.9),
    ("数码老李-抖音测评-kol_laoli_0918", "2026-09-18", "2026-10-31", 560.0, 2.4),
    ("呼吸科普君-知乎问答-kol_huxi_1008", "2026-10-08", "2026-11-21", 230.0, 1.5),
    ("小鹿妈妈-小红书好物-kol_xiaolu_1020", "2026-10-20", "2026-11-15", 480.0, 2.8),
    ("宅家研究所-抖音直播-kol_zhaijia_1105", "2026-11-05", "2026-11-12", 1500.0, 3.1),
]

WEB_CHANNELS = {  # channel: (sessions/day before the launch, lift by late November)
    "seo": (1900.0, 0.12),
    "direct": (1150.0, 0.10),
    "wechat": (330.0, 0.35),
    "xiaohongshu": (260.0, 0.55),
    "weibo": (120.0, 0.2),
    "zhihu": (140.0, 0.3),
}

ORDER_RATE = {  # orders per session
    "sem": 0.0055,
    "seo": 0.0022,
    "direct": 0.0048,
    "wechat": 0.004,
    "douyin": 0.003,
    "xiaohongshu": 0.0035,
    "weibo": 0.0012,
    "zhihu": 0.0026,
    "email": 0.006,
    "kol": 0.0,  # KOL orders are settled on the CPS platform (kol-cps.csv)
}


def spring_sem(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """百度营销 搜索推广 计划报告 as downloaded (profile baidu-search): GBK, CRLF, the
    数据生成时间 / 时间范围 preamble padded with commas, 展现/点击/消费 with the export's own
    点击率 and 平均点击价格 (never summed), and a 合计 row in the campaign column."""
    frame = stack([paid(rng, spec) for spec in SEM])
    clicks = frame["clicks"].to_numpy(dtype=float)
    spend = frame["spend"].to_numpy(dtype=float)
    impressions = frame["impressions"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ctr = np.where(impressions > 0, clicks / impressions, np.nan)
        cpc = np.where(clicks > 0, spend / clicks, np.nan)
    body = pd.DataFrame(
        {
            "日期": iso(frame["date"]),
            "推广计划": frame["campaign"],
            "账户": "青岚家电-搜索",
            "展现": thousands(frame["impressions"]),
            "点击": thousands(frame["clicks"]),
            "消费": thousands(frame["spend"], 2),
            "点击率": [f"{v:.2%}" if np.isfinite(v) else "-" for v in ctr],
            "平均点击价格": [f"{v:.2f}" if np.isfinite(v) else "-" for v in cpc],
            "网页转化": thousands(frame["conversions"]),
        }
    )
    t_ctr = clicks.sum() / impressions.sum()
    total = pd.DataFrame(
        {
            "日期": [""],
            "推广计划": ["合计"],
            "账户": ["-"],
            "展现": thousands([impressions.sum()]),
            "点击": thousands([clicks.sum()]),
            "消费": thousands([spend.sum()], 2),
            "点击率": [f"{t_ctr:.2%}"],
            "平均点击价格": [f"{spend.sum() / clicks.sum():.2f}"],
            "网页转化": thousands([frame["conversions"].sum()]),
        }
    )
    return pd.concat([body, total], ignore_index=True), frame


def baidu_preamble(dates: pd.Series, width: int) -> tuple[str, ...]:
    """The lines 百度营销 writes above the header, padded to the table's width."""
    pad = "," * (width - 1)
    first, last = dates.min(), dates.max()
    return (
        f"数据生成时间：{AS_OF:%Y-%m-%d} 09:12{pad}",
        f"数据生成条件：{pad}",
        f"1. 时间范围：{first:%Y%m%d}-{last:%Y%m%d}{pad}",
        f"2. 时间单位：分日{pad}",
        f"3. 推广设备：全部{pad}",
        "",
    )


def spring_ocean(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """巨量引擎 (Ocean Engine / 抖音) ad-plan report: UTF-8 with BOM, plain numbers."""
    frame = stack([paid(rng, spec) for spec in OCEAN])
    plays = binomial(rng, frame["impressions"].to_numpy(), 0.62)
    out = pd.DataFrame(
        {
            "日期": iso(frame["date"]),
            "广告计划": frame["campaign"],
            "展示数": frame["impressions"],
            "点击数": frame["clicks"],
            "消耗": plain(frame["spend"]),
            "转化数": frame["conversions"],
            "播放量": plays,
        }
    )
    return out, frame


def spring_tencent(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """腾讯广告 (WeChat Moments / Official Accounts) report: UTF-8."""
    frame = stack([paid(rng, spec) for spec in TENCENT])
    rate = frame["campaign"].map(FOLLOW_RATE).to_numpy(dtype=float)
    gift = (frame["campaign"] == FOLLOW_GIFT[0]).to_numpy()
    rate = rate + gift * FOLLOW_GIFT[1] * ramp(pd.DatetimeIndex(frame["date"]), LAUNCH, 60)
    follows = binomial(rng, frame["clicks"].to_numpy(), rate)
    out = pd.DataFrame(
        {
            "日期": iso(frame["date"]),
            "广告计划": frame["campaign"],
            "曝光量": frame["impressions"],
            "点击量": frame["clicks"],
            "花费": plain(frame["spend"]),
            "转化数": frame["conversions"],
            "新增关注": follows,
        }
    )
    return out, frame


def daily(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A campaign-level column summed per day, aligned on DATES (0 where absent)."""
    return frame.groupby("date")[column].sum().reindex(DATES, fill_value=0).to_numpy()


def spring_social(rng: np.random.Generator) -> pd.DataFrame:
    """微博 / 小红书 / 知乎 organic posts, one row per day and channel."""
    specs = {  # channel: (impressions per posting day, launch lift, interaction rate, follow rate)
        "weibo": (5200.0, 0.5, 0.011, 0.0012),
        "xiaohongshu": (8200.0, 1.6, 0.042, 0.0046),
        "zhihu": (3100.0, 0.9, 0.019, 0.0021),
    }
    frames = []
    for channel, (base, lift, er, fr) in specs.items():
        n = len(DATES)
        posted = rng.random(n) < 4.0 / 7.0  # 3-5 posts a week
        level = (
            base
            * np.where(posted, 1.0, 0.45)  # older posts keep earning views
            * weekly(DATES, WEEK_SOCIAL)
            * (1.0 + lift * ramp(DATES, LAUNCH, 80))
            * double11(DATES, 0.6)
            * noise(rng, n, 0.18)
        )
        impressions = counts(rng, level)
        interactions = binomial(rng, impressions, er * noise(rng, n, 0.1))
        followers = binomial(rng, impressions, fr * (1.0 + 0.3 * ramp(DATES, LAUNCH, 60)))
        frames.append(
            pd.DataFrame(
                {
                    "date": DATES,
                    "channel": channel,
                    "impressions": impressions,
                    "interactions": interactions,
                    "new_followers": followers,
                }
            )
        )
    frame = pd.concat(frames, ignore_index=True).sort_values("date", kind="stable")
    return pd.DataFrame(
        {
            "日期": iso(frame["date"]),
            "渠道": frame["channel"],
            "曝光量": frame["impressions"],
            "互动量": frame["interactions"],
            "新增粉丝": frame["new_followers"],
        }
    )


def email_sends(
    rng: np.random.Generator,
    *,
    list_size: tuple[float, float],
    newsletters: str,
    blasts: list[tuple[str, str, float]],
    welcome: tuple[str, float],
    open_rate: tuple[float, float],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """An ESP's campaign report: a daily welcome flow, weekly newsletters, campaign blasts."""
    rows: list[pd.DataFrame] = []
    # Welcome flow: every day, to new subscribers.
    n = len(DATES)
    welcome_name, welcome_size = welcome
    sent = counts(rng, welcome_size * (1.0 + 0.8 * ramp(DATES, LAUNCH, 60)) * noise(rng, n, 0.2))
    rows.append(pd.DataFrame({"date": DATES, "campaign": welcome_name, "sent": sent, "kind": 0}))
    # Newsletters: every Tuesday.
    tuesdays = DATES[DATES.day_of_week == 1]
    size = np.interp(days(tuesdays, FIRST_DAY), [0, len(DATES)], list_size)
    rows.append(
        pd.DataFrame(
            {
                "date": tuesdays,
                "campaign": [newsletters.format(d=d) for d in tuesdays],
                "sent": counts(rng, size * noise(rng, len(tuesdays), 0.01)),
                "kind": 1,
            }
        )
    )
    # One-off campaign blasts.
    for name, day, share in blasts:
        d = pd.DatetimeIndex([pd.Timestamp(day)])
        size = np.interp(days(d, FIRST_DAY), [0, len(DATES)], list_size) * share
        rows.append(
            pd.DataFrame({"date": d, "campaign": name, "sent": counts(rng, size), "kind": 2})
        )
    frame = pd.concat(rows, ignore_index=True).sort_values(["date", "kind"], kind="stable")
    frame = frame[frame["sent"] > 0].reset_index(drop=True)
    m = len(frame)
    dates = pd.DatetimeIndex(frame["date"])
    sent = frame["sent"].to_numpy()
    delivered = binomial(rng, sent, 0.978 * noise(rng, m, 0.004))
    base = lerp(dates, *open_rate) if m else np.zeros(0)
    kind = frame["kind"].to_numpy()
    rate = base * np.where(kind == 0, 1.25, np.where(kind == 2, 1.08, 0.96)) * noise(rng, m, 0.05)
    opens = binomial(rng, delivered, rate)
    clicks = binomial(rng, opens, 0.13 * noise(rng, m, 0.1))
    unsubscribes = binomial(rng, delivered, 0.0019 * noise(rng, m, 0.2))
    frame = frame.assign(delivered=delivered, opens=opens, clicks=clicks, unsubscribes=unsubscribes)
    out = pd.DataFrame(
        {
            "Date": iso(frame["date"]),
            "Campaign": frame["campaign"],
            "Sent": frame["sent"],
            "Delivered": frame["delivered"],
            "Unique Opens": frame["opens"],
            "Clicks": frame["clicks"],
            "Unsubscribes": frame["unsubscribes"],
        }
    )
    return out, frame


def spring_email(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    return email_sends(
        rng,
        list_size=(38000, 52000),
        newsletters="会员周刊-{d:%m%d}",
        blasts=[
            ("Q3新品预告", "2026-09-03", 1.0),
            ("Q3新品首发-预约提醒", "2026-09-24", 1.0),
            ("花粉季换芯提醒", "2026-10-13", 0.6),
            ("双11预售开启", "2026-10-20", 1.0),
            ("双11尾款提醒", "2026-11-10", 0.7),
            ("双11返场", "2026-11-13", 0.5),
        ],
        welcome=("欢迎邮件序列", 140.0),
        open_rate=(0.176, 0.19),
    )


def spring_web(
    rng: np.random.Generator,
    sem: pd.DataFrame,
    ocean: pd.DataFrame,
    tencent: pd.DataFrame,
    email: pd.DataFrame,
    kol: pd.DataFrame,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """GA4-like traffic report by channel (slash dates) and the CRM orders by channel."""
    n = len(DATES)
    sessions: dict[str, np.ndarray] = {}
    for channel, (base, lift) in WEB_CHANNELS.items():
        level = (
            base
            * weekly(DATES, WEEK_WEB)
            * (1.0 + 0.03 * ramp(DATES, FIRST_DAY, len(DATES)))  # slow organic growth
            * (1.0 + lift * ramp(DATES, LAUNCH, 80))
            * double11(DATES, 0.9)
            * noise(rng, n, 0.07)
        )
        sessions[channel] = counts(rng, level)
    # Paid and owned channels: sessions follow the platforms' clicks.
    for channel, clicks, rate in (
        ("sem", daily(sem, "clicks"), 0.86),
        ("douyin", daily(ocean, "clicks"), 0.38),  # most buy in the in-app shop
        ("email", daily(email, "clicks"), 0.82),
        ("kol", daily(kol, "clicks"), 0.35),  # most go to the CPS shop links
    ):
        sessions[channel] = binomial(rng, clicks, rate)
    sessions["wechat"] = sessions["wechat"] + binomial(rng, daily(tencent, "clicks"), 0.75)
    order = (
        "seo",
        "sem",
        "wechat",
        "douyin",
        "xiaohongshu",
        "weibo",
        "zhihu",
        "email",
        "kol",
        "direct",
    )
    web_rows = []
    crm_rows = []
    aov = (
        (650.0 + 240.0 * ramp(DATES, LAUNCH, 30))  # the Q3 device lifts the basket
        * (1.0 - 0.08 * bump(DATES, DOUBLE_11, 1.5))  # 双11 discounts
    )
    buy_boost = double11(DATES, 3.2, presale=0.5) / double11(DATES, 0.9)
    for channel in order:
        s = sessions[channel]
        users = binomial(rng, s, 0.83)
        new_users = binomial(
            rng, users, 0.61 if channel in ("seo", "sem", "douyin", "kol") else 0.42
        )
        key_events = binomial(rng, s, 0.011 * (1.0 + 0.4 * ramp(DATES, LAUNCH, 60)))
        orders = counts(rng, s * ORDER_RATE[channel] * buy_boost)
        revenue = np.round(orders * aov * noise(rng, n, 0.1), 2)
        web_orders = binomial(rng, orders, 0.42)  # the rest are Tmall / 抖音小店 orders
        web_revenue = np.round(
            np.where(orders > 0, revenue * web_orders / np.maximum(orders, 1), 0), 2
        )
        web_rows.append(
            pd.DataFrame(
                {
                    "Date": slashed(DATES),
                    "Channel": channel,
                    "Sessions": s,
                    "Total users": users,
                    "New users": new_users,
                    "Key events": key_events + web_orders,
                    "Total revenue": plain(web_revenue),
                    "_d": np.arange(n),
                }
            )
        )
        if channel != "kol":
            crm_rows.append(
                pd.DataFrame(
                    {
                        "日期": iso(DATES),
                        "渠道": channel,
                        "订单数": orders,
                        "销售额": plain(revenue),
                        "新客数": binomial(rng, orders, 0.68),
                        "_d": np.arange(n),
                    }
                )
            )

    def by_day(parts: list[pd.DataFrame]) -> pd.DataFrame:
        out = pd.concat(parts, ignore_index=True).sort_values("_d", kind="stable")
        return out.drop(columns="_d").reset_index(drop=True)

    return by_day(web_rows), by_day(crm_rows)


def spring_kol(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """KOL / affiliate CPS report: creator campaigns, fee + commission, clicks, orders."""
    frames = []
    for name, first, last, fee, quality in KOL:
        dates = span(first, last)
        n = len(dates)
        age = days(dates, dates[0])
        # A post earns most in its first days, then a long tail.
        reach = (0.35 + np.exp(-age / 6.0)) * double11(dates, 1.4) * noise(rng, n, 0.2)
        clicks = counts(rng, 1.1 * fee * reach)
        # Creators differ in how well their audience buys (``quality``).
        orders = binomial(rng, clicks, 0.0025 * quality)
        revenue = np.round(orders * 820.0 * noise(rng, n, 0.08), 2)
        # Placement fee spread over the campaign plus a 20 % commission on sales.
        spend = np.round(fee * (0.5 + 0.5 * reach / reach.mean()) + 0.2 * revenue, 2)
        frames.append(
            pd.DataFrame(
                {
                    "date": dates,
                    "campaign": name,
                    "spend": spend,
                    "clicks": clicks,
                    "orders": orders,
                    "revenue": revenue,
                }
            )
        )
    frame = stack(frames)
    out = pd.DataFrame(
        {
            "日期": iso(frame["date"]),
            "渠道": "kol",
            "活动": frame["campaign"],
            "消费": plain(frame["spend"]),
            "点击量": frame["clicks"],
            "订单数": frame["orders"],
            "销售额": plain(frame["revenue"]),
        }
    )
    return out, frame


def spring_retention(rng: np.random.Generator, crm: pd.DataFrame) -> pd.DataFrame:
    """App cohorts: new users per day and those still active on day 7.

    Only cohorts at least seven days old have a day-7 figure, so the export ends
    seven days before the as-of date.
    """
    dates = span(FIRST_DAY, AS_OF - pd.Timedelta(days=7))
    n = len(dates)
    orders = crm.groupby("日期", sort=True)["订单数"].sum().to_numpy()[:n]
    level = (
        180.0 * weekly(dates, WEEK_SHOP) * (1.0 + 0.5 * ramp(dates, LAUNCH, 60)) + 0.8 * orders
    ) * noise(rng, n, 0.12)
    cohort = counts(rng, level)
    # A better onboarding flow ships on 10-15; 双11 deal-seekers retain worse.
    rate = (
        0.212
        + 0.03 * ramp(dates, pd.Timestamp("2026-10-15"), 20)
        - 0.035 * bump(dates, DOUBLE_11, 2.0)
    ) * noise(rng, n, 0.05)
    retained = binomial(rng, cohort, rate)
    return pd.DataFrame({"日期": iso(dates), "同期新用户": cohort, "7日留存用户": retained})


# ---------------------------------------------------------------- US holiday (EN)

GOOGLE = [
    Paid(
        "US | Search | Brand",
        impressions=(520, 700),
        ctr=(0.11, 0.12),
        cpc=(0.95, 1.05),
        cvr=(0.075, 0.08),
        season=0.9,
        aov=152.0,
    ),
    Paid(
        "US | Search | Non-brand",
        impressions=(5200, 6200),
        ctr=(0.037, 0.041),
        cpc=(1.6, 1.9),
        cvr=(0.033, 0.036),
        season=0.7,
        aov=146.0,
    ),
    Paid(
        "US | PMax | Holiday",
        impressions=(12000, 17000),
        ctr=(0.011, 0.012),
        cpc=(1.2, 1.4),
        cvr=(0.03, 0.034),
        start=pd.Timestamp("2026-10-15"),
        season=1.1,
        aov=168.0,
    ),
]

META = [
    Paid(
        "US_Prospecting_Broad",
        impressions=(17000, 22000),
        ctr=(0.009, 0.0095),
        cpc=(1.05, 1.25),
        cvr=(0.026, 0.03),
        season=0.9,
        week=WEEK_SOCIAL,
        aov=128.0,
    ),
    Paid(
        "US_Retargeting_30d",
        impressions=(4000, 5200),
        ctr=(0.016, 0.017),
        cpc=(0.85, 1.0),
        cvr=(0.045, 0.05),
        season=1.0,
        week=WEEK_SOCIAL,
        aov=134.0,
    ),
    Paid(
        "US_Holiday_Gifting_Advantage+",
        impressions=(11000, 17000),
        ctr=(0.011, 0.012),
        cpc=(1.1, 1.3),
        cvr=(0.03, 0.034),
        start=US_HOLIDAY,
        season=1.3,
        week=WEEK_SOCIAL,
        aov=141.0,
    ),
]


def us_google(rng: np.random.Generator) -> pd.DataFrame:
    """Google Ads campaign report as downloaded (profile google-ads): a report title and
    date-range line above the header, ``$1,234.56`` costs, fractional conversions, the
    export's own CTR / Avg. CPC, and ``Total: …`` rows at the end."""
    frame = stack([paid(rng, spec, us=True) for spec in GOOGLE])
    # Data-driven attribution reports fractional conversions.
    conversions = np.round(frame["conversions"] * noise(rng, len(frame), 0.04), 2)
    clicks = frame["clicks"].to_numpy(dtype=float)
    impressions = frame["impressions"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ctr = np.where(impressions > 0, clicks / impressions, np.nan)
    body = pd.DataFrame(
        {
            "Day": iso(frame["date"]),
            "Campaign": frame["campaign"],
            "Impr.": thousands(frame["impressions"]),
            "Clicks": thousands(frame["clicks"]),
            "CTR": [f"{v:.2%}" if np.isfinite(v) else " --" for v in ctr],
            "Cost": thousands(frame["spend"], 2, "$"),
            "Conversions": thousands(conversions, 2),
            "Conv. value": thousands(frame["revenue"], 2),
        }
    )
    totals = pd.DataFrame(
        {
            "Day": [f"Total: {what}" for what in ("Campaigns", "Account")],
            "Campaign": ["", ""],
            "Impr.": thousands([impressions.sum()] * 2),
            "Clicks": thousands([clicks.sum()] * 2),
            "CTR": [f"{clicks.sum() / impressions.sum():.2%}"] * 2,
            "Cost": thousands([frame["spend"].sum()] * 2, 2, "$"),
            "Conversions": thousands([conversions.sum()] * 2, 2),
            "Conv. value": thousands([frame["revenue"].sum()] * 2, 2),
        }
    )
    return pd.concat([body, totals], ignore_index=True)


def google_preamble(days: pd.Series) -> tuple[str, ...]:
    """Report title and date range, the two lines above a Google Ads report's header."""
    dates = pd.to_datetime(days[~days.str.startswith("Total")])
    first, last = dates.min(), dates.max()
    span_text = f"{first:%B} {first.day}, {first:%Y} - {last:%B} {last.day}, {last:%Y}"
    return ("Campaign report", f'"{span_text}"')


def us_meta(rng: np.random.Generator) -> pd.DataFrame:
    """Meta Ads Manager export as downloaded (profile meta-ads): ``Reporting starts`` /
    ``Reporting ends`` on every row, a ``Day`` breakdown, ``Amount spent (USD)``, the
    export's own Reach (not additive) and CTR, and the account summary row first with a
    blank campaign name that restates the sums."""
    frame = stack([paid(rng, spec, us=True) for spec in META])
    first, last = iso(pd.Series([frame["date"].min(), frame["date"].max()]))
    reach = np.round(frame["impressions"].to_numpy(dtype=float) / 1.6).astype(int)
    clicks = frame["clicks"].to_numpy(dtype=float)
    impressions = frame["impressions"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ctr = np.where(impressions > 0, clicks / impressions * 100, np.nan)
    body = pd.DataFrame(
        {
            "Reporting starts": first,
            "Reporting ends": last,
            "Campaign name": frame["campaign"],
            "Day": iso(frame["date"]),
            "Reach": reach,
            "Impressions": frame["impressions"],
            "Link clicks": frame["clicks"],
            "CTR (link click-through rate)": [f"{v:.6f}" if np.isfinite(v) else "" for v in ctr],
            "Amount spent (USD)": plain(frame["spend"]),
            "Purchases": frame["conversions"],
            "Purchases conversion value": plain(frame["revenue"]),
        }
    )
    summary = pd.DataFrame(
        {
            "Reporting starts": [first],
            "Reporting ends": [last],
            "Campaign name": [""],
            "Day": [""],
            "Reach": [int(reach.sum() * 0.7)],  # people, de-duplicated: not the sum
            "Impressions": [int(impressions.sum())],
            "Link clicks": [int(clicks.sum())],
            "CTR (link click-through rate)": [f"{clicks.sum() / impressions.sum() * 100:.6f}"],
            "Amount spent (USD)": plain(pd.Series([frame["spend"].sum()])),
            "Purchases": [int(frame["conversions"].sum())],
            "Purchases conversion value": plain(pd.Series([frame["revenue"].sum()])),
        }
    )
    return pd.concat([summary, body], ignore_index=True)


def us_email(rng: np.random.Generator) -> pd.DataFrame:
    out, _ = email_sends(
        rng,
        list_size=(21000, 27500),
        newsletters="Weekly Drop {d:%b %d}",
        blasts=[
            ("Early Access: Holiday Gift Guide", "2026-10-06", 1.0),
            ("Fall Refill Reminder", "2026-10-22", 0.55),
            ("Singles Day Flash Sale", "2026-11-11", 0.8),
            ("Black Friday Preview (VIP)", "2026-11-19", 0.35),
        ],
        welcome=("Welcome Series", 70.0),
        open_rate=(0.196, 0.214),
    )
    return out


# ------------------------------------------------------------------------- writing


@dataclass(frozen=True)
class Output:
    path: str
    encoding: str
    newline: str
    note: str
    preamble: tuple[str, ...] = ()  # lines the platform writes above the header


def rng_for(name: str) -> np.random.Generator:
    """One independent, reproducible generator per output file."""
    return np.random.default_rng([SEED, zlib.crc32(name.encode("utf-8"))])


def build() -> list[tuple[Output, pd.DataFrame]]:
    sem_out, sem = spring_sem(rng_for("spring-launch/baidu-sem.csv"))
    ocean_out, ocean = spring_ocean(rng_for("spring-launch/ocean-engine.csv"))
    tencent_out, tencent = spring_tencent(rng_for("spring-launch/tencent-ads.csv"))
    email_out, email = spring_email(rng_for("spring-launch/email.csv"))
    kol_out, kol = spring_kol(rng_for("spring-launch/kol-cps.csv"))
    web_out, crm_out = spring_web(
        rng_for("spring-launch/web-analytics.csv"), sem, ocean, tencent, email, kol
    )
    retention = spring_retention(rng_for("spring-launch/app-retention.csv"), crm_out)
    google = us_google(rng_for("us-launch/google-ads.csv"))
    cn = "spring-launch/"
    us = "us-launch/"
    return [
        (
            Output(
                cn + "baidu-sem.csv",
                "gbk",
                "\r\n",
                "百度营销 as downloaded: GBK, preamble, 合计 row",
                baidu_preamble(sem["date"], len(sem_out.columns)),
            ),
            sem_out,
        ),
        (Output(cn + "ocean-engine.csv", "utf-8-sig", "\n", "巨量引擎, UTF-8 BOM"), ocean_out),
        (Output(cn + "tencent-ads.csv", "utf-8", "\n", "腾讯广告"), tencent_out),
        (
            Output(cn + "social-organic.csv", "utf-8", "\n", "微博/小红书/知乎"),
            spring_social(rng_for("spring-launch/social-organic.csv")),
        ),
        (Output(cn + "email.csv", "utf-8", "\n", "ESP campaign report"), email_out),
        (Output(cn + "web-analytics.csv", "utf-8", "\n", "GA4-like, slash dates"), web_out),
        (Output(cn + "orders.csv", "utf-8", "\n", "CRM orders by channel"), crm_out),
        (Output(cn + "kol-cps.csv", "utf-8", "\n", "KOL / CPS"), kol_out),
        (Output(cn + "app-retention.csv", "utf-8", "\n", "7-day cohorts"), retention),
        (
            Output(
                us + "google-ads.csv",
                "utf-8",
                "\n",
                "Google Ads as downloaded: title, date range, Total rows",
                google_preamble(google["Day"]),
            ),
            google,
        ),
        (
            Output(us + "meta-ads.csv", "utf-8-sig", "\n", "Meta Ads Manager: summary row first"),
            us_meta(rng_for("us-launch/meta-ads.csv")),
        ),
        (
            Output(us + "email.csv", "utf-8", "\n", "ESP campaign report"),
            us_email(rng_for("us-launch/email.csv")),
        ),
        (
            # The same sends as the warehouse keeps them: a Parquet file with typed columns.
            Output(us + "email.parquet", "parquet", "", "ESP sends, warehouse Parquet export"),
            us_email(rng_for("us-launch/email.csv")),
        ),
        *analysis_outputs(),
    ]


def analysis_outputs() -> list[tuple[Output, pd.DataFrame]]:
    """The A/B test, touchpoint log and CRM customer orders (tools/generate_analysis.py)."""
    cn = "spring-launch/"
    return [
        (
            Output(cn + "ab-landing.csv", "utf-8", "\n", "A/B test, per day and variant"),
            analysis.ab_landing(rng_for(cn + "ab-landing.csv"), AS_OF),
        ),
        (
            Output(cn + "touchpoints.csv", "utf-8", "\n", "touchpoint log (GA4-like)"),
            analysis.touchpoints(rng_for(cn + "touchpoints.csv"), AS_OF),
        ),
        (
            Output(cn + "crm-customers.csv", "utf-8", "\n", "CRM orders per customer"),
            analysis.crm_customers(rng_for(cn + "crm-customers.csv"), AS_OF),
        ),
        (
            Output(cn + "posts.csv", "utf-8-sig", "\r\n", "post list (content calendar)"),
            generate_posts.posts(rng_for(cn + "posts.csv"), AS_OF),
        ),
    ]


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Typed columns (the date as a date), no pandas metadata: the bytes depend only on
    the data and the pyarrow version that writes them."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    typed = frame.copy()
    first = typed.columns[0]
    typed[first] = pd.to_datetime(typed[first]).dt.date
    table = pa.Table.from_pandas(typed, preserve_index=False).replace_schema_metadata(None)
    pq.write_table(table, path, compression="zstd")


def write(out_dir: Path, echo: Callable[[str], None] = print) -> list[Path]:
    written = []
    for spec, frame in build():
        path = out_dir / spec.path
        path.parent.mkdir(parents=True, exist_ok=True)
        if spec.encoding == "parquet":
            _write_parquet(frame, path)
            written.append(path)
            echo(f"wrote {path}  {len(frame):>5} rows  {path.stat().st_size:>7} bytes  {spec.note}")
            continue
        text = "".join(line + spec.newline for line in spec.preamble)
        text += frame.to_csv(index=False, lineterminator=spec.newline)
        path.write_bytes(text.encode(spec.encoding))
        written.append(path)
        echo(
            f"wrote {path}  {len(frame):>5} rows  {path.stat().st_size:>7} bytes  "
            f"{spec.encoding:<9} {spec.note}"
        )
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("data"), help="output folder (data)")
    args = parser.parse_args(argv)
    write(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
