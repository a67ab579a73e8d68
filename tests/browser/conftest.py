"""Browser tests: build the fixture site, serve it on 127.0.0.1, open it in headless Chromium.

Chromium is Debian's (``/usr/bin/chromium``; ``make browser-deps`` installs it), driven by
Playwright's Python package. Where none can be had the tests skip with a loud reason,
except under ``CI=true``, where a missing browser fails the run.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

SITE = Path(__file__).parent / "site"
ARTIFACTS = Path(__file__).resolve().parents[2] / ".artifacts"
CHROMIUM = os.environ.get("PLANBOOK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def _unavailable(reason: str) -> None:
    message = f"BROWSER TESTS NOT RUN: {reason} (install with `make browser-deps`)"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " -- CI=true requires them", pytrace=False)
    pytest.skip(message)


def build_site(config: Path, site_dir: Path | None = None) -> Path:
    """Build the MkDocs site of ``config`` with MkDocs' API; returns its site folder."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    cfg = load_config(str(config), **({"site_dir": str(site_dir)} if site_dir else {}))
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        build(cfg)
    finally:
        cfg.plugins.on_shutdown()
    return Path(cfg.site_dir)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site, built once per session."""
    root = tmp_path_factory.mktemp("browser") / "site"
    shutil.copytree(SITE, root)
    return build_site(root / "mkdocs.yml")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve_directory(directory: Path | str) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port) for as long as the block runs."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    with serve_directory(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        _unavailable("the playwright Python package is not installed")
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _unavailable(f"no Chromium at {CHROMIUM}")
    with sync_playwright() as p:
        try:
            chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except Error as e:
            _unavailable(f"Chromium at {CHROMIUM} does not start: {e}")
        yield chromium
        chromium.close()


@dataclass
class Session:
    """A page plus everything it did: console errors, requests, dialogs."""

    page: Any
    base: str
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def open(self, path: str) -> None:
        self.page.goto(self.base + path)
        self.page.wait_for_function(
            "document.querySelectorAll('script[data-pb-chart]').length === "
            "document.querySelectorAll('.pb-chart[data-pb-rendered=\"true\"]').length",
            timeout=20_000,
        )

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / name
        self.page.screenshot(path=str(path), full_page=True)
        return path


@contextlib.contextmanager
def open_session(browser: Any, base: str, width: int = 1280) -> Iterator[Session]:
    """A fresh browser context on ``base``: requests elsewhere are recorded and aborted
    (an injected ``<img src=x>`` or script URL goes nowhere), console errors, page errors
    and dialogs recorded (dialogs dismissed)."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    s = Session(page, base)

    def route(r: Any) -> None:
        s.requests.append(r.request.url)
        if r.request.url.startswith(base):
            r.continue_()
        else:
            r.abort()

    context.route("**/*", route)
    page.on("console", lambda m: s.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: s.errors.append(str(e)))

    def dialog(d: Any) -> None:
        s.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    try:
        yield s
    finally:
        context.close()


@pytest.fixture
def session(browser: Any, site_url: str) -> Iterator[Session]:
    with open_session(browser, site_url) as s:
        yield s
