"""A finding's name, reason and suggestion in the reader's language (issue 10): the pack's
``message_en`` / ``reason_en`` / ``suggestion_en`` on an English site and on an English page."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from click.testing import CliRunner

from planbook.cli import main
from planbook.frontmatter import read_front_matter
from planbook.messages import from_json, line, say, to_json
from planbook.review import PageReview, ReviewConfig, load_ruleset, review_front_matter
from tests.conftest import write_site

CONFIG = ReviewConfig(own_domains=("acme.cn",))


@pytest.fixture(scope="module")
def ruleset() -> Any:
    rs, diags = load_ruleset(CONFIG)
    assert diags == []
    return rs


def check(text: str, ruleset: Any) -> PageReview:
    fm = read_front_matter(text, "content/copy/x.md")
    return review_front_matter(
        fm,
        file="content/copy/x.md",
        ruleset=ruleset,
        config=CONFIG,
        today=date(2026, 9, 1),
        plan_status=None,
    )


CN_COPY = "---\nreview: {channel: social}\n---\n# 秋季上新\n\n今年最佳的羊绒大衣。\n"
CN_WARNING = (
    "---\nreview: {channel: social}\n---\n# 榜单\n\n本品牌销量第一（据尼尔森 2025 年 6 月监测）。\n"
)
EN_COPY = "---\nreview: {channel: social, market: en}\n---\n# Win\n\nCall 13712345678 today.\n"


def test_a_chinese_page_says_the_packs_chinese_and_english_names(ruleset: Any) -> None:
    [f] = check(CN_COPY, ruleset).findings
    d = f.diagnostic
    assert say(d.message, "zh") == "绝对化用语：“最佳”（《广告法》第九条第三项）；建议：优选/更好的"
    # the English site reads message_en; the term's replacement stays in the copy's language
    assert str(d.message) == (
        "absolute or superlative term: '最佳' (《广告法》第九条第三项); suggestion: 优选/更好的"
    )
    assert line(d, "en").endswith(
        "error: absolute or superlative term: '最佳' "
        "(《广告法》第九条第三项); suggestion: 优选/更好的 "
        "[cn-ad-law/absolute-terms]"
    )


def test_a_warnings_reason_and_suggestion_follow_the_language(ruleset: Any) -> None:
    [f] = check(CN_WARNING, ruleset).findings
    assert f.rule == "cn-ad-law/ranking-sourced"
    d = f.diagnostic
    basis = "《广告法》第九条第三项、第十一条第二款；《广告绝对化用语执法指南》"
    assert str(d.message) == (
        f"ranking with a stated source: '销量第一' ({basis}); the source, period and scope "
        "must match the evidence; legal checks it and records a waiver; suggestion: keep the "
        "source, period and scope verbatim; legal waives it once the evidence is filed"
    )
    assert say(d.message, "zh") == (
        f"注明来源的排名：“销量第一”（{basis}）；来源、统计时间与范围须与证明材料一致，"
        "法务核对后以 waiver 记录；建议：保留来源、时间与范围原文，证明材料存档后由法务豁免"
    )
    assert f.suggestion == "保留来源、时间与范围原文，证明材料存档后由法务豁免"


def test_an_english_page_reads_english_on_a_chinese_site_too(ruleset: Any) -> None:
    [f] = check(EN_COPY, ruleset).findings
    d = f.diagnostic
    english = (
        "mobile number in copy: '13712345678' (《个人信息保护法》第十三条); "
        "suggestion: remove it, mask it (138****1234) or use the service line"
    )
    assert str(d.message) == english
    assert say(d.message, "zh") == (
        "mobile number in copy：“13712345678”（《个人信息保护法》第十三条）；"
        "建议：remove it, mask it (138****1234) or use the service line"
    )
    assert f.suggestion == "remove it, mask it (138****1234) or use the service line"
    # a cached finding (JSON) keeps both languages
    again = from_json(to_json(d.message))
    assert str(again) == english and say(again, "zh") == say(d.message, "zh")


def test_check_on_an_english_site_shows_the_english_name(tmp_path) -> None:
    root = write_site(tmp_path, {"copy.md": CN_COPY}, {}, "", "en")
    out = CliRunner().invoke(main, ["check", "-f", str(root / "mkdocs.yml")]).output
    assert (
        "error: absolute or superlative term: '最佳' (《广告法》第九条第三项); "
        "suggestion: 优选/更好的 [cn-ad-law/absolute-terms]"
    ) in out, out
    assert "绝对化用语" not in out
    zh = CliRunner().invoke(main, ["check", "-f", str(root / "mkdocs.yml"), "--lang", "zh"])
    assert "错误: 绝对化用语：“最佳”（《广告法》第九条第三项）；建议：优选/更好的" in zh.output
