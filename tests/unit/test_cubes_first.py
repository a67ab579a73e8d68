"""The plans' cubes are made before any plan is evaluated, and the large tables let go of
their raw rows in between (Project.cubes_first; issue 12: 1,000 plans' evaluations on top
of a million raw rows were the build's peak). The evaluations are the ones made with the
rows at hand, no file is read again, and a plan whose cube fails still gets its error."""

from __future__ import annotations

from pathlib import Path

import pytest

from planbook import project as project_module
from planbook.metrics.evaluation import PlanView
from planbook.project import Project, Settings

ROWS = "\n".join(
    f"2026-{8 + (d > 30):02d}-{(d - 1) % 30 + 1:02d},{ch},c-{ch}-{d % 3},{d * 10 + i},{d * 1.5 + i:.2f},{d % 4}"
    for d in range(1, 61)
    for i, ch in enumerate(("sem", "feed", "kol"))
)
CSV = "date,channel,campaign,clicks,spend,conversions\n" + ROWS + "\n"


def _plan(pid: str, end: str, target: int) -> str:
    return (
        "---\nplan:\n"
        f"  id: {pid}\n  owner: t\n  status: draft\n"
        f"  period: {{start: 2026-08-01, end: {end}}}\n"
        "  metrics: [data/m.csv]\n"
        "  goals:\n"
        f"    - {{id: g, statement: s, kpi: clicks, baseline: 0, target: {target},"
        f" deadline: {end}, filter: {{channel: [sem]}}}}\n"
        f"    - {{id: r, statement: r, kpi: cpc, baseline: 2, target: 1, deadline: {end}}}\n"
        "  budget: {total: 5000, by: channel, allocations: [{item: sem, share: 0.6},"
        " {item: feed, share: 0.4}]}\n"
        "---\n# p\n"
    )


def _project(root: Path) -> Project:
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "data").mkdir(exist_ok=True)
    (root / "data" / "m.csv").write_text(CSV, "utf-8")
    # periods that end before the last rows: each plan has rows after its period
    for pid, end, target in (
        ("a", "2026-09-10", 900),
        ("b", "2026-08-25", 400),
        ("c", "2026-09-30", 5000),
    ):
        (root / "docs" / f"{pid}.md").write_text(_plan(pid, end, target), "utf-8")
    project = Project(Settings(root=root, docs_dir=root / "docs"))
    project.begin_build()
    project.scan()
    return project


def _figures(view: PlanView) -> tuple:
    goals = [
        (g.actual, g.expected, g.progress, g.forecast, g.status, list(g.series.items()))
        for g in view.goals
    ]
    channels = [repr(row) for row in view.channels.rows] if view.channels else None
    budget = repr(view.budget.rows) if view.budget else None
    said = [(d.file, d.line, d.field, d.rule, d.severity, str(d.message)) for d in view.diagnostics]
    return view.as_of, goals, channels, budget, said


def test_every_plan_is_evaluated_after_the_rows_went_with_the_same_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(project_module, "RELEASE_ROWS", 1)
    reference = _project(tmp_path / "ref")
    expected = {p.plan.id: _figures(reference.evaluate(p)) for p in list(reference.plans.values())}
    assert reference.store.parse_count == 1

    project = _project(tmp_path / "new")
    rows_then: list[int] = []
    real = Project._evaluate

    def spy(self: Project, page: project_module.Page) -> PlanView:
        (table,) = self.store.used_tables()
        rows_then.append(len(table.frame))
        return real(self, page)

    monkeypatch.setattr(Project, "_evaluate", spy)
    assert project.cubes_first() == 1  # the one large table let go of its rows
    got = {p.plan.id: _figures(project.evaluate(p)) for p in list(project.plans.values())}
    assert rows_then == [0, 0, 0]  # every evaluation came after the rows went
    assert project.store.parse_count == 1  # and read nothing again
    assert got == expected
    assert any(d[3] == "data/outside-period" for figures in got.values() for d in figures[4])


def test_a_plan_whose_cube_fails_is_reported_by_its_evaluation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = _project(tmp_path)
    real = Project.frame_for

    def failing(self: Project, page: project_module.Page):  # type: ignore[no-untyped-def]
        if page.plan is not None and page.plan.id == "b":
            raise ValueError("</script> boom")
        return real(self, page)

    monkeypatch.setattr(Project, "frame_for", failing)
    project.cubes_first()  # does not raise
    views = {p.plan.id: project.evaluate(p) for p in list(project.plans.values())}
    (error,) = [d for d in views["b"].diagnostics if d.rule == "plan/internal-error"]
    assert error.file == "docs/b.md" and "ValueError" in str(error.message)
    assert all(v.goals for pid, v in views.items() if pid != "b")
