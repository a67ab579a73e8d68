"""The goals table's rows, the report's KPI rows and the channel rows, as escaped HTML
built in Python.

A goal row of ``sections/kpi_table.html`` cost about a hundred template calls through
jinja (a 200-plan site draws a thousand of them), a report's KPI row about sixty. The
templates keep the sections' structure (header, captions, export link) and get these
rows ready-made (``rows_html`` in ``sections/kpi_table.html`` and
``sections/channel_table.html``, ``kpi_rows`` and ``channel_rows`` in
``sections/report.html``); they still get the goals, the breakdown and the report, so a
site's own template can draw the rows itself. Every value is escaped here, as
autoescaping would; the markup is the one the templates' loops wrote, byte for byte
(``tests/unit/test_section_rows.py`` renders both)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ..format import html_text
from ..metrics.targets import phase_target
from ..model import window_days
from .sparkline import sparkline

if TYPE_CHECKING:
    from ..format import Formatter
    from ..metrics.kpis import GoalResult


def _note(
    g: GoalResult,
    t: Callable[..., str],
    language: str,
    fmt: Formatter,
    names: Mapping[str, str],
) -> str:
    """The small line under a goal's statement: KPI, aggregate, window, filter, owner."""
    goal = g.goal
    colon = "：" if fmt.language == "zh" else ": "
    kpi = g.kpi.label(language) if g.kpi else goal.kpi
    out = [f'<span class="pb-kpi">{html_text(kpi)}</span>']
    if goal.aggregate:
        out.append(f" · {html_text(t('aggregate.' + str(goal.aggregate)))}")
    if goal.window:
        out.append(f" · {html_text(t('window', days=window_days(goal.window)))}")
    if goal.filter:
        comma = "、" if language == "zh" else ", "
        for dim, values in goal.filter.items():
            shown = comma.join(str(html_text(names.get(v, v))) for v in values)
            out.append(f" · {html_text(t('dim.' + str(dim)))}{colon}{shown}")
    if goal.owner:
        out.append(f" · {html_text(t('owner'))}{colon}{html_text(goal.owner)}")
    return "".join(out)


def _progress(g: GoalResult, t: Callable[..., str], fmt: Formatter) -> str:
    """The progress cell's bar (filled to the progress, marked at the expected progress)."""
    if g.progress is None:
        return "—"
    pct = min(max(g.progress * 100, 0), 100)
    status = html_text(g.status)
    said = html_text(fmt.percent(g.progress, 0))
    mark = ""
    if g.expected_progress is not None:
        left = f"{min(g.expected_progress * 100, 100):.1f}"
        mark = f'<span class="pb-bar__mark" style="left: {left}%"></span>'
    return (
        f'        <span class="pb-bar" role="img" aria-label="{html_text(t("progress"))} {said}">'
        f'<span class="pb-bar__fill pb-status--{status}" style="width: {pct:.1f}%">'
        f"</span>\n{mark}</span>\n"
        f"        <small>{said}</small>\n"
    )


def _forecast(g: GoalResult, fmt: Formatter, t: Callable[..., str]) -> str:
    """The forecast cell: the value at the deadline on the recent trend, or "—" and why
    when the trend fell below the least value the KPI can have (no projection then,
    :func:`planbook.metrics.kpis.bounded_forecast`)."""
    shown = html_text(fmt.value(g.forecast, g.format))
    if g.forecast is not None or g.forecast_floor is None:
        return shown
    why = t("forecast.below_floor", floor=fmt.value(g.forecast_floor, g.format))
    return f'{shown}<br><small class="pb-note pb-forecast-floor">{html_text(why)}</small>'


def goal_rows(
    goals: Sequence[GoalResult],
    fmt: Formatter,
    t: Callable[..., str],
    language: str,
    names: Mapping[str, str],
) -> Markup:
    """The ``<tr>`` rows of the goals table (``sections/kpi_table.html``): statement and
    KPI, baseline → target (and the phase target in effect), actual with its sparkline,
    progress against the expected progress, status, forecast and deadline. Search reads
    the first cell only: the others are marked ``data-search-exclude``."""
    expected = html_text(t("expected"))
    out = []
    for g in goals:
        kind = g.format
        shown = fmt.apart(g.actual, g.expected, kind)
        goal = g.goal
        gid = html_text(goal.id)
        status = html_text(g.status)
        phase = ""
        if len(g.line) > 2:
            until, value = phase_target(g.line, g.as_of or g.start)
            phase = (
                f'        <br><small class="pb-note pb-phase-target" '
                f'data-until="{html_text(until.isoformat())}">{html_text(t("phase_target"))} '
                f"{html_text(fmt.value(value, kind))} · "
                f'<span class="pb-nowrap">{html_text(fmt.date(until))}</span></small>'
            )
        out.append(
            f'    <tr id="goal-{gid}" data-goal="{gid}" data-status="{status}">\n'
            f'      <td class="pb-goal">{html_text(goal.statement)}\n'
            f'        <br><small class="pb-note">{_note(g, t, language, fmt, names)}</small></td>\n'
            f'      <td class="pb-num" data-search-exclude>'
            f"{html_text(fmt.value(goal.baseline, kind))} → "
            f"{html_text(fmt.value(goal.target, kind))}{phase}</td>\n"
            f'      <td class="pb-num" data-search-exclude><strong>{html_text(shown[0])}</strong><br>'
            f"{sparkline(g, fmt, language)}</td>\n"
            f"      <td data-search-exclude>{_progress(g, t, fmt)}"
            f'        <br><small class="pb-note">{expected} {html_text(shown[1])}</small></td>\n'
            f'      <td data-search-exclude><span class="pb-chip pb-status--{status}">'
            f"{html_text(t('status.' + str(g.status)))}</span></td>\n"
            f'      <td class="pb-num" data-search-exclude>{_forecast(g, fmt, t)}</td>\n'
            f'      <td class="pb-date pb-more" data-search-exclude>'
            f"{html_text(fmt.date(goal.deadline))}</td>\n"
            "    </tr>\n"
        )
    return Markup("".join(out))


