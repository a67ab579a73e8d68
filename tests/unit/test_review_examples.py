"""The example campaign copy pages in content/copy/ pass `mkdocs build --strict`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from planbook.diagnostics import Severity
from planbook.frontmatter import read_front_matter
from planbook.review import PageReview, ReviewConfig, load_ruleset, review_front_matter

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted((ROOT / "content" / "copy").glob("*.md"))
CONFIG = ReviewConfig(own_domains=("qinglan.com", "qinglan.cn"))


def _review(path: Path) -> PageReview:
    ruleset, diags = load_ruleset(CONFIG)
    assert diags == []
    rel = path.relative_to(ROOT).as_posix()
    fm = read_front_matter(path.read_text(encoding="utf-8"), rel)
    assert fm.diagnostics == []
    return review_front_matter(
        fm,
        file=rel,
        ruleset=ruleset,
        config=CONFIG,
        today=date(2026, 9, 10),
        plan_status=None,
    )


def test_there_are_examples() -> None:
    assert 4 <= len(PAGES) <= 6


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.stem)
def test_example_logs_nothing_above_info(path: Path) -> None:
    review = _review(path)
    assert review.in_scope
    loud = [str(d) for d in review.diagnostics if d.severity is not Severity.INFO]
    assert loud == []
    assert not review.blocking
    if review.draft:
        assert review.open_findings, "a draft example is there to show findings"
    else:
        assert all(f.severity is Severity.INFO for f in review.open_findings)


def test_examples_show_waivers_and_suppressions() -> None:
    states = {f.state for p in PAGES for f in _review(p).findings}
    assert states == {"open", "waived", "suppressed"}
