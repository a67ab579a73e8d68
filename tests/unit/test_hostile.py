"""Hostile input (issue 9) at the engine: what took minutes or crashed now ends with a
located message. How long each takes is measured by `make bench`, not asserted here."""

from __future__ import annotations

import pytest

from planbook.frontmatter import read_front_matter
from planbook.mdtext import code, escape
from planbook.metrics import formula as fx
from planbook.metrics.kpis import KpiError, KpiRegistry
from planbook.metrics.reports import parse_period
from planbook.model import KpiDef
from tests.hostile.cases import HANGS
from tests.hostile.run import check, write_case


@pytest.mark.parametrize("case", HANGS, ids=lambda c: c.name)
def test_hang_cases_end_with_a_message(case, tmp_path):
    root = write_case(tmp_path, case)
    found = [str(d) for d in check(root)]
    assert any(case.message in m for m in found), found


def test_alias_bomb_is_refused_on_its_line():
    lines = ["---", "a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    front = read_front_matter("\n".join(lines) + "\n---\n# Page\n", "docs/a.md")
    assert front.data == {}
    (d,) = front.diagnostics
    assert d.rule == "yaml/too-large" and "expands to more than 20,000 values" in d.message


def test_ordinary_aliases_and_merge_keys_still_work():
    front = read_front_matter("---\na: &d {x: 1}\nb:\n  <<: *d\n  y: 2\n---\n", "docs/a.md")
    assert front.data == {"a": {"x": 1}, "b": {"x": 1, "y": 2}} and not front.diagnostics


def test_deep_nesting_is_refused():
    front = read_front_matter("---\nx: " + "[" * 70 + "1" + "]" * 70 + "\n---\n", "docs/a.md")
    assert [d.rule for d in front.diagnostics] == ["yaml/too-large"]
    assert "nested more than 64 levels" in front.diagnostics[0].message


def test_null_key_is_reported_on_its_own_line():
    text = "---\nplan:\n  id: x\n  ~: c\n---\n"
    (d,) = read_front_matter(text, "docs/a.md").diagnostics
    assert (d.line, d.field, d.rule) == (4, "plan.~", "yaml/null-key")


def test_kpi_chain_resolves_each_kpi_once_and_stops_at_the_term_limit():
    defs = [KpiDef(id="k1", formula="clicks + clicks")] + [
        KpiDef(id=f"k{i}", formula=f"k{i - 1} + k{i - 1}") for i in range(2, 23)
    ]
    registry = KpiRegistry(defs, ["clicks"])
    assert registry.get("k9").measures == ("clicks",)  # 512 terms: fine
    with pytest.raises(KpiError, match="expands to more than 1,000 terms"):
        registry.get("k22")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("clicks+" * 5000 + "clicks", "35,006 characters long; the limit is 500"),
        ("-" * 5000 + "clicks", "characters long"),
        ("(" * 10_000 + "x" + ")" * 10_000, "characters long"),
        ("-" * 100 + "x", "more than 64 levels deep"),
        ("(a := 1)", "the assignment operator :="),
        ("a @ b", "the operator @"),
        ("a & b", "the operator &"),
    ],
)
def test_formula_limits_and_messages_say_what_was_written(text, says):
    with pytest.raises(fx.FormulaError) as e:
        fx.parse(text)
    assert says in str(e.value)
    assert len(str(e.value)) < 300  # quoted input is cut
    assert "NamedExpr" not in str(e.value) and "MatMult" not in str(e.value)


@pytest.mark.parametrize(
    ("key", "says"),
    [
        ("9999-12", "outside the calendar"),
        ("0001-01", "outside the calendar"),
        ("2027-W53", "2027 has weeks W01 to W52"),
    ],
)
def test_report_periods_at_the_edge_of_the_calendar(key, says):
    with pytest.raises(ValueError, match=says):
        parse_period(key)


def test_a_valid_iso_week_asked_of_a_monthly_plan_says_so():
    assert parse_period("2026-W53").start.isoformat() == "2026-12-28"
    with pytest.raises(ValueError, match="reports every month: ask for a month such as 2026-10"):
        parse_period("2026-W53", "month")


