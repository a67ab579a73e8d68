"""Plan quality (SMART lint): one test per rule with its exact message, the statement
number reader, per-site levels, and rule documentation in the README."""

from __future__ import annotations

import re
import textwrap
from datetime import date, timedelta
from pathlib import Path

import pytest

from planbook.diagnostics import Severity
from planbook.messages import say
from planbook.metrics.lint import RULES
from planbook.metrics.statements import statement_numbers
from planbook.project import Project, Settings

ROOT = Path(__file__).resolve().parents[2]


def _csv(
    rows: list[str], header: str = "date,channel,spend,clicks,conversions,new_followers"
) -> str:
    return header + "\n" + "\n".join(rows) + "\n"


def _daily(start: date, days: int, row) -> list[str]:
    return [row(start + timedelta(days=i), i) for i in range(days)]


def quality(
    tmp_path: Path,
    plan: str,
    data: str | None = None,
    *,
    levels: dict[str, str] | None = None,
) -> list[tuple[int, str, str, str]]:
    """The findings of one plan page: (line, field, rule, message)."""
    docs = tmp_path / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    (docs / "p.md").write_text(
        "---\nplan:\n" + textwrap.indent(textwrap.dedent(plan).strip("\n"), "  ") + "\n---\n# P\n",
        encoding="utf-8",
    )
    if data is not None:
        (tmp_path / "data").mkdir(exist_ok=True)
        (tmp_path / "data" / "m.csv").write_text(data, encoding="utf-8")
    settings = Settings(root=tmp_path, docs_dir=docs, language="en", lint_rules=levels or {})
    project = Project(settings)
    (page,) = project.scan()
    assert page.plan is not None, page.diagnostics
    view = project.evaluate(page)
    assert view is not None
    errors = [d for d in view.diagnostics if d.severity is Severity.ERROR]
    assert not errors, errors
    return [(d.line or 0, d.field or "", d.rule, d.message) for d in view.quality]


BASE = """
id: p
owner: lead
period: {start: 2026-09-01, end: 2026-10-31}
metrics: [data/m.csv]
"""


def _flat(start: date = date(2026, 9, 1), days: int = 40) -> str:
    return _csv(_daily(start, days, lambda d, i: f"{d},sem,100,50,5,10"))


def rules(found: list[tuple[int, str, str, str]]) -> list[str]:
    return [f[2] for f in found]


# --------------------------------------------------------------------------- S


def test_vague_statement(tmp_path: Path) -> None:
    plan = (
        BASE
        + """
goals:
  - {id: brand, statement: 提升品牌知名度, kpi: clicks, baseline: 0, target: 3000,
     deadline: 2026-10-31, owner: a}
"""
    )
    (found,) = quality(tmp_path, plan, _flat())
    assert found == (
        9,
        "plan.goals[0].statement",
        "smart/vague-statement",
        'statement "提升品牌知名度" has no number to reach: write the target into it, '
        'e.g. "… from 0 to 3,000 by 2026-10-31"',
    )


def test_statement_mismatch_percent_growth(tmp_path: Path) -> None:
    plan = (
        BASE
        + """
goals:
  - {id: traffic, statement: 官网日均访问量提升 20%, kpi: clicks, aggregate: daily_mean,
     baseline: 5000, target: 7000, deadline: 2026-10-31, owner: a}
"""
    )
    found = quality(tmp_path, plan, _flat())
    assert [f[1:] for f in found if f[2] == "smart/statement-mismatch"] == [
        (
            "plan.goals[0].statement",
            "smart/statement-mismatch",
            "statement says 20% but baseline 5,000 → target 7,000 is +40%: make the "
            "statement and the numbers agree",
        )
    ]


