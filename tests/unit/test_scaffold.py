"""`planbook new`: pages from templates that pass the engine check and a strict build."""

from __future__ import annotations

import json
import logging
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from planbook import scaffold
from planbook.cli import collect, load_settings, main
from planbook.diagnostics import Severity
from planbook.frontmatter import read_front_matter
from planbook.model import Persona, Plan

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def example_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example site, as the working directory."""
    site = tmp_path / "site-src"
    site.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", site / "mkdocs.yml")
    shutil.copytree(ROOT / "content", site / "content")
    shutil.copytree(ROOT / "data", site / "data")
    monkeypatch.chdir(site)
    return site


def new(*args: str):
    return CliRunner().invoke(main, ["new", *args], catch_exceptions=False)


def test_plan_period_and_phases() -> None:
    assert scaffold.plan_period(date(2026, 11, 22)) == (date(2026, 12, 1), date(2027, 5, 31))
    assert scaffold.plan_period(date(2027, 1, 31)) == (date(2027, 2, 1), date(2027, 7, 31))
    v = scaffold.values("x", "X", date(2026, 11, 22))
    assert (v["START"], v["PHASE1_END"], v["PHASE2_START"]) == (
        "2026-12-01",
        "2026-12-31",
        "2027-01-01",
    )
    assert (v["PHASE2_END"], v["PHASE3_START"], v["END"]) == (
        "2027-02-28",
        "2027-03-01",
        "2027-05-31",
    )


@pytest.mark.parametrize("kind", sorted(scaffold.KINDS))
def test_templates_fill_every_placeholder(kind: str, tmp_path: Path) -> None:
    path = scaffold.scaffold(
        kind, "autumn-2027", tmp_path, today=date(2026, 11, 22), title='秋季: "新品" #1 | 试'
    )
    text = path.read_text(encoding="utf-8")
    assert "@@" not in text
    front = read_front_matter(text, "x.md")
    assert not front.diagnostics
    assert front.data["title"] == '秋季: "新品" #1 | 试'
    assert '# 秋季: "新品" #1 | 试\n' in front.body
    if kind == "plan":
        plan = Plan.model_validate(front.data["plan"])
        assert (plan.id, plan.status, plan.period.start) == (
            "autumn-2027",
            "draft",
            date(2026, 12, 1),
        )
        assert plan.goals == [] and plan.metrics == []
        assert "#   goals:" in text  # the example goal, commented out until there is data
        assert sum(a.share or 0 for a in plan.budget.allocations) == pytest.approx(1)
    elif kind == "persona":
        assert Persona.model_validate(front.data["persona"]).id == "autumn-2027"
    else:
        assert front.data["review"]["status"] == "draft"


def test_comments_are_bilingual() -> None:
    text = (scaffold.shipped_templates() / "scaffold" / "plan.md").read_text(encoding="utf-8")
    commented = [line for line in text.splitlines() if "# " in line and ":" in line]
    assert any("计划标识" in line and "plan id" in line for line in commented)
    # The template's YAML (placeholders filled) parses, comments and all.
    filled = scaffold.render(text, scaffold.values("x", "X", date(2026, 1, 1)))
    assert yaml.safe_load(filled.split("---\n")[1])["plan"]["id"] == "x"


def test_new_pages_build_without_errors(
    example_site: Path, caplog: pytest.LogCaptureFixture
) -> None:
    created = (
        Path("content/plans/autumn-2027/index.md"),
        Path("content/personas/wang-lei.md"),
        Path("content/copy/autumn-sms.md"),
    )
    kinds = (("plan", "autumn-2027"), ("persona", "wang-lei"), ("copy", "autumn-sms"))
    for (kind, name), path in zip(kinds, created, strict=True):
        result = new(kind, name, "--title", f"测试 {name}")
        assert result.exit_code == 0, result.output
        assert result.stdout == f"{path.as_posix()}\n"
    settings = load_settings(example_site / "mkdocs.yml")
    diags = collect(settings, created)
    assert [str(d) for d in diags if d.severity is not Severity.INFO] == []

    # A real, strict `mkdocs build` of the whole example site with the new pages.
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    caplog.set_level(logging.INFO)
    cfg = load_config(str(example_site / "mkdocs.yml"), strict=True)
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        build(cfg)
    finally:
        cfg.plugins.on_shutdown()
    problems = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert problems == []
    html = (example_site / "site" / "plans" / "autumn-2027" / "index.html").read_text("utf-8")
    assert "测试 autumn-2027" in html


def test_bad_name(example_site: Path) -> None:
    result = new("plan", "Autumn Launch")
    assert result.exit_code == 2
    assert "Invalid value for NAME: 'Autumn Launch' is not a valid name" in result.output
    assert not Path("content/plans/Autumn Launch.md").exists()
    assert new("plan", "../escape").exit_code == 2
    assert new("campaign", "x").exit_code == 2


def test_existing_file_needs_force(example_site: Path) -> None:
    path = Path("content/plans/spring-launch-2027/index.md")
    before = path.read_text(encoding="utf-8")
    result = new("plan", "spring-launch-2027")
    assert result.exit_code == 1
    assert (
        "Error: content/plans/spring-launch-2027/index.md already exists (use --force to overwrite it)"
        in result.output
    )
    assert path.read_text(encoding="utf-8") == before
    result = new("plan", "spring-launch-2027", "--force")
    assert result.exit_code == 0
    assert "status: draft" in path.read_text(encoding="utf-8")


def test_dir_and_default_title(example_site: Path) -> None:
    result = new("persona", "zhang-wei", "--dir", "content/people")
    assert result.exit_code == 0
    text = Path("content/people/zhang-wei.md").read_text(encoding="utf-8")
    assert 'title: "Zhang Wei"' in text
    assert "  id: zhang-wei " in text


def test_site_template_overrides(tmp_path: Path) -> None:
    own = tmp_path / "templates" / "scaffold"
    own.mkdir(parents=True)
    (own / "copy.md").write_text("---\ntitle: @@TITLE@@\n---\n\n# @@TITLE@@ (@@ID@@)\n", "utf-8")
    path = scaffold.scaffold(
        "copy", "x", tmp_path / "out", today=date(2026, 1, 1), custom_dir=tmp_path / "templates"
    )
    assert path.read_text(encoding="utf-8") == '---\ntitle: "X"\n---\n\n# X (x)\n'
    with pytest.raises(scaffold.ScaffoldError, match="unknown kind of page 'report'"):
        scaffold.template_path("report")


def test_slug_is_matched_whole(tmp_path: Path) -> None:
    # `$` matches before a final newline: the name must be matched as a whole.
    with pytest.raises(scaffold.BadSlug, match=r"^'trail\\n' is not a valid name"):
        scaffold.check_slug("trail\n")
    for bad in ("trail\n", "-x", "x y", "x/y", "Ü", "a" * 81, ""):
        with pytest.raises(scaffold.BadSlug):
            scaffold.check_slug(bad)
    assert list(tmp_path.iterdir()) == []


def _english_site(root: Path, custom: bool = False) -> Path:
    """A site with MkDocs' default docs_dir (`docs`) and an English theme."""
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    options = ""
    if custom:
        (root / "overrides" / "scaffold").mkdir(parents=True)
        (root / "overrides" / "scaffold" / "persona.md").write_text(
            "---\ntitle: @@TITLE@@\npersona: {id: @@ID@@, name: @@TITLE@@}\n---\n\n# Ours\n",
            "utf-8",
        )
        options = ":\n      custom_templates: overrides"
    (root / "mkdocs.yml").write_text(
        "site_name: Team\nstrict: true\ntheme:\n  name: material\n  language: en\n"
        f"plugins:\n  - search\n  - planbook{options}\n",
        encoding="utf-8",
    )
    return root


