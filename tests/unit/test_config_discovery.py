"""`planbook check`, `diff` and `new` find the site's configuration by themselves:
mkdocs.yml, else properdocs.yml (ProperDocs runs the plugin unchanged)."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from planbook import starter
from planbook.cli import main


def _properdocs_site(root: Path) -> Path:
    starter.init_site(root, language="en", today=date(2026, 11, 24))
    (root / "mkdocs.yml").rename(root / "properdocs.yml")
    return root


def test_check_finds_properdocs_yml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = _properdocs_site(tmp_path / "site")
    monkeypatch.chdir(site)
    result = CliRunner().invoke(main, ["check", "--strict"])
    assert result.exit_code == 0, result.output
    assert "no problems found" in result.stderr
    plan = site / "content/plans/first-plan/index.md"
    plan.write_text(plan.read_text("utf-8").replace("target: 2600", "target: lots"), "utf-8")
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 1
    assert "plan.goals[0].target: expected a number, got 'lots'" in result.stdout


def test_new_writes_into_the_properdocs_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _properdocs_site(tmp_path / "site")
    monkeypatch.chdir(site)
    result = CliRunner().invoke(main, ["new", "persona", "sam-lee"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "content/personas/sam-lee.md\n"


def test_no_configuration_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check"])
    assert result.exit_code == 2
    assert (
        "Error: no mkdocs.yml or properdocs.yml in this folder; give the site's configuration "
        "with -f" in result.output
    )


def test_diff_finds_properdocs_yml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = _properdocs_site(tmp_path / "site")

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=site, check=True, capture_output=True)

    git("init", "-q", "-b", "main")
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "start")
    plan = site / "content/plans/first-plan/index.md"
    plan.write_text(plan.read_text("utf-8").replace("target: 2600", "target: 3000"), "utf-8")
    monkeypatch.chdir(site)
    result = CliRunner().invoke(main, ["diff", "main"])
    assert result.exit_code == 0, result.output
    assert "organic-sessions" in result.stdout
    assert "3,000" in result.stdout or "3000" in result.stdout
