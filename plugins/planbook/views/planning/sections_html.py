"""The cadence table and the content calendar (``sections/cadence_table.html``,
``sections/content_calendar.html``), written in Python around their ready-made rows
(:mod:`planbook.views.planning.rows`).

Rendering the two templates cost about a third of a millisecond each, 600 times on a
200-plan site (a plan's table, its report's, its calendar). The shipped templates stay
the reference and what a site's own copy starts from: when the site's
``custom_templates`` has one, it renders (:func:`planbook.views.render_env.render`). Every
value is escaped here as autoescaping would; ``tests/unit/test_planning_sections_html.py``
renders both and compares them byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from markupsafe import escape


def write_cadence_table(
    *,
    rows: Sequence[Any],
    cells_html: Sequence[str],
    view: Any,
    p: Callable[..., str],
    t: Callable[..., str],
    caption: str | None = None,
    **_: Any,
) -> str:
    """``sections/cadence_table.html``: per cadence target, its cells and how many of the
    closed weeks or months met it."""
    out = ['<div class="planbook pb-cadence" data-search-exclude>\n']
    if caption is not None:
        out.append(f"<h3>{escape(caption)}</h3>")
    if not rows:
        out.append(f'<p class="pb-empty">{escape(p("cadence.none"))}</p>\n</div>')
        return "".join(out)
    out.append(
        '<div class="pb-scroll"><table class="pb-table pb-cards">\n'
        f"  <thead><tr><th>{escape(p('cadence.channel'))}</th>"
        f"<th>{escape(p('cadence.target'))}</th><th>{escape(t('progress'))}</th><th></th>"
        "</tr></thead>\n  <tbody>\n"
    )
    names = view.value_labels
    for i, row in enumerate(rows):
        c = row.cadence
        top = f"–{c.max}" if c.max is not None and c.max != c.min else ""
        name = c.label or names.get(c.channel, c.channel)
        met = p("cadence.met_of", met=row.met, closed=len(row.closed))
        out.append(
            f'    <tr data-channel="{escape(c.channel)}">\n'
            f"      <td><strong>{escape(name)}</strong></td>\n"
            f'      <td class="pb-num">{escape(p("cadence.per." + str(c.per), range=f"{c.min}{top}"))}'
            "</td>\n"
            f'      <td><ul class="pb-cadence__cells">\n{escape(cells_html[i])}      </ul></td>\n'
            f'      <td class="pb-num">{escape(met)}</td>\n'
            "    </tr>\n"
        )
    out.append("  </tbody>\n</table></div>\n</div>")
    return "".join(out)


def write_content_calendar(
    *,
    months: Sequence[Any],
    weekdays: Sequence[int],
    weekday_names: Sequence[str],
    month_bodies: Sequence[str],
    p: Callable[..., str],
    **_: Any,
) -> str:
    """``sections/content_calendar.html``: a month grid per month, around each month's
    ready-made weeks."""
    head = "".join(f'<th scope="col">{escape(weekday_names[wd])}</th>' for wd in weekdays)
    out = ['<div class="planbook pb-calendar" data-search-exclude>\n']
    for i, month in enumerate(months):
        first = month.first
        title = p(
            "calendar.month",
            year=first.year,
            month=first.month,
            month_name=first.strftime("%B"),
        )
        themes = ""
        if month.themes:
            joined = " · ".join(str(theme) for theme in month.themes)
            themes = f'<p class="pb-note">{escape(p("calendar.themes"))}: {escape(joined)}</p>'
        out.append(
            f'<div class="pb-calendar__month" data-month="{escape(first.isoformat()[:7])}">\n'
            f'  <h4 class="pb-calendar__title">{escape(title)}</h4>\n'
            f'{themes}  <div class="pb-scroll"><table class="pb-calendar__grid">\n'
            f"    <thead><tr>{head}</tr></thead>\n"
            "    <tbody>\n"
            f"{escape(month_bodies[i])}    </tbody>\n"
            "  </table></div>\n"
            "</div>\n"
        )
    out.append("</div>")
    return "".join(out)


def write_plan_quality(
    *, findings: Sequence[Any], rows_html: str, view: Any, p: Callable[..., str], **_: Any
) -> str:
    """``sections/plan_quality.html``: the plan's SMART findings, or that it has none."""
    out = [
        f'<div class="planbook pb-quality" data-findings="{len(findings)}">\n'
        f'<p class="pb-note">{escape(p("quality.intro"))}</p>\n'
    ]
    if not findings:
        out.append(
            '<p class="pb-quality__ok"><span class="pb-chip pb-status--achieved">✔</span> '
            f"{escape(p('quality.none', n=len(view.goals)))}</p>\n"
        )
    else:
        out.append(
            '<div class="pb-scroll"><table class="pb-table pb-cards">\n'
            f"  <thead><tr><th>{escape(p('quality.where'))}</th>"
            f"<th>{escape(p('quality.finding'))}</th><th>{escape(p('quality.rule'))}</th>"
            "</tr></thead>\n"
            f"  <tbody>\n{escape(rows_html)}  </tbody>\n</table></div>\n"
        )
    out.append("</div>")
    return "".join(out)
