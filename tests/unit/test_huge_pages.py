"""numpy's huge-page hint is off while Planbook builds or checks a site (issue 12:
sources.memory.huge_pages), back as it was when the session ends, and left alone where
the user set ``NUMPY_MADVISE_HUGEPAGE`` themselves."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from planbook.cli import main
from planbook.sources.memory import HUGE_PAGES_ENV, huge_pages
from tests.conftest import write_site
from tests.sitebuild.test_plan_page import CSV, PLAN


def _hint() -> bool:
    """numpy's current setting (read by setting it back as it was)."""
    now = huge_pages(True)
    assert now is not None
    huge_pages(now)
    return now


@pytest.fixture
def hint_on(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The hint on, as numpy sets it on a kernel that offers huge pages on madvise, and
    as it was after the test."""
    monkeypatch.delenv(HUGE_PAGES_ENV, raising=False)
    before = huge_pages(True)
    assert before is not None
    yield
    huge_pages(before)


def test_the_switch_returns_the_setting_before_and_arrays_still_work(hint_on: None) -> None:
    assert huge_pages(False) is True
    big = np.ones(1 << 20)  # 8 MB: an array the hint is given for
    assert big.sum() == 1 << 20
    assert huge_pages(True) is False
    assert _hint() is True


def test_a_build_turns_the_hint_off_and_its_end_turns_it_back(
    tmp_path: Path, hint_on: None
) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = write_site(tmp_path, {"plans/autumn.md": PLAN}, {"ads.csv": CSV})
    cfg = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"))
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        assert _hint() is False
        build(cfg)
        assert _hint() is False
    finally:
        cfg.plugins.on_shutdown()
    assert _hint() is True
    assert (root / "site/plans/autumn/index.html").exists()


def test_a_setting_of_the_users_own_is_left_alone(
    tmp_path: Path, hint_on: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mkdocs.config import load_config

    monkeypatch.setenv(HUGE_PAGES_ENV, "1")
    root = write_site(tmp_path, {"plans/autumn.md": PLAN}, {"ads.csv": CSV})
    cfg = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"))
    cfg.plugins.on_startup(command="serve", dirty=False)
    try:
        assert _hint() is True
    finally:
        cfg.plugins.on_shutdown()
    assert _hint() is True
    result = CliRunner().invoke(main, ["check", "-f", str(root / "mkdocs.yml")])
    assert "Traceback" not in result.output
    assert _hint() is True


def test_planbook_check_turns_the_hint_off(tmp_path: Path, hint_on: None) -> None:
    root = write_site(tmp_path, {"plans/autumn.md": PLAN}, {"ads.csv": CSV})
    result = CliRunner().invoke(main, ["check", "-f", str(root / "mkdocs.yml")])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert _hint() is False
