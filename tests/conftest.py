"""Shared fixtures: build a throw-away MkDocs site in tmp_path and read its HTML."""

from __future__ import annotations

import logging
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

BASE_CONFIG = """\
site_name: Fixture
docs_dir: docs
theme:
  name: material
  language: {language}
  features: [navigation.prune]
plugins:
  - search
  - planbook{options}
"""


@dataclass
class Built:
    root: Path
    records: list[logging.LogRecord]
    error: BaseException | None

    def html(self, uri: str) -> BeautifulSoup:
        return BeautifulSoup((self.root / "site" / uri).read_text(encoding="utf-8"), "html.parser")

    def raw(self, uri: str) -> str:
        return (self.root / "site" / uri).read_text(encoding="utf-8")

    @property
    def messages(self) -> list[str]:
        return [r.getMessage() for r in self.records if r.name.startswith("mkdocs")]

    def logged(self, level: int) -> list[str]:
        return [
            r.getMessage()
            for r in self.records
            if r.levelno == level and r.name.startswith("mkdocs.plugins.planbook")
        ]


def write_site(
    root: Path,
    pages: dict[str, str],
    data: dict[str, str | bytes] | None = None,
    options: str = "",
    language: str = "zh",
) -> Path:
    (root / "docs").mkdir(parents=True, exist_ok=True)
    opts = (
        ":\n" + textwrap.indent(textwrap.dedent(options).strip("\n"), "      ") if options else ""
    )
    (root / "mkdocs.yml").write_text(BASE_CONFIG.format(language=language, options=opts), "utf-8")
    for name, text in pages.items():
        path = root / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    for name, content in (data or {}).items():
        path = root / "data" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


@pytest.fixture(autouse=True, scope="session")
def _own_template_cache(tmp_path_factory: pytest.TempPathFactory):
    """Compiled templates go to a folder of this test run, not the user's ~/.cache
    (subprocess builds inherit it)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
        yield


@pytest.fixture
def build_site(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> Callable[..., Built]:
    """Write a site and run a real `mkdocs build` (strict unless told otherwise)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    def run(
        pages: dict[str, str],
        data: dict[str, str | bytes] | None = None,
        *,
        options: str = "",
        language: str = "zh",
        strict: bool = True,
        extra: dict[str, str] | None = None,
    ) -> Built:
        root = write_site(tmp_path, pages, data, options, language)
        for name, text in (extra or {}).items():  # other files beside mkdocs.yml
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        caplog.clear()
        caplog.set_level(logging.INFO)
        error = None
        try:
            cfg = load_config(str(root / "mkdocs.yml"), strict=strict)
            cfg.plugins.on_startup(command="build", dirty=False)
            try:
                build(cfg)
            finally:
                cfg.plugins.on_shutdown()
        except BaseException as e:  # Abort is a SystemExit subclass in click
            error = e
        return Built(root, list(caplog.records), error)

    return run
