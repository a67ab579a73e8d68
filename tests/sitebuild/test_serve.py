"""A real `mkdocs serve` on 127.0.0.1 with `strict: true`: a broken plan shows its errors
on the page and in a banner on every page, and the preview keeps rebuilding; fixing the
plan brings the plan back. `mkdocs build --strict` still fails on the same mistake."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

CONFIG = """\
site_name: Serve
docs_dir: docs
strict: true
theme:
  name: material
  language: en
plugins:
  - search
  - planbook
"""

GOOD = """\
---
title: Autumn push
plan:
  id: autumn
  owner: Marketing lead
  status: draft
  period: {start: 2026-09-01, end: 2026-10-31}
  metrics: [data/ads.csv]
  goals:
    - id: clicks
      statement: More clicks
      kpi: clicks
      baseline: 100
      target: 200
      deadline: 2026-10-31
---

# Autumn push
"""

BAD = GOOD.replace("target: 200", "target: <b>lots</b>")
CSV = "date,channel,clicks\n2026-09-01,sem,120\n2026-09-02,sem,130\n"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait_for(url: str, ok, server: subprocess.Popen, what: str) -> BeautifulSoup:
    """Poll until the page satisfies ``ok`` (a deadline, not a timing assertion)."""
    deadline = time.monotonic() + 60
    last = None
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"mkdocs serve exited ({server.returncode}) while waiting for {what}")
        text = _get(url)
        if text is not None:
            last = BeautifulSoup(text, "html.parser")
            if ok(last):
                return last
        time.sleep(0.3)
    pytest.fail(f"{what}: not seen within 60 s; last page: {last and last.get_text()[:500]}")


def _site(root: Path, plan: str) -> None:
    (root / "docs" / "plans").mkdir(parents=True, exist_ok=True)
    (root / "data").mkdir(exist_ok=True)
    (root / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    (root / "data" / "ads.csv").write_text(CSV, encoding="utf-8")
    (root / "docs" / "index.md").write_text("# Home\n\nWelcome.\n", encoding="utf-8")
    (root / "docs" / "plans" / "autumn.md").write_text(plan, encoding="utf-8")


def test_serve_shows_errors_and_keeps_rebuilding(tmp_path: Path) -> None:
    _site(tmp_path, BAD)  # broken from the start: the first build must not abort either
    port = _free_port()
    log_path = tmp_path / "serve.log"
    log = log_path.open("w", encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        page = _wait_for(base + "plans/autumn/", lambda s: s.find("article"), server, "the plan")
        box = page.select_one("article .pb-errors")
        assert box is not None, "the plan page shows its errors in place"
        text = " ".join(box.get_text(" ").split())
        assert (
            "docs/plans/autumn.md:14 plan.goals[0].target expected a number, got '<b>lots</b>'"
            in text
        )
        assert page.select_one("article b") is None  # the value is text, not markup
        banner = page.select_one(".pb-serve-banner")
        assert banner is not None
        assert "(errors: 1, warnings: 0)" in banner.get_text(" ")
        assert banner.select_one("a")["href"] == "./"  # the page itself

        home = BeautifulSoup(_get(base) or "", "html.parser")
        link = home.select_one(".pb-serve-banner a")
        assert link is not None and link["href"] == "plans/autumn/", "every page has the banner"

        (tmp_path / "docs" / "plans" / "autumn.md").write_text(GOOD, encoding="utf-8")
        fixed = _wait_for(
            base + "plans/autumn/",
            lambda s: (
                s.select_one(".pb-kpi-table, table") is not None
                and s.select_one(".pb-serve-banner") is None
            ),
            server,
            "the fixed plan",
        )
        assert fixed.select_one(".pb-errors") is None
        assert BeautifulSoup(_get(base) or "", "html.parser").select_one(".pb-serve-banner") is None
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
    output = log_path.read_text(encoding="utf-8")
    assert "appear stuck" not in output, output
    assert "Aborted" not in output, output
    assert "expected a number" in output  # still logged in the terminal


def _serve(root: Path, log: Path, *args: str) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    with log.open("w", encoding="utf-8") as out:  # the child has its own copy
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", *args],
            cwd=root,
            stdout=out,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
    return server, f"http://127.0.0.1:{port}/"


def _stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _clicks(page: BeautifulSoup) -> str:
    return " ".join(page.select_one("article").get_text(" ").split())


def test_a_data_edit_is_one_rebuild_asked_for_at_once(tmp_path: Path) -> None:
    """Each CSV edit under `mkdocs serve` is one rebuild, asked for by Planbook's watch
    of data/ as the file is written (planbook.serve_wake), after which MkDocs' server
    no longer polls data/: its poll would have asked for a second rebuild of the same
    edit. A file removed is a rebuild too, and the page says it is missing."""
    _site(tmp_path, GOOD)
    log_path = tmp_path / "serve.log"
    server, base = _serve(tmp_path, log_path, "--verbose")
    csv = tmp_path / "data" / "ads.csv"
    try:
        _wait_for(base + "plans/autumn/", lambda s: "250" in _clicks(s), server, "the plan")
        for k, total in ((1, "1,250"), (2, "2,250")):
            csv.write_text(CSV.replace(",120", f",{k}120"), encoding="utf-8")
            _wait_for(base + "plans/autumn/", lambda s, t=total: t in _clicks(s), server, total)
            time.sleep(1.5)  # three of the server's polls: a second rebuild would start
            output = log_path.read_text(encoding="utf-8")
            assert output.count("Detected file changes") == k, output
        assert "is watched by notification, not polled" in output
        csv.unlink()
        _wait_for(base + "plans/autumn/", lambda s: "ads.csv" in _clicks(s), server, "missing")
        time.sleep(1.5)
        assert log_path.read_text(encoding="utf-8").count("Detected file changes") == 3
    finally:
        _stop(server)
    output = log_path.read_text(encoding="utf-8")
    assert "appear stuck" not in output and "Traceback" not in output, output


def test_build_strict_still_fails(tmp_path: Path) -> None:
    _site(tmp_path, BAD)
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "expected a number" in done.stderr
    assert "Aborted with" in done.stdout + done.stderr


def test_no_banner_in_a_built_site(build_site) -> None:
    built = build_site({"plans/autumn.md": BAD}, {"ads.csv": CSV}, language="en", strict=False)
    assert built.error is None
    assert built.html("plans/autumn/index.html").select_one(".pb-errors") is not None
    assert built.html("plans/autumn/index.html").select_one(".pb-serve-banner") is None
