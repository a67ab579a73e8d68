"""`planbook diff` on a temporary git repository: plans added, targets moved, budgets
re-split, status changed, risks added, review findings fixed. Output checked exactly."""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from planbook.cli import main
from planbook.diffing import PlanSnapshot, SiteSnapshot, diff_sites, render_markdown
from planbook.model import Plan

CONFIG = """\
site_name: Diff fixture
docs_dir: content
theme:
  name: material
  language: en
plugins:
  - planbook
"""

# Ten days, two channels (sem, social).
CSV = "date,channel,impressions,clicks,spend,conversions,revenue\n" + "".join(
    f"2026-09-{d:02d},{ch},{imp},{clk},{spend},{conv},{rev}\n"
    for d in range(1, 11)
    for ch, imp, clk, spend, conv, rev in (
        ("sem", 1000, 50, 100, 5, 600),
        ("social", 2000, 20, 50, 1, 40),
    )
)

AUTUMN = """\
---
plan:
  id: autumn
  title: Autumn | push
  owner: Head of growth
  status: {status}
  period: {{start: 2026-09-01, end: 2026-12-31}}
  currency: CNY
  metrics: [data/ads.csv]
  goals:
    - id: sem-ctr
      statement: SEM CTR up to 6%
      kpi: ctr
      filter: {{channel: sem}}
      baseline: 0.04
      target: {target}
      deadline: {deadline}
    - id: revenue
      statement: Revenue of 100,000
      kpi: revenue
      baseline: 0
      target: {revenue}
      deadline: 2026-12-31
  budget:
    total: 100000
    by: channel
    allocations:
      - {{item: sem, share: {sem}}}
      - {{item: social, share: {social}}}
  phases:
    - name: Launch
      start: 2026-09-01
      end: 2026-12-31
  risks:
    - {{id: cpc-rise, title: CPC rises, category: market, likelihood: 2, impact: 3}}
{extra_risk}---

# Autumn push

Plan text.
"""

RISK = (
    "    - {id: stock-out, title: Stock runs out, category: operational, "
    "likelihood: 3, impact: 4}\n"
)

WINTER = """\
---
plan:
  id: winter
  status: draft
  period: {start: 2027-01-01, end: 2027-03-31}
  currency: USD
  budget:
    total: 5000
    allocations:
      - {item: email, amount: 5000}
---

# Winter
"""

COPY = """\
---
title: Launch copy
review:
  status: draft
  market: cn
  channel: web
---

# Launch copy
{moved}
青岚净化器，全网{first}。

新品上市，效果最好。{added}
"""


def autumn(**kw: object) -> str:
    values = {
        "status": "draft",
        "target": 0.06,
        "deadline": "2026-11-30",
        "sem": 0.3,
        "social": 0.7,
        "extra_risk": "",
        "revenue": 100000,
    }
    values.update(kw)
    return AUTUMN.format(**values)


def copy(first: str = "最低价", moved: str = "", added: str = "") -> str:
    return COPY.format(first=first, moved=moved, added=added)


class Repo:
    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.email", "planner@example.com")
        self.git("config", "user.name", "Planner")
        self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str) -> str:
        done = subprocess.run(
            ["git", *args], cwd=self.root, capture_output=True, text=True, check=True
        )
        return done.stdout

    def write(self, files: dict[str, str]) -> None:
        for name, text in files.items():
            path = self.root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")

    def commit(self, message: str, files: dict[str, str]) -> None:
        self.write(files)
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        self.git("tag", message)


FINAL = {"target": 0.07, "deadline": "2026-12-15", "revenue": 50000}
HISTORY: list[tuple[str, dict[str, str]]] = [
    (
        "start",
        {
            "mkdocs.yml": CONFIG,
            "data/ads.csv": CSV,
            "content/index.md": "# Plans\n",
            "content/plans/autumn.md": autumn(),
            "content/copy/launch.md": copy(),
        },
    ),
    ("winter-added", {"content/plans/winter.md": WINTER}),
    ("target-moved", {"content/plans/autumn.md": autumn(**FINAL)}),
    ("budget-resplit", {"content/plans/autumn.md": autumn(**FINAL, sem=0.35, social=0.65)}),
    (
        "approved",
        {"content/plans/autumn.md": autumn(**FINAL, sem=0.35, social=0.65, status="approved")},
    ),
    (
        "risk-added",
        {
            "content/plans/autumn.md": autumn(
                **FINAL, sem=0.35, social=0.65, status="approved", extra_risk=RISK
            )
        },
    ),
    (
        "copy-fixed",
        {
            "content/copy/launch.md": copy(
                first="限时优惠", moved="\n渠道：官网\n", added="\n\n国家级实验室认证。"
            )
        },
    ),
]


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Repo:
    r = Repo(tmp_path_factory.mktemp("diff-repo"))
    for tag, files in HISTORY:
        r.commit(tag, files)
    return r