def test_statement_mismatch_plain_number(tmp_path: Path) -> None:
    plan = (
        BASE
        + """
goals:
  - {id: fans, statement: "新增粉丝 10,000", kpi: new_followers, baseline: 0, target: 12000,
     deadline: 2026-10-31, owner: a}
"""
    )
    found = quality(tmp_path, plan, _flat())
    assert [f[3] for f in found if f[2] == "smart/statement-mismatch"] == [
        "statement says 10,000 but the target is 12,000 (baseline 0): make the statement "
        "and the numbers agree"
    ]


@pytest.mark.parametrize(
    ("statement", "baseline", "target"),
    [
        ("官网日均访问量三个月内提升 20%（8 月日均 4,300 → 5,160）", 4300, 5160),
        ("百度 SEM 点击率从 3.2% 提升到 5%（行业合理区间 5–8%）", 0.032, 0.05),
        ("App 新用户 7 日留存率达到 25%", 0.205, 0.25),
        ("付费渠道 ROI 达到 150%", 0.5, 1.5),
        ("公众号「关注有礼」单粉成本从 ¥14.5 降到 ¥10", 14.5, 10),
        ("双11 GMV 达到 500 万", 0, 5_000_000),
        ("Lift Google Ads ROAS from 4.2 to 5.0 by the end of the year", 4.2, 5.0),
        ("$550,000 of ad-attributed revenue in Q4 2026", 0, 550000),
        ("打开率提升 2 个百分点", 0.18, 0.20),
        ("Grow sign-ups by 1,000 in 3 months", 5000, 6000),
        ("新增注册用户 1.2k", 0, 1200),
    ],
)
def test_statements_that_agree_with_their_numbers(
    statement: str, baseline: float, target: float
) -> None:
    from planbook.metrics.statements import statement_check

    assert statement_check(statement, baseline, "number", target) is None


def test_hostile_statements() -> None:
    from planbook.metrics.statements import statement_check

    long = "9" * 400  # float() of it is inf: shown cut, never a crash
    assert statement_check(f"reach {long}", 0, "number", 10) == (
        "statement says 99999999999999999999999… but the target is 10 (baseline 0): make the "
        "statement and the numbers agree"
    )
    assert statement_check("</script>\n<b>", 0, "number", 10) == "vague"
    assert statement_check("达到 1e309", 0, "number", 10) is not None
    assert statement_numbers("") == []


def test_statement_numbers_leave_out_dates_durations_and_names() -> None:
    got = statement_numbers("2026 年 Q3 双11 三个月内 7 日留存 第2期 2026-11-30 前达到 25%")
    assert got == [("25%", 0.25, "percent")]
    assert statement_numbers("ＣＴＲ达到５％") == [("5%", 0.05, "percent")]  # full-width


# --------------------------------------------------------------------------- M


def test_no_data_without_metrics(tmp_path: Path) -> None:
    plan = """
id: p
owner: lead
period: {start: 2026-09-01, end: 2026-10-31}
goals:
  - {id: g, statement: 点击 3000, kpi: clicks, baseline: 0, target: 3000, deadline: 2026-10-31, owner: a}
"""
    assert quality(tmp_path, plan) == [
        (
            7,
            "plan.goals[0].kpi",
            "smart/no-data",
            "no data behind KPI 'clicks': the plan lists no metrics files with rows",
        )
    ]


def test_no_data_for_the_goals_filter(tmp_path: Path) -> None:
    data = _csv(
        _daily(date(2026, 9, 1), 30, lambda d, i: f"{d},sem,100,50,5,"),
    )
    plan = (
        BASE
        + """
goals:
  - {id: g, statement: 新增粉丝 300, kpi: new_followers, baseline: 0, target: 300,
     deadline: 2026-10-31, owner: a, filter: {channel: sem}}
"""
    )
    found = quality(tmp_path, plan, data)
    assert [f[3] for f in found if f[2] == "smart/no-data"] == [
        "no data behind KPI 'new_followers': the plan's data has no rows with channel=sem "
        "with new_followers"
    ]


