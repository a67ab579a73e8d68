"""One page's review section (``templates/review/checklist.html``), written in Python.

Through jinja the section cost about half a millisecond per page for a handful of
findings and checklist rows (a 200-plan site draws 200 of them). The shipped template
stays the reference and what a site's own ``custom_templates`` copy starts from: when a
site has ``review/checklist.html``, that template renders the section (see
:func:`planbook.views.checklist.render_checklist`). Every value is escaped here as
autoescaping would; ``tests/unit/test_review_checklist_html.py`` renders both and
compares them byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from markupsafe import escape

if TYPE_CHECKING:
    from ..review.engine import Finding, PageReview


def _named(ui: Callable[[str], str], prefix: str, code: Any) -> str:
    """A code's label (``review.market.cn`` -> 中国大陆), or the code when it has none."""
    key = prefix + str(code)
    text = ui(key)
    return str(escape(code if text == key else text))


def _finding(
    f: Finding,
    draft: bool,
    t: Mapping[str, str],
    context: Callable[[Finding], tuple[str, str]],
) -> str:
    # Severity as the build logs it: an open finding on a draft page is info until the
    # page leaves draft.
    logged = f.severity.value
    severity = "info" if draft and f.state == "open" else logged
    sev = escape(severity)
    if f.text:
        around = context(f)
        copy = f"<span>{escape(around[0])}<mark>{escape(f.text)}</mark>{escape(around[1])}</span>"
    else:
        copy = str(escape(t["none"]))
    parts = f.rule.split("/")
    last = len(parts) - 1
    rule = "".join(
        f"<span>{escape(part)}/</span><wbr>" if i < last else f"<span>{escape(part)}</span>"
        for i, part in enumerate(parts)
    )
    later = ""
    if severity != logged:
        said = escape(t["sev_later"].format(sev=t["sev_" + logged]))
        later = f'<br><small class="pb-note">{said}</small>'
    state = ""
    if f.state != "open":
        by = f" · {escape(f.waived_by)}" if f.waived_by else ""
        state = f"<br><small>{escape(f.reason or '')}{by}</small>"
    return (
        f'<tr class="planbook-finding planbook-{escape(f.state)} planbook-{sev}" '
        f'data-rule="{escape(f.rule)}" data-severity="{sev}">\n'
        f"<td>{escape(f.line)}</td>\n"
        f'<td class="planbook-context">{copy}</td>\n'
        f'<td><code class="planbook-rule">{rule}</code><br>'
        f'<small class="pb-chip pb-severity--{sev}">{escape(t["sev_" + severity])}</small>'
        f"{later}</td>\n"
        f"<td>{escape(f.basis)}</td>\n"
        f"<td>{escape(f.suggestion or t['none'])}</td>\n"
        f"<td>{escape(t['st_' + f.state])}{state}</td>\n"
        "</tr>\n"
    )


def write_checklist(
    review: PageReview,
    *,
    t: Mapping[str, str],
    ui: Callable[[str], str],
    lang: str,
    kind: str,
    context: Callable[[Finding], tuple[str, str]],
    status_labels: Mapping[str, str],
    say: Callable[[str], str],
    **_: Any,
) -> str:
    """``review/checklist.html`` for ``review``, from the same context the template gets."""
    e = escape
    status = review.status
    out = [
        f'<div class="planbook-review admonition {e(kind)}" data-planbook="review" '
        f'data-status="{e(status or "")}">\n'
        f'<p class="admonition-title">{e(t["title"])}'
        + (f" · {e(status_labels.get(status, status))}" if status else "")
        + "</p>\n"
    ]
    if review.blocking:
        out.append(f"<p><strong>{e(t['blocked'])}</strong></p>\n<ul>\n")
        out.extend(f"<li>{e(say(reason))}</li>\n" for reason in review.blocked_by)
        out.append("</ul>\n")
    elif review.draft and review.open_findings:
        out.append(f"<p><em>{e(t['draft'])}</em></p>\n")
    colon = "：" if lang == "zh" else ": "
    out.append(
        f'<p>{e(t["market"])}{colon}<span data-market="{e(review.market)}">'
        f"{_named(ui, 'review.market.', review.market)}</span> · {e(t['channel'])}{colon}"
        f'<span data-channel="{e(review.channel)}">'
        f"{_named(ui, 'review.channel.', review.channel)}</span></p>\n"
        f"<h4>{e(t['findings'])}</h4>\n"
    )
    if review.findings:
        out.append(
            '<div class="planbook-review-findings pb-scroll"><table class="pb-table pb-cards">\n'
            f"<thead><tr><th>{e(t['line'])}</th><th>{e(t['text'])}</th><th>{e(t['rule'])}</th>"
            f"<th>{e(t['basis'])}</th><th>{e(t['suggestion'])}</th><th>{e(t['state'])}</th>"
            "</tr></thead>\n<tbody>\n"
        )
        out.extend(_finding(f, review.draft, t, context) for f in review.findings)
        out.append("</tbody>\n</table></div>\n")
    else:
        out.append(f"<p>{e(t['no_findings'])}</p>\n")
    none = e(t["none"])
    out.append(
        f"<h4>{e(t['manual'])}</h4>\n"
        '<div class="planbook-review-checklist pb-scroll"><table class="pb-table pb-cards">\n'
        f"<thead><tr><th>{e(t['item'])}</th><th>{e(t['required'])}</th><th>{e(t['state'])}</th>"
        f"<th>{e(t['by'])}</th><th>{e(t['date'])}</th><th>{e(t['note'])}</th></tr></thead>\n"
        "<tbody>\n"
    )
    for row in review.checklist:
        out.append(
            f'<tr class="planbook-item planbook-{"signed" if row.signed else "unsigned"}">\n'
            f"<td>{e(row.label(lang))}</td>\n"
            f"<td>{e(t['yes'] if row.required else t['no'])}</td>\n"
            f"<td>{e(t['st_' + row.state])}</td>\n"
            f"<td>{e(row.by) if row.by else none}</td>\n"
            f"<td>{e(row.date) if row.date else none}</td>\n"
            f"<td>{e(row.note or '')}</td>\n"
            "</tr>\n"
        )
    out.append("</tbody>\n</table></div>\n")
    if review.approvals:
        out.append(
            f"<h4>{e(t['approvals'])}</h4>\n"
            '<div class="planbook-review-approvals pb-scroll"><table class="pb-table pb-cards">\n'
            f"<thead><tr><th>{e(t['role'])}</th><th>{e(t['by'])}</th><th>{e(t['date'])}</th>"
            f"<th>{e(t['decision'])}</th></tr></thead>\n<tbody>\n"
        )
        out.extend(
            f'<tr><td data-role="{e(a.role)}">{_named(ui, "role.", a.role)}</td>'
            f"<td>{e(a.name)}</td><td>{e(a.date)}</td><td>{e(t['dec_' + a.decision])}</td></tr>\n"
            for a in review.approvals
        )
        out.append("</tbody>\n</table></div>\n")
    out.append("</div>")
    return "".join(out)
