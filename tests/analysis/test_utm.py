"""UTM links: the builder, the checker, the review rule and `planbook utm`."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner

from planbook.cli import main
from planbook.frontmatter import read_front_matter
from planbook.metrics.analysis.utm import UtmError, build_url, check_url, taxonomy_from
from planbook.review import ReviewConfig, load_ruleset, review_front_matter
from planbook.review.utm import UtmOptions, taxonomy

TAX = taxonomy_from(
    sources=["weibo", "baidu", "newsletter"],
    campaigns=["spring-launch-2027"],
    domains=["shop.example.cn"],
)


def test_build_url_keeps_query_and_fragment_and_replaces_utm():
    url = "https://shop.example.cn/p?id=010&utm_source=old#buy"
    assert build_url(url, source="weibo", medium="social", campaign="spring-launch-2027") == (
        "https://shop.example.cn/p?id=010&utm_source=weibo&utm_medium=social"
        "&utm_campaign=spring-launch-2027#buy"
    )
    tagged = build_url("https://a.cn/", source="x y", medium="m", campaign="c<script>")
    assert "utm_source=x%20y" in tagged and "c%3Cscript%3E" in tagged


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://a.cn/x", "expected an http(s) URL such as https://example.com/page, got 'ftp://a.cn/x'"),
        ("shop.example.cn", "expected an http(s) URL such as https://example.com/page, got 'shop.example.cn'"),
    ],
)  # fmt: skip
def test_build_url_refuses_what_is_not_a_link(url, message):
    with pytest.raises(UtmError) as e:
        build_url(url, source="a", medium="b", campaign="c")
    assert str(e.value) == message


def test_build_url_refuses_line_breaks_and_empty_values():
    with pytest.raises(UtmError, match="utm_campaign: a value cannot contain a line break"):
        build_url("https://a.cn", source="a", medium="b", campaign="c\nd")
    with pytest.raises(UtmError, match="utm_source: the value is empty"):
        build_url("https://a.cn", source=" ", medium="b", campaign="c")


def test_check_url():
    ok = "https://shop.example.cn/?utm_source=weibo&utm_medium=social&utm_campaign=spring-launch-2027"
    assert check_url(ok, TAX) == []
    assert check_url("https://other.cn/page", TAX) == []  # untracked domain, no utm_: fine
    [missing] = check_url("https://shop.example.cn/p", TAX)
    assert missing.message == "link without utm_source, utm_medium, utm_campaign"
    problems = check_url(
        "https://x.cn/?utm_source=Weibo&utm_medium=socail&utm_campaign=spring-launch-2026", TAX
    )
    assert [p.message for p in problems] == [
        "utm_source='Weibo' is not lower-case",
        "utm_medium='socail' is not in the site's UTM taxonomy (did you mean 'social'?); "
        "allowed: affiliate, cpc, cpm, display, email, kol, organic, paid_social, push, qr, "
        "referral, sms …",
        "utm_campaign='spring-launch-2026' is not in the site's UTM taxonomy (did you mean "
        "'spring-launch-2027'?); allowed: spring-launch-2027",
    ]
    # subdomains of a tracked domain are tracked
    assert check_url("https://m.shop.example.cn/", TAX)[0].kind == "missing"


def test_taxonomy_from_plans():
    tax = taxonomy(
        UtmOptions(sources=("Partner Site",)),
        ["brand.cn"],
        [{"channel": ["sem", "Douyin"], "campaign": ["618大促", "kol_achen_0910"]}],
        ["spring-launch-2027"],
        ["social"],
    )
    assert tax.sources == {"partner_site", "sem", "douyin", "social"}
    assert tax.campaigns == {"spring-launch-2027", "kol_achen_0910"}
    assert tax.domains == ("brand.cn",)


COPY = """\
---
title: 微博文案
review: {channel: social, status: review}
---
# 微博

新品上市，[立即购买](https://shop.example.cn/p?utm_source=Weibo&utm_medium=social&utm_campaign=spring-launch-2027)

<!-- planbook: disable-next-line utm/missing-parameters -- 线下二维码，另行统计 -->
扫码 https://shop.example.cn/qr

官网 https://shop.example.cn/home

```
https://shop.example.cn/in-code-is-not-copy
```
"""


def _review(text: str, utm=TAX):
    config = ReviewConfig(utm=UtmOptions(), packs=())
    ruleset, diags = load_ruleset(config)
    assert diags == []
    return review_front_matter(
        read_front_matter(text, "content/copy/weibo.md"),
        file="content/copy/weibo.md",
        ruleset=ruleset,
        config=config,
        today=date(2026, 10, 1),
        plan_status=None,
        utm=utm,
    )


def test_review_rule_finds_suppresses_and_locates():
    review = _review(COPY)
    found = [(f.rule, f.line, f.state) for f in review.findings]
    assert found == [
        ("utm/mixed-case", 7, "open"),
        ("utm/missing-parameters", 10, "suppressed"),
        ("utm/missing-parameters", 12, "open"),
    ]
    logged = [str(d) for d in review.diagnostics if d.rule.startswith("utm/")]
    assert logged[0] == (
        "content/copy/weibo.md:7:13: warning: utm_source='Weibo' is not lower-case: "
        "'https://shop.example.cn/p?utm_source=Weibo&utm_medium=social&utm_campaign="
        "spring-launch-2027' (UTM taxonomy (utm_source / utm_medium / utm_campaign)); "
        "suggestion: utm_source=weibo [utm/mixed-case]"
    )


def test_review_rule_waiver_and_plan_pages():
    waived = COPY.replace(
        "review: {channel: social, status: review}",
        "review:\n  channel: social\n  waivers: [{rule: utm/mixed-case, reason: 合作方要求}]",
    )
    states = {f.rule: f.state for f in _review(waived).findings if f.rule == "utm/mixed-case"}
    assert states == {"utm/mixed-case": "waived"}
    plan = COPY.replace("review: {channel: social, status: review}", "review: {channel: plan}")
    assert _review(plan).findings == []
    assert _review(COPY, utm=None).findings == []


def test_cli_utm(tmp_path):
    runner = CliRunner()
    result = runner.invoke(
        main,
        [
            "utm",
            "https://shop.example.cn/p?id=1",
            "--source",
            "Weibo",
            "--medium",
            "social",
            "--campaign",
            "spring launch",
            "-f",
            str(tmp_path / "none.yml"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        "https://shop.example.cn/p?id=1&utm_source=weibo&utm_medium=social&utm_campaign=spring_launch"
    )
    assert "--source 'Weibo' written as 'weibo'" in result.stderr
    bad = runner.invoke(main, ["utm", "nope", "--source", "a", "--medium", "b", "--campaign", "c"])
    assert bad.exit_code == 2
    assert "expected an http(s) URL such as https://example.com/page, got 'nope'" in bad.output
