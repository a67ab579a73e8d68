"""Risks, team, phases (with phase goals), personas and the plan summary written in
Python (issue 12): the same bytes as the shipped templates render from the same context,
hostile text kept text, and a site's own template renders the section."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import SimpleNamespace as NS

import pytest
from bs4 import BeautifulSoup
from markupsafe import escape

from planbook.format import Formatter
from planbook.i18n import Labels
from planbook.model import Milestone, Persona, Phase, Risk, TeamMember
from planbook.views.render import Renderer, risk_level
from planbook.views.render_env import environment
from planbook.views.sections_html import (
    write_persona_card,
    write_personas,
    write_phases,
    write_plan_summary,
    write_risks,
    write_team,
)

XSS = "<script>alert('x')</script>"
H = [XSS, "</script><b>b</b>", "a \"q\" & 's'\nnext", "中文「引号」", "{{ x }}"]


def _both(name: str, writer, **context) -> str:
    ours = writer(**context)
    assert ours == environment().get_template(name).render(**context)
    assert "<script" not in ours and "<b>" not in ours
    assert not BeautifulSoup(ours, "html.parser").select("script, b")
    return ours


def _personas() -> list:
    full = Persona(
        id="li-ming",
        name=H[0],
        age=0,
        gender=H[1],
        city=H[2],
        occupation="",
        income=H[3],
        segment=H[4],
        interests=[H[0], H[1]],
        pains=[H[2]],
        needs=[],
        info_channels=["微信", "<i>x</i>"],
        buying_channels=[H[3]],
        scenario=H[2],
        quote=H[1],
    )
    bare = Persona(id="bare", name="Bare")
    texts = Persona(id="t", name="T", age="三十岁 <i>", segment="", quote="")
    return [full, bare, texts]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_risks_and_team_read_as_the_templates_render_them(language):
    t, fmt = Labels(language), Formatter(language)
    risks = [
        Risk(
            id="a",
            title=H[0],
            category="legal",
            likelihood=5,
            impact=5,
            owner=H[1],
            mitigation=H[2],
            contingency=H[3],
        ),
        Risk(id="b", title=H[4], category="market", likelihood=2, impact=4),
        Risk(id="c", title="c", category="reputation", likelihood=1, impact=1, owner=""),
    ]
    for shown in (risks, []):
        _both("sections/risks.html", write_risks, risks=shown, t=t, fmt=fmt, risk_level=risk_level)
    team = [TeamMember(role=H[0], name=H[1], duties=H[2]), TeamMember(role=H[3])]
    for members in (team, []):
        _both("sections/team.html", write_team, plan=NS(team=members), t=t, fmt=fmt)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_phases_and_phase_goals_read_as_the_templates_render_them(language):
    t, fmt = Labels(language), Formatter(language)
    phases = [
        Phase(
            name=H[0],
            start=date(2026, 9, 1),
            end=date(2026, 9, 30),
            focus=H[1],
            milestones=[
                Milestone(name=H[2], date=date(2026, 9, 15), owner=H[3], done=True),
                Milestone(name="m", date=date(2026, 9, 20)),
            ],
        ),
        Phase(name=H[4], start=date(2026, 10, 1), end=date(2026, 10, 31)),
        Phase(name="last", start=date(2026, 11, 1), end=date(9999, 12, 31), focus=""),
    ]

    def goal(gid, owner, status, actual, fmt_kind):
        return NS(
            goal=NS(id=gid, statement=H[0] + gid, owner=owner, target=1e20),
            status=status,
            actual=actual,
            format=fmt_kind,
        )

    goals = [
        [
            goal("g1", H[1], "on_track", 0.0215, "percent"),
            goal("g2", None, "no_data", float("nan"), "currency"),
        ],
        [],
        [goal("g3", "", "achieved", 12345.678, "number")],
    ]
    plan = NS(phases=phases)
    for as_of in (None, date(2026, 9, 30), date(2026, 10, 1), date(9999, 12, 31)):
        for phase_goals in (goals, [], [None, [], goals[0]]):
            html = _both(
                "sections/phases.html",
                write_phases,
                plan=plan,
                t=t,
                fmt=fmt,
                as_of=as_of,
                phase_goals=phase_goals,
            )
            if as_of == date(2026, 9, 30):
                assert html.count("pb-row--current") == 1 + bool(phase_goals and phase_goals[0])


@pytest.mark.parametrize("language", ["zh", "en"])
def test_personas_and_cards_read_as_the_templates_render_them(language):
    t = Labels(language)
    people = _personas()
    for persona in people:
        for url in (None, "", f"../{XSS}/"):
            _both("sections/persona_card.html", write_persona_card, persona=persona, url=url, t=t)
    listed = [
        (people[0], "li-ming", "personas/li-ming.md"),
        (None, H[0], None),
        (people[1], "bare", None),
        (people[2], "t", "p/<t>.md"),
    ]
    html = _both(
        "sections/personas.html",
        write_personas,
        personas=listed,
        t=t,
        url_for=lambda u: f"/{u}?a=1&b=2",
    )
    assert 'href="/personas/li-ming.md?a=1&amp;b=2"' in html
    _both("sections/personas.html", write_personas, personas=[], t=t, url_for=str)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_plan_summary_reads_as_the_template_renders_it(language):
    t, fmt = Labels(language), Formatter(language, "USD")
    period = NS(start=date(2026, 9, 1), end=date(2026, 12, 31))
    for owner, budget, as_of in (
        (H[0], NS(total=1e300), date(2026, 10, 1)),
        (None, None, None),
        ("", NS(total=12345.5), None),
    ):
        plan = NS(status="active", owner=owner, budget=budget, period=period)
        view = NS(status="at_risk", as_of=as_of)
        _both("sections/plan_summary.html", write_plan_summary, view=view, plan=plan, t=t, fmt=fmt)


def test_a_site_template_draws_its_section(tmp_path: Path):
    folder = tmp_path / "overrides" / "sections"
    folder.mkdir(parents=True)
    (folder / "phase_goals.html").write_text("<p>own {{ ph.name }}</p>", "utf-8")
    (folder / "persona_card.html").write_text("<p>card {{ persona.name }}</p>", "utf-8")
    own = Renderer("en", custom_dir=tmp_path / "overrides")
    shipped = Renderer("en")
    people = _personas()
    assert own.persona_card(people[0]) == f"<p>card {escape(XSS)}</p>"
    assert shipped.persona_card(people[0]).startswith('<div class="card pb-persona"')
    # the phases are drawn by the templates when the site has its own phase goals
    plan = NS(
        phases=[Phase(name="p1", start=date(2026, 9, 1), end=date(2026, 9, 30))],
        team=[],
        risks=[],
        currency="CNY",
    )
    result = NS(
        goal=NS(id="g", statement="s", owner=None, target=1.0),
        status="on_track",
        actual=1.0,
        format="number",
    )
    view = NS(plan=plan, as_of=None, phase_goals=[[result]], value_labels={})
    assert "<p>own p1</p>" in own.section("phases", view, {}, str)
    assert "pb-phase-goals__title" in shipped.section("phases", view, {}, str)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_report_links_read_as_the_template_renders_them(language):
    from planbook.views.sections_html import write_reports

    t = Labels(language)
    for reports in ([(f"r/2026-10/?{XSS}", f"十月 {H[1]}"), ("r/2026-09/", H[2])], []):
        html = _both("sections/reports.html", write_reports, reports=reports, t=t)
        assert len(BeautifulSoup(html, "html.parser").select("a")) == len(reports)


@pytest.mark.parametrize(
    ("language", "pains", "interests"),
    [
        ("en", "Air feels stuffy; Many purifiers are loud", "yoga, cooking"),
        ("zh", "Air feels stuffy；Many purifiers are loud", "yoga、cooking"),
    ],
)
def test_a_cards_sentences_are_kept_apart(language, pains, interests):
    """Pains and needs are sentences: joined with commas they ran into one another
    ("…stuffy, Many purifiers are loud"; outside reading, stop 30)."""
    persona = Persona(
        id="p",
        name="Emily",
        pains=["Air feels stuffy", "Many purifiers are loud"],
        interests=["yoga", "cooking"],
    )
    html = _both(
        "sections/persona_card.html",
        write_persona_card,
        persona=persona,
        url=None,
        t=Labels(language),
    )
    values = [dd.get_text() for dd in BeautifulSoup(html, "html.parser").select("dd")]
    assert pains in values and interests in values
