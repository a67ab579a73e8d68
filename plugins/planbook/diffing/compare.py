"""The diff of two snapshots: plans matched by id, their items by id, findings by text."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..model import Allocation, Goal, Persona, Phase, Plan, Risk, allocation_amount
from .snapshot import FindingRecord, PlanSnapshot, SiteSnapshot

# --------------------------------------------------------------------------- the diff


@dataclass(frozen=True)
class Change:
    """One field, old -> new. ``fmt`` says how to show the values (``old_fmt`` the old
    one when it differs: a goal whose KPI changed); ``delta``: whether new − old means
    something (not across two KPIs or currencies)."""

    field: str
    old: Any
    new: Any
    fmt: str = "text"
    old_fmt: str | None = None
    delta: bool = True


@dataclass
class ItemDiff:
    """A goal, allocation, risk, phase or persona that was added, removed or changed."""

    id: str
    change: str  # added | removed | changed
    changes: list[Change] = field(default_factory=list)
    old: Any = None
    new: Any = None
    goals: list[ItemDiff] = field(default_factory=list)  # a phase's goals


@dataclass
class PlanDiff:
    id: str
    change: str  # added | deleted | changed | invalid
    file: str
    title: str | None
    currency: str
    old_file: str | None = None
    fields: list[Change] = field(default_factory=list)
    goals: list[ItemDiff] = field(default_factory=list)
    budget: list[Change] = field(default_factory=list)
    allocations: list[ItemDiff] = field(default_factory=list)
    personas: list[ItemDiff] = field(default_factory=list)
    phases: list[ItemDiff] = field(default_factory=list)
    risks: list[ItemDiff] = field(default_factory=list)
    new_findings: list[FindingRecord] = field(default_factory=list)
    resolved_findings: list[FindingRecord] = field(default_factory=list)
    old: PlanSnapshot | None = None
    new: PlanSnapshot | None = None
    # "invalid" because the head's configuration file (this one) could not be loaded,
    # not because of the plan's front matter
    unloaded: str | None = None

    @property
    def empty(self) -> bool:
        return self.change == "changed" and not any(
            (
                self.fields,
                self.goals,
                self.budget,
                self.allocations,
                self.personas,
                self.phases,
                self.risks,
                self.new_findings,
                self.resolved_findings,
                self.old_file != self.file,
            )
        )


@dataclass
class PageDiff:
    """Review findings new or resolved on a page that is not a plan."""

    file: str
    new_findings: list[FindingRecord] = field(default_factory=list)
    resolved_findings: list[FindingRecord] = field(default_factory=list)


@dataclass
class SiteDiff:
    base: str
    head: str
    notes: list[str] = field(default_factory=list)
    plans: list[PlanDiff] = field(default_factory=list)
    pages: list[PageDiff] = field(default_factory=list)
    persona_names: dict[str, str] = field(default_factory=dict)
    language: str = "en"  # of the Markdown: the head site's, else the base site's

    @property
    def empty(self) -> bool:
        return not (self.notes or self.plans or self.pages)


def _plain(v: Any) -> Any:
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, tuple | list):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if hasattr(v, "model_dump"):
        return _plain(v.model_dump(exclude_none=True))
    return v


def _id_of(item: Any) -> str:
    if isinstance(item, Phase):
        return item.name
    if isinstance(item, Allocation):
        return item.item
    if isinstance(item, str):
        return item
    return item.id


def _pair(old: Sequence[Any], new: Sequence[Any]) -> list[tuple[str, Any, Any]]:
    """Items matched by id: head order first, then removed ones in base order."""
    before = {}
    for item in old:
        before.setdefault(_id_of(item), item)
    after = {}
    for item in new:
        after.setdefault(_id_of(item), item)
    out = [(k, before.get(k), v) for k, v in after.items()]
    out += [(k, v, None) for k, v in before.items() if k not in after]
    return out


def _field_changes(
    old: Any, new: Any, names: Iterable[str], fmts: dict[str, str] | None = None
) -> list[Change]:
    out = []
    for name in names:
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            out.append(Change(name, a, b, (fmts or {}).get(name, "text")))
    return out


def _items(
    old: Sequence[Any], new: Sequence[Any], compare: Callable[[Any, Any], list[Change]]
) -> list[ItemDiff]:
    out = []
    for key, a, b in _pair(old, new):
        if a is None:
            out.append(ItemDiff(key, "added", new=b))
        elif b is None:
            out.append(ItemDiff(key, "removed", old=a))
        else:
            changes = compare(a, b)
            if changes:
                out.append(ItemDiff(key, "changed", changes, old=a, new=b))
    return out


_GOAL_FIELDS = (
    "statement",
    "kpi",
    "aggregate",
    "window",
    "baseline",
    "target",
    "start",
    "deadline",
    "owner",
    "filter",
    "objective",
    "milestones",
)


def _kpi_format(snap: PlanSnapshot | None, goal_id: str, phase: str | None = None) -> str:
    """How a goal's values read in ``snap`` (a goal of the phase named ``phase``):
    ``kpi:<format>``, a currency KPI with the plan's currency (``kpi:currency:CNY``)."""
    if snap is None:
        formats: dict[str, str] = {}
    elif phase is None:
        formats = snap.goal_format
    else:
        formats = snap.phase_goal_format.get(phase, {})
    fmt = formats.get(goal_id, "number")
    if fmt == "currency" and snap is not None:
        return f"kpi:currency:{snap.plan.currency}"
    return f"kpi:{fmt}"


