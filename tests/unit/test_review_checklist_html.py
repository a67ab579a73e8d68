"""The review section written in Python (issue 12): the same bytes as
``templates/review/checklist.html`` renders from the same context, hostile text stays
text, and a site's own template still renders the section."""

from __future__ import annotations

import itertools
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from planbook.diagnostics import Diagnostic, Severity
from planbook.review.engine import ChecklistRow, Finding, PageReview
from planbook.review.spec import Approval
from planbook.views.checklist import checklist_context, render_checklist
from planbook.views.checklist_html import write_checklist
from planbook.views.render_env import environment, overridden

XSS = "<script>alert('x')</script>"
HOSTILE = [
    XSS,
    "</script><b>b</b>",
    "a \"quoted\" & 'single'\nnext line",
    "中文 ·「引号」",
    "{{ x }}",
]


def _finding(i: int, state: str, severity: Severity, text: str, **kw: Any) -> Finding:
    extra = (("text", text), ("basis", HOSTILE[i % 5]), ("suggestion", kw.pop("suggestion", "")))
    d = Diagnostic(
        file="content/copy/x.md",
        line=kw.pop("line", i + 1),
        field=None,
        rule=kw.pop("rule", f"cn-ad-law/{HOSTILE[i % 5]}"),
        severity=severity,
        message="m",
        extra=tuple((k, v) for k, v in extra if v is not None),
    )
    return Finding(d, state, context=(f"before {HOSTILE[(i + 1) % 5]} …", "after"), **kw)


def _reviews() -> list[PageReview]:
    states = ("open", "waived", "suppressed")
    severities = (Severity.ERROR, Severity.WARNING, Severity.INFO)
    findings = [
        _finding(
            i,
            state,
            severity,
            text=("" if i % 4 == 3 else HOSTILE[i % 5]),
            suggestion=(None, "", HOSTILE[i % 5])[i % 3],
            line=None if i == 2 else 10**12 + i,
            rule=("plain", "a/b/c", f"x/{XSS}", "/lead/", "")[i % 5],
            waived_by=(None, "", HOSTILE[i % 5])[i % 3],
            reason=(None, HOSTILE[(i + 2) % 5])[i % 2],
        )
        for i, (state, severity) in enumerate(itertools.product(states, severities))
    ]
    checklist = [
        ChecklistRow("copyright", "版权 " + XSS, "Copyright " + XSS, True),
        ChecklistRow("legal", "法务", "Legal", True, "done", HOSTILE[1], date(2026, 8, 28), XSS),
        ChecklistRow("n-a", "不适用", "N/a", False, "n-a", "", None, ""),
        ChecklistRow("none", "无", "None", False, "done", None, date(1, 1, 1), "\n"),
    ]
    approvals = [
        Approval(role="legal", name=XSS, date=date(2026, 8, 28)),
        Approval(role=HOSTILE[1], name="张律师", date=date(2026, 9, 1), decision="rejected"),
        Approval(role="brand", name="n", date=date(9999, 12, 31), decision="changes-requested"),
    ]
    out = []
    for k, (blocking, draft, status, market, channel) in enumerate(
        [
            (True, False, "review", "cn", "social"),
            (False, True, "draft", "us", "web"),
            (False, True, None, XSS, HOSTILE[1]),
            (False, False, "approved", "cn", "email"),
            (False, False, XSS, "hk", "print"),
            (True, True, "closed", "cn", "web"),
            (False, False, "active", "cn", "web"),
        ]
    ):
        out.append(
            PageReview(
                file="content/copy/x.md",
                in_scope=True,
                status=status,
                market=market,
                channel=channel,
                findings=findings[k % 2 :: 1 + k % 3] if k != 3 else [],
                checklist={3: checklist[1:2], 4: checklist[:1], 6: checklist[1:2]}.get(
                    k, checklist[k % 3 :]
                ),
                approvals=approvals if k % 2 else [],
                blocking=blocking,
                blocked_by=[XSS, "review/blocked", "plain"][: 1 + k % 3] if blocking else [],
                draft=draft,
            )
        )
    return out


