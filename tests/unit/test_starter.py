"""`planbook init`: a new plan repository that builds strictly and passes `planbook check`."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from planbook import starter
from planbook.cli import collect, load_settings, main
from planbook.diagnostics import Severity

TODAY = date(2026, 11, 24)


def test_plan_start_and_sample_data_are_deterministic() -> None:
    assert starter.plan_start(TODAY) == date(2026, 10, 1)
    assert starter.plan_start(date(2027, 1, 1)) == date(2026, 12, 1)
    rows = starter.sample_rows(date(2026, 10, 1), TODAY)
    assert rows == starter.sample_rows(date(2026, 10, 1), TODAY)
    lines = rows.splitlines()
    assert lines[0] == "date,channel,impressions,clicks,spend,conversions,revenue,sessions"
    assert len(lines) == 1 + 3 * 54  # 2026-10-01 .. 2026-11-23, three channels a day
    assert lines[-1].startswith("2026-11-23,seo,")
    assert {line.count(",") for line in lines} == {7}
    # At least four weeks, even on the first day of a month.
    assert len(starter.sample_rows(date(2027, 1, 1), date(2027, 1, 2)).splitlines()) == 1 + 3 * 28


@pytest.mark.parametrize("language", ["zh", "en"])
def test_starter_files(language: str) -> None:
    files = starter.starter_files(language, TODAY)
    assert set(files) >= {
        "mkdocs.yml",
        "README.md",
        "requirements.txt",
        ".gitignore",
        ".vscode/settings.json",
        ".github/workflows/pr.yml",
        ".github/workflows/publish.yml",
        ".github/workflows/code-scanning.yml",
        "content/index.md",
        "content/plans/first-plan/index.md",
        f"content/personas/{starter.PERSONA_ID[language]}.md",
        "data/first-plan/ads.csv",
    }
    assert not [name for name, text in files.items() if "@@" in text]
    config = yaml.safe_load(files["mkdocs.yml"])
    assert config["theme"]["name"] == "material"
    assert config["theme"]["language"] == language
    assert "navigation.prune" in config["theme"]["features"]
    assert config["strict"] is True and config["docs_dir"] == "content"
    assert any(isinstance(p, dict) and "planbook" in p for p in config["plugins"])
    plan = files["content/plans/first-plan/index.md"]
    assert ("currency: USD" in plan) == (language == "en")
    assert ("owner: 营销总监" in plan) == (language == "zh")
    # a Chinese site gets jieba, so that its search finds a word inside a phrase
    extra = "[zh-search]" if language == "zh" else ""
    assert files["requirements.txt"].endswith(f"planbook{extra}=={starter.__version__}\n")


def test_site_name_is_yaml_safe() -> None:
    files = starter.starter_files("en", TODAY, site_name='Acme: "plans" #1')
    assert yaml.safe_load(files["mkdocs.yml"])["site_name"] == 'Acme: "plans" #1'


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_new_repository_builds_strictly(
    language: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    made = starter.init_site(tmp_path / "team", language=language, today=TODAY)
    assert all(p.is_file() for p in made.files)
    root = made.root
    diags = collect(load_settings(root / "mkdocs.yml"))
    assert [str(d) for d in diags if d.severity is not Severity.INFO] == []

    caplog.set_level(logging.INFO)
    cfg = load_config(str(root / "mkdocs.yml"))
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        build(cfg)
    finally:
        cfg.plugins.on_shutdown()
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    html = (root / "site" / "plans" / "first-plan" / "index.html").read_text("utf-8")
    assert "pb-errors" not in html
    assert "organic-sessions" in html and "paid-conversions" in html
    persona = starter.PERSONA_ID[language]
    assert (root / "site" / "personas" / persona / "index.html").is_file()


def test_init_refuses_to_overwrite(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mkdocs.yml").write_text("site_name: Ours\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["init"])
    assert result.exit_code == 1
    assert "Error: . already has mkdocs.yml: nothing was written (use --force to overwrite)" in (
        result.output
    )
    assert (tmp_path / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: Ours\n"
    assert not (tmp_path / "content").exists()
    result = CliRunner().invoke(main, ["init", "--force", "--language", "en"])
    assert result.exit_code == 0, result.output
    assert "mkdocs.yml" in result.stdout.splitlines()
    assert "language: en" in (tmp_path / "mkdocs.yml").read_text(encoding="utf-8")
    # The schemas the editor settings attach are written too.
    assert ".planbook/mkdocs-options.schema.json" in result.stdout.splitlines()
    settings = (tmp_path / ".vscode" / "settings.json").read_text(encoding="utf-8")
    assert "./.planbook/mkdocs-options.schema.json" in settings
    assert (tmp_path / ".planbook" / "front-matter.schema.json").is_file()


def test_init_into_a_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "x").write_text("", encoding="utf-8")
    with pytest.raises(starter.InitError, match="is not a folder"):
        starter.init_site(tmp_path / "x", language="zh", today=TODAY)


def test_check_only_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Annotations for the files a pull request changed; the exit status counts all."""
    root = starter.init_site(tmp_path, language="en", today=TODAY).root
    plan = root / "content/plans/first-plan/index.md"
    plan.write_text(plan.read_text("utf-8").replace("target: 2600", "target: lots"), "utf-8")
    persona = root / "content/personas/alex-chen.md"
    persona.write_text(
        persona.read_text("utf-8").replace("id: alex-chen", "id: Alex Chen"), "utf-8"
    )
    monkeypatch.chdir(root)
    (root / "changed.txt").write_text("content/personas/alex-chen.md\nREADME.md\n", "utf-8")
    result = CliRunner().invoke(
        main, ["check", "--format", "github", "--only-files", "changed.txt"]
    )
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines and all("file=content/personas/alex-chen.md," in line for line in lines)
    (root / "changed.txt").write_text("", "utf-8")
    result = CliRunner().invoke(
        main, ["check", "--format", "github", "--only-files", "changed.txt"]
    )
    assert result.exit_code == 1 and result.stdout.strip() == ""
