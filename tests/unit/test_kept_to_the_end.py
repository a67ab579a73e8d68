"""What a page's results keep once the page is made: a 1,000-plan `mkdocs build` holds
every page's review and plan evaluation to its end, so what they hold and nothing reads
again is let go (issue 12: the build's peak is at its end)."""

from __future__ import annotations

import gc
import weakref
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from planbook.frontmatter import read_front_matter
from planbook.review import ReviewConfig, ReviewSpec, load_ruleset, review_page
from planbook.review.spec import Approval
from tests.conftest import write_site

CONFIG = ReviewConfig()


@pytest.fixture(scope="module")
def ruleset() -> Any:
    rs, diags = load_ruleset(CONFIG)
    assert diags == []
    return rs


def test_a_review_keeps_its_approvals_and_checklist_but_not_the_spec(ruleset: Any) -> None:
    approval = Approval(role="legal", name="张律师", date=date(2026, 8, 28), decision="approved")
    spec = ReviewSpec(
        channel="web",
        approvals=[approval],
        checklist={"copyright": {"state": "done", "by": "赵敏", "date": date(2026, 8, 27)}},
    )
    gone = weakref.ref(spec)
    review = review_page(
        file="p.md",
        front_matter={"plan": {"id": "x"}},
        locations=read_front_matter("", "p.md").locations,
        body="本品全网第一。\n",
        body_line=1,
        ruleset=ruleset,
        config=CONFIG,
        today=date(2026, 9, 1),
        plan_status="review",
        spec=spec,
    )
    del spec
    gc.collect()
    assert gone() is None  # nothing in the review holds the validated spec
    # what the review shows is still there: the approvals, the signed item, the finding
    assert review.approvals == [approval]
    signed = {row.id: row.signed for row in review.checklist}
    assert signed["copyright"] is True and signed["legal-signoff"] is True
    assert [f.rule for f in review.findings] == ["cn-ad-law/ranking-claims"]


def test_forgotten_as_of_evaluations_go_and_come_back_the_same(tmp_path: Path) -> None:
    from planbook.metrics import reports
    from planbook.metrics.kpis import PacingConfig
    from planbook.project import Project, Settings
    from tests.unit.test_reports import PLAN, _rows

    write_site(tmp_path, {"plans/r.md": PLAN}, {"m.csv": _rows()})
    project = Project(Settings(root=tmp_path, docs_dir=tmp_path / "docs", language="zh"))
    project.scan()
    view = project.evaluate(project.plans["r"])
    other = project.evaluate(project.plans["r"])
    assert view is not None and other is view
    pacing = PacingConfig()
    first = reports.build_report(view, reports.parse_period("2026-10"), pacing=pacing)
    at_end = reports.goal_as_of(view, 1, date(2026, 10, 31), pacing)
    assert at_end is first.kpis[1].at_end  # kept while the view lives ...
    kept = weakref.ref(at_end)
    figures = (at_end.actual, at_end.expected, at_end.status, at_end.forecast, at_end.line)
    del first, at_end
    reports.forget_as_of([None, view])  # ... until its page is made
    gc.collect()
    assert kept() is None and id(view) not in reports._AS_OF
    again = reports.goal_as_of(view, 1, date(2026, 10, 31), pacing)
    assert (again.actual, again.expected, again.status, again.forecast, again.line) == figures
    assert again.actual == 366  # 2 + 4 conversions a day, September and October


def test_worded_messages_are_kept_up_to_a_bound_and_say_the_same() -> None:
    from planbook import messages
    from planbook.messages import msg, say

    said = [
        msg("smart/vague-statement", statement=f"目标 {k} <b>", baseline=1, target=2, deadline="x")
        for k in range(3000)
    ]
    texts = [say(m, "zh") for m in said]
    assert len(messages._SAID) <= messages._SAID_MAX <= 4096
    # what was let go is worded again the same, in both languages
    assert [say(m, "zh") for m in said] == texts
    assert "目标 2999 <b>" in texts[-1] and "目标 0 <b>" in str(said[0])
