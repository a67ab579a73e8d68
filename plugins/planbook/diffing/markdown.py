"""A site diff as Markdown for a pull-request comment, in the site's language."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from datetime import date
from decimal import Decimal
from typing import Any

from ..i18n import language_of
from ..mdtext import one_line as _one_line
from ..messages import msg, say
from ..model import Allocation, Goal, Persona, Phase, Risk, allocation_amount
from .comment import capped, md
from .compare import Change, ItemDiff, PlanDiff, SiteDiff, _kpi_format
from .snapshot import FindingRecord

# --------------------------------------------------------------------------- formatting

_SYMBOLS = {"CNY": "¥", "JPY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "HKD": "HK$"}
_GOAL_STATUS = {
    "achieved": "achieved",
    "on_track": "on track",
    "at_risk": "at risk",
    "off_track": "off track",
    "not_started": "not started",
    "no_data": "no data",
}


# The language of the Markdown being written (set by render_markdown; JSON stays English).
_LANGUAGE: ContextVar[str] = ContextVar("planbook_diff_language", default="en")


def _t(key: str, **kw: Any) -> str:
    """A label of the diff in the language being written (``i18n`` ``diff.*``)."""
    from ..i18n import Labels

    return Labels(_LANGUAGE.get())(f"diff.{key}", **kw)


def _status(v: Any) -> str:
    """A goal status as the plan page says it, in the language being written (the
    English words stay lower-case inside a sentence)."""
    if v not in _GOAL_STATUS:
        return str(v)
    if _LANGUAGE.get() == "en":
        return _GOAL_STATUS[v]
    from ..i18n import Labels

    return Labels(_LANGUAGE.get())(f"status.{v}")


def _say(key: str, **kw: Any) -> str:
    """A catalogued diff message (``messages/diff.py``) in the language being written."""
    return say(msg(key, **kw), _LANGUAGE.get())


def _code(text: str) -> str:
    """A code span the text cannot break out of, however many backticks it holds."""
    from ..mdtext import code

    return code(str(text))


_BIG = 1e15  # from here on numbers are written 1.7e+308, not with 309 digits


def _sci(value: Decimal) -> str:
    """``value`` with six significant digits and an exponent: ``1.7e+310``."""
    mantissa, _, exponent = format(value, ".6g").partition("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{exponent}" if exponent else mantissa


def _num(value: float, scale: int = 1) -> str:
    """``value`` × ``scale`` (100 for a percentage) with thousands separators; an absurd
    magnitude in scientific notation (its product never overflows to "inf")."""
    if not math.isfinite(value):
        return "—"
    if abs(value) * scale >= _BIG:
        return _sci(Decimal(repr(float(value))) * scale)
    value = round(value * scale, 6 if scale == 1 else 4)
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6f}".rstrip("0").rstrip(".")


def _signed(value: float, show: Callable[[float], str]) -> str:
    sign = "+" if value > 0 else "-"
    return sign + show(abs(value))


def _money(value: float | None, currency: str) -> str:
    if value is None:
        return "—"
    symbol = _SYMBOLS.get(currency)
    amount = _num(round(value, 2))
    return f"{symbol}{amount}" if symbol else f"{amount} {currency}"


def _pct(value: float) -> str:
    return _num(value, 100) + "%"


def _kpi_currency(fmt: str, currency: str) -> str | None:
    """The currency of a ``kpi:currency[:CUR]`` format (the plan's when not named), or
    None for another format."""
    if fmt == "kpi:currency":
        return currency
    if fmt.startswith("kpi:currency:"):
        return fmt.removeprefix("kpi:currency:")
    return None


def _value(v: Any, fmt: str, currency: str) -> str:
    if v is None or v == [] or v == {}:
        return "—"
    if fmt == "money":
        return _money(v, currency)
    if fmt in ("kpi:percent",):
        return _pct(v)
    kpi_currency = _kpi_currency(fmt, currency)
    if kpi_currency is not None:
        return _money(v, kpi_currency)
    if fmt.startswith("kpi:") or fmt == "number":
        return _num(v)
    if fmt == "date":
        return v.isoformat()
    if fmt == "period":
        return f"{v[0].isoformat()} – {v[1].isoformat()}"
    if fmt == "goal_status":
        return _status(v)
    if fmt.startswith("milestones:"):
        kind = fmt.partition(":")[2]
        kind = kind if kind.startswith("kpi:") else f"kpi:{kind}"
        return "; ".join(
            f"{m.date.isoformat() if m.date else md(m.phase)}: {_value(m.target, kind, currency)}"
            for m in v
        )
    if fmt == "filter":
        return "; ".join(f"{k}: {', '.join(md(x) for x in vals)}" for k, vals in v.items())
    if fmt == "data":
        return _code(json.dumps(v, ensure_ascii=False, sort_keys=True, separators=(", ", ": ")))
    if fmt == "list":
        return ", ".join(md(x) for x in v)
    if isinstance(v, list):
        return ", ".join(md(x) for x in v)
    return md(v)


def _delta(c: Change, currency: str) -> str:
    """`` (+5)``, `` (-¥50,000)``, `` (+1 pp)``; nothing across two KPIs, formats or
    currencies, and nothing when the difference is not a finite number."""
    if not c.delta or (c.old_fmt is not None and c.old_fmt != c.fmt):
        return ""
    if not isinstance(c.old, int | float) or not isinstance(c.new, int | float):
        return ""
    if isinstance(c.old, bool) or c.old == c.new:
        return ""
    d = c.new - c.old
    if not math.isfinite(d):
        return ""
    kpi_currency = _kpi_currency(c.fmt, currency)
    if c.fmt == "money" or kpi_currency is not None:
        return f" ({_signed(d, lambda x: _money(x, kpi_currency or currency))})"
    if c.fmt == "kpi:percent":
        return f" ({_signed(d, lambda x: _num(x, 100))} pp)"
    if c.fmt in ("number",) or c.fmt.startswith("kpi:"):
        return f" ({_signed(d, _num)})"
    return ""


def _change(c: Change, currency: str) -> str:
    if c.fmt == "allocation":
        (a, sa), (b, sb) = c.old, c.new
        delta = f" ({_signed(b - a, lambda x: _money(x, currency))})" if abs(b - a) > 1e-9 else ""
        return (
            f"{_money(a, currency)} ({sa * 100:.1f}%) → {_money(b, currency)} "
            f"({sb * 100:.1f}%){delta}"
        )
    if c.fmt == "milestone":
        name = md((c.new or c.old)["name"])
        if c.old is None:
            return _t("milestone_added", name=name, date=c.new["date"].isoformat())
        if c.new is None:
            return _t("milestone_removed", name=name)
        parts = []
        if c.old["date"] != c.new["date"]:
            parts.append(
                _t("date_change", old=c.old["date"].isoformat(), new=c.new["date"].isoformat())
            )
        if c.old["owner"] != c.new["owner"]:
            old_owner = _value(c.old["owner"], "text", currency)
            parts.append(
                _t("owner_change", old=old_owner, new=_value(c.new["owner"], "text", currency))
            )
        if c.old["done"] != c.new["done"]:
            parts.append(_t("done") if c.new["done"] else _t("reopened"))
        return _t("milestone", name=name) + _t("list_sep").join(parts)
    if c.fmt.startswith("milestones:"):
        spelled = _goal_milestones(c, currency)
        if spelled:
            return spelled
    old = _value(c.old, c.old_fmt or c.fmt, currency)
    new = _value(c.new, c.fmt, currency)
    return f"{c.field.replace('_', ' ')} {old} → {new}{_delta(c, currency)}"


def _when(m: Any) -> str:
    return m.date.isoformat() if m.date else md(m.phase)


def _pair_milestones(old: Sequence[Any], new: Sequence[Any]) -> list[tuple[Any, Any]]:
    """A goal's milestones (which have no id) matched by name, then by their date or
    phase: ``(old, new)`` pairs in the head's order, then removed ones (``new`` None)."""
    left = list(old)
    pairs: dict[int, Any] = {}
    for same in (
        lambda o, n: n.name is not None and o.name == n.name,
        lambda o, n: (o.date, o.phase) == (n.date, n.phase),
    ):
        for i, n in enumerate(new):
            if i not in pairs:
                found = next((o for o in left if same(o, n)), None)
                if found is not None:
                    pairs[i] = found
                    left.remove(found)
    out = [(pairs.get(i), n) for i, n in enumerate(new)]
    return out + [(o, None) for o in left]


def _goal_milestones(c: Change, currency: str) -> str:
    """What changed in a goal's milestones, milestone by milestone ("milestone *上线*
    owner 张三 → 赵六"); "" when nothing but their order did."""
    new_kind = c.fmt.partition(":")[2]
    old_kind = (c.old_fmt or c.fmt).partition(":")[2]
    parts = []
    for o, n in _pair_milestones(c.old or [], c.new or []):
        m = n or o
        what = f"*{md(m.name)}*" if m.name else _when(m)
        if o is None or n is None:
            kind = new_kind if o is None else old_kind
            key = "diff/goal-milestone.added" if o is None else "diff/goal-milestone.removed"
            parts.append(
                _say(key, what=what, when=_when(m), target=_value(m.target, kind, currency))
            )
            continue
        if not (n.name and o.name == n.name):
            what = _when(o)
        said = []
        if (o.date, o.phase) != (n.date, n.phase):
            said.append(_say("diff/goal-milestone.when", old=_when(o), new=_when(n)))
        if o.target != n.target:
            target = Change("target", o.target, n.target, new_kind, c.old_fmt and old_kind, c.delta)
            old, new = _value(o.target, old_kind, currency), _value(n.target, new_kind, currency)
            new += _delta(target, currency)
            said.append(_say("diff/goal-milestone.target", old=old, new=new))
        for name in ("name", "owner"):
            x, y = getattr(o, name), getattr(n, name)
            if x != y:
                old, new = _value(x, "text", currency), _value(y, "text", currency)
                said.append(_say(f"diff/goal-milestone.{name}", old=old, new=new))
        if said:
            parts.append(_say("diff/goal-milestone", what=what, changes=_t("list_sep").join(said)))
    return "; ".join(parts)


def _changes(changes: Sequence[Change], currency: str) -> str:
    return "; ".join(_change(c, currency) for c in changes)


def _goal_summary(g: Goal, kind: str, currency: str, until: date | None = None) -> str:
    """A goal as one line; ``until``: the deadline of a phase goal that has none."""
    deadline = g.deadline or until
    text = (
        f"{_code(g.kpi)} {_value(g.baseline, kind, currency)} → {_value(g.target, kind, currency)}"
    )
    if deadline is not None:
        text += " " + _t("by", date=deadline.isoformat())
    if g.filter:
        text += _t("filter", filter=_value(g.filter, "filter", currency))
    return text + f" — {md(g.statement)}"


def _goal_kind(p: PlanDiff, g: Goal) -> str:
    """How the values of ``g`` read: the head's way, a removed goal the base's."""
    if p.new is not None and any(x is g for x in p.new.plan.goals):
        return _kpi_format(p.new, g.id)
    return _kpi_format(p.old, g.id)


def _alloc_summary(a: Allocation, total: float, currency: str) -> str:
    amount = allocation_amount(a, total)
    share = amount / total if total else 0.0
    text = f"{_money(amount, currency)} ({share * 100:.1f}%)"
    if a.cap is not None:
        text += _t("cap", cap=_money(a.cap, currency))
    return text


def _risk_summary(r: Risk) -> str:
    return _t(
        "risk",
        title=md(r.title),
        category=r.category,
        likelihood=r.likelihood,
        impact=r.impact,
        score=r.likelihood * r.impact,
    )


def _phase_summary(p: Phase) -> str:
    text = f"{p.start.isoformat()} – {p.end.isoformat()}"
    if p.milestones:
        n = len(p.milestones)
        text += _t("milestones", n=n, s="s" if n != 1 else "")
    return text


def _persona_summary(p: Any, names: dict[str, str]) -> str:
    if isinstance(p, Persona):
        return _t("inline", name=md(p.name))
    name = names.get(p)
    return md(name) if name else _t("no_persona")


def _item_lines(
    items: Sequence[ItemDiff],
    summary: Callable[[Any], str],
    currency: str,
    *,
    new_plan: bool = False,
) -> list[str]:
    lines = []
    for it in items:
        label = _code(it.id) if not isinstance(it.new or it.old, Phase) else f"*{md(it.id)}*"
        if it.change == "added":
            word = "" if new_plan else _t("added")
            lines.append(f"- {label}{word}: {summary(it.new)}")
        elif it.change == "removed":
            lines.append(f"- {label}{_t('removed', was=summary(it.old))}")
        else:
            lines.append(f"- {label}: {_changes(it.changes, currency)}")
    return lines


def _phase_lines(p: PlanDiff, *, new_plan: bool) -> list[str]:
    """Phases added, removed or changed, each followed by its goals added, removed or
    changed (a nested list: ``plan.phases[].goals``)."""
    cur = p.currency
    lines = []
    for it in p.phases:
        if it.change == "changed" and not it.changes:
            lines.append(f"- *{md(it.id)}*")  # only its goals changed
        else:
            lines += _item_lines([it], _phase_summary, cur, new_plan=new_plan)

        def summary(g: Goal, head: Phase | None = it.new, base: Phase | None = it.old) -> str:
            # a goal of the head's phase reads the head's way, a removed one the base's
            if head is not None and any(x is g for x in head.goals):
                snap, phase = p.new, head
            else:
                snap, phase = p.old, base
            assert phase is not None
            return _goal_summary(g, _kpi_format(snap, g.id, phase.name), cur, phase.end)

        fresh = new_plan or it.change == "added"
        lines += ["  " + x for x in _item_lines(it.goals, summary, cur, new_plan=fresh)]
    return lines


def _finding_line(f: FindingRecord, new: bool) -> str:
    where = _t("line", n=f.line) if f.line else _t("on_page")
    text = f"「{md(f.text)}」 " if f.text else ""
    if new:
        draft = _t("draft") if f.draft else ""
        severity = say(msg(f"severity.{f.severity}"), _LANGUAGE.get())
        shown = _t("new_where", where=where, severity=severity, draft=draft)
        return f"- {_t('new')}: {_code(f.rule)} {text}{shown}"
    how = {"waived": "waived", "suppressed": "suppressed"}.get(f.state, "resolved")
    return f"- {_t(how)}: {_code(f.rule)} {text}{_t('was_where', where=where)}"


def _findings_block(new: Sequence[FindingRecord], resolved: Sequence[FindingRecord]) -> list[str]:
    if not new and not resolved:
        return []
    return [
        f"**{_t('findings')}**",
        "",
        *(_finding_line(f, True) for f in new),
        *(_finding_line(f, False) for f in resolved),
        "",
    ]


def _plan_heading(p: PlanDiff) -> str:
    title = f" · {md(p.title)}" if p.title else ""
    suffix = {"added": "new_plan", "deleted": "deleted", "invalid": "invalid"}.get(p.change)
    if p.unloaded is not None:
        word = _say("diff/unloadable.heading")
    else:
        word = _t(suffix) if suffix else ""
    return f"### {_t('plan')} {_code(p.id)}{title}{word}"


def _plan_block(p: PlanDiff, d: SiteDiff) -> list[str]:
    cur = p.currency
    lines = [_plan_heading(p), ""]
    if p.change == "deleted":
        assert p.old is not None
        lines += [f"{_code(p.file)} · {_t('was_status', status=p.old.plan.status)}", ""]
        return lines
    if p.change == "invalid" and p.unloaded is not None:
        assert p.old is not None
        status = md(p.old.plan.status)
        text = _say(
            "diff/unloadable.plan", file=p.file, status=status, config=p.unloaded, head=d.head
        )
        lines += [text, ""]
        return lines
    if p.change == "invalid":
        lines += [_t("invalid_text", file=_code(p.file), head=_code(d.head)), ""]
        return lines
    new_plan = p.change == "added"
    if new_plan:
        assert p.new is not None
        plan = p.new.plan
        info = [
            _code(p.file),
            _t("status_is", status=plan.status),
            f"{plan.period.start.isoformat()} – {plan.period.end.isoformat()}",
        ]
        if plan.owner:
            info.append(_t("owner_is", owner=md(plan.owner)))
        lines += [" · ".join(info), ""]
    else:
        where = _code(p.file)
        if p.old_file and p.old_file != p.file:
            where = f"{_code(p.old_file)} → {_code(p.file)}"
        lines += [where, ""]
        fields = []
        for c in p.fields:
            if c.fmt == "status":
                fields.append(f"- {_t('status')}: **{c.old}** → **{c.new}**")
            else:
                name = _code(c.field)  # a field name stays as written, in any language
                old, new = _value(c.old, c.fmt, cur), _value(c.new, c.fmt, cur)
                fields.append(f"- {name}: {old} → {new}")
        if fields:
            lines += [*fields, ""]
    if p.goals:
        lines += [
            f"**{_t('goals')}**",
            "",
            *_item_lines(
                p.goals,
                lambda g: _goal_summary(g, _goal_kind(p, g), cur),
                cur,
                new_plan=new_plan,
            ),
            "",
        ]
    if p.budget or p.allocations:
        lines += [f"**{_t('budget')}**{_t('currency', cur=cur)}", ""]
        for c in p.budget:
            if c.field == "total":
                if c.old is None:
                    lines.append(f"- {_t('total')}: {_money(c.new, cur)}")
                elif c.new is None:
                    lines.append(f"- {_t('budget_removed', was=_money(c.old, cur))}")
                else:
                    lines.append(f"- {_t('total')}: {_change(c, cur).removeprefix('total ')}")
            else:
                lines.append(f"- {_change(c, cur).capitalize()}")
        old_total = p.old.plan.budget.total if p.old and p.old.plan.budget else 0.0
        new_total = p.new.plan.budget.total if p.new and p.new.plan.budget else 0.0
        for it in p.allocations:
            label = _code(it.id)
            if it.change == "added":
                word = "" if new_plan else _t("added")
                lines.append(f"- {label}{word}: {_alloc_summary(it.new, new_total, cur)}")
            elif it.change == "removed":
                was = _alloc_summary(it.old, old_total, cur)
                lines.append(f"- {label}{_t('removed_short', was=was)}")
            else:
                lines.append(f"- {label}: {_changes(it.changes, cur)}")
        lines.append("")
    sections: list[tuple[str, list[str]]] = [
        (
            "personas",
            _item_lines(
                p.personas, lambda x: _persona_summary(x, d.persona_names), cur, new_plan=new_plan
            ),
        ),
        ("phases", _phase_lines(p, new_plan=new_plan)),
        ("risks", _item_lines(p.risks, _risk_summary, cur, new_plan=new_plan)),
    ]
    for title, items in sections:
        if items:
            lines += [f"**{_t(title)}**", "", *items, ""]
    lines += _findings_block(p.new_findings, p.resolved_findings)
    return lines


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_line(d: SiteDiff) -> str:
    """``2 plans changed, 1 added · 3 review findings new, 1 resolved``."""
    kinds = Counter(p.change for p in d.plans)
    parts = []
    for kind in ("added", "changed", "deleted", "invalid"):
        if kinds[kind]:
            parts.append(_t("summary.kind", n=kinds[kind], kind=_t(f"kind.{kind}")))
    plans = ""
    if parts:
        total = sum(kinds.values())
        plans = _t(
            "summary.plans",
            plans="plan" if total == 1 else "plans",
            parts=_t("summary.sep").join(parts),
        )
    new = sum(len(p.new_findings) for p in d.plans) + sum(len(p.new_findings) for p in d.pages)
    gone = sum(len(p.resolved_findings) for p in d.plans) + sum(
        len(p.resolved_findings) for p in d.pages
    )
    findings = ""
    if new or gone:
        findings = _t("summary.findings", new=new, gone=gone)
    return " · ".join(x for x in (plans, findings) if x)


def render_markdown(d: SiteDiff, language: str | None = None) -> str:
    """The diff as Markdown for a pull-request comment ("" when nothing changed), in
    ``language`` (default: the head site's language; ids and field names as written)."""
    if d.empty:
        return ""
    token = _LANGUAGE.set(language_of(language or d.language))
    try:
        return _markdown(d)
    finally:
        _LANGUAGE.reset(token)


def _markdown(d: SiteDiff) -> str:
    lines = [f"## Planbook: {_code(d.base)} → {_code(d.head)}", ""]
    summary = summary_line(d)
    if summary:
        lines += [summary[:1].upper() + summary[1:], ""]
    for note in d.notes:
        # catalogued, the revision's values in code spans; one line, so one quote
        lines += [f"> {_one_line(say(note, _LANGUAGE.get()))}", ""]
    for p in d.plans:
        lines += _plan_block(p, d)
    for page in d.pages:
        lines += [f"### {_t('page')} {_code(page.file)}", ""]
        lines += _findings_block(page.new_findings, page.resolved_findings)
    return capped(lines, lambda rest: "> " + _say("diff/cut", n=rest))
