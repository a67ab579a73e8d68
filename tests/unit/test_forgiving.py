"""Front matter as a Chinese keyboard and a spreadsheet habit write it: numbers with %,
万, 亿, currency signs and separators; KPIs by their label; full-width `：` and `，`
named with their line, and no cascade of follow-on errors from one YAML error."""

from __future__ import annotations

import logging

import pytest

from planbook.frontmatter import read_front_matter
from planbook.metrics.kpis import KpiError, KpiRegistry
from planbook.model import Allocation, Budget, Goal

CSV = "date,channel,impressions,clicks,spend\n" + "".join(
    f"2026-09-{d:02d},sem,1000,{40 + d},{100 + d}\n" for d in range(1, 11)
)


def _goal(**kw: object) -> Goal:
    base = {"id": "g", "statement": "s", "kpi": "ctr", "baseline": 0, "target": 1}
    base["deadline"] = "2026-10-01"
    return Goal.model_validate({**base, **kw})


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("2.5%", 0.025),
        ("35 %", 0.35),
        ("70万", 700_000),
        ("1.2亿", 120_000_000),
        ("¥1,000,000", 1_000_000),
        ("￥1,000,000", 1_000_000),
        ("$12,500.50", 12_500.5),
        ("１２３", 123),
        ("(5)", -5),
    ],
)
def test_numbers_read_as_the_csv_reader_reads_them(written: str, value: float) -> None:
    assert _goal(target=written).target == pytest.approx(value)


def test_budget_shorthand_numbers() -> None:
    budget = Budget.model_validate(
        {
            "total": "100万",
            "allocations": [
                {"item": "sem", "share": "35%"},
                {"item": "social", "amount": "¥650,000", "cap": "70万"},
            ],
        }
    )
    assert budget.total == 1_000_000
    assert budget.allocations[0].share == pytest.approx(0.35)
    assert budget.allocations[1] == Allocation(item="social", amount=650_000, cap=700_000)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("abc", "应为数字，实际为 “abc”"),
        ("-", "应为数字，实际为 “-”"),
        ("1e400", "应为有限的数字，实际为 “1e400”"),
        ("<b>1</b>", "应为数字，实际为 “<b>1</b>”"),
    ],
)
def test_text_that_is_not_a_number_is_still_refused(written: str, message: str, build_site) -> None:
    # The fixture site is Chinese: the build log says it in Chinese, the rule id as it is.
    page = PLAN.replace("target: 0.05", f"target: {written!r}")
    built = build_site({"p.md": page}, {"ads.csv": CSV}, strict=False)
    assert built.logged(logging.ERROR) == [
        f"planbook: docs/p.md:11: 错误: plan.goals[0].target: {message} [schema]"
    ]


def test_kpis_by_label_in_either_language() -> None:
    registry = KpiRegistry([], ["clicks", "impressions"])
    for name in ("点击率", "CTR", "ctr", " Ctr ", "click-through rate".replace(" rate", "")):
        if name.strip().lower() == "click-through":
            continue
        assert registry.get(name).id == "ctr", name
    assert registry.get("转化率").id == "cvr"
    assert registry.get("Conversion rate").id == "cvr"
    with pytest.raises(
        KpiError, match=r"unknown KPI or column '点击量率' \(did you mean 'ctr' \(点击率\)\?\)"
    ):
        registry.get("点击量率")


PLAN = """\
---
plan:
  id: autumn
  period: {start: 2026-09-01, end: 2026-10-31}
  metrics: [data/ads.csv]
  goals:
    - id: sem-ctr
      statement: 点击率
      kpi: 点击率
      baseline: 0.04
      target: 0.05
      deadline: 2026-10-31
  budget:
    total: 10万
    allocations:
      - {item: sem, share: 100%}
---

{{ kpi_table() }}

{{ budget_table() }}
"""


def test_labels_and_shorthand_numbers_build(build_site) -> None:
    built = build_site({"p.md": PLAN}, {"ads.csv": CSV})
    assert built.error is None, built.messages
    html = built.html("p/index.html")
    assert html.select_one(".pb-errors") is None
    assert "点击率" in html.get_text()
    assert "总预算 ¥10万" in " ".join(html.get_text(" ").split())


def test_full_width_colon_is_named_with_its_line_and_nothing_cascades(build_site) -> None:
    page = PLAN.replace("      target: 0.05", "      target： 0.05")
    built = build_site({"p.md": page}, {"ads.csv": CSV}, strict=False)
    assert built.logged(logging.ERROR) == [
        "planbook: docs/p.md:11:13: 错误: 'target' 后面是全角冒号 '：'（U+FF1A）：YAML 需要半角 "
        "':' 加一个空格（'target: …'）；front matter 未被读取 [yaml/full-width]"
    ]
    assert built.logged(logging.WARNING) == []
    html = built.html("p/index.html")
    assert len(html.select(".pb-errors li")) == 1


def test_full_width_colon_on_a_list_item_and_at_the_top() -> None:
    fm = read_front_matter("---\nplan：\n  id: a\n---\n", "x.md")
    assert [str(d) for d in fm.diagnostics] == [
        "x.md:2:5: error: full-width colon '：' (U+FF1A) after 'plan': YAML needs an ASCII ':' "
        "followed by a space ('plan: …'); the front matter was not read [yaml/full-width]"
    ]
    fm = read_front_matter("---\nplan:\n  team:\n    - role： 分析师\n---\n", "x.md")
    assert [(d.line, d.column, d.rule) for d in fm.diagnostics] == [(4, 11, "yaml/full-width")]
    # A full-width colon inside a value is text, not an error.
    fm = read_front_matter("---\ntitle: 计划：秋季\nnote: '比例：30%'\n---\n", "x.md")
    assert fm.diagnostics == [] and fm.data["title"] == "计划：秋季"


def test_full_width_comma_in_a_list() -> None:
    text = (
        "---\nplan:\n  channel_filter:\n    channel: [抖音，小红书]\n"
        "  tags: ['甲，乙', 新客，老客]\n  note: [这是一句话，不是值的列表。]\n---\n"
    )
    fm = read_front_matter(text, "x.md")
    assert [str(d) for d in fm.diagnostics] == [
        "x.md:4:15: warning: full-width comma '，' (U+FF0C) in [抖音，小红书]: YAML reads it "
        "as one value; separate values with an ASCII ',' (or quote the value if the comma "
        "belongs to it) [yaml/full-width]",
        "x.md:5:17: warning: full-width comma '，' (U+FF0C) in [新客，老客]: YAML reads it "
        "as one value; separate values with an ASCII ',' (or quote the value if the comma "
        "belongs to it) [yaml/full-width]",
    ]


def test_hostile_full_width_key_is_text_in_the_message(build_site) -> None:
    page = "---\nplan:\n  id: a\n  <script>x</script>： 1\n---\n\n{{ kpi_table() }}\n"
    built = build_site({"p.md": page}, strict=False)
    (message,) = built.logged(logging.ERROR)
    assert "'<script>x</script>' 后面是全角冒号" in message
    box = built.html("p/index.html").select_one(".pb-errors")
    assert box is not None and box.select_one("script") is None
    assert "<script>x</script>" in box.get_text()
