"""Evaluated plans -> HTML fragments, through jinja2 templates (autoescaped)."""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..diagnostics import Diagnostic, Severity
from ..format import Column, Formatter, html_text
from ..i18n import Labels
from ..messages import msg, text
from ..metrics.breakdown import CHANNEL_KPIS, CHANNEL_MEASURES
from ..metrics.evaluation import PlanView
from ..metrics.kpis import STATUS_RANK
from ..metrics.targets import phase_target
from ..model import Persona, Risk, window_days
from .budget_rows import budget_cells
from .exports import EXPORTS, export_name
from .render_env import environment, overridden
from .render_env import render as render_part
from .report_html import write_report
from .section_rows import channel_rows, goal_rows, report_kpi_rows
from .sections_html import TEMPLATES as SECTION_WRITERS
from .sections_html import write_persona_card, write_plan_summary
from .tables_html import FIRST_COLUMNS
from .tables_html import TEMPLATES as TABLE_WRITERS

UrlFor = Callable[[str], str]

# Rows the channel table lists, the most spend first: 100,000 channel values made a 70 MB
# page (outside test, stop 30); the total row and the CSV download keep every value.
CHANNEL_ROWS = 100

# The channel table's default columns (all of them: `{{ channel_table(kpis=[...]) }}`).
CHANNEL_TABLE_COLUMNS = (
    "spend",
    "clicks",
    "conversions",
    "revenue",
    "ctr",
    "cpc",
    "cvr",
    "cpa",
    "roi",
)


@dataclass(frozen=True)
class SectionSpec:
    """A section's shortcode: allowed keyword arguments and what it needs from a plan."""

    template: str
    kwargs: frozenset[str]


# Sections written in Python (the shipped templates' markup) unless a site overrides one
# of their templates.
WRITTEN = {**SECTION_WRITERS, **TABLE_WRITERS}

SECTIONS: dict[str, SectionSpec] = {
    "kpi_table": SectionSpec("sections/kpi_table.html", frozenset({"goals"})),
    "channel_table": SectionSpec("sections/channel_table.html", frozenset({"kpis"})),
    "budget_table": SectionSpec("sections/budget_table.html", frozenset()),
    "personas": SectionSpec("sections/personas.html", frozenset({"ids"})),
    "phases": SectionSpec("sections/phases.html", frozenset()),
    "team": SectionSpec("sections/team.html", frozenset()),
    "risks": SectionSpec("sections/risks.html", frozenset({"min_score"})),
    "reports": SectionSpec("sections/reports.html", frozenset()),
}


@dataclass
class ChannelCells:
    """A channel table's number cells, formatted once in Python (``<td>`` per KPI
    column, one column format each): the templates' hottest loop, ready-made."""

    cols: dict[str, Column]
    rows: list[Markup]  # per breakdown row, its KPI cells
    total: Markup  # the total row's KPI cells (``*`` where the total counts fewer rows)


# Channel cells by what they are drawn from (formatter, columns, values): plans over the
# same sources and period show the same channel table, each with its own copy of the
# breakdown (breakdown.breakdown). Bounded: least recent out.
_CELLS: dict[tuple, tuple[Formatter, ChannelCells]] = {}
_CELLS_KEEP = 64
_PLAIN = frozenset({float, type(None)})


def channel_cells(b: Any, columns: Sequence[Any], fmt: Formatter) -> ChannelCells:
    """The KPI cells of breakdown ``b`` for ``columns``, as the channel tables show them
    (once per formatter, columns and values: a breakdown's values are floats or None)."""
    rows = [*b.rows, *([b.total] if b.total else [])]
    ids = tuple(k.id for k in columns)
    values = tuple(tuple(r.values.get(i) for i in ids) for r in rows)
    if not _PLAIN.issuperset(type(v) for vs in values for v in vs):
        return _channel_cells(b, columns, fmt, rows)  # other values: not kept
    partial = tuple(i in b.partial for i in ids) if b.total else ()
    key = (id(fmt), ids, tuple(k.format for k in columns), values, bool(b.total), partial)
    found = _CELLS.pop(key, None)
    if found is None or found[0] is not fmt:
        found = (fmt, _channel_cells(b, columns, fmt, rows))
    _CELLS[key] = found  # most recent last
    while len(_CELLS) > _CELLS_KEEP:
        del _CELLS[next(iter(_CELLS))]
    return found[1]


def _channel_cells(b: Any, columns: Sequence[Any], fmt: Formatter, rows: list[Any]) -> ChannelCells:
    cols = {k.id: fmt.column([r.values.get(k.id) for r in rows], k.format) for k in columns}
    classes = [
        (k.id, "pb-num" if k.id in FIRST_COLUMNS else "pb-num pb-more", cols[k.id]) for k in columns
    ]

    def cells(values: Any, partial: Any = ()) -> Markup:
        return Markup(
            "".join(
                f'<td class="{cls}">{html_text(fmt.cell(values.get(kid), col))}'
                f"{'*' if kid in partial else ''}</td>"
                for kid, cls, col in classes
            )
        )

    total = cells(b.total.values, b.partial) if b.total else Markup("")
    return ChannelCells(cols, [cells(r.values) for r in b.rows], total)


