"""The budget table's rows as escaped HTML, built in Python.

Each allocation row of ``sections/budget_table.html`` costs about two hundred template
calls through jinja; the template keeps the section (figures, header, total row) and
gets these rows and the column formats ready-made. It still gets the budget itself, so
a site's own template can draw the rows. Every value is escaped here, as autoescaping
would.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ..format import Column, Formatter, html_text


@dataclass
class BudgetCells:
    """The budget table's column formats (one money unit per column) and its rows."""

    planned: Column
    spent: Column
    left: Column
    roas: Column
    cac: Column
    rows: Markup


def budget_cells(
    b: Any, fmt: Formatter, t: Callable[..., str], names: Mapping[str, str]
) -> BudgetCells:
    """Column formats and ``<tr>`` rows of budget ``b`` (an evaluated plan budget)."""
    rows = b.rows
    planned = fmt.column([r.planned for r in rows] + [r.cap for r in rows] + [b.total], "currency")
    spent = fmt.column([r.spent for r in rows] + [b.spent], "currency")
    left = fmt.column([r.remaining for r in rows] + [b.remaining], "currency")
    roas = fmt.column([r.returns.get("roas") for r in rows], "decimal")
    cac = fmt.column([r.returns.get("cac") for r in rows], "currency")
    chips = {
        key: f'<span class="pb-chip pb-status--{status}">{html_text(t(key))}</span>'
        for key, status in (
            ("budget.over_cap", "off_track"),
            ("budget.over_pace", "at_risk"),
            ("budget.manual", "no_data"),
            ("budget.no_data", "no_data"),
        )
    }
    mark = (
        ""
        if b.elapsed is None
        else f'<span class="pb-bar__mark" style="left: {b.elapsed * 100:.1f}%"></span>'
    )
    out = []
    for r in rows:
        over_pace = b.over_pace(r)
        flag = ' class="pb-row--flag"' if r.over_cap or over_pace else ""
        label = names.get(r.item, r.item) if r.label == r.item else r.label
        tags = "".join(
            (
                chips["budget.over_cap"] if r.over_cap else "",
                chips["budget.over_pace"] if over_pace else "",
                chips["budget.manual"] if r.source == "manual" else "",
                chips["budget.no_data"] if r.source is None else "",
            )
        )
        cap = (
            ""
            if r.cap is None
            else f'<br><small class="pb-note">{html_text(fmt.cell(r.cap, planned))}</small>'
        )
        if r.used is not None:
            used = html_text(fmt.percent(r.used))
            fill = "pb-status--off_track" if r.over_cap or over_pace else "pb-status--on_track"
            bar = (
                f'        <span class="pb-bar" role="img" aria-label="{used}">'
                f'<span class="pb-bar__fill {fill}" style="width: {min(r.used * 100, 100):.1f}%">'
                f"</span>\n{mark}</span>\n        <small>{used}</small>"
            )
        else:
            bar = "—"
        ret = r.returns
        small = (
            f'<br><small class="pb-note">{html_text(fmt.cell(ret.get("roas"), roas))} · '
            f"{html_text(fmt.cell(ret.get('cac'), cac))}</small>"
            if ret.get("roas") is not None or ret.get("cac") is not None
            else ""
        )
        out.append(
            f'    <tr data-item="{html_text(r.item)}"{flag}>\n'
            f'      <td class="pb-item">{html_text(label)}<br><small class="pb-note">'
            f"{html_text(fmt.percent(r.share))}</small>\n{tags}</td>\n"
            f'      <td class="pb-num" title="{html_text(fmt.money_exact(r.planned))}">'
            f"{html_text(fmt.cell(r.planned, planned))}{cap}</td>\n"
            f'      <td class="pb-num" title="{html_text(fmt.money_exact(r.spent))}">'
            f"{html_text(fmt.cell(r.spent, spent))}</td>\n"
            f"      <td>{bar}</td>\n"
            f'      <td class="pb-num pb-more">{html_text(fmt.cell(r.remaining, left))}</td>\n'
            f'      <td class="pb-num">{html_text(fmt.percent(ret.get("roi")))}{small}</td>\n'
            "    </tr>\n"
        )
    return BudgetCells(planned, spent, left, roas, cac, Markup("".join(out)))
