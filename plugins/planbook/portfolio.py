"""The portfolio: every plan of the site in one table, with totals per currency."""

from __future__ import annotations

import subprocess
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .planning.views import cadence_summary
from .project import Page, PlanView, Project
from .review import PageReview

GOAL_STATUSES = ("achieved", "on_track", "at_risk", "off_track")


@dataclass
class PlanRow:
    view: PlanView
    title: str
    src_uri: str
    last_change: date | None
    open_findings: int
    goals: Counter[str] = field(default_factory=Counter)
    content: tuple[int, int] | None = None  # cadence windows on target, windows closed

    @property
    def plan(self):
        return self.view.plan

    @property
    def spent(self) -> float | None:
        return self.view.budget.spent if self.view.budget else None

    @property
    def used(self) -> float | None:
        return self.view.budget.used if self.view.budget else None


@dataclass
class Total:
    currency: str
    budget: float = 0.0
    spent: float = 0.0
    plans: int = 0

    @property
    def used(self) -> float | None:
        return self.spent / self.budget if self.budget else None


def last_changes(root: Path, files: list[str]) -> dict[str, date]:
    """Date of the last commit touching each file (empty outside a git work tree)."""
    out: dict[str, date] = {}
    for file in files:
        try:
            proc = subprocess.run(
                ["git", "log", "-1", "--format=%cs", "--", file],
                cwd=root,
                capture_output=True,
                text=True,
                timeout=20,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            return {}
        if proc.returncode != 0:
            return {}
        text = proc.stdout.strip()
        if text:
            out[file] = date.fromisoformat(text)
    return out


def portfolio(
    project: Project, review: Callable[[Page], PageReview | None], changes: dict[str, date]
) -> tuple[list[PlanRow], list[Total]]:
    """Rows for every plan (sorted by id) and budget totals per currency."""
    rows: list[PlanRow] = []
    totals: dict[str, Total] = {}
    for plan_id in sorted(project.plans):
        page = project.plans[plan_id]
        view = project.evaluate(page)
        if view is None:
            continue
        r = review(page)
        # open review items: unwaived findings plus required sign-offs still missing
        open_findings = (
            len(r.open_findings) + len(r.missing_signoffs) if r is not None and r.in_scope else 0
        )
        row = PlanRow(
            view,
            view.plan.title or page.title or plan_id,
            page.src_uri,
            changes.get(page.file),
            open_findings,
            Counter(g.status for g in view.goals),
            cadence_summary(project, view),
        )
        rows.append(row)
        t = totals.setdefault(view.plan.currency, Total(view.plan.currency))
        t.plans += 1
        if view.plan.budget is not None:
            t.budget += view.plan.budget.total
            t.spent += row.spent or 0.0
    return rows, [totals[c] for c in sorted(totals)]
