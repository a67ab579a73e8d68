"""Plan sections written in Python: the risk register, the team, the phases (with each
phase's own goals), the persona cards, the plan summary and the links to its reports.

Each template cost a few hundred microseconds through jinja per plan page (the risks,
phases and personas the most), for markup that is a handful of rows. The shipped
templates stay the reference and what a site's own copy starts from: when the site's
``custom_templates`` folder has one of a section's templates, the templates render it
(:data:`TEMPLATES`, :meth:`planbook.views.render.Renderer.section`). The writers take the
context the templates get and escape every value as autoescaping would;
``tests/unit/test_sections_html.py`` and ``tests/sitebuild/test_written_sections.py``
render both and compare them byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from markupsafe import escape

_T = Callable[..., str]


def _colon(fmt: Any) -> str:
    return "：" if fmt.language == "zh" else ": "


def write_risks(
    *, risks: Sequence[Any], t: _T, fmt: Any, risk_level: Callable[[Any], str], **_: Any
) -> str:
    """``sections/risks.html``: the risks (sorted by the caller), score and level."""
    out = [
        '<div class="planbook pb-risks">\n'
        '<div class="pb-scroll"><table class="pb-table pb-cards">\n'
        f"  <thead><tr><th>{escape(t('risk'))}</th>\n"
        f"    <th>{escape(t('risk.score'))} <small>({escape(t('risk.likelihood'))} × "
        f"{escape(t('risk.impact'))})</small></th>\n"
        f"    <th>{escape(t('risk.mitigation'))}</th><th>{escape(t('risk.contingency'))}</th>"
        "</tr></thead>\n  <tbody>\n"
    ]
    for r in risks:
        said = risk_level(r)
        level = escape(said)
        owner = ""
        if r.owner:
            owner = f" · {escape(t('owner'))}{_colon(fmt)}{escape(r.owner)}"
        out.append(
            f'    <tr id="risk-{escape(r.id)}" data-level="{level}">\n'
            f'      <td class="pb-risk-title"><strong>{escape(r.title)}</strong>\n'
            f'        <br><small class="pb-note">{escape(t("risk.category." + str(r.category)))}'
            f"{owner}</small></td>\n"
            f'      <td class="pb-num"><span class="pb-chip pb-risk--{level}">'
            f"{escape(r.likelihood * r.impact)} · {escape(t('risk.level.' + said))}</span>\n"
            f'        <br><small class="pb-note">{escape(r.likelihood)} × {escape(r.impact)}'
            "</small></td>\n"
            f"      <td>{escape(r.mitigation or '')}</td><td>{escape(r.contingency or '')}</td>\n"
            "    </tr>\n"
        )
    out.append("  </tbody>\n</table></div>\n</div>")
    return "".join(out)


def write_team(*, plan: Any, t: _T, **_: Any) -> str:
    """``sections/team.html``: role, name and duties of each member."""
    rows = "".join(
        f"<tr><td>{escape(m.role)}</td><td>{escape(m.name or '')}</td>"
        f"<td>{escape(m.duties or '')}</td></tr>"
        for m in plan.team
    )
    return (
        '<div class="planbook pb-team">\n'
        '<div class="pb-scroll"><table class="pb-table pb-cards">\n'
        f"  <thead><tr><th>{escape(t('team.role'))}</th><th>{escape(t('team.name'))}</th>"
        f"<th>{escape(t('team.duties'))}</th></tr></thead>\n"
        f"  <tbody>\n{rows}  </tbody>\n</table></div>\n</div>"
    )


def _phase_goals(ph: Any, results: Sequence[Any], t: _T, fmt: Any) -> str:
    """``sections/phase_goals.html``: a phase's own goals, target, actual and status."""
    out = [
        f'<p class="pb-phase-goals__title"><strong>{escape(ph.name)} · '
        f"{escape(t('phase.goals'))}</strong></p>\n"
        '<ul class="pb-phase-goals">\n'
    ]
    for g in results:
        goal = g.goal
        status = escape(g.status)
        owner = f" · {escape(goal.owner)}" if goal.owner else ""
        out.append(
            f'  <li data-goal="{escape(goal.id)}" data-status="{status}">'
            f"{escape(goal.statement)}\n"
            f"    <br><small><span data-search-exclude>{escape(fmt.value(g.actual, g.format))} / "
            f"{escape(fmt.value(goal.target, g.format))}</span>{owner}</small>\n"
            f'    <span class="pb-chip pb-status--{status}" data-search-exclude>'
            f"{escape(t('status.' + str(g.status)))}</span></li>\n"
        )
    out.append("</ul>")
    return "".join(out)


