"""review.text's masks: ``blank`` keeps every offset and newline, and masking a body
with it gives what the per-character regex gave."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planbook.review import text as review_text
from planbook.review.text import blank, mask


def _regex_blank(text: str) -> str:  # the substitution blank() replaced
    return re.sub(r"[^\n]", " ", text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("\n\r\u2028 \t`<>")))
def test_blank_is_the_regex_substitution(text: str) -> None:
    out = blank(text)
    assert out == _regex_blank(text)
    assert len(out) == len(text) and [i for i, c in enumerate(out) if c == "\n"] == [
        i for i, c in enumerate(text) if c == "\n"
    ]


@pytest.mark.parametrize("text", ["", "\n", "\n\n", "a\n", "\na", "中文\r\n`x`\n\n"])
def test_blank_edges(text: str) -> None:
    assert blank(text) == _regex_blank(text)


body_parts = st.sampled_from(
    [
        "```\ncode </script>\n```\n",
        "~~~~\nx\n~~~\n~~~~\n",
        "`inline` and ``two `ticks` ``",
        "<!-- a\ncomment -->",
        "<!-- never closed",
        "[link](https://example.com/a?b=c)",
        "[ref][id]\n[id]: https://x.y\n",
        '<img alt="图 alt" src="a.png"> <b>bold</b>',
        "![alt text](a.png)",
        "{{ macro() }} {% tag %} {: #id .cls }",
        "www.example.com http://a.b/c",
        "文案，正文。\n",
        "\n",
        " ",
    ]
)


@settings(max_examples=200, deadline=None)
@given(parts=st.lists(body_parts | st.text(max_size=12), max_size=12), alt=st.booleans())
def test_mask_is_unchanged_by_the_new_blank(parts: list[str], alt: bool) -> None:
    body = "".join(parts)
    new = mask(body, alt)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(review_text, "blank", _regex_blank)
        old = mask(body, alt)
    assert new == old
    for masked in (new.code_free, new.text, new.copy):
        assert len(masked) == len(body)
