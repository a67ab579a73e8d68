"""What a page's results keep once the page is made: a 1,000-plan `mkdocs build` holds
every page's review and plan evaluation to its end, so what they hold and nothing reads
again is let go (issue 12: the build's peak is at its end)."""

from __future__ import annotations

import gc
import weakref
from datetime import date
from typing import Any

import pytest

from planbook.frontmatter import read_front_matter
from planbook.review import ReviewConfig, ReviewSpec, load_ruleset, review_page
from planbook.review.spec import Approval

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
