"""The page a director reads (issue 10): tables that fit at 1280 and 390 px and in print,
charts in the reader's language, a toolbar that sends nothing anywhere."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest

pytestmark = pytest.mark.browser

PAGES = ["portfolio/", "plans/zh/", "plans/demo/"]

# Cells of the columns a reader needs first (not .pb-more) that are shown, with the box they
# must lie in: the viewport, narrowed by every ancestor that clips (a scroll container).
OUTSIDE = """() => {
  const out = [];
  const vw = document.documentElement.clientWidth;
  for (const table of document.querySelectorAll("table.pb-cards")) {
    if (table.closest("details:not([open])")) continue;
    for (const cell of table.querySelectorAll("tbody td, tbody th, tfoot td, tfoot th, thead th")) {
      if (cell.classList.contains("pb-more") || !cell.getClientRects().length) continue;
      const r = cell.getBoundingClientRect();
      const head = cell.closest("thead");
      if (head && head.getBoundingClientRect().width < 2) continue;  // cards: header hidden
      let left = 0, right = vw;
      for (let el = cell.parentElement; el && el !== document.body; el = el.parentElement) {
        const ox = getComputedStyle(el).overflowX;
        if (ox === "auto" || ox === "hidden" || ox === "scroll" || ox === "clip") {
          const b = el.getBoundingClientRect();
          left = Math.max(left, b.left);
          right = Math.min(right, b.right);
        }
      }
      if (r.left < left - 1 || r.right > right + 1) {
        out.push(`${(table.closest(".planbook") || table.parentElement).className}: ${cell.textContent.trim().slice(0, 30)}`
          + ` [${Math.round(r.left)}, ${Math.round(r.right)}] outside [${left}, ${right}]`);
      }
    }
  }
  return out;
}"""


DRAWN = (
    "document.querySelectorAll('script[data-pb-chart]').length === "
    "document.querySelectorAll('.pb-chart[data-pb-rendered=\"true\"]').length"
)


def _open(browser: Any, base: str, path: str, width: int) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(base + path)
    page.wait_for_function(DRAWN, timeout=20_000)
    return page


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("path", PAGES)
def test_priority_cells_lie_inside_the_viewport(browser, site_url, path, width):
    page = _open(browser, site_url, path, width)
    try:
        assert page.evaluate("document.querySelectorAll('table.pb-cards').length") > 0
        assert page.evaluate(OUTSIDE) == []
        if width == 390:  # a card per row: the cells stack, each labelled with its column
            display = page.evaluate(
                "getComputedStyle(document.querySelector('table.pb-cards tbody tr')).display"
            )
            assert display == "block"
            labels = page.eval_on_selector_all(
                "table.pb-cards tbody tr:first-child td", "els => els.map(e => e.dataset.label)"
            )
            assert all(labels[1:]), labels
    finally:
        page.context.close()


def test_the_switch_shows_every_column_and_the_table_scrolls(browser, site_url):
    page = _open(browser, site_url, "plans/zh/", 1280)
    try:
        fit = page.locator(".pb-channels .pb-fit")
        more = fit.locator("th.pb-more")
        assert more.count() >= 3
        assert all(not more.nth(i).is_visible() for i in range(more.count()))
        assert fit.locator(".pb-fit__more").inner_text().startswith("显示全部列")
        fit.locator(".pb-fit__more").click()
        assert all(more.nth(i).is_visible() for i in range(more.count()))
        # every column now, in a container that scrolls sideways if it must
        assert fit.locator(".pb-scroll").evaluate("e => getComputedStyle(e).overflowX") == "auto"
    finally:
        page.context.close()


def _headers(page: Any) -> list[str]:
    return page.evaluate(
        """() => Array.from(document.querySelectorAll("table.pb-table thead th"))
            .filter(th => !th.closest(".pb-chart__data"))
            // the heading's own words; pypdf does not extract Chromium's <small> runs
            .map(th => Array.from(th.childNodes)
              .filter(n => n.nodeName !== "SMALL")
              .map(n => n.textContent).join("").replace(/\\s+/g, ""))
            .filter(Boolean)"""
    )


@pytest.mark.parametrize("landscape", [False, True], ids=["portrait", "landscape"])
@pytest.mark.parametrize("path", ["plans/zh/", "plans/demo/", "portfolio/"])
def test_printed_pdf_has_every_column_header(browser, site_url, path, landscape):
    pypdf = pytest.importorskip("pypdf")
    page = _open(browser, site_url, path, 1280)
    try:
        headers = _headers(page)
        assert len(headers) >= 6
        pdf = page.pdf(format="A4", landscape=landscape)
        text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
        text = re.sub(r"\s+", "", text)
        missing = [h for h in headers if h not in text]
        assert missing == []
        # and laid out for the page: under print media at A4 width no cell is cut
        width = 1043 if landscape else 718
        page.set_viewport_size({"width": width, "height": 1000})
        page.emulate_media(media="print")
        cut = page.evaluate(
            """(w) => Array.from(document.querySelectorAll("table.pb-table th, table.pb-table td"))
                .filter(c => !c.closest(".pb-chart__data") && c.getClientRects().length)
                .filter(c => c.getBoundingClientRect().right > w + 1)
                .map(c => c.textContent.trim().slice(0, 30))""",
            width,
        )
        assert cut == []
    finally:
        page.context.close()


def _modebar(page: Any, chart_id: str) -> list[str]:
    page.hover(f"#{chart_id}")
    return page.eval_on_selector_all(
        f"#{chart_id} .modebar-btn", "els => els.map(e => e.getAttribute('data-title'))"
    )


def test_toolbar_has_download_and_reset_only_and_nothing_leaves_the_site(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    requests: list[str] = []

    def route(r: Any) -> None:
        requests.append(r.request.url)
        if r.request.url.startswith(site_url):
            r.continue_()
        else:
            r.abort()

    context.route("**/*", route)
    try:
        for path, titles in (
            ("plans/zh/", ["下载为 PNG 图片", "重置坐标轴"]),
            ("plans/demo/", ["Download plot as a PNG", "Reset axes"]),
        ):
            page.goto(site_url + path)
            page.wait_for_function(DRAWN, timeout=20_000)
            ids = page.eval_on_selector_all(".pb-chart", "els => els.map(e => e.id)")
            assert ids
            for chart_id in ids:
                assert _modebar(page, chart_id) == titles
                with page.expect_download() as download:
                    page.click(f"#{chart_id} .modebar-btn[data-title='{titles[0]}']")
                assert download.value.suggested_filename.endswith(".png")
                page.click(f"#{chart_id} .modebar-btn[data-title='{titles[1]}']")
            links = page.evaluate(
                'document.querySelectorAll(\'a[href*="plotly.com"], a[href*="plot.ly"]\').length'
            )
            assert links == 0
        outside = [u for u in requests if not u.startswith(site_url)]
        assert outside == []
    finally:
        context.close()


def _ticks(page: Any, chart_id: str, axis: str) -> list[str]:
    return page.eval_on_selector_all(
        f"#{chart_id} g.{axis}tick text", "els => els.map(e => e.textContent)"
    )


def test_chinese_plan_charts_read_in_chinese_and_money_in_wan(session):
    session.open("plans/zh/")
    revenue, ctr = (
        session.page.eval_on_selector_all(
            "figure[data-pb-kind=goal_chart] .pb-chart", "els => els.map(e => e.id)"
        )
    )[:2]
    dates = _ticks(session.page, revenue, "x")
    assert dates and all(re.search(r"\d+月\d+日|\d{4}年", d) for d in dates), dates
    money = [m for m in _ticks(session.page, revenue, "y") if m != "¥0"]
    assert money and all(re.fullmatch(r"¥\d+(\.\d+)?万", m) for m in money), money
    assert any("%" in p for p in _ticks(session.page, ctr, "y"))
    assert session.errors == []


def test_english_plan_charts_stay_english(session):
    session.open("plans/demo/")
    chart = session.page.eval_on_selector_all(".pb-chart", "els => els.map(e => e.id)")[0]
    dates = _ticks(session.page, chart, "x")
    assert dates and not any("月" in d for d in dates)
    assert any(re.search(r"Sep|Oct|Nov|Dec", d) for d in dates), dates
