"""What changed between two versions of a site: plans, goals, budgets, risks, findings.

Plain Python, no MkDocs and no click. :func:`snapshot` reads one version of a site
through the engine (every page scanned, every plan evaluated, every page reviewed);
:func:`diff_sites` compares two snapshots; :func:`render_markdown` and
:func:`to_json` present the result. :func:`export_revision` puts the files of a git
revision into a folder without touching the user's checkout (``git archive``).

Plans are matched by ``plan.id`` (so a plan may move to another file), goals and
risks by id, allocations by item, personas by id, phases by name. Review findings
are matched by page, rule and matched text, never by line, so moving text is not a
change.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import tarfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .i18n import language_of
from .model import Allocation, Goal, Persona, Phase, Plan, Risk, allocation_amount
from .pages import prepare_file
from .project import Project, Settings
from .render import Renderer

# --------------------------------------------------------------------------- snapshots


@dataclass(frozen=True)
class FindingRecord:
    """One review finding, as the diff sees it."""

    page: str  # "plan:<id>" on plan pages (follows the plan), else the page's file
    file: str
    rule: str
    text: str
    line: int | None
    severity: str
    message: str
    state: str = "open"  # open | waived | suppressed
    column: int | None = None
    draft: bool = False  # on a draft page: shown, logged as info

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.page, self.rule, self.text)


@dataclass
class PlanSnapshot:
    """A plan and what evaluating it said."""

    plan: Plan
    file: str
    title: str | None
    goal_status: dict[str, str] = field(default_factory=dict)
    goal_format: dict[str, str] = field(default_factory=dict)


@dataclass
class SiteSnapshot:
    """Everything the diff compares of one version of a site."""

    label: str
    plans: dict[str, PlanSnapshot] = field(default_factory=dict)
    findings: list[FindingRecord] = field(default_factory=list)
    persona_names: dict[str, str] = field(default_factory=dict)
    invalid: dict[str, str] = field(default_factory=dict)  # file -> plan id (or "")
    notes: list[str] = field(default_factory=list)
    language: str | None = None  # the site's language (None: no site read)


_RAW_PLAN = re.compile(r"^plan:[ \t]*(?:#.*)?$", re.M)
_RAW_ID = re.compile(r"^[ \t]+id:[ \t]*['\"]?([a-z0-9][a-z0-9_-]*)", re.M)


def _raw_plan_id(path: Path) -> str | None:
    """For a page whose front matter does not parse: its plan id as written ("" when
    none can be read), or None when it does not look like a plan page at all."""
    from .frontmatter import split_front_matter

    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    front, _, _ = split_front_matter(text)
    if front is None:
        return None
    m = _RAW_PLAN.search(front)
    if m is None:
        return None
    found = _RAW_ID.search(front, m.end())
    return found.group(1) if found else ""


def snapshot(settings: Settings, label: str) -> SiteSnapshot:
    """Read and evaluate every page of the site ``settings`` describe."""
    project = Project(settings)
    renderer = Renderer(settings.language)
    snap = SiteSnapshot(label, language=settings.language)
    pages = project.scan()
    for page in pages:
        prepared = prepare_file(project, renderer, page, summary=False)
        owner = page.file
        if page.plan is not None:
            plan = page.plan
            owner = f"plan:{plan.id}"
            if plan.id in snap.plans:
                first = snap.plans[plan.id].file
                snap.notes.append(
                    f"{_code(label)}: plan id {_code(plan.id)} is used by {_code(first)} and "
                    f"{_code(page.file)}; only the first is compared"
                )
            else:
                view = prepared.view
                status = {g.goal.id: g.status for g in view.goals} if view else {}
                formats = {g.goal.id: g.kpi.format for g in view.goals if g.kpi} if view else {}
                snap.plans[plan.id] = PlanSnapshot(plan, page.file, page.title, status, formats)
        elif isinstance(page.front.data.get("plan"), dict):
            raw_id = page.front.data["plan"].get("id")
            snap.invalid[page.file] = raw_id if isinstance(raw_id, str) else ""
        elif any(d.rule.startswith("yaml/") for d in page.front.diagnostics):
            # Front matter that does not parse: a plan page stays a plan page ("invalid"),
            # it is not "deleted" because its YAML has a syntax error.
            raw = _raw_plan_id(settings.docs_dir / page.src_uri)
            if raw is not None:
                snap.invalid[page.file] = raw
        if page.persona is not None:
            snap.persona_names.setdefault(page.persona.id, page.persona.name)
        if prepared.review is not None:
            for f in prepared.review.findings:
                snap.findings.append(
                    FindingRecord(
                        owner,
                        page.file,
                        f.rule,
                        f.text,
                        f.line,
                        f.severity.value,
                        f.diagnostic.message,
                        f.state,
                        f.diagnostic.column,
                        prepared.review.draft,
                    )
                )
    return snap


# --------------------------------------------------------------------------- git


class RevisionError(Exception):
    """A git revision (or the repository) that cannot be read."""


def _git(repo: Path, *args: str, binary: bool = False) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(
            ["git", *args], cwd=repo, capture_output=True, check=False, text=not binary
        )
    except FileNotFoundError:
        raise RevisionError("git is not installed (planbook diff reads git revisions)") from None


def git_toplevel(path: Path) -> Path:
    """The top folder of the git work tree ``path`` is in."""
    done = _git(path, "rev-parse", "--show-toplevel")
    if done.returncode != 0:
        raise RevisionError(f"{path} is not inside a git repository")
    return Path(done.stdout.strip()).resolve()


def resolve_revision(repo: Path, rev: str) -> str:
    """The commit id ``rev`` names, or :class:`RevisionError`."""
    if rev.startswith("-"):
        raise RevisionError(f"'{rev}' is not a git revision")
    done = _git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}")
    if done.returncode != 0 or not done.stdout.strip():
        raise RevisionError(f"'{rev}' is not a commit in this repository")
    return done.stdout.strip()


def has_file(repo: Path, commit: str, path: str) -> bool:
    """Whether ``path`` (relative to the top of the repository) exists at ``commit``."""
    return _git(repo, "cat-file", "-e", f"{commit}:{path}").returncode == 0


def export_revision(repo: Path, commit: str, dest: Path, subdir: str = "") -> Path:
    """Write the files of ``commit`` (under ``subdir``) into ``dest``; returns ``dest``.

    Uses ``git archive``: the user's checkout, index and worktree list are untouched.
    """
    args = ["archive", "--format=tar", commit]
    if subdir:
        args += ["--", subdir]
    done = _git(repo, *args, binary=True)
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()
        raise RevisionError(f"git archive {commit[:12]} failed: {message}")
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(fileobj=io.BytesIO(done.stdout), mode="r:") as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(dest, filter="data")
        else:  # pragma: no cover - Python < 3.11.4
            tar.extractall(dest)
    return dest


# --------------------------------------------------------------------------- the diff


@dataclass(frozen=True)
class Change:
    """One field, old -> new. ``fmt`` says how to show the values."""

    field: str
    old: Any
    new: Any
    fmt: str = "text"


@dataclass
class ItemDiff:
    """A goal, allocation, risk, phase or persona that was added, removed or changed."""

    id: str
    change: str  # added | removed | changed
    changes: list[Change] = field(default_factory=list)
    old: Any = None
    new: Any = None


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


def _goal_compare(old: PlanSnapshot | None, new: PlanSnapshot | None) -> Callable:
    def compare(a: Goal, b: Goal) -> list[Change]:
        out = []
        for name in _GOAL_FIELDS:
            x, y = getattr(a, name), getattr(b, name)
            if x == y:
                continue
            if name in ("baseline", "target"):
                fmt = (new.goal_format if new else {}).get(b.id, "number")
                out.append(Change(name, x, y, f"kpi:{fmt}"))
            elif name in ("start", "deadline"):
                out.append(Change(name, x, y, "date"))
            elif name == "filter":
                out.append(Change(name, x, y, "filter"))
            elif name == "milestones":
                fmt = (new.goal_format if new else {}).get(b.id, "number")
                out.append(Change(name, x, y, f"milestones:{fmt}"))
            else:
                out.append(Change(name, x, y))
        s_old = (old.goal_status if old else {}).get(a.id)
        s_new = (new.goal_status if new else {}).get(b.id)
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
    out.phases = _items(a.phases if a else [], b.phases if b else [], _phase_compare)
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
    new_f, resolved_f = _finding_changes(base.findings, head.findings)
    invalid_ids = {pid: file for file, pid in head.invalid.items()}
    for pid in sorted(set(base.plans) | set(head.plans)):
        old, new = base.plans.get(pid), head.plans.get(pid)
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


# --------------------------------------------------------------------------- formatting

_SYMBOLS = {"CNY": "¥", "JPY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "HKD": "HK$"}
_MD_SPECIAL = str.maketrans(
    {
        "\\": "\\\\",
        "`": "\\`",
        "*": "\\*",
        "_": "\\_",
        "[": "\\[",
        "]": "\\]",
        "|": "\\|",
        "~": "\\~",
        "<": "&lt;",
        ">": "&gt;",
        "\n": " ",
        "\r": " ",
    }
)
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
    from .i18n import Labels

    return Labels(_LANGUAGE.get())(f"diff.{key}", **kw)


def md(text: Any) -> str:
    """User text made safe inside Markdown (tables, lists, emphasis, HTML)."""
    return str(text).translate(_MD_SPECIAL).strip()


def _code(text: str) -> str:
    """A code span the text cannot break out of, however many backticks it holds."""
    from .mdtext import code

    return code(str(text))


def _num(value: float) -> str:
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
    return _num(round(value * 100, 4)) + "%"


def _value(v: Any, fmt: str, currency: str) -> str:
    if v is None or v == [] or v == {}:
        return "—"
    if fmt == "money":
        return _money(v, currency)
    if fmt in ("kpi:percent",):
        return _pct(v)
    if fmt == "kpi:currency":
        return _money(v, currency)
    if fmt.startswith("kpi:") or fmt == "number":
        return _num(v)
    if fmt == "date":
        return v.isoformat()
    if fmt == "period":
        return f"{v[0].isoformat()} – {v[1].isoformat()}"
    if fmt == "goal_status":
        return _GOAL_STATUS.get(v, v)
    if fmt.startswith("milestones:"):
        kind = "kpi:" + fmt.partition(":")[2]
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
    if not isinstance(c.old, int | float) or not isinstance(c.new, int | float):
        return ""
    if isinstance(c.old, bool) or c.old == c.new:
        return ""
    d = c.new - c.old
    if c.fmt in ("money", "kpi:currency"):
        return f" ({_signed(d, lambda x: _money(x, currency))})"
    if c.fmt == "kpi:percent":
        return f" ({_signed(d, lambda x: _num(round(x * 100, 4)))} pp)"
    if c.fmt in ("number",) or c.fmt.startswith("kpi:"):
        return f" ({_signed(d, lambda x: _num(round(x, 6)))})"
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
    old, new = _value(c.old, c.fmt, currency), _value(c.new, c.fmt, currency)
    return f"{c.field.replace('_', ' ')} {old} → {new}{_delta(c, currency)}"


def _changes(changes: Sequence[Change], currency: str) -> str:
    return "; ".join(_change(c, currency) for c in changes)


def _goal_summary(g: Goal, fmt: str, currency: str) -> str:
    kind = f"kpi:{fmt}"
    text = (
        f"{_code(g.kpi)} {_value(g.baseline, kind, currency)} → {_value(g.target, kind, currency)} "
        + _t("by", date=g.deadline.isoformat())
    )
    if g.filter:
        text += _t("filter", filter=_value(g.filter, "filter", currency))
    return text + f" — {md(g.statement)}"


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


def _finding_line(f: FindingRecord, new: bool) -> str:
    from .messages import msg, say

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
    return f"### {_t('plan')} {_code(p.id)}{title}{_t(suffix) if suffix else ''}"


def _plan_block(p: PlanDiff, d: SiteDiff) -> list[str]:
    cur = p.currency
    lines = [_plan_heading(p), ""]
    if p.change == "deleted":
        assert p.old is not None
        lines += [f"{_code(p.file)} · {_t('was_status', status=p.old.plan.status)}", ""]
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
                name = c.field.replace("_", " ").capitalize()
                old, new = _value(c.old, c.fmt, cur), _value(c.new, c.fmt, cur)
                fields.append(f"- {name}: {old} → {new}")
        if fields:
            lines += [*fields, ""]
    fmts = p.new.goal_format if p.new else {}
    if p.goals:
        lines += [
            f"**{_t('goals')}**",
            "",
            *_item_lines(
                p.goals,
                lambda g: _goal_summary(g, fmts.get(g.id, "number"), cur),
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
    for title, items, summary in (
        ("personas", p.personas, lambda x: _persona_summary(x, d.persona_names)),
        ("phases", p.phases, _phase_summary),
        ("risks", p.risks, _risk_summary),
    ):
        if items:
            lines += [
                f"**{_t(title)}**",
                "",
                *_item_lines(items, summary, cur, new_plan=new_plan),
                "",
            ]
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
        lines += [f"> {note}", ""]
    for p in d.plans:
        lines += _plan_block(p, d)
    for page in d.pages:
        lines += [f"### {_t('page')} {_code(page.file)}", ""]
        lines += _findings_block(page.new_findings, page.resolved_findings)
    return "\n".join(lines).rstrip("\n") + "\n"


# --------------------------------------------------------------------------- JSON


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


def _change_json(c: Change) -> dict[str, Any]:
    if c.fmt == "allocation":
        return {
            "field": "amount",
            "old": {"amount": c.old[0], "share": round(c.old[1], 6)},
            "new": {"amount": c.new[0], "share": round(c.new[1], 6)},
        }
    return {"field": c.field, "old": _plain(c.old), "new": _plain(c.new)}


def _item_json(it: ItemDiff) -> dict[str, Any]:
    out: dict[str, Any] = {"id": it.id, "change": it.change}
    if it.change == "changed":
        out["changes"] = [_change_json(c) for c in it.changes]
    elif it.change == "added":
        out["new"] = _plain(it.new)
    else:
        out["old"] = _plain(it.old)
    return out


def _finding_json(f: FindingRecord) -> dict[str, Any]:
    return {
        "file": f.file,
        "line": f.line,
        "rule": f.rule,
        "text": f.text,
        "severity": f.severity,
        "state": f.state,
        "column": f.column,
        "draft": f.draft,
        "message": f.message,
    }


def to_json(d: SiteDiff) -> dict[str, Any]:
    """The diff as plain data (``json.dumps``-able)."""
    plans = []
    for p in d.plans:
        plans.append(
            {
                "id": p.id,
                "change": p.change,
                "file": p.file,
                "old_file": p.old_file,
                "title": p.title,
                "currency": p.currency,
                "fields": [_change_json(c) for c in p.fields],
                "goals": [_item_json(i) for i in p.goals],
                "budget": [_change_json(c) for c in p.budget],
                "allocations": [_item_json(i) for i in p.allocations],
                "personas": [_item_json(i) for i in p.personas],
                "phases": [_item_json(i) for i in p.phases],
                "risks": [_item_json(i) for i in p.risks],
                "findings": {
                    "new": [_finding_json(f) for f in p.new_findings],
                    "resolved": [_finding_json(f) for f in p.resolved_findings],
                },
            }
        )
    pages = [
        {
            "file": pg.file,
            "findings": {
                "new": [_finding_json(f) for f in pg.new_findings],
                "resolved": [_finding_json(f) for f in pg.resolved_findings],
            },
        }
        for pg in d.pages
    ]
    return {
        "version": 1,
        "base": d.base,
        "head": d.head,
        "changed": not d.empty,
        "summary": summary_line(d),
        "notes": list(d.notes),
        "plans": plans,
        "pages": pages,
    }
