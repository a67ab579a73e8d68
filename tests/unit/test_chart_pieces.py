"""Chart markup kept as pieces until the page is written: the same text back, the JSON
and markup of a chart another page shows held by reference, the rest compressed."""

from __future__ import annotations

import zlib

from hypothesis import given
from hypothesis import strategies as st

from planbook.views import charts
from planbook.views.charts.pieces import SMALL, Pieces, unpacked
from planbook.views.pages import Prepared
from planbook.views.render_env import environment
from tests.unit.test_chart_payload import long_view

HOSTILE = ["</script>", "<!--", "-->", "\u2028\u2029", "预算 目标", "\x00", "", "&amp;"]

texts = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=40),
    st.text(alphabet="ab<>/\u2028预", min_size=SMALL - 5, max_size=SMALL + 700),
)


@given(st.lists(st.tuples(texts, st.booleans()), max_size=14))
def test_packed_pieces_unpack_to_the_text(parts):
    markup = Pieces(parts)
    assert markup == "".join(text for text, _ in parts)
    packed = markup.packed()
    assert unpacked(packed) == markup
    # shared pieces by reference, in order; other runs are text when short, else zlib
    rest = iter(packed)
    assert all(any(p is text for p in rest) for text, shared in parts if shared)
    assert len(packed) <= 2 * sum(shared for _, shared in parts) + 1
    for p in packed:
        assert isinstance(p, str) or len(zlib.decompress(p)) > SMALL


def test_plain_sections_still_pack_to_zlib_and_charts_to_pieces():
    prepared = Prepared("")
    chart_text = "x" * 2000
    prepared.slots = {
        "A": "<table>" + "y" * 3000 + "</table>",
        "B": Pieces([("<figure>", False), (chart_text, True), ("</figure>" * 100, False)]),
    }
    before = dict(prepared.slots)
    prepared.pack()
    assert isinstance(prepared.packed["A"], bytes)
    kept = prepared.packed["B"]
    assert isinstance(kept, tuple) and kept[1] is chart_text and isinstance(kept[2], bytes)
    assert dict(prepared.late()) == before


def render(chart, chart_id: str, language: str = "zh") -> str:
    return charts.render_figures(
        [chart], env=environment(), language=language, chart_id=chart_id, kind="goal_chart"
    )


def test_a_chart_on_a_second_page_is_kept_by_reference_the_first_compressed(tmp_path):
    view = long_view(tmp_path, 40)
    view.goals[0].goal = view.goals[0].goal.model_copy(update={"statement": HOSTILE[0] + "预"})
    (chart,) = charts.build_charts("goal_chart", view, ("clicks",), {}, language="zh")
    first, second = render(chart, "p1"), render(chart, "p2")
    assert isinstance(first, Pieces) and isinstance(second, Pieces)
    assert first.replace('"p1"', '"p2"') == second
    json = chart.payloads["zh"]
    assert "</script" not in json and json in second
    pages = []
    for markup in (first, second):
        prepared = Prepared("")
        prepared.slots = {"T": markup}
        prepared.pack()
        pages.append(prepared)
    assert not any(p is json for p in pages[0].packed["T"])  # only this page so far
    assert any(p is json for p in pages[1].packed["T"])  # the chart's own text
    assert [dict(p.late())["T"] for p in pages] == [first, second]
    assert chart.pages == 2


def test_a_site_template_for_charts_gives_plain_text_packed_as_before(tmp_path):
    (tmp_path / "charts").mkdir()
    (tmp_path / "charts" / "figure.html").write_text(
        "{% for item in items %}<div id={{ item.id }}>{{ item.json }}</div>{% endfor %}", "utf-8"
    )
    env = environment(tmp_path)
    (chart,) = charts.build_charts(
        "goal_chart", long_view(tmp_path / "site", 20), ("clicks",), {}, language="en"
    )
    html = charts.render_figures([chart], env=env, language="en", chart_id="p", kind="k")
    assert type(html) is str and chart.payloads["en"] in html
    prepared = Prepared("")
    prepared.slots = {"T": html}
    prepared.pack()
    assert isinstance(prepared.packed["T"], bytes) and dict(prepared.late())["T"] == html


def test_pieces_survive_pickle() -> None:
    """The page worker sends a page's sections pickled: a chart's markup comes back as
    the same text with the same pieces (pickle rebuilt it from its text and failed)."""
    import pickle

    from planbook.views.charts.pieces import Pieces

    pieces = Pieces([("<div>", False), ('{"data": []}</script>', True), ("图表", False)])
    back = pickle.loads(pickle.dumps(pieces, protocol=pickle.HIGHEST_PROTOCOL))
    assert type(back) is Pieces and back == pieces and back.pieces == pieces.pieces
    assert back.packed() == pieces.packed()


def test_a_kept_chart_counts_the_pages_of_each_build_anew(tmp_path):
    """A chart kept into the next build (`mkdocs serve`, builds in one process) that one
    page of that build shows is that page's own: compressed with it, not by reference."""
    from planbook.views.charts import common

    view = long_view(tmp_path, 40)
    (chart,) = charts.build_charts("goal_chart", view, ("clicks",), {}, language="zh")
    common.new_build()
    render(chart, "p1")
    common.new_build()
    again = render(chart, "p1")
    assert chart.pages == 1
    prepared = Prepared("")
    prepared.slots = {"T": again}
    prepared.pack()
    assert not any(p is chart.payloads["zh"] for p in prepared.packed["T"])
    render(chart, "p2")  # a second page of this build: now shared
    assert chart.pages == 2
