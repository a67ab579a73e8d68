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
# The workflows `planbook init` writes into a new plan repository.
STARTER = sorted((ROOT / "templates/starter/common/dot-github/workflows").glob("*.yml"))
# Majors that run on Node 24 (Node 20 actions are being retired).
MIN_MAJOR = {
    "actions/checkout": 6,
    "actions/setup-python": 6,
    "actions/configure-pages": 6,
    "actions/upload-pages-artifact": 5,
    "actions/deploy-pages": 5,
    "github/codeql-action/upload-sarif": 4,
}
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
    for path in WORKFLOWS + STARTER:
        for step in steps(load(path)):
            if "run" in step:
                out += [(path.name, c) for c in commands(step["run"])]
    return out


def test_there_are_workflows() -> None:
    assert {p.name for p in WORKFLOWS} >= {"pr.yml", "publish.yml", "code-scanning.yml"}
    assert {p.name for p in STARTER} == {"pr.yml", "publish.yml", "code-scanning.yml"}


ALL = WORKFLOWS + STARTER
IDS = [f"{p.parent.parent.parent.name}/{p.name}" for p in ALL]


@pytest.mark.parametrize("path", ALL, ids=IDS)
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
                action, major = step["uses"].split("@v")
                assert int(major) >= MIN_MAJOR.get(action, 0), f"{path.name}: {step['uses']}"


@pytest.mark.parametrize("path", ALL, ids=IDS)
def test_least_privilege(path: Path) -> None:
    """Nothing is granted workflow-wide; each job asks for what it needs, and only the
    SARIF job may write security events."""
    wf = load(path)
    assert wf["permissions"] == {}, path.name
    for name, job in wf["jobs"].items():
        assert isinstance(job.get("permissions"), dict), f"{path.name}: job {name}"
        if job["permissions"].get("security-events") == "write":
            assert any("upload-sarif" in s.get("uses", "") for s in job["steps"]), name


@pytest.mark.parametrize("path", ALL, ids=IDS)
def test_setup_python_caches_pip(path: Path) -> None:
    for step in steps(load(path)):
        if step.get("uses", "").startswith("actions/setup-python@"):
            assert step["with"]["cache"] == "pip", path.name


@pytest.mark.parametrize(
    "path",
    [ROOT / ".github/workflows/pr.yml", STARTER[[p.name for p in STARTER].index("pr.yml")]],
    ids=["repository", "starter"],
)
def test_pull_request_workflow(path: Path) -> None:
    wf = load(path)
    assert "pull_request" in wf["on"]
    plans = wf["jobs"]["plans"]
    assert plans["permissions"] == {"contents": "read"}
    checkout = next(s for s in plans["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    python = next(
        s for s in plans["steps"] if s.get("uses", "").startswith("actions/setup-python@")
    )
    assert str(python["with"]["python-version"]) == "3.11"
    runs = {s.get("name"): s for s in plans["steps"] if "run" in s}
    check = runs["Check plans"]["run"]
    # Annotations for the changed files only; the full report in the job summary.
    assert 'git diff --name-only "origin/$BASE_REF...HEAD" > changed-files.txt' in check
    assert "planbook check --format github --only-files changed-files.txt" in check
    assert '"$GITHUB_STEP_SUMMARY"' in check
    assert any("mkdocs build --strict" in s["run"] for s in runs.values())
    diff_step = runs["What this pull request changes"]
    assert '"$GITHUB_STEP_SUMMARY"' in diff_step["run"]
    assert '"$GITHUB_OUTPUT"' in diff_step["run"]
    assert diff_step["env"]["BASE_REF"] == "${{ github.base_ref }}"
    assert plans["outputs"]["diff"] == "${{ steps.diff.outputs.markdown }}"
    for name in ("Build the site (strict)", "What this pull request changes"):
        assert "!cancelled()" in runs[name]["if"]
    # One comment, posted or updated by a job that runs none of the pull request's code;
    # never from forks (their token is read-only).
    comment = wf["jobs"]["comment"]
    assert comment["needs"] == "plans"
    assert comment["permissions"] == {"pull-requests": "write"}
    assert "github.event.pull_request.head.repo.full_name == github.repository" in comment["if"]
    assert [s.get("uses") for s in comment["steps"]] == [None]
    script = comment["steps"][0]["run"]
    assert "<!-- planbook-diff -->" in script and "-X PATCH" in script and "-X POST" in script


@pytest.mark.parametrize(
    "path",
    [ROOT / ".github/workflows/code-scanning.yml", *[p for p in STARTER if "scanning" in p.name]],
    ids=["repository", "starter"],
)
def test_sarif_on_pull_requests_and_main(path: Path) -> None:
    wf = load(path)
    assert "pull_request" in wf["on"] and wf["on"]["push"]["branches"] == ["main"]
    job = wf["jobs"]["sarif"]
    assert job["permissions"] == {"contents": "read", "security-events": "write"}
    sarif = next(s for s in job["steps"] if "--format sarif" in s.get("run", ""))
    # A failing check (exit 1) must not stop the report or its upload.
    assert "|| test $? -eq 1" in sarif["run"]
    upload = next(s for s in job["steps"] if "upload-sarif" in s.get("uses", ""))
    assert upload["with"]["sarif_file"] == "planbook.sarif"
    assert "github.event_name == 'push'" in upload["if"]


def test_repository_runs_the_floors_the_wheel_and_properdocs() -> None:
    jobs = load(ROOT / ".github/workflows/pr.yml")["jobs"]
    scripts = {name: " ".join(s.get("run", "") for s in job["steps"]) for name, job in jobs.items()}
    assert "make test" in scripts["tests"]
    assert "make test-lowest" in scripts["lowest"]
    assert "make test-wheel" in scripts["packaging"]
    assert "make test-properdocs" in scripts["packaging"]
    assert "make test-zensical" in scripts["packaging"]


def test_publish_workflow() -> None:
    wf = load(ROOT / ".github" / "workflows" / "publish.yml")
    assert wf["on"]["push"]["branches"] == ["main"]
    build, deploy = wf["jobs"]["build"], wf["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    uses = [s.get("uses", "").split("@")[0] for s in build["steps"]]
    assert "actions/upload-pages-artifact" in uses
    upload = next(s for s in build["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "site"
    assert any(s.get("run") == "mkdocs build --strict" for s in build["steps"])
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


@pytest.fixture
def mkdocs_logger_restored():
    """Parsing `mkdocs` options creates its CLI state, which stops the `mkdocs` logger from
    propagating (and caplog from seeing later builds' messages): put it back."""
    import logging

    logger = logging.getLogger("mkdocs")
    saved = (logger.propagate, logger.level, list(logger.handlers))
    yield
    logger.propagate, logger.level = saved[0], saved[1]
    logger.handlers[:] = saved[2]


def test_commands_exist(monkeypatch: pytest.MonkeyPatch, mkdocs_logger_restored: None) -> None:
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


@pytest.mark.parametrize("path", ALL, ids=IDS)
def test_every_job_has_a_timeout(path):
    # A hang (a hostile page, a stuck network call) must not hold a runner for six hours.
    for name, job in load(path)["jobs"].items():
        minutes = job.get("timeout-minutes")
        assert isinstance(minutes, int) and 0 < minutes <= 60, f"{path.name}: job {name}"
