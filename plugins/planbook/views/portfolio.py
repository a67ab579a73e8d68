"""The portfolio: every plan of the site in one table, with totals per currency."""

from __future__ import annotations

import subprocess
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..metrics.evaluation import PlanView
from ..review import PageReview
from .planning.views import cadence_summary

if TYPE_CHECKING:
    from ..project import Page, Project

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
    # each plan's budget and spend: the column's unit is chosen over them and the total
    budgets: list[float] = field(default_factory=list)
    spents: list[float] = field(default_factory=list)

    @property
    def used(self) -> float | None:
        return self.spent / self.budget if self.budget else None


def last_changes(root: Path, files: list[str]) -> dict[str, date]:
    """Date of the last commit touching each file (empty outside a git work tree).

    One ``git log --name-only`` pass over the history (newest first) for all the files,
    stopped as soon as every file has its date: one process, not one per file (200
    files: 2 s as one `git log -1` each). ``files`` are relative to ``root``."""
    out: dict[str, date] = {}
    for start in range(0, len(files), _BATCH):  # command lines have a length limit
        batch = files[start : start + _BATCH]
        found = _one_pass(root, batch)
        if found is None:
            return {}
        out.update(found)
    return out


_BATCH = 1000
_MARK = "\x1e"  # starts each commit's line in the log output


def _one_pass(root: Path, files: list[str]) -> dict[str, date] | None:
    wanted = set(files)
    out: dict[str, date] = {}
    argv = ["git", "-c", "core.quotepath=off", "log", f"--format={_MARK}%cs", "--name-only"]
    try:
        proc = subprocess.Popen(
            [*argv, "--relative", "--", *files],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
            errors="replace",
        )
    except OSError:
        return None
    assert proc.stdout is not None
    current: date | None = None
    try:
        for line in proc.stdout:
            line = line.rstrip("\n")
            if line.startswith(_MARK):
                current = date.fromisoformat(line[1:])
            elif line and current is not None and line in wanted and line not in out:
                out[line] = current
                if len(out) == len(wanted):
                    break
    finally:
        proc.stdout.close()
        if proc.poll() is None:
            proc.kill()
        try:
            code = proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            return None
    if code not in (0, -9) and not out:
        return None  # not a git work tree (or git failed): no dates
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
            t.budgets.append(view.plan.budget.total)
            t.spents.append(row.spent or 0.0)
    return rows, [totals[c] for c in sorted(totals)]
