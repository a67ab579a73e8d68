"""`planbook schema`: the JSON Schemas accept exactly what the checks accept — every
example, starter, template and fixture page validates against the front-matter schema
and passes the validators; every invalid case is refused by both."""

from __future__ import annotations

import json
import textwrap
from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from planbook import scaffold, starter
from planbook.cli import _schemas, main
from planbook.frontmatter import read_front_matter
from planbook.model import Persona, Plan, validate
from planbook.review.spec import ReviewSpec

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = _schemas()
FRONT = Draft202012Validator(SCHEMAS["front-matter"])
OPTIONS = Draft202012Validator(SCHEMAS["options"])
MODELS = {"plan": Plan, "persona": Persona, "review": ReviewSpec}


def test_schemas_are_valid_draft_2020_12() -> None:
    for schema in SCHEMAS.values():
        Draft202012Validator.check_schema(schema)


def _validator_errors(data: dict) -> list[str]:
    """What the checks say about the front matter's shape ([schema] diagnostics)."""
    out: list[str] = []
    for key, model in MODELS.items():
        if key in data:
            front = read_front_matter("---\n" + yaml.safe_dump({key: data[key]}) + "---\n", "x")
            _, diags = validate(
                model, data[key], file="x", locations=front.locations, prefix=(key,)
            )
            out += [str(d) for d in diags]
    return out


def _pages() -> list[tuple[str, str]]:
    pages = [
        (p.relative_to(ROOT).as_posix(), p.read_text("utf-8-sig"))
        for p in ROOT.glob("content/**/*.md")
    ]
    pages += [
        (p.relative_to(ROOT).as_posix(), p.read_text("utf-8-sig"))
        for p in ROOT.glob("tests/**/*.md")
        if "invalid" not in p.parts
    ]
    today = date(2026, 11, 24)
    for language in ("zh", "en"):
        for name, text in starter.starter_files(language, today).items():
            if name.endswith(".md"):
                pages.append((f"starter/{language}/{name}", text))
        for kind in scaffold.KINDS:
            template = scaffold.template_path(kind, None, language).read_text("utf-8")
            pages.append(
                (
                    f"scaffold/{language}/{kind}",
                    scaffold.render(template, scaffold.values("x", "X", today)),
                )
            )
    return pages


PAGES = _pages()


@pytest.mark.parametrize(("name", "text"), PAGES, ids=[n for n, _ in PAGES])
def test_every_page_validates_against_the_schema_and_the_checks(name: str, text: str) -> None:
    front = read_front_matter(text, name)
    assert not [d for d in front.diagnostics if d.severity.value == "error"]
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in FRONT.iter_errors(front.data)]
    assert errors == []
    assert _validator_errors(front.data) == []


def test_there_are_plan_pages_among_them() -> None:
    plans = [n for n, t in PAGES if "\nplan:" in t]
    assert len(plans) >= 6, plans


# Shorthand the checks accept must be accepted by the schema too.
SHORTHAND = [
    "plan: {id: a, period: {start: 2026-09-01, end: 2026-10-31}, metrics: [data/a.csv]}",
    "plan: {id: a, period: {start: 2026-09-01, end: 2026-10-31}, owner: 2026}",
    """plan:
         id: a
         period: {start: 2026-09-01, end: 2026-10-31}
         goals:
           - {id: g, statement: s, kpi: 点击率, baseline: 4%, target: 2.5%, deadline: 2026-10-31, filter: {channel: sem}}
         budget: {total: 70万, allocations: [{item: sem, share: 35%, cap: "¥1,000,000"}, {item: x, amount: 1.2亿}]}""",
    "review: {status: draft, checklist: {copyright: open, accuracy: {state: n-a, by: 王芳}}}",
    "persona: {id: li-ming, name: 李明, age: 30}",
    "persona: {id: li-ming, name: 李明, age: 25–35}",
]


@pytest.mark.parametrize("text", SHORTHAND)
def test_shorthand_is_accepted_by_both(text: str) -> None:
    data = yaml.safe_load(textwrap.dedent(text))
    data = json.loads(json.dumps(data, default=str))  # YAML dates as text, like the loader
    assert [e.message for e in FRONT.iter_errors(data)] == []
    assert _validator_errors(data) == []


