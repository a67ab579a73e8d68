"""The repeated rows of the content calendar, the cadence table and the plan-quality
table, as escaped HTML.

A calendar of two months draws about 80 day cells and a hundred items, a cadence table
a cell per week; through jinja each cell costs dozens of template calls. The
templates (``sections/content_calendar.html``, ``sections/cadence_table.html``) keep the
sections' structure and get these rows ready-made (``month_bodies``, ``cells_html``,
``rows_html`` of ``sections/plan_quality.html``);
they still get the data the rows are made from, so a site's own template can draw the
rows itself. Every value is escaped here, as autoescaping would.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ...format import html_text

if TYPE_CHECKING:
    from ...diagnostics import Diagnostic
    from ...metrics.content.items import CadenceRow, Item, Month
    from .labels import PlanningLabels


class _Said:
    """The escaped words an item's markup repeats (its status, channel, channel name),
    each escaped once per calendar month instead of once per item."""

    def __init__(self, p: PlanningLabels, names: Mapping[str, str]) -> None:
        self.p = p
        self.names = names
        self.heads: dict[tuple[str, str, bool], str] = {}
        self.tails: dict[tuple[str, bool], str] = {}

    def head(self, item: Item) -> str:
        """The ``<li>`` opening and the channel chip."""
        key = (item.status, item.channel, item.overdue)
        if key not in self.heads:
            overdue = " pb-item--overdue" if item.overdue else ""
            status = html_text(item.status)
            name = html_text(self.names.get(item.channel, item.channel))
            self.heads[key] = (
                f'            <li class="pb-calendar__item pb-item--{status}{overdue}" '
                f'data-channel="{html_text(item.channel)}" data-status="{status}">\n'
                f'              <span class="pb-chip">{name}</span>\n'
            )
        return self.heads[key]

    def tail(self, item: Item) -> str:
        """The status note of an item not published yet (overdue marked), and ``</li>``."""
        key = (item.status, item.overdue)
        if key not in self.tails:
            note = ""
            if item.status != "published":
                note = f"<small>{html_text(self.p('status.' + item.status))}"
                if item.overdue:
                    late = html_text(self.p("calendar.overdue"))
                    note += f' · <strong title="{late}">⚠ {late}</strong>'
                note += "</small>"
            self.tails[key] = note + "            </li>\n"
        return self.tails[key]


# A post's escaped title and link by (title, url): the calendars of plans that share a
# post list show the same posts. Cleared when it grows past _KEEP_LINKS.
_LINKS: dict[tuple[str, str | None], str] = {}
_KEEP_LINKS = 50_000


def _item(item: Item, said: _Said, url_for: Callable[[str], str]) -> str:
    if item.page:  # a copy page: its address is relative to the page drawn
        link = f'<a href="{html_text(url_for(item.page))}">{html_text(item.title)}</a>'
    else:
        key = (item.title, item.url)
        link = _LINKS.get(key, "")
        if not link:
            if len(_LINKS) >= _KEEP_LINKS:
                _LINKS.clear()
            title = html_text(item.title)
            link = _LINKS[key] = (
                f'<a href="{html_text(item.url)}" rel="noopener noreferrer">{title}</a>'
                if item.url
                else str(title)
            )
    return said.head(item) + link + said.tail(item)


def month_body(
    month: Month,
    p: PlanningLabels,
    names: Mapping[str, str],
    url_for: Callable[[str], str],
) -> Markup:
    """The ``<tr>`` rows of one month of the calendar (its weeks, each day with its items)."""
    weekday = [str(html_text(p(f"weekday.{k}"))) for k in range(7)]
    said = _Said(p, names)
    out = []
    for week in month.weeks:
        out.append("      <tr>\n")
        for d in week:
            cls = "pb-calendar__day"
            if not d.in_month:
                cls += " pb-calendar__day--out"
            if d.today:
                cls += " pb-calendar__day--today"
            out.append(
                f'        <td class="{cls}" data-date="{d.day.isoformat()}">\n'
                f'          <span class="pb-calendar__num">{d.day.day} '
                f'<span class="pb-calendar__wd">{weekday[d.day.weekday()]}</span></span>\n'
            )
            if d.items and d.in_month:
                out.append('<ul class="pb-calendar__items">\n')
                out.extend([_item(item, said, url_for) for item in d.items])
                out.append("          </ul>")
            out.append("        </td>\n")
        out.append("      </tr>\n")
    return Markup("".join(out))


def cadence_cells(rows: Sequence[CadenceRow], p: PlanningLabels) -> list[Markup]:
    """Per cadence row, its ``<li>`` cells (one per week or month)."""
    # A status's escaped name and word, and a count's note, once per table, not per cell.
    said: dict[str, tuple[str, str]] = {}
    notes: dict[int, str] = {}
    out = []
    for row in rows:
        week = row.cadence.per == "week"
        cells = []
        for cell in row.cells:
            found = said.get(cell.status)
            if found is None:
                word = str(html_text(p("cadence.cell." + cell.status)))
                found = said[cell.status] = (str(html_text(cell.status)), word)
            status, word = found
            start, end = cell.window.start.isoformat(), cell.window.end.isoformat()
            when = html_text(p("cadence.week", date=start[5:])) if week else start[:7]
            planned = ""
            if cell.planned:
                planned = notes.get(cell.planned, "")
                if not planned:
                    note = html_text(p("cadence.planned", n=cell.planned))
                    planned = notes[cell.planned] = f"<small>{note}</small>"
            # the window's key is its first day (ISO): nothing to escape in it
            cells.append(
                f'        <li class="pb-cadence__cell pb-cadence--{status}" '
                f'data-window="{start}" title="{start} – {end}: {word}">\n'
                f"          <small>{when}</small>\n"
                f"          <strong>{html_text(cell.published)}</strong>\n"
                f'          <span class="pb-chip pb-cadence-chip--{status}">{word}</span>\n'
                f"{planned}        </li>\n"
            )
        out.append(Markup("".join(cells)))
    return out


def quality_rows(
    findings: Sequence[tuple[str, Diagnostic]],
    rules: Mapping[str, Any],
    p: PlanningLabels,
    said: Callable[[str], str],
) -> Markup:
    """The plan-quality table's rows: per finding, where, what and which rule."""
    # A plan repeats a few rules many times: each rule's and severity's markup once.
    heads: dict[tuple[str, str], tuple[str, str]] = {}
    out = []
    for where, d in findings:
        key = (d.rule, d.severity.value)
        if key not in heads:
            rule = rules.get(d.rule)
            code = html_text(d.rule)
            severity = html_text(d.severity.value)
            letter = title = ""
            if rule:
                word = html_text(p("quality.letter." + str(rule.letter)))
                letter = (
                    f'<br><span class="pb-chip pb-quality__letter" title="{word}">'
                    f"{html_text(rule.letter)} · {word}</span>"
                )
                title = f' title="{html_text(rule.summary_in(p.language))}"'
            heads[key] = (
                f'    <tr data-rule="{code}" data-severity="{severity}">\n      <td><strong>',
                f"</strong>{letter}</td>\n",
                f"</td>\n      <td><code{title}>{code}</code><br>"
                f'<span class="pb-chip pb-severity--{severity}">'
                f"{html_text(p('severity.' + str(d.severity.value)))}</span></td>\n    </tr>\n",
            )
        head, mid, tail = heads[key]
        out.append(f"{head}{html_text(where)}{mid}      <td>{html_text(said(d.message))}{tail}")
    return Markup("".join(out))
