"""The GitHub workflows parse, have the jobs they need, and only call commands that exist."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest
import yaml

from planbook.cli import main

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
_SEPARATORS = {"&&", "||", ";", "|", "&"}
_REDIRECTS = re.compile(r"^\d*[<>]+&?$")


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    # YAML 1.1: a bare `on:` key is the boolean True.
    if True in data:
        data["on"] = data.pop(True)
    return data


def steps(workflow: dict) -> list[dict]:
    return [s for job in workflow["jobs"].values() for s in job.get("steps", [])]


def commands(script: str) -> list[list[str]]:
    """Simple commands of a shell script: split at operators, redirections dropped."""
    script = script.replace("\\\n", " ")
    out: list[list[str]] = []
    for line in script.splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|<>")
        lexer.whitespace_split = True
        lexer.commenters = "#"
        current: list[str] = []
        skip = False
        for token in lexer:
            if token in _SEPARATORS:
                if current:
                    out.append(current)
                current = []
                continue
            if _REDIRECTS.match(token):
                skip = True
                continue
            if skip:
                skip = False
                continue
            current.append(token)
        if current:
            out.append(current)
    return out


def makefile_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return {
        m.group(1)
        for m in re.finditer(r"^([A-Za-z0-9_.-]+)\s*:(?!=)", text, re.M)
        if not m.group(1).startswith(".")
    }


def all_commands() -> list[tuple[str, list[str]]]:
    out = []
    for path in WORKFLOWS:
        for step in steps(load(path)):
            if "run" in step:
                out += [(path.name, c) for c in commands(step["run"])]
    return out


def test_there_are_workflows() -> None:
    assert {p.name for p in WORKFLOWS} >= {"pr.yml", "publish.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_shape(path: Path) -> None:
    wf = load(path)
    assert wf["name"]
    assert wf["on"]
    assert wf["jobs"]
    for name, job in wf["jobs"].items():
        assert job["runs-on"] == "ubuntu-latest", name
        assert job["steps"], name
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), step
            if "uses" in step:
                assert re.match(r"^[\w.-]+/[\w./-]+@v\d+$", step["uses"]), step["uses"]


def test_pull_request_workflow() -> None:
    wf = load(ROOT / ".github" / "workflows" / "pr.yml")
    assert "pull_request" in wf["on"]
    assert wf["permissions"]["security-events"] == "write"
    all_steps = steps(wf)
    checkout = next(s for s in all_steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    python = next(s for s in all_steps if s.get("uses", "").startswith("actions/setup-python@"))
    assert str(python["with"]["python-version"]) == "3.11"
    runs = {s.get("name"): s for s in all_steps if "run" in s}
    scripts = [s["run"] for s in runs.values()]
    assert any("planbook check --format github" in s for s in scripts)
    assert any("mkdocs build --strict" in s for s in scripts)
    diff_step = next(s for s in runs.values() if "planbook diff" in s["run"])
    assert '"$GITHUB_STEP_SUMMARY"' in diff_step["run"]
    assert diff_step["env"]["BASE_REF"] == "${{ github.base_ref }}"
    sarif = next(s for s in runs.values() if "--format sarif" in s["run"])
    # A failing check (exit 1) must not stop the report or its upload.
    assert "|| test $? -eq 1" in sarif["run"]
    assert "!cancelled()" in sarif["if"]
    upload = next(s for s in all_steps if "upload-sarif" in s.get("uses", ""))
    assert upload["with"]["sarif_file"] == "planbook.sarif"
    assert "!cancelled()" in upload["if"]
    for s in all_steps:
        if s.get("name") in ("Build the site (strict)", "What this pull request changes"):
            assert "!cancelled()" in s["if"]


def test_publish_workflow() -> None:
    wf = load(ROOT / ".github" / "workflows" / "publish.yml")
    assert wf["on"]["push"]["branches"] == ["main"]
    assert wf["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build, deploy = wf["jobs"]["build"], wf["jobs"]["deploy"]
    uses = [s.get("uses", "").split("@")[0] for s in build["steps"]]
    assert "actions/upload-pages-artifact" in uses
    upload = next(s for s in build["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "site"
    assert any(s.get("run") == "mkdocs build --strict" for s in build["steps"])
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_commands_exist(monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.__main__ import cli as mkdocs_cli

    monkeypatch.chdir(ROOT)  # `-f mkdocs.yml` and the like resolve against the repository
    targets = makefile_targets()
    seen = set()
    for workflow, argv in all_commands():
        program, args = argv[0], argv[1:]
        seen.add(program)
        if program == "planbook":
            _parses(main, args, f"{workflow}: {shlex.join(argv)}")
        elif program == "mkdocs":
            _parses(mkdocs_cli, args, f"{workflow}: {shlex.join(argv)}")
        elif program == "make":
            for target in (a for a in args if not a.startswith("-") and "=" not in a):
                assert target in targets, f"{workflow}: make {target}: no such Makefile target"
    assert {"planbook", "mkdocs", "make"} <= seen


def _parses(group: click.Group, args: list[str], where: str) -> None:
    """``args`` name a subcommand of ``group`` and its options and values are valid."""
    assert args, where
    name = args[0]
    assert name in group.commands, f"{where}: no command '{name}'"
    command = group.commands[name]
    try:
        with command.make_context(name, list(args[1:]), resilient_parsing=False) as ctx:
            assert ctx.command is command
    except click.UsageError as e:
        pytest.fail(f"{where}: {e.format_message()}")


def test_command_splitting() -> None:
    script = (
        "planbook check --format sarif > out.sarif || test $? -eq 1\nmake lint && mkdocs build\n"
    )
    assert commands(script) == [
        ["planbook", "check", "--format", "sarif"],
        ["test", "$?", "-eq", "1"],
        ["make", "lint"],
        ["mkdocs", "build"],
    ]
    assert commands('planbook diff "origin/$BASE_REF" HEAD >> "$GITHUB_STEP_SUMMARY"') == [
        ["planbook", "diff", "origin/$BASE_REF", "HEAD"]
    ]
    assert {"site", "test", "lint", "serve"} <= makefile_targets()


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_job_has_a_timeout(path):
    # A hang (a hostile page, a stuck network call) must not hold a runner for six hours.
    for name, job in load(path)["jobs"].items():
        minutes = job.get("timeout-minutes")
        assert isinstance(minutes, int) and 0 < minutes <= 60, f"{path.name}: job {name}"
