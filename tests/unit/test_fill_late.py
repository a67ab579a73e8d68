"""fill_late puts the sections into the finished page in one pass (issue 12): the same
page as replacing each section's placeholder in turn (the way it was written before),
with searchable sections in place of their words, words another plugin changed, missing
and repeated placeholders, the head mark, and hostile text around them."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from planbook.views.pages import Prepared
from planbook.views.placing import HEAD_MARK, _searchable, fill, fill_late

SEARCHABLE = frozenset({"kpi_table", "phases"})


def _one_at_a_time(
    output: str, prepared: Prepared, searchable: frozenset[str], marks: dict[str, str]
) -> str:
    """The earlier fill_late: each section replaced in turn, in a fresh scan of the page
    (``marks``: the searchable sections' words as fill wrote them; pack lets them go)."""
    start = output.find("<!--PB")
    if start < 0:
        return output
    head, output = output[:start], output[start:]
    for token, fragment in prepared.late():
        if prepared.kinds.get(token) in searchable:
            marked = marks[token]
            if marked in output:
                output = output.replace(marked, fragment, 1)
            else:
                between = re.compile(f"<!--{token}-->.*?<!--/{token}-->", re.S)
                output = between.sub(lambda _, f=fragment: f, output, count=1)
        else:
            output = output.replace(f"<!--{token}-->", fragment, 1)
    if prepared.head:
        output = output.replace(HEAD_MARK, prepared.head, 1)
    return head + output


TEXT = st.sampled_from(
    ["", "nav ", "<p>words</p>", "</script>", "<!-- note -->", "<!--PB", "-->", "&lt;!--PBX--&gt;"]
)
KINDS = st.sampled_from(["kpi_table", "phases", "team", "budget_table"])
# how a section's placeholder is in the page: as fill left it, words changed, missing, twice
SHAPES = st.sampled_from(["kept", "changed", "missing", "twice", "open"])


@settings(max_examples=300, deadline=None)
@given(
    sections=st.lists(
        st.tuples(KINDS, SHAPES, st.sampled_from(["<b>x</b>", "", "<td>1</td>", "a\nb"])),
        max_size=6,
    ),
    between=st.lists(TEXT, min_size=8, max_size=8),
    head=st.sampled_from(["", "<div>head</div>"]),
    head_shape=st.sampled_from(["kept", "missing", "twice"]),
    packed=st.booleans(),
    order=st.randoms(use_true_random=False),
)
def test_one_pass_fills_as_one_section_at_a_time(
    sections, between, head, head_shape, packed, order
) -> None:
    prepared = Prepared("", head=head)
    pieces: list[str] = []
    for k, (kind, shape, words) in enumerate(sections):
        token = f"PBSLOT0A1B2C3DN{k}Z"
        prepared.slots[token] = f'<div class="s{k}">{words}</div>'
        prepared.kinds[token] = kind
        marker = f"<!--{token}-->"
        if kind in SEARCHABLE:
            marker = _searchable(prepared, token)
            if shape == "changed":
                marker = f"<!--{token}--><p>other words</p><!--/{token}-->"
            elif shape == "open":
                marker = f"<!--{token}--><p>no end"
        if shape == "missing":
            continue
        pieces += [marker] * (2 if shape == "twice" else 1)
    if head_shape != "missing":
        pieces += [HEAD_MARK] * (2 if head_shape == "twice" else 1)
    order.shuffle(pieces)
    page = "".join(between[k % len(between)] + p for k, p in enumerate(pieces))
    page = f"<html>{page}{between[-1]}</html>"
    marks = dict(prepared.search)
    if packed:
        prepared.pack()
        assert prepared.search == {}
    expected = _one_at_a_time(page, prepared, SEARCHABLE, marks)
    assert fill_late(page, prepared, searchable=SEARCHABLE) == expected


def test_a_page_filled_early_and_late_has_every_section_once() -> None:
    prepared = Prepared("", head="<p>head</p>")
    prepared.slots = {"PBSLOTAN0Z": "<table>kpis</table>", "PBSLOTAN1Z": "<ul>team</ul>"}
    prepared.kinds = {"PBSLOTAN0Z": "kpi_table", "PBSLOTAN1Z": "team"}
    html = fill(
        "<h1>T</h1><p>PBSLOTAN0Z</p>\n<p>PBSLOTAN1Z</p>", prepared, late=True, searchable=SEARCHABLE
    )
    assert "<table>" not in html and "kpis" in html  # the words only, for search
    prepared.pack()
    page = fill_late(f"<nav>menu</nav>{html}<footer/>", prepared, searchable=SEARCHABLE)
    assert page == (
        "<nav>menu</nav><h1>T</h1><p>head</p><table>kpis</table>\n<ul>team</ul><footer/>"
    )
