"""A plan page shows the warnings and errors of the data files it reads, in its problem
box, after a plain `mkdocs build` too (README: "in the build log, on the plan page and
in `planbook check`"); they were only in the log and the `mkdocs serve` banner (outside
test, stop 30). The build logs each file's problems once."""

from __future__ import annotations

import logging

CSV = (
    "date,channel,impressions,clicks,spend\n"
    "2026-09-01,sem,1000,50,300\n"
    "2026-09-02,sem,1000,50\n"
    "2026-13-45,sem,1000,50,100\n"
)

PLAN = """---
plan:
  id: {id}
  period: {{start: 2026-09-01, end: 2026-12-31}}
  metrics: [data/ads.csv]
---
# {id}
"""


def test_a_plan_page_lists_its_files_problems(build_site) -> None:
    pages = {"a.md": PLAN.format(id="a"), "b.md": PLAN.format(id="b"), "c.md": "# Plain\n"}
    built = build_site(pages, {"ads.csv": CSV}, strict=False)
    assert built.error is None
    warnings = built.logged(logging.WARNING)
    assert warnings == [
        "planbook: data/ads.csv:3: 警告: 第 3 行未计入：应与表头一样有 5 个字段，实际为 4 个 [data/bad-row]",
        "planbook: data/ads.csv:4: 警告: date: 第 4 行未计入：应为日期（例如 2026-09-01），"
        "实际为 “2026-13-45” [data/bad-date]",
    ]  # once each, not once per plan
    for uri in ("a/index.html", "b/index.html"):
        box = built.html(uri).select_one(".pb-errors")
        assert box is not None
        items = [li.get_text(" ", strip=True) for li in box.select("li")]
        assert items == [
            "data/ads.csv:3 第 3 行未计入：应与表头一样有 5 个字段，实际为 4 个 [data/bad-row]",
            "data/ads.csv:4 date 第 4 行未计入：应为日期（例如 2026-09-01），实际为 “2026-13-45”"
            " [data/bad-date]",
        ]
    assert built.html("c/index.html").select_one(".pb-errors") is None


def test_a_files_hostile_cell_is_shown_as_written(build_site) -> None:
    hostile = "</script><script>alert(1)</script>"
    csv = CSV.replace("2026-13-45", hostile.replace(",", ""))
    built = build_site({"a.md": PLAN.format(id="a")}, {"ads.csv": csv}, strict=False)
    raw = built.raw("a/index.html")
    assert "<script>alert(1)</script>" not in raw
    box = built.html("a/index.html").select_one(".pb-errors")
    assert hostile in box.get_text()
