"""A page's `title:` or `description:` written as a YAML list or mapping (outside test,
hostile finding 1): Material printed the list's text unescaped into <title>, the header,
the navigation of every page and the <meta name="description"> attribute, and the markup
in it ran on every page. It is shown as escaped text, and said."""

from __future__ import annotations

from planbook.cli import collect, load_settings

LIST_TITLE = '---\ntitle: ["<img src=x onerror=alert(1)>", "Spring"]\n---\n# Body\n'
MAP_DESCRIPTION = (
    "---\ntitle: Safe\ndescription: {'\"><img src=x onerror=alert(2)>': 1}\n---\n# Body\n"
)
PLAN_LIST_TITLE = (
    '---\ntitle: ["</script><script>alert(3)</script>"]\nplan:\n  id: p\n  owner: 张伟\n'
    "  status: draft\n  period: {start: 2026-09-01, end: 2026-09-30}\n---\n# Plan\n"
)


def test_a_list_or_mapping_title_is_escaped_text_everywhere(build_site) -> None:
    pages = {
        "index.md": "# Home\n",
        "list.md": LIST_TITLE,
        "map.md": MAP_DESCRIPTION,
        "plan.md": PLAN_LIST_TITLE,
    }
    built = build_site(pages, strict=False)
    assert built.error is None, built.messages
    for uri in ("index.html", "list/index.html", "map/index.html", "plan/index.html"):
        raw = built.raw(uri)
        assert "<img src=x" not in raw and "<script>alert(3)" not in raw, uri
        soup = built.html(uri)
        assert soup.select("img[onerror]") == [], uri
        nav = " ".join(soup.select_one("nav.md-nav").get_text(" ").split())
        assert "<img src=x onerror=alert(1)>, Spring" in nav, uri  # the text, shown
    assert (
        built.html("list/index.html")
        .title.get_text()
        .startswith("<img src=x onerror=alert(1)>, Spring")
    )
    meta = built.html("map/index.html").select_one('meta[name="description"]')
    assert meta["content"] == '"><img src=x onerror=alert(2)>: 1'
    said = [
        d
        for d in collect(load_settings(built.root / "mkdocs.yml"))
        if d.rule == "page/meta-not-text"
    ]
    assert sorted((d.file, d.field, d.line) for d in said) == [
        ("docs/list.md", "title", 2),
        ("docs/map.md", "description", 3),
        ("docs/plan.md", "title", 2),
    ]
    assert (
        said[0].message.endswith("write it as one line of text")
        or "line of text" in said[0].message
    )
