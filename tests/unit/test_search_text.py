"""What the search index is given for a searchable section (pages.search_text): its
words, without the elements marked ``data-search-exclude`` (figures, statuses)."""

from __future__ import annotations

from planbook.pages import search_text


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
    from planbook.pages import Prepared

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