@pytest.mark.parametrize(
    "text",
    [
        "Q4 <img src=x onerror=alert(1)>",
        "x\n\n{{ portfolio() }}",
        "[a](javascript:alert(1))",
        "![i](http://x/i.png) **b** _c_ `d` <!-- e -->",
    ],
)
def test_markdown_escape_leaves_only_text(text):
    import markdown

    html = markdown.markdown("# " + escape(text))
    assert "<img" not in html and "<a" not in html and "<strong" not in html
    assert "<code" not in html and "<!--" not in html and "\n\n{{" not in html
    assert "{{" not in escape(text)


def test_code_span_cannot_be_broken_out_of():
    import markdown

    html = markdown.markdown("x " + code("a` [l](javascript:x) `b"))
    assert "<a" not in html and html.count("<code>") == 1


GOAL = {
    "id": "g",
    "statement": "s",
    "kpi": "clicks",
    "baseline": 0,
    "target": 1,
    "deadline": "2026-06-01",
}


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("target", float("inf"), "expected a finite number"),
        ("target", float("nan"), "expected a finite number"),
        ("target", "nan", "expected a finite number"),
        ("target", "-inf", "expected a finite number"),
        ("target", True, "true/false is not a number"),
        ("deadline", 1793491200, "expected an ISO date (YYYY-MM-DD), got 1793491200"),
        ("window", "99999999999999999999d", "a window is at most 3,660 days"),
    ],
)
def test_numbers_are_finite_and_booleans_and_epochs_are_refused(field, value, says):
    from planbook.frontmatter import Locations
    from planbook.model import Plan, validate

    plan = {"id": "p", "period": {"start": "2026-01-01", "end": "2026-12-31"}}
    plan["goals"] = [{**GOAL, field: value}]
    found, diags = validate(Plan, plan, file="docs/p.md", locations=Locations(), prefix=("plan",))
    assert found is None
    assert [(d.field, says in d.message) for d in diags] == [(f"plan.goals[0].{field}", True)]


def test_infinite_budget_total_is_refused():
    from planbook.frontmatter import Locations
    from planbook.model import Plan, validate

    plan = {"id": "p", "period": {"start": "2026-01-01", "end": "2026-12-31"}}
    plan["budget"] = {"total": float("inf")}
    _, diags = validate(Plan, plan, file="docs/p.md", locations=Locations(), prefix=("plan",))
    assert [d.message for d in diags] == ["expected a finite number, got inf"]


def test_check_of_pages_outside_the_docs_folder_checks_them_as_copy(tmp_path):
    from tests.hostile.cases import CASES

    (case,) = [c for c in CASES if c.name == "clean-plan"]
    root = write_case(tmp_path / "site", case)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.md").write_text("# Copy\n\n全网最低价，国家级品质！\n", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    found = check(root, "../elsewhere/x.md")
    assert any("x.md" in d.file and d.rule.startswith("cn-ad-law/") for d in found), found
    assert [d.rule for d in check(root, "../elsewhere") if "x.md" in d.file]
    (empty,) = check(root, "../empty")
    assert (empty.rule, empty.message) == (
        "check/nothing-to-check",
        "this folder has no Markdown pages: nothing was checked",
    )


def test_csv_cells_starting_with_tab_or_carriage_return_are_neutralised():
    from planbook.views.exports import _cell

    assert [_cell(v) for v in ("\t=1+1", "\r=2+2", "=x", "-5", "ok")] == [
        "'\t=1+1",
        "'\r=2+2",
        "'=x",
        "-5",
        "ok",
    ]


def test_diff_counts_a_plan_with_a_yaml_syntax_error_as_invalid(tmp_path):
    from planbook import diffing
    from planbook.cli import load_settings
    from tests.hostile.cases import plan

    root = write_case(tmp_path, HANGS[0])
    (root / "docs" / "p.md").write_text(
        plan(id="broken").replace("title: Plan", "title: [unclosed"), encoding="utf-8"
    )
    snap = diffing.snapshot(load_settings(root / "mkdocs.yml"), "head")
    assert snap.invalid == {"docs/p.md": "broken"}
