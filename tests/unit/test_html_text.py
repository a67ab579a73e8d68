"""format.html_text writes a value as HTML text exactly as markupsafe.escape does (the row
writers use it for the few hundred values of a plan page; issue 12)."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup, escape

from planbook.format import html_text


class Html:
    def __html__(self) -> str:
        return "<b>kept</b>"


class Count(int):
    """A number that writes its own markup: not taken as a plain int."""

    def __html__(self) -> str:
        return "<i>7</i>"


@given(
    st.one_of(
        st.text(),
        st.text(alphabet="&<>\"'a 万¥\n\x00").map(str),
        st.text().map(Markup),
        st.integers(),
        st.floats(allow_nan=True, allow_infinity=True),
        st.none(),
        st.just(Html()),
        st.booleans(),
        st.integers().map(Count),
        st.sampled_from([-0.0, 1e308, -math.inf, 10**300, -(10**18)]),
    )
)
def test_html_text_is_escape_as_text(value) -> None:
    assert html_text(value) == str(escape(value))
    assert type(html_text(value)) is str


def test_hostile_values() -> None:
    assert html_text("</script><script>alert('x')</script>") == (
        "&lt;/script&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
    )
    assert html_text('a "b" & c') == "a &#34;b&#34; &amp; c"
    assert html_text(Markup("<b>x</b>")) == "<b>x</b>"  # markup stays markup, as escape
    assert html_text(-0.0) == "-0.0" and html_text(math.inf) == "inf"
    assert html_text("¥1,234.00 · 12.5%") == "¥1,234.00 · 12.5%"