def test_new_follows_docs_dir_language_and_custom_templates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _english_site(tmp_path / "team", custom=True)
    monkeypatch.chdir(site)
    result = new("plan", "autumn-push")
    assert result.exit_code == 0, result.output
    assert result.stdout == "docs/plans/autumn-push/index.md\n"
    text = (site / "docs/plans/autumn-push/index.md").read_text(encoding="utf-8")
    assert "owner: Marketing lead" in text and "currency: USD" in text
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in text), "no Chinese on an English site"
    result = new("persona", "alex-chen")
    assert result.exit_code == 0, result.output
    assert (site / "docs/personas/alex-chen.md").read_text(encoding="utf-8").endswith("# Ours\n")
    result = new("copy", "launch-mail", "--language", "zh")
    assert "market: cn" in (site / "docs/copy/launch-mail.md").read_text(encoding="utf-8")
    assert not (site / "content").exists()
    diags = collect(load_settings(site / "mkdocs.yml"))
    assert [str(d) for d in diags if d.severity is not Severity.INFO] == []


@pytest.mark.parametrize("language", ["zh", "en"])
def test_new_plan_builds_strictly_once_it_has_data(
    language: str, tmp_path: Path, build_site
) -> None:
    """Uncomment the goal and list a data file: the budget items all find their spend."""
    path = scaffold.scaffold(
        "plan", "autumn", tmp_path / "out", today=date(2026, 8, 20), language=language
    )
    text = path.read_text(encoding="utf-8")
    text = text.replace("  metrics: []", "  metrics: [data/ads.csv]")
    start = text.index("  #   goals:")
    end = text.index("  goals: []\n")
    goal = "".join(
        line[:2] + line[6:] if line.startswith("  #   ") else line
        for line in text[start:end].splitlines(keepends=True)
    )
    text = text[:start] + goal + text[end + len("  goals: []\n") :]
    # The example goal counts organic (seo) sessions; paid channels carry the spend.
    rows = "".join(
        f"2026-09-{d:02d},{ch},{5000 + d},{100 * d if ch != 'seo' else ''}\n"
        for d in range(1, 21)
        for ch in ("sem", "social", "seo")
    )
    built = build_site(
        {"plans/autumn/index.md": text},
        {"ads.csv": "date,channel,sessions,spend\n" + rows},
        language=language,
    )
    assert built.error is None, built.messages
    assert built.logged(logging.WARNING) == []
    html = built.html("plans/autumn/index.html")
    assert html.select_one(".pb-errors") is None
    assert "web-traffic" in built.raw("plans/autumn/index.html")


def test_a_typed_title_is_one_line_of_text_in_the_page() -> None:
    """Outside hostile test, finding 15: `planbook new --title` and `planbook init --name`
    wrote the value raw into the page's heading, where `<img onerror>` ran on the built
    site, braces were a shortcode and a newline wrote front-matter lines into the body."""
    from planbook import starter
    from planbook.scaffold import render, values

    hostile = "T <img src=x onerror=alert(1)> {{ portfolio() }}\nplan:\n  id: hijack\n#"
    page = render(
        "---\ntitle: @@TITLE@@\n---\n\n# @@TITLE@@\n", values("p", hostile, date(2026, 9, 1))
    )
    front, body = page.split("\n---\n", 1)
    assert json.dumps(hostile, ensure_ascii=False) in front  # YAML-quoted, as before
    assert body == (
        "\n# T &lt;img src=x onerror=alert(1)&gt; &#123;&#123; portfolio() &#125;&#125; "
        "plan: id: hijack #\n"
    )
    files = starter.starter_files("en", date(2026, 9, 1), site_name=hostile)
    assert files["content/index.md"].splitlines()[0].startswith("# T &lt;img src=x")
