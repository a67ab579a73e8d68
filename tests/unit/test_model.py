"""Front matter -> plan model: every error names file, line and field."""

from __future__ import annotations

import textwrap

from planbook.frontmatter import read_front_matter
from planbook.model import Plan, check_plan, validate

GOOD = """\
---
plan:
  id: spring
  period: {start: 2026-09-01, end: 2026-12-31}
  goals:
    - id: g1
      statement: s
      kpi: ctr
      baseline: 0.03
      target: 0.05
      deadline: 2026-11-30
  budget:
    total: 1000000
    allocations:
      - {item: ads, share: 0.4}
      - {item: content, share: 0.3}
      - {item: tech, share: 0.2}
      - {item: measurement, amount: 100000}
---
body
"""


def messages(text: str) -> list[str]:
    fm = read_front_matter(textwrap.dedent(text), "content/p.md")
    out = [str(d) for d in fm.diagnostics]
    if "plan" in fm.data:
        plan, diags = validate(
            Plan, fm.data["plan"], file="content/p.md", locations=fm.locations, prefix=("plan",)
        )
        out += [str(d) for d in diags]
        if plan is not None:
            out += [str(d) for d in check_plan(plan, file="content/p.md", locations=fm.locations)]
    return out


def test_good_plan_has_no_diagnostics():
    assert messages(GOOD) == []


def test_wrong_type_names_line_and_field():
    text = GOOD.replace("target: 0.05", "target: abc")
    assert messages(text) == [
        "content/p.md:10: error: plan.goals[0].target: expected a number, got 'abc' [schema]"
    ]


def test_unknown_key_did_you_mean():
    text = GOOD.replace("target: 0.05", "targte: 0.05")
    assert messages(text) == [
        "content/p.md:6: error: plan.goals[0].target: required field is missing [schema]",
        "content/p.md:10: error: plan.goals[0].targte: unknown field 'targte' (did you mean 'target'?) [schema]",
    ]


def test_unknown_key_without_close_match_lists_known_fields():
    text = GOOD.replace("  period:", "  zzz: 1\n  period:")
    (msg,) = messages(text)
    assert msg.startswith(
        "content/p.md:4: error: plan.zzz: unknown field 'zzz'; known fields: id, title, owner, status"
    )


def test_malformed_yaml():
    assert messages("---\nplan: [\n---\n") == [
        "content/p.md:3:1: error: invalid YAML: while parsing a flow node did not find expected node content [yaml/syntax]"
    ]


def test_python_tag_is_refused():
    (msg,) = messages("---\nplan: !!python/object/apply:os.system ['ls']\n---\n")
    assert msg.startswith(
        "content/p.md:2:7: error: invalid YAML: could not determine a constructor for the tag"
    )
    assert "tags such as !!python/object are refused" in msg


def test_duplicate_key():
    text = GOOD.replace("  id: spring\n", "  id: spring\n  id: other\n")
    assert (
        "content/p.md:4: error: plan.id: duplicate key 'id' (first on line 3); YAML would keep only the last one [yaml/duplicate-key]"
        in messages(text)
    )


def test_bad_date_and_status():
    text = GOOD.replace("deadline: 2026-11-30", "deadline: 2026-13-01").replace(
        "  period:", "  status: live\n  period:"
    )
    assert messages(text) == [
        "content/p.md:4: error: plan.status: expected one of 'draft', 'review', 'approved', 'active' or 'closed', got 'live' [schema]",
        "content/p.md:12: error: plan.goals[0].deadline: expected an ISO date (YYYY-MM-DD), got '2026-13-01' [schema]",
    ]


def test_deadline_outside_period():
    text = GOOD.replace("deadline: 2026-11-30", "deadline: 2027-03-01")
    assert messages(text) == [
        "content/p.md:11: error: plan.goals[0].deadline: deadline 2027-03-01 is outside the plan period 2026-09-01 – 2026-12-31 [plan/deadline-outside-period]"
    ]


def test_shares_not_summing_to_total():
    text = GOOD.replace("share: 0.2}", "share: 0.25}")
    assert messages(text) == [
        "content/p.md:14: error: plan.budget.allocations: allocations add up to 1,050,000, 50,000 over the total 1,000,000 [budget/allocations-sum]"
    ]


def test_share_and_amount_together():
    text = GOOD.replace("{item: ads, share: 0.4}", "{item: ads, share: 0.4, amount: 5}")
    assert messages(text) == [
        "content/p.md:15: error: plan.budget.allocations[0]: allocation 'ads' needs exactly one of share or amount [budget/share-or-amount]"
    ]


def test_slug_and_currency():
    text = GOOD.replace("id: spring", "id: Spring Launch").replace(
        "  period:", "  currency: rmb\n  period:"
    )
    assert messages(text) == [
        "content/p.md:3: error: plan.id: expected an identifier of lower-case letters, digits, '-' or '_' (a slug such as 'spring-launch'), got 'Spring Launch' [schema]",
        "content/p.md:4: error: plan.currency: expected a three-letter ISO 4217 currency code such as CNY, got 'rmb' [schema]",
    ]


def test_html_in_front_matter_is_kept_as_text():
    text = GOOD.replace("statement: s", 'statement: "</script><img src=x onerror=alert(1)>"')
    assert messages(text) == []