def _goal_status(snap: PlanSnapshot | None, goal_id: str, phase: str | None) -> str | None:
    if snap is None:
        return None
    if phase is None:
        return snap.goal_status.get(goal_id)
    return snap.phase_goal_status.get(phase, {}).get(goal_id)


def _goal_compare(
    old: PlanSnapshot | None, new: PlanSnapshot | None, phase: str | None = None
) -> Callable:
    """Compares two versions of a goal (of the phase named ``phase``)."""

    def compare(a: Goal, b: Goal) -> list[Change]:
        out = []
        # Values of the base are shown the base's way; across two KPIs (or formats, or
        # currencies) there is no delta.
        fmt_a, fmt_b = _kpi_format(old, a.id, phase), _kpi_format(new, b.id, phase)
        same = a.kpi == b.kpi and fmt_a == fmt_b
        old_fmt = None if fmt_a == fmt_b else fmt_a
        for name in _GOAL_FIELDS:
            x, y = getattr(a, name), getattr(b, name)
            if x == y:
                continue
            if name in ("baseline", "target"):
                out.append(Change(name, x, y, fmt_b, old_fmt, same))
            elif name in ("start", "deadline"):
                out.append(Change(name, x, y, "date"))
            elif name == "filter":
                out.append(Change(name, x, y, "filter"))
            elif name == "milestones":
                old_ms = None if old_fmt is None else f"milestones:{old_fmt}"
                out.append(Change(name, x, y, f"milestones:{fmt_b}", old_ms, same))
            else:
                out.append(Change(name, x, y))
        s_old = _goal_status(old, a.id, phase)
        s_new = _goal_status(new, b.id, phase)
        if s_old and s_new and s_old != s_new:
            out.append(Change("status", s_old, s_new, "goal_status"))
        return out

    return compare


def _alloc_compare(total_old: float, total_new: float) -> Callable:
    def compare(a: Allocation, b: Allocation) -> list[Change]:
        out = []
        amount_a, amount_b = allocation_amount(a, total_old), allocation_amount(b, total_new)
        share_a = amount_a / total_old if total_old else 0.0
        share_b = amount_b / total_new if total_new else 0.0
        if abs(amount_a - amount_b) > 1e-9 or abs(share_a - share_b) > 1e-12:
            out.append(Change("amount", (amount_a, share_a), (amount_b, share_b), "allocation"))
        out += _field_changes(
            a, b, ("cap", "spent", "label", "match"), {"cap": "money", "spent": "money"}
        )
        return out

    return compare


def _risk_compare(a: Risk, b: Risk) -> list[Change]:
    out = []
    score_a, score_b = a.likelihood * a.impact, b.likelihood * b.impact
    if score_a != score_b:
        out.append(Change("score", score_a, score_b, "number"))
    out += _field_changes(
        a,
        b,
        ("likelihood", "impact", "title", "category", "owner", "mitigation", "contingency"),
        {"likelihood": "number", "impact": "number"},
    )
    return out


def _phase_compare(a: Phase, b: Phase) -> list[Change]:
    out = _field_changes(a, b, ("start", "end", "focus"), {"start": "date", "end": "date"})
    for _name, x, y in _milestones(a, b):
        out.append(Change("milestone", x, y, "milestone"))
    return out


