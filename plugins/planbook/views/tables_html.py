"""The goals table, the channel table and the budget table written in Python around
their ready-made rows (:mod:`planbook.views.section_rows`, :mod:`planbook.views.budget_rows`).

The rows were the templates' loops; what the templates kept (headers, totals, captions,
the export link) still cost a few hundred microseconds per table through jinja. The
shipped templates stay the reference and what a site's own copy starts from: when the
site's ``custom_templates`` has one, it renders (:data:`TEMPLATES`). Every value is
escaped here as autoescaping would, the ready-made rows too (they are ``Markup``, which
escaping keeps as it is); ``tests/unit/test_tables_html.py`` and
``tests/sitebuild/test_written_sections.py`` render both and compare them byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from markupsafe import escape

_T = Callable[..., str]

# The channel tables' columns a reader needs first; the others sit behind the switch (the
# shipped templates read it as the global ``first_columns``).
FIRST_COLUMNS = ("spend", "conversions", "revenue", "cpa", "cac", "roi", "roas")


def channel_heads(columns: Sequence[Any], t: _T, language: str) -> tuple[str, str]:
    """A channel table's switch for the columns behind it (none when every column is one
    a reader needs first) and its KPI header cells: the plan's channel table and a
    report's draw them alike."""
    more = sum(k.id not in FIRST_COLUMNS for k in columns)
    toggle = ""
    if more:
        toggle = (
            '<label class="pb-fit__more"><input type="checkbox" class="pb-fit__toggle"> '
            f"{escape(t('table.more', n=more))}</label>"
        )
    heads = "".join(
        f'<th class="pb-num{"" if k.id in FIRST_COLUMNS else " pb-more"}">'
        f"{escape(k.label(language))}</th>"
        for k in columns
    )
    return toggle, heads


def _export(export: str | None, t: _T) -> str:
    if not export:
        return ""
    return (
        f'<p class="pb-export"><a href="{escape(export)}" download>⬇ {escape(t("export"))}</a></p>'
    )


def _queries(queries: Sequence[Any], t: _T) -> str:
    """The goals table's caption naming the warehouse queries and when they ran."""
    parts = []
    for q in queries:
        if q.fetched:
            cached = f", {escape(t('cached'))}" if q.cached else ""
            when = f"{escape(t('fetched'))} {escape(q.fetched)}{cached}"
        else:
            when = str(escape(t("not_fetched")))
        parts.append(f'<span class="pb-query"><code>{escape(q.label)}</code> ({when})</span>')
    return f'<p class="pb-caption pb-queries">{escape(t("queries"))}: {"; ".join(parts)}</p>'


def write_kpi_table(
    *,
    view: Any,
    goals: Sequence[Any],
    rows_html: str,
    t: _T,
    fmt: Any,
    export: str | None,
    **_: Any,
) -> str:
    """``sections/kpi_table.html``: the goals table, its as-of date, queries and export."""
    # Search reads the goals' statements (and the line under each); the figures, the
    # headings and the captions are marked out of it (placing.search_text).
    out = ['<div class="planbook pb-goals">\n']
    if not goals:
        out.append(f'<p class="pb-empty" data-search-exclude>{escape(t("no_data"))}</p>\n')
    else:
        e = escape
        out.append(
            '<div class="pb-fit"><label class="pb-fit__more" data-search-exclude>'
            '<input type="checkbox" '
            f'class="pb-fit__toggle"> {e(t("table.more", n=1))}</label>\n'
            '<div class="pb-scroll"><table class="pb-table pb-cards">\n'
            "  <thead data-search-exclude>\n    <tr>\n"
            f"      <th>{e(t('goal'))}</th>\n"
            f'      <th class="pb-num">{e(t("baseline"))} → {e(t("target"))}</th>\n'
            f'      <th class="pb-num">{e(t("actual"))}</th>\n'
            f"      <th>{e(t('progress'))} <small>({e(t('expected'))})</small></th>\n"
            f"      <th>{e(t('status'))}</th>\n"
            f'      <th class="pb-num">{e(t("forecast"))}</th>\n'
            f'      <th class="pb-more">{e(t("deadline"))}</th>\n'
            "    </tr>\n  </thead>\n  <tbody>\n"
            f"{e(rows_html)}  </tbody>\n</table></div></div>\n"
        )
    captions = []
    if view.as_of:
        captions.append(
            f'<p class="pb-caption">{escape(t("as_of"))} {escape(fmt.date(view.as_of))}</p>'
        )
    if view.data.queries:
        captions.append(_queries(view.data.queries, t))
    captions.append(_export(export, t))
    if any(captions):
        out.append(f"<div data-search-exclude>{''.join(captions)}</div>")
    out.append("</div>")
    return "".join(out)


def more_rows_note(b: Any, hidden: int, t: _T) -> str:
    """The caption under a channel table that lists only its first rows: how many are
    left out (in the total and the CSV download all the same); "" when none is."""
    if not hidden:
        return ""
    listed = t("table.more_rows", shown=len(b.rows) - hidden, n=hidden)
    return f'<p class="pb-caption pb-more-rows">{escape(listed)}</p>'


def partial_note(b: Any, columns: Sequence[Any], registry: Any, t: _T, language: str) -> str:
    """The caption under a channel table whose total ratios count fewer rows than the
    column totals: per such KPI, its inputs and how many rows lack them."""
    notes = []
    for k in columns:
        if k.id not in b.partial:
            continue
        n, left = b.partial[k.id]
        inputs = " · ".join(str(registry.get(m).label(language)) for m in k.measures)
        notes.append(
            str(escape(t("table.partial", kpi=k.label(language), inputs=inputs, n=n, left=left)))
        )
    return f'<p class="pb-caption pb-partial">{"<br>".join(notes)}</p>'


