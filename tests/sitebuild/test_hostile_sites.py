"""Issue 9: over the hostile corpus, `planbook check --strict` fails exactly when
`mkdocs build --strict` fails, both name the problem, and what builds shows hostile text
as text."""

from __future__ import annotations

import pytest

from tests.hostile.cases import CASES, XSS
from tests.hostile.run import build, check_agrees_with_build, write_case


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_check_strict_agrees_with_build_strict(case, tmp_path):
    check_agrees_with_build(case, tmp_path)


def test_hostile_text_is_text_in_every_built_page(tmp_path):
    from bs4 import BeautifulSoup

    (case,) = [c for c in CASES if c.name == "xss-every-field"]
    root = write_case(tmp_path, case)
    assert not build(root).failed
    site = root / "site"
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        soup = BeautifulSoup(html, "html.parser")
        # No element, attribute or URL the payloads could have created.
        assert not soup.select("img[onerror]"), page
        assert not [a for a in soup.select("a[href]") if "javascript:" in a["href"]], page
        for script in soup.select("script"):
            assert "alert(" not in (script.get("src") or ""), page
            body = script.string or ""
            # Chart data is JSON inside a script: a payload stays a JSON string, with
            # `</` escaped so it cannot close the script element.
            assert "</script" not in body.lower(), page
    nav = (site / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in nav  # the plan's title in the navigation
    report = BeautifulSoup(
        (site / "plans/xss/reports/2026-W36/index.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    assert XSS[0] in report.h1.get_text()
    for name in (site / "plans/xss").glob("*.csv"):
        for line in name.read_text(encoding="utf-8-sig").splitlines()[1:]:
            assert not line.startswith(("=", "+", "-", "@", "\t", "\r")), line


def test_newline_in_a_plan_title_does_not_inject_markdown(tmp_path):
    (case,) = [c for c in CASES if c.name == "newline-in-title"]
    root = write_case(tmp_path, case)
    assert not build(root).failed
    html = (root / "site/plans/nl/reports/2026-09/index.html").read_text(encoding="utf-8")
    assert "pb-portfolio" not in html  # the shortcode in the title was not expanded
    assert 'href="javascript:' not in html
    assert "{{ portfolio() }}" in html