def run(repo: Repo, monkeypatch: pytest.MonkeyPatch, *args: str):
    monkeypatch.chdir(repo.root)
    return CliRunner().invoke(main, ["diff", *args], catch_exceptions=False)


def diff(repo: Repo, monkeypatch: pytest.MonkeyPatch, *args: str) -> str:
    result = run(repo, monkeypatch, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_plan_added(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    assert diff(repo, monkeypatch, "start", "winter-added") == textwrap.dedent(
        """\
        ## Planbook: `start` → `winter-added`

        Plan: 1 added

        ### Plan `winter` (new plan)

        `content/plans/winter.md` · status **draft** · 2027-01-01 – 2027-03-31

        **Budget** (USD)

        - Total: $5,000
        - `email`: $5,000 (100.0%)
        """
    )


def test_target_moved_and_goal_status(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    # revenue: ¥6,400 by 09-10; expected on the line to ¥100,000 is ¥8,264 (at risk), to
    # ¥50,000 it is ¥4,132 (on track). The title's "|" is escaped.
    assert diff(repo, monkeypatch, "winter-added", "target-moved") == textwrap.dedent(
        """\
        ## Planbook: `winter-added` → `target-moved`

        Plan: 1 changed

        ### Plan `autumn` · Autumn \\| push

        `content/plans/autumn.md`

        **Goals**

        - `sem-ctr`: target 6% → 7% (+1 pp); deadline 2026-11-30 → 2026-12-15
        - `revenue`: target ¥100,000 → ¥50,000 (-¥50,000); status at risk → on track
        """
    )


def test_budget_resplit(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    assert diff(repo, monkeypatch, "target-moved", "budget-resplit") == textwrap.dedent(
        """\
        ## Planbook: `target-moved` → `budget-resplit`

        Plan: 1 changed

        ### Plan `autumn` · Autumn \\| push

        `content/plans/autumn.md`

        **Budget** (CNY)

        - `sem`: ¥30,000 (30.0%) → ¥35,000 (35.0%) (+¥5,000)
        - `social`: ¥70,000 (70.0%) → ¥65,000 (65.0%) (-¥5,000)
        """
    )


def test_status_approved(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    # The approved plan has no sign-offs (review/blocked): diff reports, it does not fail.
    assert diff(repo, monkeypatch, "budget-resplit", "approved") == textwrap.dedent(
        """\
        ## Planbook: `budget-resplit` → `approved`

        Plan: 1 changed

        ### Plan `autumn` · Autumn \\| push

        `content/plans/autumn.md`

        - Status: **draft** → **approved**
        """
    )


def test_risk_added(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    assert diff(repo, monkeypatch, "approved", "risk-added") == textwrap.dedent(
        """\
        ## Planbook: `approved` → `risk-added`

        Plan: 1 changed

        ### Plan `autumn` · Autumn \\| push

        `content/plans/autumn.md`

        **Risks**

        - `stock-out` added: Stock runs out (operational, likelihood 3 × impact 4 = score 12)
        """
    )


COPY_FINDINGS = """\
### Page `content/copy/launch.md`

**Review findings**

- New: `cn-ad-law/absolute-terms` 「国家级」 (line 17, error, draft)
- Resolved: `cn-ad-law/absolute-terms` 「全网最低」 (was line 11)
"""


def test_copy_finding_fixed_and_moved_text(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    # 「最好」 moved from line 13 to 15: not a change. 「全网最低」 fixed, 「国家级」 new.
    assert diff(repo, monkeypatch, "risk-added", "copy-fixed") == (
        "## Planbook: `risk-added` → `copy-fixed`\n\n"
        "Review findings: 1 new, 1 resolved\n\n" + COPY_FINDINGS
    )


def test_whole_history(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    assert (
        diff(repo, monkeypatch, "start", "copy-fixed")
        == textwrap.dedent(
            """\
        ## Planbook: `start` → `copy-fixed`

        Plans: 1 added, 1 changed · review findings: 1 new, 1 resolved

        ### Plan `autumn` · Autumn \\| push

        `content/plans/autumn.md`

        - Status: **draft** → **approved**

        **Goals**

        - `sem-ctr`: target 6% → 7% (+1 pp); deadline 2026-11-30 → 2026-12-15
        - `revenue`: target ¥100,000 → ¥50,000 (-¥50,000); status at risk → on track

        **Budget** (CNY)

        - `sem`: ¥30,000 (30.0%) → ¥35,000 (35.0%) (+¥5,000)
        - `social`: ¥70,000 (70.0%) → ¥65,000 (65.0%) (-¥5,000)

        **Risks**

        - `stock-out` added: Stock runs out (operational, likelihood 3 × impact 4 = score 12)

        ### Plan `winter` (new plan)

        `content/plans/winter.md` · status **draft** · 2027-01-01 – 2027-03-31

        **Budget** (USD)

        - Total: $5,000
        - `email`: $5,000 (100.0%)

        """
        )
        + COPY_FINDINGS
    )


def test_backwards_deletes_plan(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    out = diff(repo, monkeypatch, "copy-fixed", "start")
    assert out.startswith(
        "## Planbook: `copy-fixed` → `start`\n\n"
        "Plans: 1 changed, 1 deleted · review findings: 1 new, 1 resolved\n"
    )
    assert (
        "- `stock-out` removed (was: Stock runs out (operational, likelihood 3 × impact 4 = score 12))\n"
        in out
    )
    assert "### Plan `winter` (deleted)\n\n`content/plans/winter.md` · was **draft**\n" in out
    assert "- New: `cn-ad-law/absolute-terms` 「全网最低」 (line 11, error, draft)\n" in out


def test_json(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    out = json.loads(diff(repo, monkeypatch, "target-moved", "budget-resplit", "--format", "json"))
    assert out == {
        "version": 1,
        "base": "target-moved",
        "head": "budget-resplit",
        "changed": True,
        "summary": "plan: 1 changed",
        "notes": [],
        "plans": [
            {
                "id": "autumn",
                "change": "changed",
                "file": "content/plans/autumn.md",
                "old_file": "content/plans/autumn.md",
                "title": "Autumn | push",
                "currency": "CNY",
                "fields": [],
                "goals": [],
                "budget": [],
                "allocations": [
                    {
                        "id": "sem",
                        "change": "changed",
                        "changes": [
                            {
                                "field": "amount",
                                "old": {"amount": 30000.0, "share": 0.3},
                                "new": {"amount": 35000.0, "share": 0.35},
                            }
                        ],
                    },
                    {
                        "id": "social",
                        "change": "changed",
                        "changes": [
                            {
                                "field": "amount",
                                "old": {"amount": 70000.0, "share": 0.7},
                                "new": {"amount": 65000.0, "share": 0.65},
                            }
                        ],
                    },
                ],
                "personas": [],
                "phases": [],
                "risks": [],
                "findings": {"new": [], "resolved": []},
            }
        ],
        "pages": [],
    }


def test_json_findings_and_added_items(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    out = json.loads(diff(repo, monkeypatch, "approved", "copy-fixed", "--format", "json"))
    (plan,) = out["plans"]
    assert plan["risks"] == [
        {
            "id": "stock-out",
            "change": "added",
            "new": {
                "id": "stock-out",
                "title": "Stock runs out",
                "category": "operational",
                "likelihood": 3,
                "impact": 4,
            },
        }
    ]
    (page,) = out["pages"]
    assert page["file"] == "content/copy/launch.md"
    assert [(f["text"], f["line"], f["state"]) for f in page["findings"]["new"]] == [
        ("国家级", 17, "open")
    ]
    assert [(f["text"], f["line"], f["state"]) for f in page["findings"]["resolved"]] == [
        ("全网最低", 11, "resolved")
    ]


def test_nothing_changed(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    assert diff(repo, monkeypatch, "start", "start") == ""
    # HEAD defaults to the (clean) working tree.
    assert diff(repo, monkeypatch, "copy-fixed") == ""
    out = json.loads(diff(repo, monkeypatch, "copy-fixed", "--format", "json"))
    assert out["changed"] is False
    assert out["plans"] == [] and out["pages"] == []


def test_working_tree(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    path = repo.root / "content/plans/winter.md"
    path.write_text(WINTER.replace("status: draft", "status: review"), encoding="utf-8")
    try:
        out = diff(repo, monkeypatch, "HEAD")
    finally:
        repo.git("checkout", "--", "content/plans/winter.md")
    assert out == textwrap.dedent(
        """\
        ## Planbook: `HEAD` → `working tree`

        Plan: 1 changed

        ### Plan `winter`

        `content/plans/winter.md`

        - Status: **draft** → **review**
        """
    )
    assert repo.git("status", "--porcelain") == ""


def test_bad_revision(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run(repo, monkeypatch, "no-such-branch")
    assert result.exit_code == 2
    assert "Invalid value for BASE: 'no-such-branch' is not a commit in this repository" in (
        result.output
    )
    result = run(repo, monkeypatch, "start", "nope~3")
    assert result.exit_code == 2
    assert "Invalid value for HEAD: 'nope~3' is not a commit" in result.output
    result = run(repo, monkeypatch, "start", "--format", "html")
    assert result.exit_code == 2


def test_outside_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    result = CliRunner().invoke(main, ["diff", "main"])
    assert result.exit_code == 2
    assert "is not inside a git repository" in result.output


def test_base_without_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    r = Repo(tmp_path / "repo")
    r.commit("empty", {"README.md": "# Plans\n"})
    r.commit(
        "site",
        {
            "mkdocs.yml": CONFIG,
            "data/ads.csv": CSV,
            "content/index.md": "# Plans\n",
            "content/plans/winter.md": WINTER,
        },
    )
    r.commit("no-plugin", {"mkdocs.yml": CONFIG.replace("  - planbook\n", "  - search\n")})
    out = diff(r, monkeypatch, "empty", "site")
    assert out == textwrap.dedent(
        """\
        ## Planbook: `empty` → `site`

        Plan: 1 added

        > `empty` has no `mkdocs.yml`: no plans are read there, so every plan counts as added or deleted.

        ### Plan `winter` (new plan)

        `content/plans/winter.md` · status **draft** · 2027-01-01 – 2027-03-31

        **Budget** (USD)

        - Total: $5,000
        - `email`: $5,000 (100.0%)
        """
    )
    out = diff(r, monkeypatch, "site", "no-plugin")
    assert out.startswith(
        "## Planbook: `site` → `no-plugin`\n\nPlan: 1 deleted\n\n"
        "> `no-plugin` does not use the planbook plugin in `mkdocs.yml`: no plans are read "
        "there, so every plan counts as added or deleted.\n"
    )


def _snap(label: str, plan: dict, status: dict[str, str] | None = None) -> SiteSnapshot:
    p = Plan.model_validate(plan)
    return SiteSnapshot(label, plans={p.id: PlanSnapshot(p, "content/p.md", p.title, status or {})})


def test_engine_risks_phases_team_and_escaping() -> None:
    base = {
        "id": "p",
        "title": "A *bold* <b>plan</b>",
        "period": {"start": "2026-01-01", "end": "2026-06-30"},
        "phases": [
            {
                "name": "Warm-up",
                "start": "2026-01-01",
                "end": "2026-02-28",
                "milestones": [{"name": "Kick-off", "date": "2026-01-05"}],
            }
        ],
        "risks": [{"id": "r", "title": "Risk", "category": "market", "likelihood": 2, "impact": 3}],
        "team": [{"role": "lead"}],
        "personas": ["li-ming"],
    }
    head = {
        **base,
        "phases": [
            {
                "name": "Warm-up",
                "start": "2026-01-01",
                "end": "2026-03-15",
                "milestones": [
                    {"name": "Kick-off", "date": "2026-01-05", "done": True},
                    {"name": "Go | live", "date": "2026-03-01"},
                ],
            }
        ],
        "risks": [{"id": "r", "title": "Risk", "category": "market", "likelihood": 4, "impact": 3}],
        "team": [{"role": "lead", "name": "Wang"}],
        "personas": [],
    }
    d = diff_sites(_snap("a", base), _snap("b", head))
    assert render_markdown(d) == textwrap.dedent(
        """\
        ## Planbook: `a` → `b`

        Plan: 1 changed

        ### Plan `p` · A \\*bold\\* &lt;b&gt;plan&lt;/b&gt;

        `content/p.md`

        - `team`: `[{"role": "lead"}]` → `[{"name": "Wang", "role": "lead"}]`

        **Personas**

        - `li-ming` removed (was: no persona page with this id)

        **Phases**

        - *Warm-up*: end 2026-02-28 → 2026-03-15; milestone *Kick-off* done; milestone *Go \\| live* (2026-03-01) added

        **Risks**

        - `r`: score 6 → 12 (+6); likelihood 2 → 4 (+2)
        """
    )
    assert diff_sites(_snap("a", base), _snap("b", base)).empty
    assert render_markdown(diff_sites(_snap("a", base), _snap("b", base))) == ""
