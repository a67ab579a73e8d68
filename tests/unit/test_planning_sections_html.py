"""The cadence table and the content calendar written in Python (issue 12): the same
bytes as their shipped templates render from the same context, hostile text kept text.
(tests/sitebuild/test_written_sections.py compares whole built sites too.)"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace as NS

import pytest
from bs4 import BeautifulSoup
from markupsafe import Markup

from planbook.i18n import Labels
from planbook.views.planning.labels import PlanningLabels
from planbook.views.planning.sections_html import write_cadence_table, write_content_calendar
from planbook.views.render_env import environment

XSS = "<script>alert('x')</script>"


def _row(channel, per, lo, hi, label, statuses):
    cells = [NS(status=s) for s in statuses]
    closed = [c for c in cells if c.status in ("met", "short", "over")]
    return NS(
        cadence=NS(channel=channel, per=per, min=lo, max=hi, label=label),
        cells=cells,
        closed=closed,
        met=sum(c.status == "met" for c in closed),
    )


@pytest.mark.parametrize("language", ["zh", "en"])
def test_cadence_table_reads_as_the_template_renders_it(language):
    env = environment()
    template = env.get_template("sections/cadence_table.html")
    rows = [
        _row("weibo", "week", 2, 3, None, ["met", "short", "open"]),
        _row(XSS, "month", 2, None, None, ["over", "future"]),
        _row("blog", "week", 10**15, 10**15, f"{XSS}\n博客", []),
        _row("x", "month", 0, 1, "", ["met"]),
    ]
    view = NS(value_labels={"weibo": f"微博 {XSS}", XSS: "</script>&"})
    for shown, caption in ((rows, None), (rows[1:], f"报告 {XSS}"), ([], None), ([], "c")):
        context = {
            "rows": shown,
            "today": date(2026, 11, 10),
            # ready-made cells are Markup; plain text would be escaped, as jinja does
            "cells_html": [
                (Markup if i % 2 else str)(f"<li>{i}</li>\n") for i in range(len(shown))
            ],
            "view": view,
            "p": PlanningLabels(language),
            "t": Labels(language),
            "fmt": None,
            "url_for": lambda u: u,
        }
        if caption is not None:
            context["caption"] = caption
        ours = write_cadence_table(**context)
        assert ours == template.render(**context)
        assert "<script" not in ours
        if shown:
            soup = BeautifulSoup(ours, "html.parser")
            assert [tr["data-channel"] for tr in soup.select("tbody tr")] == [
                r.cadence.channel for r in shown
            ]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_content_calendar_reads_as_the_template_renders_it(language):
    env = environment()
    template = env.get_template("sections/content_calendar.html")
    months = [
        NS(first=date(2026, 10, 1), themes=[f"双11 {XSS}", "a & b"]),
        NS(first=date(2026, 11, 1), themes=[]),
        NS(first=date(9999, 12, 1), themes=["中文\n第二行"]),
    ]
    p = PlanningLabels(language)
    for shown in (months, months[1:2], []):
        context = {
            "months": shown,
            "weekdays": [6, 0, 1, 2, 3, 4, 5],
            "channels": ["weibo"],
            "weekday_names": [f"{p(f'weekday.{k}')}<{k}>" for k in range(7)],
            "month_bodies": [
                (Markup if i % 2 else str)(f"      <tr><td>{i}</td></tr>\n")
                for i in range(len(shown))
            ],
            "view": NS(),
            "p": p,
            "t": Labels(language),
            "fmt": None,
            "url_for": lambda u: u,
        }
        ours = write_content_calendar(**context)
        assert ours == template.render(**context)
        assert "<script" not in ours and "<6>" not in ours


@pytest.mark.parametrize("language", ["zh", "en"])
def test_plan_quality_reads_as_the_template_renders_it(language):
    from planbook.views.planning.sections_html import write_plan_quality

    template = environment().get_template("sections/plan_quality.html")
    for findings, rows in (
        ([("g", 1), (XSS, 2)], Markup(f"<tr><td>{escape_text(XSS)}</td></tr>\n")),
        ([("g", 1)], f"<tr>{XSS}</tr>\n"),  # plain text is escaped, as jinja does
        ([], ""),
    ):
        for goals in ([], [1, 2, 3]):
            context = {
                "findings": findings,
                "rules": {},
                "said": str,
                "rows_html": rows,
                "view": NS(goals=goals),
                "p": PlanningLabels(language),
                "t": Labels(language),
                "fmt": None,
                "url_for": str,
            }
            ours = write_plan_quality(**context)
            assert ours == template.render(**context)
            assert "<script" not in ours


def escape_text(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


@pytest.mark.parametrize("language", ["zh", "en"])
def test_plan_quality_rows_read_as_the_template_loop_wrote_them(language):
    """The ready-made rows (each rule's markup written once per table) against the
    template that drew them from the findings (tests/unit/fixtures/loop_templates)."""
    from pathlib import Path

    from planbook.diagnostics import Diagnostic, Severity
    from planbook.messages import say
    from planbook.metrics.lint import RULES
    from planbook.views.planning.rows import quality_rows
    from planbook.views.planning.sections_html import write_plan_quality

    loops = Path(__file__).parent / "fixtures" / "loop_templates"
    template = environment(loops).get_template("sections/plan_quality.html")
    ids = [*list(RULES)[:4], "nowhere/<rule>", XSS]
    findings = [
        (
            (f"goal-{i} {XSS}", "", "预热期 · g\n2")[i % 3],
            Diagnostic(
                "docs/p.md",
                i,
                None,
                ids[i % len(ids)],
                (Severity.WARNING, Severity.ERROR, Severity.INFO)[i % 3],
                (f"message {i} {XSS}", "goal 'g' has no owner", "")[i % 3],
            ),
        )
        for i in range(20)
    ]
    p = PlanningLabels(language)

    def said(m: str) -> str:
        return say(m, language)

    context = {
        "findings": findings,
        "rules": RULES,
        "said": said,
        "rows_html": quality_rows(findings, RULES, p, said),
        "view": NS(goals=[]),
        "p": p,
        "t": Labels(language),
        "fmt": None,
        "url_for": str,
    }
    ours = write_plan_quality(**context)
    assert ours == template.render(**context)
    soup = BeautifulSoup(ours, "html.parser")
    assert len(soup.select("tbody tr")) == 20 and not soup.select("script")
    assert soup.select("tbody tr")[5]["data-rule"] == XSS


def _cells_one_by_one(rows, p):
    """cadence_cells as it was written before (every value escaped per cell)."""
    from markupsafe import escape

    out = []
    for row in rows:
        week = row.cadence.per == "week"
        cells = []
        for cell in row.cells:
            word = escape(p("cadence.cell." + cell.status))
            status = escape(cell.status)
            start, end = cell.window.start.isoformat(), cell.window.end.isoformat()
            when = escape(p("cadence.week", date=start[5:])) if week else start[:7]
            planned = (
                f"<small>{escape(p('cadence.planned', n=cell.planned))}</small>"
                if cell.planned
                else ""
            )
            cells.append(
                f'        <li class="pb-cadence__cell pb-cadence--{status}" '
                f'data-window="{escape(cell.window.key)}" title="{start} – {end}: {word}">\n'
                f"          <small>{when}</small>\n"
                f"          <strong>{escape(cell.published)}</strong>\n"
                f'          <span class="pb-chip pb-cadence-chip--{status}">{word}</span>\n'
                f"{planned}        </li>\n"
            )
        out.append("".join(cells))
    return out


@pytest.mark.parametrize("language", ["zh", "en"])
def test_cadence_cells_read_as_when_each_value_was_escaped_per_cell(language):
    """The cells' words and notes are made once per table (issue 12): the same markup."""
    from datetime import timedelta

    from planbook.metrics.content.items import CadenceCell, Window
    from planbook.views.planning.rows import cadence_cells

    statuses = ["met", "short", "over", "open", "future"]
    rows = []
    for per in ("week", "month", "week"):
        cells = []
        for k in range(12):
            start = date(2026, 9, 7) + timedelta(days=7 * k)
            window = Window(start, start + timedelta(days=6))
            cells.append(CadenceCell(window, k % 4, [0, 1, 2, 10**6][k % 4], statuses[k % 5]))
        rows.append(NS(cadence=NS(per=per), cells=cells))
    rows.append(NS(cadence=NS(per="month"), cells=[]))
    p = PlanningLabels(language)
    assert [str(c) for c in cadence_cells(rows, p)] == _cells_one_by_one(rows, p)
