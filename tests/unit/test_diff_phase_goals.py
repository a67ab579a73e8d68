"""Phase goals and goal milestones in `planbook diff` (07-diff-ignores-phase-goals): the
goals of each phase (plan.phases[].goals) compared like the plan's goals, under their
phase in Markdown and in JSON; a goal milestone's change spelled out (owner, name, date,
target) in the site's language, its values escaped."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from planbook.cli import main
from planbook.diffing import PlanSnapshot, SiteSnapshot, diff_sites, render_markdown, to_json
from planbook.model import Plan
from tests.unit.test_diff import CONFIG, CSV, Repo

PERIOD = {"start": "2026-09-01", "end": "2026-12-31"}


def _pg(**kw: object) -> dict:
    return {
        "id": "pg",
        "statement": "预热期点击 100",
        "kpi": "clicks",
        "baseline": 0,
        "target": 100,
        **kw,
    }


def _phase(goals: list[dict], **kw: object) -> dict:
    return {"name": "预热期", "start": "2026-09-01", "end": "2026-10-31", "goals": goals, **kw}


def _site(
    label: str,
    phases: list[dict],
    formats: dict[str, str] | None = None,
    status: dict[str, str] | None = None,
    goals: list[dict] | None = None,
    goal_format: dict[str, str] | None = None,
) -> SiteSnapshot:
    p = Plan.model_validate({"id": "p", "period": PERIOD, "phases": phases, "goals": goals or []})
    snap = PlanSnapshot(p, "docs/p.md", None, {}, goal_format or {})
    for ph in p.phases:
        snap.phase_goal_format[ph.name] = formats or {}
        snap.phase_goal_status[ph.name] = status or {}
    return SiteSnapshot(label, plans={"p": snap}, language="zh")


HEAD = "## Planbook: `{a}` → `{b}`\n\n{summary}\n\n### {plan} `p`\n\n`docs/p.md`\n\n"


def _body(base: SiteSnapshot, head: SiteSnapshot, language: str) -> str:
    out = render_markdown(diff_sites(base, head), language)
    summary, plan = ("计划：1 个修改", "计划") if language == "zh" else ("Plan: 1 changed", "Plan")
    start = HEAD.format(a=base.label, b=head.label, summary=summary, plan=plan)
    assert out.startswith(start), out
    return out.removeprefix(start)


def test_a_phase_goal_target_and_status_change() -> None:
    base = _site("a", [_phase([_pg()])], status={"pg": "achieved"})
    head = _site("b", [_phase([_pg(target=900)])], status={"pg": "off_track"})
    assert _body(base, head, "zh") == textwrap.dedent(
        """\
        **阶段**

        - *预热期*
          - `pg`: target 100 → 900 (+800); status 已达成 → 落后
        """
    )
    assert _body(base, head, "en") == textwrap.dedent(
        """\
        **Phases**

        - *预热期*
          - `pg`: target 100 → 900 (+800); status achieved → off track
        """
    )
    (phase,) = to_json(diff_sites(base, head))["plans"][0]["phases"]
    assert phase == {
        "id": "预热期",
        "change": "changed",
        "changes": [],
        "goals": [
            {
                "id": "pg",
                "change": "changed",
                "changes": [
                    {"field": "target", "old": 100.0, "new": 900.0},
                    {"field": "status", "old": "achieved", "new": "off_track"},
                ],
            }
        ],
    }


def test_a_phase_goal_removed_and_one_added_with_the_phase_end_as_deadline() -> None:
    base = _site("a", [_phase([_pg()])])
    head = _site(
        "b",
        [_phase([_pg(id="ctr", kpi="ctr", baseline=0.01, target=0.05, deadline="2026-10-15")])],
        formats={"ctr": "percent"},
    )
    assert _body(base, head, "zh") == textwrap.dedent(
        """\
        **阶段**

        - *预热期*
          - `ctr` 新增: `ctr` 1% → 5% 截止 2026-10-15 — 预热期点击 100
          - `pg` 已删除（原为：`clicks` 0 → 100 截止 2026-10-31 — 预热期点击 100）
        """
    )
    d = diff_sites(base, head)
    goals = to_json(d)["plans"][0]["phases"][0]["goals"]
    assert [(g["id"], g["change"]) for g in goals] == [("ctr", "added"), ("pg", "removed")]
    assert to_json(d)["changed"] is True


def test_a_phase_added_or_removed_lists_its_goals() -> None:
    base = _site("a", [])
    head = _site("b", [_phase([_pg()], milestones=[{"name": "上线", "date": "2026-10-01"}])])
    assert _body(base, head, "en") == textwrap.dedent(
        """\
        **Phases**

        - *预热期* added: 2026-09-01 – 2026-10-31, 1 milestone
          - `pg`: `clicks` 0 → 100 by 2026-10-31 — 预热期点击 100
        """
    )
    assert _body(head, base, "en") == textwrap.dedent(
        """\
        **Phases**

        - *预热期* removed (was: 2026-09-01 – 2026-10-31, 1 milestone)
          - `pg` removed (was: `clicks` 0 → 100 by 2026-10-31 — 预热期点击 100)
        """
    )
    (phase,) = to_json(diff_sites(base, head))["plans"][0]["phases"]
    assert phase["change"] == "added" and [g["change"] for g in phase["goals"]] == ["added"]
    assert phase["new"]["goals"][0]["id"] == "pg"


def test_a_changed_phase_and_its_goal_kpi_in_the_old_format() -> None:
    base = _site("a", [_phase([_pg(baseline=5000, target=6000)])], formats={"pg": "number"})
    head = _site(
        "b",
        [_phase([_pg(kpi="ctr", baseline=0.02, target=0.03)], end="2026-11-15")],
        formats={"pg": "percent"},
    )
    assert _body(base, head, "zh") == textwrap.dedent(
        """\
        **阶段**

        - *预热期*: end 2026-10-31 → 2026-11-15
          - `pg`: kpi clicks → ctr; baseline 5,000 → 2%; target 6,000 → 3%
        """
    )


def test_hostile_phase_goal_text_is_escaped() -> None:
    base = _site("a", [_phase([])])
    statement = "</details> @acme/legal `x` | ![t](https://e.x/p.png)\n> quoted"
    head = _site("b", [_phase([_pg(statement=statement, owner="@team", kpi="a|`b")])])
    assert _body(base, head, "en") == textwrap.dedent(
        """\
        **Phases**

        - *预热期*
          - `pg` added: ``a|`b`` 0 → 100 by 2026-10-31 — &lt;/details&gt; @&#8203;acme/legal \\`x\\` \\| !\\[t\\](https:&#8203;//e.x/p.png) &gt; quoted
        """
    )


# ------------------------------------------------------------------ goal milestones


def _goal(milestones: list[dict], **kw: object) -> dict:
    return {
        "id": "g",
        "statement": "s",
        "kpi": "clicks",
        "baseline": 0,
        "target": 600,
        "deadline": "2026-12-31",
        "milestones": milestones,
        **kw,
    }


def _goal_line(old: list[dict], new: list[dict], language: str, **kw: object) -> str:
    fmt = {"g": str(kw.pop("fmt", "number"))}
    base = _site("a", [], goals=[_goal(old, **kw)], goal_format=fmt)
    head = _site("b", [], goals=[_goal(new, **kw)], goal_format=fmt)
    (line,) = [
        x
        for x in render_markdown(diff_sites(base, head), language).splitlines()
        if x.startswith("- ")
    ]
    return line


MS = {"date": "2026-10-15", "target": 200, "name": "预热", "owner": "张三"}


@pytest.mark.parametrize(
    ("new", "zh", "en"),
    [
        (
            {**MS, "owner": "赵六"},
            "里程碑 *预热* 负责人 张三 → 赵六",
            "milestone *预热* owner 张三 → 赵六",
        ),
        (
            {**MS, "name": "上线"},
            "里程碑 2026-10-15 名称 预热 → 上线",
            "milestone 2026-10-15 name 预热 → 上线",
        ),
        (
            {**MS, "date": "2026-10-20", "target": 250},
            "里程碑 *预热* 日期 2026-10-15 → 2026-10-20，目标值 200 → 250 (+50)",
            "milestone *预热* date 2026-10-15 → 2026-10-20, target 200 → 250 (+50)",
        ),
        (
            {"phase": "预热期", "target": 200, "name": "预热", "owner": None},
            "里程碑 *预热* 日期 2026-10-15 → 预热期，负责人 张三 → —",
            "milestone *预热* date 2026-10-15 → 预热期, owner 张三 → —",
        ),
    ],
)
def test_a_goal_milestone_change_is_spelled_out(new: dict, zh: str, en: str) -> None:
    assert _goal_line([MS], [new], "zh") == f"- `g`: {zh}"
    assert _goal_line([MS], [new], "en") == f"- `g`: {en}"


def test_goal_milestones_added_removed_and_in_the_goal_format() -> None:
    old = [{"date": "2026-10-01", "target": 0.02}, {"date": "2026-11-01", "target": 0.03}]
    new = [
        {"date": "2026-10-01", "target": 0.025},
        {"date": "2026-12-01", "target": 0.04, "name": "冲刺"},
    ]
    assert _goal_line(old, new, "zh", fmt="percent", target=0.05) == (
        "- `g`: 里程碑 2026-10-01 目标值 2% → 2.5% (+0.5 pp); 里程碑 *冲刺*（2026-12-01：4%）新增; "
        "里程碑 2026-11-01 已删除（原为 2026-11-01：3%）"
    )
    assert _goal_line(old, new, "en", fmt="percent", target=0.05) == (
        "- `g`: milestone 2026-10-01 target 2% → 2.5% (+0.5 pp); milestone *冲刺* added "
        "(2026-12-01: 4%); milestone 2026-11-01 removed (was 2026-11-01: 3%)"
    )


def test_hostile_goal_milestone_text_is_escaped() -> None:
    new = {**MS, "name": "</details> `x` | *b*\n# c", "owner": "@acme/legal [ok](https://e.x)"}
    assert _goal_line([MS], [new], "en") == (
        "- `g`: milestone 2026-10-15 name 预热 → &lt;/details&gt; \\`x\\` \\| \\*b\\* # c, "
        "owner 张三 → @&#8203;acme/legal \\[ok\\](https:&#8203;//e.x)"
    )


# ------------------------------------------------------------------ a real site


PLAN = """\
---
plan:
  id: p
  period: {{start: 2026-09-01, end: 2026-12-31}}
  metrics: [data/ads.csv]
  phases:
    - name: 预热期
      start: 2026-09-01
      end: 2026-10-31
      goals:
        - {{id: pg, statement: 预热期点击, kpi: clicks, baseline: 0, target: {target}}}
---

# P
"""


def test_a_phase_goal_through_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    r = Repo(tmp_path / "repo")
    config = CONFIG.replace("language: en", "language: zh")
    r.commit(
        "a", {"mkdocs.yml": config, "data/ads.csv": CSV, "content/p.md": PLAN.format(target=100)}
    )
    r.commit("b", {"content/p.md": PLAN.format(target=900)})
    monkeypatch.chdir(r.root)
    out = CliRunner().invoke(main, ["diff", "a", "b"], catch_exceptions=False).stdout
    # 700 clicks by 09-10: the 100 was achieved, 900 by 10-31 is not yet
    assert "**阶段**\n\n- *预热期*\n  - `pg`: target 100 → 900 (+800); status 已达成 → " in out
    data = json.loads(CliRunner().invoke(main, ["diff", "a", "b", "--format", "json"]).stdout)
    assert data["changed"] is True
    (goal,) = data["plans"][0]["phases"][0]["goals"]
    assert goal["changes"][0] == {"field": "target", "old": 100.0, "new": 900.0}
