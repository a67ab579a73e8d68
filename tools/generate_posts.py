"""The example site's post list (called by ``tools/generate_data.py``; deterministic).

- ``posts.csv``: the spring launch's published posts on WeChat, Weibo, Xiaohongshu and
  Zhihu from 2026-09-01 to the as-of date, and the scheduled and draft ones up to the
  end of November, with the headers post-list exports share (发布时间, 渠道, 标题, 链接,
  状态, 阅读数; read by the ``post-list`` profile). The rhythm follows the plan's
  cadence targets with a few deliberate misses: Zhihu falls short in two October weeks,
  Weibo runs over target in the 双11 week.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

POSTS_START = pd.Timestamp("2026-09-01")
POSTS_END = pd.Timestamp("2026-11-30")

# channel: (posts per week, publishing hour, link prefix, title stems)
CHANNELS: dict[str, tuple[int, int, str, tuple[str, ...]]] = {
    "wechat": (
        3,
        20,
        "https://mp.weixin.qq.com/s/qinglan-",
        ("新品预约开启", "花粉季科普", "滤芯怎么选", "会员专享", "用户晒单"),
    ),
    "weibo": (
        4,
        10,
        "https://weibo.com/qinglanjiadian/",
        ("#青岚Q3上市# 话题", "转发抽奖", "新品实拍", "空气质量播报", "双11 预售提醒"),
    ),
    "xiaohongshu": (
        4,
        19,
        "https://www.xiaohongshu.com/explore/qinglan",
        ("宠物家庭实测", "新装修除醛", "卧室静音实测", "过敏季清单", "开箱笔记"),
    ),
    "zhihu": (
        2,
        12,
        "https://zhuanlan.zhihu.com/p/qinglan",
        ("空气净化器怎么选", "CADR 是什么", "花粉过敏怎么办", "净化器噪音实测"),
    ),
}
# (channel, Monday of the week) -> posts that week instead of the usual number
EXCEPTIONS = {
    ("zhihu", "2026-10-05"): 0,  # 国庆假期
    ("zhihu", "2026-10-19"): 1,
    ("weibo", "2026-11-09"): 7,  # 双11 week
    ("wechat", "2026-11-09"): 4,
}
# Weekdays (Monday 0) posts go out on, by number of posts that week.
DAYS = {0: (), 1: (2,), 2: (1, 4), 3: (0, 2, 4), 4: (0, 1, 3, 5), 7: (0, 1, 2, 3, 4, 5, 6)}


def posts(rng: np.random.Generator, as_of: pd.Timestamp) -> pd.DataFrame:
    """One row per post: published up to ``as_of``, scheduled or draft after it."""
    rows = []
    mondays = pd.date_range(
        POSTS_START - pd.Timedelta(days=POSTS_START.weekday()), POSTS_END, freq="7D"
    )
    for channel, (per_week, hour, link, stems) in CHANNELS.items():
        n = 0
        for monday in mondays:
            count = EXCEPTIONS.get((channel, f"{monday:%Y-%m-%d}"), per_week)
            for weekday in DAYS[count]:
                day = monday + pd.Timedelta(days=weekday)
                if not POSTS_START <= day <= POSTS_END:
                    continue
                n += 1
                stem = stems[n % len(stems)]
                if day <= as_of:
                    status, reads = "已发布", int(rng.gamma(4.0, 450.0))
                else:
                    status, reads = ("定时发布" if n % 3 else "草稿"), None
                rows.append(
                    {
                        "发布时间": f"{day:%Y-%m-%d} {hour:02d}:{int(rng.integers(0, 60)):02d}",
                        "渠道": channel,
                        "标题": f"{stem} · 第 {n} 期",
                        "链接": f"{link}{day:%m%d}{n:03d}",
                        "状态": status,
                        "阅读数": "" if reads is None else f"{reads:,}",
                    }
                )
    frame = pd.DataFrame(rows)
    return frame.sort_values(["发布时间", "渠道"], kind="stable").reset_index(drop=True)
