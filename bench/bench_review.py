"""Benchmark: review 1,000 deterministic copy pages (~2 KB each) with all packs.

``run(workdir, pages)`` writes the pages into ``workdir``, reads them and parses
their front matter (done once per build for every part of Planbook, timed
separately), then times the review of every page with all packs: masking,
matching, directives, waivers, checklist. The rule set is compiled once, as in
a build. Target: >= 500 pages/s for the review.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from planbook.frontmatter import read_front_matter
from planbook.review import ReviewConfig, load_ruleset, review_front_matter

CN = [
    "秋冬新品上市，羊绒混纺面料，柔软亲肤，版型修身。",
    "最近天气转凉，第一季度的会员活动也进入最后一天。",
    "本款雷司令最佳饮用温度为 8–10℃，开瓶后三天内饮用完毕。",
    "面料成分：100%棉，建议冷水手洗。",
    "恭喜手机尾号 138****1234 的用户获得一等奖，客服热线 400-820-8820。",
    "今年最佳的通勤外套，全网最低价，错过再等一年！",
    "喝了一个月，胃病基本根治了，而且无副作用。",
    "98%的用户表示用完皮肤更水润。",
    "品牌在成都的首家门店本周六开业，第一时间来打卡的朋友有小礼物。",
    "活动详情见 https://acme.cn/campaign/autumn 以及 [会员页](https://acme.cn/vip)。",
    "如需开具发票，请联系 service@acme.cn，订单号 202609011234567890。",
    "第一，看加湿量；第二，看噪音；第三，看是否易清洗。",
]
EN = [
    "Free shipping on orders over $50. Returns accepted within 30 days.",
    "Our collagen gummies are clinically proven to reduce wrinkles.",
    "We will grow first-party data by 30% through the loyalty program.",
    "Sugar-free, gluten-free energy bars with 12g protein.",
    "Join investors earning guaranteed returns with our crypto portfolio.",
    "Questions? Reply to support@acme.com any time.",
]
CHANNELS = ["web", "social", "kol", "sem", "sms", "email"]


def make_page(i: int, rng: random.Random) -> str:
    """One deterministic ~2 KB page (Chinese or English) with a review spec."""
    market = "en" if i % 4 == 3 else "cn"
    channel = CHANNELS[i % len(CHANNELS)]
    pool = EN if market == "en" else CN
    head = (
        f"---\ntitle: Copy {i}\nreview:\n  market: {market}\n  channel: {channel}\n"
        "  waivers:\n    - {rule: cn-ad-law/absolute-terms, match: 最佳, reason: 第三方榜单, "
        "approved_by: 张律师}\n---\n\n"
        f"# Copy {i}\n\n"
    )
    parts = [head]
    size = len(head.encode())
    n = 0
    while size < 2048:
        line = rng.choice(pool)
        if n % 5 == 4:
            line = f"<!-- planbook: disable-next-line cn-ad-law/absolute-terms -- 引用 -->\n{line}"
        if n % 7 == 6:
            line = f"```\n{line}\n```"
        parts.append(line + "\n\n")
        size += len(line.encode()) + 2
        n += 1
    return "".join(parts)


def run(workdir: Path, pages: int = 1000) -> dict[str, Any]:
    """Write ``pages`` pages into ``workdir`` and review them all; return the timings."""
    workdir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20260901)
    files = []
    for i in range(pages):
        path = workdir / f"copy-{i:04d}.md"
        path.write_text(make_page(i, rng), encoding="utf-8")
        files.append(path)
    config = ReviewConfig(own_domains=("acme.cn", "acme.com"))
    t0 = time.perf_counter()
    ruleset, diags = load_ruleset(config)
    compile_s = time.perf_counter() - t0
    assert not diags, diags
    findings = 0
    total_bytes = 0
    t1 = time.perf_counter()
    parsed = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        total_bytes += len(text.encode())
        parsed.append((path.name, read_front_matter(text, path.name)))
    read_s = time.perf_counter() - t1
    t2 = time.perf_counter()
    for name, fm in parsed:
        review = review_front_matter(
            fm,
            file=name,
            ruleset=ruleset,
            config=config,
            today=date(2026, 9, 1),
            plan_status=None,
        )
        findings += len(review.findings)
    elapsed = time.perf_counter() - t2
    return {
        "pages": pages,
        "mean_page_bytes": round(total_bytes / pages),
        "rules": len(ruleset.rules),
        "compile_seconds": round(compile_s, 4),
        "read_and_front_matter_seconds": round(read_s, 3),
        "review_seconds": round(elapsed, 3),
        "pages_per_second": round(pages / elapsed, 1),
        "pages_per_second_with_front_matter": round(pages / (elapsed + read_s), 1),
        "findings": findings,
        "target_pages_per_second": 500,
        "meets_target": pages / elapsed >= 500,
    }


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as tmp:
        result = run(Path(tmp), n)
    print(json.dumps(result, indent=2))
    sys.exit(0 if result["meets_target"] else 1)