def write_phases(
    *, plan: Any, t: _T, fmt: Any, as_of: Any, phase_goals: Sequence[Any], **_: Any
) -> str:
    """``sections/phases.html`` (and ``sections/phase_goals.html`` under each phase that
    has goals): dates, focus and milestones; the phase of the as-of date marked."""
    done = escape(t("milestone.done"))
    still = escape(t("milestone.open"))
    out = [
        '<div class="planbook pb-phases">\n'
        '<div class="pb-scroll"><table class="pb-table pb-cards">\n'
        f"  <thead><tr><th>{escape(t('phase'))}</th><th>{escape(t('phase.dates'))}</th>"
        f"<th>{escape(t('phase.focus'))}</th><th>{escape(t('phase.milestones'))}</th>"
        "</tr></thead>\n  <tbody>\n"
    ]
    for i, ph in enumerate(plan.phases):
        current = as_of is not None and ph.start <= as_of <= ph.end
        mark = ""
        if current:
            mark = (
                f'<br><span class="pb-chip pb-status--on_track">{escape(t("phase.current"))}</span>'
            )
        milestones = ""
        if ph.milestones:
            items = "".join(
                f'<li class="{"pb-done" if m.done else "pb-open"}">'
                f'<span aria-label="{done if m.done else still}">{"✔" if m.done else "○"}</span> '
                f"{escape(fmt.date(m.date))} {escape(m.name)}"
                + (f" <small>({escape(m.owner)})</small>" if m.owner else "")
                + "</li>"
                for m in ph.milestones
            )
            milestones = f'<ul class="pb-milestones">\n{items}      </ul>'
        row = ' class="pb-row--current"' if current else ""
        out.append(
            f"    <tr{row}>\n"
            f"      <td><strong>{escape(ph.name)}</strong>{mark}</td>\n"
            f"      <td>{escape(fmt.date(ph.start))} – {escape(fmt.date(ph.end))}</td>\n"
            f"      <td>{escape(ph.focus or '')}</td>\n"
            f"      <td>{milestones}</td>\n"
            "    </tr>\n"
        )
        if phase_goals and phase_goals[i]:
            out.append(
                f'<tr class="pb-phase-goals-row{" pb-row--current" if current else ""}">'
                f'<td colspan="4">{_phase_goals(ph, phase_goals[i], t, fmt)}</td></tr>'
            )
    out.append("  </tbody>\n</table></div>\n</div>")
    return "".join(out)


_FACTS = ("gender", "age", "city", "occupation", "income")
_LISTS = ("interests", "pains", "needs", "info_channels", "buying_channels")
_SENTENCES = ("pains", "needs")


