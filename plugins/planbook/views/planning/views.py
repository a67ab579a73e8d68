"""Render the planning sections (``{{ plan_quality() }}``, ``{{ content_calendar() }}``,
``{{ cadence_table() }}``), the cadence part of a report, and the content diagnostics
of copy pages and plan pages."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from ...diagnostics import Diagnostic, Severity
from ...frontmatter import format_path
from ...messages import msg, say
from ...metrics.content.items import (
    MAX_MONTHS,
    DayItems,
    add_months,
    by_day,
    cadence_rows,
    month_grid,
    month_of,
    only_channels,
    overdue_diagnostic,
    page_items,
    post_day_items,
    week_of,
    windows,
)
from ...metrics.content.spec import Publish
from ...metrics.lint import RULES
from ..render_env import render as render_part
from .labels import PlanningLabels
from .rows import cadence_cells, month_body
from .rows import quality_rows as quality_table_rows
from .sections_html import write_cadence_table, write_content_calendar, write_plan_quality

if TYPE_CHECKING:
    from ...metrics.evaluation import PlanView
    from ...project import Page, Project
    from ..render import Renderer

UrlFor = Callable[[str], str]
SHORTCODES = ("plan_quality", "cadence_table", "content_calendar")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def defined(view: PlanView) -> list[str]:
    """The planning sections a plan has content for (appended when not placed)."""
    out = []
    if view.quality:
        out.append("plan_quality")
    if view.plan.content is not None and view.plan.content.cadence:
        out.append("cadence_table")
    if view.plan.content is not None:
        out.append("content_calendar")
    return out


# --------------------------------------------------------------------------- items


def publish_of(project: Project, page: Page) -> tuple[Publish | None, list[Diagnostic]]:
    """A page's validated ``publish:`` mapping, once per build."""
    from ...metrics.content.items import publish_of as read

    key = ("publish", page.src_uri, page.digest)
    if key not in project.memo:
        project.memo[key] = read(page.front.data, file=page.file, locations=page.front.locations)
    return project.memo[key]  # type: ignore[return-value]


def plan_items(project: Project, view: PlanView) -> tuple[DayItems, list[Diagnostic]]:
    """The content items of a plan (copy pages and post lists), once per build."""
    key = ("content-items", view.page.src_uri, view.page.digest)
    if key not in project.memo:
        plan = view.plan
        today = judged_at(view)
        pages = []
        for src_uri in sorted(project.published):
            page = project.published[src_uri]
            publish, _ = publish_of(project, page)
            if publish is not None:
                pages.append((src_uri, page.file, publish, page.title))
        items = page_items(pages, plan, today)
        diags: list[Diagnostic] = []
        posts: DayItems | None = None
        if plan.content is not None:
            posts, diags = post_day_items(
                project.store,
                plan.content,
                plan,
                file=view.page.file,
                locations=view.page.front.locations,
                today=today,
            )
        # Posts alone (no copy page names the plan): the ordered items its post list's
        # plans share; else copy pages and posts ordered together.
        ordered = posts if posts is not None and not items else by_day([*items, *(posts or ())])
        project.memo[key] = (ordered, diags)
    return project.memo[key]  # type: ignore[return-value]


def cadence_summary(project: Project, view: PlanView) -> tuple[int, int] | None:
    """``(windows on target, windows closed)`` over the plan's cadence targets up to its
    as-of date (the portfolio's *content* figure); None without cadence targets."""
    content = view.plan.content
    if content is None or not content.cadence:
        return None
    items, _ = plan_items(project, view)
    today = judged_at(view)
    try:
        rows = cadence_rows(
            content,
            items,
            view.plan.period.start,
            min(view.plan.period.end, today),
            today,
            content.first_weekday,
        )
    except OverflowError:
        return None
    return sum(r.met for r in rows), sum(len(r.closed) for r in rows)


def judged_at(view: PlanView) -> date:
    """The day a plan's content is judged at: the plan's as-of date (its period's start
    when it has no data yet), so the page agrees with its KPI table."""
    return view.as_of or view.plan.period.start


def page_diagnostics(
    project: Project, src: Page, view: PlanView | None, today: date | None
) -> list[Diagnostic]:
    """A copy page's ``publish:`` errors and its overdue note; a plan's post-list errors."""
    out: list[Diagnostic] = []
    publish, diags = publish_of(project, src)
    out.extend(diags)
    if publish is not None and today is not None:
        late = overdue_diagnostic(
            publish, file=src.file, locations=src.front.locations, today=today
        )
        if late is not None:
            out.append(late)
    if view is not None and view.plan.content is not None:
        out.extend(plan_items(project, view)[1])
        known = {c.channel for c in view.plan.content.cadence}
        for i, theme in enumerate(view.plan.content.themes):
            for ch in theme.channels:
                if known and ch not in known:
                    path = ("plan", "content", "themes", i, "channels")
                    out.append(
                        Diagnostic(
                            src.file,
                            src.front.locations.line(path),
                            format_path(path),
                            "content/unknown-channel",
                            Severity.WARNING,
                            msg(
                                "content/unknown-channel",
                                channel=ch,
                                known=", ".join(sorted(known)),
                            ),
                        )
                    )
    return out


# --------------------------------------------------------------------------- sections


def render(
    project: Project,
    renderer: Renderer,
    name: str,
    view: PlanView,
    kwargs: dict[str, Any],
    url_for: UrlFor,
) -> tuple[str, str | None]:
    """``(html, problem)`` of one planning section."""
    try:
        return _render(project, renderer, name, view, kwargs, url_for)
    except OverflowError:
        return "", msg("content.calendar-overflow", name=name)