@pytest.mark.parametrize("language", ["zh", "en", "zh_CN", "en-GB"])
def test_written_checklist_reads_as_the_template_renders_it(language):
    env = environment()
    template = env.get_template("review/checklist.html")
    kinds = set()
    for review in _reviews():
        context = checklist_context(review, language)
        kinds.add(context["kind"])
        ours = write_checklist(**context)
        assert ours == template.render(**context)
        assert render_checklist(review, env, language) == ours
    assert kinds == {"failure", "info", "success", "danger", "warning"}


def test_real_reviews_read_the_same():
    from planbook.frontmatter import read_front_matter
    from planbook.review import ReviewConfig, load_ruleset, review_front_matter

    config = ReviewConfig(own_domains=("acme.cn",))
    ruleset, _ = load_ruleset(config)
    page = (
        "---\ntitle: 全网最低价\nreview:\n  status: review\n  checklist:\n"
        "    copyright: {state: done, by: '<i>张</i>', date: 2026-08-01}\n"
        "  approvals: [{role: legal, name: 张律师, date: 2026-08-28, decision: approved}]\n"
        "  waivers:\n"
        "    - {rule: cn-ad-law/ranking-claims, match: 第一, reason: 榜单<来源>, approved_by: 张律师}\n"
        "---\n行业第一 <b>最佳</b> [国家级](http://x.test/?a=<s>) `顶级` | 首选 |\n"
        "<script>alert(1)</script> 这款净化器是全网最低价，比进口更强\n"
    )
    env = environment()
    template = env.get_template("review/checklist.html")
    for status in ("review", "draft"):
        fm = read_front_matter(page.replace("status: review", f"status: {status}"), "c/x.md")
        review = review_front_matter(
            fm,
            file="c/x.md",
            ruleset=ruleset,
            config=config,
            today=date(2026, 9, 1),
            plan_status=None,
        )
        assert len(review.findings) >= 4 and review.approvals
        for language in ("zh", "en"):
            context = checklist_context(review, language)
            assert write_checklist(**context) == template.render(**context)


def test_written_checklist_keeps_hostile_text_text():
    html = "".join(write_checklist(**checklist_context(r, "en")) for r in _reviews())
    assert "<script" not in html and "<b>" not in html and "<i>" not in html
    soup = BeautifulSoup(html, "html.parser")
    assert not soup.select("script, b, i")
    marks = [m.get_text() for m in soup.select("mark")]
    assert XSS in marks and "</script><b>b</b>" in marks
    assert soup.select_one("[data-market]")["data-market"] in ("cn", XSS)
    assert any(tr["data-rule"] == f"x/{XSS}" for tr in soup.select("tr.planbook-finding"))
    assert any(td.get_text() == "1000000000000" for td in soup.select("tr.planbook-finding td"))


def test_a_site_template_renders_the_section(tmp_path: Path):
    folder = tmp_path / "overrides"
    (folder / "review").mkdir(parents=True)
    (folder / "review" / "checklist.html").write_text(
        "mine {{ kind }} {{ review.findings | length }} {{ t.title }} {{ lang }}", "utf-8"
    )
    env = environment(folder)
    assert overridden(env, "review/checklist.html")
    assert not overridden(env, "review/index.html")
    review = _reviews()[0]
    assert render_checklist(review, env, "en") == (
        f"mine failure {len(review.findings)} Compliance and content review en"
    )
    shipped = environment()
    assert not overridden(shipped, "review/checklist.html")
    # another site folder without it: the section is written, as the shipped template reads
    other = tmp_path / "other"
    (other / "sections").mkdir(parents=True)
    (other / "sections" / "team.html").write_text("x", "utf-8")
    assert render_checklist(review, environment(other), "zh") == render_checklist(
        review, shipped, "zh"
    )
