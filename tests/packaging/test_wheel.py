"""From the built wheel to a served site, as a team would start: build the wheel, install
it into a fresh venv, and in an empty folder run `planbook init`, `mkdocs build --strict`
and `planbook check --strict`.

Slow (it installs every dependency into a new venv): marked `wheel`, run by
`make test-wheel` and by CI; `make test` leaves it out.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.wheel


def run(argv: list[str | Path], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    done = subprocess.run(
        [str(a) for a in argv], cwd=cwd, capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, f"{argv}: {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, ROOT], cwd=dist)
    (built,) = dist.glob("planbook-*.whl")
    return built


def test_wheel_contents(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "planbook/plugin.py",
        "planbook/py.typed",
        "planbook/templates/errors.html",
        "planbook/templates/serve_banner.html",
        "planbook/templates/scaffold/en/plan.md",
        "planbook/templates/starter/common/dot-github/workflows/pr.yml",
        "planbook/templates/starter/zh/mkdocs.yml",
    ):
        assert needed in names, needed
    assert not [n for n in names if n.startswith(("tests/", "content/", "data/"))]


def test_init_build_check_from_the_wheel(wheel: Path, tmp_path: Path) -> None:
    env = tmp_path / "venv"
    run([sys.executable, "-m", "venv", env], cwd=tmp_path)
    bin_ = env / "bin"
    run([bin_ / "pip", "install", "-q", wheel], cwd=tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    made = run([bin_ / "planbook", "init", "team", "--language", "en"], cwd=empty)
    assert "team/mkdocs.yml" in made.stdout.splitlines()
    site = empty / "team"
    built = run([bin_ / "mkdocs", "build", "--strict"], cwd=site)
    assert "WARNING" not in built.stderr and "ERROR" not in built.stderr, built.stderr
    checked = run([bin_ / "planbook", "check", "--strict"], cwd=site)
    assert "no problems found" in checked.stderr

    home = BeautifulSoup((site / "site/index.html").read_text("utf-8"), "html.parser")
    assert home.select_one(".pb-portfolio, table") is not None
    assert "Our first marketing plan" in home.get_text()
    plan = BeautifulSoup(
        (site / "site/plans/first-plan/index.html").read_text("utf-8"), "html.parser"
    )
    assert plan.select_one(".pb-errors") is None
    text = plan.get_text(" ")
    for goal in ("organic-sessions", "sem-ctr", "paid-conversions"):
        assert goal in str(plan), goal
    assert "Paid media" in text and "Alex Chen" in text
    assert (site / "site/personas/alex-chen/index.html").is_file()
    assert (site / ".planbook/mkdocs-options.schema.json").is_file()
    schema = run([bin_ / "planbook", "schema", "options"], cwd=site)
    assert '"pacing_on_track"' in schema.stdout
