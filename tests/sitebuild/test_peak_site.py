"""A real `mkdocs build` with what keeps the build's peak down (issue 12): the plans are
evaluated once the large metric file let go of its rows (nothing read again), and their
sections wait for the finished page compressed against the first section of their kind.
Each plan page still shows its own figures, and hostile text stays text."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from planbook import data as data_module
from planbook import project as project_module
from planbook.views import pages as pages_module
from tests.conftest import Built

ROWS = "\n".join(
    f"2026-09-{d:02d},{ch},{100 * d + i},{d + i},{d * 3.5 + i:.2f},{i},{d * 9.5:.2f}"
    for d in range(1, 29)
    for i, ch in enumerate(("sem", "feed"))
)
CSV = "date,channel,impressions,clicks,spend,conversions,revenue\n" + ROWS + "\n"

PLAN = """\
---
plan:
  id: {pid}
  owner: 张伟
  status: review
  period: {{start: 2026-09-01, end: 2026-10-31}}
  metrics: [data/ads.csv]
  goals:
    - {{id: conv, statement: "{statement}", kpi: conversions, baseline: 0, target: {target}, deadline: 2026-10-31}}
  budget:
    total: {total}
    by: channel
    allocations:
      - {{item: sem, share: 0.5, match: [sem]}}
      - {{item: feed, share: 0.5, match: [feed]}}
---
# {pid}

{{{{ kpi_table() }}}}

{{{{ budget_table() }}}}
"""

PLANS = {
    "a": ("目标 A", 111, 123456),
    "b": ("</script><!-- 目标 B", 222, 654321),
    "c": ("目标 C", 333, 987654),
}


def test_plans_evaluated_after_the_rows_and_packed_against_each_other_show_their_own(
    build_site: Callable[..., Built], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(project_module, "RELEASE_ROWS", 1)
    rows_at_evaluation: list[int] = []
    evaluate = project_module.Project._evaluate

    def spy(self: project_module.Project, page: project_module.Page) -> object:
        rows_at_evaluation.extend(len(t.frame) for t in self.store.used_tables())
        return evaluate(self, page)

    deflated: list[pages_module.Deflated] = []
    of = pages_module.Deflated.of.__func__  # type: ignore[attr-defined]

    def counted(cls: type, data: bytes, zdict: bytes) -> pages_module.Deflated:
        out = of(cls, data, zdict)
        deflated.append(out)
        return out

    parses: list[str] = []
    parse = data_module._parse

    def counted_parse(path: str, *args: object) -> object:
        parses.append(path)
        return parse(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(project_module.Project, "_evaluate", spy)
    monkeypatch.setattr(pages_module.Deflated, "of", classmethod(counted))
    monkeypatch.setattr(data_module, "_parse", counted_parse)
    pages = {
        f"plans/{pid}.md": PLAN.format(pid=f"plan-{pid}", statement=s, target=t, total=total)
        for pid, (s, t, total) in PLANS.items()
    }
    built = build_site({"index.md": "# 首页\n", **pages}, {"ads.csv": CSV}, options="workers: 1")
    assert built.error is None, built.messages
    assert rows_at_evaluation == [0, 0, 0]  # every plan evaluated after the rows went
    assert parses == ["data/ads.csv"]  # and the file read once
    # the first plan's kpi and budget tables are the dictionaries of the others'
    assert len(deflated) >= 4
    for pid, (statement, _target, total) in PLANS.items():
        html = built.raw(f"plans/{pid}/index.html")
        others = [t for p, (_, _, t) in PLANS.items() if p != pid]
        assert f"{total:,}" in html or f"{total / 10_000:,.2f}万" in html, pid
        assert not any(f"{t / 10_000:,.2f}万" in html or f"{t:,}" in html for t in others), pid
        assert '<table class="pb-table' in html or "<table" in html
        soup = built.html(f"plans/{pid}/index.html")
        assert soup.find(string=lambda s, st=statement: st in s) is not None  # text, unbroken
    assert "</script><!-- 目标 B" not in built.raw("plans/b/index.html")