# --------------------------------------------------------------------------- A


def test_unprecedented_growth_of_a_level(tmp_path: Path) -> None:
    # History: clicks per day grow 1 % a month (flat-ish); the goal asks +40 % a month.
    start = date(2026, 5, 1)
    rows = _daily(start, 184, lambda d, i: f"{d},sem,100,{1000 + i},5,10")
    plan = (
        BASE
        + """
goals:
  - {id: clicks, statement: "日均点击从 1,120 提升到 2,190", kpi: clicks, aggregate: daily_mean,
     window: 28d, baseline: 1120, target: 2190, deadline: 2026-10-31, owner: a}
"""
    )
    found = quality(tmp_path, plan, _csv(rows))
    assert [f[3] for f in found if f[2] == "smart/unprecedented-growth"] == [
        "needs +37%/month to go from 1,120 to 2,190 by 2026-10-31; the best month before the "
        "start was +2.8% (the 28 days to 2026-06-25)"
    ]


def test_unprecedented_growth_of_a_running_total(tmp_path: Path) -> None:
    rows = _daily(date(2026, 7, 1), 92, lambda d, i: f"{d},sem,100,50,5,{10 + (i % 7)}")
    plan = (
        BASE
        + """
goals:
  - {id: fans, statement: "新增粉丝 3,050", kpi: new_followers, baseline: 0, target: 3050,
     deadline: 2026-10-31, owner: a}
"""
    )
    found = quality(tmp_path, plan, _csv(rows))
    assert [f[3] for f in found if f[2] == "smart/unprecedented-growth"] == [
        "needs 50.8/day on average to reach 3,050 by 2026-10-31; the best 28 days before the "
        "start averaged 13.0/day (to 2026-07-28)"
    ]


def test_growth_within_history_is_fine(tmp_path: Path) -> None:
    rows = _daily(date(2026, 7, 1), 92, lambda d, i: f"{d},sem,100,50,5,60")
    plan = (
        BASE
        + """
goals:
  - {id: fans, statement: "新增粉丝 3,050", kpi: new_followers, baseline: 0, target: 3050,
     deadline: 2026-10-31, owner: a}
"""
    )
    assert "smart/unprecedented-growth" not in rules(quality(tmp_path, plan, _csv(rows)))


def test_budget_short_at_the_current_cpa(tmp_path: Path) -> None:
    # Before the plan: 100 spend and 2 conversions a day -> CPA 50.
    rows = _daily(date(2026, 8, 1), 45, lambda d, i: f"{d},sem,100,50,2,1")
    plan = (
        BASE
        + """
goals:
  - {id: conv, statement: "转化 3,000 次", kpi: conversions, baseline: 0, target: 3000,
     deadline: 2026-10-31, owner: a, filter: {channel: sem}}
budget:
  total: 200000
  allocations:
    - {item: sem, share: 0.5}
    - {item: social, share: 0.5}
"""
    )
    found = quality(tmp_path, plan, _csv(rows))
    assert [f[3] for f in found if f[2] == "smart/budget-short"] == [
        "3,000 conversions would cost 150,000 CNY at the current CPA of 50 CNY (spend ÷ "
        "conversions, 2026-08-01 – 2026-08-31); the budget for it is 100,000 CNY, enough "
        "for about 2,000"
    ]


def test_budget_short_per_order_is_named_in_each_language(tmp_path: Path) -> None:
    rows = _daily(date(2026, 8, 1), 45, lambda d, i: f"{d},sem,100,2")
    plan = (
        BASE
        + """
goals:
  - {id: buy, statement: "订单 3,000 单", kpi: orders, baseline: 0, target: 3000,
     deadline: 2026-10-31, owner: a, filter: {channel: sem}}
budget:
  total: 100000
"""
    )
    [said] = [
        f[3]
        for f in quality(tmp_path, plan, _csv(rows, "date,channel,spend,orders"))
        if f[2] == "smart/budget-short"
    ]
    assert said == (
        "3,000 orders would cost 150,000 CNY at the current cost per order of 50 CNY (spend ÷ "
        "orders, 2026-08-01 – 2026-08-31); the budget for it is 100,000 CNY, enough for "
        "about 2,000"
    )
    assert say(said, "zh") == (
        "按当前 每单成本 50 CNY（花费 ÷ orders，2026-08-01 – 2026-08-31）计算，3,000 个 orders "
        "需要花费 150,000 CNY；它的预算是 100,000 CNY，只够大约 2,000 个"
    )


