"""Every rule documents itself, and its own examples keep it honest.

A rule's ``examples`` must be flagged by that rule and its ``clean`` texts (the
allowed contexts ``planbook check --explain`` prints) must not be.
"""

from __future__ import annotations

from datetime import date

import pytest

from planbook.frontmatter import Locations
from planbook.review import ReviewConfig, Rule, load_ruleset, review_page
from planbook.review.explain import explain

CONFIG = ReviewConfig(own_domains=("qinglan.com",))
RULESET, DIAGS = load_ruleset(CONFIG)
MATCH_RULES = [r for r in RULESET.rules.values() if r.kind == "match"]


def _found(rule: Rule, text: str) -> set[str]:
    market = "en" if "en" in rule.markets else "cn"
    channel = sorted(rule.channels)[0] if rule.channels else "web"
    review = review_page(
        file="x.md",
        front_matter={"review": {"market": market, "channel": channel}},
        locations=Locations(),
        body=text + "\n",
        body_line=1,
        ruleset=RULESET,
        config=CONFIG,
        today=date(2026, 9, 1),
        plan_status=None,
    )
    return {f.rule for f in review.findings}


def test_packs_load() -> None:
    assert DIAGS == []


@pytest.mark.parametrize("rule", list(RULESET.rules.values()), ids=lambda r: r.id)
def test_rule_is_documented(rule: Rule) -> None:
    assert rule.doc is not None
    assert rule.basis and rule.suggestion
    if rule.severity.value == "warning":
        assert rule.doc.reason, f"{rule.id}: a warning says why it needs judgment"
    if rule.kind == "match":
        assert rule.doc.examples, f"{rule.id}: at least one example"


@pytest.mark.parametrize("rule", MATCH_RULES, ids=lambda r: r.id)
def test_examples_and_clean_texts(rule: Rule) -> None:
    assert rule.doc is not None
    for text in rule.doc.examples:
        assert rule.id in _found(rule, text), f"{rule.id} misses its example {text!r}"
    for text in rule.doc.clean:
        assert rule.id not in _found(rule, text), f"{rule.id} flags its clean text {text!r}"


@pytest.mark.parametrize("language", ["zh", "en"])
def test_explain_every_rule(language: str) -> None:
    for rule in RULESET.rules.values():
        text = explain(RULESET, rule.id, language)
        assert rule.id in text and rule.basis in text


def test_explain_in_the_sites_language() -> None:
    zh = explain(RULESET, "cn-ad-law/absolute-terms", "zh")
    en = explain(RULESET, "cn-ad-law/absolute-terms", "en")
    assert "法律依据" in zh and "允许的语境" in zh and "最大风量 500 m³/h" in zh
    assert "Legal basis" in en and "Allowed contexts" in en and "measured technical" in en


def test_explain_unknown_rule_suggests_in_the_sites_language() -> None:
    with pytest.raises(KeyError) as zh:
        explain(RULESET, "cn-ad-law/absolute-term", "zh")
    assert zh.value.args[0] == (
        "未知规则 'cn-ad-law/absolute-term'（是否想写 'cn-ad-law/absolute-terms'？）"
    )
    with pytest.raises(KeyError) as en:
        explain(RULESET, "cn-ad-law/absolute-term", "en")
    assert en.value.args[0] == (
        "unknown rule 'cn-ad-law/absolute-term' (did you mean 'cn-ad-law/absolute-terms'?)"
    )
    with pytest.raises(KeyError) as far:
        explain(RULESET, "<script>x</script>", "en")
    assert far.value.args[0] == "unknown rule '<script>x</script>'"  # plain text for a terminal


def test_cli_explain_uses_the_sites_language() -> None:
    from pathlib import Path

    from click.testing import CliRunner

    from planbook.cli import main

    config = str(Path(__file__).resolve().parents[2] / "mkdocs.yml")
    run = CliRunner().invoke(main, ["check", "-f", config, "--explain", "cn-ad-law/ranking-claims"])
    assert run.exit_code == 0, run.output
    assert "法律依据: 《广告法》第九条第三项" in run.output and "第一代产品" in run.output
    bad = CliRunner().invoke(main, ["check", "-f", config, "--explain", "cn-ad-law/ranking"])
    assert bad.exit_code == 1 and "是否想写 'cn-ad-law/ranking-claims'" in bad.output