def write_channel_table(
    *,
    view: Any,
    columns: Sequence[Any],
    t: _T,
    fmt: Any,
    language: str,
    export: str | None,
    rows_html: str = "",
    cells: Any = None,
    hidden_rows: int = 0,
    **_: Any,
) -> str:
    """``sections/channel_table.html``: the channels' KPI columns (the ones a reader
    needs first in front), their total, the rows left unlisted and the partial-total
    caption."""
    b = view.channels
    out = ['<div class="planbook pb-channels" data-search-exclude>\n']
    if not b:
        out.append(f'<p class="pb-empty">{escape(t("no_data"))}</p>\n')
    else:
        toggle, heads = channel_heads(columns, t, language)
        out.append(
            f'<div class="pb-fit">{toggle}<div class="pb-scroll"><table class="pb-table pb-cards">\n'
            f"  <thead><tr><th>{escape(t('channel'))}</th>\n"
            f"{heads}"
            f'  <th class="pb-num">{escape(t("share_of_spend"))}</th></tr></thead>\n'
            f"  <tbody>\n{escape(rows_html)}  </tbody>\n"
        )
        if b.total:
            out.append(
                f'  <tfoot><tr class="pb-total"><th>{escape(t("total"))}</th>\n'
                f'{escape(cells.total)}    <td class="pb-num">{escape(fmt.percent(b.total.share))}'
                "</td></tr></tfoot>\n"
            )
        out.append("</table></div></div>\n")
        out.append(more_rows_note(b, hidden_rows, t))
        if b.partial:
            out.append(partial_note(b, columns, view.registry, t, language))
    out.append(_export(export, t))
    out.append("</div>")
    return "".join(out)


def _figure(label: str, value: str, title: str | None = None, flag: bool = False) -> str:
    shown = f' title="{escape(title)}"' if title is not None else ""
    return (
        f'  <div class="pb-figure{" pb-flag" if flag else ""}"><span class="pb-figure__label">'
        f'{escape(label)}</span><span class="pb-figure__value"{shown}>{escape(value)}</span></div>\n'
    )


def write_budget_table(
    *, view: Any, t: _T, fmt: Any, export: str | None, cells: Any = None, **_: Any
) -> str:
    """``sections/budget_table.html``: total, spent, used against elapsed, remaining;
    the allocation rows and their total; what is not allocated; the as-of date."""
    b = view.budget
    out = ['<div class="planbook pb-budget" data-search-exclude>\n']
    if b:
        e = escape
        out.append(
            '<div class="pb-figures">\n'
            + _figure(t("budget.total"), fmt.money(b.total), fmt.money_exact(b.total))
            + _figure(t("budget.spent"), fmt.money(b.spent), fmt.money_exact(b.spent))
            + _figure(t("budget.used"), fmt.percent(b.used), flag=bool(b.total_over_pace))
            + _figure(t("budget.elapsed"), fmt.percent(b.elapsed))
            + _figure(t("budget.remaining"), fmt.money(b.remaining), fmt.money_exact(b.remaining))
            + "</div>\n"
            '<div class="pb-fit"><label class="pb-fit__more"><input type="checkbox" '
            f'class="pb-fit__toggle"> {e(t("table.more", n=1))}</label>\n'
            '<div class="pb-scroll"><table class="pb-table pb-cards">\n'
            "  <thead><tr>\n"
            f"    <th>{e(t('budget.item'))}</th>\n"
            f'    <th class="pb-num">{e(t("budget.planned"))} <small>({e(t("budget.cap"))})</small></th>\n'
            f'    <th class="pb-num">{e(t("budget.spent"))}</th><th>{e(t("budget.used"))}</th>\n'
            f'    <th class="pb-num pb-more">{e(t("budget.remaining"))}</th>\n'
            '    <th class="pb-num">ROI <small>· ROAS · CAC</small></th>\n'
            "  </tr></thead>\n"
            f"  <tbody>\n{e(cells.rows)}  </tbody>\n"
            '  <tfoot><tr class="pb-total">\n'
            f"    <th>{e(t('total'))}</th>\n"
            f'    <td class="pb-num" title="{e(fmt.money_exact(b.total))}">'
            f"{e(fmt.cell(b.total, cells.planned))}</td>\n"
            f'    <td class="pb-num" title="{e(fmt.money_exact(b.spent))}">'
            f"{e(fmt.cell(b.spent, cells.spent))}</td><td>{e(fmt.percent(b.used))}</td>\n"
            f'    <td class="pb-num pb-more">{e(fmt.cell(b.remaining, cells.left))}</td><td></td>\n'
            "  </tr></tfoot>\n"
            "</table></div></div>\n"
        )
        if b.unallocated:
            left = ", ".join(f"{e(k)} {e(fmt.money(v))}" for k, v in b.unallocated.items())
            out.append(f'<p class="pb-caption">{e(t("budget.unallocated"))}: {left}</p>\n')
        if b.as_of:
            out.append(f'<p class="pb-caption">{e(t("as_of"))} {e(fmt.date(b.as_of))}</p>')
    out.append(_export(export, t))
    out.append("</div>")
    return "".join(out)


# section -> (writer, its templates: a site overriding one of them renders the section)
TEMPLATES: dict[str, tuple[Callable[..., str], tuple[str, ...]]] = {
    "kpi_table": (write_kpi_table, ("sections/kpi_table.html",)),
    "channel_table": (write_channel_table, ("sections/channel_table.html",)),
    "budget_table": (write_budget_table, ("sections/budget_table.html",)),
}