# --------------------------------------------------------------------------- R


def test_goal_without_objective(tmp_path: Path) -> None:
    plan = (
        BASE
        + """
objectives:
  - {id: growth, statement: 品牌增长}
  - {id: profit, statement: 盈利}
goals:
  - {id: a, statement: 点击 3000, kpi: clicks, baseline: 0, target: 3000, deadline: 2026-10-31,
     owner: x, objective: growth}
  - {id: b, statement: 点击 2000, kpi: clicks, baseline: 0, target: 2000, deadline: 2026-10-31,
     owner: x}
"""
    )
    found = quality(tmp_path, plan, _flat())
    assert [f[1:] for f in found if f[2] == "smart/no-objective"] == [
        (
            "plan.goals[1].id",
            "smart/no-objective",
            "goal 'b' names no objective; the plan's objectives are growth, profit (objective: …)",
        )
    ]


def test_conflicting_goals_on_one_channel(tmp_path: Path) -> None:
    plan = (
        BASE
        + """
goals:
  - {id: cheaper, statement: CPA 从 20 降到 15, kpi: cpa, baseline: 20, target: 15,
     deadline: 2026-10-31, owner: x, filter: {channel: sem}}
  - {id: more, statement: 花费 6000, kpi: spend, baseline: 0, target: 6000,
     deadline: 2026-10-31, owner: y, filter: {channel: [sem, feed]}}
  - {id: elsewhere, statement: 花费 6000, kpi: spend, baseline: 0, target: 6000,
     deadline: 2026-10-31, owner: y, filter: {channel: feed}}
"""
    )
    data = _csv(
        _daily(date(2026, 9, 1), 40, lambda d, i: f"{d},sem,100,50,5,1")
        + _daily(date(2026, 9, 1), 40, lambda d, i: f"{d},feed,100,50,5,1")
    )
    found = quality(tmp_path, plan, data)
    assert [f[1:] for f in found if f[2] == "smart/conflicting-goals"] == [
        (
            "plan.goals[0].target",
            "smart/conflicting-goals",
            "goals 'cheaper' (cpa down) and 'more' (spend up) pull against each other on "
            "channel sem: more volume usually costs more per result; note for their owners "
            "how they are balanced",
        )
    ]
    # the dimension as the labels name it, the values joined the Chinese way
    [said] = [f[3] for f in found if f[2] == "smart/conflicting-goals"]
    assert say(said, "zh").startswith(
        "目标 'cheaper'（cpa 下降）和 'more'（spend 上升）在渠道 sem 上相互牵制"
    )
    assert "channel" not in say(said, "zh")


# --------------------------------------------------------------------------- T and owner


def test_long_goal_without_milestones(tmp_path: Path) -> None:
    plan = """
id: p
owner: lead
period: {start: 2026-06-01, end: 2026-10-31}
metrics: [data/m.csv]
goals:
  - {id: g, statement: 点击 3000, kpi: clicks, baseline: 0, target: 3000, deadline: 2026-10-31, owner: a}
  - {id: h, statement: 点击 3000, kpi: clicks, baseline: 0, target: 3000, deadline: 2026-10-31, owner: a,
     milestones: [{date: 2026-08-01, target: 1000}]}
"""
    found = quality(tmp_path, plan, _flat(date(2026, 6, 1), 120))
    assert [f[1:] for f in found if f[2] == "smart/no-milestones"] == [
        (
            "plan.goals[0].deadline",
            "smart/no-milestones",
            "goal runs 152 days (2026-06-01 – 2026-10-31), longer than a quarter, with no "
            "milestone: add intermediate targets (milestones: [{date, target}]) so it can be "
            "judged on the way",
        )
    ]


