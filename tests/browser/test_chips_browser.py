"""Text contrast of chips (persona segment, statuses) in the light and the dark palette,
computed from the colours the browser rendered (issue 10): >= 4.5:1 for text."""

from __future__ import annotations

import pytest

# The chip's text colour and its background, each composited over what is behind it
# (the chip's background over its ancestors' up to the page), then WCAG's ratio.
CHIPS = """(sel) => {
  const rgba = (s) => {
    const m = (s || "").match(/[\\d.]+/g);
    return m ? { r: +m[0], g: +m[1], b: +m[2], a: m.length > 3 ? +m[3] : 1 } : null;
  };
  const over = (c, bg) => ({
    r: c.r * c.a + bg.r * (1 - c.a), g: c.g * c.a + bg.g * (1 - c.a), b: c.b * c.a + bg.b * (1 - c.a), a: 1,
  });
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  return Array.from(document.querySelectorAll(sel)).map((el) => {
    const chain = [];
    for (let e = el; e; e = e.parentElement) chain.unshift(e);
    let bg = { r: 255, g: 255, b: 255, a: 1 };
    for (const e of chain) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c && c.a > 0) bg = over(c, bg);
    }
    const fg = over(rgba(getComputedStyle(el).color), bg);
    const a = lum(fg), b = lum(bg);
    return [el.textContent.trim(), (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
  });
}"""


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_persona_segment_chip_reads_at_4_5_to_1(session, scheme):
    session.open("personas/wang-fang/")
    page = session.page
    page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
    page.wait_for_timeout(200)
    [(text, ratio)] = page.evaluate(CHIPS, ".pb-persona .pb-persona__segment")
    assert text == "高价值复购 · 母婴家庭"
    assert ratio >= 4.5, f"{scheme}: {ratio:.2f}"


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_every_chip_on_a_plan_reads_at_4_5_to_1(session, scheme):
    session.open("plans/zh/")
    page = session.page
    page.evaluate(f"document.body.setAttribute('data-md-color-scheme', '{scheme}')")
    page.wait_for_timeout(200)
    chips = page.evaluate(CHIPS, ".pb-chip")
    assert len(chips) >= 3
    low = [f"{t} {r:.2f}" for t, r in chips if r < 4.5]
    assert low == []
