"""The content calendar and the cadence table in headless Chromium: a month grid on a
wide screen, a list of the days with items on a phone, hostile titles shown as text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import build_site, serve_directory
from tests.sitebuild.test_planning_site import CONTENT_PLAN, COPY, POSTS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def calendar_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from tests.conftest import write_site

    root = write_site(
        tmp_path_factory.mktemp("calendar"),
        {"index.md": "# x\n", "plans/content/index.md": CONTENT_PLAN, "copy/blog.md": COPY},
        {"posts.csv": POSTS},
        options="as_of: 2026-11-10\nreview_date: 2026-11-10",
    )
    site = build_site(root / "mkdocs.yml")
    with serve_directory(site) as url:
        yield url + "plans/content/"


def _open(browser: Any, url: str, width: int) -> tuple[Any, list[str]]:
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url)
    return page, dialogs


VISIBLE = """(sel) => [...document.querySelectorAll(sel)]
  .filter((e) => e.offsetParent !== null).map((e) => e.dataset.date)"""


def test_month_grid_on_a_wide_screen(browser: Any, calendar_url: str) -> None:
    page, dialogs = _open(browser, calendar_url, 1280)
    november = '.pb-calendar__month[data-month="2026-11"]'
    cells = page.evaluate(VISIBLE, f"{november} td")
    assert len(cells) == 35 and cells[0] == "2026-11-01"  # five Sunday weeks, all shown
    heads = page.eval_on_selector_all(f"{november} th", "els => els.map(e => e.textContent)")
    assert heads == ["日", "一", "二", "三", "四", "五", "六"]
    title = page.text_content(f'{november} td[data-date="2026-11-01"] li[data-channel="weibo"]')
    assert "<script>alert(1)</script>" in title
    assert dialogs == []
    page.context.close()


def test_a_list_of_days_on_a_phone(browser: Any, calendar_url: str) -> None:
    page, dialogs = _open(browser, calendar_url, 390)
    november = '.pb-calendar__month[data-month="2026-11"]'
    # Only the days that have items, no empty days and no days of other months.
    assert page.evaluate(VISIBLE, f"{november} td") == [
        "2026-11-01",
        "2026-11-07",
        "2026-11-08",
        "2026-11-20",
    ]
    assert page.evaluate(VISIBLE, f"{november} th") == []
    wide = page.evaluate("document.querySelector('.pb-calendar').scrollWidth")
    assert wide <= 390
    assert dialogs == []
    page.context.close()
