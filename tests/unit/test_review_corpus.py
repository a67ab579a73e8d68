"""Precision and recall of the built-in rule packs on the labelled corpus."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from planbook.frontmatter import Locations
from planbook.review import ReviewConfig, load_ruleset, review_page

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
CONFIG = ReviewConfig(own_domains=("acme.cn", "acme.com", "qinglan.com", "qinglan.cn"))


def _load() -> list[dict[str, Any]]:
    """Every corpus file: a list of items, or ``{defaults: {...}, items: [...]}``."""
    items: list[dict[str, Any]] = []
    for path in sorted(CORPUS.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        defaults: dict[str, Any] = {}
        if isinstance(data, dict):
            defaults, data = data.get("defaults", {}), data["items"]
        for item in data:
            merged = {**defaults, **item}
            merged.setdefault("expect", [])
            if merged.get("trap"):
                assert merged["expect"] == [], merged["id"]
            items.append(merged)
    return items


def _found(item: dict[str, Any], ruleset: Any) -> set[str]:
    spec: dict[str, Any] = {"market": item["market"], "channel": item["channel"]}
    if "sponsored" in item:
        spec["sponsored"] = item["sponsored"]
    review = review_page(
        file="corpus.md",
        front_matter={"review": spec},
        locations=Locations(),
        body=item["text"],
        body_line=1,
        ruleset=ruleset,
        config=CONFIG,
        today=date(2026, 9, 1),
        plan_status=None,
    )
    others = [d for d in review.diagnostics if d.rule.startswith("review/")]
    # a Weibo topic opening the copy (`#双十一# …`) is a heading to Markdown: said so
    topic = [d for d in others if d.rule == "review/hashtag-heading"]
    assert len(topic) == bool(re.match(r"#[^\s#][^#\n]*#", item["text"])), item["id"]
    assert not [d for d in others if d not in topic], item["id"]
    return {f.rule for f in review.open_findings}


def score() -> tuple[dict[str, tuple[int, int, int]], list[str], list[str]]:
    """Per category (tp, fp, fn), flagged traps, and per-item mismatches."""
    ruleset, diags = load_ruleset(CONFIG)
    assert diags == []
    category = {r.id: r.category for r in ruleset.rules.values()}
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    flagged_traps: list[str] = []
    mismatches: list[str] = []
    for item in _load():
        expected = set(item["expect"])
        found = _found(item, ruleset)
        for rule in expected | found:
            c = counts[category[rule]]
            if rule in expected and rule in found:
                c[0] += 1
            elif rule in found:
                c[1] += 1
            else:
                c[2] += 1
        if item.get("trap") and found:
            flagged_traps.append(f"{item['id']}: {sorted(found)}")
        if found != expected:
            mismatches.append(f"{item['id']}: expected {sorted(expected)}, found {sorted(found)}")
    return {k: (v[0], v[1], v[2]) for k, v in sorted(counts.items())}, flagged_traps, mismatches


def table(counts: dict[str, tuple[int, int, int]]) -> str:
    lines = ["| category | TP | FP | FN | precision | recall |", "|---|---|---|---|---|---|"]
    total = [0, 0, 0]
    for cat, (tp, fp, fn) in counts.items():
        total = [total[0] + tp, total[1] + fp, total[2] + fn]
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        lines.append(f"| {cat} | {tp} | {fp} | {fn} | {p:.2f} | {r:.2f} |")
    tp, fp, fn = total
    lines.append(
        f"| **all** | {tp} | {fp} | {fn} | {tp / max(1, tp + fp):.2f} | {tp / max(1, tp + fn):.2f} |"
    )
    return "\n".join(lines)


def test_corpus_shape() -> None:
    items = _load()
    assert len(items) >= 400
    traps = [i for i in items if i.get("trap")]
    assert len(traps) * 10 >= len(items) * 4  # at least 40 % clean traps
    assert all(i["expect"] == [] for i in traps)
    assert len({i["id"] for i in items}) == len(items)
    assert {i["market"] for i in items} == {"cn", "en"}


def test_precision_and_recall(capsys: pytest.CaptureFixture[str]) -> None:
    counts, flagged_traps, mismatches = score()
    with capsys.disabled():
        print("\n" + table(counts))
    assert flagged_traps == []
    for cat, (tp, fp, fn) in counts.items():
        assert tp / max(1, tp + fp) >= 0.95, (cat, mismatches)
        assert tp / max(1, tp + fn) >= 0.95, (cat, mismatches)


if __name__ == "__main__":  # pragma: no cover
    c, t, m = score()
    items = _load()
    print(f"{len(items)} snippets, {sum(1 for i in items if i.get('trap'))} clean traps")
    print(table(c))
    print("\n".join(t + m))
