"""Issue 9 in a real browser: the hostile corpus's pages run no script (no dialog opens)
and show the payloads as literal text, in the page, the navigation and the title."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import Session, open_session, serve_directory
from tests.hostile.cases import CASES
from tests.hostile.run import build, write_case

pytestmark = pytest.mark.browser

SHOWN = [c for c in CASES if c.literal]


@pytest.fixture(scope="module")
def hostile_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Every case with literal text, built into one folder each and served together."""
    top = tmp_path_factory.mktemp("hostile")
    for case in SHOWN:
        root = write_case(top / case.name, case)
        assert not build(root).failed, case.name
    with serve_directory(top) as url:
        yield url


@pytest.fixture
def hostile(browser: Any, hostile_sites: str) -> Iterator[Session]:
    with open_session(browser, hostile_sites) as s:
        yield s


@pytest.mark.parametrize(
    ("case", "url", "text"),
    [(c, url, text) for c in SHOWN for url, text in c.literal],
    ids=lambda v: v if isinstance(v, str) else getattr(v, "name", None),
)
def test_no_dialog_and_the_payload_is_visible_as_text(hostile, case, url, text):
    hostile.open(f"{case.name}/site/{url}")
    page = hostile.page
    # Let anything injected have its chance: onerror handlers, timers, plotly drawing.
    page.wait_for_timeout(300)
    assert hostile.dialogs == []
    assert page.evaluate("() => document.querySelectorAll('img[onerror]').length") == 0
    body = page.inner_text("body")
    assert text in body, (url, text)
    assert not [e for e in hostile.errors if "alert" in e]


def test_plan_title_in_navigation_and_window_title_is_text(hostile):
    hostile.open("xss-every-field/site/plans/xss/")
    assert hostile.dialogs == []
    # The plan's folder section in the navigation is titled after the plan.
    nav = hostile.page.eval_on_selector("nav.md-nav--primary", "el => el.textContent")
    assert "<script>alert(1)</script>" in nav
    hostile.open("xss-every-field/site/plans/xss/reports/2026-W36/")
    assert "<script>alert(1)</script>" in hostile.page.inner_text("h1")
    assert hostile.dialogs == []


def test_page_title_from_front_matter_is_text(hostile):
    hostile.open("page-title-meta/site/t/")
    assert hostile.dialogs == []
    assert "</script><script>alert(2)</script>" in hostile.page.title()
