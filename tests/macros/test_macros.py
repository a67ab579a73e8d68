"""`planbook.macros`: every shortcode renders through a `define_env` module, under
mkdocs-macros (a real `mkdocs build` with the macros plugin and no planbook plugin) and
under Zensical (the newest that installs here; `make test-zensical`)."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from planbook import starter


def _macros_site(root: Path) -> Path:
    """A `planbook init` site whose planbook options moved under `extra:` and whose
    plugins are the macros plugin with the `planbook.macros` module."""
    starter.init_site(root, language="en", today=date(2026, 11, 24))
    config = yaml.safe_load((root / "mkdocs.yml").read_text("utf-8"))
    options = next(
        p["planbook"] for p in config["plugins"] if isinstance(p, dict) and "planbook" in p
    )
    config["plugins"] = ["search", {"macros": {"modules": ["planbook.macros"]}}]
    config["extra"] = {"planbook": options}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
    copy = root / "content" / "copy.md"
    copy.write_text(
        "# Copy\n\n{{ kpi_table() }}\n\nHello {{ first_name }}, <b>your</b> code is `x`.\n",
        "utf-8",
    )
    return root


def _assert_plan_page(html: str) -> None:
    soup = BeautifulSoup(html, "html.parser")
    article = soup.select_one("article") or soup
    text = " ".join(article.get_text(" ").split())
    assert "{{" not in text, text[:500]
    assert "Grow daily organic search sessions to 2,600" in text
    assert "Total budget $1,000,000" in text
    assert article.select_one(".pb-errors") is None
    assert article.select_one("link[href$='assets/planbook/planbook.css']") is not None


def test_mkdocs_macros_renders_every_shortcode(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    pytest.importorskip("mkdocs_macros", reason="mkdocs-macros-plugin is a test dependency")
    root = _macros_site(tmp_path / "site")
    caplog.set_level(logging.INFO)
    cfg = load_config(str(root / "mkdocs.yml"))
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        build(cfg)
    finally:
        cfg.plugins.on_shutdown()
    _assert_plan_page((root / "site/plans/first-plan/index.html").read_text("utf-8"))
    home = BeautifulSoup((root / "site/index.html").read_text("utf-8"), "html.parser")
    assert "Our first marketing plan" in home.select_one("article").get_text()
    copy = BeautifulSoup((root / "site/copy/index.html").read_text("utf-8"), "html.parser")
    box = copy.select_one("article .pb-errors")
    assert box is not None
    assert "{{ kpi_table() }} needs a plan" in box.get_text()
    assert "Hello {{ first_name }}" in copy.select_one("article").get_text()  # merge tags kept
    assert (root / "site/assets/planbook/planbook.css").is_file()
    problems = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert problems == [
        "content/copy.md:1: error: {{ kpi_table() }} needs a plan: this page has no `plan:` "
        "front matter [shortcode/arguments]"
    ]


def _zensical() -> str | None:
    given = os.environ.get("PLANBOOK_ZENSICAL")
    if given:
        # relative to where pytest started (make passes .venv-zensical/bin/zensical); the
        # build runs in the site's folder
        return str(Path(given).resolve())
    here = Path(__file__).resolve().parents[2] / ".venv-zensical" / "bin" / "zensical"
    return str(here) if here.is_file() else shutil.which("zensical")


def test_zensical_renders_every_shortcode(tmp_path: Path) -> None:
    zensical = _zensical()
    if zensical is None:
        message = "Zensical is not installed: `make test-zensical` installs it and runs this test"
        if os.environ.get("CI") == "true" and os.environ.get("PLANBOOK_ZENSICAL_REQUIRED"):
            pytest.fail(message)
        pytest.skip(message)
    root = _macros_site(tmp_path / "site")
    done = subprocess.run(
        [zensical, "build"], cwd=root, capture_output=True, text=True, check=False, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    _assert_plan_page((root / "site/plans/first-plan/index.html").read_text("utf-8"))
    assert (root / "site/assets/planbook/plotly.min.js").is_file()
