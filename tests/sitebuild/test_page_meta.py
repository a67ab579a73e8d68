"""MkDocs reads each page's front matter once, through Planbook (issue 12): every plugin
and the theme see the very `page.meta` and Markdown MkDocs' own reader gives, for
pages Planbook hands over and for the pages it leaves to MkDocs."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from mkdocs.utils import meta as mkdocs_meta

from tests.conftest import write_site

# A hook that runs after Planbook gives the meta and before any other plugin's
# on_page_markdown (Material's meta plugin is at 50): it writes down what they see.
HOOK = """\
from mkdocs.plugins import event_priority

SEEN = {}

@event_priority(90)
def on_page_markdown(markdown, page, **kwargs):
    SEEN[page.file.src_uri] = (dict(page.meta), markdown, page.title)
"""

PAGES = {
    "index.md": "# Home\n",
    "titled.md": (
        "---\ntitle: A <b>title</b>\nhide: [toc, navigation]\ndate: 2026-09-01\n"
        "description: '\"><script>alert(1)</script> R&D'\n"
        "updated: 2026-09-01 10:00:00\nquoted: '2026-09-01'\nversion: 1.10\n"
        "tags: [a, b]\nsearch: {boost: 2}\nlist: [2026-01-02, x]\n---\n\n\n"
        "# Heading\n\n## Sub\n\ntext\n"
    ),
    "plan.md": (
        "---\ntitle: Autumn\nplan:\n  id: autumn\n  period: {start: 2026-09-01, end: 2026-12-31}\n"
        "  goals:\n    - {id: clicks, statement: s, kpi: clicks, baseline: 0, target: 100,"
        " deadline: 2026-12-31}\n---\n# Autumn\n"
    ),
    "multimarkdown.md": "title: Old style\nauthor: me\n\n# Old\n",
    # MkDocs parses these itself: Planbook's reading differs or finds nothing to give
    "broken.md": "---\ntitle: [broken\n---\n# Broken\n",
    "tagged.md": "---\ntitle: !!str 2026-01-01\n---\n# Tagged\n",
    "alias.md": "---\nbase: &b {day: 2026-01-01}\nother: *b\n---\n# Alias\n",
    "listed.md": "---\n- a\n- b\n---\n# Listed\n",
    "comment.md": "---\n# only a comment\n---\n# Comment\n",
    "badday.md": "---\nwhen: 2026-13-01\n---\n# Bad day\n",
    "datekey.md": "---\n2026-01-01: launch\n---\n# Date key\n",
}
LEFT_TO_MKDOCS = {"broken", "tagged", "alias", "listed", "comment", "badday", "datekey"}


def _build(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[dict, list[str], list[str]]:
    """Build with the hook; what it saw, the pages whose YAML MkDocs parsed, messages."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    parsed: list[str] = []
    real = mkdocs_meta.yaml.load

    class _Yaml:
        @staticmethod
        def load(text, loader):
            parsed.append(text)
            return real(text, loader)

    monkeypatch.setattr(mkdocs_meta, "yaml", _Yaml)
    messages: list[str] = []

    class _Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    handler = _Keep(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(handler)
    try:
        cfg = load_config(
            str(root / "mkdocs.yml"), strict=False
        )  # broken.md and listed.md are errors
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            build(cfg)
        finally:
            cfg.plugins.on_shutdown()
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)
    hook = next(p for name, p in cfg.plugins.items() if name.startswith("hooks.py"))
    return hook.SEEN, list(parsed), messages  # a copy: the test's own get_data calls follow


def _site(tmp_path: Path, hook: str = HOOK) -> Path:
    root = write_site(tmp_path, {})
    for name, text in PAGES.items():  # written as they are (write_site dedents)
        (root / "docs" / name).write_text(text, encoding="utf-8")
    (root / "hooks.py").write_text(hook, encoding="utf-8")
    with open(root / "mkdocs.yml", "a", encoding="utf-8") as f:
        f.write("hooks: [hooks.py]\n")
    return root


def test_every_page_meta_and_markdown_are_mkdocs_own(tmp_path, monkeypatch) -> None:
    root = _site(tmp_path)
    seen, parsed, messages = _build(root, monkeypatch)
    assert not [m for m in messages if "read_source" in m]
    assert set(seen) == set(PAGES)
    for name, text in PAGES.items():
        markdown, meta = mkdocs_meta.get_data(text)
        got_meta, got_markdown, _ = seen[name]
        assert repr(got_meta) == repr(meta), name  # same keys, order, types (dates)
        assert got_markdown == markdown, name
    # the planbook pages' YAML was read once, by Planbook; the others by MkDocs as before
    fronts = {
        name.removesuffix(".md")
        for name, text in PAGES.items()
        if (m := mkdocs_meta.YAML_RE.match(text)) and m.group(1) in parsed
    }
    assert fronts == LEFT_TO_MKDOCS
    assert seen["titled.md"][0]["date"].isoformat() == "2026-09-01"
    assert seen["titled.md"][2] == "A <b>title</b>"


def test_theme_and_search_still_read_the_meta(tmp_path, monkeypatch) -> None:
    root = _site(tmp_path)
    _build(root, monkeypatch)
    titled = (root / "site" / "titled" / "index.html").read_text(encoding="utf-8")
    # `title:` as text (escaped), `hide: [toc, navigation]` hides both sidebars
    assert "<title>A &lt;b&gt;title&lt;/b&gt; - Fixture</title>" in titled
    # `description:` goes into an attribute: text too, its quote cannot close it
    assert (
        '<meta name="description" content="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;'
        ' R&amp;D">' in titled
    )
    assert "<script>alert(1)" not in titled
    assert 'data-md-type="toc" hidden' in titled
    assert 'data-md-type="navigation" hidden' in titled
    plain = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert 'data-md-type="toc" hidden' not in plain
    # a broken front matter stays in the page as MkDocs has always shown it
    broken = (root / "site" / "broken" / "index.html").read_text(encoding="utf-8")
    assert "title: [broken" in broken
    index = (root / "site" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert '"boost":2' in index.replace(" ", "")
    listed = (root / "site" / "listed" / "index.html").read_text(encoding="utf-8")
    assert "<li>a</li>" in listed  # MkDocs keeps a front matter that is a list in the text


def test_another_plugins_source_reader_is_left_alone(tmp_path, monkeypatch) -> None:
    hook = HOOK + (
        "\ndef on_page_read_source(page, config):\n"
        "    if page.file.src_uri == 'titled.md':\n"
        "        return '---\\ntitle: From the hook\\n---\\n# Hooked\\n'\n"
    )
    root = _site(tmp_path, hook)
    seen, _, messages = _build(root, monkeypatch)
    assert not [m for m in messages if "read_source" in m]  # no "Multiple handlers" warning
    assert seen["titled.md"][:2] == ({"title": "From the hook"}, "# Hooked\n")
    markdown, meta = mkdocs_meta.get_data(PAGES["plan.md"])
    assert seen["plan.md"][:2] == (meta, markdown)
