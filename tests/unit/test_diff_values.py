"""Goal values in `planbook diff` (06-diff-old-values-in-new-kpi-format): the base's values
in the base's KPI format, no delta across two KPIs, formats or currencies, and no "inf"
or 309-digit numbers for absurd magnitudes; hostile goal text stays literal."""

from __future__ import annotations

import json
import textwrap

from planbook.diffing import PlanSnapshot, SiteSnapshot, diff_sites, render_markdown, to_json
from planbook.model import Plan

PERIOD = {"start": "2026-09-01", "end": "2026-12-31"}


def _goal(**kw: object) -> dict:
    return {
        "id": "g",
        "statement": "s",
        "kpi": "clicks",
        "baseline": 5000,
        "target": 6000,
        "deadline": "2026-12-31",
        **kw,
    }


def _site(label: str, goals: list[dict], formats: dict[str, str], **plan: object) -> SiteSnapshot:
    p = Plan.model_validate({"id": "p", "period": PERIOD, "goals": goals, **plan})
    return SiteSnapshot(
        label, plans={"p": PlanSnapshot(p, "docs/p.md", None, {}, formats)}, language="en"
    )


def _goal_lines(base: SiteSnapshot, head: SiteSnapshot, language: str = "en") -> list[str]:
    out = render_markdown(diff_sites(base, head), language)
    return [line for line in out.splitlines() if line.startswith("- ")]


def test_old_values_in_the_old_kpi_format_and_no_delta_across_kpis() -> None:
    base = _site("a", [_goal()], {"g": "number"})
    head = _site("b", [_goal(kpi="ctr", baseline=0.02, target=0.03)], {"g": "percent"})
    expected = "- `g`: kpi clicks → ctr; baseline 5,000 → 2%; target 6,000 → 3%"
    assert _goal_lines(base, head) == [expected]
    assert _goal_lines(base, head, "zh") == [expected]  # field names and values as written
    base = _site("a", [_goal(kpi="ctr", baseline=0.01, target=0.05)], {"g": "percent"})
    head = _site("b", [_goal(kpi="cpc", baseline=2, target=1.5)], {"g": "currency"})
    assert _goal_lines(base, head) == ["- `g`: kpi ctr → cpc; baseline 1% → ¥2; target 5% → ¥1.5"]
    # JSON keeps the values as they are
    changes = to_json(diff_sites(base, head))["plans"][0]["goals"][0]["changes"]
    assert changes == [
        {"field": "kpi", "old": "ctr", "new": "cpc"},
        {"field": "baseline", "old": 0.01, "new": 2.0},
        {"field": "target", "old": 0.05, "new": 1.5},
    ]


def test_two_kpis_of_one_format_have_no_delta_either() -> None:
    base = _site("a", [_goal()], {"g": "number"})
    head = _site("b", [_goal(kpi="sessions", target=9000)], {"g": "number"})
    assert _goal_lines(base, head) == ["- `g`: kpi clicks → sessions; target 6,000 → 9,000"]


def test_the_same_kpi_keeps_its_delta() -> None:
    base = _site("a", [_goal(kpi="ctr", baseline=0.04, target=0.06)], {"g": "percent"})
    head = _site("b", [_goal(kpi="ctr", baseline=0.04, target=0.07)], {"g": "percent"})
    assert _goal_lines(base, head) == ["- `g`: target 6% → 7% (+1 pp)"]


def test_a_currency_change_shows_each_side_in_its_currency_without_a_delta() -> None:
    base = _site("a", [_goal(kpi="revenue", target=100)], {"g": "currency"}, currency="CNY")
    head = _site("b", [_goal(kpi="revenue", target=200)], {"g": "currency"}, currency="USD")
    assert _goal_lines(base, head) == ["- `currency`: CNY → USD", "- `g`: target ¥100 → $200"]


