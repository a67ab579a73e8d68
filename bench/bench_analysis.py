"""Benchmark: attribution over hundreds of thousands of users, and the cost of the
statistics libraries.

``run()`` generates a deterministic touchpoint log (1–5 touches per user, 7 channels,
about a third of users converting) for 100,000 and 500,000 users and times
:func:`planbook.metrics.analysis.attribution.attribute` (all six models, including the Markov
removal effect) on it; then times importing scipy.stats and statsmodels in a fresh
interpreter (they are imported only when a page shows an A/B test). Target: 500,000
users in under 5 s.
"""

from __future__ import annotations

import subprocess
import sys
import time
from typing import Any

import numpy as np

from planbook.metrics.analysis.attribution import attribute

CHANNELS = np.array(["sem", "douyin", "wechat", "xiaohongshu", "kol", "email", "seo"], dtype=object)


def touch_log(users: int, seed: int = 7) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    n_touch = rng.integers(1, 6, users)
    user = np.repeat(np.arange(users), n_touch)
    day = rng.integers(0, 90, len(user))
    channel = CHANNELS[rng.integers(0, len(CHANNELS), len(user))]
    converts = rng.random(users) < 0.3
    conv_user = np.flatnonzero(converts)
    return {
        "users": np.concatenate([user, conv_user]).astype(str).astype(object),
        "days": np.concatenate([day, np.full(len(conv_user), 95)]),
        "channels": np.concatenate([channel, np.full(len(conv_user), "", dtype=object)]),
        "conversions": np.concatenate([np.zeros(len(user)), np.ones(len(conv_user))]),
        "revenue": np.concatenate([np.zeros(len(user)), rng.gamma(3.0, 120.0, len(conv_user))]),
    }


def import_seconds(module: str) -> float:
    code = (
        "import time, pandas; t = time.perf_counter(); "
        f"import {module}; print(time.perf_counter() - t)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip())


def run(sizes: tuple[int, ...] = (100_000, 500_000)) -> dict[str, Any]:
    results: dict[str, Any] = {"attribution": []}
    for users in sizes:
        log = touch_log(users)
        t = time.perf_counter()
        res = attribute(
            log["users"],
            log["days"],
            log["channels"],
            log["conversions"],
            log["revenue"],
            lookback=90,
        )
        seconds = time.perf_counter() - t
        results["attribution"].append(
            {
                "users": users,
                "rows": len(log["users"]),
                "paths": res.paths,
                "seconds": round(seconds, 3),
                "users_per_s": round(users / seconds),
            }
        )
    results["import_s"] = {
        m: round(import_seconds(m), 3)
        for m in ("scipy.stats", "statsmodels.stats.proportion", "statsmodels.stats.power")
    }
    return results


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
