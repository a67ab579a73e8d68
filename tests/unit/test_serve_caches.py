"""`mkdocs serve` caches that live across rebuilds keep what the current build uses and
let the rest go (issue 12: resident memory after 20 CSV edits)."""

from __future__ import annotations

import gc
import math
import weakref

import planbook.format as fm
from planbook.format import Formatter, formatter


def _texts(f: Formatter) -> set:
    return {key[1] for key in f._cache} | {key[1] for key in f._older}


def test_a_text_the_current_build_formats_survives_and_is_not_formatted_again(
    babel_calls,
) -> None:
    fresh = [Formatter("zh").money_in(v, 1e4) for v in (12_345.0, 87.5, 0.0)]
    calls = babel_calls
    f = Formatter("zh")
    f._plain = f._plain_money = False  # Babel's path, whose calls are counted here
    fm.new_build()
    first = [f.money_in(v, 1e4) for v in (12_345.0, 87.5, -0.0)]
    fm.end_build()
    fm.new_build()  # the next build shows 12,345 (and -0.0) again, not 87.5
    again = [f.money_in(12_345.0, 1e4), f.money_in(0.0, 1e4)]
    assert first == fresh and again == [fresh[0], fresh[2]]
    assert calls == [1.2345, 0.00875]  # Babel ran once for each value, never again
    fm.end_build()
    assert _texts(f) == {12_345.0, 0.0}  # 87.5 went: no page of this build shows it
    assert f.money_in(87.5, 1e4) == first[1]  # asked again: formatted again, alike
    assert calls[-1] == 0.00875


def test_a_build_that_never_ends_keeps_two_builds_of_texts_at_most() -> None:
    f = Formatter("en")
    for k in range(5):
        fm.new_build()
        f.number(float(k), 2)
        f.percent(k / 10)
    assert _texts(f) == {3.0, 0.3, 4.0, 0.4}
    assert f.number(3.0, 2) == "3.00" and f.percent(0.3) == "30.0%"


def test_new_build_ages_every_live_formatter_the_shared_ones_too() -> None:
    shared = formatter("zh", "CNY")
    mine = Formatter("en", "USD")
    fm.new_build()
    shared.money(1_234_567.0)
    mine.money(42.0)
    fm.new_build()
    fm.end_build()
    assert not shared._cache and not shared._older and not mine._cache
    assert shared.money(1_234_567.0) == Formatter("zh", "CNY").money(1_234_567.0)
    gc.collect()  # earlier tests' formatters in reference cycles go first
    made, ref = len(fm._MADE), weakref.ref(mine)
    del mine
    gc.collect()
    assert ref() is None  # a formatter gone is not held by the registry
    assert len(fm._MADE) == made - 1


def test_hostile_values_keep_out_of_both_generations() -> None:
    f = Formatter("zh")
    values = (1e300, -1e19, math.nan, math.inf, None, 87.5)
    fm.new_build()
    first = [f.money_in(v, 1e4) for v in values]
    fm.new_build()
    assert [f.money_in(v, 1e4) for v in values] == first
    assert first[0] == "1e+300" and first[2:5] == ["—"] * 3
    assert not [
        k
        for k in (*f._cache, *f._older)
        if isinstance(k[1], float) and math.isfinite(k[1]) and abs(k[1]) >= 1e18
    ]
    fm.end_build()


def test_kept_charts_the_current_build_shows_survive_and_the_others_go(monkeypatch) -> None:
    from planbook.views.charts import common

    monkeypatch.setattr(common, "_STORES", [])
    store = common.new_store()
    assert [s is store for s in common._STORES] == [True]  # end_build walks it
    drawn: list[str] = []

    def draw(name: str):
        def build() -> dict:
            drawn.append(name)
            return {"chart": name}

        return build

    common.new_build()
    old, same = (
        common.kept(store, 8, ("old",), draw("old")),
        common.kept(store, 8, ("same",), draw("same")),
    )
    common.end_build()
    assert list(store) == [("old",), ("same",)]  # both shown by the build that drew them
    common.new_build()  # a data edit: one chart's inputs changed, the other's did not
    assert common.kept(store, 8, ("same",), draw("same")) is same
    new = common.kept(store, 8, ("new",), draw("new"))
    common.end_build()
    assert list(store) == [("same",), ("new",)] and drawn == ["old", "same", "new"]
    assert store[("new",)][1] is new and old == {"chart": "old"}
    common.new_build()
    for k in range(3):  # the bound still holds within one build
        common.kept(store, 2, (k,), draw(str(k)))
    assert list(store) == [(1,), (2,)]
    common.end_build()
    assert list(store) == [(1,), (2,)]
    common.new_build()
    common.end_build()  # a build that shows no chart keeps none
    assert not store