def test_goals_and_milestones_without_owner(tmp_path: Path) -> None:
    plan = (
        BASE
        + """
goals:
  - {id: g, statement: 点击 3000, kpi: clicks, baseline: 0, target: 3000, deadline: 2026-10-31}
phases:
  - name: 预热期
    start: 2026-09-01
    end: 2026-09-30
    milestones:
      - {name: "<b>上线</b>", date: 2026-09-10}
      - {name: 复盘, date: 2026-09-30, owner: 王芳}
"""
    )
    found = quality(tmp_path, plan, _flat())
    assert [f[1:] for f in found if f[2] == "smart/no-owner"] == [
        (
            "plan.goals[0].id",
            "smart/no-owner",
            "goal 'g' has no owner: name who answers for it (owner: …)",
        ),
        (
            "plan.phases[0].milestones[0]",
            "smart/no-owner",
            'milestone "<b>上线</b>" of phase "预热期" has no owner: name who answers for it '
            "(owner: …)",
        ),
    ]


# --------------------------------------------------------------------------- levels


def test_levels_switch_rules_off_and_raise_them(tmp_path: Path) -> None:
    plan = (
        BASE
        + """
goals:
  - {id: g, statement: 提升点击, kpi: clicks, baseline: 0, target: 3000, deadline: 2026-10-31}
"""
    )
    docs = tmp_path
    found = quality(
        docs, plan, _flat(), levels={"smart/no-owner": "off", "smart/vague-statement": "error"}
    )
    assert rules(found) == ["smart/vague-statement"]
    project = Project(
        Settings(
            root=tmp_path,
            docs_dir=tmp_path / "docs",
            lint_rules={"smart/vague-statement": "error"},
        )
    )
    (page,) = project.scan()
    view = project.evaluate(page)
    assert view is not None and view.quality[0].severity is Severity.ERROR


def test_lint_off_gives_no_findings(tmp_path: Path) -> None:
    plan = (
        BASE
        + """
goals:
  - {id: g, statement: 提升点击, kpi: clicks, baseline: 0, target: 3000, deadline: 2026-10-31}
"""
    )
    quality(tmp_path, plan, _flat())
    project = Project(Settings(root=tmp_path, docs_dir=tmp_path / "docs", lint=False))
    (page,) = project.scan()
    view = project.evaluate(page)
    assert view is not None and view.quality == []


def test_every_rule_is_documented_with_its_reasoning() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for rule in RULES.values():
        assert f"`{rule.id}`" in readme, rule.id
        assert rule.why_in("en") and rule.why_in("zh") and rule.summary_in("en")
        assert re.fullmatch(r"smart/[a-z-]+", rule.id)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_rule_is_explained_in_both_languages(language):
    from planbook.metrics.lint import explain_rule

    for rule in RULES.values():
        text = explain_rule(rule.id, {}, language)
        assert text.startswith(rule.id)
        assert rule.summary_in(language) in text and rule.why_in(language) in text
        other = "en" if language == "zh" else "zh"
        assert rule.why_in(other) not in text  # nothing of the other language left over
    assert RULES["smart/no-owner"].summary_in("zh") == "目标或里程碑没有负责人"