def _render(
    project: Project,
    renderer: Renderer,
    name: str,
    view: PlanView,
    kwargs: dict[str, Any],
    url_for: UrlFor,
) -> tuple[str, str | None]:
    labels = PlanningLabels(renderer.language)
    fmt = renderer.formatter(view.plan.currency)
    env = renderer.env
    common = {"view": view, "p": labels, "t": renderer.labels, "fmt": fmt, "url_for": url_for}
    if name == "plan_quality":
        findings = quality_rows(view)

        def said(m: str) -> str:  # the finding in the page's language
            return say(m, renderer.language)

        context = {
            "findings": findings,
            "rules": RULES,
            "said": said,
            "rows_html": quality_table_rows(findings, RULES, labels, said),
        }
        return render_part(
            env, "sections/plan_quality.html", write_plan_quality, {**context, **common}
        ), None
    content = view.plan.content
    if content is None:
        return "", msg("content.needs-content", name=name)
    items, _ = plan_items(project, view)
    today = judged_at(view)
    channels = kwargs.get("channels")
    if channels:
        items = only_channels(items, channels)  # keeps the day and channel index
    if name == "cadence_table":
        periods = kwargs.get("periods", 6)
        rows = cadence_rows(
            content,
            items,
            view.plan.period.start,
            min(view.plan.period.end, today),
            today,
            content.first_weekday,
            channels,
            last=periods,  # the table shows the last `periods` weeks or months
        )
        context = {"rows": rows, "today": today, "cells_html": cadence_cells(rows, labels)}
        return render_part(
            env, "sections/cadence_table.html", write_cadence_table, {**context, **common}
        ), None
    start = kwargs.get("start")
    if start is not None:
        m = _MONTH.match(start)
        if not m or not 1 <= int(m.group(2)) <= 12 or int(m.group(1)) < 1:
            return "", msg("content.calendar-start", got=start[:40])
        first = date(int(m.group(1)), int(m.group(2)), 1)
    else:
        anchor = min(max(today, view.plan.period.start), view.plan.period.end)
        first = month_of(anchor).start
    count = kwargs.get("months", 1)
    months = [
        month_grid(add_months(first, k), items, today, content.first_weekday, content.themes)
        for k in range(min(count, MAX_MONTHS))
    ]
    weekdays = [(content.first_weekday + k) % 7 for k in range(7)]
    # the channels with items: the index's (a plain list: read from the items)
    used = sorted(items.channels if isinstance(items, DayItems) else {i.channel for i in items})
    context = {
        "months": months,
        "weekdays": weekdays,
        "channels": used,
        "weekday_names": [labels(f"weekday.{k}") for k in range(7)],  # looked up once
        "month_bodies": [month_body(m, labels, view.value_labels, url_for) for m in months],
    }
    return render_part(
        env, "sections/content_calendar.html", write_content_calendar, {**context, **common}
    ), None


def quality_rows(view: PlanView) -> list[tuple[str, Diagnostic]]:
    """The plan's findings with the goal (or milestone) each is about."""
    names: dict[str, str] = {}
    for i, g in enumerate(view.plan.goals):
        names[format_path(("plan", "goals", i))] = g.id
    for p, phase in enumerate(view.plan.phases):
        for j, pg in enumerate(phase.goals):
            names[format_path(("plan", "phases", p, "goals", j))] = f"{phase.name} · {pg.id}"
        for m, ms in enumerate(phase.milestones):
            names[format_path(("plan", "phases", p, "milestones", m))] = f"{phase.name} · {ms.name}"
    longest_first = sorted(names.items(), key=lambda kv: -len(kv[0]))  # once, not per finding
    out = []
    for d in view.quality:
        field = d.field or ""
        where = next(
            (
                name
                for prefix, name in longest_first
                if field == prefix or field.startswith(prefix + ".")
            ),
            field,
        )
        out.append((where, d))
    return out


def report_cadence(
    project: Project, renderer: Renderer, view: PlanView, start: date, end: date
) -> str:
    """The report's cadence: each cadence target over the weeks or months of the report
    period, judged as closed at the period's end."""
    content = view.plan.content
    if content is None or not content.cadence:
        return ""
    items, _ = plan_items(project, view)
    try:
        # The week that straddles the period's end is judged once it is over too (as far
        # as the plan's data reaches), so every week of the report gets its verdict.
        last = max(end, week_of(end, content.first_weekday).end)
        today = min(last, max(view.as_of or end, end)) + timedelta(days=1)
        rows = cadence_rows(content, items, start, end, today, content.first_weekday)
    except OverflowError:
        return ""
    for row in rows:
        # a week that starts in the period belongs to its report
        row.cells = [c for c in row.cells if start <= c.window.start <= end]
    labels = PlanningLabels(renderer.language)
    context = {
        "rows": rows,
        "today": today,
        "cells_html": cadence_cells(rows, labels),
        "view": view,
        "p": labels,
        "t": renderer.labels,
        "fmt": renderer.formatter(view.plan.currency),
        "url_for": lambda u: u,
        "caption": labels("cadence.report"),
    }
    return render_part(renderer.env, "sections/cadence_table.html", write_cadence_table, context)


__all__ = ["SHORTCODES", "defined", "page_diagnostics", "render", "report_cadence", "windows"]
