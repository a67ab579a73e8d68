"""One plan evaluated on its daily cube: goals, channel breakdown, budget, personas
and plan quality, as a :class:`PlanView` (what every section renders from).

:class:`~planbook.project.Project` finds a plan's cube, keeps its views across
`mkdocs serve` rebuilds and turns an unexpected error into a diagnostic;
:func:`evaluate_plan` computes the view.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, Severity
from ..frontmatter import format_path
from ..i18n import value_labels_in
from ..messages import msg
from ..model import Persona, Plan
from .breakdown import Breakdown, breakdown
from .budget import BudgetResult, evaluate_budget
from .kpis import (
    GoalResult,
    KpiRegistry,
    MetricFrame,
    PacingConfig,
    check_kpis,
    evaluate_goal,
    filter_key,
    plan_as_of,
    unknown_dimension,
)

if TYPE_CHECKING:
    from ..project import Page, Settings

__all__ = ["PlanView", "evaluate_plan", "plan_quality"]


@dataclass
class PlanView:
    """An evaluated plan: everything a section needs to render."""

    page: Page
    plan: Plan
    data: MetricFrame
    registry: KpiRegistry
    as_of: date | None
    goals: list[GoalResult]
    channels: Breakdown | None
    budget: BudgetResult | None
    personas: list[tuple[Persona | None, str, str | None]]  # (persona, id, src_uri of its page)
    diagnostics: list[Diagnostic]
    value_labels: Mapping[str, str] = field(default_factory=dict)  # display names of values
    value_colors: Mapping[str, int | str] = field(default_factory=dict)  # chart colour per value
    phase_goals: list[list[GoalResult]] = field(default_factory=list)  # per plan.phases[i]
    quality: list[Diagnostic] = field(default_factory=list)  # plan-quality (lint) findings
    # The warnings and errors of the data files the plan reads (rows excluded, a file
    # refused): shown in the page's problem box, logged once per file by the build.
    data_problems: list[Diagnostic] = field(default_factory=list)
    # The pacing settings ``goals`` were evaluated with (a report reuses a goal's result
    # when it asks for the same day and settings: reports.goal_as_of).
    pacing: PacingConfig | None = None

    @property
    def status(self) -> str:
        """The plan's objective status: the worst status of its goals."""
        from .kpis import STATUS_RANK

        if not self.goals:
            return "no_data"
        return max((g.status for g in self.goals), key=lambda s: STATUS_RANK[s])


def evaluate_plan(
    page: Page,
    data: MetricFrame,
    diags: list[Diagnostic],
    s: Settings,
    persona_pages: Mapping[str, Page],
) -> PlanView:
    """The view of the plan on ``page`` over its cube ``data``; ``diags`` (the cube's)
    gets the evaluation's diagnostics and becomes the view's. ``persona_pages``: the
    persona pages of the site by id, for the plan's persona references."""
    assert page.plan is not None
    plan = page.plan
    locs = page.front.locations
    registry = KpiRegistry(plan.kpis, data.measures)
    diags.extend(check_kpis(plan, registry, file=page.file, locations=locs))
    as_of = plan_as_of(plan, data, s.as_of)
    for dim in plan.channel_filter:
        if dim not in data.dimensions and not data.empty:
            path = ("plan", "channel_filter", dim)
            diags.append(
                Diagnostic(
                    page.file,
                    locs.line(path),
                    format_path(path),
                    "kpi/unknown-dimension",
                    Severity.ERROR,
                    unknown_dimension(dim, data),
                )
            )
    goals = []
    for i, goal in enumerate(plan.goals):
        result = evaluate_goal(
            goal,
            index=i,
            plan=plan,
            data=data,
            registry=registry,
            as_of=plan.as_of or s.as_of,
            pacing=s.pacing,
            file=page.file,
            locations=locs,
        )
        diags.extend(result.diagnostics)
        goals.append(result)
    channels = None
    dim = s.channel_dimension
    if dim in data.dimensions and as_of is not None and as_of >= plan.period.start:
        channels = breakdown(
            data,
            registry,
            dim,
            plan.period.start,
            min(as_of, plan.period.end),
            filters=filter_key(plan.channel_filter),
        )
        if not channels.rows:
            channels = None
    budget = evaluate_budget(
        plan,
        data,
        registry,
        as_of,
        tolerance=s.budget_tolerance,
        file=page.file,
        locations=locs,
    )
    if budget is not None:
        diags.extend(budget.diagnostics)
    personas: list[tuple[Persona | None, str, str | None]] = []
    for i, ref in enumerate(plan.personas):
        if isinstance(ref, Persona):
            personas.append((ref, ref.id, None))
            continue
        found_page = persona_pages.get(ref)
        if found_page is None or found_page.persona is None:
            path = ("plan", "personas", i)
            known = ", ".join(sorted(persona_pages)) or msg("none")
            diags.append(
                Diagnostic(
                    page.file,
                    locs.line(path),
                    f"plan.personas[{i}]",
                    "plan/unknown-persona",
                    Severity.ERROR,
                    msg("plan/unknown-persona", ref=ref, known=known),
                )
            )
            personas.append((None, ref, None))
        else:
            personas.append((found_page.persona, ref, found_page.src_uri))
    view = PlanView(
        page,
        plan,
        data,
        registry,
        as_of,
        goals,
        channels,
        budget,
        personas,
        diags,
        value_labels_in(s.value_labels, plan.language or s.language),
        value_colors=s.value_colors,
        pacing=s.pacing,
    )
    plan_quality(view, s)
    return view


def plan_quality(view: PlanView, s: Settings) -> None:
    """Phase goals evaluated, and the plan-quality findings (planbook.metrics.lint) of all goals."""
    from .lint import Located, lint_plan
    from .targets import as_goal

    plan, page = view.plan, view.page
    located = [Located(("goals", i), g) for i, g in enumerate(view.goals)]
    ids = {g.id for g in plan.goals}
    for p, phase in enumerate(plan.phases):
        results = []
        for j, pg in enumerate(phase.goals):
            deadline = pg.deadline or phase.end
            if pg.id in ids or not phase.start <= deadline <= phase.end:
                continue  # check_targets reports it
            if pg.target == pg.baseline or not phase.start <= (pg.start or phase.start) <= deadline:
                continue
            ids.add(pg.id)
            path = ("phases", p, "goals", j)
            result = evaluate_goal(
                as_goal(pg, phase),
                index=j,
                plan=plan,
                data=view.data,
                registry=view.registry,
                as_of=plan.as_of or s.as_of,
                pacing=s.pacing,
                file=page.file,
                locations=page.front.locations,
                path=("plan", *path),
            )
            view.diagnostics.extend(result.diagnostics)
            results.append(result)
            located.append(Located(path, result))
        view.phase_goals.append(results)
    if s.lint:
        view.quality = lint_plan(
            plan,
            located,
            view.data,
            file=page.file,
            locations=page.front.locations,
            levels=s.lint_rules,
            channel_dimension=s.channel_dimension,
        )