def test_explain_gives_the_sites_level_and_a_close_match():
    from planbook.metrics.lint import explain_rule

    zh = explain_rule("smart/budget-short", {"smart/budget-short": "warning"}, "zh")
    assert zh.splitlines()[0] == "smart/budget-short（可实现；本站级别：警告）"
    en = explain_rule("smart/budget-short", {}, "en")
    assert en.splitlines()[:2] == [
        "smart/budget-short (achievable; level on this site: info)",
        "  fires when the budget cannot buy the target at the current cost per result",
    ]
    with pytest.raises(KeyError) as typo:
        explain_rule("smart/no-ownr", {}, "en")
    assert typo.value.args[0].startswith(
        "no plan-quality rule 'smart/no-ownr' (did you mean 'smart/no-owner'?); rules: "
    )


# --------------------------------------------------------------------------- shared goals


def _alike_site(tmp_path: Path) -> Settings:
    """Three plans written alike (the same goals), the second with its goals further
    down its page and the third with a budget of its own; one data file."""
    docs = tmp_path / "docs"
    docs.mkdir(parents=True)
    goals = """
    goals:
      - {id: spend, statement: 日均花费 </script>, kpi: spend, baseline: 0, target: 9000000, deadline: 2027-03-31}
      - {id: cpa, statement: sem CPA 40, kpi: cpa, filter: {channel: sem}, baseline: 80, target: 40, deadline: 2026-10-31, owner: 优化师}
      - {id: conv, statement: 转化 6000, kpi: conversions, baseline: 0, target: 6000, deadline: 2026-10-31, owner: a}
    """
    for name, extra in (("a", ""), ("b", "team: [{role: r, name: n}]\n"), ("c", "")):
        total = 1000 if name == "c" else 100000
        budget = "budget: {total: " + str(total) + "}\n"
        body = "id: " + name + "\nowner: lead\nperiod: {start: 2026-09-01, end: 2026-10-31}\n"
        body += "metrics: [data/m.csv]\n" + extra + budget + textwrap.dedent(goals)
        (docs / f"{name}.md").write_text(
            "---\nplan:\n" + textwrap.indent(body.strip("\n"), "  ") + "\n---\n# P\n",
            encoding="utf-8",
        )
    (tmp_path / "data").mkdir()
    history = _daily(date(2026, 7, 1), 100, lambda d, i: f"{d},sem,100,50,5,10")
    (tmp_path / "data" / "m.csv").write_text(_csv(history), encoding="utf-8")
    return Settings(root=tmp_path, docs_dir=docs, language="en")


def _findings(settings: Settings) -> dict[str, list[tuple[str, int | None, str | None, str, str]]]:
    project = Project(settings)
    out = {}
    for page in project.scan():
        view = project.evaluate(page)
        assert view is not None
        out[page.src_uri] = [(d.file, d.line, d.field, d.rule, d.message) for d in view.quality]
    return out


def test_plans_written_alike_judge_each_goal_once_and_place_it_in_their_own_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planbook.metrics import lint

    settings = _alike_site(tmp_path)
    monkeypatch.setattr(lint, "_NOTES_MAX", 0)  # nothing kept: each plan judged alone
    alone = _findings(settings)
    monkeypatch.setattr(lint, "_NOTES_MAX", 4096)
    judged: list[str] = []
    judge = lint._judge_goal

    def counted(g, *args):
        judged.append(g.goal.id)
        return judge(g, *args)

    monkeypatch.setattr(lint, "_judge_goal", counted)
    shared = _findings(settings)
    assert shared == alone
    # a and b share every goal; c's budget differs (its budget rule says otherwise)
    assert sorted(judged) == ["conv", "conv", "cpa", "cpa", "spend", "spend"]
    a, b, c = shared["a.md"], shared["b.md"], shared["c.md"]
    assert {f[0] for f in b} == {"docs/b.md"} and [f[1] for f in b] == [f[1] + 1 for f in a]
    short = [[f[4] for f in found if f[3] == "smart/budget-short"] for found in (a, c)]
    assert len(short[0]) == len(short[1]) == 1 and short[0] != short[1]
    assert "100,000" in short[0][0] and "1,000" in short[1][0]
