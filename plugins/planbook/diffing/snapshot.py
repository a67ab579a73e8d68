"""Snapshots of one version of a site: its plans (as evaluated) and review findings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..messages import msg
from ..model import Plan
from ..project import Project, Settings
from ..views.pages import prepare_file
from ..views.render import Renderer

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
    # The same for the goals of each phase (plan.phases[].goals), by phase name.
    phase_goal_status: dict[str, dict[str, str]] = field(default_factory=dict)
    phase_goal_format: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class SiteSnapshot:
    """Everything the diff compares of one version of a site."""

    label: str
    plans: dict[str, PlanSnapshot] = field(default_factory=dict)
    findings: list[FindingRecord] = field(default_factory=list)
    persona_names: dict[str, str] = field(default_factory=dict)
    invalid: dict[str, str] = field(default_factory=dict)  # file -> plan id (or "")
    # Catalogued messages (English text; ``messages.say`` gives the site's language), their
    # values from the revision in code spans.
    notes: list[str] = field(default_factory=list)
    language: str | None = None  # the site's language (None: no site read)
    # The configuration file, when it is there but could not be loaded: the revision's
    # plans are unknown, not deleted.
    unloaded: str | None = None


_RAW_PLAN = re.compile(r"^plan:[ \t]*(?:#.*)?$", re.M)
_RAW_ID = re.compile(r"^[ \t]+id:[ \t]*['\"]?([a-z0-9][a-z0-9_-]*)", re.M)


def _raw_plan_id(path: Path) -> str | None:
    """For a page whose front matter does not parse: its plan id as written ("" when
    none can be read), or None when it does not look like a plan page at all."""
    from ..frontmatter import split_front_matter

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
                    msg("diff/duplicate-id", label=label, id=plan.id, first=first, file=page.file)
                )
            else:
                view = prepared.view
                status = {g.goal.id: g.status for g in view.goals} if view else {}
                formats = {g.goal.id: g.kpi.format for g in view.goals if g.kpi} if view else {}
                kept = PlanSnapshot(plan, page.file, page.title, status, formats)
                for phase, results in zip(
                    plan.phases, view.phase_goals if view else [], strict=False
                ):
                    kept.phase_goal_status.setdefault(
                        phase.name, {g.goal.id: g.status for g in results}
                    )
                    kept.phase_goal_format.setdefault(
                        phase.name, {g.goal.id: g.kpi.format for g in results if g.kpi}
                    )
                snap.plans[plan.id] = kept
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
