"""`mkdocs build` keeps the sections that wait for the finished page compressed; a
section is compressed against the first section of its kind in the build (a preset zlib
dictionary), since plans' tables differ in their figures, not their markup (issue 12:
1,000 plans held ~15 MB packed alone). What comes back is the section as it was."""

from __future__ import annotations

import hashlib
import zlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planbook.views.charts.pieces import Pieces
from planbook.views.pages import MIN_DICTIONARY, WINDOW, Deflated, Prepared

# row labels alike on every page, each its own within a page (as a plan's KPI names)
LABELS = [hashlib.sha256(str(i).encode()).hexdigest()[: 8 + i % 9] for i in range(60)]


def _table(figures: list[float]) -> str:
    rows = "".join(
        f'<tr><td class="pb-kpi" title="{LABELS[i % len(LABELS)]}">{LABELS[i % len(LABELS)]}'
        f"</td><td>¥{x:,.2f}</td><td>{x / 7:.1%}</td></tr>"
        for i, x in enumerate(figures)
    )
    return f'<table class="pb-table"><thead><tr><th>指标</th></tr></thead>{rows}</table>'


def _page(sections: dict[str, tuple[str, str]]) -> Prepared:
    """A prepared page: token -> (shortcode name, HTML)."""
    prepared = Prepared("")
    prepared.slots = {token: html for token, (_, html) in sections.items()}
    prepared.kinds = {token: kind for token, (kind, _) in sections.items()}
    return prepared


def test_later_sections_of_a_kind_are_compressed_against_the_first() -> None:
    dictionaries: dict[str, bytes] = {}
    pages = [
        _page(
            {
                f"P{n}T0": ("kpi_table", _table([1234.5 * n + i for i in range(60)])),
                f"P{n}T1": ("budget_table", _table([99.0 * n - i for i in range(40)])),
            }
        )
        for n in range(1, 4)
    ]
    before = [dict(p.slots) for p in pages]
    for page in pages:
        page.pack(dictionaries)
    assert set(dictionaries) == {"kpi_table", "budget_table"}
    assert dictionaries["kpi_table"] == before[0]["P1T0"].encode("utf-8")[-WINDOW:]
    # the first page made the dictionaries (plain zlib); the later ones refer to them
    assert all(isinstance(v, bytes) for v in pages[0].packed.values())
    for page in pages[1:]:
        for token, packed in page.packed.items():
            assert isinstance(packed, Deflated)
            assert packed.zdict is dictionaries[page.kinds[token]]  # shared, not copied
            alone = zlib.compress(page_text(before, page, token).encode("utf-8"), 1)
            assert len(packed) < 0.8 * len(alone)  # the markup is in the dictionary
    assert [dict(p.late()) for p in pages] == before
    for page in pages:
        page.release()
        assert list(page.late()) == []


def page_text(before: list[dict[str, str]], page: Prepared, token: str) -> str:
    return next(b[token] for b in before if token in b)


def test_without_dictionaries_sections_pack_as_before() -> None:
    html = _table([1.0, 2.0] * 30)
    prepared = _page({"A": ("kpi_table", html)})
    prepared.pack()
    assert isinstance(prepared.packed["A"], bytes)
    assert zlib.decompress(prepared.packed["A"]).decode("utf-8") == html


def test_a_short_first_section_is_no_dictionary_and_charts_keep_their_pieces() -> None:
    dictionaries: dict[str, bytes] = {}
    short = _page({"A": ("risks", "<p>无</p>")})
    short.pack(dictionaries)
    assert len("<p>无</p>".encode()) < MIN_DICTIONARY and dictionaries == {}
    chart = Pieces([("<figure>", False), ("x" * 2000, True), ("</figure>", False)])
    page = _page({"C": ("goal_chart", chart), "A": ("risks", _table([5.0] * 20))})
    page.pack(dictionaries)
    assert isinstance(page.packed["C"], tuple)  # charts/pieces.py's packing, by reference
    assert set(dictionaries) == {"risks"}
    assert dict(page.late()) == {"C": chart, "A": _table([5.0] * 20)}


HOSTILE = st.lists(
    st.sampled_from(["</script>", "<!--", "-->", "\x00", "\u2028", "点击", "¥", "\U0001f600", "a"]),
    max_size=40,
).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    first=st.one_of(HOSTILE, st.text(max_size=3000)),
    later=st.lists(st.one_of(HOSTILE, st.text(max_size=500)), min_size=1, max_size=4),
    big=st.integers(min_value=0, max_value=3),
)
def test_any_text_comes_back_as_it_was(first: str, later: list[str], big: int) -> None:
    dictionaries: dict[str, bytes] = {}
    # a first section longer than zlib's window: its last 32 KB are the dictionary
    head = _page({"F": ("kpi_table", first + "<td>x</td>" * (big * 2000) + "y" * MIN_DICTIONARY)})
    expected_head = dict(head.slots)
    head.pack(dictionaries)
    pages = [
        _page({f"L{i}": ("kpi_table", text), f"E{i}": ("", text * 3)})
        for i, text in enumerate(later)
    ]
    expected = [dict(p.slots) for p in pages]
    for page in pages:
        page.pack(dictionaries)
    assert len(dictionaries["kpi_table"]) <= WINDOW
    assert dict(head.late()) == expected_head
    assert [dict(p.late()) for p in pages] == expected


def test_a_section_packed_against_a_dictionary_still_gives_its_search_words() -> None:
    """The words of a searchable section asked for after it was packed (a page packed
    before fill(late=True)) come from its text however it was packed."""
    from planbook.views.placing import fill, search_text

    dictionaries: dict[str, bytes] = {}
    first = _page({"PBSLOT1A": ("goals", _table([float(i) for i in range(80)]))})
    first.pack(dictionaries)
    hostile = "<td>&lt;/script&gt;<b>预热</b>\u2028</td>"
    html = _table([i * 1.5 for i in range(80)]).replace("</table>", hostile + "</table>")
    later = _page({"PBSLOT1A": ("goals", html)})
    later.pack(dictionaries)
    assert isinstance(later.packed["PBSLOT1A"], Deflated)
    filled = fill("<p>PBSLOT1A</p>", later, late=True, searchable=frozenset(["goals"]))
    assert filled == f"<!--PBSLOT1A-->{search_text(html)}<!--/PBSLOT1A-->"