def _phases(old: PlanSnapshot | None, new: PlanSnapshot | None) -> list[ItemDiff]:
    """Phases matched by name, each with its goals (``plan.phases[].goals``) compared like
    the plan's goals; a phase whose goals alone changed is a changed phase."""
    a = old.plan.phases if old else []
    b = new.plan.phases if new else []
    out = []
    for key, x, y in _pair(a, b):
        goals = _items(x.goals if x else [], y.goals if y else [], _goal_compare(old, new, key))
        if x is None:
            out.append(ItemDiff(key, "added", new=y, goals=goals))
        elif y is None:
            out.append(ItemDiff(key, "removed", old=x, goals=goals))
        else:
            changes = _phase_compare(x, y)
            if changes or goals:
                out.append(ItemDiff(key, "changed", changes, old=x, new=y, goals=goals))
    return out


def _milestones(a: Phase, b: Phase) -> list[tuple[str, Any, Any]]:
    before = {m.name: m for m in a.milestones}
    after = {m.name: m for m in b.milestones}
    out = []
    for name, m in after.items():
        old = before.get(name)
        if old != m:
            out.append((name, _ms(old), _ms(m)))
    for name, m in before.items():
        if name not in after:
            out.append((name, _ms(m), None))
    return out


def _ms(m: Any) -> dict[str, Any] | None:
    if m is None:
        return None
    return {"name": m.name, "date": m.date, "owner": m.owner, "done": m.done}


def _persona_compare(a: Any, b: Any) -> list[Change]:
    if isinstance(a, Persona) and isinstance(b, Persona):
        return _field_changes(a, b, [n for n in Persona.model_fields if n != "id"])
    if isinstance(a, Persona) != isinstance(b, Persona):
        return [Change("defined", _persona_kind(a), _persona_kind(b))]
    return []


def _persona_kind(p: Any) -> str:
    return "inline" if isinstance(p, Persona) else "page"


def _metric_paths(plan: Plan) -> list[str]:
    return [
        s.path if not s.set else f"{s.path} {dict(sorted(s.set.items()))}" for s in plan.metrics
    ]


def _plan_fields(a: Plan, b: Plan) -> list[Change]:
    out = []
    if a.status != b.status:
        out.append(Change("status", a.status, b.status, "status"))
    out += _field_changes(a, b, ("title", "owner"))
    if a.period != b.period:
        out.append(
            Change(
                "period", (a.period.start, a.period.end), (b.period.start, b.period.end), "period"
            )
        )
    out += _field_changes(a, b, ("currency", "as_of"), {"as_of": "date"})
    ma, mb = _metric_paths(a), _metric_paths(b)
    if ma != mb:
        out.append(Change("metrics", ma, mb, "list"))
    # Everything else (kpis, team, review sign-offs, reports, ...) as data.
    for name in Plan.model_fields:
        if name not in _PLAN_COMPARED:
            x, y = getattr(a, name), getattr(b, name)
            if x != y:
                out.append(Change(name, _plain(x), _plain(y), "data"))
    return out


_PLAN_COMPARED = frozenset(
    {
        "id",
        "title",
        "owner",
        "status",
        "period",
        "currency",
        "as_of",
        "metrics",
        "goals",
        "budget",
        "phases",
        "personas",
        "risks",
    }
)


def _budget(pd_: PlanDiff, a: Plan | None, b: Plan | None) -> None:
    ba = a.budget if a is not None else None
    bb = b.budget if b is not None else None
    if ba is None and bb is None:
        return
    total_a = ba.total if ba else 0.0
    total_b = bb.total if bb else 0.0
    if ba is None or bb is None or ba.total != bb.total:
        pd_.budget.append(
            Change("total", ba.total if ba else None, bb.total if bb else None, "money")
        )
    if ba is not None and bb is not None and ba.by != bb.by:
        pd_.budget.append(Change("by", ba.by, bb.by))
    pd_.allocations = _items(
        ba.allocations if ba else [],
        bb.allocations if bb else [],
        _alloc_compare(total_a, total_b),
    )


