"""`mkdocs build` lets go of a page's reports' goal evaluations once the page is made, and
reviews keep no validated spec (issue 12: the 1,000-plan build's peak is at its end): the
report pages, the plan's report section and its review checklist read the same as in a
build that keeps them, and `mkdocs serve` keeps them for its next build."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from tests.conftest import write_site
from tests.unit.test_reports import _rows

PLAN = """\
---
plan:
  id: r
  period: {start: 2026-09-01, end: 2027-02-28}
  metrics: [data/m.csv]
  reports: {every: month}
  goals:
    - {id: ctr, statement: "CTR </script><b>x</b>", kpi: ctr, baseline: 0.02, target: 0.05, deadline: 2027-02-28}
    - {id: conv, statement: Conversions, kpi: conversions, baseline: 0, target: 1000, deadline: 2027-02-28}
  review:
    approvals:
      - {role: legal, name: 张律师, date: 2026-08-28, decision: approved}
    checklist:
      copyright: {state: done, by: 赵敏, date: 2026-08-27}
---
# R

{{ report(period="2026-10") }}

{{ review_checklist() }}
"""


def _build(root: Path, command: str, caplog: pytest.LogCaptureFixture) -> dict[str, str]:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from planbook.metrics import reports

    write_site(root, {"index.md": "# 首页\n", "plans/r.md": PLAN}, {"m.csv": _rows()})
    caplog.set_level(logging.INFO, logger="mkdocs.plugins.planbook")
    cfg = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"))
    cfg.plugins.on_startup(command=command, dirty=False)
    plugin = cfg.plugins["planbook"]
    try:
        build(cfg)
        project = plugin.project  # type: ignore[attr-defined]
        view = project.evaluate(project.plans["r"])
        kept = id(view) in reports._AS_OF
    finally:
        cfg.plugins.on_shutdown()
    site = root / "site"
    html = {str(p.relative_to(site)): p.read_text("utf-8") for p in sorted(site.rglob("*.html"))}
    html["kept"] = str(kept)
    return html


def test_reports_and_review_read_the_same_when_their_evaluations_go(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    import planbook.page_workers

    built = _build(tmp_path / "build", "build", caplog)
    assert built.pop("kept") == "False"  # the plan's as-of evaluations went with its pages
    with monkeypatch.context() as m:  # the same build keeping them: the reference
        m.setattr(planbook.page_workers, "forget_as_of", lambda views: None)
        reference = _build(tmp_path / "kept", "build", caplog)
    assert reference.pop("kept") == "True"
    served = _build(tmp_path / "serve", "serve", caplog)
    assert served.pop("kept") == "True"  # `mkdocs serve` keeps them for its next build
    # the plan page and its three closed months' report pages (each reads the previous
    # month's end again), byte for byte
    reports = sorted(k for k in built if "reports" in k)
    assert len(reports) == 3, sorted(built)
    assert built == reference
    assert {k: built[k] for k in reports} == {k: served[k] for k in reports}

    page = built["plans/r/index.html"]
    # the report's conversions goal judged at the end of October: 6 a day since September
    # (366), where the line from 0 on September 1 to 1,000 on February 28 expects 333
    assert re.search(r'pb-num">366</td>\s*<td class="pb-num">333</td>', page)
    # the statement is text, in every page that shows it
    assert "</script><b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page
    for k in reports:
        assert "</script><b>x</b>" not in built[k]
    # the review checklist from the page's spec: the legal sign-off and the signed item
    assert "张律师" in page and "赵敏" in page
