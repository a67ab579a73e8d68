"""One jinja environment per template folder: compiled once, recompiled when a file changes."""

from __future__ import annotations

import os
from pathlib import Path

from planbook.render_env import environment, generation


def _touch(path: Path, text: str) -> None:
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, "utf-8")
    os.utime(path, ns=(before + 10**9, before + 10**9))  # a later mtime, whatever the clock


def test_the_environment_and_its_compiled_templates_are_reused(tmp_path: Path) -> None:
    folder = tmp_path / "overrides"
    (folder / "sections").mkdir(parents=True)
    _touch(folder / "sections/team.html", "one {{ x }}")
    env = environment(folder)
    template = env.get_template("sections/team.html")
    assert template.render(x="<b>") == "one &lt;b&gt;"  # autoescaped
    again = environment(folder)
    assert again is env and again.get_template("sections/team.html") is template
    assert generation(again) == generation(env)


def test_an_edited_template_is_compiled_again(tmp_path: Path) -> None:
    folder = tmp_path / "overrides"
    (folder / "sections").mkdir(parents=True)
    _touch(folder / "sections/team.html", "one")
    env = environment(folder)
    first = generation(env)
    assert env.get_template("sections/team.html").render() == "one"
    _touch(folder / "sections/team.html", "two")
    env = environment(folder)
    assert env.get_template("sections/team.html").render() == "two"
    assert generation(env) != first
    _touch(folder / "sections/risks.html", "mine")  # a new override shadows the shipped one
    env = environment(folder)
    assert env.get_template("sections/risks.html").render() == "mine"


def test_the_shipped_templates_without_a_site_folder() -> None:
    env = environment()
    assert environment() is env
    assert "sparkline" in env.globals
    assert env.get_template("errors.html") is env.get_template("errors.html")