def risk_level(risk: Risk) -> str:
    score = risk.likelihood * risk.impact
    if score >= 15:
        return "high"
    if score >= 8:
        return "medium"
    return "low"


def defined_sections(view: PlanView) -> list[str]:
    """The sections a plan has content for (used to append the ones not placed)."""
    plan = view.plan
    have = {
        "kpi_table": bool(plan.goals),
        "channel_table": view.channels is not None,
        "budget_table": plan.budget is not None,
        "phases": bool(plan.phases),
        "personas": bool(plan.personas),
        "team": bool(plan.team),
        "risks": bool(plan.risks),
        "reports": plan.reports is not None,
    }
    return [name for name, ok in have.items() if ok]


class Renderer:
    """Renders sections for one language with a site's template overrides."""

    def __init__(
        self, language: str, custom_dir: Path | None = None, env: jinja2.Environment | None = None
    ) -> None:
        self.env = env or environment(custom_dir)
        self.labels = Labels(language)
        self.language = self.labels.language
        self._formatters: dict[str, Formatter] = {}
        self._others: dict[str, Renderer] = {self.language: self}

    def for_language(self, language: str | None) -> Renderer:
        """The renderer for another language (a plan written in English on a Chinese site),
        sharing this one's templates."""
        if not language:
            return self
        if language not in self._others:
            self._others[language] = Renderer(language, env=self.env)
        return self._others[language]

    def formatter(self, currency: str = "CNY") -> Formatter:
        if currency not in self._formatters:
            self._formatters[currency] = Formatter(self.language, currency)
        return self._formatters[currency]

    def check_arguments(self, name: str, args: Sequence[Any], kwargs: dict[str, Any]) -> str | None:
        """A message when a section shortcode gets arguments it does not take."""
        spec = SECTIONS[name]
        if args:
            return msg("section.positional", name=name, got=len(args))
        unknown = sorted(set(kwargs) - spec.kwargs)
        if unknown:
            allowed = ", ".join(sorted(spec.kwargs)) or msg("none")
            return msg("section.unknown-argument", name=name, unknown=unknown, allowed=allowed)
        return None

    def check_ids(self, name: str, view: PlanView, kwargs: dict[str, Any]) -> str | None:
        """A message when a section's list of ids (``kpi_table(goals=…)``,
        ``channel_table(kpis=…)``, ``personas(ids=…)``) names one the plan does not have:
        a typo would otherwise empty the section without a word."""
        arg, known = {
            "kpi_table": ("goals", lambda: [g.goal.id for g in view.goals]),
            "channel_table": ("kpis", lambda: [*CHANNEL_MEASURES, *CHANNEL_KPIS]),
            "personas": ("ids", lambda: [p[1] for p in view.personas]),
        }.get(name, (None, list))
        wanted = kwargs.get(arg) if arg else None
        if not wanted:
            return None
        have = known()
        unknown = next((i for i in _ids(wanted) if i not in have), None)
        if unknown is None:
            return None
        close = difflib.get_close_matches(unknown.lower(), have, n=1)
        return msg(
            "section.unknown-id",
            name=name,
            arg=arg,
            id=unknown[:60],
            hint=msg("hint.close", close=close[0]) if close else "",
            known=", ".join(have[:12]) + (" …" if len(have) > 12 else "") or msg("none"),
        )

    def section(self, name: str, view: PlanView, kwargs: dict[str, Any], url_for: UrlFor) -> str:
        spec = SECTIONS[name]
        fmt = self.formatter(view.plan.currency)
        context: dict[str, Any] = {
            "view": view,
            "plan": view.plan,
            "t": self.labels,
            "fmt": fmt,
            "kw": kwargs,
            "url_for": url_for,
            "language": self.language,
            "export": export_name(view, name) if name in EXPORTS else None,
            "window_days": window_days,
            "phase_target": phase_target,
        }
        if name == "kpi_table":
            wanted = _ids(kwargs.get("goals"))
            context["goals"] = [g for g in view.goals if not wanted or g.goal.id in wanted]
            context["rows_html"] = goal_rows(
                context["goals"], fmt, self.labels, self.language, view.value_labels
            )
        elif name == "channel_table":
            wanted = _ids(kwargs.get("kpis")) or CHANNEL_TABLE_COLUMNS
            columns = view.channels.columns if view.channels is not None else ()
            context["columns"] = [k for k in columns if k.id in wanted]
            shown, context["hidden_rows"] = _listed(view.channels)
            if shown is not None:
                context["cells"] = cells = channel_cells(shown, context["columns"], fmt)
                context["rows_html"] = channel_rows(
                    shown, cells, fmt, view.value_labels, table=True
                )
        elif name == "budget_table" and view.budget is not None:
            context["cells"] = budget_cells(view.budget, fmt, self.labels, view.value_labels)
        elif name == "risks":
            min_score = kwargs.get("min_score", 0)
            risks = [r for r in view.plan.risks if r.likelihood * r.impact >= min_score]
            context["risks"] = sorted(risks, key=lambda r: (-r.likelihood * r.impact, r.id))
            context["risk_level"] = risk_level
        elif name == "personas":
            ids = _ids(kwargs.get("ids"))
            context["personas"] = [p for p in view.personas if not ids or p[1] in ids]
        elif name == "phases":
            context["as_of"] = view.as_of
            context["phase_goals"] = view.phase_goals
        elif name == "reports":
            from ..metrics.reports import report_pages

            context["reports"] = [
                (url_for(uri), period.label(self.language)) for uri, period in report_pages(view)
            ]
        written = WRITTEN.get(name)
        if written and not any(overridden(self.env, n) for n in written[1]):
            return written[0](**context)  # the templates' markup, written in Python
        return self.env.get_template(spec.template).render(**context)

    def persona_card(self, persona: Persona, url: str | None = None) -> str:
        return render_part(
            self.env,
            "sections/persona_card.html",
            write_persona_card,
            {"persona": persona, "url": url, "t": self.labels},
        )

    def errors(self, diagnostics: Sequence[Diagnostic]) -> str:
        """An admonition listing a page's errors and warnings (shown instead of crashing)."""
        shown = [d for d in diagnostics if d.severity is not Severity.INFO]
        if not shown:
            return ""
        return self.env.get_template("errors.html").render(
            diagnostics=shown, t=self.labels, say=self.say
        )

    def say(self, d: Diagnostic) -> str:
        """A diagnostic's message in this renderer's language (``messages.text``)."""
        return text(d, self.language)

    def serve_banner(self, diagnostics: Sequence[Diagnostic], links: dict[str, str | None]) -> str:
        """`mkdocs serve`: the site's errors and warnings, at the top of every page."""
        shown = [d for d in diagnostics if d.severity is not Severity.INFO]
        if not shown:
            return ""
        errors = sum(d.severity is Severity.ERROR for d in shown)
        return self.env.get_template("serve_banner.html").render(
            diagnostics=shown[:20],
            more=max(0, len(shown) - 20),
            errors=errors,
            warnings=len(shown) - errors,
            links=links,
            t=self.labels,
            say=self.say,
        )

    def portfolio(
        self, rows: Sequence[Any], totals: Sequence[Any], url_for: UrlFor, initial: dict[str, Any]
    ) -> str:
        owners = sorted({r.plan.owner for r in rows if r.plan.owner})
        statuses = [
            s
            for s in ("draft", "review", "approved", "active", "closed")
            if any(r.plan.status == s for r in rows)
        ]
        return self.env.get_template("sections/portfolio.html").render(
            rows=rows,
            totals=totals,
            url_for=url_for,
            t=self.labels,
            language=self.language,
            fmt=self.formatter,
            owners=owners,
            statuses=statuses,
            initial=initial,
            goal_statuses=("achieved", "on_track", "at_risk", "off_track"),
        )

    def report(self, report: Any) -> str:
        fmt = self.formatter(report.view.plan.currency)
        b = report.channels
        shown, hidden = _listed(b)  # as the plan's channel table
        cells = channel_cells(shown, b.columns, fmt) if b and b.rows else None
        context = {
            "report": report,
            "t": self.labels,
            "fmt": fmt,
            "language": self.language,
            "cells": cells,
            "hidden_rows": hidden,
            "channel_rows": (
                channel_rows(shown, cells, fmt, report.view.value_labels, table=False)
                if cells
                else None
            ),
            "kpi_rows": report_kpi_rows(report, fmt, self.labels),
        }
        return render_part(self.env, "sections/report.html", write_report, context)

    def plan_summary(self, view: PlanView) -> str:
        context = {
            "view": view,
            "plan": view.plan,
            "t": self.labels,
            "fmt": self.formatter(view.plan.currency),
            "status_rank": STATUS_RANK,
        }
        return render_part(self.env, "sections/plan_summary.html", write_plan_summary, context)


def _ids(value: Any) -> tuple[str, ...]:
    """A section's list of ids as given: one id written alone is that id (never matched
    as a substring of it)."""
    if not value:
        return ()
    return (str(value),) if isinstance(value, str) else tuple(str(v) for v in value)


def _listed(b: Any) -> tuple[Any, int]:
    """A breakdown with its first :data:`CHANNEL_ROWS` rows (the most spend first) and
    how many it leaves out; the total still counts every value."""
    if b is None or len(b.rows) <= CHANNEL_ROWS:
        return b, 0
    return dataclasses.replace(b, rows=b.rows[:CHANNEL_ROWS]), len(b.rows) - CHANNEL_ROWS
