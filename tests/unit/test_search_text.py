"""What the search index is given for a searchable section (placing.search_text): its
words, without the elements marked ``data-search-exclude`` (figures, statuses)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planbook.views.placing import search_text


def test_cells_and_items_are_words_and_inline_markup_keeps_a_word_whole():
    html = "<table><tr><td>预热<b>期</b></td><td>新品曝光</td></tr></table><ul><li>a</li></ul>"
    assert search_text(html) == "<p>预热期 新品曝光 a</p>"


def test_excluded_elements_leave_nothing_behind_nested_or_not():
    html = (
        '<li>点击<br><small><span data-search-exclude="">700 / 24,681</span> · 欧阳</small>'
        '<span class="pb-chip" data-search-exclude>落后</span></li>'
        "<div data-search-exclude><div>1</div><div>2 <span>3</span></div></div><p>after</p>"
    )
    assert search_text(html) == "<p>点击 · 欧阳 after</p>"


def test_an_excluded_element_left_open_drops_the_rest_and_void_tags_drop_nothing():
    assert search_text("<p>kept</p><span data-search-exclude>never <b>closed") == "<p>kept</p>"
    void = '<p>a<br data-search-exclude>b</p><img data-search-exclude src="x"><p>c</p>'
    assert search_text(void) == "<p>a b c</p>"


def test_hostile_text_stays_escaped_and_an_attribute_value_is_not_a_mark():
    html = (
        '<li title="data-search-exclude">&lt;script&gt;alert(1)&lt;/script&gt;</li>'
        "<li>data-search-exclude</li>"
    )
    assert search_text(html) == ("<p>&lt;script&gt;alert(1)&lt;/script&gt; data-search-exclude</p>")


def test_packed_sections_come_back_as_they_were():
    from planbook.views.pages import Prepared

    sections = {
        "PBSLOT1A": "<table><td>点击 ¥1,234</td></table>" * 500,
        "PBSLOT1B": "</script>\x00\U0001f600 \u2028" + "x" * 100_000,
        "PBSLOT1C": "",
    }
    inputs = {"PBSLOT1A": ("content_calendar", "digest", (), ())}
    prepared = Prepared("md", slots=dict(sections), inputs=dict(inputs))
    prepared.pack()
    assert prepared.slots == {} and set(prepared.packed) == set(sections)
    assert prepared.inputs == {}  # only `mkdocs serve` (which does not pack) reads them
    assert sum(map(len, prepared.packed.values())) < sum(map(len, sections.values())) / 10
    assert dict(prepared.late()) == sections
    prepared.release()
    assert list(prepared.late()) == []


def _words_one_tag_at_a_time(fragment: str) -> str:
    """The reference: each tag replaced through a callback (what search_text did)."""
    import re

    from planbook.views import placing as pages

    if pages._NOT_TEXT.search(fragment):
        return fragment

    def tag(m: re.Match[str]) -> str:
        return "" if (m.group(2) or "").lower() in pages._INLINE else " "

    text = " ".join(pages._TAG.sub(tag, pages._drop_excluded(fragment)).split())
    return f"<p>{text}</p>" if text else ""


_PIECES = [
    "<b>",
    "</b>",
    "<B>",
    "<Span class='x'>",
    "</SPAN>",
    "<td>",
    "</td>",
    "<li>",
    "<br>",
    "<br/>",
    "<b->",
    "<a-b>",
    "<!-- <b> -->",
    "<!--x-->",
    "<!---->",
    "<p",
    ">",
    "</",
    "<",
    "<h2>",
    "<span data-search-exclude>",
    "</span>",
    "<img data-search-exclude src=x>",
    "&lt;script&gt;",
    "</script>",
    "预热期",
    "点击 ¥1,234",
    "a",
    " ",
    "\n",
    "\u3000",
    "\x00",
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=4)), max_size=30))
def test_the_words_are_those_a_callback_per_tag_gave(pieces):
    fragment = "".join(pieces)
    assert search_text(fragment) == _words_one_tag_at_a_time(fragment)


def test_a_table_of_many_cells_reads_as_before():
    row = "<tr><td>预热<i>期</i></td><td>A&amp;B</td><!--c--><td><span>x</span>y</td></tr>"
    html = "<table>" + row * 2000 + "</table>"
    assert search_text(html) == _words_one_tag_at_a_time(html)
    assert search_text(html).count("预热期 A&amp;B xy") == 2000


@pytest.mark.parametrize("packed", [False, True], ids=["as-sent", "packed-by-the-build"])
def test_a_page_with_words_made_ahead_fills_as_the_build_fills_it(monkeypatch, packed):
    """The page worker makes a page's search words before the page travels
    (placing.words_ahead), and the build may pack its sections while they wait (the
    review index takes pages early): fill(late=True) and fill_late then give the build's
    page byte for byte, and the build parses no section for search again."""
    import pickle

    from planbook.views import placing
    from planbook.views.charts.pieces import Pieces
    from planbook.views.pages import Prepared
    from planbook.views.placing import fill, fill_late, words_ahead

    sections = {
        "PBSLOT1A": "<table><td>预热<b>期</b></td><td>&lt;/script&gt;</td></table>" * 40,
        "PBSLOT1B": '<div class="pb-chart"><script>{"a": "</scr"}</script></div>',
        "PBSLOT1C": Pieces([("<p>shared chart</p>" * 60, True), ("<p>own \u2028</p>", False)]),
        "PBSLOT1D": "",
    }
    kinds = {"PBSLOT1A": "goals", "PBSLOT1B": "goal_chart", "PBSLOT1C": "charts"}
    kinds["PBSLOT1D"] = "risks"
    searchable = frozenset(["goals", "risks"])
    html = "<h1>t</h1>" + "".join(f"<p>{t}</p>" for t in sections) + "<p>PBSLOT9Z</p>"

    def page() -> Prepared:
        return Prepared("md", slots=dict(sections), kinds=dict(kinds), head="<i>h</i>")

    def built(p: Prepared) -> str:
        filled = fill(html, p, late=True, searchable=searchable)
        p.pack()
        return fill_late(f"<nav>{filled}</nav>", p, searchable=searchable)

    own = built(page())
    ahead = page()
    words_ahead(ahead, searchable=searchable)
    assert set(ahead.slots) == set(sections) and ahead.packed == {}
    if packed:
        ahead.pack(placed=False)
        assert ahead.slots == {} and set(ahead.packed) == set(sections)
    assert set(ahead.search) == {"PBSLOT1A", "PBSLOT1D"}
    travelled = pickle.loads(pickle.dumps(ahead))
    parsed: list[str] = []
    monkeypatch.setattr(placing, "search_text", lambda f: parsed.append(f) or "")
    assert built(travelled) == own
    assert parsed == []
    assert all(text in own for text in sections.values()) and "<!--PB" not in own


def test_the_goals_table_gives_its_statements_and_their_lines_only():
    """kpi_table is searchable for its goals' statements: the table's headings, figures
    and captions are marked out of the index (tables_html.write_kpi_table and
    section_rows.goal_rows), and a hostile statement stays escaped, its newline a space."""
    from types import SimpleNamespace

    from markupsafe import Markup, escape

    from planbook.views.placing import SEARCHABLE
    from planbook.views.tables_html import write_kpi_table

    statement = escape("Beat </script><img src=x onerror=alert(1)>\n<b>bold</b>")
    row = Markup(  # as goal_rows gives it: escaped already
        f'<tr><td class="pb-goal">{statement}\n<br><small class="pb-note">CTR · Owner: Emily'
        '</small></td><td class="pb-num" data-search-exclude>3.2% → 5.0%</td>'
        '<td data-search-exclude><span class="pb-chip">on track</span></td></tr>\n'
    )
    view = SimpleNamespace(as_of="2026-11-09", data=SimpleNamespace(queries=[]))
    fmt = SimpleNamespace(date=str)
    html = write_kpi_table(
        view=view, goals=[1], rows_html=row, t=lambda k, **_: f"[{k}]", fmt=fmt, export="x.csv"
    )
    assert "kpi_table" in SEARCHABLE
    assert search_text(html) == (
        "<p>Beat &lt;/script&gt;&lt;img src=x onerror=alert(1)&gt; &lt;b&gt;bold&lt;/b&gt;"
        " CTR · Owner: Emily</p>"
    )
    empty = write_kpi_table(view=view, goals=[], rows_html="", t=str, fmt=fmt, export=None)
    assert search_text(empty) == ""