def write_persona_card(*, persona: Any, url: str | None, t: Any, **_: Any) -> str:
    """``sections/persona_card.html``: one persona as a Material card."""
    name = escape(persona.name)
    if url:
        name = f'<a href="{escape(url)}">{name}</a>'
    segment = ""
    if persona.segment:
        segment = f'<span class="pb-chip pb-persona__segment">{escape(persona.segment)}</span>'
    quote = f"<blockquote>{escape(persona.quote)}</blockquote>" if persona.quote else ""
    facts = []
    for field in _FACTS:
        value = getattr(persona, field)
        if value is not None:
            facts.append(f"<dt>{escape(t('persona.' + field))}</dt><dd>{escape(value)}</dd>")
    zh = t.language == "zh"
    for field in _LISTS:
        values = getattr(persona, field)
        if values:
            # pains and needs are sentences ("Many purifiers are loud"): a semicolon
            # between them, a comma between names and channels
            sep = ("；" if zh else "; ") if field in _SENTENCES else ("、" if zh else ", ")
            joined = sep.join(str(v) for v in values)
            facts.append(f"<dt>{escape(t('persona.' + field))}</dt><dd>{escape(joined)}</dd>")
    if persona.scenario:
        facts.append(f"<dt>{escape(t('persona.scenario'))}</dt><dd>{escape(persona.scenario)}</dd>")
    return (
        f'<div class="card pb-persona" id="persona-{escape(persona.id)}">\n'
        f'  <p class="pb-persona__name"><strong>{name}</strong>\n'
        f"{segment}</p>\n"
        f'{quote}  <dl class="pb-facts">\n'
        f"{''.join(facts)}  </dl>\n"
        "</div>"
    )


def write_personas(
    *, personas: Sequence[Any], t: Any, url_for: Callable[[str], str], **_: Any
) -> str:
    """``sections/personas.html``: the plan's persona cards (a missing persona named)."""
    out = ['<div class="planbook pb-personas grid">\n']
    for persona, pid, src_uri in personas:
        if persona:
            url = url_for(src_uri) if src_uri else None
            out.append(write_persona_card(persona=persona, url=url, t=t))
        else:
            out.append(
                f'  <div class="card pb-persona"><p><strong>{escape(pid)}</strong></p>'
                f'<p class="pb-empty">{escape(t("persona.missing"))}</p></div>\n'
            )
    out.append("</div>")
    return "".join(out)


def write_plan_summary(*, view: Any, plan: Any, t: _T, fmt: Any, **_: Any) -> str:
    """``sections/plan_summary.html``: status, pacing, period, owner, budget, as-of."""
    colon = _colon(fmt)
    out = [
        '<div class="planbook pb-summary" data-search-exclude>\n'
        f'  <span class="pb-chip pb-plan--{escape(plan.status)}">'
        f"{escape(t('plan.status.' + str(plan.status)))}</span>\n"
        f'  <span class="pb-chip pb-status--{escape(view.status)}">'
        f"{escape(t('status.' + str(view.status)))}</span>\n"
        f"  <span>{escape(t('plan.period'))}{colon}{escape(fmt.date(plan.period.start))} – "
        f"{escape(fmt.date(plan.period.end))}</span>\n"
    ]
    if plan.owner:
        out.append(f"<span>{escape(t('owner'))}{colon}{escape(plan.owner)}</span>")
    if plan.budget:
        out.append(
            f"<span>{escape(t('plan.budget'))}{colon}{escape(fmt.money(plan.budget.total))}</span>"
        )
    if view.as_of:
        out.append(f"<span>{escape(t('as_of'))}{colon}{escape(fmt.date(view.as_of))}</span>")
    out.append("</div>")
    return "".join(out)


def write_reports(*, reports: Sequence[tuple[str, str]], t: _T, **_: Any) -> str:
    """``sections/reports.html``: links to the plan's report pages, newest first."""
    if not reports:
        return (
            f'<div class="planbook pb-reports">\n<p class="pb-empty">{escape(t("no_data"))}</p>\n'
            "</div>"
        )
    items = "".join(
        f'<li><a href="{escape(url)}">{escape(label)}</a></li>' for url, label in reports
    )
    return f'<div class="planbook pb-reports">\n<ul>\n{items}</ul>\n</div>'


# section -> (writer, the templates that draw it: a site overriding any of them renders)
TEMPLATES: dict[str, tuple[Callable[..., str], tuple[str, ...]]] = {
    "risks": (write_risks, ("sections/risks.html",)),
    "team": (write_team, ("sections/team.html",)),
    "phases": (write_phases, ("sections/phases.html", "sections/phase_goals.html")),
    "personas": (write_personas, ("sections/personas.html", "sections/persona_card.html")),
    "reports": (write_reports, ("sections/reports.html",)),
}