def _plan_diff(pid: str, old: PlanSnapshot | None, new: PlanSnapshot | None) -> PlanDiff:
    ref = new or old
    assert ref is not None
    change = "added" if old is None else "deleted" if new is None else "changed"
    out = PlanDiff(
        pid,
        change,
        ref.file,
        ref.title,
        ref.plan.currency,
        old_file=old.file if old else None,
        old=old,
        new=new,
    )
    a = old.plan if old else None
    b = new.plan if new else None
    if change == "deleted":
        return out
    if a is not None and b is not None:
        out.fields = _plan_fields(a, b)
        if (
            old
            and new
            and old.title != new.title
            and not any(c.field == "title" for c in out.fields)
        ):
            out.fields.append(Change("title", old.title, new.title))
    out.goals = _items(a.goals if a else [], b.goals if b else [], _goal_compare(old, new))
    _budget(out, a, b)
    out.personas = _items(a.personas if a else [], b.personas if b else [], _persona_compare)
    out.phases = _phases(old, new)
    out.risks = _items(a.risks if a else [], b.risks if b else [], _risk_compare)
    return out


def _finding_changes(
    base: Sequence[FindingRecord], head: Sequence[FindingRecord]
) -> tuple[list[FindingRecord], list[FindingRecord]]:
    """(new, resolved) open findings, compared as multisets of (page, rule, text)."""
    old_open = [f for f in base if f.state == "open"]
    new_open = [f for f in head if f.state == "open"]
    count_old = Counter(f.key for f in old_open)
    count_new = Counter(f.key for f in new_open)
    new: list[FindingRecord] = []
    seen: Counter = Counter()
    for f in new_open:
        seen[f.key] += 1
        if seen[f.key] > count_old[f.key]:
            new.append(f)
    resolved: list[FindingRecord] = []
    seen = Counter()
    head_state = {f.key: f.state for f in head if f.state != "open"}
    for f in old_open:
        seen[f.key] += 1
        if seen[f.key] > count_new[f.key]:
            state = head_state.get(f.key, "resolved")
            resolved.append(FindingRecord(**{**f.__dict__, "state": state}))
    return sorted(new, key=_finding_order), sorted(resolved, key=_finding_order)


def _finding_order(f: FindingRecord) -> tuple:
    return (f.file, f.line or 0, f.column or 0, f.rule, f.text)


def diff_sites(base: SiteSnapshot, head: SiteSnapshot) -> SiteDiff:
    """Compare two snapshots of a site."""
    out = SiteDiff(base.label, head.label, notes=[*base.notes, *head.notes])
    out.language = head.language or base.language or "en"
    out.persona_names = {**base.persona_names, **head.persona_names}
    new_f, resolved_f = [], []
    if base.unloaded is None and head.unloaded is None:
        # a side whose configuration could not be loaded has no findings to compare: its
        # pages are unknown, not fixed or new (the note says so)
        new_f, resolved_f = _finding_changes(base.findings, head.findings)
    invalid_ids = {pid: file for file, pid in head.invalid.items()}
    for pid in sorted(set(base.plans) | set(head.plans)):
        old, new = base.plans.get(pid), head.plans.get(pid)
        if new is None and old is not None and head.unloaded is not None:
            out.plans.append(
                PlanDiff(
                    pid,
                    "invalid",
                    old.file,
                    old.title,
                    old.plan.currency,
                    old.file,
                    old=old,
                    unloaded=head.unloaded,
                )
            )
            continue
        if new is None and old is not None and (pid in invalid_ids or old.file in head.invalid):
            file = invalid_ids.get(pid, old.file)
            out.plans.append(
                PlanDiff(pid, "invalid", file, old.title, old.plan.currency, old.file, old=old)
            )
            continue
        pd_ = _plan_diff(pid, old, new)
        if pd_.change != "deleted":
            owner = f"plan:{pid}"
            pd_.new_findings = [f for f in new_f if f.page == owner]
            if pd_.change == "changed":
                pd_.resolved_findings = [f for f in resolved_f if f.page == owner]
        if not pd_.empty:
            out.plans.append(pd_)
    by_file: dict[str, PageDiff] = {}
    for f in new_f:
        if not f.page.startswith("plan:"):
            by_file.setdefault(f.file, PageDiff(f.file)).new_findings.append(f)
    for f in resolved_f:
        if not f.page.startswith("plan:"):
            by_file.setdefault(f.file, PageDiff(f.file)).resolved_findings.append(f)
    out.pages = [by_file[k] for k in sorted(by_file)]
    return out