INVALID = [
    (
        "plan: {id: a, period: {start: 2026-09-01, end: 2026-10-31}, goals: [{id: g, statement: s, kpi: ctr, baseline: 0, target: abc, deadline: 2026-10-31}]}",
        "target: expected a number, got 'abc'",
    ),
    (
        "plan: {id: Bad Id, period: {start: 2026-09-01, end: 2026-10-31}}",
        "plan.id: expected an identifier",
    ),
    (
        "plan: {id: a, status: done, period: {start: 2026-09-01, end: 2026-10-31}}",
        "plan.status: expected one of",
    ),
    (
        "plan: {id: a, period: {start: 2026-09-01, end: 2026-10-31}, colour: red}",
        "unknown field 'colour'",
    ),
    (
        "plan: {id: a, period: {start: 20260901, end: 2026-10-31}}",
        "plan.period.start: expected an ISO date",
    ),
    (
        "plan: {id: a, period: {start: 2026-09-01, end: 2026-10-31}, budget: {total: 100, allocations: [{item: a, share: 1.5}]}}",
        "share: expected a number at most 1",
    ),
    (
        "plan: {id: a, period: {start: 2026-09-01, end: 2026-10-31}, budget: {total: 0}}",
        "total: expected a number more than 0",
    ),
    (
        "plan: {id: a, period: {start: 2026-09-01, end: 2026-10-31}, risks: [{id: r, title: t, likelihood: 9, impact: 1}]}",
        "likelihood: expected a number at most 5",
    ),
    ("plan: {id: a, period: {start: 2026-09-01, end: 2026-10-31}, metrics: 5}", "plan.metrics"),
    (
        "plan: {id: a, period: {start: 2026-09-01, end: 2026-10-31}, goals: [{id: g, statement: s, kpi: ctr, baseline: 0, target: true, deadline: 2026-10-31}]}",
        "true/false is not a number",
    ),
    (
        "plan: {id: a, period: {start: 2026-09-01, end: 2026-10-31}, currency: yuan}",
        "plan.currency: expected a three-letter ISO 4217",
    ),
    ("plan: {id: a}", "plan.period: required field is missing"),
    ("persona: {id: x y, name: X}", "persona.id: expected an identifier"),
    ("persona: {id: x, name: X, hobby: golf}", "unknown field 'hobby'"),
    ("review: {status: maybe}", "review.status: expected one of"),
    ("review: {checklist: {copyright: maybe}}", "review.checklist.copyright"),
]


@pytest.mark.parametrize(("text", "message"), INVALID, ids=[m for _, m in INVALID])
def test_invalid_front_matter_is_refused_by_both(text: str, message: str) -> None:
    data = json.loads(json.dumps(yaml.safe_load(text), default=str))
    assert list(FRONT.iter_errors(data)), f"the schema accepts {text}"
    said = _validator_errors(data)
    assert any(message in s for s in said), said


def test_options_schema_matches_mkdocs() -> None:
    from mkdocs.config import load_config

    example = yaml.load((ROOT / "mkdocs.yml").read_text("utf-8"), Loader=yaml.SafeLoader)
    assert [e.message for e in OPTIONS.iter_errors(example)] == []
    for name, text in starter.starter_files("zh", date(2026, 11, 24)).items():
        if name == "mkdocs.yml":
            assert [e.message for e in OPTIONS.iter_errors(yaml.safe_load(text))] == []
    for bad in ({"pacing_on_track": 2}, {"data_dirr": "x"}, {"language": "fr"}, {"review": "yes"}):
        config = {"site_name": "x", "plugins": [{"planbook": bad}]}
        assert list(OPTIONS.iter_errors(config)), bad
        with pytest.raises(BaseException):  # noqa: B017  (MkDocs aborts on the option too)
            load_config(config_file=None, **config)


def test_options_carry_their_documentation() -> None:
    props = SCHEMAS["options"]["properties"]["plugins"]["items"]["then"]["properties"]
    options = props["planbook"]["properties"]
    assert options["pacing_on_track"]["minimum"] == 0 and options["pacing_on_track"]["maximum"] == 1
    assert "progress expected" in options["pacing_on_track"]["description"]
    assert options["enabled"]["default"] is True


def test_schema_command(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["title"] == "Planbook page front matter"
    result = CliRunner().invoke(main, ["schema", "options"])
    assert json.loads(result.stdout)["title"] == "Planbook plugin options in mkdocs.yml"
    result = CliRunner().invoke(main, ["schema", "--dir", str(tmp_path / "s")])
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == [
        "front-matter.schema.json",
        "mkdocs-options.schema.json",
    ]