def test_a_removed_goal_reads_the_base_way() -> None:
    base = _site("a", [_goal(kpi="ctr", baseline=0.01, target=0.05)], {"g": "percent"})
    head = _site("b", [], {})
    assert _goal_lines(base, head) == ["- `g` removed (was: `ctr` 1% → 5% by 2026-12-31 — s)"]


def test_absurd_and_overflowing_values_print_no_inf() -> None:
    base = _site("a", [_goal(kpi="revenue", baseline=-1.7e308, target=-1.7e308)], {"g": "currency"})
    head = _site("b", [_goal(kpi="revenue", baseline=1.7e308, target=1e300)], {"g": "currency"})
    # the baseline's difference overflows: no delta; the target's is finite
    assert _goal_lines(base, head) == [
        "- `g`: baseline ¥-1.7e+308 → ¥1.7e+308; target ¥-1.7e+308 → ¥1e+300 (+¥1.7e+308)"
    ]
    base = _site("a", [_goal(kpi="ctr", baseline=0.01, target=1.7e308)], {"g": "percent"})
    head = _site("b", [_goal(kpi="ctr", baseline=1e20, target=-1.7e308)], {"g": "percent"})
    assert _goal_lines(base, head) == [
        "- `g`: baseline 1% → 1e+22% (+1e+22 pp); target 1.7e+310% → -1.7e+310%"
    ]
    base = _site("a", [_goal(target=1e15)], {"g": "number"})
    head = _site("b", [_goal(target=123456789012345678)], {"g": "number"})
    assert _goal_lines(base, head) == ["- `g`: target 1e+15 → 1.23457e+17 (+1.22457e+17)"]
    out = render_markdown(diff_sites(base, head))
    assert "inf" not in out and "nan" not in out
    json.dumps(to_json(diff_sites(base, head)), allow_nan=False)


def test_hostile_goal_text_stays_literal() -> None:
    statement = "</details> <img src=x> ![t](https://e.x/p.png) [ok](https://e.x) `x` | a\n# b"
    base = _site("a", [], {})
    head = _site(
        "b",
        [_goal(statement=statement, kpi="a`b|c", filter={"channel": ["s|m", "*x*"]})],
        {"g": "number"},
    )
    out = render_markdown(diff_sites(base, head))
    assert out == textwrap.dedent(
        """\
        ## Planbook: `a` → `b`

        Plan: 1 changed

        ### Plan `p`

        `docs/p.md`

        **Goals**

        - `g` added: ``a`b|c`` 5,000 → 6,000 by 2026-12-31 (channel: s\\|m, \\*x\\*) — &lt;/details&gt; &lt;img src=x&gt; !\\[t\\](https:&#8203;//e.x/p.png) \\[ok\\](https:&#8203;//e.x) \\`x\\` \\| a # b
        """
    )


def test_values_never_become_links_references_or_emoji_and_the_comment_fits() -> None:
    """Outside hostile test, finding 17: GitHub autolinked a statement's bare URL, `www.`
    and e-mail, turned `#1` and `owner/repo#3` into cross-references and `:shipit:` into
    an emoji; a 100,000-character statement and 300 goals made a 110 KB comment, which
    GitHub refuses (the pull request got none)."""
    from planbook.diffing.comment import MAX_MARKDOWN, capped, md

    assert md("https://evil.example www.evil.example a@b.com #1 owner/repo#3 :shipit: 10:30") == (
        "https:&#8203;//evil.example w&#8203;ww.evil.example a@&#8203;b.com #&#8203;1 "
        "owner/repo#&#8203;3 :&#8203;shipit: 10:30"
    )
    assert md("x" * 100_000) == "x" * 299 + "…"
    lines = [f"- goal {i}: " + "y" * 200 for i in range(1000)]
    text = capped(lines, lambda rest: f"> {rest} more")
    assert len(text) <= MAX_MARKDOWN and text.endswith(f"> {1000 - text.count('- goal')} more\n")