def _delta(r: Any, fmt: Formatter) -> str:
    """A report row's change against the previous period: ▲/▼ (■ when neither is
    better), in points for a percentage KPI, else in percent (or in the KPI's unit)."""
    if r.delta is None:
        return "—"
    cls = "good" if r.good else ("bad" if r.good is not None and not r.good else "flat")
    percent = r.format == "percent"
    if r.good is None:
        if percent:
            said = f"■ {fmt.number(abs(r.delta * 100), 1)} pp"
        else:
            said = f"■ {fmt.percent(abs(r.delta_pct or 0))}"
    else:
        arrow = "▲" if r.delta > 0 else "▼"
        if percent:
            said = f"{arrow} {fmt.number(r.delta * 100, 1)} pp"
        elif r.delta_pct is not None:
            said = f"{arrow} {fmt.percent(r.delta_pct)}"
        else:
            said = f"{arrow} {fmt.value(r.delta, r.format)}"
    return f'<span class="pb-delta pb-delta--{cls}">{html_text(said)}</span>'


def report_kpi_rows(report: Any, fmt: Formatter, t: Callable[..., str]) -> Markup:
    """The ``<tr>`` rows of a report's KPI table (``sections/report.html``): value,
    previous period, change, the goal's actual and expected at the period's end (and the
    phase target then in effect), status."""
    year = report.period.end.year
    out = []
    for r in report.kpis:
        kind = r.format
        shown = fmt.apart(r.at_end.actual, r.at_end.expected, kind)
        phase = ""
        if r.phase:
            met = ""
            mark = ""
            if r.phase_met is not None:
                met = " pb-delta--good" if r.phase_met else " pb-delta--bad"
                mark = " ✔" if r.phase_met else " ✘"
            until, value = r.phase
            phase = (
                f'<br><small class="pb-phase-target{met}" '
                f'data-until="{html_text(until.isoformat())}"><span>{html_text(t("phase_target"))}'
                f"</span> <span>{html_text(fmt.value(value, kind))} ·</span> "
                f"<span>{html_text(fmt.short_date(until, year))}{mark}</span></small>"
            )
        status = r.at_end.status
        out.append(
            f'    <tr data-goal="{html_text(r.goal.id)}">\n'
            f"      <td>{html_text(r.goal.statement)}</td><td>{html_text(r.label)}</td>\n"
            f'      <td class="pb-num"><strong>{html_text(fmt.value(r.value, kind))}</strong></td>\n'
            f'      <td class="pb-num">{html_text(fmt.value(r.previous, kind))}</td>\n'
            f'      <td class="pb-num">{_delta(r, fmt)}</td>\n'
            f'      <td class="pb-num">{html_text(shown[0])}</td>\n'
            f'      <td class="pb-num">{html_text(shown[1])}{phase}</td>\n'
            f'      <td><span class="pb-chip pb-status--{html_text(status)}">'
            f"{html_text(t('status.' + str(status)))}</span></td>\n"
            "    </tr>\n"
        )
    return Markup("".join(out))


def channel_rows(
    b: Any, cells: Any, fmt: Formatter, names: Mapping[str, str], *, table: bool
) -> Markup:
    """The ``<tr>`` rows of a channel breakdown ``b``: the channel's name, its KPI cells
    (``cells``, :func:`planbook.views.render.channel_cells`) and its share of spend; one row a
    line as ``sections/channel_table.html`` writes them (``table``), else run together as
    ``sections/report.html`` does."""
    out = []
    for row, kpis in zip(b.rows, cells.rows, strict=True):
        key = html_text(row.key)
        name = html_text(names.get(row.key, row.key))
        share = html_text(fmt.percent(row.share))
        if table:
            out.append(
                f'    <tr data-channel="{key}"><td>{name}</td>\n'
                f'{kpis}    <td class="pb-num">{share}</td></tr>\n'
            )
        else:
            out.append(
                f'<tr data-channel="{key}"><td>{name}</td>{kpis}<td class="pb-num">{share}</td></tr>'
            )
    return Markup("".join(out))
