"""Review results -> HTML, through the jinja2 templates in ``templates/review/``."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ..diagnostics import Diagnostic, Severity
from ..i18n import Labels
from ..messages import line, say
from .checklist_html import write_checklist
from .render_env import overridden

if TYPE_CHECKING:
    import jinja2

    from ..review.engine import Finding, PageReview

LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "合规与内容审核",
        "findings": "自动检查",
        "no_findings": "未发现问题。",
        "text": "原文",
        "rule": "规则",
        "basis": "依据",
        "suggestion": "建议",
        "line": "行",
        "state": "状态",
        "manual": "人工检查项",
        "item": "检查项",
        "required": "必需",
        "by": "签字人",
        "date": "日期",
        "note": "备注",
        "approvals": "审批",
        "role": "角色",
        "decision": "结论",
        "blocked": "审核未完成，不能以当前状态发布",
        "page": "页面",
        "status": "状态",
        "open": "未解决",
        "waivers": "豁免（批准人）",
        "missing": "未签字",
        "none": "—",
        "yes": "是",
        "no": "否",
        "market": "市场",
        "channel": "渠道",
        "draft": "草稿：问题只提示，不阻止构建",
        "st_open": "未解决",
        "st_waived": "已豁免",
        "st_suppressed": "已行内豁免",
        "st_done": "已完成",
        "st_n-a": "不适用",
        "dec_approved": "通过",
        "dec_rejected": "驳回",
        "dec_changes-requested": "需修改",
        "sev_error": "错误",
        "sev_warning": "警告",
        "sev_info": "提示",
        "sev_later": "离开草稿后为{sev}",
    },
    "en": {
        "title": "Compliance and content review",
        "findings": "Automatic checks",
        "no_findings": "No findings.",
        "text": "Text",
        "rule": "Rule",
        "basis": "Basis",
        "suggestion": "Suggestion",
        "line": "Line",
        "state": "State",
        "manual": "Manual checklist",
        "item": "Item",
        "required": "Required",
        "by": "Signed by",
        "date": "Date",
        "note": "Note",
        "approvals": "Approvals",
        "role": "Role",
        "decision": "Decision",
        "blocked": "Review is open: this page cannot be published in its current status",
        "page": "Page",
        "status": "Status",
        "open": "Open findings",
        "waivers": "Waivers (approver)",
        "missing": "Missing sign-offs",
        "none": "—",
        "yes": "yes",
        "no": "no",
        "market": "Market",
        "channel": "Channel",
        "draft": "Draft: findings are shown, the build is not stopped",
        "st_open": "open",
        "st_waived": "waived",
        "st_suppressed": "suppressed inline",
        "st_done": "done",
        "st_n-a": "n/a",
        "dec_approved": "approved",
        "dec_rejected": "rejected",
        "dec_changes-requested": "changes requested",
        "sev_error": "error",
        "sev_warning": "warning",
        "sev_info": "info",
        "sev_later": "{sev} once out of draft",
    },
}

# Markdown source around a finding, read as text: links and images keep their text, the
# markup that only styles (emphasis, code, headings, quotes, list markers, tags) goes.
_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)?")
_LINK_TAIL = re.compile(r"^[^\[\n]*?\]\([^)\n]*\)")  # "…text](url)" cut before its "["
_URL_TAIL = re.compile(r"^[^(\s]*\)")  # "…/path)" cut inside the url
_LINK_CUT = re.compile(r"!?\[([^\]\n]*)(?:\]\([^)\n]*)?$")  # "[text](ur…" cut after its "["
_TAG_TAIL = re.compile(r"^[^<]*>")
_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
_STYLE = re.compile(r"\*{1,3}|~~|__|`+")
_LEAD = re.compile(r"^\s*(?:#{1,6}\s+|>\s*|[-+*]\s+|\d+[.)]\s+)")
_CELL = re.compile(r"\s*\|\s*")
_SEP = " · "


def _plain(text: str) -> str:
    text = _TAG.sub("", _LINK.sub(r"\1", text))
    return _STYLE.sub("", text)


def _tail(text: str) -> str:
    """Drop the end of a link that was cut before its start."""
    return _URL_TAIL.sub("", _LINK_TAIL.sub(lambda m: m.group(0).split("](")[0], text))


def readable_context(finding: Finding, width: int | None = None) -> tuple[str, str]:
    """The copy before and after a finding's text as a reader sees it: table pipes read
    as a separator, emphasis, code, link and HTML markup dropped; the finding's own
    text is left exactly as matched (the template marks it between the two). ``width``
    cuts each side to that many characters (the site-wide table shows less)."""
    before, after = finding.context
    cut_before = before.startswith("…")
    cut_after = after.endswith("…")
    before = before[1:] if cut_before else before
    after = after[:-1] if cut_after else after
    if not cut_before:
        before = _LEAD.sub("", before)
    else:  # the window opened inside a tag: drop its tail ("…or=alert(1)>'>新品")
        tail = _TAG_TAIL.match(before)
        if tail and "=" in tail.group(0):
            before = before[tail.end() :]
    before = _LINK_CUT.sub(r"\1", _tail(before) if cut_before else before)
    after = _tail(after)
    if cut_after:
        after = _LINK_CUT.sub(r"\1", after)
    before = _CELL.sub(_SEP, _plain(before))
    after = _CELL.sub(_SEP, _plain(after))
    if before.startswith(_SEP):  # the row's first pipe
        before = before[len(_SEP) :]
    if after.endswith(_SEP):  # its last
        after = after[: -len(_SEP)]
    if cut_before:
        before = before.lstrip()
    if width is not None and len(before) > width:
        before, cut_before = before[-width:].lstrip(), True
    if width is not None and len(after) > width:
        after, cut_after = after[:width].rstrip(), True
    return ("…" if cut_before else "") + before, after + ("…" if cut_after else "")


ADMONITION = {Severity.ERROR: "danger", Severity.WARNING: "warning", Severity.INFO: "info"}


def labels(language: str) -> dict[str, str]:
    """UI labels for ``language`` (``zh``, ``zh_CN``, ``en`` ...)."""
    return LABELS["zh" if language.lower().startswith("zh") else "en"]


def _kind(review: PageReview) -> str:
    """The admonition type of the whole section."""
    if review.blocking:
        return "failure"
    if review.missing_signoffs:
        return "warning"
    worst = [f.severity for f in review.open_findings]
    if review.draft and worst:
        return "info"  # the build logs a draft's findings at info
    if Severity.ERROR in worst:
        return "danger"
    if worst:
        return "warning"
    return "success"


def checklist_context(review: PageReview, language: str) -> dict[str, Any]:
    """What ``review/checklist.html`` is rendered with."""
    return {
        "review": review,
        "t": labels(language),
        "ui": Labels(language),
        "lang": "zh" if language.lower().startswith("zh") else "en",
        "kind": _kind(review),
        "admonition": ADMONITION,
        "context": readable_context,
        "status_labels": _status_labels(language),
        # blocking reasons in the page's language
        "say": lambda message: say(message, language),
    }


def render_checklist(review: PageReview, env: jinja2.Environment, language: str) -> str:
    """The review section of one page (findings, manual items, approvals): the site's
    own ``review/checklist.html`` when it has one, else the same markup written in
    Python (:mod:`planbook.views.checklist_html`)."""
    context = checklist_context(review, language)
    if overridden(env, "review/checklist.html"):
        return env.get_template("review/checklist.html").render(**context)
    return write_checklist(**context)


def _status_labels(language: str) -> dict[str, str]:
    from ..i18n import Labels

    t = Labels(language)
    return {s: t(f"plan.status.{s}") for s in ("draft", "review", "approved", "active", "closed")}


def review_index(
    reviews: Iterable[tuple[str, PageReview]],
    titles: Mapping[str, str],
    url_of: Callable[[str], str],
    env: jinja2.Environment,
    language: str,
) -> str:
    """The review page's table of ``reviews`` (page, its review; those in scope):
    each page under its title (``titles``: HTML, as themes write it; shown as its text)
    and linked by ``url_of``."""
    rows = []
    for src_uri, review in sorted(reviews, key=lambda r: r[0]):
        if not review.in_scope:
            continue
        # a page title is HTML (themes write it as it is): the table's template escapes
        # text, so the title goes in as its text (escaped once, finding 05)
        title = titles.get(src_uri)
        text = Markup(title).striptags() if title else src_uri
        rows.append((text, url_of(src_uri), review))
    return render_index(rows, env, language)


def blocked_message(diagnostics: Iterable[Diagnostic], language: str) -> str | None:
    """Why a build stops: approved or active pages with open review items (``None``:
    none among ``diagnostics``)."""
    blocked = [d for d in diagnostics if d.rule == "review/blocked"]
    if not blocked:
        return None
    lines = [line(d, language) for d in blocked]
    return "planbook: approved or active pages have open review items:\n" + "\n".join(lines)


def render_index(
    reviews: list[tuple[str, str, PageReview]], env: jinja2.Environment, language: str
) -> str:
    """The site-wide review table: (page title, page url, review) per page."""
    # What needs attention first: blocked pages, then the most open findings.
    rows = sorted(
        (r for r in reviews if r[2].in_scope),
        key=lambda r: (not r[2].blocking, -len(r[2].open_findings), r[1], r[0]),
    )
    return env.get_template("review/index.html").render(
        rows=rows,
        t=labels(language),
        ui=Labels(language),
        status_labels=_status_labels(language),
        lang="zh" if language.lower().startswith("zh") else "en",
        Severity=Severity,
        context=readable_context,
    )
