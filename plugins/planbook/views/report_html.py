"""One period's report (``sections/report.html``) written in Python around its
ready-made KPI and channel rows (:mod:`planbook.views.section_rows`).

What the template kept after its rows moved to Python (headers, the channel columns,
movers, status changes, recommendations) still cost about half a millisecond per report
page through jinja. The shipped template stays the reference and what a site's own copy
starts from: when the site's ``custom_templates`` has it, it renders
(:meth:`planbook.views.render.Renderer.report`). Every value is escaped here as autoescaping
would; ``tests/unit/test_report_html.py`` and ``tests/sitebuild/test_written_sections.py``
render both and compare them byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import escape

from .tables_html import channel_heads, more_rows_note, partial_note


def _channels(
    report: Any,
    t: Callable[..., str],
    fmt: Any,
    language: str,
    cells: Any,
    rows: Any,
    hidden: int = 0,
) -> str:
    b = report.channels
    toggle, heads = channel_heads(b.columns, t, language)
    total = ""
    if b.total:
        total = (
            f'<tfoot><tr class="pb-total"><th>{escape(t("total"))}</th>{escape(cells.total)}'
            f'<td class="pb-num">{escape(fmt.percent(b.total.share))}</td></tr></tfoot>'
        )
    partial = partial_note(b, b.columns, report.view.registry, t, language) if b.partial else ""
    partial = more_rows_note(b, hidden, t) + partial

    return (
        f"<h3>{escape(t('report.channels'))}</h3>\n"
        f'<div class="pb-fit">{toggle}<div class="pb-scroll"><table class="pb-table pb-cards">\n'
        f"  <thead><tr><th>{escape(t('channel'))}</th>{heads}"
        f'<th class="pb-num">{escape(t("share_of_spend"))}</th></tr></thead>\n'
        f"  <tbody>\n{escape(rows)}  </tbody>\n"
        f"{total}</table></div></div>\n{partial}"
    )


def write_report(
    *,
    report: Any,
    t: Callable[..., str],
    fmt: Any,
    language: str,
    cells: Any = None,
    channel_rows: Any = None,
    kpi_rows: Any = "",
    hidden_rows: int = 0,
    **_: Any,
) -> str:
    """``sections/report.html``: KPIs against the previous period and the pacing line,
    channels, movers, status changes and recommendations."""
    e = escape
    out = [f'<div class="planbook pb-report" data-period="{e(report.period.key)}">\n']
    if not report.has_data:
        out.append(
            '<div class="admonition info"><p class="admonition-title">'
            f"{e(report.period.label(language))}</p><p>{e(t('report.no_data'))}</p></div>\n"
        )
    out.append(
        f"<h3>{e(t('report.kpis'))}</h3>\n"
        '<div class="pb-scroll"><table class="pb-table pb-cards">\n'
        f"  <thead><tr><th>{e(t('goal'))}</th><th>{e(t('kpi'))}</th>\n"
        f'    <th class="pb-num">{e(t("report.value"))}</th>'
        f'<th class="pb-num">{e(t("report.previous"))}</th>\n'
        f'    <th class="pb-num">{e(t("report.change"))}</th>\n'
        f'    <th class="pb-num">{e(t("report.at_end"))}</th>'
        f'<th class="pb-num">{e(t("report.expected"))}</th>\n'
        f"    <th>{e(t('status'))}</th></tr></thead>\n"
        f"  <tbody>\n{e(kpi_rows)}  </tbody>\n</table></div>\n"
    )
    pacing = getattr(report.view, "pacing", None)
    if pacing:  # why a status may read "on track" beside a missed phase target
        rule = t(
            "report.status_rule",
            on=fmt.percent(pacing.on_track, 0),
            risk=fmt.percent(pacing.at_risk, 0),
        )
        out.append(f'<p class="pb-caption pb-status-rule">{e(rule)}</p>\n')
    b = report.channels
    if b and b.rows:
        out.append(_channels(report, t, fmt, language, cells, channel_rows, hidden_rows))
    if report.movers:
        names = report.view.value_labels
        registry = report.view.registry
        out.append(f'<h3>{e(t("report.movers"))}</h3>\n<ul class="pb-movers">\n')
        for m in report.movers:
            up = m.delta > 0
            digits, shown = m.digits, m.shown_delta
            out.append(
                f"  <li><strong>{e(names.get(m.channel, m.channel))}</strong> "
                f"{e(registry.get(m.metric).label(language))}: "
                f"{e(fmt.number(m.previous, digits))} → {e(fmt.number(m.value, digits))}\n"
                f'  <span class="pb-delta pb-delta--{"good" if up else "bad"}">'
                f"{'▲' if up else '▼'} {e(fmt.number(abs(shown), digits))}</span></li>\n"
            )
        out.append("</ul>\n")
    out.append(f"<h3>{e(t('report.status_changes'))}</h3>\n")
    if report.status_changes:
        out.append("<ul>\n")
        for goal, old, new in report.status_changes:
            out.append(
                f'  <li>{e(goal.statement)}: <span class="pb-chip pb-status--{e(old)}">'
                f"{e(t('status.' + str(old)))}</span> → "
                f'<span class="pb-chip pb-status--{e(new)}">{e(t("status." + str(new)))}</span>'
                "</li>\n"
            )
        out.append("</ul>\n")
    else:
        out.append(f"<p>{e(t('report.none'))}</p>")
    out.append(f"<h3>{e(t('report.recommendations'))}</h3>\n")
    if report.recommendations:
        items = "".join(
            f'<li data-kind="{e(r.kind)}">{e(r.message(language))}</li>'
            for r in report.recommendations
        )
        out.append(f'<ul class="pb-recommendations">\n{items}</ul>\n')
    else:
        out.append(f"<p>{e(t('report.no_recommendations'))}</p>")
    out.append("</div>")
    return "".join(out)
