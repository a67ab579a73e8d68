"""Formatter.values: an array of one kind reads exactly as value() reads each element,
and compact 万 / 亿 amounts read as Babel writes them (issue 12)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from babel.numbers import format_compact_currency
from hypothesis import example, given, settings
from hypothesis import strategies as st

from planbook.format import HUGE, Formatter, plain_amount, plain_percent

KINDS = ["number", "decimal", "percent", "currency", "ratio"]  # ratio: read as a number
LOCALES = [("zh", "CNY"), ("zh", "USD"), ("en", "USD"), ("en", "EUR"), ("zh", "JPY")]

HOSTILE = [
    None,
    math.nan,
    math.inf,
    -math.inf,
    -0.0,
    0.0,
    5e-324,
    -5e-324,
    2.2250738585072014e-308,
    0.005,
    0.015,
    0.125,
    2.675,
    -0.001,
    -0.0005,
    0.00005,
    99.995,
    99.5,
    999.995,
    9999.5,
    10_000.0,
    99_999.995,
    99_995.0,
    1e8 - 0.5,
    1e12,
    1e15,
    1e17,
    9.99e17,
    HUGE,
    -HUGE,
    1e300,
    -1e300,
    1.7976931348623157e308,
]

# Floats of every size, and decimal ties: k / 200 ends in 5 at the third decimal (a tie
# for two decimals), k / 2000 for a percent's one decimal, k * 50 for 万 with two.
values = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True, allow_subnormal=True),
    st.floats(min_value=-1e6, max_value=1e6),
    st.integers(-(10**9), 10**9).map(lambda k: k / 200),
    st.integers(-(10**9), 10**9).map(lambda k: k / 2000),
    st.integers(-(10**9), 10**9).map(lambda k: k * 50.0),
    st.integers(-(10**6), 10**6).map(lambda k: k * 5e9 + 0.0),
    st.sampled_from(HOSTILE),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(values, max_size=40),
    st.sampled_from(KINDS),
    st.sampled_from(LOCALES),
)
@example(HOSTILE, "currency", ("zh", "CNY"))
@example(HOSTILE, "percent", ("en", "USD"))
@example(HOSTILE, "number", ("zh", "CNY"))
@example(HOSTILE, "decimal", ("en", "USD"))
def test_values_read_as_value_reads_each(items, kind, locale):
    fast, scalar = Formatter(*locale), Formatter(*locale)  # nothing shared in a cache
    expected = [scalar.value(v, kind) for v in items]
    # the array path on its own: every text it writes is value()'s (None: value() writes it)
    texts = fast._new_texts(items, kind)
    assert [e if t is None else t for t, e in zip(texts, expected, strict=True)] == expected
    assert fast.values(items, kind) == expected
    assert fast.values(items, kind) == expected  # from the cache it filled
    # an array (what the charts hand it): its floats read the same
    floats = np.array([math.nan if v is None else v for v in items], dtype="float64")
    assert fast.values(floats, kind) == [scalar.value(v, kind) for v in floats.tolist()]


def test_values_keeps_what_is_not_a_float_to_value():
    """An int is formatted as value() formats an int (no float's huge notation), a
    Decimal too; the floats beside them still read as theirs."""
    from decimal import Decimal

    f = Formatter("en", "USD")
    items = [10**20, 3, Decimal("2.675"), 2.675, None]
    assert f.values(items, "number") == [Formatter("en").value(v, "number") for v in items]
    assert f.values(items, "number")[:4] == ["100,000,000,000,000,000,000", "3", "2.68", "2.68"]


def test_values_of_ordinary_figures_ask_value_for_none_of_them(monkeypatch):
    """The point of values(): ordinary figures are formatted as an array; only ties and
    what is not a float go one by one (a regression to the per-value path shows here)."""
    f = Formatter("zh", "CNY")
    asked: list = []
    real = Formatter.value

    def counting(self, value, kind):
        asked.append(value)
        return real(self, value, kind)

    monkeypatch.setattr(Formatter, "value", counting)
    series = np.linspace(1_000, 250_000, 365) + 0.123  # amounts, 万 beyond 10,000
    for kind in KINDS:
        f.values(series, kind)
        f.values(series / 1e6, kind)
    assert asked == []
    ordinary = [k + 0.25 for k in range(20)]
    f.values([*ordinary, 0.005, 12.0, 7], "number")  # new values, a decimal tie and an int
    assert asked == [0.005, 7]
    asked.clear()
    assert f.values([0.015, 0.25, 1.25], "number") == ["0.02", "0.25", "1.25"]
    assert asked == [0.015]  # a few: the cache, and value() for the one not in it


@pytest.mark.parametrize("currency", ["CNY", "USD", "EUR", "JPY"])
def test_compact_amounts_read_as_babel_writes_them(currency):
    """money() writes 万 / 亿 amounts itself: Babel's text for each, at every unit's
    edges, ties and rounding up into the next power of ten."""
    f = Formatter("zh", currency)
    assert f._units is not None  # the fast path is taken
    amounts = [
        10_000.0,
        10_050.0,
        10_000.005,
        12_345.678,
        99_995.0,
        99_999.995,
        9_600_000.0,
        99_999_999.0,
        99_999_999.6,
        1e8,
        123_456_789_012.0,
        1e12,
        1.5e13,
        1e16,
        1e17,
        9.99e17,
    ]
    amounts += [k * 50.0 for k in range(200, 400_000, 997)]
    amounts += [-a for a in amounts]
    for amount in amounts:
        babel = format_compact_currency(amount, currency, locale=f.locale, fraction_digits=2)
        assert f.money(amount) == babel, amount
        assert f.values([amount], "currency") == [babel], amount
        assert f._new_texts([amount], "currency")[0] in (babel, None), amount


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.floats(min_value=1e4, max_value=HUGE, exclude_max=True),
        st.integers(200, 10**12).map(lambda k: k * 50.0),
        st.integers(2_000_000, 10**13).map(lambda k: k / 200),
    ),
    st.booleans(),
)
def test_compact_amounts_read_as_babel_writes_them_everywhere(amount, negative):
    f = Formatter("zh", "CNY")
    value = -amount if negative else amount
    babel = format_compact_currency(value, "CNY", locale=f.locale, fraction_digits=2)
    assert f.money(value) == babel
    assert f.values([value], "currency") == [babel]
    assert Formatter("zh", "CNY")._new_texts([value], "currency")[0] in (babel, None)


def test_no_compact_fast_path_for_a_locale_whose_patterns_differ():
    from planbook.format import _compact_units

    assert _compact_units(Formatter("en").locale) is None  # K / M, two plural forms
    forced = Formatter("zh", "CNY")
    forced._units = None  # Babel's own path: the same text
    assert forced.money(123_456.0) == Formatter("zh", "CNY").money(123_456.0) == "¥12.35万"


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.dates()), max_size=30),
    st.sampled_from(["zh", "en"]),
)
def test_dates_read_as_date_reads_each(days, language):
    fmt = Formatter(language)
    expected = [Formatter(language).date(d) for d in days]
    assert fmt.dates(days) == expected
    assert fmt.dates(days) == expected  # from the cache


def test_missing_values_read_as_missing_and_fill_no_cache_entry():
    """NaN and infinite values read "—" as value() reads them; a NaN is never a key of
    the cache (each NaN object is a new key: the cache would fill with them)."""
    f = Formatter("zh", "CNY")
    items = [math.nan, math.inf, -math.inf, None] * 5
    for kind in KINDS:
        assert f.values(items, kind) == ["—"] * len(items)
        assert f.values(np.array(items, dtype="float64"), kind) == ["—"] * len(items)
    assert not any(isinstance(k[1], float) and math.isnan(k[1]) for k in f._cache)


@pytest.mark.parametrize(("language", "currency"), LOCALES)
@pytest.mark.parametrize("kind", KINDS)
def test_a_bool_reads_as_the_int_it_equals(language: str, currency: str, kind: str) -> None:
    """A bool (a warehouse's boolean column, a flag) is formatted as 1 or 0, alone and in
    an array; the number, decimal and percent paths raised decimal.InvalidOperation."""
    fmt = Formatter(language, currency)
    assert fmt.value(True, kind) == Formatter(language, currency).value(1, kind)
    assert fmt.value(False, kind) == Formatter(language, currency).value(0, kind)
    fresh = Formatter(language, currency)
    assert fresh.values([True, False, 1.0], kind) == [fmt.value(v, kind) for v in (1, 0, 1.0)]


@pytest.mark.parametrize(("language", "currency"), LOCALES)
def test_every_nan_object_shares_one_cache_entry(language: str, currency: str) -> None:
    """Each NaN object was a cache key of its own (NaN equals nothing and hashes by
    identity): a table of missing figures kept one entry per cell. Now one per kind."""
    fmt = Formatter(language, currency)
    first = {kind: fmt.value(float("nan"), kind) for kind in KINDS}
    size = len(fmt._cache)
    for _ in range(50):
        assert {kind: fmt.value(float("nan"), kind) for kind in KINDS} == first
    assert len(fmt._cache) == size
    assert first == {kind: Formatter(language, currency).value(math.nan, kind) for kind in KINDS}


@pytest.mark.parametrize(
    ("value", "kwargs", "shown"),
    [
        (0.034, {}, "3.4%"),
        (0.123456, {}, "12.35%"),
        (0.034, {"signed": True}, "+3.4%"),
        (-0.25, {"signed": True}, "-25%"),
        (0.0554, {"signed": True, "digits": 2}, "+5.54%"),
        (math.inf, {}, "inf%"),
    ],
)
def test_plain_percent_for_messages(value: float, kwargs: dict, shown: str) -> None:
    assert plain_percent(value, **kwargs) == shown


@pytest.mark.parametrize(
    ("value", "shown"), [(1234.4, "1,234"), (99.94, "99.9"), (-12.25, "-12.2"), (0.0, "0.0")]
)
def test_plain_amount_for_messages(value: float, shown: str) -> None:
    assert plain_amount(value) == shown
